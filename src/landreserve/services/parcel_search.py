"""The register as a list: search by code or location, filter by state, use and zone, sort, one page at a
time. Read-only; the filters are bound parameters (a search string is text, never SQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Float, cast, select

from ..domain.lifecycle import STATE_LABELS, State, parse_state
from ..domain.plan_versions import UNKNOWN
from ..domain.register import SOURCE_LABELS, Source, stock_label
from ..domain.reports.parcel_list import ListRow, ParcelList
from ..domain.reports.plan_document import PlanMeta
from ..errors import InputError
from ..storage.db import reading
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


def _filters(q, state, use, zone, sort: str, descending: bool) -> tuple[list, list]:
    """The WHERE conditions and ORDER BY of a list request (the page and the export share them)."""
    if sort not in SORTS:
        known = "、".join(f"{k}（{v}）" for k, v in SORT_LABELS.items())
        raise InputError(f"排序字段“{sort}”无效，可选：{known}", code="input.sort")
    conditions = []
    if q and q.strip():
        pattern = _like(q.strip())
        conditions.append(
            ReserveParcelRow.code.ilike(pattern, escape="\\")
            | ReserveParcelRow.location.ilike(pattern, escape="\\")
        )
    if state:
        conditions.append(ReserveParcelRow.state == parse_state(state).value)
    if use:
        conditions.append(ReserveParcelRow.land_use == use)
    if zone:
        conditions.append(ReserveParcelRow.zone == zone)
    column = SORTS[sort]
    order = [column.desc() if descending else column.asc()]
    if sort != "code":
        order.append(ReserveParcelRow.code.asc())
    return conditions, order


@dataclass(frozen=True)
class Totals:
    """What a list shows besides its page: how many parcels match and their exact total area, and the
    values the filters offer. It reads every matching row (the sum is exact, in Python: areas are exact
    text on SQLite), so the web layer keeps it until the data changes (``web.cache``)."""

    total: int
    area_m2: Decimal
    uses: list[str]
    zones: list[str]


def totals(
    ctx: Context, *, q: str | None = None, state: str | State | None = None, use: str | None = None,
    zone: str | None = None,
) -> Totals:  # fmt: skip
    conditions, _ = _filters(q, state, use, zone, "code", False)
    with reading(ctx.engine) as session:
        areas = list(session.scalars(select(ReserveParcelRow.area_m2).where(*conditions)))
        uses = sorted(u for u in session.scalars(select(ReserveParcelRow.land_use).distinct()) if u)
        zones = sorted(z for z in session.scalars(select(ReserveParcelRow.zone).distinct()) if z)
    return Totals(len(areas), sum((a for a in areas if a is not None), Decimal(0)), uses, zones)


def search(
    ctx: Context,
    *,
    q: str | None = None,
    state: str | State | None = None,
    use: str | None = None,
    zone: str | None = None,
    sort: str = "code",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
    known: Totals | None = None,
) -> ParcelPage:
    """One page of register parcels matching every given filter.

    ``q`` matches part of the code or of the location (case-insensitive); ``state`` is a state's value or
    Chinese name; ``use``/``zone`` match exactly. ``InputError`` (Chinese) for an unknown sort key or state.
    ``known``: the ``totals`` of the same filters, when the caller kept them (else they are read here).
    """
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"每页条数应在 1 到 {MAX_PER_PAGE} 之间（现为 {per_page}）", code="input.per_page")
    page = max(1, page)
    conditions, order = _filters(q, state, use, zone, sort, descending)
    counted = known or totals(ctx, q=q, state=state, use=use, zone=zone)
    total, area, uses, zones = counted.total, counted.area_m2, counted.uses, counted.zones
    with reading(ctx.engine) as session:
        r = ReserveParcelRow
        rows = session.execute(  # plain columns, no ORM objects (a page is read on every request)
            select(r.code, r.location, r.area_m2, r.land_use, r.zone, r.state, r.state_since)
            .where(*conditions).order_by(*order).limit(per_page).offset((page - 1) * per_page)
        ).all()  # fmt: skip
        codes = [r.code for r in rows]
        bounded = set(
            session.scalars(
                select(ParcelGeometryRow.code).where(
                    ParcelGeometryRow.code.in_(codes), ParcelGeometryRow.superseded_at.is_(None)
                )
            )
        ) if codes else set()  # fmt: skip
    items = [
        ListedParcel(
            r.code,
            r.location,
            r.area_m2,
            r.land_use,
            r.zone,
            State(r.state),
            r.state_since,
            r.code in bounded,
        )  # fmt: skip
        for r in rows
    ]
    return ParcelPage(items, total, area, page, per_page, uses, zones)


def listing(
    ctx: Context,
    *,
    q: str | None = None,
    state: str | State | None = None,
    use: str | None = None,
    zone: str | None = None,
    sort: str = "code",
    descending: bool = False,
) -> ParcelList:
    """Every register parcel matching the filters, in the list's order, as the parcel list of the reports
    (``reports.output.parcels_bytes`` writes it as xlsx, csv or json). At most ``MAX_EXPORT`` rows."""
    conditions, order = _filters(q, state, use, zone, sort, descending)
    with reading(ctx.engine) as session:
        rows = session.scalars(
            select(ReserveParcelRow).where(*conditions).order_by(*order).limit(MAX_EXPORT + 1)
        ).all()
    if len(rows) > MAX_EXPORT:
        raise InputError(
            f"符合条件的地块超过 {MAX_EXPORT} 宗，请加筛选条件后再导出", code="input.export_too_large"
        )
    chosen = [f"“{v}”" for v in (q, use, zone) if v] + (
        [f"状态“{STATE_LABELS[parse_state(state)]}”"] if state else []
    )
    meta = PlanMeta(title="储备库登记地块", jurisdiction="", year=None, version=0,
                    status="筛选：" + "、".join(chosen) if chosen else "全部")  # fmt: skip
    return ParcelList(meta, tuple(
        ListRow(
            serial=i, code=r.code, location=r.location or "", area_m2=r.area_m2 or Decimal(0),
            land_use=r.land_use or UNKNOWN, zone=r.zone or UNKNOWN,
            source=SOURCE_LABELS[Source(r.source)] if r.source else UNKNOWN, stock=stock_label(r.stock),
            state=STATE_LABELS[State(r.state)],
        )
        for i, r in enumerate(rows, start=1)
    ))  # fmt: skip
