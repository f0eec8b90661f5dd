"""一张图: the map page, its data (parcels as GeoJSON in lon/lat, constraint layers), the public map data and
the local basemap tiles. The maps are kept until what they show changes (``map_data.KeptMap``: a write elsewhere
leaves them, a register write reads only its parcels again), answered with an ETag (304 when unchanged) and
gzipped by the application's middleware."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ...errors import InputError, NotFoundError
from ...services import map_data, map_layers
from ...services.context import Context
from .. import basemap
from ..cache import cached, version_of
from ..deps import Caller, base_context, caller
from ..errors import ERROR_RESPONSES
from .plans import run

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["一张图"], responses=ERROR_RESPONSES)
GEOJSON = "application/geo+json"
BBOX_HELP = "经纬度范围：最小经度,最小纬度,最大经度,最大纬度（如 78.5,39.7,78.6,39.8）"
BBOX_PATTERN = r"^-?\d{1,3}(\.\d+)?(,-?\d{1,3}(\.\d+)?){3}$"


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        values = tuple(float(v) for v in text.replace("，", ",").split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or not (
        -180 <= values[0] <= values[2] <= 180 and -90 <= values[1] <= values[3] <= 90
    ):
        raise InputError(f"bbox“{text}”无效，应为{BBOX_HELP}", code="input.bbox", details={"field": "bbox"})
    return values  # type: ignore[return-value]


ZOOM_HELP = "地图缩放级别（0–22）：低于 17 级时边界按一个屏幕像素简化"
LIMIT_HELP = "最多返回的地块数；超过时返回范围内面积最大的若干宗（total 为范围内总数，shown 为返回数）"


def map_data_of(request: Request, ctx: Context, key: str) -> tuple[map_data.MapData, int]:
    """The map's features (``key``: ``parcels`` or ``public``) at this request's data version, kept by
    ``map_data.KeptMap``, which reads again only what the writes since changed; and the data version since
    which they are unchanged (the ETag's)."""
    return request.app.state.maps[key].at(ctx, version_of(request, ctx))


def _geojson(
    request: Request, ctx: Context, key: str, bbox: str | None, code: str | None,
    zoom: int | None = None, limit: int | None = None,
) -> Response:  # fmt: skip
    box = parse_bbox(bbox)
    data, version = map_data_of(request, ctx, key)
    tag = '"' + hashlib.sha256(f"{key}|{version}|{box}|{code}|{zoom}|{limit}".encode()).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(data.view(box, code, zoom, limit).geojson, media_type=GEOJSON, headers=headers)


def extent(request: Request, ctx: Context, key: str, focus: str = "") -> dict:
    """Where the map opens: the bounds of every feature, and of the focused parcel (lon/lat), for the page."""
    data, _ = map_data_of(request, ctx, key)
    return {"all": data.bounds(), "focus": data.bounds_of(focus) if focus else None}


@router.get("/map", include_in_schema=False)
async def map_page(request: Request, focus: str = Query("", max_length=200), who: Caller = Depends(caller)):
    layers = await run(map_layers.layers, who.ctx)
    where = await run_in_threadpool(extent, request, who.ctx, "parcels", focus)
    return request.app.state.render(request, "map.html", {"nav": "map", "layers": layers, "focus": focus,
                                                          "extent": where})  # fmt: skip


class LayerOut(BaseModel):
    id: int
    name: str
    rule: str
    rule_label: str
    source_name: str
    feature_count: int
    bounds: tuple[float, float, float, float]


@api.get("/map/parcels.geojson", summary="地块边界（GeoJSON，经纬度 WGS 84），可按范围或编号筛选",
         responses={200: {"content": {GEOJSON: {}}}, 304: {"description": "未变化"}})  # fmt: skip
async def api_parcels_geojson(
    request: Request, bbox: str | None = Query(None, max_length=200, pattern=BBOX_PATTERN, description=BBOX_HELP),
    code: str | None = Query(None, max_length=200),
    zoom: int | None = Query(None, ge=0, le=map_data.MAX_ZOOM, description=ZOOM_HELP),
    limit: int | None = Query(None, ge=1, le=100_000, description=LIMIT_HELP), who: Caller = Depends(caller),
):  # fmt: skip
    return await run_in_threadpool(_geojson, request, who.ctx, "parcels", bbox, code, zoom,
                                   limit)  # fmt: skip


@api.get("/map/layers", response_model=list[LayerOut], summary="可叠加的约束图层")
async def api_layers(who: Caller = Depends(caller)):
    return [LayerOut(**v.__dict__, rule_label=v.rule_label) for v in await run(map_layers.layers, who.ctx)]


@api.get("/map/layers/{layer_id}.geojson", summary="一个约束图层的图形（GeoJSON，经纬度）",
         responses={200: {"content": {GEOJSON: {}}}})  # fmt: skip
async def api_layer_geojson(
    request: Request, layer_id: int = Path(..., ge=1, le=10**9), who: Caller = Depends(caller)
):
    data, version = await run_in_threadpool(
        cached, request, who.ctx, ("layer", layer_id), lambda: map_layers.layer_geojson(who.ctx, layer_id)
    )  # fmt: skip
    tag = f'"layer-{layer_id}-{version}"'
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=GEOJSON, headers=headers)


@api.get("/public/parcels.geojson", summary="公开页地图：已公开计划的地块（编号、坐落、面积、用途、状态），无需登录",
         tags=["信息公开"], responses={200: {"content": {GEOJSON: {}}}, 304: {"description": "未变化"}})  # fmt: skip
async def api_public_geojson(
    request: Request,
    bbox: str | None = Query(None, max_length=200, pattern=BBOX_PATTERN, description=BBOX_HELP),
    zoom: int | None = Query(None, ge=0, le=map_data.MAX_ZOOM, description=ZOOM_HELP),
    limit: int | None = Query(None, ge=1, le=100_000, description=LIMIT_HELP),
):
    ctx = base_context(request)
    return await run_in_threadpool(_geojson, request, ctx, "public", bbox, None, zoom, limit)


@router.get("/tiles/{z}/{x}/{y}.png", include_in_schema=False)
async def tile(
    request: Request, z: int = Path(..., ge=0, le=22), x: int = Path(..., ge=0), y: int = Path(..., ge=0)
):
    web = request.app.state.web
    if web.basemap != "tiles":
        raise NotFoundError("未配置本地瓦片（LANDRESERVE_BASEMAP=tiles）", code="tiles.none")
    data = await run_in_threadpool(basemap.tile, web, z, x, y)
    if data is None:
        return Response(status_code=204)
    return Response(data, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})
