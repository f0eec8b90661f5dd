"""Plan versions: approve a version, adjust an approved plan into a new approved version, diff two versions.

A plan's *current* version is its approved version that no later approval superseded. An adjustment
copies the current version's figures and parcels with the changes into version N+1 (status ``approved``)
and marks the old one ``superseded``; the old version stays readable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.history import canonical_json
from ..domain.permissions import Permission
from ..domain.plan_versions import Approval, VersionDiff, VersionParcel, apply_adjustment, diff
from ..domain.register import Condition, Source, parse_area
from ..errors import NotFoundError, RuleViolation
from ..storage.db import reading, transaction
from ..storage.plan_tables import PlanFigureRow, PlanParcelRow, PlanRow, PlanVersionRow
from ..storage.register_tables import PlanParcelFactsRow
from . import clock, history
from .authorization import requires
from .conflicts import conflicts
from .context import Context
from .plan_json import plain
from .plan_rows import version_figures

APPROVED = "approved"
SUPERSEDED = "superseded"
STATUS_LABELS = {"imported": "已导入（未批准）", APPROVED: "已批准（现行）", SUPERSEDED: "已被调整替代"}


@dataclass(frozen=True)
class VersionSummary:
    id: int
    plan_id: int
    version: int
    status: str
    year: int | None
    approval_no: str | None
    approved_on: date | None
    approving_body: str | None
    reason: str | None
    based_on_version_id: int | None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _concurrent(what: str):
    """Two users approving or adjusting one plan at the same moment: the second is told to retry."""
    return conflicts(
        f"该计划正被他人同时{what}，本次未保存。请用 landreserve plan versions 查看最新版本后重试。",
        "plan.concurrent_change",
    )


def summary(row: PlanVersionRow) -> VersionSummary:
    return VersionSummary(
        row.id, row.plan_id, row.version, row.status, row.plan.year, row.approval_no, row.approved_on,
        row.approving_body, row.reason, row.based_on_version_id,
    )  # fmt: skip


def version_row(session: Session, version_id: int, for_update: bool = False) -> PlanVersionRow:
    """The version, locked against concurrent approval/adjustment when ``for_update`` (PostgreSQL)."""
    row = session.get(PlanVersionRow, version_id, with_for_update=for_update or None)
    if row is None:
        raise NotFoundError(
            f"计划版本编号 {version_id} 不存在：请用 landreserve plans 查看计划编号，"
            "再用 landreserve plan versions 计划编号 查看其各版本的版本编号",
            code="plan.version_not_found",
        )
    return row


def current_version(session: Session, plan_id: int) -> PlanVersionRow | None:
    """The plan's approved, not superseded version (the latest one if several)."""
    return session.scalars(
        select(PlanVersionRow)
        .where(PlanVersionRow.plan_id == plan_id, PlanVersionRow.status == APPROVED)
        .order_by(PlanVersionRow.version.desc())
    ).first()


def approved_version(
    session: Session, plan_id: int, version_id: int | None, purpose: str, code: str
) -> PlanVersionRow:
    """The plan version something is built on (``purpose``, e.g. 储备地块登记): the version named, which
    must be the plan's approved current one, or else the plan's current approved version.

    Raises ``RuleViolation`` (with ``code``) listing the plan's versions and their status otherwise.
    """
    version = (
        version_row(session, version_id) if version_id is not None else current_version(session, plan_id)
    )
    if version is None or version.plan_id != plan_id or version.status != APPROVED:
        states = "、".join(
            f"第{v.version}版（版本编号 {v.id}）：{STATUS_LABELS.get(v.status, v.status)}"
            for v in session.scalars(
                select(PlanVersionRow)
                .where(PlanVersionRow.plan_id == plan_id)
                .order_by(PlanVersionRow.version)
            )
        )
        named = f"版本编号 {version_id} 不是" if version_id is not None else "没有"
        raise RuleViolation(
            f"计划 {plan_id} {named}已批准的现行版本（现有：{states or '无'}）；{purpose}须依据经批准的现行计划："
            "请先批准（landreserve plan approve 版本编号 --approval-no … --approved-on …）",
            code=code,
        )
    return version


def current_plan_parcels(session: Session) -> dict[str, PlanParcelRow]:
    """Code → plan parcel row, over the current version of every plan (what is 'in the plan' today)."""
    rows = session.scalars(
        select(PlanParcelRow)
        .join(PlanVersionRow, PlanParcelRow.version_id == PlanVersionRow.id)
        .where(PlanVersionRow.status == APPROVED)
        .order_by(PlanVersionRow.id, PlanParcelRow.seq)
    )
    return {r.code: r for r in rows}


