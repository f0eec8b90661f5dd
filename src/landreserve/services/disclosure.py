"""What the public page shows (信息公开): the approved plans that were published, their indicators and their
parcels — code, location, area, use, state — and nothing internal.

This module is the one place that decides what leaves the building: the dataclasses below hold only public
fields (no money per parcel, no owners or evidence, no audit findings, no names of staff), so a template
cannot show more than they carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..domain.lifecycle import STATE_LABELS, State
from ..domain.plan_versions import Indicators, indicators
from ..domain.reports.chain_head import ChainHead
from ..storage.db import reading
from ..storage.plan_tables import PlanVersionRow
from ..storage.register_tables import ReserveParcelRow
from ..storage.web_tables import PlanPublicationRow
from . import history
from .context import Context
from .plan_versions import APPROVED, version_parcels
from .publication import published_version_ids

#: shown for a plan parcel not yet registered in the reserve
NOT_REGISTERED = "计划收储"


@dataclass(frozen=True)
class PublicParcel:
    code: str
    location: str | None
    area_m2: Decimal | None
    land_use: str | None
    state: str  # Chinese label


@dataclass(frozen=True)
class PublicPlan:
    version_id: int
    title: str | None
    year: int | None
    version: int
    approval_no: str | None
    approved_on: date | None
    approving_body: str | None
    published_on: date
    indicators: Indicators
    parcels: tuple[PublicParcel, ...]


def public_codes(ctx: Context) -> set[str]:
    """Codes of the parcels of every published current plan (the parcels the public map may show)."""
    return {p.code for plan in public_plans(ctx) for p in plan.parcels}


def public_plans(ctx: Context) -> list[PublicPlan]:
    """The published versions that are still the current approved ones, newest year first."""
    with reading(ctx.engine) as session:
        ids = published_version_ids(session)
        if not ids:
            return []
        versions = session.scalars(
            select(PlanVersionRow).where(PlanVersionRow.id.in_(ids), PlanVersionRow.status == APPROVED)
        ).all()
        states = {c: s for c, s in session.execute(select(ReserveParcelRow.code, ReserveParcelRow.state))}
        result = []
        for v in versions:
            published_on = session.scalar(
                select(PlanPublicationRow.on)
                .where(PlanPublicationRow.version_id == v.id, PlanPublicationRow.published)
                .order_by(PlanPublicationRow.id.desc())
            )
            parcels = version_parcels(session, v.id)
            shown = tuple(
                PublicParcel(
                    p.code,
                    p.location,
                    p.area_m2,
                    p.land_use,
                    STATE_LABELS[State(states[p.code])] if p.code in states else NOT_REGISTERED,
                )  # fmt: skip
                for p in parcels
            )
            result.append(
                PublicPlan(
                    v.id,
                    v.title,
                    v.plan.year,
                    v.version,
                    v.approval_no,
                    v.approved_on,
                    v.approving_body,
                    published_on,
                    indicators(parcels),
                    shown,
                )  # fmt: skip
            )
    return sorted(result, key=lambda p: (-(p.year or 0), p.version_id))


def public_head(ctx: Context) -> ChainHead | None:
    """The history chain's head, shown on the public page: what is published today is anchored, so a later
    rewrite of the log contradicts it (``landreserve verify-log --anchor SEQ:HASH``)."""
    found = history.head(ctx)
    return ChainHead(*found) if found else None
