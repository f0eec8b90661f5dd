"""Register use cases: create parcels (from an approved plan or one by one), change their facts, add
evidence, move them through the lifecycle, show them with their gates and timeline, and list findings.

Every write is one transaction with its history entry; a refused operation writes nothing. Parcels are
optimistically locked: a writer that read an older ``row_version`` gets ``ConflictError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from ..domain import lifecycle, plausibility
from ..domain.evidence import Evidence, EvidenceKind
from ..domain.findings import Finding, Severity
from ..domain.history import ChainEntry
from ..domain.lifecycle import STATE_LABELS, GateStatus, Request, Rules, State, Supply, SupplyMethod
from ..domain.permissions import Permission
from ..domain.register import FACT_LABELS, Condition, ParcelFacts, Source, normalise_code
from ..errors import ConflictError, InputError, NotFoundError, RuleViolation
from ..storage.db import reading, transaction
from ..storage.plan_tables import PlanParcelRow
from ..storage.register_tables import EvidenceRow, ParcelEventRow, ReserveParcelRow
from . import clock, history
from .authorization import requires
from .conflicts import conflicts
from .context import Context
from .plan_versions import (
    approved_version,
    current_plan_parcels,
    fill_plan_facts,
    in_current_plan,
    version_parcels,
)

ENTITY = "parcel"


@dataclass(frozen=True)
class ParcelView:
    """A register parcel as shown: facts, state, evidence, the gates of each next state, the timeline."""

    id: int
    facts: ParcelFacts
    state: State
    state_since: date
    row_version: int
    in_plan: bool
    plan_version_id: int | None
    evidence: list[Evidence]
    gates: dict[State, list[GateStatus]]
    timeline: list[ChainEntry]
    supply: Supply | None = None
    withdrawn_reason: str | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class CreateResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def conflict_guard(code: str):
    """Turn a lost optimistic-lock race (or a parcel registered twice at once) into a Chinese ``ConflictError``."""
    return conflicts(
        f"地块 {code} 正被他人同时登记或修改，本次未保存。请用 landreserve parcel show {code} 查看后重试。",
        "register.conflict",
        f"地块 {code} 已被他人修改（您读取后又有新的变更），本次修改未保存。"
        f"请重新查看（landreserve parcel show {code}）后再操作。",
    )


def facts_of(row: ReserveParcelRow) -> ParcelFacts:
    return ParcelFacts(
        code=row.code,
        location=row.location,
        area_m2=row.area_m2,
        land_use=row.land_use,
        zone=row.zone,
        source=Source(row.source) if row.source else None,
        stock=row.stock,
        condition=Condition(row.condition) if row.condition else None,
    )


def _set_facts(row: ReserveParcelRow, facts: ParcelFacts) -> None:
    row.location, row.area_m2, row.land_use, row.zone = (
        facts.location,
        facts.area_m2,
        facts.land_use,
        facts.zone,
    )
    row.source = facts.source.value if facts.source else None
    row.stock = facts.stock
    row.condition = facts.condition.value if facts.condition else None


def _evidence(row: EvidenceRow) -> Evidence:
    return Evidence(
        EvidenceKind(row.kind), row.ref, row.on, row.confirmed_by, row.subject, row.start, row.end
    )


def _supply(row: ReserveParcelRow) -> Supply | None:
    if row.supply_method is None:
        return None
    return Supply(SupplyMethod(row.supply_method), row.supply_date, row.supply_contract_no, row.supply_price)


def snapshot(row: ReserveParcelRow) -> dict:
    """The parcel's state as logged in history (before/after)."""
    supply = _supply(row)
    return {
        **facts_of(row).to_dict(),
        "state": row.state,
        "state_since": row.state_since,
        "withdrawn_reason": row.withdrawn_reason,
        "supply": supply.to_dict() if supply else None,
    }


def parcel_row(session: Session, code: str) -> ReserveParcelRow:
    code = normalise_code(code)
    row = session.scalars(select(ReserveParcelRow).where(ReserveParcelRow.code == code)).one_or_none()
    if row is None:
        raise NotFoundError(
            f"储备库中没有地块 {code}。请用 landreserve parcel list 查看，或先登记（parcel create-from-plan / parcel add）",
            code="register.not_found",
        )
    return row


def _check_version(row: ReserveParcelRow, expected: int | None) -> None:
    if expected is not None and row.row_version != expected:
        raise ConflictError(
            f"地块 {row.code} 已被他人修改：您看到的是第 {expected} 版，现在是第 {row.row_version} 版，本次修改未保存。"
            f"请重新查看（landreserve parcel show {row.code}）后再操作。",
            code="register.conflict",
        )


