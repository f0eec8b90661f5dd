"""Constraint and reference layers of the map (永久基本农田, 生态保护红线, 城镇开发边界 …): a layer file read
once, reprojected to lon/lat and kept in the database (``map_layers``), shown on the map where a user
switches it on. Importing one is the natural resources bureau's or the reserve center's work
(``Permission.GEOMETRY_IMPORT``) and is logged; importing a layer of the same name replaces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from sqlalchemy import delete, select

from ..domain.permissions import Permission
from ..errors import InputError, NotFoundError
from ..gis.crs import parse_crs_option, resolve_crs
from ..gis.formats import read_features
from ..storage.db import reading, transaction
from ..storage.web_tables import MapLayerFeatureRow, MapLayerRow
from . import history
from .authorization import requires
from .clock import utc_now
from .context import Context
from .map_data import to_lonlat

RULES = {"reference": "参考图层", "must_not_intersect": "不得占用", "must_lie_within": "须位于其内"}
LABEL_FIELDS = ("名称", "NAME", "name", "MC", "XMMC", "地块名称", "类型")


@dataclass(frozen=True)
class LayerView:
    id: int
    name: str
    rule: str
    source_name: str
    feature_count: int
    bounds: tuple[float, float, float, float]

    @property
    def rule_label(self) -> str:
        return RULES.get(self.rule, self.rule)


def _view(row: MapLayerRow) -> LayerView:
    return LayerView(row.id, row.name, row.rule, row.source_name, row.feature_count,
                     (row.min_lon, row.min_lat, row.max_lon, row.max_lat))  # fmt: skip


def _label(attributes: dict) -> str | None:
    for name in LABEL_FIELDS:
        value = attributes.get(name)
        if value not in (None, ""):
            return str(value)[:200]
    return None


def _logged(name: str, rule: str, source: str, features: int) -> dict:
    return {"name": name, "rule": rule, "source": source, "features": features}


@requires(Permission.GEOMETRY_IMPORT)
def import_layer(
    ctx: Context, path: Path, name: str, rule: str = "reference", *, crs: str | None = None
) -> LayerView:
    """Read ``path`` (Shapefile, GeoPackage, GeoJSON, DXF) and keep it as the map layer ``name``.

    ``rule`` says how the layer constrains parcels (shown in the legend); ``crs`` overrides the file's
    coordinate system (``EPSG:4523``). ``InputError`` for an empty name, an unknown rule or a file without
    shapes; nothing is written then.
    """
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InputError("图层名称不能为空，且不超过 100 个字", code="layer.name")
    if rule not in RULES:
        known = "、".join(f"{k}（{v}）" for k, v in RULES.items())
        raise InputError(f"图层规则“{rule}”无效，可选：{known}", code="layer.rule")
    features = read_features(Path(path))
    shapes = [f for f in features.features if f.geometry is not None and not f.geometry.is_empty]
    if not shapes:
        raise InputError(f"{Path(path).name} 中没有可显示的图形，未导入", code="layer.empty")
    choice = resolve_crs(
        [f.bounds for f in shapes], source_name=Path(path).name,
        user_epsg=parse_crs_option(crs) if crs else None, declared_epsg=features.declared_epsg,
    )  # fmt: skip
    lonlat = to_lonlat([shapely.to_wkb(f.geometry) for f in shapes], [choice.epsg] * len(shapes))
    boxes = shapely.bounds(lonlat)
    with transaction(ctx.engine) as session:
        old = session.scalars(select(MapLayerRow).where(MapLayerRow.name == name)).one_or_none()
        before = _logged(old.name, old.rule, old.source_name, old.feature_count) if old else None
        if old is not None:
            session.execute(delete(MapLayerFeatureRow).where(MapLayerFeatureRow.layer_id == old.id))
            session.delete(old)
            session.flush()
        row = MapLayerRow(
            name=name, rule=rule, source_name=Path(path).name, feature_count=len(shapes),
            min_lon=float(boxes[:, 0].min()), min_lat=float(boxes[:, 1].min()), max_lon=float(boxes[:, 2].max()),
            max_lat=float(boxes[:, 3].max()), active=True, created_at=utc_now(), created_by=ctx.actor.name,
        )  # fmt: skip
        session.add(row)
        session.flush()
        session.add_all(
            MapLayerFeatureRow(
                layer_id=row.id,
                min_lon=float(b[0]),
                min_lat=float(b[1]),
                max_lon=float(b[2]),
                max_lat=float(b[3]),
                wkb=shapely.to_wkb(g),
                label=_label(f.attributes),
                properties={},
            )  # fmt: skip
            for f, g, b in zip(shapes, lonlat, boxes, strict=True)
        )
        after = {
            "name": name,
            "rule": rule,
            "source": row.source_name,
            "features": len(shapes),
            "crs": choice.epsg,
        }
        history.record(session, ctx.actor, "map_layer", name, "map_layer.import", before, after)
        return _view(row)


def layers(ctx: Context) -> list[LayerView]:
    with reading(ctx.engine) as session:
        return [
            _view(r)
            for r in session.scalars(select(MapLayerRow).where(MapLayerRow.active).order_by(MapLayerRow.id))
        ]


def layer_geojson(ctx: Context, layer_id: int) -> str:
    """The layer's features as a GeoJSON FeatureCollection (lon/lat) with their labels."""
    with reading(ctx.engine) as session:
        row = session.get(MapLayerRow, layer_id)
        if row is None or not row.active:
            raise NotFoundError(f"图层 {layer_id} 不存在", code="layer.not_found")
        features = list(
            session.scalars(select(MapLayerFeatureRow).where(MapLayerFeatureRow.layer_id == layer_id))
        )
        name = row.name
    geometries = shapely.to_geojson(shapely.from_wkb([f.wkb for f in features])) if features else []
    parts = [
        '{"type":"Feature","geometry":'
        + g
        + ',"properties":'
        + json.dumps({"layer": name, "label": f.label}, ensure_ascii=False)
        + "}"
        for f, g in zip(features, geometries, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
