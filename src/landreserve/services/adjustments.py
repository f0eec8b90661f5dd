"""Adjustments of an approved plan as the departments work them: the reserve center (or the natural
resources bureau) proposes, the county government approves or rejects.

A proposal is checked against the current version when it is made (the same rules as the adjustment
itself), so the government decides on something that can be applied. Approving it writes the new
approved version (``plan_versions.adjust_in``) and marks the proposal approved in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.actors import DEPARTMENTS
from ..domain.permissions import Permission
from ..domain.plan_versions import Approval, apply_adjustment, parse_parcel_values
from ..errors import ConflictError, InputError, NotFoundError, RuleViolation
from ..storage.db import reading, transaction
from ..storage.web_tables import PlanAdjustmentRow
from . import clock, history
from .authorization import requires
from .clock import utc_now
from .conflicts import conflicts
from .context import Context
from .plan_versions import APPROVED, VersionSummary, adjust_in, checked_approval, version_parcels, version_row

PENDING, DONE, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"
STATUS_LABELS = {PENDING: "待县政府审批", DONE: "已批准", REJECTED: "已退回", WITHDRAWN: "已撤回"}
ENTITY = "plan_adjustment"


@dataclass(frozen=True)
class AdjustmentView:
    id: int
    base_version_id: int
    plan_id: int
    status: str
    add: list[dict]
    remove: list[str]
    change: list[dict]
    reason: str
    proposed_at: datetime
    proposed_by: str
    proposed_department: str
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None
    result_version_id: int | None
    row_version: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def department_name(self) -> str:
        return DEPARTMENTS.get(self.proposed_department, self.proposed_department)


def _view(session: Session, row: PlanAdjustmentRow) -> AdjustmentView:
    changes = row.changes or {}
    return AdjustmentView(
        row.id, row.base_version_id, version_row(session, row.base_version_id).plan_id, row.status,
        list(changes.get("add", [])), list(changes.get("remove", [])), list(changes.get("change", [])),
        row.reason, row.proposed_at, row.proposed_by, row.proposed_department, row.decided_at, row.decided_by,
        row.decision_note, row.result_version_id, row.row_version,
    )  # fmt: skip


def _guard():
    return conflicts(
        "该计划调整正被他人同时处理，本次未保存；请刷新后查看其最新状态",
        "plan.adjustment_conflict",
    )


@requires(Permission.ADJUSTMENT_PROPOSE)
def propose(
    ctx: Context, version_id: int, *, add=(), remove=(), change=(), reason: str | None = None
) -> AdjustmentView:
    """Propose an adjustment of a plan's current version (checked now; decided by the government)."""
    add, remove, change = [dict(a) for a in add], [str(r) for r in remove], [dict(c) for c in change]
    if not (add or remove or change):
        raise InputError("没有任何调整内容：请写明新增、调出或变更的地块", code="plan.adjustment_empty")
    if not (reason and reason.strip()):
        raise InputError("请写明调整原因", code="plan.adjustment_reason", details={"field": "reason"})
    plausibility.note(reason, "调整原因")
    _check_items(ctx, add, change)
    with _guard(), transaction(ctx.engine) as session:
        base = version_row(session, version_id)
        if base.status != APPROVED:
            raise RuleViolation(
                f"计划版本 {version_id}（第{base.version}版）不是现行已批准版本，只能对现行版本提出调整",
                code="plan.not_current",
            )
        apply_adjustment(version_parcels(session, base.id), add, remove, change)  # refuses what cannot apply
        row = PlanAdjustmentRow(
            base_version_id=base.id, status=PENDING, changes={"add": add, "remove": remove, "change": change},
            reason=reason.strip(), proposed_at=utc_now(), proposed_by=ctx.actor.name,
            proposed_department=ctx.actor.department,
        )  # fmt: skip
        session.add(row)
        session.flush()
        history.record(
            session, ctx.actor, ENTITY, row.id, "plan.adjustment.propose", None,
            {"base_version": base.id, **row.changes, "reason": row.reason},
        )  # fmt: skip
        return _view(session, row)


def _check_items(ctx: Context, add: list[dict], change: list[dict]) -> None:
    """Each new parcel's code can be a code, each area given is plausible (``domain.plausibility``) —
    checked when the adjustment is proposed, not first when the government approves it."""
    window = clock.window(ctx.settings)
    for item in add:
        code = str(item.get("code") or "")
        problem = plausibility.code_problem(code)
        if problem:
            raise InputError(
                f"新增地块的编号“{code[:40]}”不是有效的编号：{problem}。请改正编号后重新提交",
                code="input.code", details={"field": "code"},
            )  # fmt: skip
    for item in (*add, *change):
        area = parse_parcel_values({"area_m2": item["area_m2"]})["area_m2"] if item.get("area_m2") else None
        window.area_m2(area, f"调整中地块 {str(item.get('code') or '')[:40]} 的面积")


