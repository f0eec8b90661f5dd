"""The register as a list: search by code or location, filter by state, use and zone, sort, one page at a
time. Read-only; one :class:`ParcelFilter` says which parcels for the page, its totals and the export (its
conditions are bound parameters: a search string is text, never SQL)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Float, bindparam, cast, select

from ..domain.lifecycle import STATE_LABELS, State, parse_state
from ..domain.plan_versions import UNKNOWN
from ..domain.register import SOURCE_LABELS, Source, stock_label
from ..domain.reports.parcel_list import ListRow, ParcelList
from ..domain.reports.plan_document import PlanMeta
from ..errors import InputError
from ..storage.db import read_connection, reading
from ..storage.geometry_tables import ParcelGeometryRow
from ..storage.register_tables import ReserveParcelRow
from .context import Context

#: sort key → column (the code breaks ties, so a page never shuffles)
SORTS = {
    "code": ReserveParcelRow.code,
    # areas are exact text on SQLite: sorted as numbers (the sort only orders, nothing is computed from it)
    "area": cast(ReserveParcelRow.area_m2, Float),
    "state": ReserveParcelRow.state,
    "use": ReserveParcelRow.land_use,
    "zone": ReserveParcelRow.zone,
    "location": ReserveParcelRow.location,
    "since": ReserveParcelRow.state_since,
}
SORT_LABELS = {"code": "编号", "area": "面积", "state": "状态", "use": "用途", "zone": "区域",
               "location": "坐落", "since": "状态日期"}  # fmt: skip
MAX_PER_PAGE = 500
MAX_EXPORT = 100_000


@dataclass(frozen=True)
class ListedParcel:
    code: str
    location: str | None
    area_m2: Decimal | None
    land_use: str | None
    zone: str | None
    state: State
    state_since: date
    has_boundary: bool

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class ParcelPage:
    items: list[ListedParcel]
    total: int
    total_area_m2: Decimal
    page: int
    per_page: int
    #: values to offer in the filters (every use and zone in the register)
    uses: list[str] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class ParcelFilter:
    """Which register parcels a list shows: the page, its totals and the export read the same object.

    ``q`` matches part of the code or of the location (case-insensitive); ``state`` a state; ``use`` and
    ``zone`` match exactly. Build it with :meth:`of` from what a user typed (empty means no condition).
    Hashable: the web layer keeps totals per filter."""

    q: str | None = None
    state: State | None = None
    use: str | None = None
    zone: str | None = None

    @classmethod
    def of(
        cls, q: str | None = None, state: str | State | None = None, use: str | None = None,
        zone: str | None = None,
    ) -> ParcelFilter:  # fmt: skip
        """From user input: blanks dropped, the state read as its value or Chinese name (``InputError``)."""
        return cls(
            (q or "").strip() or None,
            state if isinstance(state, State) else (parse_state(state) if state and state.strip() else None),
            use or None,
            zone or None,
        )  # fmt: skip

    @property
    def shape(self) -> tuple[bool, bool, bool, bool]:
        """Which conditions apply (the statements are made once per shape, the values bound)."""
        return (bool(self.q), self.state is not None, bool(self.use), bool(self.zone))

    def conditions(self) -> list:
        """The WHERE conditions, with bound parameters (:meth:`params`): a search string is text, never SQL."""
        return list(_conditions(self.shape))

    def params(self) -> dict[str, str]:
        """The values of the conditions' parameters."""
        values = {"pattern": _like(self.q) if self.q else None, "state": self.state.value if self.state else None,
                  "use": self.use, "zone": self.zone}  # fmt: skip
        return {k: v for k, v in values.items() if v is not None}

    def described(self) -> str:
        """The filter in words, for an export's heading (全部 without conditions)."""
        chosen = [f"“{v}”" for v in (self.q, self.use, self.zone) if v]
        if self.state is not None:
            chosen.append(f"状态“{STATE_LABELS[self.state]}”")
        return "筛选：" + "、".join(chosen) if chosen else "全部"


ALL = ParcelFilter()


@functools.cache
def _conditions(shape: tuple[bool, bool, bool, bool]) -> tuple:
    r = ReserveParcelRow
    q, state, use, zone = shape
    conditions = []
    if q:
        pattern = bindparam("pattern")
        conditions.append(r.code.ilike(pattern, escape="\\") | r.location.ilike(pattern, escape="\\"))
    if state:
        conditions.append(r.state == bindparam("state"))
    if use:
        conditions.append(r.land_use == bindparam("use"))
    if zone:
        conditions.append(r.zone == bindparam("zone"))
    return tuple(conditions)


