"""The year-end execution report (年度执行情况报告): plan against reality in total, by use, by zone and stock
vs new; the parcels and their states; the year's funds (raised, spent by category, income, repayment) and
coverage ratios; the adjustments of the year; the findings still open.

Built from ``domain.plan_vs_actual.Report`` and the year's ledger entries; every area column and every money
list is rounded once (largest remainder), so the rows of each table add up to its total row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..funds.ledger import CATEGORY_LABELS, Category
from ..plan_vs_actual import MEASURES, Report
from .plan_document import PlanMeta
from .rounding import Area, largest_remainder, ratio_percent, round_half_up, split

WAN = Fraction(10000)
DIMENSIONS = {"by_use": "按用途", "by_zone": "按区域", "by_stock": "存量与新增"}


@dataclass(frozen=True)
class Measure:
    """One line of the execution table: planned, acquired, held at year end, developed, supplied."""

    name: str
    label: str
    area: Area
    count: int
    #: this measure's area as a share of the planned area (完成率), ``None`` for the plan itself
    rate: Decimal | None


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    total: Area
    cells: Mapping[str, Area]
    counts: Mapping[str, int]


@dataclass(frozen=True)
class GroupTable:
    """Plan against reality along one dimension: a column per measure, a row per group, rates per group."""

    dimension: str
    title: str
    groups: tuple[str, ...]
    columns: tuple[Column, ...]
    rates: Mapping[str, Decimal | None]


@dataclass(frozen=True)
class ParcelStatus:
    code: str
    location: str
    ha: Decimal
    land_use: str
    zone: str
    stock: str
    in_plan: bool
    state: str
    since: date | None
    area_m2: Decimal = Decimal(0)

    def moved_in(self, year: int) -> bool:
        """The parcel's state began in ``year`` and is past 拟收储 (entered, developed, supplied, withdrawn)."""
        return self.since is not None and self.since.year == year and self.state not in ("拟收储", "未登记")


@dataclass(frozen=True)
class FundEntry:
    """A ledger entry as the report needs it; ``interest`` is the signed amount on the interest account."""

    number: int
    kind: str
    on: date
    amount: Decimal
    source: str
    category: str
    reverses: int | None = None
    interest: Decimal = Decimal(0)


@dataclass(frozen=True)
class Money:
    """An amount: exact 元 and its 万元 as printed (rounded within its list)."""

    label: str
    yuan: Decimal
    wan: Decimal


@dataclass(frozen=True)
class FundsYear:
    raised: tuple[Money, ...]
    raised_total: Money
    allocated: Money
    spent: tuple[Money, ...]
    spent_total: Money
    income: Money
    topup: Money
    principal: Money
    interest: Money
    #: the plan's stated funds and the share raised in the year (资金到位率)
    stated: Money | None
    raised_rate: Decimal | None


@dataclass(frozen=True)
class Coverage:
    project: str
    expected_income: Money
    debt_service: Money
    ratio: Decimal | None
    bound: Decimal

    @property
    def below(self) -> bool:
        return self.ratio is None or self.ratio < self.bound


@dataclass(frozen=True)
class Adjustment:
    version: int
    approval_no: str
    approved_on: date | None
    reason: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    before: Area
    after: Area


@dataclass(frozen=True)
class OpenFinding:
    source: str
    severity: str
    code: str
    message: str


@dataclass(frozen=True)
class StateLine:
    state: str
    count: int
    area: Area


@dataclass(frozen=True)
class AnnualReport:
    meta: PlanMeta
    year: int
    measures: tuple[Measure, ...]
    tables: tuple[GroupTable, ...]
    planned_stock_share: Decimal | None
    acquired_stock_share: Decimal | None
    acquired_idle_share: Decimal | None
    parcels: tuple[ParcelStatus, ...]
    funds: FundsYear
    coverage: tuple[Coverage, ...]
    adjustments: tuple[Adjustment, ...]
    findings: tuple[OpenFinding, ...]
    out_of_plan: tuple[str, ...]
    not_acquired: tuple[str, ...]
    notes: tuple[str, ...] = ()
    #: the parcels (of the plan and of the register) by their state at year end
    by_state: tuple[StateLine, ...] = ()

    def measure(self, name: str) -> Measure:
        return next(m for m in self.measures if m.name == name)

    def table(self, dimension: str) -> GroupTable:
        return next(t for t in self.tables if t.dimension == dimension)


def _measures(report: Report) -> tuple[Measure, ...]:
    planned = report.figures["planned"].total.area
    out = []
    for name, label in MEASURES.items():
        cell = report.figures[name].total
        rate = None if name == "planned" else ratio_percent(cell.area, planned)
        out.append(Measure(name, label, split(cell.area, [])[0], len(cell.codes), rate))
    return tuple(out)


def _table(report: Report, dimension: str) -> GroupTable:
    groups = sorted(
        {g for f in report.figures.values() for g in getattr(f, dimension)}, key=lambda g: (g == "未注明", g)
    )
    columns = []
    for name, label in MEASURES.items():
        figure = report.figures[name]
        cells = getattr(figure, dimension)
        areas = [cells[g].area if g in cells else Decimal(0) for g in groups]
        total, parts = split(figure.total.area, areas)
        counts = {g: len(cells[g].codes) if g in cells else 0 for g in groups}
        columns.append(Column(name, label, total, dict(zip(groups, parts, strict=True)), counts))
    planned, acquired = (
        getattr(report.figures["planned"], dimension),
        getattr(report.figures["acquired"], dimension),
    )
    rates = {
        g: ratio_percent(acquired[g].area if g in acquired else Decimal(0), planned[g].area)
        if g in planned
        else None
        for g in groups
    }
    return GroupTable(dimension, DIMENSIONS[dimension], tuple(groups), tuple(columns), rates)


