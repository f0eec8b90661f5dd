"""Plan versions: approval, an adjustment that takes in a parcel outside the plan (refused without its
approval, accepted with it), the old version still readable, and the exact diff of the two versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from actors import acting
from landreserve.domain.plan_versions import Approval, VersionParcel, apply_adjustment, diff
from landreserve.domain.register import facts_from
from landreserve.errors import RuleViolation
from landreserve.services import history, plan_versions, plans, register
from landreserve.storage.db import transaction
from landreserve.storage.plan_tables import PlanFigureRow, PlanVersionRow
from register_samples import BACHU_AREAS, approve, bachu_facts, import_bachu, store_plan, wait_for_lock_waiter

APPROVAL = Approval("巴政函〔2026〕35号", date(2026, 6, 18), "巴楚县人民政府")
NEW_PARCEL = {
    "code": "BC－CB2026012",  # as a clerk may type it, full-width dash
    "location": "巴楚县团结路东侧、文化路南侧",
    "area_m2": "15000",
    "land_use": "商服用地",
    "zone": "巴楚镇",
    "stock": "存量",
    "condition": "低效",
}
ADJUSTMENT = {
    "add": [NEW_PARCEL],
    "remove": ["BC2025CB011"],
    "change": [{"code": "BC-CB2026007", "area_m2": "95000"}],
    "reason": "BC2025CB011 与 BC-CB2026009 重复；新增团结路低效用地；BC-CB2026007 勘测定界后面积核减",
}


@pytest.fixture
def bachu(ctx, bachu_plan_path):
    version_id = import_bachu(ctx, bachu_plan_path)
    register.create_from_plan(ctx, 1, {code: bachu_facts(code) for code in BACHU_AREAS})
    return ctx, version_id


def version_count(ctx) -> int:
    with transaction(ctx.engine) as s:
        return s.scalar(select(func.count()).select_from(PlanVersionRow))


def test_approval_makes_the_version_current_and_is_logged(ctx):
    version_id = store_plan(ctx.engine, {"A-1": Decimal(100)})
    summary = plan_versions.approve_version(
        acting(ctx, "government"), version_id, "巴政函〔2026〕1号", date(2026, 2, 1), "巴楚县人民政府"
    )
    assert (summary.status, summary.approval_no, summary.approved_on) == (
        "approved",
        "巴政函〔2026〕1号",
        date(2026, 2, 1),
    )
    with transaction(ctx.engine) as s:
        [entry] = history.timeline(s, "plan_version", version_id)
    assert entry.action == "plan.approve" and entry.evidence[0]["approving_body"] == "巴楚县人民政府"
    with pytest.raises(RuleViolation, match="只有已导入、未批准的版本可以批准"):
        plan_versions.approve_version(
            acting(ctx, "government"), version_id, "巴政函〔2026〕2号", date(2026, 2, 2), "巴楚县人民政府"
        )


def test_an_incomplete_approval_names_what_is_missing(ctx):
    version_id = store_plan(ctx.engine, {"A-1": Decimal(100)})
    with pytest.raises(RuleViolation) as refused:
        plan_versions.approve_version(acting(ctx, "government"), version_id, "", None, "  ")
    assert refused.value.reasons == ["缺少批准文号", "缺少批准日期", "缺少批准机关"]
    assert plan_versions.list_versions(ctx, 1)[0].status == "imported"


def test_adding_a_parcel_outside_the_plan_is_refused_without_approval(bachu):
    ctx, version_id = bachu
    before = (version_count(ctx), history.verify(ctx).count)
    with pytest.raises(RuleViolation) as refused:
        plan_versions.adjust_plan(acting(ctx, "government"), version_id, **ADJUSTMENT)
    assert any("批准记录" in r and "报批" in r for r in refused.value.reasons)
    assert (version_count(ctx), history.verify(ctx).count) == before
    assert plan_versions.list_versions(ctx, 1)[0].status == "approved"
    with pytest.raises(RuleViolation) as refused:
        plan_versions.adjust_plan(acting(ctx, "government"), version_id, add=[NEW_PARCEL])
    assert len(refused.value.reasons) == 2 and "缺少调整原因：请用 --reason 写明" in refused.value.reasons


def test_an_approved_adjustment_is_a_new_version_and_the_old_stays_readable(bachu):
    ctx, version_id = bachu
    new = plan_versions.adjust_plan(acting(ctx, "government"), version_id, **ADJUSTMENT, approval=APPROVAL)
    assert (new.version, new.status, new.based_on_version_id) == (2, "approved", version_id)
    assert (new.approval_no, new.approving_body, new.reason) == (
        APPROVAL.approval_no,
        "巴楚县人民政府",
        ADJUSTMENT["reason"],
    )
    versions = plan_versions.list_versions(ctx, 1)
    assert [(v.version, v.status) for v in versions] == [(1, "superseded"), (2, "approved")]
    with transaction(ctx.engine) as s:
        old = {p.code: p for p in plan_versions.version_parcels(s, version_id)}
        current = {p.code: p for p in plan_versions.version_parcels(s, new.id)}
        rows = [
            s.scalar(select(func.count()).select_from(PlanFigureRow).where(PlanFigureRow.version_id == v))
            for v in (version_id, new.id)
        ]
    assert set(old) == set(BACHU_AREAS) and old["BC-CB2026007"].area_m2 == Decimal("98530")
    assert set(current) == set(BACHU_AREAS) - {"BC2025CB011"} | {"BC-CB2026012"}
    assert current["BC-CB2026007"].area_m2 == Decimal("95000") and current["BC-CB2026012"].stock is True
    # the new version has the base's figures, as figure rows: the imported base's parcel rows held their
    # areas as listed (services.plan_rows), the new version's parcels differ (BC-CB2026007 is 95000 ㎡ now)
    figures = [plans.get_plan(ctx, 1, version=n).figures for n in (1, 2)]
    assert figures[0] == figures[1] and len(figures[0]) == rows[1] == rows[0] + len(BACHU_AREAS)
    [area] = [f for f in figures[1] if f["label"] == "BC-CB2026007"]
    assert area["base_value"] == "98530" and "9.8530公顷" in area["text"]
    # the new parcel is now in the plan: it registers as such and needs no out-of-plan approval
    view = register.add_parcel(
        ctx, facts_from("BC-CB2026012", {k: v for k, v in NEW_PARCEL.items() if k != "code"})
    )
    assert view.in_plan and view.plan_version_id == new.id
    # the removed one is no longer in the plan
    assert not register.get_parcel(ctx, "BC2025CB011").in_plan
    assert history.verify(ctx).broken is None  # (the sample plan was stored as rows, outside the history)


def test_the_diff_shows_exactly_what_changed(bachu):
    ctx, version_id = bachu
    new = plan_versions.adjust_plan(acting(ctx, "government"), version_id, **ADJUSTMENT, approval=APPROVAL)
    result = plan_versions.diff_versions(ctx, version_id, new.id)
    assert [p.code for p in result.added] == ["BC-CB2026012"]
    assert result.added[0].area_m2 == Decimal("15000") and result.added[0].land_use == "商服用地"
    assert [p.code for p in result.removed] == ["BC2025CB011"]
    [changed] = result.changed
    assert changed.code == "BC-CB2026007"
    assert [(c.field, c.old, c.new) for c in changed.changes] == [
        ("area_m2", Decimal("98530"), Decimal("95000"))
    ]
    # hand-computed from the 13 parcels (㎡): 工矿 001+BC2025CB001, 商服 008+010+011, 住宅 the rest
    expected = {
        ("total_area", None): ("475751", "460755"),
        ("parcel_count", None): ("13", "13"),
        ("stock_area", None): ("395243", "380247"),
        ("new_area", None): ("80508", "80508"),
        ("unknown_stock_area", None): ("0", "0"),
        ("by_use", "住宅用地"): ("316006", "286010"),
        ("by_use", "商服用地"): ("79237", "94237"),
        ("by_use", "工矿仓储用地"): ("80508", "80508"),
        ("by_zone", "工业园区"): ("80508", "80508"),
        ("by_zone", "巴楚镇"): ("395243", "380247"),
    }
    assert {(m.name, m.group): (str(m.old), str(m.new)) for m in result.indicators} == expected
    assert {(m.name, m.group): str(m.delta) for m in result.moved} == {
        ("total_area", None): "-14996",
        ("stock_area", None): "-14996",
        ("by_use", "住宅用地"): "-29996",
        ("by_use", "商服用地"): "15000",
        ("by_zone", "巴楚镇"): "-14996",
    }


def test_only_the_current_version_can_be_adjusted(bachu):
    ctx, version_id = bachu
    plan_versions.adjust_plan(
        acting(ctx, "government"), version_id, remove=["BC2025CB011"], approval=APPROVAL, reason="重复地块"
    )
    with pytest.raises(RuleViolation, match="只能在现行已批准版本上调整"):
        plan_versions.adjust_plan(
            acting(ctx, "government"),
            version_id,
            remove=["BC2025CB001"],
            approval=APPROVAL,
            reason="重复地块",
        )


def test_an_adjustment_that_does_not_fit_names_every_problem(bachu):
    ctx, version_id = bachu
    with pytest.raises(RuleViolation) as refused:
        plan_versions.adjust_plan(acting(ctx, "government"), version_id, add=[{"code": "BC-CB2026001", "area_m2": "1"}, {"code": "BC-NEW"}],
            remove=["BC-GONE"], change=[{"code": "BC-ELSE", "zone": "x"}], approval=APPROVAL, reason="r",
        )  # fmt: skip
    assert refused.value.reasons == [
        "调出的地块 BC-GONE 不在该版本计划中",
        "变更的地块 BC-ELSE 不在该版本计划中",
        "新增的地块 BC-CB2026001 已在该版本计划中，请改用“变更”",
        "新增的地块 BC-NEW 须写明面积（area_m2，平方米）",
    ]
    assert version_count(ctx) == 1


def test_unknown_facts_count_as_unstated():
    old = [VersionParcel("A", area_m2=Decimal(10))]
    new = apply_adjustment(old, change=[{"code": "A", "stock": "存量", "zone": "巴楚镇"}])
    moves = {(m.name, m.group): (m.old, m.new) for m in diff(old, new).moved}
    assert moves == {
        ("stock_area", None): (Decimal(0), Decimal(10)),
        ("unknown_stock_area", None): (Decimal(10), Decimal(0)),
        ("by_zone", "巴楚镇"): (Decimal(0), Decimal(10)),
        ("by_zone", "未注明"): (Decimal(10), Decimal(0)),
    }


def test_a_reimported_version_once_approved_supersedes_the_old(ctx):
    first = store_plan(ctx.engine, {"A-1": Decimal(100)})
    approve(ctx, first)
    with transaction(ctx.engine) as s:
        s.add(PlanVersionRow(plan_id=1, version=2, content_sha256="f" * 64, source_name="plan-v2.txt",
                             status="imported", created_at=s.get(PlanVersionRow, first).created_at, line_count=1,
                             structure={}))  # fmt: skip
    approve(ctx, 2, "巴政函〔2026〕40号")
    assert [v.status for v in plan_versions.list_versions(ctx, 1)] == ["superseded", "approved"]


def _add_imported_version(ctx, version: int) -> int:
    with transaction(ctx.engine) as s:
        row = PlanVersionRow(plan_id=1, version=version, content_sha256=f"{version:x}" * 64,
                             source_name=f"plan-v{version}.txt", status="imported",
                             created_at=s.get(PlanVersionRow, 1).created_at, line_count=1, structure={})  # fmt: skip
        s.add(row)
        s.flush()
        return row.id


def test_approving_a_version_supersedes_older_unapproved_drafts(ctx):
    store_plan(ctx.engine, {"A-1": Decimal(100)})
    _add_imported_version(ctx, 2)
    third = _add_imported_version(ctx, 3)
    approve(ctx, third)
    assert [v.status for v in plan_versions.list_versions(ctx, 1)] == ["superseded", "superseded", "approved"]


def test_a_version_older_than_the_approved_one_cannot_be_approved(ctx):
    first = store_plan(ctx.engine, {"A-1": Decimal(100)})
    with transaction(ctx.engine) as s:
        s.get(PlanVersionRow, first).status = "imported"
    second = _add_imported_version(ctx, 2)
    approve(ctx, second)
    # v1 is superseded now; an older draft added behind the service's back is refused as well
    with transaction(ctx.engine) as s:
        s.get(PlanVersionRow, first).status = "imported"
    with pytest.raises(RuleViolation, match="早于已批准的第2版"):
        approve(ctx, first, "巴政函〔2026〕41号")
    assert [v.status for v in plan_versions.list_versions(ctx, 1)] == ["imported", "approved"]


def test_two_users_approving_one_version_at_once(ctx):
    """PostgreSQL: B's approval waits for A's row lock, then finds the version approved and is refused."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time (BEGIN IMMEDIATE); the row lock is PostgreSQL's")
    import threading

    version_id = store_plan(ctx.engine, {"A-1": Decimal(100)})
    outcome: list[object] = []

    def second() -> None:
        try:
            outcome.append(
                plan_versions.approve_version(
                    acting(ctx, "government"), version_id, "B号", date(2026, 2, 2), "巴楚县人民政府"
                )
            )
        except RuleViolation as refused:
            outcome.append(refused)

    thread = threading.Thread(target=second)
    with transaction(ctx.engine) as s:
        row = plan_versions.version_row(s, version_id, for_update=True)
        thread.start()
        wait_for_lock_waiter(ctx.engine, "the second approver")
        row.status, row.approval_no = "approved", "A号"
    thread.join()
    assert len(outcome) == 1 and isinstance(outcome[0], RuleViolation)
    assert plan_versions.list_versions(ctx, 1)[0].approval_no == "A号"