def _new_row(
    ctx: Context, facts: ParcelFacts, on: date, plan_parcel: PlanParcelRow | None
) -> ReserveParcelRow:
    row = ReserveParcelRow(
        code=facts.code, state=State.PLANNED.value, state_since=on, created_at=clock.utc_now(),
        created_by=f"{ctx.actor.name}（{ctx.actor.department_name}）",
        plan_version_id=plan_parcel.version_id if plan_parcel else None,
        plan_parcel_id=plan_parcel.id if plan_parcel else None,
    )  # fmt: skip
    _set_facts(row, facts)
    return row


def _insert(session: Session, ctx: Context, row: ReserveParcelRow, action: str) -> None:
    session.add(row)
    session.flush()
    session.add(_event(ctx, row, None, State.PLANNED, row.state_since, None, {}))
    history.record(session, ctx.actor, ENTITY, row.code, action, None, snapshot(row))


def _event(ctx, row, from_state, to_state: State, on: date, reason, details) -> ParcelEventRow:
    return ParcelEventRow(
        parcel_id=row.id, seq=len(row.events) + 1, from_state=from_state.value if from_state else None,
        to_state=to_state.value, on=on, at=clock.utc_now(), actor=ctx.actor.name, department=ctx.actor.department,
        reason=reason, details=details,
    )  # fmt: skip


@requires(Permission.PARCEL_REGISTER)
def create_from_plan(
    ctx: Context,
    plan_id: int,
    facts: Mapping[str, Mapping[str, object]] | None = None,
    on: date | None = None,
    version_id: int | None = None,
) -> CreateResult:
    """Register every parcel of the plan's current approved version (拟收储); codes already in the
    register are skipped.

    Parameters
    ----------
    facts
        Code → facts the plan text does not state (``source``, ``stock``, ``land_use``, ``zone``,
        ``condition`` …). They are also recorded as the plan parcel's facts where still unknown.
    version_id
        A specific approved version instead of the current one.

    Raises
    ------
    RuleViolation
        The plan has no approved version (approve it first).
    InputError
        ``facts`` names a code that is not in the plan.
    """
    facts = {normalise_code(k): v for k, v in (facts or {}).items()}
    window = clock.window(ctx.settings)
    window.date(on, "登记日期")
    with conflict_guard(f"（计划 {plan_id}）"), transaction(ctx.engine) as session:
        version = approved_version(session, plan_id, version_id, "储备地块登记", "register.plan_not_approved")
        parcels = version_parcels(session, version.id)
        unknown = sorted(set(facts) - {p.code for p in parcels})
        if unknown:
            raise InputError(
                f"地块属性表中的地块 {'、'.join(unknown)} 不在计划 {plan_id} 第{version.version}版中，"
                "请核对编号（可用 landreserve show 计划编号 查看地块清单）",
                code="input.facts",
            )
        return _register_plan_parcels(session, ctx, version.id, parcels, facts, on or clock.today())


def _register_plan_parcels(
    session: Session, ctx: Context, version_id: int, parcels, facts: Mapping, on: date
) -> CreateResult:
    rows = {
        r.code: r
        for r in session.scalars(select(PlanParcelRow).where(PlanParcelRow.version_id == version_id))
    }
    existing = set(session.scalars(select(ReserveParcelRow.code)))
    _refuse_facts_of_registered(session, parcels, facts, existing)
    window = clock.window(ctx.settings)
    result = CreateResult()
    for parcel in parcels:
        if parcel.code in existing:
            result.skipped.append(parcel.code)
            continue
        merged = parcel.with_changes({k: v for k, v in facts.get(parcel.code, {}).items() if k != "code"})
        window.area_m2(merged.area_m2, f"地块 {parcel.code} 的面积")
        fill_plan_facts(session, rows[parcel.code].id, merged)
        _insert(session, ctx, _new_row(ctx, merged, on, rows[parcel.code]), "parcel.create_from_plan")
        existing.add(parcel.code)
        result.created.append(parcel.code)
    return result


