"""报告下载: every report of a plan in every format that fits it (the same ``services.reports.render`` as
``landreserve report``), for any logged-in department; pages and API share the handler."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...services import reports as service
from ..deps import Caller, caller
from ..errors import ERROR_RESPONSES

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["报告"], responses=ERROR_RESPONSES)

REPORT = Path(
    ..., pattern="^(plan|parcels|annual|disclosure)$", description="plan | parcels | annual | disclosure"
)
FORMAT = Path(..., pattern="^(docx|pdf|xlsx|json|csv|geojson)$", description="格式（须适合该报告）")


async def _download(who: Caller, plan_id: int, report: str, fmt: str, version: int | None, year: int | None):
    rendered = await run_in_threadpool(
        service.render, who.ctx, report, plan_id, fmt, version=version, year=year
    )
    disposition = f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{quote(rendered.file_name)}"
    return Response(
        rendered.data, media_type=rendered.media_type, headers={"content-disposition": disposition}
    )


@router.get("/reports/{plan_id}/{report}.{fmt}", include_in_schema=False)
@api.get(
    "/reports/{plan_id}/{report}.{fmt}", summary="下载报告（计划文本、地块清单、年度执行情况报告、公开信息）"
)
async def download(
    plan_id: int,
    report: str = REPORT,
    fmt: str = FORMAT,
    version: int | None = Query(None, ge=1, description="第几版（默认现行批准版本）"),
    year: int | None = Query(None, ge=1990, le=2100, description="报告年度（年度执行情况报告）"),
    who: Caller = Depends(caller),
) -> Response:
    return await _download(who, plan_id, report, fmt, version, year)
