"""Project balance (融资收益平衡): expected land-sale income, coverage ratio, cash flow and sensitivity.

Definitions (a spreadsheet reproduces them):

- expected income of a parcel = area (㎡) × expected price of its use (元/㎡) × scenario factor, rounded
  half-up to the 分 per parcel; it arrives in the parcel's expected supply year (+ a scenario delay);
- debt service = principal + all interest of the schedule (``bonds.schedule``) over the term;
- coverage ratio (本息覆盖倍数) = expected income arriving no later than the maturity year ÷ debt service
  (income after maturity cannot repay the bond, it is shown in the cash flow but not counted);
- cash flow, per calendar year from the issue year to the later of maturity and the last income:
  net = income − interest − principal, cumulative = running sum of net.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from ..findings import Finding, Severity
from .bonds import BondTerms, debt_service, yearly_debt_service
from .money import ZERO, format_ratio, format_yuan, round_fen


@dataclass(frozen=True)
class ParcelIncome:
    """Expected income of one parcel: its area, use, the price of that use and where the price comes from."""

    code: str
    area_m2: Decimal | None
    use: str | None
    price_per_m2: Decimal | None
    price_basis: str | None
    supply_year: int | None

    def expected(self, factor: Fraction = Fraction(1)) -> Decimal:
        if self.area_m2 is None or self.price_per_m2 is None:
            return ZERO
        return round_fen(Fraction(self.area_m2) * Fraction(self.price_per_m2) * factor)


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    income_factor: Fraction = Fraction(1)
    delay_years: int = 0
    rate_points: Decimal = Decimal(0)


SCENARIOS = (
    Scenario("base", "基准"),
    Scenario("income_-10", "收入下降10%", income_factor=Fraction(9, 10)),
    Scenario("income_-20", "收入下降20%", income_factor=Fraction(8, 10)),
    Scenario("income_-30", "收入下降30%", income_factor=Fraction(7, 10)),
    Scenario("delay_1", "供地推迟1年", delay_years=1),
    Scenario("delay_2", "供地推迟2年", delay_years=2),
    Scenario("rate_+1", "利率上升1个百分点", rate_points=Decimal(1)),
)


@dataclass(frozen=True)
class CashFlowYear:
    year: int
    interest: Decimal
    principal: Decimal
    income: Decimal
    net: Decimal
    cumulative: Decimal


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


def cash_flow(
    terms: BondTerms, parcels: list[ParcelIncome], scenario: Scenario = SCENARIOS[0]
) -> list[CashFlowYear]:
    """Year-by-year interest, principal, income, net and cumulative net."""
    service = yearly_debt_service(terms.with_rate_shift(scenario.rate_points))
    income = income_by_year(parcels, scenario)
    last = max([terms.maturity.year, *income])
    rows, cumulative = [], ZERO
    for year in range(terms.issue_date.year, last + 1):
        interest, principal = service.get(year, (ZERO, ZERO))
        cash_in = income.get(year, ZERO)
        net = cash_in - interest - principal
        cumulative += net
        rows.append(CashFlowYear(year, interest, principal, cash_in, net, cumulative))
    return rows


def coverage_ratio(income: Decimal, service: Decimal) -> Fraction | None:
    """本息覆盖倍数 as an exact fraction (``None`` when there is nothing to cover)."""
    return Fraction(income) / Fraction(service) if service else None


def balance(
    subject: str,
    terms: BondTerms,
    parcels: list[ParcelIncome],
    bound: Decimal,
    scenario: Scenario = SCENARIOS[0],
) -> Balance:
    """The balance of ``subject`` (a project or a bond) financed by ``terms`` under ``scenario``."""
    shifted = terms.with_rate_shift(scenario.rate_points)
    principal, interest = debt_service(shifted)
    by_year = income_by_year(parcels, scenario)
    within = sum((v for y, v in by_year.items() if y <= terms.maturity.year), ZERO)
    expected = sum((p.expected(scenario.income_factor) for p in parcels), ZERO)
    ratio = coverage_ratio(within, principal + interest)
    result = Balance(
        subject,
        scenario,
        expected,
        within,
        principal,
        interest,
        ratio,
        bound,
        tuple(cash_flow(terms, parcels, scenario)),
    )
    return replace(result, findings=tuple(balance_findings(result, parcels)))


def sensitivity(subject: str, terms: BondTerms, parcels: list[ParcelIncome], bound: Decimal) -> list[Balance]:
    """The balance under every scenario of :data:`SCENARIOS`."""
    return [balance(subject, terms, parcels, bound, scenario) for scenario in SCENARIOS]


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
            f"{result.subject}（{result.scenario.label}）本息覆盖倍数 {format_ratio(result.ratio)}，低于要求的 "
            f"{result.bound}：期内预期收入 {format_yuan(result.income_within_term)} 元，本息合计 "
            f"{format_yuan(result.debt_service)} 元；请核实预期收入或调整融资规模"
        ),
        values={
            "ratio": format_ratio(result.ratio, 4),
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
