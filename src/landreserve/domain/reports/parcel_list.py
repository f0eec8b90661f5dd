"""The parcel list attachment (储备地块清单): one row per parcel of the plan version with its state in the
register, and the groups (zones, uses) that the sheets and totals are made of. Areas stay unrounded (㎡,
exact 公顷 and 亩); the spreadsheet rounds only in its number formats, so its formulas add what it shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..lifecycle import STATE_LABELS, State
from ..plan_versions import UNKNOWN, VersionParcel
from ..register import SOURCE_LABELS, stock_label
from .plan_document import PlanMeta

NOT_REGISTERED = "未登记"
#: the columns of the list: key → Chinese header
COLUMNS = {
    "serial": "序号",
    "code": "地块编号",
    "location": "土地坐落",
    "ha": "面积（公顷）",
    "mu": "面积（亩）",
    "land_use": "用途",
    "zone": "区域",
    "source": "来源",
    "stock": "存量/新增",
    "state": "状态",
}


@dataclass(frozen=True)
class ListRow:
    serial: int
    code: str
    location: str
    area_m2: Decimal
    land_use: str
    zone: str
    source: str
    stock: str
    state: str

    @property
    def ha(self) -> Decimal:
        """Exact 公顷 (㎡ ÷ 10,000 terminates)."""
        return self.area_m2 / Decimal(10000)

    @property
    def mu(self) -> Decimal:
        """Exact 亩 (㎡ × 15 ÷ 10,000 terminates)."""
        return self.area_m2 * 15 / Decimal(10000)

    def value(self, key: str) -> object:
        return getattr(self, key)


@dataclass(frozen=True)
class ParcelList:
    meta: PlanMeta
    rows: tuple[ListRow, ...]

    @property
    def total_m2(self) -> Decimal:
        return sum((r.area_m2 for r in self.rows), Decimal(0))

    def groups(self, key: str) -> dict[str, tuple[ListRow, ...]]:
        """Rows by ``zone`` or ``land_use`` (names sorted, 未注明 last)."""
        out: dict[str, list[ListRow]] = {}
        for row in self.rows:
            out.setdefault(str(row.value(key)), []).append(row)
        return {name: tuple(out[name]) for name in sorted(out, key=lambda n: (n == UNKNOWN, n))}


def parcel_list(meta: PlanMeta, parcels: Sequence[VersionParcel], states: Mapping[str, State]) -> ParcelList:
    """The list of the version's parcels (in plan order) with their register state (未登记 when none)."""
    rows = tuple(
        ListRow(
            serial=i,
            code=p.code,
            location=p.location or "",
            area_m2=p.area_m2 or Decimal(0),
            land_use=p.land_use or UNKNOWN,
            zone=p.zone or UNKNOWN,
            source=SOURCE_LABELS[p.source] if p.source else UNKNOWN,
            stock=stock_label(p.stock),
            state=STATE_LABELS[states[p.code]] if p.code in states else NOT_REGISTERED,
        )  # fmt: skip
        for i, p in enumerate(parcels, start=1)
    )
    return ParcelList(meta, rows)