def _pending(session: Session, adjustment_id: int, expected_version: int | None) -> PlanAdjustmentRow:
    row = session.get(PlanAdjustmentRow, adjustment_id)
    if row is None:
        raise NotFoundError(f"计划调整 {adjustment_id} 不存在", code="plan.adjustment_not_found")
    if row.status != PENDING:
        raise RuleViolation(
            f"计划调整 {adjustment_id} 状态为“{STATUS_LABELS.get(row.status, row.status)}”，不能再处理",
            code="plan.adjustment_decided",
        )
    if expected_version is not None and row.row_version != expected_version:
        raise ConflictError(
            f"计划调整 {adjustment_id} 已被他人修改，本次未保存；请刷新后查看",
            code="plan.adjustment_conflict",
        )
    return row


@requires(Permission.ADJUSTMENT_APPROVE)
def approve(
    ctx: Context, adjustment_id: int, approval_no: str, approved_on: date | None, approving_body: str,
    *, expected_version: int | None = None,
) -> VersionSummary:  # fmt: skip
    """Approve a pending proposal: the plan's new approved version (the old one superseded) and the
    proposal marked approved, in one transaction."""
    approval = checked_approval(ctx, Approval.checked(approval_no, approved_on, approving_body))
    with _guard(), transaction(ctx.engine) as session:
        row = _pending(session, adjustment_id, expected_version)
        changes = row.changes or {}
        result = adjust_in(
            session, ctx, row.base_version_id, list(changes.get("add", [])), list(changes.get("remove", [])),
            list(changes.get("change", [])), approval, row.reason,
        )  # fmt: skip
        row.status, row.decided_at, row.decided_by = DONE, utc_now(), ctx.actor.name
        row.decision_note, row.result_version_id = (
            f"{approval.approving_body} {approval.approval_no}",
            result.id,
        )
        session.flush()
        history.record(session, ctx.actor, ENTITY, row.id, "plan.adjustment.approve", {"status": PENDING},
                       {"status": DONE, "version_id": result.id, "note": row.decision_note})  # fmt: skip
        return result


@requires(Permission.ADJUSTMENT_APPROVE)
def reject(
    ctx: Context, adjustment_id: int, note: str, *, expected_version: int | None = None
) -> AdjustmentView:
    """Send a proposal back with the reason (the plan stays as it is)."""
    if not (note and note.strip()):
        raise InputError("退回须写明理由", code="plan.adjustment_note", details={"field": "note"})
    plausibility.note(note, "退回理由")
    with _guard(), transaction(ctx.engine) as session:
        row = _pending(session, adjustment_id, expected_version)
        row.status, row.decided_at, row.decided_by, row.decision_note = (
            REJECTED,
            utc_now(),
            ctx.actor.name,
            note.strip(),
        )
        session.flush()
        history.record(session, ctx.actor, ENTITY, row.id, "plan.adjustment.reject", {"status": PENDING},
                       {"status": REJECTED, "note": row.decision_note})  # fmt: skip
        return _view(session, row)


@requires(Permission.ADJUSTMENT_PROPOSE)
def withdraw(ctx: Context, adjustment_id: int, *, expected_version: int | None = None) -> AdjustmentView:
    with _guard(), transaction(ctx.engine) as session:
        row = _pending(session, adjustment_id, expected_version)
        row.status, row.decided_at, row.decided_by = WITHDRAWN, utc_now(), ctx.actor.name
        session.flush()
        history.record(session, ctx.actor, ENTITY, row.id, "plan.adjustment.withdraw", {"status": PENDING},
                       {"status": WITHDRAWN})  # fmt: skip
        return _view(session, row)


def list_adjustments(
    ctx: Context, *, plan_id: int | None = None, status: str | None = None
) -> list[AdjustmentView]:
    with reading(ctx.engine) as session:
        query = select(PlanAdjustmentRow).order_by(PlanAdjustmentRow.id.desc())
        if status:
            query = query.where(PlanAdjustmentRow.status == status)
        views = [_view(session, r) for r in session.scalars(query)]
    return [v for v in views if plan_id is None or v.plan_id == plan_id]


def get_adjustment(ctx: Context, adjustment_id: int) -> AdjustmentView:
    with reading(ctx.engine) as session:
        row = session.get(PlanAdjustmentRow, adjustment_id)
        if row is None:
            raise NotFoundError(f"计划调整 {adjustment_id} 不存在", code="plan.adjustment_not_found")
        return _view(session, row)
