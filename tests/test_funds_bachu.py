"""The Bachu scenario: a 0.75 亿元 special bond over the plan's 13 parcels, payments of every permitted
category, a move between parcels, a reversed payment, a supply with income, interest and principal
repaid — every balance compared with a table computed by hand and written out below."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from fractions import Fraction

import pytest

from actors import STAFF, acting
from funds_samples import BACHU_BOND, BACHU_PARCELS, approve, approved_bachu
from landreserve.domain.funds.ledger import Category
from landreserve.services import bonds, funds, funds_reports, ledger, plans


@pytest.fixture
def actor():
    """The funds are kept by the finance bureau (domain.permissions)."""
    return STAFF["finance"]


PROJECT = "BC-XM-2026-01"
B = BACHU_BOND.code


def run_bachu(ctx) -> dict[str, int]:
    """Book the scenario; returns entry numbers by name."""
    plan_id, _ = approved_bachu(ctx)
    bonds.add_bond(ctx, BACHU_BOND, "新财预〔2026〕12号 转贷协议")
    funds.add_project(
        ctx, PROJECT, B, plan_id, list(BACHU_PARCELS), supply_year=2028, name="巴楚县2026年土地储备项目"
    )
    n = {}
    allocate = ledger.allocate
    n["pool"] = allocate(ctx, B, PROJECT, D("40000000.00"), "巴财建〔2026〕3号", on=date(2026, 4, 1)).number
    allocate(
        ctx, B, PROJECT, D("20000000.00"), "巴财建〔2026〕4号", parcel="BC-CB2026006", on=date(2026, 4, 1)
    )
    allocate(
        ctx, B, PROJECT, D("10000000.00"), "巴财建〔2026〕5号", parcel="BC－CB2026007", on=date(2026, 4, 1)
    )
    pay = ledger.pay
    pay(
        ctx, "BC-CB2026006", Category.COMPENSATION, D("12000000.00"), "补偿协议 BC006-1", on=date(2026, 5, 10)
    )
    pay(ctx, "BC-CB2026006", Category.DEMOLITION, D("3500000.00"), "拆除合同 CC-06", on=date(2026, 6, 1))
    pay(
        ctx,
        "BC-CB2026007",
        Category.PRELIMINARY_DEVELOPMENT,
        D("6000000.00"),
        "施工合同 QQ-07",
        on=date(2026, 6, 5),
    )
    pay(ctx, "BC-CB2026007", Category.COMPENSATION, D("5000000.00"), "补偿协议 BC007-1", on=date(2026, 6, 20))
    pay(
        ctx, "BC-CB2026001", Category.LEGACY_LOANS, D("2000000.00"), "借款合同 DK-2019-3", on=date(2026, 7, 1)
    )
    pay(ctx, "BC-CB2026008", Category.SURVEY_CUSTODY, D("150000.50"), "测绘发票 No.0088", on=date(2026, 7, 2))
    pay(
        ctx,
        "BC-CB2026002",
        Category.OTHER_APPROVED,
        D("80000.25"),
        "县政府批复 巴政办〔2026〕9号",
        on=date(2026, 7, 3),
    )
    n["wrong"] = pay(ctx, "BC-CB2026003", Category.COMPENSATION, D("1000000.00"), "补偿协议 BC003-误",
                     on=date(2026, 7, 4)).number  # fmt: skip
    n["reversal"] = ledger.reverse(
        ctx, n["wrong"], "地块错误，应为下一年度", "更正说明 2026-01", on=date(2026, 7, 5)
    ).number
    allocate(ctx, B, PROJECT, D("1000000.00"), "调剂审批 TJ-1", parcel="BC-CB2026009", from_parcel="BC-CB2026006",
             on=date(2026, 8, 1))  # fmt: skip
    ledger.record_income(
        ctx, "BC-CB2026008", D("25000000.00"), "出让合同 6531302026B00008", on=date(2026, 12, 1)
    )
    ledger.repay(ctx, B, D("0"), D("2250000.00"), "付息通知 2027-1", on=date(2027, 3, 15))
    ledger.repay(ctx, B, D("10000000.00"), D("0"), "提前还本 2027-2", on=date(2027, 3, 15))
    return n


# Hand-computed (see the module docstring): per parcel what was paid by category and what is still available.
PAID = {
    "BC-CB2026006": {Category.COMPENSATION: D("12000000.00"), Category.DEMOLITION: D("3500000.00")},
    "BC-CB2026007": {
        Category.PRELIMINARY_DEVELOPMENT: D("6000000.00"),
        Category.COMPENSATION: D("5000000.00"),
    },
    "BC-CB2026001": {Category.LEGACY_LOANS: D("2000000.00")},
    "BC-CB2026008": {Category.SURVEY_CUSTODY: D("150000.50")},
    "BC-CB2026002": {Category.OTHER_APPROVED: D("80000.25")},
}
AVAILABLE = {
    "BC-CB2026006": D("3500000.00"),  # 20,000,000 − 12,000,000 − 3,500,000 − 1,000,000 moved to 009
    "BC-CB2026007": D("0.00"),  # 10,000,000 − 6,000,000 − 4,000,000 (the other 1,000,000 came from the pool)
    "BC-CB2026009": D("1000000.00"),  # moved from 006
}
INCOME = {"BC-CB2026008": D("25000000.00")}
# pool: 40,000,000 − 1,000,000 (007) − 2,000,000 − 150,000.50 − 80,000.25 (the 1,000,000 to 003 came back)
POOL = D("36769999.25")
PROJECT_TOTALS = {
    "allocated": D("70000000.00"),  # 40 + 20 + 10 million; the move between parcels changes nothing
    "paid": D("28730000.75"),  # 15,500,000 + 11,000,000 + 2,000,000 + 150,000.50 + 80,000.25
    "available": D("41269999.25"),  # pool + 3,500,000 + 1,000,000
    "income": D("25000000.00"),
    "reserve": D("12750000.00"),  # 25,000,000 − 2,250,000 interest − 10,000,000 principal
}
BOND_TOTALS = {
    "amount": D("75000000.00"),
    "unallocated": D("5000000.00"),
    "outstanding": D("65000000.00"),
    "principal_repaid": D("10000000.00"),
    "interest_paid": D("2250000.00"),
}


def test_bachu_balances_equal_the_hand_computed_table(ctx):
    run_bachu(ctx)
    [position] = funds_reports.project_positions(ctx, PROJECT)
    by_parcel = {p.parcel: p for p in position.parcels}
    assert set(by_parcel) == set(BACHU_PARCELS)
    for code, parcel in by_parcel.items():
        assert parcel.paid == PAID.get(code, {}), code
        assert parcel.available == AVAILABLE.get(code, D("0")), code
        assert parcel.income == INCOME.get(code, D("0")), code
    assert position.pool == POOL
    actual = {k: getattr(position, k) for k in PROJECT_TOTALS}
    assert actual == PROJECT_TOTALS
    bond = funds_reports.source_position(ctx, B)
    assert {k: getattr(bond, k) for k in BOND_TOTALS} == BOND_TOTALS
    assert bond.allocated + bond.unallocated == bond.amount


def test_bachu_books_reconcile_and_keep_the_reversed_payment(ctx):
    n = run_bachu(ctx)
    checks = funds_reports.reconcile(ctx)
    assert all(c.ok for c in checks), [(c.name, c.details) for c in checks if not c.ok]
    entries = {e.number: e for e in ledger.list_entries(ctx)}
    assert entries[n["wrong"]].amount == D("1000000.00")  # the original is still there
    assert entries[n["reversal"]].reverses == n["wrong"]
    assert (
        len(entries) == 1 + 3 + 8 + 1 + 1 + 1 + 2
    )  # raise, allocations, payments, reversal, move, income, repay


def test_bachu_payments_of_each_permitted_category_against_budget(ctx):
    run_bachu(ctx)
    funds.set_budget(ctx, PROJECT, 2026, Category.COMPENSATION, D("15000000.00"), "巴财预〔2026〕1号")
    funds.set_budget(ctx, PROJECT, 2026, Category.DEMOLITION, D("4000000.00"), "巴财预〔2026〕1号")
    funds.set_budget(ctx, PROJECT, 2026, Category.DEMOLITION, D("3000000.00"), "巴财预〔2026〕2号 调整")
    rows, findings = funds_reports.budget_vs_actual(ctx, project=PROJECT, year=2026)
    table = {r.category: (r.budget, r.actual) for r in rows}
    assert table[Category.COMPENSATION] == (
        D("15000000.00"),
        D("17000000.00"),
    )  # 12 + 5 million; 003 reversed
    assert table[Category.DEMOLITION] == (D("3000000.00"), D("3500000.00"))  # the newest revision counts
    assert table[Category.PRELIMINARY_DEVELOPMENT] == (D("0"), D("6000000.00"))
    codes = sorted(f.code for f in findings)
    assert codes.count("funds.budget_exceeded") == 2 and "funds.budget_missing" in codes


def test_bachu_income_and_coverage_from_expected_prices(ctx):
    run_bachu(ctx)
    uses = {
        "工业用地": ["BC-CB2026001", "BC2025CB001"],
        "商服用地": ["BC-CB2026008", "BC-CB2026010", "BC-CB2026011"],
    }
    for code in BACHU_PARCELS:
        use = next((u for u, codes in uses.items() if code in codes), "住宅用地")
        funds.set_parcel(ctx, PROJECT, code, use=use)
    prices = {"工业用地": D("60"), "商服用地": D("300"), "住宅用地": D("220")}
    for use, price in prices.items():
        funds.set_price(ctx, PROJECT, use, price, "巴楚县基准地价（2025）")
    result = funds_reports.balance(ctx, PROJECT)
    # by hand: 80,508 ㎡ × 60 + 79,237 ㎡ × 300 + 316,006 ㎡ × 220
    assert result.expected_income == D("4830480") + D("23771100") + D("69521320") == D("98122900")
    assert (result.principal, result.interest) == (D("75000000.00"), D("15750000.00"))  # 7 × 2,250,000
    assert result.ratio == Fraction(98122900, 90750000)
    assert result.below_bound and [f.code for f in result.findings] == ["funds.coverage_below_bound"]
    assert result.findings[0].severity == "warning"  # above 1.0, below the 1.2 bound


def test_real_bachu_plan_import_feeds_a_project(ctx, bachu_plan_path):
    result = plans.import_plan(acting(ctx, "reserve_center"), bachu_plan_path)
    approve(ctx, result.version_id)
    bonds.add_bond(ctx, BACHU_BOND, "转贷协议")
    view = funds.add_project(ctx, PROJECT, B, result.plan_id, [c.replace("-", "－") for c in BACHU_PARCELS])
    assert {p.code: p.area_m2 for p in view.parcels} == BACHU_PARCELS
    assert view.financing == D("75000000.00")
