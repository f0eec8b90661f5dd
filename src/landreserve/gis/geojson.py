"""GeoJSON in and out: rings read as written; written per RFC 7946 (lon/lat, CGCS2000 ≈ WGS 84, CCW shells,
UTF-8, no ``crs`` member). An old-style ``crs`` member (``urn:ogc:def:crs:EPSG::4514``, CRS84) is read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..errors import InputError
from .crs import GEOGRAPHIC_EPSG, epsg_of, transformer
from .features import Feature, FeatureSet, RawRing

GEOJSON_DECIMALS = 9


def read_geojson(path: Path) -> FeatureSet:
    """Read a GeoJSON file; rings are kept as written (RFC 7946 requires them closed)."""
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path.name} 不是有效的 UTF-8 GeoJSON：{exc}", code="input.unreadable") from exc
    items = document.get("features") if document.get("type") == "FeatureCollection" else [document]
    if not isinstance(document, dict):
        raise InputError(
            f"{path.name} 不是 GeoJSON 对象（FeatureCollection 或 Feature）", code="input.unreadable"
        )
    features = [_geojson_feature(item, i, path.name) for i, item in enumerate(items or [])]
    declared = _geojson_crs(document)
    names = list(dict.fromkeys(k for f in features for k in f.attributes))
    return FeatureSet(
        path, features, declared_epsg=epsg_of(declared), declared_crs=declared, encoding="utf-8", fields=names
    )


def _geojson_crs(document: dict) -> str | None:
    name = ((document.get("crs") or {}).get("properties") or {}).get("name")
    if not name:
        return None
    return str(name).replace("urn:ogc:def:crs:", "").replace("::", ":").replace("OGC:1.3:CRS84", "OGC:CRS84")


def _point(p, name: str, place: str) -> tuple[float, float]:
    try:
        x, y = float(p[0]), float(p[1])
    except (TypeError, ValueError, IndexError):
        raise InputError(f"{name} {place}：坐标“{p}”不是两个数字。", code="geometry.coordinate") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise InputError(
            f"{name} {place}：坐标“{p}”不是有限的数字（NaN 或无穷大）；请改正后再导入。",
            code="geometry.coordinate",
        )
    return x, y


def _geojson_feature(item: dict, index: int, name: str = "") -> Feature:
    geometry = item.get("geometry") if item.get("type") == "Feature" else item
    attributes = dict(item.get("properties") or {}) if item.get("type") == "Feature" else {}
    place = f"第{index + 1}个要素"
    if not geometry:
        return Feature(None, attributes, place)
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        parts = [coords]
    elif kind == "MultiPolygon":
        parts = coords
    else:
        raise InputError(
            f"{name} {place}的几何类型为 {kind}：地块边界只能是面（Polygon 或 MultiPolygon）；"
            "请删去点、线要素或在 GIS 软件中转为面后再导入。",
            code="geometry.not_polygon",
        )
    raw, polygons, number = [], [], 0
    for part in parts:
        rings = []
        for ring in part:
            number += 1
            points = tuple(_point(p, name, place) for p in ring)
            raw.append(RawRing(number, points, must_close=True))
            rings.append(list(points))
        usable = [r for r in rings if len(set(r)) >= 3]
        if usable and len(set(rings[0])) >= 3:
            polygons.append(shapely.Polygon(usable[0], usable[1:]))
    geom = None if not polygons else polygons[0] if kind == "Polygon" else shapely.MultiPolygon(polygons)
    return Feature(geom, attributes, place, tuple(raw))


def write_geojson(path: Path, features: list[Feature], epsg: int) -> None:
    """RFC 7946 GeoJSON: lon/lat (CGCS2000, within a metre of WGS 84), CCW shells, UTF-8, no ``crs``."""
    to_lonlat = transformer(epsg, GEOGRAPHIC_EPSG) if epsg != GEOGRAPHIC_EPSG else None
    items = []
    for feature in features:
        geom = feature.geometry
        if to_lonlat is not None:
            geom = shapely.transform(
                geom, lambda xy: np.column_stack(to_lonlat.transform(xy[:, 0], xy[:, 1]))
            )
        geom = shapely.set_precision(shapely.orient_polygons(geom), 10.0**-GEOJSON_DECIMALS, mode="pointwise")
        items.append(
            {
                "type": "Feature",
                "properties": _json_properties(feature.attributes),
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    document = {"type": "FeatureCollection", "features": items}
    path.write_text(json.dumps(document, ensure_ascii=False, default=_json_value), encoding="utf-8")


def _json_properties(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in attributes.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple | set):
        return list(value)
    return str(value)