def _refuse_facts_of_registered(session: Session, parcels, facts: Mapping, existing: set[str]) -> None:
    """A facts file that says something else of a parcel already registered is refused (it would be
    silently ignored otherwise): the parcel's facts are changed with ``parcel update``."""
    differing = []
    for parcel in parcels:
        given = {k: v for k, v in facts.get(parcel.code, {}).items() if k != "code"}
        if parcel.code not in existing or not given:
            continue
        row = session.scalars(select(ReserveParcelRow).where(ReserveParcelRow.code == parcel.code)).one()
        now, wanted = facts_of(row), facts_of(row).with_changes(given)
        changed = [FACT_LABELS.get(k, k) for k in wanted.to_dict() if wanted.to_dict()[k] != now.to_dict()[k]]
        if changed:
            differing.append(f"{parcel.code}（{'、'.join(changed)}）")
    if differing:
        raise InputError(
            f"地块属性表中的地块 {'、'.join(differing)} 已经登记，登记时不会改动已登记地块的属性，本次什么也没有保存。"
            "请从属性表中删去这些地块后重新登记，要修改已登记地块的属性请用 landreserve parcel update 编号 --set 属性=值",
            code="input.facts_registered",
        )


@requires(Permission.PARCEL_REGISTER)
def add_parcel(ctx: Context, facts: ParcelFacts, on: date | None = None) -> ParcelView:
    """Register one parcel (拟收储). A parcel outside the current plan can enter the reserve only with
    an approval record (evidence ``out_of_plan_approval``).

    Raises
    ------
    ConflictError
        A parcel with the same code is already registered.
    """
    window = clock.window(ctx.settings)
    window.date(on, "登记日期")
    window.area_m2(facts.area_m2, f"地块 {facts.code} 的面积")
    with conflict_guard(facts.code), transaction(ctx.engine) as session:
        if session.scalars(select(ReserveParcelRow.id).where(ReserveParcelRow.code == facts.code)).first():
            raise ConflictError(
                f"储备库中已有地块 {facts.code}，请用 landreserve parcel show {facts.code} 查看",
                code="register.exists",
            )
        plan_parcel = current_plan_parcels(session).get(facts.code)
        row = _new_row(ctx, facts, on or clock.today(), plan_parcel)
        _insert(session, ctx, row, "parcel.add")
        return _view(session, ctx, row)


@requires(Permission.PARCEL_EDIT)
def update_parcel(
    ctx: Context, code: str, changes: Mapping[str, object], expected_version: int | None = None
) -> ParcelView:
    """Change facts of a parcel (``land_use``, ``zone``, ``stock``, ``source``, ``area_m2`` …).

    ``expected_version`` is the ``row_version`` the caller saw; if someone changed the parcel since,
    ``ConflictError`` is raised and nothing is written.
    """
    with conflict_guard(code), transaction(ctx.engine) as session:
        row = parcel_row(session, code)
        _check_version(row, expected_version)
        before = snapshot(row)
        try:
            changed = facts_of(row).with_changes(changes)
        except InputError as exc:  # the parcel named with the value refused
            raise InputError(f"地块 {row.code}：{exc.message}", code=exc.code, details=exc.details) from None
        clock.window(ctx.settings).area_m2(changed.area_m2, f"地块 {row.code} 的面积")
        _set_facts(row, changed)
        session.flush()
        history.record(session, ctx.actor, ENTITY, row.code, "parcel.update", before, snapshot(row))
        return _view(session, ctx, row)


def _check_periods(evidence: Sequence[Evidence], rules: Rules) -> None:
    bad = [g.reason for g in lifecycle.custody_gates(evidence, rules)[1:] if not g.satisfied]
    if bad:
        raise RuleViolation(
            f"临时利用期限超过允许的 {rules.temporary_use_max_years} 年（LANDRESERVE_TEMPORARY_USE_MAX_YEARS），"
            "证据未登记：请缩短期限或另行报批",
            reasons=bad,
            code="register.temporary_use_too_long",
        )


def _store_evidence(session: Session, ctx: Context, row: ReserveParcelRow, evidence, event_id=None) -> None:
    for e in evidence:
        session.add(
            EvidenceRow(
                parcel_id=row.id,
                event_id=event_id,
                kind=e.kind.value,
                subject=e.subject,
                ref=e.ref,
                on=e.on,
                confirmed_by=e.confirmed_by,
                start=e.start,
                end=e.end,
                recorded_at=clock.utc_now(),
                recorded_by=ctx.actor.name,
            )  # fmt: skip
        )


@requires(Permission.PARCEL_EVIDENCE)
def add_evidence(
    ctx: Context, code: str, evidence: Sequence[Evidence], expected_version: int | None = None
) -> ParcelView:
    """Record evidence for a parcel without changing its state (gates read all recorded evidence)."""
    check_evidence(ctx, code, evidence)
    with conflict_guard(code), transaction(ctx.engine) as session:
        row = record_evidence(session, ctx, code, evidence, expected_version)
        return _view(session, ctx, row)


