"""Every refusal of the ring-fenced ledger, on SQLite and PostgreSQL: a Chinese message naming the bond,
project, parcel, category and amounts, and row counts proving that nothing was written (not even history)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text

from actors import STAFF
from funds_samples import (
    BACHU_PARCELS,
    approve,  # noqa: I001
    insert_plan,
    row_counts,
)
from landreserve.domain.funds.bonds import BondTerms
from landreserve.domain.funds.ledger import Account, AccountKind, Category, Posting
from landreserve.errors import ConflictError, InputError, IntegrityError, RuleViolation
from landreserve.services import bonds, funds, funds_reports, ledger
from landreserve.storage.db import transaction
from landreserve.storage.funds_tables import FundEntryRow
from register_samples import tamper


@pytest.fixture
def actor():
    """The funds are kept by the finance bureau (domain.permissions)."""
    return STAFF["finance"]


def bond(code: str, amount: str) -> BondTerms:
    return BondTerms(code, D(amount), date(2026, 3, 1), 5, D("3.2"))


@pytest.fixture
def books(ctx):
    """Bond A (10,000,000) finances project PA (parcels 001–005); bond B (5,000,000) finances PB (006–007).
    PA has 3,000,000 allocated to parcel 001 and 1,000,000 in its pool."""
    version = insert_plan(ctx, BACHU_PARCELS)
    approve(ctx, version)
    plan_id = 1
    bonds.add_bond(ctx, bond("A", "10000000"), "协议A")
    bonds.add_bond(ctx, bond("B", "5000000"), "协议B")
    funds.add_project(ctx, "PA", "A", plan_id, [f"BC-CB202600{i}" for i in range(1, 6)])
    funds.add_project(ctx, "PB", "B", plan_id, ["BC-CB2026006", "BC-CB2026007"])
    ledger.allocate(ctx, "A", "PA", D("3000000"), "分配1", parcel="BC-CB2026001")
    ledger.allocate(ctx, "A", "PA", D("1000000"), "分配2")
    pay = ledger.pay(ctx, "BC-CB2026001", Category.COMPENSATION, D("500000"), "补偿协议1")
    return {"pay": pay.number}


def _unbalanced(ctx):
    with transaction(ctx.engine) as session:
        postings = [Posting(Account(AccountKind.SOURCE_CASH, "A"), D("100.00")),
                    Posting(Account(AccountKind.FUNDING, "A"), D("-99.99"))]  # fmt: skip
        funds.book(
            session, ctx, "raise", date(2026, 5, 1), postings, amount=D("100"), source="A", document="x"
        )


REFUSALS = {
    "bond to a parcel outside its project": (
        lambda ctx, n: ledger.pay(ctx, "BC-CB2026006", Category.COMPENSATION, D("100"), "发票", source_code="A"),
        "funds.ring_fence", ["BC-CB2026006", "A", "100.00", "征地拆迁补偿"],
    ),
    "project's bond to a parcel of another project": (
        lambda ctx, n: ledger.pay(ctx, "BC-CB2026006", Category.DEMOLITION, D("100"), "发票", project_code="PA"),
        "funds.ring_fence", ["BC-CB2026006", "PA", "A", "100.00"],
    ),
    "bond to a parcel in no project": (
        lambda ctx, n: ledger.pay(ctx, "BC-CB2026010", Category.DEMOLITION, D("7.5"), "发票", source_code="A"),
        "funds.ring_fence", ["BC-CB2026010", "A", "7.50", "拆除"],
    ),
    "running costs of the center": (
        lambda ctx, n: ledger.pay(ctx, "BC-CB2026001", Category.RUNNING_COSTS, D("5000"), "办公发票"),
        "funds.category_not_permitted", ["机构日常运行经费", "A", "PA", "BC-CB2026001", "5,000.00"],
    ),
    "staff costs": (
        lambda ctx, n: ledger.pay(ctx, "BC-CB2026002", Category.STAFF_COSTS, D("8000"), "工资表"),
        "funds.category_not_permitted", ["人员经费", "BC-CB2026002", "8,000.00"],
    ),
    "payment beyond what was allocated": (
        lambda ctx, n: ledger.pay(ctx, "BC-CB2026001", Category.COMPENSATION, D("3500000.01"), "补偿协议2"),
        "funds.payment_exceeds_allocation",
        ["3,500,000.01", "A", "PA", "BC-CB2026001", "2,500,000.00", "1,000,000.00", "3,500,000.00"],
    ),
    "payment to an unallocated parcel beyond the pool": (
        lambda ctx, n: ledger.pay(ctx, "BC-CB2026003", Category.COMPENSATION, D("1000000.01"), "补偿协议3"),
        "funds.payment_exceeds_allocation", ["1,000,000.01", "BC-CB2026003", "0.00", "1,000,000.00"],
    ),
    "unbalanced entry": (
        lambda ctx, n: _unbalanced(ctx), "funds.unbalanced", ["借贷不平衡", "100.00", "99.99", "0.01"],
    ),
    "allocation beyond the bond amount": (
        lambda ctx, n: ledger.allocate(ctx, "A", "PA", D("6000000.01"), "分配3"),
        "funds.allocation_exceeds_source", ["6,000,000.01", "A", "6,000,000.00", "10,000,000.00"],
    ),
    "allocation of a bond to another bond's project": (
        lambda ctx, n: ledger.allocate(ctx, "A", "PB", D("10"), "分配4"),
        "funds.ring_fence", ["A", "PB", "B", "10.00"],
    ),
    "allocation to a parcel outside the project": (
        lambda ctx, n: ledger.allocate(ctx, "A", "PA", D("10"), "分配5", parcel="BC-CB2026006"),
        "funds.ring_fence", ["BC-CB2026006", "PA", "A", "10.00"],
    ),
    "move to a parcel of another project": (
        lambda ctx, n: ledger.allocate(ctx, "A", "PA", D("10"), "调剂", parcel="BC-CB2026006",
                                       from_parcel="BC-CB2026001"),
        "funds.ring_fence", ["BC-CB2026006", "PA", "10.00"],
    ),
    "move of more than the parcel holds": (
        lambda ctx, n: ledger.allocate(ctx, "A", "PA", D("2500000.01"), "调剂", parcel="BC-CB2026002",
                                       from_parcel="BC-CB2026001"),
        "funds.payment_exceeds_allocation", ["BC-CB2026001", "2,500,000.00", "2,500,000.01"],
    ),
    "income of a parcel in no project": (
        lambda ctx, n: ledger.record_income(ctx, "BC-CB2026010", D("100"), "出让合同"),
        "funds.ring_fence", ["BC-CB2026010", "100.00"],
    ),
    "repayment beyond the income held": (
        lambda ctx, n: ledger.repay(ctx, "A", D("0"), D("320000"), "付息"),
        "funds.repayment_exceeds_reserve", ["A", "320,000.00", "0.00"],
    ),
    "repayment beyond the principal": (
        lambda ctx, n: ledger.repay(ctx, "B", D("5000000.01"), D("0"), "还本"),
        "funds.repayment_exceeds_principal", ["B", "5,000,000.01", "5,000,000.00"],
    ),
    "second reversal of the same entry": (
        lambda ctx, n: ledger.reverse(ctx, n["pay"], "更正", "更正2"),
        "funds.already_reversed", ["分录 #5", "已被分录 #6 冲销"],
    ),
    "reversal of an allocation already spent": (
        lambda ctx, n: ledger.reverse(ctx, 3, "分配有误", "更正3"),
        "funds.negative_balance", ["BC-CB2026001", "-500,000.00"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refusal_writes_nothing(ctx, books, name):
    action, code, fragments = REFUSALS[name]
    if name == "second reversal of the same entry":
        ledger.reverse(ctx, books["pay"], "更正", "更正1")
    before = row_counts(ctx)
    with pytest.raises(RuleViolation) as refused:
        action(ctx, books)
    assert refused.value.code == code
    missing = [f for f in fragments if f not in refused.value.message]
    assert not missing, f"{refused.value.message!r} lacks {missing}"
    assert row_counts(ctx) == before


def test_financing_beyond_the_bond_and_allocation_beyond_a_projects_share(ctx):
    version = insert_plan(ctx, BACHU_PARCELS)
    approve(ctx, version)
    bonds.add_bond(ctx, bond("C", "10000000"), "协议C")
    funds.add_project(ctx, "P1", "C", 1, ["BC-CB2026001"], financing=D("6000000"))
    before = row_counts(ctx)
    with pytest.raises(
        RuleViolation, match=r"P2.*4,000,000\.01.*C.*10,000,000\.00.*6,000,000\.00.*4,000,000\.00"
    ):
        funds.add_project(ctx, "P2", "C", 1, ["BC-CB2026002"], financing=D("4000000.01"))
    assert row_counts(ctx) == before
    funds.add_project(ctx, "P2", "C", 1, ["BC-CB2026002"])  # takes the remaining 4,000,000
    before = row_counts(ctx)
    with pytest.raises(RuleViolation, match=r"P1.*C.*6,000,000\.00.*6,000,000\.01") as refused:
        ledger.allocate(ctx, "C", "P1", D("6000000.01"), "分配")
    assert refused.value.code == "funds.allocation_exceeds_financing"
    assert row_counts(ctx) == before


def test_projects_need_an_approved_plan_and_its_parcels(ctx):
    version = insert_plan(ctx, BACHU_PARCELS)
    bonds.add_bond(ctx, bond("A", "1000000"), "协议A")
    before = row_counts(ctx)
    with pytest.raises(
        RuleViolation,
        match="计划 1 没有已批准的现行版本（现有：第1版（版本编号 1）：已导入（未批准））；专项债券项目",
    ) as refused:
        funds.add_project(ctx, "PA", "A", 1, ["BC-CB2026001"])
    assert refused.value.code == "funds.plan_not_approved"
    approve(ctx, version)
    before = row_counts(ctx)
    with pytest.raises(RuleViolation, match="BC-CB2099001.*不在已批准的计划版本"):
        funds.add_project(ctx, "PA", "A", 1, ["BC-CB2026001", "BC-CB2099001"])
    assert row_counts(ctx) == before
    funds.add_project(ctx, "PA", "A", 1, ["BC-CB2026001"], financing=D("500000"))
    with pytest.raises(ConflictError, match="BC-CB2026001（项目 PA）"):
        funds.add_project(ctx, "PB", "A", 1, ["BC－CB2026001"])


def test_ledger_rows_cannot_be_changed_or_deleted(ctx, books):
    before = row_counts(ctx)
    with pytest.raises(IntegrityError, match="冲销"):
        with transaction(ctx.engine) as session:
            session.scalar(select(FundEntryRow).where(FundEntryRow.id == books["pay"])).amount = D("1")
    with pytest.raises(IntegrityError):
        with transaction(ctx.engine) as session:
            entry = session.get(FundEntryRow, books["pay"])
            for posting in entry.postings:
                session.delete(posting)
            session.delete(entry)
    assert row_counts(ctx) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE fund_entries SET amount = '1.00' WHERE id = :pay",
        "DELETE FROM fund_entries WHERE id = :pay",
        "UPDATE fund_postings SET amount = '0.00' WHERE entry_id = :pay",
        "DELETE FROM fund_postings WHERE entry_id = :pay",
        "UPDATE fund_accounts SET source_code = 'B'",
        "DELETE FROM fund_accounts",
    ],
)
def test_the_database_refuses_plain_sql_changes_of_the_ledger(ctx, books, statement):
    before = row_counts(ctx)
    with pytest.raises(sa_exc.DBAPIError, match="只能追加"):
        with ctx.engine.begin() as conn:
            conn.execute(text(statement), {"pay": books["pay"]})
    assert row_counts(ctx) == before
    assert all(check.ok for check in funds_reports.reconcile(ctx))


def test_a_posting_edited_with_the_triggers_switched_off_is_found_by_reconcile(ctx, books):
    tamper(ctx.engine, "fund_postings", "UPDATE fund_postings SET amount = amount * 2 WHERE entry_id = :pay "
           "AND amount > 0", pay=books["pay"])  # fmt: skip
    failed = {c.name: c.details for c in funds_reports.reconcile(ctx) if not c.ok}
    assert "每笔分录借贷平衡" in failed
    assert any(f"分录 #{books['pay']} 借贷差额 500,000.00 元" in line for line in failed["每笔分录借贷平衡"])


def test_floats_are_refused_at_the_service_boundary(ctx, books):
    before = row_counts(ctx)
    with pytest.raises(TypeError, match="浮点"):
        ledger.pay(ctx, "BC-CB2026001", Category.COMPENSATION, 0.1, "发票")  # type: ignore[arg-type]
    assert row_counts(ctx) == before


def test_repayment_by_instalment_and_no_interest_beyond_the_schedule(ctx, books):
    ledger.record_income(ctx, "BC-CB2026002", D("12000000"), "出让合同2")
    for number in range(1, 5):  # 10,000,000 × 3.2 % = 320,000 a year, principal with the 5th
        entry = ledger.repay(ctx, "A", D("0"), D("0"), f"付息{number}", instalment=number)
        assert entry.amount == D("320000.00") and entry.value_date == date(2026 + number, 3, 1)
    before = row_counts(ctx)
    with pytest.raises(RuleViolation, match=r"1,280,000\.00.*320,000\.01.*1,600,000\.00") as refused:
        ledger.repay(ctx, "A", D("0"), D("320000.01"), "重复付息")
    assert refused.value.code == "funds.interest_exceeds_schedule" and row_counts(ctx) == before
    last = ledger.repay(ctx, "A", D("0"), D("0"), "还本付息5", instalment=5)
    assert last.amount == D("10320000.00") and last.value_date == date(2031, 3, 1)
    assert ledger.list_entries(ctx, source="A")[-1].memo == "第5期，本金 10,000,000.00 元，利息 320,000.00 元"


def test_codes_that_would_break_account_keys_are_refused(ctx):
    with pytest.raises(InputError, match=r"资金来源编号“A\|B”无效"):
        bonds.add_bond(ctx, bond("A|B", "100"), "协议")
    assert row_counts(ctx)["fund_sources"] == 0


# -- early repayments of a bond (bond A: issued 2026-03-01, 5 years, yearly interest, 10,000,000) -------
PREPAYMENT_REFUSALS = [
    ("before issue", date(2026, 1, 10), "1000", "不晚于发行日 2026-03-01"),
    ("on the issue date", date(2026, 3, 1), "1000", "不晚于发行日 2026-03-01"),
    ("on maturity", date(2031, 3, 1), "1000", "不早于到期日 2031-03-01"),
    ("after maturity", date(2033, 3, 1), "1000", "不早于到期日 2031-03-01"),
    ("between interest dates", date(2027, 6, 1), "1000", "不是付息日"),
    ("more than outstanding", date(2027, 3, 1), "10000000.01", "超过此后尚未到期的本金"),
]


@pytest.mark.parametrize(("on", "amount", "says"), [c[1:] for c in PREPAYMENT_REFUSALS],
                         ids=[c[0] for c in PREPAYMENT_REFUSALS])  # fmt: skip
def test_an_impossible_prepayment_is_refused_and_writes_nothing(ctx, books, on, amount, says):
    before = row_counts(ctx)
    with pytest.raises(InputError, match=says) as refused:
        bonds.add_prepayment(ctx, "A", on, D(amount), "提前偿还批复1")
    assert refused.value.code == "funds.bond_prepayment" and "债券 A" in refused.value.message
    assert row_counts(ctx) == before


def test_prepayments_together_cannot_exceed_what_is_outstanding(ctx, books):
    bonds.add_prepayment(ctx, "A", date(2027, 3, 1), D("6000000"), "提前偿还批复1")
    before = row_counts(ctx)
    with pytest.raises(InputError, match="超过此后尚未到期的本金 4,000,000.00 元"):
        bonds.add_prepayment(ctx, "A", date(2028, 3, 1), D("4000000.01"), "提前偿还批复2")
    assert row_counts(ctx) == before
    bonds.add_prepayment(ctx, "A", date(2028, 3, 1), D("4000000"), "提前偿还批复2")