def money_list(items: Sequence[tuple[str, Decimal]], total: Decimal) -> tuple[tuple[Money, ...], Money]:
    """Amounts and their total, in 万元 to 0.01, the items adding up to the total as printed."""
    total_wan = round_half_up(Fraction(total) / WAN, 2)
    exact = sum((v for _, v in items), Decimal(0)) == total
    if items and exact and all(v >= 0 for _, v in items):
        wans = largest_remainder([v for _, v in items], WAN, 2, total_wan)
    else:
        wans = [round_half_up(Fraction(v) / WAN, 2) for _, v in items]
    return tuple(Money(n, v, w) for (n, v), w in zip(items, wans, strict=True)), Money(
        "合计", total, total_wan
    )


def money(label: str, yuan: Decimal) -> Money:
    return Money(label, yuan, round_half_up(Fraction(yuan) / WAN, 2))


def _signed(entries: Sequence[FundEntry], year: int) -> list[tuple[str, FundEntry, int]]:
    """The year's entries as (effective kind, entry, sign): a reversal counts against what it reverses,
    in the year it is booked."""
    kinds = {e.number: e.kind for e in entries}
    out = []
    for e in entries:
        if e.on.year != year:
            continue
        if e.kind == "reversal":
            out.append((kinds.get(e.reverses, "") if e.reverses is not None else "", e, -1))
        else:
            out.append((e.kind, e, 1))
    return out


def funds_year(
    entries: Sequence[FundEntry], year: int, source_labels: Mapping[str, str], stated: Decimal | None
) -> FundsYear:
    """The year's money: raised by source, allocated, spent by category, income, top-ups, repayment."""
    signed = _signed(entries, year)
    total = lambda kind: sum((s * e.amount for k, e, s in signed if k == kind), Decimal(0))  # noqa: E731
    raised: dict[str, Decimal] = {}
    spent: dict[str, Decimal] = {}
    interest = Decimal(0)
    for kind, e, sign in signed:
        if kind == "raise":
            raised[e.source] = raised.get(e.source, Decimal(0)) + sign * e.amount
        elif kind == "pay":
            spent[e.category] = spent.get(e.category, Decimal(0)) + sign * e.amount
        elif kind == "repay":
            interest += e.interest  # already signed by its postings
    raised_items = [(f"{c}（{source_labels.get(c, '')}）", v) for c, v in sorted(raised.items()) if v]
    order = {c.value: i for i, c in enumerate(Category)}
    spent_items = [
        (CATEGORY_LABELS.get(Category(c), c) if c in order else c, v)
        for c, v in sorted(spent.items(), key=lambda kv: order.get(kv[0], 99))
        if v
    ]
    raised_money, raised_total = money_list(raised_items, total("raise"))
    spent_money, spent_total = money_list(spent_items, total("pay"))
    repaid = total("repay")
    return FundsYear(
        raised=raised_money, raised_total=raised_total, allocated=money("资金分配", total("allocate")),
        spent=spent_money, spent_total=spent_total, income=money("土地出让收入", total("income")),
        topup=money("补充偿债资金", total("topup")), principal=money("偿还本金", repaid - interest),
        interest=money("支付利息", interest), stated=money("计划资金总量", stated) if stated is not None else None,
        raised_rate=ratio_percent(total("raise"), stated) if stated else None,
    )  # fmt: skip


def _by_state(parcels: Sequence[ParcelStatus]) -> tuple[StateLine, ...]:
    groups: dict[str, list[ParcelStatus]] = {}
    for p in parcels:
        groups.setdefault(p.state, []).append(p)
    names = list(groups)
    areas = [sum((p.area_m2 for p in groups[n]), Decimal(0)) for n in names]
    _, rounded = split(sum(areas, Decimal(0)), areas)
    return tuple(StateLine(n, len(groups[n]), a) for n, a in zip(names, rounded, strict=True))


def annual_report(
    meta: PlanMeta,
    report: Report,
    parcels: Sequence[ParcelStatus],
    funds: FundsYear,
    coverage: Sequence[Coverage] = (),
    adjustments: Sequence[Adjustment] = (),
    findings: Sequence[OpenFinding] = (),
) -> AnnualReport:
    """The execution report of ``report.year`` from plan-vs-actual, the parcels, the year's funds …"""
    return AnnualReport(
        meta=meta, year=report.year, measures=_measures(report),
        tables=tuple(_table(report, d) for d in DIMENSIONS),
        planned_stock_share=report.planned_stock_share, acquired_stock_share=report.acquired_stock_share,
        acquired_idle_share=report.acquired_idle_share, parcels=tuple(parcels), funds=funds,
        coverage=tuple(coverage), adjustments=tuple(adjustments), findings=tuple(findings),
        out_of_plan=report.out_of_plan, not_acquired=report.not_acquired, notes=report.notes,
        by_state=_by_state(parcels),
    )  # fmt: skip
