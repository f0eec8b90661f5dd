"""Coverage ratio, cash-flow schedule and sensitivity table for a bullet and an amortising bond, against
figures computed independently here, spreadsheet-style, with ``Fraction`` (no code shared with the domain
except the input data), plus hand-written spot values and properties of schedules."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landreserve.domain.funds.balance import SCENARIOS, ParcelIncome, balance, sensitivity
from landreserve.domain.funds.bonds import BondTerms, InterestFrequency, Repayment, schedule

BULLET = BondTerms(
    "BULLET", D("75000000.00"), date(2026, 3, 15), 7, D("3"), Repayment.BULLET, InterestFrequency.YEARLY
)
AMORTISING = BondTerms(
    "AMORT",
    D("33333333.33"),
    date(2026, 9, 30),
    5,
    D("3.17"),
    Repayment.AMORTISING,
    InterestFrequency.HALF_YEARLY,
)
PARCELS = [
    ParcelIncome("P1", D("40254"), "工业用地", D("60"), "基准地价", 2028),
    ParcelIncome("P2", D("12548.5"), "商服用地", D("333.33"), "评估报告 2026-07", 2029),
    ParcelIncome("P3", D("91896"), "住宅用地", D("220"), "近期成交", 2031),
    ParcelIncome("P4", D("70454"), "住宅用地", D("215.5"), "近期成交", 2032),
]
BOUND = D("1.2")


# --- the independent spreadsheet ----------------------------------------------------------------------


def cents(x: F) -> F:
    """ROUND(x, 2) of a spreadsheet for x ≥ 0 (half away from zero)."""
    return F(math.floor(x * 100 + F(1, 2)), 100)


def sheet_schedule(amount: F, years: int, rate_pct: F, per_year: int, amortising: bool, issue: date):
    """Rows (calendar year, interest, principal), one per period, like a PMT-free repayment sheet."""
    n, out = years * per_year, amount
    straight = F(math.floor(amount * 100 / years), 100)
    rows = []
    for k in range(1, n + 1):
        interest = cents(out * rate_pct / 100 / per_year)
        if amortising:
            principal = (out if k == n else straight) if k % per_year == 0 else F(0)
        else:
            principal = out if k == n else F(0)
        out -= principal
        year = issue.year + (issue.month - 1 + k * 12 // per_year) // 12
        rows.append((year, interest, principal))
    return rows


def sheet(terms: BondTerms, parcels, factor=F(1), delay=0, rate_shift=F(0)):
    """(cash-flow rows, income within term, principal total, interest total, coverage)."""
    rows = sheet_schedule(
        F(terms.amount), terms.term_years, F(terms.coupon_percent) + rate_shift,
        2 if terms.interest_frequency is InterestFrequency.HALF_YEARLY else 1,
        terms.repayment is Repayment.AMORTISING, terms.issue_date,
    )  # fmt: skip
    income = {}
    for p in parcels:
        year = p.supply_year + delay
        income[year] = income.get(year, F(0)) + cents(F(p.area_m2) * F(p.price_per_m2) * factor)
    maturity = terms.issue_date.year + terms.term_years
    flow, cumulative = [], F(0)
    for year in range(terms.issue_date.year, max([maturity, *income]) + 1):
        i = sum((r[1] for r in rows if r[0] == year), F(0))
        p = sum((r[2] for r in rows if r[0] == year), F(0))
        net = income.get(year, F(0)) - i - p
        cumulative += net
        flow.append((year, i, p, income.get(year, F(0)), net, cumulative))
    within = sum((v for y, v in income.items() if y <= maturity), F(0))
    principal, interest = sum(r[2] for r in rows), sum(r[1] for r in rows)
    return flow, within, principal, interest, within / (principal + interest)


def as_fractions(result):
    return [
        (r.year, F(r.interest), F(r.principal), F(r.income), F(r.net), F(r.cumulative))
        for r in result.cash_flow
    ]


# --- tests --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("terms", [BULLET, AMORTISING], ids=["bullet", "amortising"])
def test_base_balance_matches_the_spreadsheet(terms):
    flow, within, principal, interest, ratio = sheet(terms, PARCELS)
    result = balance("项目", terms, PARCELS, BOUND)
    assert as_fractions(result) == flow
    assert (F(result.income_within_term), F(result.principal), F(result.interest)) == (
        within,
        principal,
        interest,
    )
    assert result.ratio == ratio
    assert result.below_bound == (ratio < F(BOUND))


@pytest.mark.parametrize("terms", [BULLET, AMORTISING], ids=["bullet", "amortising"])
def test_sensitivity_table_matches_the_spreadsheet(terms):
    expected = {
        "base": sheet(terms, PARCELS),
        "income_-10": sheet(terms, PARCELS, factor=F(9, 10)),
        "income_-20": sheet(terms, PARCELS, factor=F(8, 10)),
        "income_-30": sheet(terms, PARCELS, factor=F(7, 10)),
        "delay_1": sheet(terms, PARCELS, delay=1),
        "delay_2": sheet(terms, PARCELS, delay=2),
        "rate_+1": sheet(terms, PARCELS, rate_shift=F(1)),
    }
    results = sensitivity("项目", terms, PARCELS, BOUND)
    assert [r.scenario.key for r in results] == [s.key for s in SCENARIOS] == list(expected)
    for result in results:
        flow, within, principal, interest, ratio = expected[result.scenario.key]
        assert as_fractions(result) == flow, result.scenario.key
        assert result.ratio == ratio, result.scenario.key
        assert F(result.interest) == interest and F(result.principal) == principal


def test_bullet_spot_values_by_hand():
    result = balance("项目", BULLET, PARCELS, BOUND)
    # 75,000,000 × 3 % = 2,250,000 a year for 7 years; principal in 2033
    assert [(r.year, r.interest, r.principal) for r in result.cash_flow if r.interest] == [
        (y, D("2250000.00"), D("75000000.00") if y == 2033 else D("0")) for y in range(2027, 2034)
    ]
    # 40,254 × 60 = 2,415,240; 12,548.5 × 333.33 = 4,182,791.505 → 4,182,791.51 (half-up);
    # 91,896 × 220 = 20,217,120; 70,454 × 215.5 = 15,182,837
    assert result.expected_income == D("2415240") + D("4182791.51") + D("20217120") + D("15182837")
    assert result.ratio == F(D("41997988.51")) / F(D("90750000"))
    delayed = balance(
        "项目", BULLET, PARCELS, BOUND, SCENARIOS[5]
    )  # +2 years: P4 arrives in 2034, after maturity
    assert delayed.income_within_term == result.expected_income - D("15182837")


def test_amortising_spot_values_by_hand():
    rows = schedule(AMORTISING)
    assert (
        len(rows) == 10 and rows[0].due_date == date(2027, 3, 30) and rows[-1].due_date == date(2031, 9, 30)
    )
    # first half-year: 33,333,333.33 × 3.17 % ÷ 2 = 528,333.3332805 → 528,333.33
    assert rows[0].interest == D("528333.33") and rows[0].principal == 0
    # each anniversary repays 33,333,333.33 ÷ 5 rounded down = 6,666,666.66; the last one 6,666,666.69
    assert [r.principal for r in rows if r.principal] == [D("6666666.66")] * 4 + [D("6666666.69")]
    # third half-year: (33,333,333.33 − 6,666,666.66) × 1.585 % = 422,666.666...→ 422,666.67
    assert rows[2].interest == D("422666.67")
    assert rows[-1].outstanding_after == 0


def test_a_project_below_the_bound_is_a_finding_and_missing_data_is_said():
    parcels = [*PARCELS[:2], ParcelIncome("P9", D("1000"), "住宅用地", None, None, 2028)]
    result = balance("项目 X", BULLET, parcels, BOUND)
    codes = [f.code for f in result.findings]
    assert codes == ["funds.parcel_income_incomplete", "funds.coverage_below_bound"]
    assert result.findings[1].severity == "error"  # far below 1.0
    assert "P9" in result.findings[0].message and "预期单价" in result.findings[0].message
    assert "低于要求的 1.2" in result.findings[1].message


amounts = st.integers(min_value=1, max_value=10**13).map(lambda c: D(c).scaleb(-2))
rates = st.integers(min_value=0, max_value=1500).map(lambda bp: D(bp).scaleb(-2))


@given(
    amounts,
    st.integers(1, 30),
    rates,
    st.sampled_from([Repayment.BULLET, Repayment.AMORTISING]),
    st.sampled_from(list(InterestFrequency)),
)
def test_schedule_repays_exactly_the_principal(amount, years, rate, repayment, frequency):
    terms = BondTerms("H", amount, date(2024, 2, 29), years, rate, repayment, frequency)
    rows = schedule(terms)
    assert sum(r.principal for r in rows) == amount and rows[-1].outstanding_after == 0
    assert all(
        r.interest >= 0 and r.principal >= 0 and r.interest == r.interest.quantize(D("0.01")) for r in rows
    )
    assert [F(r.interest) for r in rows] == [
        i for _, i, _ in sheet_schedule(F(amount), years, F(rate), frequency.periods_per_year,
                                        repayment is Repayment.AMORTISING, terms.issue_date)
    ]  # fmt: skip
