"""Plan against reality for a plan year: the year's current plan version against the register."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.lifecycle import State
from ..domain.plan_vs_actual import ActualParcel, Report, StateChange, compare
from ..errors import NotFoundError
from ..storage.db import reading
from ..storage.plan_tables import PlanRow, PlanVersionRow
from ..storage.register_tables import ParcelEventRow, ReserveParcelRow
from .context import Context
from .plan_versions import APPROVED, VersionSummary, summary, version_parcels, version_row
from .register import facts_of


def _plan_version(session: Session, year: int) -> tuple[PlanVersionRow, list[str]]:
    """The current approved version of the year's annual reserve plan (else its latest version, noted)."""
    versions = session.scalars(
        select(PlanVersionRow)
        .join(PlanRow, PlanVersionRow.plan_id == PlanRow.id)
        .where(PlanRow.year == year)
        .order_by(
            PlanRow.kind != "annual_reserve", PlanVersionRow.status != APPROVED, PlanVersionRow.version.desc()
        )
    ).all()
    if not versions:
        raise NotFoundError(
            f"没有 {year} 年度的储备计划。请先导入：landreserve import 计划文件", code="plan.year_missing"
        )
    chosen = versions[0]
    notes = (
        []
        if chosen.status == APPROVED
        else [f"{year} 年度计划尚未批准，按第{chosen.version}版（未批准）比较"]
    )
    return chosen, notes


def _actual(session: Session) -> list[ActualParcel]:
    rows = session.scalars(select(ReserveParcelRow).order_by(ReserveParcelRow.code)).all()
    events = session.scalars(
        select(ParcelEventRow).order_by(ParcelEventRow.parcel_id, ParcelEventRow.seq)
    ).all()
    by_parcel: dict[int, list[StateChange]] = {}
    for e in events:
        change = StateChange(State(e.from_state) if e.from_state else None, State(e.to_state), e.on)
        by_parcel.setdefault(e.parcel_id, []).append(change)
    return [ActualParcel(facts_of(r), tuple(by_parcel.get(r.id, ()))) for r in rows]


def plan_vs_actual(ctx: Context, year: int, version_id: int | None = None) -> tuple[Report, VersionSummary]:
    """Planned vs acquired, in reserve, developed and supplied for ``year``, with the parcels behind each.

    ``version_id`` picks a plan version; by default the current approved version of the year's plan.
    Returns the report and the plan version compared against.
    """
    with reading(ctx.engine) as session:
        if version_id is not None:
            version, notes = version_row(session, version_id), []
        else:
            version, notes = _plan_version(session, year)
        report = compare(year, version_parcels(session, version.id), _actual(session))
        return Report(**{**report.__dict__, "notes": tuple(notes)}), summary(version)