def in_current_plan(session: Session, code: str) -> bool:
    """Whether ``code`` is a parcel of the current version of some plan (:func:`current_plan_parcels`, one row)."""
    found = session.scalar(
        select(PlanParcelRow.id)
        .join(PlanVersionRow, PlanParcelRow.version_id == PlanVersionRow.id)
        .where(PlanVersionRow.status == APPROVED, PlanParcelRow.code == code)
        .limit(1)
    )
    return found is not None


def _version_parcel(row: PlanParcelRow, facts: PlanParcelFactsRow | None) -> VersionParcel:
    return VersionParcel(
        code=row.code,
        location=row.location,
        area_m2=row.area_m2,
        land_use=(facts.land_use if facts and facts.land_use else row.use),
        zone=facts.zone if facts else None,
        stock=facts.stock if facts else None,
        condition=Condition(facts.condition) if facts and facts.condition else None,
        source=Source(facts.source) if facts and facts.source else None,
    )


def version_parcels(session: Session, version_id: int) -> list[VersionParcel]:
    """The parcels of a version with what is known of them (use, zone, stock from ``plan_parcel_facts``)."""
    pairs = session.execute(
        select(PlanParcelRow, PlanParcelFactsRow)
        .outerjoin(PlanParcelFactsRow, PlanParcelFactsRow.plan_parcel_id == PlanParcelRow.id)
        .where(PlanParcelRow.version_id == version_id)
        .order_by(PlanParcelRow.seq)
    ).all()
    return [_version_parcel(p, f) for p, f in pairs]


def fill_plan_facts(session: Session, plan_parcel_id: int, parcel: VersionParcel) -> None:
    """Record facts of a plan parcel that were unknown so far (known facts are never overwritten)."""
    row = session.get(PlanParcelFactsRow, plan_parcel_id) or PlanParcelFactsRow(plan_parcel_id=plan_parcel_id)
    for name, value in (
        ("land_use", parcel.land_use),
        ("zone", parcel.zone),
        ("stock", parcel.stock),
        ("condition", parcel.condition.value if parcel.condition else None),
        ("source", parcel.source.value if parcel.source else None),
    ):
        if getattr(row, name) is None and value is not None:
            setattr(row, name, value)
    session.add(row)


@requires(Permission.PLAN_APPROVE)
def approve_version(
    ctx: Context, version_id: int, approval_no: str, approved_on: date, approving_body: str
) -> VersionSummary:
    """Record the approval (批准文号, date, approving body) of an imported version; it becomes current.

    The approved version it replaces and any older unapproved versions become ``superseded``; a
    version older than the approved one cannot be approved (the county adjusts the current one instead).

    Raises
    ------
    RuleViolation
        The approval is incomplete, or the version is already approved or superseded.
    """
    approval = checked_approval(ctx, Approval.checked(approval_no, approved_on, approving_body))
    with _concurrent("批准"), transaction(ctx.engine) as session:
        row = version_row(session, version_id, for_update=True)
        if row.status != "imported":
            raise RuleViolation(
                f"计划版本 {version_id}（第{row.version}版）状态为“{STATUS_LABELS.get(row.status, row.status)}”，"
                "只有已导入、未批准的版本可以批准；调整已批准的计划请用 landreserve plan adjust",
                code="plan.not_approvable",
            )
        previous = current_version(session, row.plan_id)
        if previous is not None and previous.version > row.version:
            raise RuleViolation(
                f"计划版本 {version_id}（第{row.version}版）早于已批准的第{previous.version}版"
                f"（版本 {previous.id}），不能再批准；如需恢复其内容，请以第{previous.version}版为基础"
                "用 landreserve plan adjust 提出调整并报批",
                code="plan.not_approvable",
            )
        drafts = _older_drafts(session, row)
        before = {
            "status": row.status,
            "superseded": previous.id if previous else None,
            "drafts_superseded": [d.id for d in drafts],
        }
        for replaced in ([previous] if previous is not None else []) + drafts:
            replaced.status = SUPERSEDED
        row.status, row.approval_no = APPROVED, approval.approval_no
        row.approved_on, row.approving_body = approval.approved_on, approval.approving_body
        history.record(
            session, ctx.actor, "plan_version", row.id, "plan.approve", before,
            {"status": APPROVED, "plan_id": row.plan_id, "version": row.version},
            [{"kind": "plan_approval", **_approval_dict(approval)}],
        )  # fmt: skip
        session.flush()
        return summary(row)


