"""The parcel lifecycle: states, allowed transitions, and the evidence-based gates of each transition.

拟收储 → 入库储备 → 前期开发 → 管护/临时利用 → 已供应（出库）, and 调出 (leaving the plan, with a reason)
from any state that is not final. A transition is allowed only when every gate is satisfied by evidence;
``check_transition`` raises ``RuleViolation`` naming every missing gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ..errors import InputError, RuleViolation
from .evidence import (
    CLEARANCE_ITEMS,
    EVIDENCE_LABELS,
    WORKS,
    Evidence,
    EvidenceKind,
    subject_label,
    works_in_scope,
)
from .findings import Finding, Severity
from .register import REQUIRED_FACTS, ParcelFacts


class State(StrEnum):
    PLANNED = "planned"
    IN_RESERVE = "in_reserve"
    DEVELOPING = "developing"
    CUSTODY = "custody"
    SUPPLIED = "supplied"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.PLANNED: "拟收储",
    State.IN_RESERVE: "入库储备",
    State.DEVELOPING: "前期开发",
    State.CUSTODY: "管护/临时利用",
    State.SUPPLIED: "已供应（出库）",
    State.WITHDRAWN: "调出",
}

FINAL_STATES = frozenset({State.SUPPLIED, State.WITHDRAWN})
#: states in which the parcel is held in the reserve (入库 and not yet out)
HELD_STATES = frozenset({State.IN_RESERVE, State.DEVELOPING, State.CUSTODY})

TRANSITIONS: dict[State, tuple[State, ...]] = {
    State.PLANNED: (State.IN_RESERVE, State.WITHDRAWN),
    State.IN_RESERVE: (State.DEVELOPING, State.CUSTODY, State.SUPPLIED, State.WITHDRAWN),
    State.DEVELOPING: (State.CUSTODY, State.SUPPLIED, State.WITHDRAWN),
    State.CUSTODY: (State.DEVELOPING, State.SUPPLIED, State.WITHDRAWN),
    State.SUPPLIED: (),
    State.WITHDRAWN: (),
}

_ENTRY_KINDS = (
    EvidenceKind.TITLE_CLEAR,
    EvidenceKind.NO_SEIZURE,
    EvidenceKind.NO_MORTGAGE,
    EvidenceKind.NO_GUARANTEE,
    EvidenceKind.COMPENSATION_SETTLED,
    EvidenceKind.REGISTRATION,
)


def parse_state(value: str | State) -> State:
    """State from its English value or Chinese name (``入库储备``, ``管护``, ``出库`` …)."""
    if isinstance(value, State):
        return value
    text = value.strip()
    for state, label in STATE_LABELS.items():
        if text == state.value or text == label or (len(text) >= 2 and text in label):
            return state
    known = "、".join(f"{label}（{s.value}）" for s, label in STATE_LABELS.items())
    raise InputError(f"状态“{value}”无法识别，可选：{known}", code="input.state")


class SupplyMethod(StrEnum):
    SALE = "sale"
    ALLOCATION = "allocation"


SUPPLY_METHOD_LABELS = {SupplyMethod.SALE: "出让", SupplyMethod.ALLOCATION: "划拨"}


@dataclass(frozen=True)
class Supply:
    """How a parcel is supplied: method (出让/划拨), date, contract number, price (元)."""

    method: SupplyMethod | None
    on: date | None
    contract_no: str | None
    price: Decimal | None

    def missing(self) -> list[str]:
        names = {
            "method": "供应方式（出让/划拨）",
            "on": "供应日期",
            "contract_no": "合同编号",
            "price": "价款",
        }
        missing = [label for field, label in names.items() if getattr(self, field) in (None, "")]
        if self.price is not None and self.price < 0:
            missing.append(f"价款不能为负（{self.price}）")
        return missing

    def to_dict(self) -> dict:
        return {
            "method": self.method.value if self.method else None,
            "date": self.on.isoformat() if self.on else None,
            "contract_no": self.contract_no,
            "price": None if self.price is None else str(self.price),
        }


@dataclass(frozen=True)
class Rules:
    """The configurable part of the gates (from ``Settings``)."""

    risk_checks: tuple[str, ...]
    temporary_use_max_years: int = 2

    @classmethod
    def from_settings(cls, settings) -> Rules:
        return cls(tuple(settings.risk_checks), int(settings.temporary_use_max_years))


@dataclass(frozen=True)
class Gate:
    """One condition of a transition; ``kind``/``subject`` say which evidence satisfies it."""

    key: str
    label: str
    kind: EvidenceKind | None = None
    subject: str | None = None


@dataclass(frozen=True)
class GateStatus:
    gate: Gate
    satisfied: bool
    evidence: Evidence | None = None
    note: str = ""

    @property
    def awaits_evidence(self) -> bool:
        """Missing only because its evidence has not been recorded (no later-dated evidence either)."""
        kind = self.gate.kind
        return not self.satisfied and kind is not None and self.note == evidence_hint(kind, self.gate.subject)

    @property
    def reason(self) -> str:
        """Chinese reason for a missing gate."""
        return f"缺少“{self.gate.label}”" + (f"：{self.note}" if self.note else "")


@dataclass(frozen=True)
class Request:
    """What a transition asks for besides evidence."""

    target: State
    on: date
    in_plan: bool = True
    reason: str | None = None
    supply: Supply | None = None
    #: since when the parcel is in its current state (a change cannot take effect before it)
    since: date | None = None


def _find(evidence: Sequence[Evidence], kind: EvidenceKind, subject: str | None = None) -> Evidence | None:
    matches = [e for e in evidence if e.kind is kind and (subject is None or e.subject == subject)]
    return max(matches, key=lambda e: e.on) if matches else None


def _evidence_gate(
    key: str, label: str, kind: EvidenceKind, evidence, subject: str | None = None
) -> GateStatus:
    gate = Gate(key, label, kind, subject)
    found = _find(evidence, kind, subject)
    return GateStatus(gate, found is not None, found, "" if found else evidence_hint(kind, subject))


def evidence_hint(kind: EvidenceKind, subject: str | None = None) -> str:
    """The note of a gate still waiting for its evidence (command-line wording)."""
    named = f",subject={subject_label(kind, subject)}" if subject else ""
    return f"请登记证据 kind={kind.value}{named},ref=文件编号,date=日期,by=确认人"


_FACT_HINT = "未填写，请先补填（landreserve parcel update 编号 属性=值）"


def _fact_gates(facts: ParcelFacts) -> list[GateStatus]:
    missing = set(facts.missing())
    return [
        GateStatus(
            Gate(f"fact:{name}", f"地块属性：{label}"),
            label not in missing,
            None,
            _FACT_HINT if label in missing else "",
        )
        for name, label in REQUIRED_FACTS.items()
    ]


def _plan_gate(in_plan: bool, evidence: Sequence[Evidence]) -> GateStatus:
    gate = Gate("in_plan", "列入已批准的储备计划（或计划外收储批准）", EvidenceKind.OUT_OF_PLAN_APPROVAL)
    found = _find(evidence, EvidenceKind.OUT_OF_PLAN_APPROVAL)
    note = "地块不在现行已批准的储备计划中，须先履行报批手续并提供计划外收储批准证据"
    return GateStatus(gate, in_plan or found is not None, found, "" if (in_plan or found) else note)


def entry_gates(
    facts: ParcelFacts, evidence: Sequence[Evidence], rules: Rules, in_plan: bool
) -> list[GateStatus]:
    """Gates into the reserve: facts, plan, title, no seizure/mortgage/guarantee, compensation, registration, risks."""
    gates = _fact_gates(facts) + [_plan_gate(in_plan, evidence)]
    gates += [_evidence_gate(k.value, EVIDENCE_LABELS[k], k, evidence) for k in _ENTRY_KINDS]
    gates += [
        _evidence_gate(f"risk_check:{name}", f"风险排查：{name}", EvidenceKind.RISK_CHECK, evidence, name)
        for name in rules.risk_checks
    ]
    return gates


def development_scope(evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """Works the latest development plan names (all works when it names none)."""
    plan = _find(evidence, EvidenceKind.DEVELOPMENT_PLAN)
    return works_in_scope(plan.subject if plan else None)


def works_gates(evidence: Sequence[Evidence]) -> list[GateStatus]:
    """Each work in the development scope accepted (验收)."""
    return [
        _evidence_gate(f"work:{w}", f"工程验收：{WORKS[w]}", EvidenceKind.WORK_ACCEPTANCE, evidence, w)
        for w in development_scope(evidence)
    ]


def _period_ok(e: Evidence, max_years: int) -> bool:
    assert e.start and e.end
    try:
        limit = e.start.replace(year=e.start.year + max_years)
    except ValueError:  # 29 February
        limit = e.start.replace(year=e.start.year + max_years, day=28)
    return e.end <= limit


def temporary_uses(evidence: Sequence[Evidence]) -> list[Evidence]:
    return sorted(
        (e for e in evidence if e.kind is EvidenceKind.TEMPORARY_USE), key=lambda e: (e.start, e.on)
    )


def custody_gates(evidence: Sequence[Evidence], rules: Rules) -> list[GateStatus]:
    """Custody arranged (管护) or a temporary use with start and end within the allowed period."""
    gate = Gate("custody", "管护责任落实或临时利用（含起止日期）", EvidenceKind.CUSTODY)
    found = _find(evidence, EvidenceKind.CUSTODY) or _find(evidence, EvidenceKind.TEMPORARY_USE)
    statuses = [GateStatus(gate, found is not None, found, "" if found else "须提供管护协议或临时利用合同")]
    for use in temporary_uses(evidence):
        ok = _period_ok(use, rules.temporary_use_max_years)
        note = (
            f"临时利用“{use.ref}”自{use.start}至{use.end}，超过允许的{rules.temporary_use_max_years}年，"
            "请缩短期限或另行报批"
        )
        label = f"临时利用期限不超过{rules.temporary_use_max_years}年"
        statuses.append(
            GateStatus(Gate(f"temporary_use_period:{use.ref}", label), ok, use, "" if ok else note)
        )
    return statuses


def active_temporary_use(evidence: Sequence[Evidence], on: date) -> Evidence | None:
    """The temporary use still running on ``on`` (started, end after ``on``, not ended by evidence)."""
    uses = [u for u in temporary_uses(evidence) if u.start and u.start <= on and u.end and u.end > on]
    if not uses:
        return None
    ended = _find(evidence, EvidenceKind.TEMPORARY_USE_ENDED)
    latest = uses[-1]
    return None if ended and latest.start and ended.on >= latest.start else latest


def supply_gates(evidence: Sequence[Evidence], request: Request) -> list[GateStatus]:
    """Net land (each item cleared), the supply plan, the supply details, no running temporary use."""
    gates = [
        _evidence_gate(f"clearance:{k}", f"净地：{name}已清除", EvidenceKind.CLEARANCE, evidence, k)
        for k, name in CLEARANCE_ITEMS.items()
    ]
    gates.append(
        _evidence_gate("supply_plan", "纳入国有建设用地供应计划", EvidenceKind.SUPPLY_PLAN, evidence)
    )
    supply = request.supply or Supply(None, None, None, None)
    missing = supply.missing()
    note = (
        f"{'、'.join(missing)}（命令行：--method 出让/划拨 --contract 合同编号 --price 价款 --date 供应日期）"
    )
    gates.append(GateStatus(Gate("supply_details", "供应信息"), not missing, None, note if missing else ""))
    running = active_temporary_use(evidence, supply.on or request.on)
    note = f"临时利用“{running.ref}”至{running.end}尚未结束，须先提供临时利用终止证据" if running else ""
    gates.append(GateStatus(Gate("temporary_use_over", "临时利用已结束"), running is None, running, note))
    return gates


def _withdrawal_gates(request: Request) -> list[GateStatus]:
    ok = bool(request.reason and request.reason.strip())
    return [GateStatus(Gate("reason", "调出原因"), ok, None, "" if ok else "调出须写明原因（--reason）")]


def gates(
    current: State, facts: ParcelFacts, evidence: Sequence[Evidence], rules: Rules, request: Request
) -> list[GateStatus]:
    """Every gate of the transition ``current`` → ``request.target`` with its status.

    Only evidence dated on or before the effective date counts: a change cannot rest on a document that
    did not exist yet (the gate then says which document is dated too late).
    """
    usable = [e for e in evidence if e.on <= request.on]
    return [
        _explain_late(s, evidence, request.on) for s in _gates_for(current, facts, usable, rules, request)
    ]


def _explain_late(status: GateStatus, evidence: Sequence[Evidence], on: date) -> GateStatus:
    gate = status.gate
    if status.satisfied or gate.kind is None:
        return status
    late = [e for e in evidence if e.kind is gate.kind and gate.subject in (None, e.subject) and e.on > on]
    if not late:
        return status
    first = min(late, key=lambda e: e.on)
    note = f"证据“{first.ref}”的日期 {first.on} 晚于生效日期 {on}，变更生效时该证据尚不存在，请核对日期"
    return replace(status, note=note)


def _gates_for(
    current: State, facts: ParcelFacts, evidence: Sequence[Evidence], rules: Rules, request: Request
) -> list[GateStatus]:
    target = request.target
    result: list[GateStatus] = []
    if target is State.IN_RESERVE:
        result += entry_gates(facts, evidence, rules, request.in_plan)
    if target is State.DEVELOPING:
        result.append(
            _evidence_gate("development_plan", "前期开发实施方案", EvidenceKind.DEVELOPMENT_PLAN, evidence)
        )
    if current is State.DEVELOPING and target in (State.CUSTODY, State.SUPPLIED):
        result += works_gates(evidence)
    if target is State.CUSTODY:
        result += custody_gates(evidence, rules)
    if target is State.SUPPLIED:
        result += supply_gates(evidence, request)
    if target is State.WITHDRAWN:
        result += _withdrawal_gates(request)
    return result


def refusal_reasons(
    current: State, facts: ParcelFacts, evidence: Sequence[Evidence], rules: Rules, request: Request
) -> list[str]:
    """Chinese reasons why the transition is refused; empty when it is allowed."""
    if request.target not in TRANSITIONS[current]:
        allowed = "、".join(STATE_LABELS[s] for s in TRANSITIONS[current]) or "无（已是终结状态）"
        return [f"不能从“{STATE_LABELS[current]}”转为“{STATE_LABELS[request.target]}”，可转为：{allowed}"]
    reasons = [g.reason for g in gates(current, facts, evidence, rules, request) if not g.satisfied]
    if request.since and request.on < request.since:
        reasons.append(
            f"生效日期 {request.on} 早于当前状态“{STATE_LABELS[current]}”的开始日期 {request.since}，请核对日期"
        )
    return reasons


def check_transition(
    current: State, facts: ParcelFacts, evidence: Sequence[Evidence], rules: Rules, request: Request
) -> None:
    """Raise ``RuleViolation`` naming every missing gate when the transition is not allowed.

    Examples
    --------
    >>> from datetime import date
    >>> facts = ParcelFacts("BC-CB2026001")
    >>> try:
    ...     check_transition(State.PLANNED, facts, [], Rules(("土壤污染",)), Request(State.IN_RESERVE, date(2026, 3, 1)))
    ... except RuleViolation as e:
    ...     print(len(e.reasons) > 5)
    True
    """
    reasons = refusal_reasons(current, facts, evidence, rules, request)
    if reasons:
        message = (
            f"地块 {facts.code} 不能从“{STATE_LABELS[current]}”转为“{STATE_LABELS[request.target]}”："
            f"{len(reasons)} 项条件未满足，请补齐证据后再试"
        )
        raise RuleViolation(message, reasons=reasons, code="register.gate")


def overdue_temporary_use(
    code: str, state: State, evidence: Sequence[Evidence], today: date
) -> Finding | None:
    """A finding when the parcel is still in temporary use after the use's end date."""
    uses = temporary_uses(evidence)
    if state is not State.CUSTODY or not uses:
        return None
    latest = uses[-1]
    ended = _find(evidence, EvidenceKind.TEMPORARY_USE_ENDED)
    if (ended and latest.start and ended.on >= latest.start) or not latest.end or latest.end >= today:
        return None
    return Finding(
        code="register.temporary_use_overdue",
        severity=Severity.WARNING,
        message=(
            f"地块 {code} 的临时利用“{latest.ref}”已于{latest.end}到期（今天{today}），仍处于管护/临时利用状态："
            "请收回土地并登记临时利用终止证据，或按规定续期报批"
        ),
        values={"code": code, "ref": latest.ref, "end": latest.end.isoformat(), "today": today.isoformat()},
    )
