"""Report use cases: the figures of each report read from the database (plan version, register, ledger),
handed to the pure report models of ``domain.reports``. Rendering is ``landreserve.reports``."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.lifecycle import State
from ..domain.reports.narrative import Narrative
from ..domain.reports.parcel_list import ParcelList
from ..domain.reports.parcel_list import parcel_list as build_parcel_list
from ..domain.reports.plan_document import PlanMeta, PlanReport, plan_report
from ..errors import NotFoundError
from ..storage.db import reading
from ..storage.plan_tables import PlanRow, PlanVersionRow
from ..storage.register_tables import ReserveParcelRow
from .context import Context
from .plan_versions import APPROVED, STATUS_LABELS, version_parcels
from .plans import _find_plan


def choose_version(session: Session, plan_id_or_key: int | str, number: int | None) -> PlanVersionRow:
    """The version numbered ``number`` (版次) of the plan, else its current approved one, else its latest."""
    plan: PlanRow = _find_plan(session, plan_id_or_key)
    if not plan.versions:
        raise NotFoundError(f"储备计划“{plan.plan_key}”还没有任何版本", code="report.no_version")
    if number is not None:
        for v in plan.versions:
            if v.version == number:
                return v
        known = "、".join(str(v.version) for v in plan.versions)
        raise NotFoundError(
            f"储备计划“{plan.plan_key}”（编号 {plan.id}）没有第 {number} 版；现有版本：{known}",
            code="report.version_not_found",
        )
    approved = [v for v in plan.versions if v.status == APPROVED]
    return (approved or plan.versions)[-1]


def stated_funds(version: PlanVersionRow) -> Decimal | None:
    """The funds the plan text states (元), e.g. 资金总量0.75亿元 (kept through adjustments)."""
    for total in (version.structure or {}).get("totals") or []:
        if total.get("kind") == "funds":
            for figure in (total.get("measure") or {}).get("figures") or []:
                if figure.get("quantity") == "money" and figure.get("base_value"):
                    return Decimal(figure["base_value"])
    return None


def plan_meta(version: PlanVersionRow) -> PlanMeta:
    plan = version.plan
    jurisdiction = plan.jurisdiction or ""
    title = version.title or plan.title or f"{jurisdiction}{plan.year or ''}年土地储备计划"
    return PlanMeta(
        title=title, jurisdiction=jurisdiction, year=plan.year, version=version.version,
        status=STATUS_LABELS.get(version.status, version.status), approval_no=version.approval_no,
        approved_on=version.approved_on, approving_body=version.approving_body, reason=version.reason,
        doc_number=version.doc_number,
    )  # fmt: skip


def plan_document(
    ctx: Context, plan: int | str, version: int | None = None, narrative: Narrative | None = None
) -> PlanReport:
    """The plan document's figures for a stored plan version (default: the current approved one).

    ``narrative`` gives the texts of the narrative sections (``Narrative.from_lines`` of the imported
    document, or of an edited text file); sections it lacks get neutral default texts.
    """
    with reading(ctx.engine) as session:
        row = choose_version(session, plan, version)
        parcels = version_parcels(session, row.id)
        return plan_report(plan_meta(row), parcels, stated_funds(row), narrative)


def versions_of(session: Session, plan_id: int) -> list[PlanVersionRow]:
    return list(
        session.scalars(
            select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id).order_by(PlanVersionRow.version)
        )
    )


def parcel_list(ctx: Context, plan: int | str, version: int | None = None) -> ParcelList:
    """The version's parcels with their state in the register (储备地块清单)."""
    with reading(ctx.engine) as session:
        row = choose_version(session, plan, version)
        parcels = version_parcels(session, row.id)
        states = dict(session.execute(select(ReserveParcelRow.code, ReserveParcelRow.state)).all())
        return build_parcel_list(plan_meta(row), parcels, {c: State(s) for c, s in states.items()})
