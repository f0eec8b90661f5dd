"""Funds against the other areas: a plan adjustment that removes a parcel stops payments for it, and
land-sale income checks the reserve register (supplied by sale, same contract, not beyond the price)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from actors import STAFF, acting
from funds_samples import BACHU_PARCELS, approve, insert_plan, row_counts
from landreserve.domain.funds.bonds import BondTerms
from landreserve.domain.funds.ledger import Category, SourceKind
from landreserve.domain.plan_versions import Approval
from landreserve.errors import RuleViolation
from landreserve.services import bonds, funds, funds_reports, history, ledger, plan_versions, register
from landreserve.storage.db import transaction
from landreserve.storage.register_tables import ReserveParcelRow
from register_samples import approve as approve_register
from register_samples import bachu_facts, store_plan


@pytest.fixture
def actor():
    """The funds are kept by the finance bureau (domain.permissions)."""
    return STAFF["finance"]


@pytest.fixture
def project(ctx):
    version = insert_plan(ctx, BACHU_PARCELS)
    approve(ctx, version)
    bonds.add_bond(ctx, BondTerms("A", D("1000000"), date(2026, 3, 1), 3, D("2.5")), "协议A")
    funds.add_project(ctx, "PA", "A", 1, ["BC-CB2026001", "BC-CB2026002"])
    ledger.allocate(ctx, "A", "PA", D("100000"), "分配")
    return version


def test_a_parcel_removed_by_an_approved_adjustment_gets_no_more_money(ctx, project):
    ledger.pay(ctx, "BC-CB2026002", Category.COMPENSATION, D("100"), "协议1")
    approval = Approval("巴政发〔2026〕7号", date(2026, 6, 1), "巴楚县人民政府")
    plan_versions.adjust_plan(
        acting(ctx, "government"), project, remove=["BC-CB2026002"], approval=approval, reason="规划调整"
    )
    before = row_counts(ctx)
    with pytest.raises(RuleViolation, match="BC-CB2026002 已不在计划 1 现行的第2版中") as refused:
        ledger.pay(ctx, "BC-CB2026002", Category.COMPENSATION, D("100"), "协议2")
    assert refused.value.code == "funds.parcel_not_in_plan" and row_counts(ctx) == before
    ledger.pay(ctx, "BC-CB2026001", Category.COMPENSATION, D("100"), "协议3")  # still in the plan


def _register(ctx, code: str, **columns) -> None:
    with transaction(ctx.engine) as session:
        row = session.scalar(select(ReserveParcelRow).where(ReserveParcelRow.code == code))
        if row is None:
            row = ReserveParcelRow(code=code, state="planned", state_since=date(2026, 1, 20),
                                   created_at=datetime(2026, 1, 20), created_by="测试", row_version=1)  # fmt: skip
            session.add(row)
        for key, value in columns.items():
            setattr(row, key, value)


def test_income_needs_a_sale_in_the_register_when_the_parcel_is_registered(ctx, project):
    _register(ctx, "BC-CB2026001")
    before = row_counts(ctx)
    with pytest.raises(RuleViolation, match="BC-CB2026001 在储备库中的状态为“拟收储”") as refused:
        ledger.record_income(ctx, "BC-CB2026001", D("500000"), "合同1")
    assert refused.value.code == "funds.parcel_not_supplied" and row_counts(ctx) == before
    _register(ctx, "BC-CB2026001", state="supplied", supply_method="sale", supply_contract_no="合同1",
              supply_price=D("800000"))  # fmt: skip
    with pytest.raises(RuleViolation, match="合同2.*合同1"):
        ledger.record_income(ctx, "BC-CB2026001", D("500000"), "合同2")
    ledger.record_income(ctx, "BC-CB2026001", D("500000"), "合同1")
    with pytest.raises(RuleViolation, match="800,000.00.*500,000.00.*300,000.01") as refused:
        ledger.record_income(ctx, "BC-CB2026001", D("300000.01"), "合同1")
    assert refused.value.code == "funds.income_exceeds_price"
    ledger.record_income(ctx, "BC-CB2026001", D("300000"), "合同1")
    # a parcel not in the register is accepted (the register is optional for funds)
    ledger.record_income(ctx, "BC-CB2026002", D("1"), "合同9")


def test_every_funds_write_is_in_the_history_log(ctx, project):
    entry = ledger.pay(ctx, "BC-CB2026001", Category.DEMOLITION, D("250.50"), "拆除合同")
    with transaction(ctx.engine) as session:
        [logged] = history.timeline(session, "fund_entry", entry.number)
    assert logged.action == "funds.pay" and logged.actor == ctx.actor.name
    assert logged.after["amount"] == "250.50" and logged.evidence == [{"kind": "document", "ref": "拆除合同"}]
    assert history.verify(ctx).broken is None  # (the sample plan was stored as rows, outside the history)


def test_changed_prices_budgets_and_parcels_keep_their_value_before_in_the_log(ctx, project):
    funds.set_price(ctx, "PA", "住宅用地", D("1200"), "评估报告1")
    funds.set_price(ctx, "PA", "住宅用地", D("1350.5"), "评估报告2")
    funds.set_budget(ctx, "PA", 2026, None, D("300000"), "预算批复1")
    funds.set_budget(ctx, "PA", 2026, None, D("250000"), "预算调整1")
    funds.set_parcel(ctx, "PA", "BC-CB2026001", use="住宅用地", supply_year=2028)
    funds.set_parcel(ctx, "PA", "BC-CB2026001", supply_year=2029)
    with transaction(ctx.engine) as session:
        prices = history.timeline(session, "fund_price", "PA/住宅用地")
        budgets = history.timeline(session, "fund_budget_line", "PA/2026/")
        parcel = history.timeline(session, "fund_project_parcel", "BC-CB2026001")
    assert [(e.before, e.after["price_per_m2"]) for e in prices] == [
        (None, "1200"), ({"price_per_m2": "1200", "basis": "评估报告1"}, "1350.5"),
    ]  # fmt: skip
    assert [(e.before, e.after) for e in budgets][1] == (
        {"amount": "300000", "revision": 1}, {"amount": "250000", "revision": 2},
    )  # fmt: skip
    assert parcel[1].before == {"use": "住宅用地", "supply_year": 2028}
    assert parcel[1].after == {"use": "住宅用地", "supply_year": 2029}


def test_fiscal_funds_go_to_any_project_and_are_reconciled_separately(ctx, project):
    bonds.add_fiscal_source(
        ctx, "JJ", SourceKind.LAND_REVENUE_FUND, D("50000"), "巴财预〔2026〕1号", date(2026, 2, 1)
    )
    ledger.allocate(ctx, "JJ", "PA", D("20000"), "分配JJ", parcel="BC-CB2026002")
    entry = ledger.pay(
        ctx, "BC-CB2026002", Category.PRELIMINARY_DEVELOPMENT, D("15000"), "合同JJ", source_code="JJ"
    )
    assert entry.source == "JJ"
    positions = {p.source: p for p in funds_reports.project_positions(ctx, "PA")}
    assert set(positions) == {"A", "JJ"}
    assert (positions["JJ"].allocated, positions["JJ"].paid, positions["JJ"].available) == (
        D("20000"), D("15000"), D("5000"),
    )  # fmt: skip
    assert positions["A"].allocated == D("100000") and positions["A"].paid == 0
    source = funds_reports.source_position(ctx, "JJ")
    assert (source.unallocated, source.allocated, source.outstanding) == (D("30000"), D("20000"), 0)
    assert all(c.ok for c in funds_reports.reconcile(ctx))


def test_a_project_parcel_takes_its_use_from_what_the_register_was_told(ctx):
    """The plan text names no use; the county's facts given at registration do, and so price the parcel."""
    version = store_plan(ctx.engine, {"BC-CB2026008": BACHU_PARCELS["BC-CB2026008"]})
    approve_register(ctx, version)
    register.create_from_plan(acting(ctx, "reserve_center"), 1, {"BC-CB2026008": bachu_facts("BC-CB2026008")})
    bonds.add_bond(ctx, BondTerms("A", D("1000000"), date(2026, 3, 1), 3, D("2.5")), "协议A")
    project = funds.add_project(ctx, "PA", "A", 1, ["BC-CB2026008"])
    assert [(p.code, p.use) for p in project.parcels] == [("BC-CB2026008", "商服用地")]


def test_income_cannot_come_before_the_supply(ctx, project):
    _register(ctx, "BC-CB2026001", state="supplied", supply_method="sale", supply_contract_no="合同1",
              supply_price=D("800000"), supply_date=date(2027, 6, 10))  # fmt: skip
    before = row_counts(ctx)
    with pytest.raises(
        RuleViolation, match="2027-06-09 早于地块 BC-CB2026001 在储备库中的供应日期 2027-06-10"
    ):
        ledger.record_income(ctx, "BC-CB2026001", D("1000"), "合同1", on=date(2027, 6, 9))
    assert row_counts(ctx) == before
    assert ledger.record_income(ctx, "BC-CB2026001", D("1000"), "合同1", on=date(2027, 6, 10)).amount == D(
        "1000"
    )
