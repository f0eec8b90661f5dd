"""Project balance (融资收益平衡): expected land-sale income, coverage ratio, cash flow and sensitivity.

Definitions (a spreadsheet reproduces them):

- expected income of a parcel = area (㎡) × expected price of its use (元/㎡) × scenario factor, rounded
  half-up to the 分 per parcel; it arrives in the parcel's expected supply year (+ a scenario delay);
- debt service = principal + all interest of the schedules (``bonds.schedule``) of every bond of the
  subject (a project may be financed by several bonds, each with its own terms);
- coverage ratio (本息覆盖倍数) = expected income arriving no later than the last maturity year ÷ debt
  service (income after maturity cannot repay the bonds, it is shown in the cash flow but not counted);
  issue costs are not part of it (they are paid from the proceeds) but are an outflow of the cash flow;
- cash flow, per calendar year from the first issue year to the later of the last maturity and the last
  income: net = income − interest − principal − issue costs, cumulative = running sum of net;
- allocation of the income to the bonds (偿债顺序): the bonds in the order they mature (earliest first; at
  the same date in the order the project lists them); each takes the income arriving no later than its
  maturity year that the bonds before it did not take, up to its own principal and interest; what is left
  at the end is the surplus (结余), what a bond lacks its shortfall (缺口).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..findings import Finding, Severity
from .bonds import BondTerms, debt_service, yearly_debt_service
from .money import ZERO, format_ratio, format_yuan, round_fen, round_fraction


@dataclass(frozen=True)
class ParcelIncome:
    """Expected income of one parcel: its area, use, the price of that use and where the price comes from."""

    code: str
    area_m2: Decimal | None
    use: str | None
    price_per_m2: Decimal | None
    price_basis: str | None
    supply_year: int | None
    #: the part of the parcel's income counted (a bond's pro-rata part of a project with several bonds)
    share: Fraction = Fraction(1)

    def expected(self, factor: Fraction = Fraction(1)) -> Decimal:
        if self.area_m2 is None or self.price_per_m2 is None:
            return ZERO
        return round_fen(Fraction(self.area_m2) * Fraction(self.price_per_m2) * factor * self.share)


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    income_factor: Fraction = Fraction(1)
    delay_years: int = 0
    rate_points: Decimal = Decimal(0)
    #: the N+M call of callable bonds exercised (redeemed after N years)
    called: bool = False

    def apply(self, terms: BondTerms) -> BondTerms:
        return terms.with_rate_shift(self.rate_points).with_call(self.called)


SCENARIOS = (
    Scenario("base", "基准"),
    Scenario("income_-10", "收入下降10%", income_factor=Fraction(9, 10)),
    Scenario("income_-20", "收入下降20%", income_factor=Fraction(8, 10)),
    Scenario("income_-30", "收入下降30%", income_factor=Fraction(7, 10)),
    Scenario("delay_1", "供地推迟1年", delay_years=1),
    Scenario("delay_2", "供地推迟2年", delay_years=2),
    Scenario("rate_+1", "利率上升1个百分点", rate_points=Decimal(1)),
)
#: added to the sensitivity table when a bond of the subject is callable (N+M)
CALLED = Scenario("called", "提前赎回行权", called=True)
ALL_SCENARIOS = (*SCENARIOS, CALLED)


@dataclass(frozen=True)
class CashFlowYear:
    year: int
    interest: Decimal
    principal: Decimal
    income: Decimal
    net: Decimal
    cumulative: Decimal
    issue_costs: Decimal = ZERO


@dataclass(frozen=True)
class BondAllocation:
    """One bond of the subject in repayment order: its debt service and the income allocated to it."""

    code: str
    maturity: date
    principal: Decimal
    interest: Decimal
    allocated: Decimal

    @property
    def debt_service(self) -> Decimal:
        return self.principal + self.interest

    @property
    def shortfall(self) -> Decimal:
        return self.debt_service - self.allocated


@dataclass(frozen=True)
class Balance:
    """The balance of a project or a bond under one scenario."""

    subject: str
    scenario: Scenario
    expected_income: Decimal
    income_within_term: Decimal
    principal: Decimal
    interest: Decimal
    ratio: Fraction | None
    bound: Decimal
    cash_flow: tuple[CashFlowYear, ...]
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    bonds: tuple[BondAllocation, ...] = ()
    issue_costs: Decimal = ZERO
    #: income within the term left after every bond took its principal and interest
    surplus: Decimal = ZERO

    @property
    def debt_service(self) -> Decimal:
        return self.principal + self.interest

    @property
    def below_bound(self) -> bool:
        return self.ratio is None or self.ratio < Fraction(self.bound)

    @property
    def lowest_cumulative(self) -> Decimal:
        return min((row.cumulative for row in self.cash_flow), default=ZERO)


def income_by_year(parcels: list[ParcelIncome], scenario: Scenario) -> dict[int, Decimal]:
    """Calendar year → expected income arriving that year under the scenario."""
    years: dict[int, Decimal] = {}
    for parcel in parcels:
        if parcel.supply_year is None:
            continue
        year = parcel.supply_year + scenario.delay_years
        years[year] = years.get(year, ZERO) + parcel.expected(scenario.income_factor)
    return years


def _bonds(terms: BondTerms | Sequence[BondTerms]) -> list[BondTerms]:
    return [terms] if isinstance(terms, BondTerms) else list(terms)


def cash_flow(
    terms: BondTerms | Sequence[BondTerms], parcels: list[ParcelIncome], scenario: Scenario = SCENARIOS[0]
) -> list[CashFlowYear]:
    """Year-by-year interest, principal, issue costs, income, net and cumulative net over all the bonds."""
    bonds = [scenario.apply(t) for t in _bonds(terms)]
    service: dict[int, tuple[Decimal, Decimal]] = {}
    for bond in bonds:
        for year, (i, p) in yearly_debt_service(bond).items():
            a, b = service.get(year, (ZERO, ZERO))
            service[year] = (a + i, b + p)
    costs: dict[int, Decimal] = {}
    for bond in bonds:
        costs[bond.issue_date.year] = costs.get(bond.issue_date.year, ZERO) + bond.issue_cost
    income = income_by_year(parcels, scenario)
    first = min(b.issue_date.year for b in bonds)
    last = max([*(b.maturity.year for b in bonds), *income])
    rows, cumulative = [], ZERO
    for year in range(first, last + 1):
        interest, principal = service.get(year, (ZERO, ZERO))
        cash_in, cost = income.get(year, ZERO), costs.get(year, ZERO)
        net = cash_in - interest - principal - cost
        cumulative += net
        rows.append(CashFlowYear(year, interest, principal, cash_in, net, cumulative, cost))
    return rows


def coverage_ratio(income: Decimal, service: Decimal) -> Fraction | None:
    """本息覆盖倍数 as an exact fraction (``None`` when there is nothing to cover)."""
    return Fraction(income) / Fraction(service) if service else None


def repayment_order(terms: Sequence[BondTerms]) -> list[BondTerms]:
    """The bonds in the order their income is allocated: by maturity, then as listed."""
    return [t for _, t in sorted(enumerate(terms), key=lambda it: (it[1].maturity, it[0]))]


def allocate_income(
    terms: Sequence[BondTerms], by_year: dict[int, Decimal]
) -> tuple[list[BondAllocation], Decimal]:
    """Income allocated to each bond in repayment order (see the module text), and the surplus."""
    result, taken = [], ZERO
    for bond in repayment_order(terms):
        principal, interest = debt_service(bond)
        arrived = sum((v for y, v in by_year.items() if y <= bond.maturity.year), ZERO)
        share = max(ZERO, min(principal + interest, arrived - taken))
        taken += share
        result.append(BondAllocation(bond.code, bond.maturity, principal, interest, share))
    last = max(t.maturity.year for t in terms)
    within = sum((v for y, v in by_year.items() if y <= last), ZERO)
    return result, within - taken


def balance(
    subject: str,
    terms: BondTerms | Sequence[BondTerms],
    parcels: list[ParcelIncome],
    bound: Decimal,
    scenario: Scenario = SCENARIOS[0],
) -> Balance:
    """The balance of ``subject`` (a project or a bond) financed by ``terms`` (one bond or several) under
    ``scenario``."""
    bonds = [scenario.apply(t) for t in _bonds(terms)]
    by_year = income_by_year(parcels, scenario)
    allocation, surplus = allocate_income(bonds, by_year)
    principal = sum((a.principal for a in allocation), ZERO)
    interest = sum((a.interest for a in allocation), ZERO)
    last = max(b.maturity.year for b in bonds)
    within = sum((v for y, v in by_year.items() if y <= last), ZERO)
    expected = sum((p.expected(scenario.income_factor) for p in parcels), ZERO)
    result = Balance(
        subject,
        scenario,
        expected,
        within,
        principal,
        interest,
        coverage_ratio(within, principal + interest),
        bound,
        tuple(cash_flow(_bonds(terms), parcels, scenario)),
        bonds=tuple(allocation),
        issue_costs=sum((b.issue_cost for b in bonds), ZERO),
        surplus=surplus,
    )
    return replace(result, findings=tuple(balance_findings(result, parcels)))


def scenarios_for(terms: BondTerms | Sequence[BondTerms]) -> tuple[Scenario, ...]:
    """The scenarios of the sensitivity table: :data:`SCENARIOS`, and the call exercised when a bond is callable."""
    callable_ = any(t.call_after_years for t in _bonds(terms))
    return ALL_SCENARIOS if callable_ else SCENARIOS


def sensitivity(
    subject: str, terms: BondTerms | Sequence[BondTerms], parcels: list[ParcelIncome], bound: Decimal
) -> list[Balance]:
    """The balance under every scenario of :func:`scenarios_for`."""
    return [balance(subject, terms, parcels, bound, scenario) for scenario in scenarios_for(terms)]


def ratio_text(ratio: Fraction | None, bound: Decimal | None = None, places: int = 2) -> str:
    """A ratio with enough decimals that it never reads as equal to the bound it is compared with: a ratio
    of 1.19996 against 1.2 is ``'1.19996'``, not ``'1.20'`` (at most 8 decimals, then ``'<'``/``'>'``)."""
    if ratio is None:
        return "—"
    if bound is None:
        return format_ratio(ratio, places)
    target = Fraction(bound)
    for digits in range(places, 9):
        shown = Fraction(round_fraction(ratio, digits))
        if (shown < target) == (ratio < target) and (shown == target) == (ratio == target):
            return format_ratio(ratio, digits)
    return ("<" if ratio < target else ">") + format_ratio(ratio, 8)


def balance_findings(result: Balance, parcels: list[ParcelIncome]) -> list[Finding]:
    """Findings: coverage below the bound, parcels without price, area or supply year."""
    findings = [
        _missing(p) for p in parcels if p.area_m2 is None or p.price_per_m2 is None or p.supply_year is None
    ]
    if result.below_bound:
        findings.append(_coverage_finding(result))
    return findings


def _coverage_finding(result: Balance) -> Finding:
    severity = Severity.ERROR if result.ratio is None or result.ratio < 1 else Severity.WARNING
    return Finding(
        code="funds.coverage_below_bound",
        severity=severity,
        message=(
            f"{result.subject}（{result.scenario.label}）本息覆盖倍数 {ratio_text(result.ratio, result.bound)}，低于要求的 "
            f"{result.bound}：期内预期收入 {format_yuan(result.income_within_term)} 元，本息合计 "
            f"{format_yuan(result.debt_service)} 元；请核实预期收入或调整融资规模"
        ),
        values={
            "ratio": format_ratio(result.ratio, 8),
            "bound": str(result.bound),
            "income_within_term": str(result.income_within_term),
            "debt_service": str(result.debt_service),
        },
    )


def _missing(parcel: ParcelIncome) -> Finding:
    gaps = [
        name
        for name, value in (
            ("面积", parcel.area_m2),
            ("预期单价", parcel.price_per_m2),
            ("预计供地年度", parcel.supply_year),
        )
        if value is None
    ]
    return Finding(
        code="funds.parcel_income_incomplete",
        severity=Severity.WARNING,
        message=f"地块 {parcel.code}（用途 {parcel.use or '未填'}）缺少{'、'.join(gaps)}，其预期收入按 0 计；请补充",
        values={"parcel": parcel.code},
    )


@dataclass(frozen=True)
class BreakEven:
    """The price of one use (others unchanged) at which the base ratio reaches 1.0 and the bound."""

    use: str
    area_within_term: Decimal
    current_price: Decimal | None
    #: lowest price in 元/㎡ (to the 分) reaching ratio 1.0 / the bound; ``ZERO`` when the other uses
    #: already reach it without this one; ``None`` when no parcel of the use arrives within the term
    price_for_one: Decimal | None
    price_for_bound: Decimal | None


def break_even(
    terms: BondTerms | Sequence[BondTerms], parcels: list[ParcelIncome], bound: Decimal
) -> list[BreakEven]:
    """For every use of the parcels, the expected price per ㎡ at which the base coverage ratio reaches 1.0
    and the bound, the other uses' prices unchanged. Solved exactly on unrounded income, then raised to the
    first price in 分 whose income (rounded per parcel, as the balance rounds it) reaches the target."""
    bonds = _bonds(terms)
    last = max(b.maturity.year for b in bonds)
    principal, interest = ZERO, ZERO
    for bond in bonds:
        p, i = debt_service(bond)
        principal, interest = principal + p, interest + i
    service = principal + interest
    within = [p for p in parcels if p.supply_year is not None and p.supply_year <= last]
    result = []
    for use in sorted({p.use for p in parcels if p.use}):
        own = [p for p in within if p.use == use and p.area_m2 is not None]
        others = sum((p.expected() for p in within if p.use != use), ZERO)
        prices = {p.price_per_m2 for p in parcels if p.use == use and p.price_per_m2 is not None}
        area = sum((Fraction(p.area_m2 or 0) * p.share for p in own), Fraction(0))
        result.append(
            BreakEven(
                use,
                round_fen(area),
                prices.pop() if len(prices) == 1 else None,
                _price_for(Fraction(1), service, others, own, area),
                _price_for(Fraction(bound), service, others, own, area),
            )
        )
    return result


def _price_for(
    target: Fraction, service: Decimal, others: Decimal, own: list[ParcelIncome], area: Fraction
) -> Decimal | None:
    if not own or area == 0:
        return None
    needed = target * Fraction(service) - Fraction(others)
    if needed <= 0:
        return ZERO
    cents = Fraction(needed) * 100 / area
    price = Decimal(-(-cents // 1)).scaleb(-2)  # rounded up to the 分
    while sum((replace(p, price_per_m2=price).expected() for p in own), ZERO) + others < target * Fraction(
        service
    ):
        price += Decimal("0.01")
    while price > 0:
        lower = price - Decimal("0.01")
        if sum((replace(p, price_per_m2=lower).expected() for p in own), ZERO) + others < target * Fraction(
            service
        ):
            break
        price = lower
    return price.quantize(Decimal("0.01"))