def check_evidence(ctx: Context, code: str, evidence: Sequence[Evidence]) -> None:
    """What :func:`add_evidence` checks before touching the database (some evidence, dates, periods)."""
    if not evidence:
        raise InputError(
            f"没有给出要为地块 {code} 登记的证据：请用 -e kind=类型,ref=文件编号,date=日期,by=确认人（可重复）",
            code="input.evidence",
        )
    _check_evidence_dates(ctx, evidence)
    _check_periods(evidence, Rules.from_settings(ctx.settings))


def record_evidence(
    session: Session, ctx: Context, code: str, evidence: Sequence[Evidence], expected_version: int | None
) -> ReserveParcelRow:
    """Write checked evidence (:func:`check_evidence`) and its history entry in ``session``; the parcel row."""
    row = parcel_row(session, code)
    _check_version(row, expected_version)
    _store_evidence(session, ctx, row, evidence)
    _touch(session, row)
    history.record(session, ctx.actor, ENTITY, row.code, "parcel.evidence", None, None,
                   [e.to_dict() for e in evidence])  # fmt: skip
    return row


def parcel_view(session: Session, ctx: Context, row: ReserveParcelRow) -> ParcelView:
    return _view(session, ctx, row)


def _check_evidence_dates(ctx: Context, evidence: Sequence[Evidence]) -> None:
    """Every date of the evidence in the plausible window (``domain.plausibility``)."""
    window = clock.window(ctx.settings)
    for e in evidence:
        what = f"证据“{e.ref}”（{e.kind.value}）"
        window.date(e.on, f"{what}的日期")
        window.date(e.start, f"{what}的起始日期")
        window.date(e.end, f"{what}的截止日期")


def _touch(session: Session, row: ReserveParcelRow) -> None:
    """Bump ``row_version`` even when no column changed (evidence added)."""
    flag_modified(row, "state")
    session.flush()


def _in_plan(session: Session, code: str) -> bool:
    return in_current_plan(session, code)


@requires(Permission.PARCEL_TRANSITION)
def transition(
    ctx: Context,
    code: str,
    target: State,
    evidence: Sequence[Evidence] = (),
    reason: str | None = None,
    on: date | None = None,
    supply: Supply | None = None,
    expected_version: int | None = None,
) -> ParcelView:
    """Move a parcel to ``target`` when every gate is satisfied by recorded plus given evidence.

    Parameters
    ----------
    evidence
        New evidence given with the transition (stored with it).
    reason
        Why (required for 调出).
    on
        Effective date (default today).
    supply
        Method, date, contract number and price (required for 已供应).
    expected_version
        The ``row_version`` the caller saw (optimistic locking).

    Raises
    ------
    RuleViolation
        A gate is missing; ``reasons`` names every one in Chinese. Nothing is written.
    ConflictError
        Someone changed the parcel since ``expected_version`` or concurrently.
    """
    rules = Rules.from_settings(ctx.settings)
    window = clock.window(ctx.settings)
    window.date(on, "变更生效日期")
    plausibility.note(reason, "变更原因")
    if supply is not None:
        plausibility.text(supply.contract_no, "供应合同编号", 200)
        window.date(supply.on, "供应日期")
        if supply.price is not None:
            plausibility.amount(supply.price, "供应价款")
    _check_evidence_dates(ctx, evidence)
    with conflict_guard(code), transaction(ctx.engine) as session:
        row = parcel_row(session, code)
        _check_version(row, expected_version)
        current = State(row.state)
        known = [_evidence(e) for e in row.evidence] + list(evidence)
        day = on or (supply.on if supply and supply.on else None) or clock.today()
        if supply is not None and supply.on is None:  # supplied on the day the change takes effect
            supply = replace(supply, on=day)
        request = Request(target, day, _in_plan(session, row.code), reason, supply, row.state_since)
        lifecycle.check_transition(current, facts_of(row), known, rules, request)
        _record_transition(session, ctx, row, request, evidence)
        return _view(session, ctx, row)