# --- property: the indicator moves add up to the parcel changes ----------------------------------------


_parcel = st.builds(
    VersionParcel,
    code=st.sampled_from([f"P{i}" for i in range(12)]),
    area_m2=st.decimals(min_value=1, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    land_use=st.sampled_from([None, "住宅用地", "商服用地"]),
    zone=st.sampled_from([None, "巴楚镇", "工业园区"]),
    stock=st.sampled_from([None, True, False]),
)
_parcels = st.lists(_parcel, max_size=10, unique_by=lambda p: p.code)


@settings(max_examples=200, deadline=None)
@given(old=_parcels, new=_parcels)
def test_indicator_moves_add_up_to_the_parcel_changes(old, new):
    result = diff(old, new)
    moves = {(m.name, m.group): m.delta for m in result.indicators}
    area_changes = sum(
        ((f.new or 0) - (f.old or 0) for c in result.changed for f in c.changes if f.field == "area_m2"),
        Decimal(0),
    )
    added = sum((p.area_m2 for p in result.added), Decimal(0))
    removed = sum((p.area_m2 for p in result.removed), Decimal(0))
    assert moves[("total_area", None)] == added - removed + area_changes
    assert moves[("parcel_count", None)] == len(result.added) - len(result.removed)
    for dimension in ("by_use", "by_zone"):
        assert sum(d for (name, _), d in moves.items() if name == dimension) == moves[("total_area", None)]
    stock_parts = ("stock_area", "new_area", "unknown_stock_area")
    assert sum(moves[(name, None)] for name in stock_parts) == moves[("total_area", None)]
