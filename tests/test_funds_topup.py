"""Topping up a project's repayment reserve from fiscal funds (国有土地收益基金): the bond is repaid on time
although no parcel is sold yet, the books still reconcile, and what is refused writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from actors import STAFF
from funds_samples import BACHU_PARCELS, approved_bachu, row_counts
from landreserve.domain.funds.bonds import BondTerms, schedule
from landreserve.domain.funds.ledger import SourceKind
from landreserve.errors import RuleViolation
from landreserve.services import bonds, funds, funds_reports, ledger


@pytest.fixture
def actor():
    """The funds are kept by the finance bureau (domain.permissions)."""
    return STAFF["finance"]


BOND = BondTerms("Z", D("10000000.00"), date(2026, 3, 1), 5, D("3"))
FUND = "JJ-2026"  # 国有土地收益基金 appropriation


@pytest.fixture
def books(ctx):
    """Bond Z finances project P (parcels 001–003); 2,000,000 元 of 国有土地收益基金 received; no sale yet."""
    plan_id, _ = approved_bachu(ctx)
    bonds.add_bond(ctx, BOND, "转贷协议 Z")
    bonds.add_fiscal_source(
        ctx, FUND, SourceKind.LAND_REVENUE_FUND, D("2000000.00"), "巴财预〔2026〕7号", date(2026, 6, 1)
    )
    funds.add_project(ctx, "P", "Z", plan_id, list(BACHU_PARCELS)[:3], supply_year=2029)
    return ctx


def test_without_income_the_first_interest_cannot_be_paid(books):
    with pytest.raises(RuleViolation, match="funds topup") as refused:
        ledger.repay(books, "Z", D(0), D(0), "付息通知", instalment=1)
    assert refused.value.code == "funds.repayment_exceeds_reserve"


def test_a_top_up_pays_the_first_interest_and_the_books_reconcile(books):
    first = schedule(BOND)[0]  # 10,000,000 × 3 % = 300,000.00 on 2027-03-01
    assert (first.interest, first.principal) == (D("300000.00"), D("0.00"))
    top = ledger.top_up(books, FUND, "P", D("300000.00"), "巴政办〔2027〕2号", on=date(2027, 2, 20))
    assert (top.kind_label, top.source, top.project) == ("补充偿债资金", FUND, "P")
    ledger.repay(books, "Z", D(0), D(0), "付息通知 2027", instalment=1)

    fund = funds_reports.source_position(books, FUND)
    assert (fund.unallocated, fund.to_reserve) == (D("1700000.00"), D("300000.00"))
    bond = funds_reports.source_position(books, "Z")
    assert (bond.reserve, bond.interest_paid, bond.outstanding) == (D("0.00"), D("300000.00"), BOND.amount)
    checks = funds_reports.reconcile(books)
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]
    levels = next(c for c in checks if c.name.startswith("地块支出合计"))
    assert (
        f"{FUND}：各项目支付合计 0.00 元，补充偿债资金 300,000.00 元，来源资金减少额 300,000.00 元"
        in levels.details
    )


def test_a_top_up_can_be_reversed_while_the_reserve_still_holds_it(books):
    top = ledger.top_up(books, FUND, "P", D("500000.00"), "巴政办〔2027〕2号")
    ledger.reverse(books, top.number, "金额有误", "更正通知")
    assert funds_reports.source_position(books, FUND).to_reserve == D("0.00")
    assert funds_reports.source_position(books, "Z").reserve == D("0.00")
    assert all(c.ok for c in funds_reports.reconcile(books))


@pytest.mark.parametrize(
    ("source", "amount", "code", "named"),
    [
        ("Z", "100000.00", "funds.topup_from_bond", ["Z", "借新还旧", "100,000.00"]),
        (FUND, "2000000.01", "funds.allocation_exceeds_source", ["2,000,000.01", FUND, "2,000,000.00"]),
    ],
)
def test_refused_top_ups_write_nothing(books, source, amount, code, named):
    before = row_counts(books)
    with pytest.raises(RuleViolation) as refused:
        ledger.top_up(books, source, "P", D(amount), "批复")
    assert refused.value.code == code
    assert all(text in refused.value.message for text in named)
    assert row_counts(books) == before
