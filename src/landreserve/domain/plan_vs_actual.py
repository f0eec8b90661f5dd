"""Plan against reality for one plan year: planned vs acquired, held, developed, supplied, with the parcels.

Definitions (all by the effective date of the state change):
- acquired (入库): entered the reserve during the year;
- in reserve (年末在库): held (入库储备, 前期开发 or 管护/临时利用) on the last day of the year;
- developed (完成前期开发): left 前期开发 for 管护/临时利用 or 供应 during the year;
- supplied (供应出库): supplied during the year.
Each figure is broken down by land use, by zone and by stock/new land; each cell lists its parcels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .lifecycle import HELD_STATES, State
from .plan_versions import UNKNOWN, VersionParcel
from .register import ParcelFacts, stock_label

MEASURES = {
    "planned": "计划储备",
    "acquired": "实际入库",
    "in_reserve": "年末在库",
    "developed": "完成前期开发",
    "supplied": "供应出库",
}


@dataclass(frozen=True)
class StateChange:
    from_state: State | None
    to_state: State
    on: date


@dataclass(frozen=True)
class ActualParcel:
    """A register parcel with its facts and its state changes."""

    facts: ParcelFacts
    changes: tuple[StateChange, ...]

    def state_on(self, day: date) -> State | None:
        """State at the end of ``day`` (``None`` before the parcel existed in the register)."""
        state = None
        for change in self.changes:  # in the order they happened (their dates never go back)
            if change.on <= day:
                state = change.to_state
        return state

    def changed_in(self, year: int, test: Callable[[StateChange], bool]) -> bool:
        return any(c.on.year == year and test(c) for c in self.changes)


@dataclass(frozen=True)
class Row:
    """A parcel reduced to what the figures need."""

    code: str
    area: Decimal
    land_use: str
    zone: str
    stock: str
    idle_or_inefficient: bool


@dataclass(frozen=True)
class Cell:
    area: Decimal
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    """One measure (planned, acquired …) in total and broken down."""

    name: str
    label: str
    total: Cell
    by_use: dict[str, Cell]
    by_zone: dict[str, Cell]
    by_stock: dict[str, Cell]


@dataclass(frozen=True)
class Report:
    year: int
    figures: dict[str, Figure]
    planned_stock_share: Decimal | None
    acquired_stock_share: Decimal | None
    acquired_idle_share: Decimal | None
    out_of_plan: tuple[str, ...]
    not_acquired: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


def _row(f: ParcelFacts) -> Row:
    """A planned or registered parcel reduced to what the figures need."""
    return Row(
        f.code, f.area_m2 or Decimal(0), f.land_use or UNKNOWN, f.zone or UNKNOWN, stock_label(f.stock),
        f.idle_or_inefficient,
    )  # fmt: skip


def _cell(rows: Sequence[Row]) -> Cell:
    return Cell(sum((r.area for r in rows), Decimal(0)), tuple(sorted(r.code for r in rows)))


def _group(rows: Sequence[Row], key: Callable[[Row], str]) -> dict[str, Cell]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {name: _cell(groups[name]) for name in sorted(groups)}


def _figure(name: str, rows: Sequence[Row]) -> Figure:
    return Figure(
        name,
        MEASURES[name],
        _cell(rows),
        _group(rows, lambda r: r.land_use),
        _group(rows, lambda r: r.zone),
        _group(rows, lambda r: r.stock),
    )


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to 0.01 (``None`` when ``whole`` is zero)."""
    return None if whole == 0 else (part * 100 / whole).quantize(Decimal("0.01"))


def _selected(actual: Sequence[ActualParcel], year: int) -> dict[str, list[Row]]:
    year_end = date(year, 12, 31)
    pick = lambda test: [_row(a.facts) for a in actual if a.changed_in(year, test)]  # noqa: E731
    return {
        "acquired": pick(lambda c: c.to_state is State.IN_RESERVE),
        "in_reserve": [_row(a.facts) for a in actual if a.state_on(year_end) in HELD_STATES],
        "developed": pick(lambda c: c.from_state is State.DEVELOPING and c.to_state is not State.WITHDRAWN),
        "supplied": pick(lambda c: c.to_state is State.SUPPLIED),
    }


def compare(year: int, planned: Sequence[VersionParcel], actual: Sequence[ActualParcel]) -> Report:
    """Plan vs actual for ``year``: every figure with its parcels, and the stock and idle shares."""
    planned_rows = [_row(p) for p in planned]
    rows = {"planned": planned_rows, **_selected(actual, year)}
    figures = {name: _figure(name, rows[name]) for name in MEASURES}
    acquired = rows["acquired"]
    acquired_area = figures["acquired"].total.area
    planned_codes = {r.code for r in planned_rows}
    acquired_codes = {r.code for r in acquired}
    ever_acquired = {a.facts.code for a in actual if any(c.to_state is State.IN_RESERVE for c in a.changes)}
    return Report(
        year=year,
        figures=figures,
        planned_stock_share=percent(
            sum((r.area for r in planned_rows if r.stock == "存量"), Decimal(0)),
            figures["planned"].total.area,
        ),
        acquired_stock_share=percent(
            sum((r.area for r in acquired if r.stock == "存量"), Decimal(0)), acquired_area
        ),
        acquired_idle_share=percent(
            sum((r.area for r in acquired if r.idle_or_inefficient), Decimal(0)), acquired_area
        ),
        out_of_plan=tuple(sorted(acquired_codes - planned_codes)),
        not_acquired=tuple(sorted(planned_codes - ever_acquired)),
    )
