"""Bond terms beyond bullet/amortising — stated repayment shares, N+M callable bonds called and not called,
partial early repayment, issue costs — and a project financed by two bonds with different terms, against
tables computed by hand (exact Fractions), plus properties of every schedule (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landreserve.domain.funds.balance import (
    CALLED,
    SCENARIOS,
    ParcelIncome,
    balance,
    break_even,
    ratio_text,
    sensitivity,
)
from landreserve.domain.funds.bonds import (
    BondTerms,
    InterestFrequency,
    Prepayment,
    Repayment,
    add_months,
    parse_shares,
    parse_term,
    schedule,
)
from landreserve.errors import InputError

#: bond A: 30,000,000 for 5 years at 3 %, bullet, yearly, issue costs 0.1 % = 30,000
BOND_A = BondTerms("A", D("30000000.00"), date(2026, 6, 1), 5, D("3"), issue_cost=D("30000.00"))
#: bond B: 20,000,000 "5+2" at 3.5 %, half-yearly, 50 % of the principal in each of years 6 and 7
BOND_B = BondTerms(
    "B", D("20000000.00"), date(2027, 3, 15), 7, D("3.5"), Repayment.SHARES, InterestFrequency.HALF_YEARLY,
    shares=((6, D("50")), (7, D("50"))), call_after_years=5,
)  # fmt: skip
PARCELS = [
    ParcelIncome("P1", D("10000"), "工业用地", D("2000"), "评估", 2029),  # 20,000,000
    ParcelIncome("P2", D("15000"), "住宅用地", D("2500"), "评估", 2031),  # 37,500,000
    ParcelIncome("P3", D("5000"), "商服用地", D("1234.567"), "评估", 2033),  # 6,172,835
]
BOUND = D("1.2")


def test_the_5_plus_2_bond_not_called_by_hand():
    rows = schedule(BOND_B)
    assert (
        len(rows) == 14 and rows[0].due_date == date(2027, 9, 15) and rows[-1].due_date == date(2034, 3, 15)
    )
    # 20,000,000 × 3.5 % ÷ 2 = 350,000 for twelve half-years; then 10,000,000 × 1.75 % = 175,000
    assert [r.interest for r in rows] == [D("350000.00")] * 12 + [D("175000.00")] * 2
    assert [(r.number, r.principal) for r in rows if r.principal] == [
        (12, D("10000000.00")),
        (14, D("10000000.00")),
    ]
    assert rows[11].due_date == date(2033, 3, 15)
    assert BOND_B.term_text == "5+2年" and BOND_B.maturity == date(2034, 3, 15)


def test_the_5_plus_2_bond_called_by_hand():
    called = BOND_B.with_call(True)
    rows = schedule(called)
    assert len(rows) == 10 and rows[-1].due_date == date(2032, 3, 15) == called.maturity
    assert [r.interest for r in rows] == [D("350000.00")] * 10
    assert [(r.number, r.principal) for r in rows if r.principal] == [(10, D("20000000.00"))]
    assert rows[-1].outstanding_after == 0


def test_a_partial_early_repayment_by_hand():
    terms = BondTerms(
        "E", D("10000000.00"), date(2026, 1, 10), 5, D("4"), Repayment.AMORTISING,
        prepayments=(Prepayment(date(2028, 1, 10), D("3000000.00")),),
    )  # fmt: skip
    rows = schedule(terms)
    # parts of 2,000,000 a year; 3,000,000 more repaid in year 2 takes year 5's part and half of year 4's
    assert [(r.interest, r.principal, r.early, r.outstanding_after) for r in rows] == [
        (D("400000.00"), D("2000000.00"), D("0.00"), D("8000000.00")),
        (D("320000.00"), D("5000000.00"), D("3000000.00"), D("3000000.00")),
        (D("120000.00"), D("2000000.00"), D("0.00"), D("1000000.00")),
        (D("40000.00"), D("1000000.00"), D("0.00"), D("0.00")),
        (D("0.00"), D("0.00"), D("0.00"), D("0.00")),
    ]
    with pytest.raises(InputError, match="不是付息日"):
        schedule(
            BondTerms(
                "E",
                D("100"),
                date(2026, 1, 10),
                5,
                D("4"),
                prepayments=(Prepayment(date(2027, 2, 1), D("1")),),
            )
        )
    with pytest.raises(InputError, match="超过此后尚未到期的本金"):
        schedule(
            BondTerms(
                "E",
                D("100"),
                date(2026, 1, 10),
                5,
                D("4"),
                prepayments=(Prepayment(date(2027, 1, 10), D("101")),),
            )
        )


def test_stated_shares_round_down_and_the_last_takes_the_rest():
    terms = BondTerms(
        "S", D("10000000.01"), date(2026, 1, 1), 5, D("3"), Repayment.SHARES,
        shares=parse_shares("3:33.33,4:33.33,5:33.34"),
    )  # fmt: skip
    assert [r.principal for r in schedule(terms) if r.principal] == [
        D("3333000.00"), D("3333000.00"), D("3334000.01")
    ]  # fmt: skip
    with pytest.raises(InputError, match="合计 90%"):
        BondTerms(
            "S", D("100"), date(2026, 1, 1), 5, D("3"), Repayment.SHARES, shares=((4, D("40")), (5, D("50")))
        )
    assert parse_term("5+2") == (7, 5) and parse_term("７") == (7, None)


def flow_by_hand(called: bool):
    """(year, interest, principal, issue costs, income) of the project, typed in by hand."""
    if not called:
        return [
            (2026, 0, 0, 30000, 0),
            (2027, 900000 + 350000, 0, 0, 0),
            (2028, 900000 + 700000, 0, 0, 0),
            (2029, 900000 + 700000, 0, 0, 20000000),
            (2030, 900000 + 700000, 0, 0, 0),
            (2031, 900000 + 700000, 30000000, 0, 37500000),
            (2032, 700000, 0, 0, 0),
            (2033, 350000 + 175000, 10000000, 0, 6172835),
            (2034, 175000, 10000000, 0, 0),
        ]
    return [
        (2026, 0, 0, 30000, 0),
        (2027, 900000 + 350000, 0, 0, 0),
        (2028, 900000 + 700000, 0, 0, 0),
        (2029, 900000 + 700000, 0, 0, 20000000),
        (2030, 900000 + 700000, 0, 0, 0),
        (2031, 900000 + 700000, 30000000, 0, 37500000),
        (2032, 350000, 20000000, 0, 0),
        (2033, 0, 0, 0, 6172835),
    ]


@pytest.mark.parametrize("called", [False, True], ids=["not-called", "called"])
def test_a_project_with_two_bonds_by_hand(called):
    scenario = CALLED if called else SCENARIOS[0]
    result = balance("项目 X", [BOND_A, BOND_B], PARCELS, BOUND, scenario)
    expected, cumulative, rows = flow_by_hand(called), F(0), []
    for year, interest, principal, costs, income in expected:
        net = F(income - interest - principal - costs)
        cumulative += net
        rows.append((year, F(interest), F(principal), F(costs), F(income), net, cumulative))
    assert [
        (r.year, F(r.interest), F(r.principal), F(r.issue_costs), F(r.income), F(r.net), F(r.cumulative))
        for r in result.cash_flow
    ] == rows
    # A: 5 × 900,000 + 30,000,000 = 34,500,000; B: 4,550,000 (or 3,500,000 called) + 20,000,000
    service_b = 24550000 if not called else 23500000
    assert (result.principal, result.interest) == (D("50000000.00"), D(4500000 + service_b - 20000000))
    assert result.issue_costs == D("30000.00")
    within = 63672835 if not called else 57500000  # called: P3 (2033) comes after the last maturity (2032)
    assert result.income_within_term == within
    assert result.ratio == F(within, 34500000 + service_b)
    # income allocated in repayment order: A (matures 2031) first, then B
    assert [(a.code, a.allocated, a.shortfall) for a in result.bonds] == (
        [("A", D("34500000.00"), 0), ("B", D("24550000.00"), 0)]
        if not called
        else [("A", D("34500000.00"), 0), ("B", D("23000000.00"), D("500000.00"))]
    )
    assert result.surplus == (D("4622835.00") if not called else 0)
    if called:  # 57,500,000 ÷ 58,000,000 = 0.99137…: below 1.0 is an error
        assert [f.code for f in result.findings] == ["funds.coverage_below_bound"]
        assert result.findings[0].severity == "error"


def test_sensitivity_adds_the_call_only_for_callable_bonds():
    assert [r.scenario.key for r in sensitivity("X", [BOND_A, BOND_B], PARCELS, BOUND)][-1] == "called"
    assert "called" not in [r.scenario.key for r in sensitivity("X", BOND_A, PARCELS, BOUND)]


def test_break_even_prices_by_hand():
    prices = {b.use: b for b in break_even([BOND_A, BOND_B], PARCELS, BOUND)}
    # debt service 59,050,000; without 住宅用地: 20,000,000 + 6,172,835 = 26,172,835
    # ratio 1.0: (59,050,000 − 26,172,835) ÷ 15,000 ㎡ = 2,191.811 → 2,191.82 元/㎡ (rounded up to the 分)
    # ratio 1.2: (70,860,000 − 26,172,835) ÷ 15,000 = 2,979.1443 → 2,979.15
    assert (prices["住宅用地"].price_for_one, prices["住宅用地"].price_for_bound) == (
        D("2191.82"),
        D("2979.15"),
    )
    assert prices["住宅用地"].current_price == D("2500") and prices["住宅用地"].area_within_term == D("15000")
    # 商服用地 alone needs (59,050,000 − 57,500,000) ÷ 5,000 = 310.00 for ratio 1.0
    assert prices["商服用地"].price_for_one == D("310.00")
    # the price found is the lowest that reaches the target with the income rounded per parcel
    for use, b in prices.items():
        for target, price in ((F(1), b.price_for_one), (F(BOUND), b.price_for_bound)):
            at = [replace(p, price_per_m2=price) if p.use == use else p for p in PARCELS]
            below = [replace(p, price_per_m2=price - D("0.01")) if p.use == use else p for p in PARCELS]
            assert balance("X", [BOND_A, BOND_B], at, BOUND).ratio >= target
            assert balance("X", [BOND_A, BOND_B], below, BOUND).ratio < target


def test_a_ratio_is_shown_with_the_digits_that_explain_the_finding():
    assert ratio_text(F(119996, 100000), D("1.2")) == "1.19996"
    assert ratio_text(F(12, 10), D("1.2")) == "1.20"
    assert ratio_text(F(1201, 1000), D("1.2")) == "1.201"
    assert ratio_text(F(2, 3), D("1.2")) == "0.67"
    parcels = [ParcelIncome("P", D("1"), "住宅用地", D("10799.64"), "x", 2027)]  # 10,799.64 ÷ 9,000 = 1.19996
    terms = BondTerms("T", D("8000.00"), date(2026, 1, 1), 5, D("2.5"))  # 5 × 200 + 8,000 = 9,000
    finding = balance("项目", terms, parcels, BOUND).findings[0]
    assert "本息覆盖倍数 1.19996，低于要求的 1.2" in finding.message


# --- properties ----------------------------------------------------------------------------------------


@st.composite
def terms_strategy(draw):
    amount = D(draw(st.integers(1, 10**12))).scaleb(-2)
    years = draw(st.integers(1, 30))
    repayment = draw(st.sampled_from(list(Repayment)))
    shares: tuple = ()
    if repayment is Repayment.SHARES:
        chosen = sorted(draw(st.sets(st.integers(1, years), min_size=1, max_size=years)))
        cuts = sorted(
            draw(
                st.lists(
                    st.integers(1, 9999), min_size=len(chosen) - 1, max_size=len(chosen) - 1, unique=True
                )
            )
        )
        bounds = [0, *cuts, 10000]
        shares = tuple((y, D(bounds[i + 1] - bounds[i]).scaleb(-2)) for i, y in enumerate(chosen))
    call = draw(st.one_of(st.none(), st.integers(1, years - 1))) if years > 1 else None
    frequency = draw(st.sampled_from(list(InterestFrequency)))
    return BondTerms(
        "H", amount, date(2024, 2, 29), years, D(draw(st.integers(0, 1500))).scaleb(-2), repayment, frequency,
        shares=shares, call_after_years=call, called=call is not None and draw(st.booleans()),
    )  # fmt: skip


@given(terms_strategy(), st.data())
def test_every_schedule_repays_exactly_the_principal(terms, data):
    rows = schedule(terms)
    assert sum(r.principal for r in rows) == terms.amount and rows[-1].outstanding_after == 0
    assert all(r.interest >= 0 and r.principal >= 0 and r.outstanding_after >= 0 for r in rows)
    assert rows[-1].due_date == terms.maturity and len(rows) == terms.periods
    # a partial early repayment on an interest date keeps the principal whole and never raises interest
    per_year = terms.interest_frequency.periods_per_year
    number = data.draw(st.integers(1, len(rows)))
    later = sum((r.principal for r in rows[number:]), D(0))
    if later > 0:
        amount = D(data.draw(st.integers(1, int(later * 100)))).scaleb(-2)
        on = add_months(terms.issue_date, number * 12 // per_year)
        early = schedule(BondTerms(**{**terms.__dict__, "prepayments": (Prepayment(on, amount),)}))
        assert sum(r.principal for r in early) == terms.amount and early[-1].outstanding_after == 0
        assert sum(r.interest for r in early) <= sum(r.interest for r in rows)
        assert all(r.outstanding_after >= 0 for r in early)


@given(terms_strategy())
def test_the_call_never_raises_the_interest(terms):
    if terms.call_after_years:
        called, not_called = schedule(terms.with_call(True)), schedule(terms.with_call(False))
        assert sum(r.interest for r in called) <= sum(r.interest for r in not_called)
        assert sum(r.principal for r in called) == terms.amount
