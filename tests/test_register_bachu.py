"""The 13 Bachu parcels in the register on SQLite and PostgreSQL: imported, approved, registered, every gate
refusing without its evidence (nothing written), and each parcel walked through its whole life."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select, text

from landreserve.domain.evidence import CLEARANCE_ITEMS, WORKS, EvidenceKind, subject_label
from landreserve.domain.lifecycle import State
from landreserve.domain.register import Condition, Source, facts_from
from landreserve.errors import ConflictError, NotFoundError, RuleViolation
from landreserve.services import history, register
from landreserve.storage.db import transaction
from landreserve.storage.history_tables import HistoryEntryRow
from landreserve.storage.register_tables import EvidenceRow
from register_samples import (
    BACHU_AREAS,
    bachu_facts,
    clearance,
    custody,
    development_plan,
    entry_evidence,
    ev,
    import_bachu,
    sale,
    supply_plan,
    walk_to_supply,
    works_accepted,
)

DUPLICATES = {"BC2025CB011": "BC-CB2026009", "BC2025CB001": "BC-CB2026001"}
MARCH = date(2026, 3, 1)
REGISTERED = date(2026, 2, 1)


@pytest.fixture
def bachu(ctx, bachu_plan_path):
    """The Bachu plan imported and approved, its 13 parcels registered with their facts."""
    import_bachu(ctx, bachu_plan_path)
    result = register.create_from_plan(
        ctx, 1, {code: bachu_facts(code) for code in BACHU_AREAS}, on=REGISTERED
    )
    assert sorted(result.created) == sorted(BACHU_AREAS) and result.skipped == []
    return ctx


def history_count(ctx) -> int:
    with transaction(ctx.engine) as s:
        return s.scalar(select(func.count()).select_from(HistoryEntryRow))


def evidence_count(ctx) -> int:
    with transaction(ctx.engine) as s:
        return s.scalar(select(func.count()).select_from(EvidenceRow))


def test_the_13_parcels_walk_their_whole_life(bachu):
    ctx = bachu
    for code in BACHU_AREAS:
        if code in DUPLICATES:
            reason = f"与 {DUPLICATES[code]} 坐落、面积相同，系同一地块重复列入，调出计划"
            register.transition(ctx, code, State.WITHDRAWN, reason=reason, on=date(2026, 2, 15))
        else:
            walk_to_supply(ctx, code)
    parcels = {facts.code: (facts, state) for facts, state, _ in register.list_parcels(ctx)}
    assert len(parcels) == 13
    for code, (facts, state) in parcels.items():
        assert state is (State.WITHDRAWN if code in DUPLICATES else State.SUPPLIED), code
        assert facts.area_m2 == BACHU_AREAS[code]
    view = register.get_parcel(ctx, "BC－CB2026006")  # full-width dash as in the plan text
    assert [e.action for e in view.timeline] == [
        "parcel.create_from_plan",
        "parcel.transition.in_reserve",
        "parcel.transition.developing",
        "parcel.transition.custody",
        "parcel.transition.supplied",
    ]
    assert view.supply.contract_no == "6531302026B00001" and view.gates == {}
    assert register.get_parcel(ctx, "BC2025CB011").withdrawn_reason.startswith("与 BC-CB2026009")
    verification = history.verify(ctx)
    assert (
        verification.ok and verification.count == 2 + 13 + 11 * 4 + 2
    )  # import and approval, creations, walks, withdrawals


def test_registered_facts_come_from_the_plan_and_the_county(bachu):
    view = register.get_parcel(bachu, "BC-CB2026001")
    facts = view.facts
    assert (facts.location, facts.area_m2) == (
        "巴楚县工业园区体育路北侧、锦业路东侧",
        BACHU_AREAS["BC-CB2026001"],
    )
    assert (facts.land_use, facts.zone, facts.stock, facts.source) == (
        "工矿仓储用地", "工业园区", False, Source.EXPROPRIATED,
    )  # fmt: skip
    assert register.get_parcel(bachu, "BC-CB2026003").facts.condition is Condition.IDLE
    assert view.state is State.PLANNED and view.in_plan and view.row_version == 1


def test_registering_the_plan_again_skips_what_is_there(bachu):
    again = register.create_from_plan(bachu, 1)
    assert again.created == [] and sorted(again.skipped) == sorted(BACHU_AREAS)


def test_every_entry_gate_refuses_without_its_evidence_and_writes_nothing(bachu):
    ctx, code = bachu, "BC-CB2026002"
    complete = entry_evidence(MARCH, ctx.settings.risk_checks)
    before = (history_count(ctx), evidence_count(ctx))
    for missing in complete:
        given = [e for e in complete if e is not missing]
        with pytest.raises(RuleViolation) as refused:
            register.transition(ctx, code, State.IN_RESERVE, given, on=MARCH)
        assert len(refused.value.reasons) == 1, refused.value.reasons
        assert (
            missing.kind.value in refused.value.reasons[0]
            and subject_label(missing.kind, missing.subject) in refused.value.reasons[0]
        )
    assert (history_count(ctx), evidence_count(ctx)) == before
    view = register.get_parcel(ctx, code)
    assert view.state is State.PLANNED and view.row_version == 1
    register.transition(ctx, code, State.IN_RESERVE, complete, on=MARCH)
    assert register.get_parcel(ctx, code).state is State.IN_RESERVE


def test_every_development_and_custody_gate_refuses_without_its_evidence(bachu):
    ctx, code = bachu, "BC-CB2026005"
    register.transition(
        ctx, code, State.IN_RESERVE, entry_evidence(MARCH, ctx.settings.risk_checks), on=MARCH
    )
    with pytest.raises(RuleViolation, match="前期开发") as refused:
        register.transition(ctx, code, State.DEVELOPING, [], on=MARCH)
    assert refused.value.reasons == [
        "缺少“前期开发实施方案”：请登记证据 kind=development_plan,ref=文件编号,date=日期,by=确认人"
    ]
    register.transition(ctx, code, State.DEVELOPING, development_plan(MARCH), on=MARCH)
    accepted = works_accepted(MARCH)
    for missing in accepted:
        with pytest.raises(RuleViolation) as refused:
            register.transition(
                ctx, code, State.CUSTODY, [e for e in accepted if e is not missing] + custody(MARCH)
            )
        assert refused.value.reasons == [
            f"缺少“工程验收：{WORKS[missing.subject]}”：请登记证据 kind=work_acceptance,subject={WORKS[missing.subject]},ref=文件编号,date=日期,by=确认人"
        ]
    with pytest.raises(RuleViolation) as refused:
        register.transition(ctx, code, State.CUSTODY, accepted)
    assert len(refused.value.reasons) == 1 and "管护责任落实或临时利用" in refused.value.reasons[0]
    register.transition(ctx, code, State.CUSTODY, accepted + custody(MARCH))
    assert register.get_parcel(ctx, code).state is State.CUSTODY


def test_supply_is_refused_on_land_that_is_not_net(bachu):
    ctx, code = bachu, "BC-CB2026007"
    register.transition(
        ctx, code, State.IN_RESERVE, entry_evidence(MARCH, ctx.settings.risk_checks), on=MARCH
    )
    out = date(2026, 9, 1)
    with pytest.raises(RuleViolation) as refused:
        register.transition(ctx, code, State.SUPPLIED, clearance(out, ["buildings"]), supply=sale(out))
    reasons = refused.value.reasons
    for item in ("attachments", "underground", "obstacles"):
        assert any(f"净地：{CLEARANCE_ITEMS[item]}已清除" in r for r in reasons), item
    assert any("纳入国有建设用地供应计划" in r for r in reasons)
    assert not any("建筑物已清除" in r and "地下" not in r for r in reasons)
    with pytest.raises(RuleViolation, match="供应"):
        register.transition(ctx, code, State.SUPPLIED, clearance(out) + supply_plan(out))  # no supply details
    register.transition(
        ctx, code, State.SUPPLIED, clearance(out) + supply_plan(out), supply=sale(out, "98530000")
    )
    view = register.get_parcel(ctx, code)
    assert view.state is State.SUPPLIED and view.state_since == out and str(view.supply.price) == "98530000"


def test_a_parcel_outside_the_plan_needs_an_approval_record(bachu):
    ctx = bachu
    facts = facts_from(
        "BC-CB2026012",
        {"location": "巴楚县团结路东侧", "area_m2": "15000", "land_use": "商服用地", "zone": "巴楚镇",
         "stock": "存量", "source": "依法收回", "condition": "低效"},
    )  # fmt: skip
    view = register.add_parcel(ctx, facts, on=MARCH)
    assert not view.in_plan and view.plan_version_id is None
    evidence = entry_evidence(MARCH, ctx.settings.risk_checks)
    with pytest.raises(RuleViolation) as refused:
        register.transition(ctx, "BC-CB2026012", State.IN_RESERVE, evidence, on=MARCH)
    assert len(refused.value.reasons) == 1 and "计划外收储批准" in refused.value.reasons[0]
    approval = ev(EvidenceKind.OUT_OF_PLAN_APPROVAL, MARCH, ref="巴政函〔2026〕21号", by="县政府办公室")
    register.transition(ctx, "BC-CB2026012", State.IN_RESERVE, evidence + [approval], on=MARCH)
    assert register.get_parcel(ctx, "BC-CB2026012").state is State.IN_RESERVE
    with pytest.raises(ConflictError, match="已有地块"):
        register.add_parcel(ctx, facts)


def test_unknown_facts_block_entry_until_filled(ctx, bachu_plan_path):
    import_bachu(ctx, bachu_plan_path)
    register.create_from_plan(ctx, 1, on=REGISTERED)  # without the county's facts
    evidence = entry_evidence(MARCH, ctx.settings.risk_checks)
    with pytest.raises(RuleViolation) as refused:
        register.transition(ctx, "BC-CB2026008", State.IN_RESERVE, evidence, on=MARCH)
    assert [r.split("：")[1].split("”")[0] for r in refused.value.reasons] == [
        "土地来源（重点储备范围）", "存量或新增", "用途", "区域", "闲置/低效或正常利用",
    ]  # fmt: skip
    view = register.update_parcel(ctx, "BC-CB2026008", bachu_facts("BC-CB2026008"), expected_version=1)
    assert view.row_version == 2 and view.facts.land_use == "商服用地"
    register.transition(ctx, "BC-CB2026008", State.IN_RESERVE, evidence, on=MARCH)
    assert [e.action for e in register.get_parcel(ctx, "BC-CB2026008").timeline][-2:] == [
        "parcel.update", "parcel.transition.in_reserve",
    ]  # fmt: skip


def test_temporary_use_period_and_overdue_finding(bachu):
    ctx, code = bachu, "BC-CB2026010"
    register.transition(
        ctx, code, State.IN_RESERVE, entry_evidence(MARCH, ctx.settings.risk_checks), on=MARCH
    )
    too_long = ev(EvidenceKind.TEMPORARY_USE, MARCH, ref="临时用地合同1", start=MARCH, end=date(2028, 6, 1))
    with pytest.raises(RuleViolation) as refused:
        register.transition(ctx, code, State.CUSTODY, [too_long], on=MARCH)
    assert len(refused.value.reasons) == 1 and "临时利用期限不超过2年" in refused.value.reasons[0]
    assert "超过允许的2年" in refused.value.reasons[0]
    lease = ev(EvidenceKind.TEMPORARY_USE, MARCH, ref="临时用地合同2", start=MARCH, end=date(2027, 2, 28))
    register.transition(ctx, code, State.CUSTODY, [lease], on=MARCH)
    with pytest.raises(RuleViolation, match="临时利用期限"):
        register.add_evidence(ctx, code, [too_long])
    assert not [f for f in register.findings(ctx, today=date(2027, 2, 28)) if f.values.get("code") == code]
    [overdue] = [f for f in register.findings(ctx, today=date(2027, 3, 1)) if f.values.get("code") == code]
    assert overdue.code == "register.temporary_use_overdue" and "临时用地合同2" in overdue.message
    early, out = date(2026, 12, 1), date(2027, 3, 10)
    with pytest.raises(RuleViolation, match="1 项条件") as refused:
        register.transition(
            ctx, code, State.SUPPLIED, clearance(early) + supply_plan(early), supply=sale(early)
        )
    assert "临时利用已结束" in refused.value.reasons[0]
    register.add_evidence(ctx, code, [ev(EvidenceKind.TEMPORARY_USE_ENDED, date(2027, 3, 2), ref="收回通知")])
    assert not [f for f in register.findings(ctx, today=date(2027, 3, 5)) if f.values.get("code") == code]
    register.transition(ctx, code, State.SUPPLIED, clearance(out) + supply_plan(out), supply=sale(out))


def test_show_lists_the_gates_of_each_next_state(bachu):
    ctx, code = bachu, "BC-CB2026004"
    register.add_evidence(ctx, code, entry_evidence(MARCH, ["土壤污染"]))
    view = register.get_parcel(ctx, code)
    assert set(view.gates) == {State.IN_RESERVE, State.WITHDRAWN}
    missing = {g.gate.key for g in view.gates[State.IN_RESERVE] if not g.satisfied}
    assert missing == {
        "risk_check:文物保护",
        "risk_check:压覆矿产",
        "risk_check:洪涝风险",
        "risk_check:地质灾害",
    }
    assert view.row_version == 2 and view.timeline[-1].action == "parcel.evidence"


def test_unknown_parcel_and_unapproved_plan_are_refused(ctx, bachu_plan_path):
    from landreserve.services.plans import import_plan

    import_plan(ctx, bachu_plan_path)
    with pytest.raises(
        RuleViolation,
        match="计划 1 没有已批准的现行版本（现有：第1版（版本编号 1）：已导入（未批准））；储备地块登记",
    ):
        register.create_from_plan(ctx, 1)
    with pytest.raises(NotFoundError, match="BC-XX"):
        register.get_parcel(ctx, "BC-XX")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE reserve_evidence SET ref = '伪造的证明'",
        "DELETE FROM reserve_evidence",
        "UPDATE reserve_parcel_events SET \"on\" = '2025-01-01'",
        "DELETE FROM reserve_parcel_events WHERE seq > 1",
    ],
)
def test_recorded_evidence_and_state_changes_cannot_be_rewritten_in_sql(bachu, statement):
    walk_to_supply(bachu, "BC-CB2026005")
    before = register.get_parcel(bachu, "BC-CB2026005")
    with pytest.raises(sa_exc.DBAPIError, match="只能追加"):
        with bachu.engine.begin() as conn:
            conn.execute(text(statement))
    after = register.get_parcel(bachu, "BC-CB2026005")
    assert (after.evidence, after.state, after.row_version) == (
        before.evidence,
        before.state,
        before.row_version,
    )
