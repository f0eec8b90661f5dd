"""Permissions are checked in the service layer (CLI and web share it): a department may write only what
its work is, a refused write changes nothing, and the history log refuses any entry its actor may not make."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from actors import STAFF, acting
from funds_samples import BACHU_BOND, approved_bachu
from landreserve.domain.actors import DEPARTMENTS
from landreserve.domain.funds.ledger import Category
from landreserve.domain.lifecycle import State
from landreserve.domain.permissions import GRANTS, Permission, departments_with, history_permission
from landreserve.errors import PermissionDenied
from landreserve.services import bonds, funds, history, ledger, plan_versions, plans, register
from landreserve.storage.db import transaction
from landreserve.storage.history_tables import HistoryEntryRow
from landreserve.storage.plan_tables import PlanVersionRow


def head(ctx) -> int:
    with transaction(ctx.engine) as s:
        return s.scalar(select(func.count()).select_from(HistoryEntryRow))


def test_every_department_has_its_work_and_reads_the_rest():
    assert set(GRANTS) == set(DEPARTMENTS)
    assert departments_with(Permission.PARCEL_TRANSITION) == ["reserve_center"]
    assert departments_with(Permission.FUNDS_LEDGER) == ["finance"]
    assert departments_with(Permission.ADJUSTMENT_APPROVE) == ["government"]
    assert departments_with(Permission.PLAN_APPROVE) == ["government"]
    assert departments_with(Permission.ACCOUNTS_MANAGE) == ["it"]
    for department in ("housing", "development_reform", "commerce_industry"):
        assert GRANTS[department] == {Permission.ACCOUNT_SELF}


def test_only_the_government_approves_a_plan(ctx, bachu_plan_path):
    imported = plans.import_plan(ctx, bachu_plan_path)
    before = head(ctx)
    for department in set(DEPARTMENTS) - {"government"}:
        with pytest.raises(PermissionDenied, match="只限县人民政府"):
            plan_versions.approve_version(
                acting(ctx, department),
                imported.version_id,
                "巴政函〔2026〕1号",
                date(2026, 2, 1),
                "巴楚县人民政府",
            )
    assert head(ctx) == before
    with transaction(ctx.engine) as s:
        assert s.get(PlanVersionRow, imported.version_id).status == "imported"
    plan_versions.approve_version(
        acting(ctx, "government"),
        imported.version_id,
        "巴政函〔2026〕1号",
        date(2026, 2, 1),
        "巴楚县人民政府",
    )
    with transaction(ctx.engine) as s:
        [entry] = history.timeline(s, "plan_version", imported.version_id)[1:]
    assert (entry.action, entry.actor, entry.department) == ("plan.approve", "县政府办公室", "government")


def test_only_the_reserve_center_moves_parcels_and_only_finance_pays(ctx):
    _plan, _version = approved_bachu(ctx)
    register.create_from_plan(ctx, 1, on=date(2026, 2, 1))
    finance = acting(ctx, "finance")
    before = head(ctx)
    with pytest.raises(PermissionDenied, match="王会计（财政局）无权办理地块状态变更"):
        register.transition(finance, "BC-CB2026001", State.WITHDRAWN, reason="不再收储", on=date(2026, 3, 1))
    with pytest.raises(PermissionDenied, match="只限土地储备中心"):
        register.update_parcel(acting(ctx, "government"), "BC-CB2026001", {"zone": "工业园区"})
    with pytest.raises(PermissionDenied, match="只限财政局"):
        bonds.add_bond(ctx, BACHU_BOND, "转贷协议")
    assert head(ctx) == before
    assert register.get_parcel(ctx, "BC-CB2026001").state is State.PLANNED
    bonds.add_bond(finance, BACHU_BOND, "转贷协议")
    funds.add_project(finance, "XM", BACHU_BOND.code, 1, ["BC-CB2026001"])
    ledger.allocate(finance, None, "XM", D("1000000"), "巴财建〔2026〕3号", parcel="BC-CB2026001")
    paying = head(ctx)
    with pytest.raises(PermissionDenied, match="张三（土地储备中心）无权资金记账"):
        ledger.pay(ctx, "BC-CB2026001", Category.COMPENSATION, D("1000"), "补偿协议")
    assert head(ctx) == paying
    assert ledger.pay(finance, "BC-CB2026001", Category.COMPENSATION, D("1000"), "补偿协议").amount == D(
        "1000.00"
    )
    register.transition(ctx, "BC-CB2026001", State.WITHDRAWN, reason="不再收储", on=date(2026, 3, 1))
    assert register.get_parcel(ctx, "BC-CB2026001").state is State.WITHDRAWN


def test_the_history_log_refuses_what_its_actor_may_not_do(ctx):
    """Even a write that bypassed its service's check cannot reach the log (deny by default)."""
    with pytest.raises(PermissionDenied, match="无权修改地块属性"):
        with transaction(ctx.engine) as s:
            history.record(
                s, STAFF["finance"], "parcel", "BC-CB2026001", "parcel.update", None, {"zone": "x"}
            )
    with pytest.raises(PermissionDenied, match="没有登记所需权限") as refused:
        with transaction(ctx.engine) as s:
            history.record(s, STAFF["it"], "parcel", "BC-CB2026001", "parcel.erase", None, None)
    assert refused.value.code == "permission.unmapped"
    assert head(ctx) == 0


def test_every_logged_action_of_the_services_is_mapped():
    actions = {
        ("parcel", "parcel.create_from_plan"), ("parcel", "parcel.transition.supplied"),
        ("plan_version", "plan.import"), ("plan_version", "plan.adjust"), ("fund_entry", "funds.pay"),
        ("fund_entry", "funds.raise"), ("fund_source", "funds.create"), ("fund_budget_line", "funds.set"),
        ("parcel_geometry", "geometry.import"),
    }  # fmt: skip
    assert all(history_permission(*a) is not None for a in actions)
    assert history_permission("fund_entry", "funds.raise") is Permission.FUNDS_SOURCE
    assert history_permission("parcel", "parcel.erase") is None