def _order(sort: str, descending: bool) -> list:
    """The ORDER BY of a list (the code breaks ties); ``InputError`` for an unknown sort key."""
    if sort not in SORTS:
        known = "、".join(f"{k}（{v}）" for k, v in SORT_LABELS.items())
        raise InputError(f"排序字段“{sort}”无效，可选：{known}", code="input.sort")
    column = SORTS[sort]
    order = [column.desc() if descending else column.asc()]
    if sort != "code":
        order.append(ReserveParcelRow.code.asc())
    return order


@dataclass(frozen=True)
class Totals:
    """What a list shows besides its page: how many parcels match and their exact total area, and the
    values the filters offer. It reads every matching row (the sum is exact, in Python: areas are exact
    text on SQLite), so the web layer keeps it until the data changes (``web.cache``)."""

    total: int
    area_m2: Decimal
    uses: list[str]
    zones: list[str]


def totals(ctx: Context, where: ParcelFilter = ALL) -> Totals:
    r = ReserveParcelRow
    with read_connection(ctx.engine) as connection:
        areas = list(connection.scalars(select(r.area_m2).where(*where.conditions()), where.params()))
        uses = sorted(u for u in connection.scalars(select(r.land_use).distinct()) if u)
        zones = sorted(z for z in connection.scalars(select(r.zone).distinct()) if z)
    return Totals(len(areas), sum((a for a in areas if a is not None), Decimal(0)), uses, zones)


@functools.cache
def _page_query(shape: tuple[bool, bool, bool, bool], sort: str, descending: bool):
    """The statement of one page (made once per filter shape and order; values, limit and offset bound)."""
    r = ReserveParcelRow
    return (
        select(r.code, r.location, r.area_m2, r.land_use, r.zone, r.state, r.state_since)
        .where(*_conditions(shape)).order_by(*_order(sort, descending)).limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )  # fmt: skip


#: which of a page's codes have a current boundary (a statement of its own: as an EXISTS in the page's,
#: PostgreSQL planned a scan of every current boundary per page — 23 ms for 10,000 — before ANALYZE)
_BOUNDED = select(ParcelGeometryRow.code).where(
    ParcelGeometryRow.code.in_(bindparam("codes", expanding=True)), ParcelGeometryRow.superseded_at.is_(None)
)


def search(
    ctx: Context,
    where: ParcelFilter = ALL,
    *,
    sort: str = "code",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
    known: Totals | None = None,
) -> ParcelPage:
    """One page of the register parcels ``where`` selects, with whether each has a current boundary.

    ``InputError`` (Chinese) for an unknown sort key or a page size out of range. ``known``: the ``totals``
    of the same filter, when the caller kept them (else they are read here). Two statements on one
    read-only connection, plain Core rows (a page is read on every request)."""
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"每页条数应在 1 到 {MAX_PER_PAGE} 之间（现为 {per_page}）", code="input.per_page")
    page = max(1, page)
    query = _page_query(where.shape, sort, descending)
    counted = known or totals(ctx, where)
    with read_connection(ctx.engine) as connection:
        rows = connection.execute(
            query, {**where.params(), "limit": per_page, "offset": (page - 1) * per_page}
        ).all()
        codes = [r.code for r in rows]
        bounded = set(connection.scalars(_BOUNDED, {"codes": codes})) if codes else set()
    items = [
        ListedParcel(r.code, r.location, r.area_m2, r.land_use, r.zone, State(r.state), r.state_since, r.code in bounded)
        for r in rows
    ]  # fmt: skip
    return ParcelPage(items, counted.total, counted.area_m2, page, per_page, counted.uses, counted.zones)


def listing(
    ctx: Context, where: ParcelFilter = ALL, *, sort: str = "code", descending: bool = False
) -> ParcelList:
    """Every register parcel matching the filters, in the list's order, as the parcel list of the reports
    (``reports.output.parcels_bytes`` writes it as xlsx, csv or json). At most ``MAX_EXPORT`` rows."""
    order = _order(sort, descending)
    with reading(ctx.engine) as session:
        rows = session.scalars(
            select(ReserveParcelRow).where(*where.conditions()).order_by(*order).limit(MAX_EXPORT + 1),
            where.params(),
        ).all()
    if len(rows) > MAX_EXPORT:
        raise InputError(
            f"符合条件的地块超过 {MAX_EXPORT} 宗，请加筛选条件后再导出", code="input.export_too_large"
        )
    meta = PlanMeta(title="储备库登记地块", jurisdiction="", year=None, version=0, status=where.described())
    return ParcelList(meta, tuple(
        ListRow(
            serial=i, code=r.code, location=r.location or "", area_m2=r.area_m2 or Decimal(0),
            land_use=r.land_use or UNKNOWN, zone=r.zone or UNKNOWN,
            source=SOURCE_LABELS[Source(r.source)] if r.source else UNKNOWN, stock=stock_label(r.stock),
            state=STATE_LABELS[State(r.state)],
        )
        for i, r in enumerate(rows, start=1)
    ))  # fmt: skip