def checked_approval(ctx: Context, approval: Approval) -> Approval:
    """The approval with a plausible date and texts (``domain.plausibility``), else ``InputError``."""
    clock.window(ctx.settings).date(approval.approved_on, "批准日期")
    plausibility.text(approval.approval_no, "批准文号", 200)
    plausibility.text(approval.approving_body, "批准机关", 200)
    return approval


def _older_drafts(session: Session, row: PlanVersionRow) -> list[PlanVersionRow]:
    """Unapproved versions older than ``row``: approving ``row`` replaces them too."""
    query = select(PlanVersionRow).where(
        PlanVersionRow.plan_id == row.plan_id,
        PlanVersionRow.version < row.version,
        PlanVersionRow.status == "imported",
    )
    return list(session.scalars(query))


def _approval_dict(approval: Approval) -> dict:
    return {
        "approval_no": approval.approval_no,
        "approved_on": approval.approved_on.isoformat(),
        "approving_body": approval.approving_body,
    }


def _content_hash(
    base: PlanVersionRow, parcels: Sequence[VersionParcel], approval: Approval, reason: str
) -> str:
    data = {
        "base": base.content_sha256,
        "parcels": [p.__dict__ for p in parcels],
        "approval": _approval_dict(approval),
    }
    return hashlib.sha256(canonical_json({**data, "reason": reason}).encode("utf-8")).hexdigest()


def _copy_figures(session: Session, base: PlanVersionRow, new_id: int) -> None:
    """Every figure of the base version as a figure row of the new one — the parcels' areas that the base's
    parcel rows hold too (``services.plan_rows``): the new version's parcels may differ, its figures not."""
    for seq, f in version_figures(base):
        columns = {key: getattr(f, key) for key in _FIGURE_COLUMNS}
        session.add(PlanFigureRow(**columns, seq=seq, quantity=plain(f.quantity), version_id=new_id))


#: the columns of a figure row that a figure of either kind has under the same name
_FIGURE_COLUMNS = ("label", "value", "unit", "base_value", "qualifier", "line", "text")


def _copy_parcels(
    session: Session, base_id: int, new_id: int, parcels: Sequence[VersionParcel], approval: Approval
) -> None:
    old = {
        r.code: r for r in session.scalars(select(PlanParcelRow).where(PlanParcelRow.version_id == base_id))
    }
    for seq, p in enumerate(parcels):
        source = old.get(p.code)
        row = PlanParcelRow(
            version_id=new_id, seq=seq, code=p.code,
            code_as_written=source.code_as_written if source else p.code,
            location=p.location, area_m2=p.area_m2,
            area_text=source.area_text if source and source.area_m2 == p.area_m2 else f"{p.area_m2}平方米",
            use=p.land_use,
            land_use_gb2017=source.land_use_gb2017 if source and source.use == p.land_use else None,
            land_use_gb2023=source.land_use_gb2023 if source and source.use == p.land_use else None,
            carried_over=source.carried_over if source else False,
            line=source.line if source else 0,
            text=source.text if source else f"计划调整新增（{approval.approval_no}）",
        )  # fmt: skip
        session.add(row)
        session.flush()
        fill_plan_facts(session, row.id, p)


@requires(Permission.ADJUSTMENT_APPROVE)
def adjust_plan(
    ctx: Context,
    version_id: int,
    add: Iterable[Mapping[str, object]] = (),
    remove: Iterable[str] = (),
    change: Iterable[Mapping[str, object]] = (),
    approval: Approval | None = None,
    reason: str | None = None,
) -> VersionSummary:
    """Adjust the current version of a plan into a new approved version (the old one stays readable).

    Parameters
    ----------
    version_id
        The plan's current (approved) version.
    add, change
        Parcels as mappings: ``code`` and any of ``location``, ``area_m2`` (㎡), ``land_use``, ``zone``,
        ``stock`` (存量/新增), ``condition`` (闲置/低效), ``source``.
    remove
        Codes of parcels leaving the plan.
    approval
        The adjustment's approval (批准文号, date, approving body). Required: a parcel outside the plan
        may be taken in only after its approval procedure, and every adjustment is an approved version.
    reason
        Why the plan is adjusted.

    Raises
    ------
    RuleViolation
        Missing approval or reason (each named), nothing to change, the base not current, or a change
        that does not fit the parcel list. Nothing is written.
    """
    add, remove, change = list(add), list(remove), list(change)
    problems = _adjustment_problems(add, remove, change, approval, reason)
    if problems:
        raise RuleViolation(
            f"计划调整被拒绝：{len(problems)} 项不全（见下），请补齐后重新提交；什么也没有保存",
            reasons=problems,
            code="plan.adjustment_refused",
        )
    assert approval is not None and reason is not None
    checked_approval(ctx, approval)
    for item in [*add, *change]:
        window = clock.window(ctx.settings)
        area = item.get("area_m2")
        if area not in (None, ""):
            window.area_m2(parse_area(area), f"地块 {item.get('code', '')} 的面积")
    with _concurrent("调整"), transaction(ctx.engine) as session:
        return adjust_in(session, ctx, version_id, add, remove, change, approval, reason)