def _record_transition(
    session: Session, ctx: Context, row: ReserveParcelRow, request: Request, evidence: Sequence[Evidence]
) -> None:
    """The allowed change written: new state, its event, the evidence given with it, the history entry."""
    before, current = snapshot(row), State(row.state)
    _apply(row, request.target, request.on, request.reason, request.supply)
    details = {"supply": request.supply.to_dict() if request.supply else None}
    event = _event(ctx, row, current, request.target, request.on, request.reason, details)
    session.add(event)
    session.flush()
    _store_evidence(session, ctx, row, evidence, event.id)
    session.flush()
    history.record(
        session, ctx.actor, ENTITY, row.code, f"parcel.transition.{request.target.value}", before,
        snapshot(row), [e.to_dict() for e in evidence],
    )  # fmt: skip


def _apply(
    row: ReserveParcelRow, target: State, day: date, reason: str | None, supply: Supply | None
) -> None:
    row.state, row.state_since = target.value, day
    if target is State.WITHDRAWN:
        row.withdrawn_reason = reason
    if target is State.SUPPLIED and supply is not None:
        row.supply_method = supply.method.value if supply.method else None
        row.supply_date, row.supply_contract_no, row.supply_price = (
            supply.on,
            supply.contract_no,
            supply.price,
        )


def _gates(row: ReserveParcelRow, evidence: list[Evidence], rules: Rules, in_plan: bool) -> dict:
    current = State(row.state)
    result = {}
    for target in lifecycle.TRANSITIONS[current]:
        request = Request(target, clock.today(), in_plan, None, None)
        result[target] = lifecycle.gates(current, facts_of(row), evidence, rules, request)
    return result


def _view(session: Session, ctx: Context, row: ReserveParcelRow, *, fresh: bool = False) -> ParcelView:
    """The parcel as shown; ``fresh``: ``row`` was just read (else it is read again: a write may have changed it)."""
    if not fresh:
        session.refresh(row)
    evidence = [_evidence(e) for e in row.evidence]
    in_plan = _in_plan(session, row.code)
    return ParcelView(
        id=row.id, facts=facts_of(row), state=State(row.state), state_since=row.state_since,
        row_version=row.row_version, in_plan=in_plan, plan_version_id=row.plan_version_id, evidence=evidence,
        gates=_gates(row, evidence, Rules.from_settings(ctx.settings), in_plan),
        timeline=history.timeline(session, ENTITY, row.code), supply=_supply(row),
        withdrawn_reason=row.withdrawn_reason,
    )  # fmt: skip


def get_parcel(ctx: Context, code: str) -> ParcelView:
    """A parcel with its facts, evidence, the gates of each next state (satisfied or missing) and timeline."""
    with reading(ctx.engine) as session:
        return _view(session, ctx, parcel_row(session, code), fresh=True)


def list_parcels(ctx: Context, state: State | None = None) -> list[tuple[ParcelFacts, State, int]]:
    """Every register parcel (optionally in one state): facts, state, row_version; by code."""
    with reading(ctx.engine) as session:
        query = select(ReserveParcelRow).order_by(ReserveParcelRow.code)
        if state is not None:
            query = query.where(ReserveParcelRow.state == state.value)
        return [(facts_of(r), State(r.state), r.row_version) for r in session.scalars(query)]


def findings(ctx: Context, today: date | None = None) -> list[Finding]:
    """Problems in the register: overdue temporary uses; planned parcels no longer in any current plan.

    The evidence of all parcels is read in one query (not one per parcel: a county report has 10,000)."""
    today = today or clock.today()
    with reading(ctx.engine) as session:
        query = select(ReserveParcelRow).options(selectinload(ReserveParcelRow.evidence))
        rows = session.scalars(query.order_by(ReserveParcelRow.code)).all()
        in_plan = current_plan_parcels(session)
        result = []
        for row in rows:
            evidence = [_evidence(e) for e in row.evidence]
            overdue = lifecycle.overdue_temporary_use(row.code, State(row.state), evidence, today)
            if overdue:
                result.append(overdue)
            if (
                row.state == State.PLANNED.value
                and row.code not in in_plan
                and not any(e.kind is EvidenceKind.OUT_OF_PLAN_APPROVAL for e in evidence)
            ):
                result.append(_out_of_plan(row.code))
        return result


def _out_of_plan(code: str) -> Finding:
    return Finding(
        code="register.out_of_plan",
        severity=Severity.INFO,
        message=(
            f"地块 {code} 处于拟收储状态，但不在任何现行已批准的储备计划中：入库前须调整计划（landreserve plan "
            "adjust）或取得计划外收储批准（证据 kind=out_of_plan_approval）；不再收储的请调出（parcel transition "
            f"{code} 调出 --reason …）"
        ),
        values={"code": code},
    )
