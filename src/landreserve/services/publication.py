"""Making a plan public (信息公开): after the government's approval the natural resources bureau (or the
reserve center) publishes the approved version; the public page shows only published, approved versions
and only what the public may see (``services.public``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.permissions import Permission
from ..errors import RuleViolation
from ..storage.db import reading, transaction
from ..storage.web_tables import PlanPublicationRow
from . import clock, history
from .authorization import requires
from .context import Context
from .plan_versions import APPROVED, STATUS_LABELS, version_row


@dataclass(frozen=True)
class Publication:
    version_id: int
    published: bool
    on: date
    at: datetime
    by: str
    department: str
    note: str | None


def _latest(session: Session) -> dict[int, PlanPublicationRow]:
    rows = session.scalars(select(PlanPublicationRow).order_by(PlanPublicationRow.id))
    return {r.version_id: r for r in rows}


def published_version_ids(session: Session) -> set[int]:
    """Versions whose newest publication row says published."""
    return {v for v, r in _latest(session).items() if r.published}


def publications(ctx: Context) -> dict[int, Publication]:
    """Version id → its newest publication record."""
    with reading(ctx.engine) as session:
        return {
            v: Publication(r.version_id, r.published, r.on, r.at, r.by, r.department, r.note)
            for v, r in _latest(session).items()
        }


def _record(ctx: Context, version_id: int, published: bool, on: date | None, note: str | None) -> Publication:
    clock.window(ctx.settings).date(on, "公开日期")
    plausibility.note(note, "公开说明" if published else "撤下原因")
    with transaction(ctx.engine) as session:
        version = version_row(session, version_id)
        if published and version.status != APPROVED:
            raise RuleViolation(
                f"计划版本 {version_id}（第{version.version}版）状态为“{STATUS_LABELS.get(version.status, version.status)}”，"
                "只有经县人民政府批准的现行版本才能向社会公开",
                code="plan.not_publishable",
            )
        current = _latest(session).get(version_id)
        if (current.published if current else False) == published:
            raise RuleViolation(
                f"计划版本 {version_id} {'已经公开' if published else '目前没有公开'}，无需重复操作",
                code="plan.publication_unchanged",
            )
        row = PlanPublicationRow(
            version_id=version_id, published=published, on=on or clock.today(), at=clock.utc_now(),
            by=ctx.actor.name, department=ctx.actor.department, note=(note or "").strip() or None,
        )  # fmt: skip
        session.add(row)
        session.flush()
        history.record(
            session, ctx.actor, "plan_version", version_id, "plan.publish" if published else "plan.unpublish",
            {"published": not published}, {"published": published, "on": row.on, "note": row.note},
        )  # fmt: skip
        return Publication(version_id, published, row.on, row.at, row.by, row.department, row.note)


@requires(Permission.PLAN_PUBLISH)
def publish(ctx: Context, version_id: int, on: date | None = None, note: str | None = None) -> Publication:
    """Publish an approved version on the public page."""
    return _record(ctx, version_id, True, on, note)


@requires(Permission.PLAN_PUBLISH)
def unpublish(ctx: Context, version_id: int, note: str | None = None) -> Publication:
    """Take a version off the public page (the record of its publication stays)."""
    return _record(ctx, version_id, False, None, note)
