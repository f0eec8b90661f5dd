"""The lifecycle in the domain core: transitions, every gate refusing when its evidence is missing, periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from landreserve.domain.evidence import CLEARANCE_ITEMS, WORKS, Evidence, EvidenceKind, parse_evidence_option
from landreserve.domain.lifecycle import (
    STATE_LABELS,
    TRANSITIONS,
    Request,
    Rules,
    State,
    Supply,
    SupplyMethod,
    check_transition,
    gates,
    overdue_temporary_use,
    parse_state,
    refusal_reasons,
)
from landreserve.domain.register import Condition, ParcelFacts, Source
from landreserve.errors import InputError, RuleViolation
from landreserve.settings import DEFAULT_RISK_CHECKS
from register_samples import (
    clearance,
    custody,
    development_plan,
    entry_evidence,
    ev,
    sale,
    supply_plan,
    works_accepted,
)

DAY = date(2026, 3, 1)
RULES = Rules(DEFAULT_RISK_CHECKS, 2)
FACTS = ParcelFacts(
    "BC-CB2026006",
    "巴楚县教育大道南侧",
    Decimal("91896"),
    "住宅用地",
    "巴楚镇",
    Source.PURCHASED,
    True,
    Condition.NORMAL,
)


def reasons(current, target, evidence, *, facts=FACTS, rules=RULES, in_plan=True, reason=None, supply=None):
    return refusal_reasons(current, facts, evidence, rules, Request(target, DAY, in_plan, reason, supply))


# --- into the reserve ---------------------------------------------------------------------------------

ENTRY_LABELS = {
    EvidenceKind.TITLE_CLEAR: "产权清晰",
    EvidenceKind.NO_SEIZURE: "无查封",
    EvidenceKind.NO_MORTGAGE: "无抵押",
    EvidenceKind.NO_GUARANTEE: "无担保",
    EvidenceKind.COMPENSATION_SETTLED: "补偿安置到位",
    EvidenceKind.REGISTRATION: "不动产登记",
}


def test_complete_entry_evidence_is_accepted():
    assert reasons(State.PLANNED, State.IN_RESERVE, entry_evidence(DAY, DEFAULT_RISK_CHECKS)) == []


@pytest.mark.parametrize("kind", list(ENTRY_LABELS), ids=lambda k: k.value)
def test_each_entry_gate_refuses_without_its_evidence(kind):
    evidence = [e for e in entry_evidence(DAY, DEFAULT_RISK_CHECKS) if e.kind is not kind]
    with pytest.raises(RuleViolation) as refused:
        check_transition(State.PLANNED, FACTS, evidence, RULES, Request(State.IN_RESERVE, DAY))
    assert len(refused.value.reasons) == 1
    assert ENTRY_LABELS[kind] in refused.value.reasons[0]
    assert "入库储备" in refused.value.message


@pytest.mark.parametrize("risk", DEFAULT_RISK_CHECKS)
def test_each_risk_check_is_a_gate_of_its_own(risk):
    evidence = [e for e in entry_evidence(DAY, DEFAULT_RISK_CHECKS) if e.subject != risk]
    assert reasons(State.PLANNED, State.IN_RESERVE, evidence) == [
        f"缺少“风险排查：{risk}”：请登记证据 kind=risk_check,subject={risk},ref=文件编号,date=日期,by=确认人"
    ]


def test_risk_checks_come_from_the_rules():
    rules = Rules(("地下水污染",), 2)
    evidence = [e for e in entry_evidence(DAY, ()) if e.kind is not EvidenceKind.RISK_CHECK]
    assert [r for r in reasons(State.PLANNED, State.IN_RESERVE, evidence, rules=rules)] == [
        "缺少“风险排查：地下水污染”：请登记证据 kind=risk_check,subject=地下水污染,ref=文件编号,date=日期,by=确认人"
    ]
    ok = evidence + [ev(EvidenceKind.RISK_CHECK, DAY, "地下水污染")]
    assert reasons(State.PLANNED, State.IN_RESERVE, ok, rules=rules) == []


def test_no_evidence_names_every_entry_gate_at_once():
    found = reasons(State.PLANNED, State.IN_RESERVE, [])
    assert len(found) == len(ENTRY_LABELS) + len(DEFAULT_RISK_CHECKS)
    for label in list(ENTRY_LABELS.values()) + list(DEFAULT_RISK_CHECKS):
        assert any(label in r for r in found), label


@pytest.mark.parametrize(
    "fact,label",
    [
        ("source", "土地来源"),
        ("stock", "存量或新增"),
        ("area_m2", "面积"),
        ("land_use", "用途"),
        ("zone", "区域"),
        ("condition", "闲置/低效或正常利用"),
    ],
)
def test_unknown_facts_are_gates(fact, label):
    facts = FACTS.with_changes({fact: None})
    found = reasons(State.PLANNED, State.IN_RESERVE, entry_evidence(DAY, DEFAULT_RISK_CHECKS), facts=facts)
    assert len(found) == 1 and f"缺少“地块属性：{label}" in found[0] and "未填写" in found[0]


def test_parcel_outside_the_plan_needs_an_approval_record():
    evidence = entry_evidence(DAY, DEFAULT_RISK_CHECKS)
    found = reasons(State.PLANNED, State.IN_RESERVE, evidence, in_plan=False)
    assert len(found) == 1 and "计划外收储批准" in found[0] and "报批" in found[0]
    approval = ev(EvidenceKind.OUT_OF_PLAN_APPROVAL, DAY, ref="巴政函〔2026〕9号")
    assert reasons(State.PLANNED, State.IN_RESERVE, evidence + [approval], in_plan=False) == []


# --- preliminary development ------------------------------------------------------------------------


def test_development_needs_a_development_plan():
    assert reasons(State.IN_RESERVE, State.DEVELOPING, []) == [
        "缺少“前期开发实施方案”：请登记证据 kind=development_plan,ref=文件编号,date=日期,by=确认人"
    ]
    assert reasons(State.IN_RESERVE, State.DEVELOPING, development_plan(DAY)) == []


@pytest.mark.parametrize("work", list(WORKS))
def test_each_work_needs_its_acceptance_before_development_ends(work):
    evidence = development_plan(DAY) + works_accepted(DAY, [w for w in WORKS if w != work]) + custody(DAY)
    assert reasons(State.DEVELOPING, State.CUSTODY, evidence) == [
        f"缺少“工程验收：{WORKS[work]}”：请登记证据 kind=work_acceptance,subject={WORKS[work]},ref=文件编号,date=日期,by=确认人"
    ]


def test_the_development_plan_sets_which_works_are_accepted():
    evidence = development_plan(DAY, "道路;供水;场地平整") + custody(DAY)
    found = reasons(State.DEVELOPING, State.CUSTODY, evidence)
    assert [r.split("”")[0] for r in found] == [
        "缺少“工程验收：道路",
        "缺少“工程验收：供水",
        "缺少“工程验收：场地平整",
    ]
    assert (
        reasons(
            State.DEVELOPING, State.CUSTODY, evidence + works_accepted(DAY, ["roads", "water", "levelling"])
        )
        == []
    )


# --- custody and temporary use ----------------------------------------------------------------------


def lease(start: date, end: date) -> Evidence:
    return ev(EvidenceKind.TEMPORARY_USE, start, ref="临时用地合同", start=start, end=end)


def test_custody_needs_an_arrangement():
    found = reasons(State.IN_RESERVE, State.CUSTODY, [])
    assert len(found) == 1 and "管护责任落实或临时利用" in found[0]
    assert reasons(State.IN_RESERVE, State.CUSTODY, custody(DAY)) == []


def test_temporary_use_up_to_the_allowed_period_is_accepted():
    assert reasons(State.IN_RESERVE, State.CUSTODY, [lease(date(2026, 3, 1), date(2028, 3, 1))]) == []


def test_temporary_use_longer_than_the_allowed_period_is_refused():
    found = reasons(State.IN_RESERVE, State.CUSTODY, [lease(date(2026, 3, 1), date(2028, 3, 2))])
    assert len(found) == 1 and "临时利用期限不超过2年" in found[0] and "2028-03-02" in found[0]


def test_the_allowed_period_is_a_setting():
    long_lease = [lease(date(2026, 3, 1), date(2029, 3, 1))]
    assert reasons(State.IN_RESERVE, State.CUSTODY, long_lease, rules=Rules(DEFAULT_RISK_CHECKS, 3)) == []
    assert reasons(State.IN_RESERVE, State.CUSTODY, long_lease, rules=Rules(DEFAULT_RISK_CHECKS, 2))


def test_overdue_temporary_use_is_a_finding():
    evidence = [lease(date(2024, 3, 1), date(2026, 2, 28))]
    finding = overdue_temporary_use("BC-CB2026006", State.CUSTODY, evidence, date(2026, 3, 1))
    assert finding and finding.code == "register.temporary_use_overdue" and "2026-02-28" in finding.message
    assert overdue_temporary_use("X", State.CUSTODY, evidence, date(2026, 2, 28)) is None
    ended = evidence + [ev(EvidenceKind.TEMPORARY_USE_ENDED, date(2026, 2, 28))]
    assert overdue_temporary_use("X", State.CUSTODY, ended, date(2026, 3, 1)) is None
    assert overdue_temporary_use("X", State.SUPPLIED, evidence, date(2026, 3, 1)) is None


# --- supply -----------------------------------------------------------------------------------------

SUPPLY = sale(DAY)


def supply_evidence() -> list[Evidence]:
    return clearance(DAY) + supply_plan(DAY)


def test_net_land_through_the_supply_plan_is_supplied():
    assert reasons(State.CUSTODY, State.SUPPLIED, custody(DAY) + supply_evidence(), supply=SUPPLY) == []


@pytest.mark.parametrize("item", list(CLEARANCE_ITEMS))
def test_supply_refused_on_land_that_is_not_net(item):
    evidence = clearance(DAY, [i for i in CLEARANCE_ITEMS if i != item]) + supply_plan(DAY)
    assert reasons(State.IN_RESERVE, State.SUPPLIED, evidence, supply=SUPPLY) == [
        f"缺少“净地：{CLEARANCE_ITEMS[item]}已清除”：请登记证据 kind=clearance,subject={CLEARANCE_ITEMS[item]},ref=文件编号,date=日期,by=确认人"
    ]


def test_supply_needs_the_supply_plan_and_every_detail():
    found = reasons(State.IN_RESERVE, State.SUPPLIED, clearance(DAY), supply=Supply(None, None, None, None))
    assert found[0].startswith("缺少“纳入国有建设用地供应计划”")
    assert found[1].startswith(
        "缺少“供应信息”：供应方式（出让/划拨）、供应日期、合同编号、价款（命令行：--method"
    )
    bad_price = Supply(SupplyMethod.ALLOCATION, DAY, "HB-1", Decimal("-1"))
    assert "价款不能为负" in reasons(State.IN_RESERVE, State.SUPPLIED, supply_evidence(), supply=bad_price)[0]


def test_supply_refused_while_a_temporary_use_runs():
    evidence = [lease(date(2026, 1, 1), date(2026, 12, 31))] + supply_evidence()
    found = reasons(State.CUSTODY, State.SUPPLIED, evidence, supply=SUPPLY)
    assert len(found) == 1 and "临时利用已结束" in found[0]
    ended = evidence + [ev(EvidenceKind.TEMPORARY_USE_ENDED, date(2026, 2, 20))]
    assert reasons(State.CUSTODY, State.SUPPLIED, ended, supply=SUPPLY) == []


def test_supply_out_of_development_needs_the_works_too():
    evidence = development_plan(DAY, "道路") + supply_evidence()
    assert reasons(State.DEVELOPING, State.SUPPLIED, evidence, supply=SUPPLY) == [
        "缺少“工程验收：道路”：请登记证据 kind=work_acceptance,subject=道路,ref=文件编号,date=日期,by=确认人"
    ]


# --- withdrawal and the graph -----------------------------------------------------------------------


@pytest.mark.parametrize("state", [s for s in State if TRANSITIONS[s]])
def test_withdrawal_from_any_non_final_state_needs_a_reason(state):
    assert reasons(state, State.WITHDRAWN, []) == ["缺少“调出原因”：调出须写明原因（--reason）"]
    assert reasons(state, State.WITHDRAWN, [], reason="规划调整，不再收储") == []


@pytest.mark.parametrize("final", [State.SUPPLIED, State.WITHDRAWN])
def test_final_states_allow_nothing(final):
    for target in State:
        found = reasons(final, target, [], reason="x")
        assert len(found) == 1 and "终结状态" in found[0]


def test_a_change_cannot_take_effect_before_the_current_state_began():
    request = Request(State.WITHDRAWN, date(2026, 2, 1), reason="规划调整", since=date(2026, 3, 1))
    assert refusal_reasons(State.IN_RESERVE, FACTS, [], RULES, request) == [
        "生效日期 2026-02-01 早于当前状态“入库储备”的开始日期 2026-03-01，请核对日期"
    ]


def test_evidence_dated_after_the_change_does_not_count():
    late = [e if e.kind is not EvidenceKind.REGISTRATION else ev(e.kind, date(2026, 3, 2), ref="不动产权第9号")
            for e in entry_evidence(DAY, DEFAULT_RISK_CHECKS)]  # fmt: skip
    assert reasons(State.PLANNED, State.IN_RESERVE, late) == [
        "缺少“不动产登记（不动产权证号）”：证据“不动产权第9号”的日期 2026-03-02 晚于生效日期 2026-03-01，"
        "变更生效时该证据尚不存在，请核对日期"
    ]


def test_skipping_the_reserve_is_refused():
    found = reasons(State.PLANNED, State.SUPPLIED, supply_evidence(), supply=SUPPLY)
    assert found == ["不能从“拟收储”转为“已供应（出库）”，可转为：入库储备、调出"]


def test_gates_show_satisfied_and_missing():
    statuses = gates(
        State.PLANNED, FACTS, entry_evidence(DAY, ["土壤污染"]), RULES, Request(State.IN_RESERVE, DAY)
    )
    satisfied = {g.gate.key for g in statuses if g.satisfied}
    assert "title_clear" in satisfied and "risk_check:土壤污染" in satisfied
    assert {g.gate.key for g in statuses if not g.satisfied} == {
        f"risk_check:{r}" for r in DEFAULT_RISK_CHECKS[1:]
    }


def test_states_have_chinese_labels_and_parse_from_them():
    assert STATE_LABELS[State.IN_RESERVE] == "入库储备"
    assert parse_state("入库储备") is State.IN_RESERVE and parse_state("管护") is State.CUSTODY
    assert parse_state("出库") is State.SUPPLIED and parse_state("developing") is State.DEVELOPING
    with pytest.raises(InputError, match="无法识别"):
        parse_state("卖掉")


# --- evidence as written ----------------------------------------------------------------------------


def test_evidence_option_is_read_with_every_field():
    e = parse_evidence_option(
        "kind=registration,ref=新(2026)巴楚县不动产权第0000123号,date=2026-03-01,by=李四"
    )
    assert (e.kind, e.on, e.confirmed_by) == (EvidenceKind.REGISTRATION, DAY, "李四")
    e = parse_evidence_option("kind=clearance，subject=地下构筑物,ref=验收单7,date=2026-03-01,by=王五")
    assert e.subject == "underground"


@pytest.mark.parametrize(
    "text,missing",
    [
        ("kind=title_clear,ref=证明1,date=2026-03-01", "确认人"),
        ("kind=title_clear,date=2026-03-01,by=李四", "文件编号"),
        ("kind=title_clear,ref=证明1,by=李四", "日期"),
        ("ref=证明1,date=2026-03-01,by=李四", "证据类型"),
    ],
)
def test_evidence_without_a_required_field_is_refused(text, missing):
    with pytest.raises(InputError, match=f"缺少{missing}"):
        parse_evidence_option(text)


def test_evidence_needing_a_subject_or_a_period_is_checked():
    with pytest.raises(InputError, match="对象"):
        parse_evidence_option("kind=risk_check,ref=r,date=2026-03-01,by=李四")
    with pytest.raises(InputError, match="起止日期"):
        parse_evidence_option("kind=temporary_use,ref=r,date=2026-03-01,by=李四")
    with pytest.raises(InputError, match="不是有效日期"):
        parse_evidence_option("kind=title_clear,ref=r,date=3月1日,by=李四")
    with pytest.raises(InputError, match="不是净地清除的对象"):
        parse_evidence_option("kind=clearance,subject=树木,ref=r,date=2026-03-01,by=李四")


def test_the_examples_in_the_docstrings_run():
    import doctest

    from landreserve.domain import lifecycle, plan_versions

    for module in (lifecycle, plan_versions):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
