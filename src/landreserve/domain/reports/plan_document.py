"""The figures of a plan document, from the plan version's parcels: scale (公顷 and 亩, count, stock and
new), structure by land use (area and share), layout by zone, the parcel list and the funds.

Every figure is computed from the unrounded ㎡ of the parcels and rounded once (``rounding``): the uses
and the zones each add up to the total, the shares to 100.00 %, and each 亩 agrees with its 公顷.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..plan_versions import UNKNOWN, VersionParcel
from ..register import SOURCE_LABELS, stock_label
from .chain_head import ChainHead
from .narrative import Narrative
from .rounding import Area, parcel_ha, shares, split


@dataclass(frozen=True)
class PlanMeta:
    """What identifies the plan version a document is generated from."""

    title: str
    jurisdiction: str
    year: int | None
    version: int
    status: str
    approval_no: str | None = None
    approved_on: date | None = None
    approving_body: str | None = None
    reason: str | None = None
    doc_number: str | None = None
    #: the history chain's head when the report was made (printed at its end)
    head: ChainHead | None = None


@dataclass(frozen=True)
class Part:
    """One use or zone of the plan: its area, its share of the total, its parcels."""

    name: str
    area: Area
    share: Decimal
    count: int


@dataclass(frozen=True)
class ParcelLine:
    """One row of the parcel list (areas: unrounded ㎡, 公顷 to 4 decimals as plans print them)."""

    serial: int
    code: str
    location: str
    area_m2: Decimal
    ha: Decimal
    land_use: str
    zone: str
    stock: str
    source: str


@dataclass(frozen=True)
class PlanReport:
    meta: PlanMeta
    total: Area
    count: int
    #: stock and new land (``None`` when no parcel's stock is known)
    stock: Area | None
    new: Area | None
    by_use: tuple[Part, ...]
    by_zone: tuple[Part, ...]
    parcels: tuple[ParcelLine, ...]
    #: the plan's funds in 元 (as the stored plan states them), ``None`` when it states none
    funds: Decimal | None
    narrative: Narrative = field(default_factory=Narrative)

    @property
    def stock_complete(self) -> bool:
        """Every parcel's stock/new is known, so stock + new make the total."""
        return self.stock is not None and self.new is not None


def _parts(parcels: Sequence[VersionParcel], key, total_m2: Decimal) -> tuple[Part, ...]:
    groups: dict[str, list[VersionParcel]] = {}
    for p in parcels:
        groups.setdefault(key(p) or UNKNOWN, []).append(p)
    areas = {name: sum((p.area_m2 or Decimal(0) for p in ps), Decimal(0)) for name, ps in groups.items()}
    # largest first, as plans list them; a name breaks ties so that the order never depends on input order
    names = sorted(areas, key=lambda n: (n == UNKNOWN, -areas[n], n))
    _, rounded = split(total_m2, [areas[n] for n in names])
    percent = shares([areas[n] for n in names], total_m2)
    return tuple(Part(n, a, s, len(groups[n])) for n, a, s in zip(names, rounded, percent, strict=True))


def _stock(parcels: Sequence[VersionParcel], total_m2: Decimal) -> tuple[Area | None, Area | None]:
    known = [p for p in parcels if p.stock is not None]
    if not known:
        return None, None
    stock = sum((p.area_m2 or Decimal(0) for p in known if p.stock), Decimal(0))
    new = sum((p.area_m2 or Decimal(0) for p in known if not p.stock), Decimal(0))
    _, (stock_area, new_area) = split(total_m2, [stock, new])
    return stock_area, (new_area if len(known) == len(parcels) else None)


def _line(serial: int, p: VersionParcel) -> ParcelLine:
    m2 = p.area_m2 or Decimal(0)
    return ParcelLine(
        serial, p.code, p.location or "", m2, parcel_ha(m2), p.land_use or UNKNOWN, p.zone or UNKNOWN,
        stock_label(p.stock), SOURCE_LABELS[p.source] if p.source else UNKNOWN,
    )  # fmt: skip


def plan_report(
    meta: PlanMeta,
    parcels: Sequence[VersionParcel],
    funds: Decimal | None,
    narrative: Narrative | None = None,
) -> PlanReport:
    """The plan document's figures from the version's parcels (in list order) and its stated funds."""
    total_m2 = sum((p.area_m2 or Decimal(0) for p in parcels), Decimal(0))
    total, _ = split(total_m2, [])
    stock, new = _stock(parcels, total_m2)
    default = Narrative.default(meta.jurisdiction, meta.year)
    return PlanReport(
        meta=meta,
        total=total,
        count=len(parcels),
        stock=stock,
        new=new,
        by_use=_parts(parcels, lambda p: p.land_use, total_m2),
        by_zone=_parts(parcels, lambda p: p.zone, total_m2),
        parcels=tuple(_line(i, p) for i, p in enumerate(parcels, start=1)),
        funds=funds,
        narrative=(narrative or Narrative()).merged(default),
    )
