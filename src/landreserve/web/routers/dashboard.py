"""工作台: the dashboard of a plan year (page and API)."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ...domain.lifecycle import STATE_LABELS, State
from ...services import dashboard as service
from .. import charts
from ..cache import cached
from ..deps import Caller, caller
from ..errors import ERROR_RESPONSES

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["工作台"], responses=ERROR_RESPONSES)
HA = Decimal(10000)


def _dashboard(request: Request, who: Caller, year: int | None):
    return cached(request, who.ctx, ("dashboard", year), lambda: service.dashboard(who.ctx, year))


def _dashboard_and_charts(request: Request, who: Caller, year: int | None) -> tuple[service.Dashboard, dict]:
    """The dashboard and its charts (SVG), both kept until the data changes."""
    data, _ = _dashboard(request, who, year)
    drawn, _ = cached(request, who.ctx, ("dashboard-charts", year), lambda: _charts(data))
    return data, drawn


def _charts(data: service.Dashboard) -> dict:
    out = {}
    ind = data.indicators
    if ind is not None:
        out["by_use"] = charts.bars(
            [(k, v / HA) for k, v in ind.by_use.items()], "公顷", title="储备结构（按用途）", places=4
        )
        out["by_zone"] = charts.bars(
            [(k, v / HA) for k, v in ind.by_zone.items()], "公顷", title="空间布局（按区域）", places=4
        )
        parts = [("存量", ind.stock_area / HA), ("新增", ind.new_area / HA)]
        if ind.unknown_stock_area:
            parts.append(("未注明", ind.unknown_stock_area / HA))
        out["stock"] = charts.ring(parts, "公顷", title="存量与新增")
    if data.report is not None:
        figures = data.report.figures
        planned = figures["planned"].by_use
        acquired = figures["acquired"].by_use
        names = sorted(set(planned) | set(acquired))
        out["vs_actual"] = charts.paired_bars(
            [(n, (planned[n].area if n in planned else Decimal(0)) / HA,
              (acquired[n].area if n in acquired else Decimal(0)) / HA) for n in names],
            "公顷", title="计划与实际入库（按用途）", names=("计划", "实际入库"),
        )  # fmt: skip
    return out


@router.get("/", include_in_schema=False)
async def dashboard_page(
    request: Request, year: int | None = Query(None, ge=1990, le=2100), who: Caller = Depends(caller)
):
    data, charts_of = await run_in_threadpool(_dashboard_and_charts, request, who, year)
    mine = [w for w in data.waiting if w.department == who.account.department]
    others = [w for w in data.waiting if w.department != who.account.department and w.count]
    return request.app.state.render(
        request, "dashboard.html",
        {"nav": "dashboard", "d": data, "charts": charts_of, "mine": mine, "others": others,
         "state_labels": {s.value: STATE_LABELS[s] for s in State}},
    )  # fmt: skip


class WaitingOut(BaseModel):
    department: str
    label: str
    count: int
    link: str


class AreaItem(BaseModel):
    name: str
    area_m2: Decimal


class DashboardOut(BaseModel):
    year: int | None
    years: list[int]
    plan_id: int | None
    version_id: int | None
    version_status: str | None
    total_area_m2: Decimal | None
    parcel_count: int | None
    stock_area_m2: Decimal | None
    stated_scale_m2: Decimal | None
    by_use: list[AreaItem]
    by_zone: list[AreaItem]
    acquired_area_m2: Decimal | None
    supplied_area_m2: Decimal | None
    finding_counts: dict[str, int]
    register_by_state: dict[str, int]
    funds: dict[str, Decimal | int | None]
    waiting: list[WaitingOut]
    data_version: int


@api.get(
    "/dashboard", response_model=DashboardOut, summary="工作台：计划指标、计划与实际、审核结果、资金、待办"
)
async def api_dashboard(
    request: Request, year: int | None = Query(None, ge=1990, le=2100), who: Caller = Depends(caller)
):
    d, version = await run_in_threadpool(_dashboard, request, who, year)
    ind = d.indicators
    figures = d.report.figures if d.report else None
    return DashboardOut(
        year=d.year, years=d.years, plan_id=d.plan_id, version_id=d.version_id, version_status=d.version_status,
        total_area_m2=ind.total_area if ind else None, parcel_count=ind.parcel_count if ind else None,
        stock_area_m2=ind.stock_area if ind else None, stated_scale_m2=d.stated_scale_m2,
        by_use=[AreaItem(name=k, area_m2=v) for k, v in (ind.by_use if ind else {}).items()],
        by_zone=[AreaItem(name=k, area_m2=v) for k, v in (ind.by_zone if ind else {}).items()],
        acquired_area_m2=figures["acquired"].total.area if figures else None,
        supplied_area_m2=figures["supplied"].total.area if figures else None,
        finding_counts=d.finding_counts, register_by_state={k: v[0] for k, v in d.register_by_state.items()},
        funds={"bonds": d.funds.bonds, "bond_amount": d.funds.bond_amount, "fiscal_amount": d.funds.fiscal_amount,
               "allocated": d.funds.allocated, "paid": d.funds.paid, "income": d.funds.income,
               "stated_need": d.funds.stated_need},
        waiting=[WaitingOut(**w.__dict__) for w in d.waiting], data_version=version,
    )  # fmt: skip
