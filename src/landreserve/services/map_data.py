"""Map data (一张图): the current parcel boundaries as GeoJSON in lon/lat (WGS 84, EPSG:4326 — CGCS2000 and
WGS 84 differ by centimetres, below what a web map shows), with trimmed properties for colouring by use or
state and for the popup. Read-only.

Every boundary is stored in its own Gauss-Krüger zone; it is reprojected here in one call per zone, its
coordinates rounded to 1e-6 degree (about 0.1 m), and kept as a ready GeoJSON text per feature so that a
request with a bounding box only filters and joins (the web layer keeps the result until the data changes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy import select

from ..domain.lifecycle import STATE_LABELS, State
from ..gis.crs import transformer
from ..storage.db import reading
from ..storage.geometry_tables import current_rows
from ..storage.register_tables import ReserveParcelRow
from .context import Context
from .disclosure import NOT_REGISTERED, public_plans

WGS84 = 4326
PRECISION = 1e-6


@dataclass(frozen=True)
class MapFeature:
    code: str
    bounds: tuple[float, float, float, float]  # lon/lat
    text: str  # the GeoJSON Feature


@dataclass(frozen=True)
class MapData:
    features: tuple[MapFeature, ...]

    def bounds(self) -> tuple[float, float, float, float] | None:
        if not self.features:
            return None
        b = np.array([f.bounds for f in self.features])
        return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())

    def geojson(self, bbox: tuple[float, float, float, float] | None = None, code: str | None = None) -> str:
        """A FeatureCollection of the features meeting ``bbox`` (min lon, min lat, max lon, max lat), or of one code."""
        chosen = self.features
        if code is not None:
            chosen = tuple(f for f in chosen if f.code == code)
        if bbox is not None:
            x0, y0, x1, y1 = bbox
            chosen = tuple(f for f in chosen if f.bounds[0] <= x1 and f.bounds[2] >= x0 and f.bounds[1] <= y1
                           and f.bounds[3] >= y0)  # fmt: skip
        return '{"type":"FeatureCollection","features":[' + ",".join(f.text for f in chosen) + "]}"


def to_lonlat(wkbs: list[bytes], epsgs: list[int]) -> np.ndarray:
    """Shapes (WKB) in their zones → shapely geometries in lon/lat, one transformation per zone."""
    shapes = shapely.from_wkb(np.array(wkbs, dtype=object))
    epsg = np.array(epsgs)
    out = np.empty(len(shapes), dtype=object)
    for zone in np.unique(epsg):
        mask = epsg == zone
        move = transformer(int(zone), WGS84)
        moved = shapely.transform(
            shapes[mask], lambda xy, move=move: np.column_stack(move.transform(xy[:, 0], xy[:, 1]))
        )
        out[mask] = shapely.set_precision(moved, PRECISION, mode="pointwise")
    return out


def _features(codes: list[str], shapes: np.ndarray, properties: list[dict]) -> tuple[MapFeature, ...]:
    texts = shapely.to_geojson(shapes) if len(shapes) else []
    bounds = shapely.bounds(shapes) if len(shapes) else []
    return tuple(
        MapFeature(
            code,
            tuple(float(v) for v in box),
            '{"type":"Feature","geometry":'
            + text
            + ',"properties":'
            + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
            + "}",
        )  # fmt: skip
        for code, text, box, props in zip(codes, texts, bounds, properties, strict=True)
    )


def parcel_map(ctx: Context) -> MapData:
    """Every current boundary with the register's facts (code, location, area, use, zone, state)."""
    with reading(ctx.engine) as session:
        rows = current_rows(session)
        register = {r.code: r for r in session.scalars(select(ReserveParcelRow))}
        wkbs, epsgs, codes, props = [], [], [], []
        for row in rows:
            parcel = register.get(row.code)
            wkbs.append(row.wkb)
            epsgs.append(row.epsg)
            codes.append(row.code)
            state = State(parcel.state) if parcel else None
            props.append({
                "code": row.code,
                "location": parcel.location if parcel else row.name,
                "area_m2": str(parcel.area_m2 if parcel and parcel.area_m2 is not None else row.area_m2),
                "land_use": (parcel.land_use if parcel else None) or row.land_use or "未注明",
                "zone": (parcel.zone if parcel else None) or "未注明",
                "state": state.value if state else "unregistered",
                "state_label": STATE_LABELS[state] if state else "未登记入库",
                "registered": parcel is not None,
            })  # fmt: skip
    return MapData(_features(codes, to_lonlat(wkbs, epsgs), props) if rows else ())


def public_map(ctx: Context) -> MapData:
    """The boundaries of the parcels of published plans, with public properties only (code, location,
    area, use, state)."""
    shown = {p.code: p for plan in public_plans(ctx) for p in plan.parcels}
    with reading(ctx.engine) as session:
        rows = [r for r in current_rows(session) if r.code in shown]
    props = [
        {
            "code": r.code,
            "location": shown[r.code].location,
            "area_m2": str(shown[r.code].area_m2 or r.area_m2),
            "land_use": shown[r.code].land_use or "未注明",
            "state_label": shown[r.code].state,
            "state": _state_key(shown[r.code].state),
        }  # fmt: skip
        for r in rows
    ]
    if not rows:
        return MapData(())
    return MapData(
        _features([r.code for r in rows], to_lonlat([r.wkb for r in rows], [r.epsg for r in rows]), props)
    )


def _state_key(label: str) -> str:
    for state, text in STATE_LABELS.items():
        if text == label:
            return state.value
    return "unregistered" if label == NOT_REGISTERED else label
