"""信息公开: the public page (no login) — the approved and published plans, their indicators and charts, the
parcel list (code, location, area, use, state) and the map. What it may show is decided in
``services.disclosure``; the page renders as nobody (no account, no staff name, no internal link)."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from ...services import disclosure
from .. import charts
from ..deps import base_context
from . import maps
from .plans import run

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["信息公开"])
HA = Decimal(10000)


def _charts(plan: disclosure.PublicPlan) -> dict:
    ind = plan.indicators
    parts = [("存量", ind.stock_area / HA), ("新增", ind.new_area / HA)]
    if ind.unknown_stock_area:
        parts.append(("未注明", ind.unknown_stock_area / HA))
    return {
        "by_use": charts.bars(
            [(k, v / HA) for k, v in ind.by_use.items()], "公顷", title="储备结构（按用途）", places=4
        ),
        "stock": charts.ring(parts, "公顷", title="存量与新增"),
    }


@router.get("/public", include_in_schema=False)
async def public_page(request: Request):
    plans = await run(disclosure.public_plans, base_context(request))
    where = await run(maps.extent, request, base_context(request), "public")
    head = await run(disclosure.public_head, base_context(request))
    return request.app.state.render(
        request, "public.html",
        {"nav": "public", "plans": plans, "charts": {p.version_id: _charts(p) for p in plans},
         "head": head, "account": None, "csrf_token": "", "extent": where},
    )  # fmt: skip


class PublicParcelOut(BaseModel):
    code: str
    location: str | None
    area_m2: Decimal | None
    land_use: str | None
    state: str


class HistoryHeadOut(BaseModel):
    """The history chain's head when the answer was made: ``landreserve verify-log --anchor SEQ:HASH``."""

    seq: int
    hash: str
    at: str
    anchor: str


class PublicPlanOut(BaseModel):
    title: str | None
    year: int | None
    version: int
    approval_no: str | None
    approved_on: str | None
    approving_body: str | None
    published_on: str
    total_area_m2: Decimal
    parcel_count: int
    stock_area_m2: Decimal
    by_use: dict[str, Decimal]
    by_zone: dict[str, Decimal]
    parcels: list[PublicParcelOut]
    #: the history chain's head when the answer was made (the same for every plan; ``null`` for an empty log)
    history_head: HistoryHeadOut | None


@api.get(
    "/public/plans", response_model=list[PublicPlanOut], summary="已批准并向社会公开的储备计划（无需登录）"
)
async def api_public_plans(request: Request):
    plans = await run(disclosure.public_plans, base_context(request))
    head = await run(disclosure.public_head, base_context(request))
    shown = HistoryHeadOut(**head.as_json(), anchor=head.anchor) if head else None
    return [
        PublicPlanOut(
            title=p.title,
            year=p.year,
            version=p.version,
            approval_no=p.approval_no,
            approved_on=p.approved_on.isoformat() if p.approved_on else None,
            approving_body=p.approving_body,
            published_on=p.published_on.isoformat(),
            total_area_m2=p.indicators.total_area,
            parcel_count=p.indicators.parcel_count,
            stock_area_m2=p.indicators.stock_area,
            by_use=p.indicators.by_use,
            by_zone=p.indicators.by_zone,
            parcels=[PublicParcelOut(**x.__dict__) for x in p.parcels],
            history_head=shown,
        )  # fmt: skip
        for p in plans
    ]