def adjust_in(
    session: Session, ctx: Context, version_id: int, add: list, remove: list, change: list,
    approval: Approval, reason: str,
) -> VersionSummary:  # fmt: skip
    """The adjustment written in the caller's transaction (``adjust_plan`` checks its inputs first; an
    approved proposal (``services.adjustments``) is marked approved in the same transaction)."""
    base = version_row(session, version_id, for_update=True)
    _require_current(base)
    parcels = apply_adjustment(version_parcels(session, base.id), add, remove, change)
    new = _new_version(session, ctx, base, parcels, approval, reason.strip())
    _copy_figures(session, base, new.id)
    _copy_parcels(session, base.id, new.id, parcels, approval)
    base.status = SUPERSEDED
    change_log = {"based_on": base.id, "add": add, "remove": remove, "change": change, "reason": reason}
    history.record(
        session, ctx.actor, "plan_version", new.id, "plan.adjust", {"version_id": base.id, "status": APPROVED},
        change_log, [{"kind": "plan_approval", **_approval_dict(approval)}],
    )  # fmt: skip
    session.flush()
    return summary(new)


def _adjustment_problems(add, remove, change, approval: Approval | None, reason: str | None) -> list[str]:
    problems = []
    if not (add or remove or change):
        problems.append("没有任何调整内容：请用 --add、--remove 或 --change 写明新增、调出或变更的地块")
    if approval is None:
        detail = "计划外地块须履行报批手续后方可收储" if add else "计划调整须经批准"
        problems.append(
            f"缺少调整的批准记录（{detail}）：请用 --approval-no、--approved-on、--approving-body "
            "写明批准文号、批准日期、批准机关"
        )
    if not (reason and reason.strip()):
        problems.append("缺少调整原因：请用 --reason 写明")
    return problems


def _require_current(base: PlanVersionRow) -> None:
    if base.status != APPROVED:
        raise RuleViolation(
            f"计划版本 {base.id}（第{base.version}版）状态为“{STATUS_LABELS.get(base.status, base.status)}”，"
            "只能在现行已批准版本上调整：请先批准（landreserve plan approve）或选用现行版本",
            code="plan.not_current",
        )


def _new_version(
    session: Session,
    ctx: Context,
    base: PlanVersionRow,
    parcels: Sequence[VersionParcel],
    approval: Approval,
    reason: str,
) -> PlanVersionRow:
    last = session.scalar(
        select(func.max(PlanVersionRow.version)).where(PlanVersionRow.plan_id == base.plan_id)
    )
    row = PlanVersionRow(
        plan_id=base.plan_id, version=(last or 0) + 1,
        content_sha256=_content_hash(base, parcels, approval, reason),
        source_name=f"{base.source_name}（调整：{approval.approval_no}）", title=base.title,
        doc_number=base.doc_number, status=APPROVED, based_on_version_id=base.id,
        approval_no=approval.approval_no, approved_on=approval.approved_on,
        approving_body=approval.approving_body, reason=reason, created_at=clock.utc_now(),
        created_by=f"{ctx.actor.name}（{ctx.actor.department_name}）", line_count=base.line_count,
        structure=base.structure,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def diff_versions(ctx: Context, old_version_id: int, new_version_id: int) -> VersionDiff:
    """Parcels added, removed and changed from one version to another, and how each indicator moved."""
    with reading(ctx.engine) as session:
        old, new = version_row(session, old_version_id), version_row(session, new_version_id)
        return diff(version_parcels(session, old.id), version_parcels(session, new.id))


def list_versions(ctx: Context, plan_id: int) -> list[VersionSummary]:
    with reading(ctx.engine) as session:
        if session.get(PlanRow, plan_id) is None:
            raise NotFoundError(
                f"计划编号 {plan_id} 不存在，请用 landreserve plans 查看已导入的计划", code="plan.not_found"
            )
        rows = session.scalars(
            select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id).order_by(PlanVersionRow.version)
        )
        return [summary(r) for r in rows]
