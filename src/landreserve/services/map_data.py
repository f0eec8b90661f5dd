"""Map data (一张图): the current parcel boundaries as GeoJSON in lon/lat (WGS 84, EPSG:4326 — CGCS2000 and
WGS 84 differ by centimetres, below what a web map shows), with trimmed properties for colouring by use or
state and for the popup. Read-only.

Every boundary is stored in its own Gauss-Krüger zone; it is reprojected here in one call per zone, its
coordinates rounded to 1e-6 degree (about 0.1 m), and kept as a ready GeoJSON text per feature so that a
request with a bounding box only filters and joins (the web layer keeps the result until the data changes).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from sqlalchemy import select

from ..domain.lifecycle import STATE_LABELS, State
from ..gis.crs import transformer
from ..storage.db import read_connection, reading
from ..storage.geometry_tables import ParcelGeometryRow, current_rows
from ..storage.history_tables import HistoryEntryRow
from ..storage.register_tables import ReserveParcelRow
from .context import Context
from .disclosure import NOT_REGISTERED, public_plans

WGS84 = 4326
PRECISION = 1e-6
DIGITS = 6  # decimals of PRECISION


#: from this zoom level on, boundaries are sent as stored (rounded to 1e-6°); below it they are simplified to
#: what one screen pixel can show (Web Mercator: 360° / 256 / 2^zoom per pixel at the equator)
FULL_DETAIL_ZOOM = 17
MAX_ZOOM = 22


def pixel_degrees(zoom: int) -> float:
    """The width of one screen pixel in degrees of longitude at ``zoom`` (256-pixel tiles)."""
    return 360.0 / (256 * 2**zoom)


@dataclass(frozen=True)
class MapFeature:
    code: str
    bounds: tuple[float, float, float, float]  # lon/lat
    text: str  # the GeoJSON Feature


@dataclass(frozen=True)
class MapView:
    """One answer of the map: the chosen features' GeoJSON and how many met the request before a limit."""

    geojson: str
    shown: int
    total: int


@dataclass(frozen=True)
class MapData:
    """The features of one map, with what answering a view needs: their bounds as one array (a bounding box
    is a vectorised test), their lon/lat shapes (simplified per zoom level when first asked, then kept) and
    their properties' JSON text."""

    features: tuple[MapFeature, ...]
    shapes: np.ndarray | None = None
    properties: tuple[str, ...] = ()
    _by_zoom: dict[int, dict[int, str]] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)
    _box: np.ndarray = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        box = np.array([f.bounds for f in self.features], dtype=float).reshape(-1, 4)
        object.__setattr__(self, "_box", box)

    def bounds(self) -> tuple[float, float, float, float] | None:
        if not self.features:
            return None
        b = self._bounds()
        return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())

    def bounds_of(self, code: str) -> tuple[float, float, float, float] | None:
        return next((f.bounds for f in self.features if f.code == code), None)

    def _bounds(self) -> np.ndarray:
        return self._box

    def geojson(self, bbox: tuple[float, float, float, float] | None = None, code: str | None = None) -> str:
        """A FeatureCollection of the features meeting ``bbox`` (min lon, min lat, max lon, max lat), or of one code."""
        return self.view(bbox, code).geojson

    def view(
        self,
        bbox: tuple[float, float, float, float] | None = None,
        code: str | None = None,
        zoom: int | None = None,
        limit: int | None = None,
    ) -> MapView:
        """The features meeting ``bbox`` (or of one ``code``), at most ``limit`` of them — the largest, as a map
        at low zoom shows what is visible — with boundaries simplified to one pixel of ``zoom``. The
        collection carries ``total`` (features meeting the request) and ``shown`` as foreign members."""
        chosen = np.arange(len(self.features))
        if code is not None:
            chosen = np.array([i for i, f in enumerate(self.features) if f.code == code], dtype=int)
        if bbox is not None and len(chosen):
            x0, y0, x1, y1 = bbox
            b = self._bounds()[chosen]
            chosen = chosen[(b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0)]
        total = len(chosen)
        if limit is not None and total > limit:
            b = self._bounds()[chosen]
            size = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
            chosen = np.sort(chosen[np.argsort(-size, kind="stable")[:limit]])
        if zoom is not None and zoom < FULL_DETAIL_ZOOM and self.shapes is not None:
            texts = self._simplified(zoom, chosen)
            parts = (texts[i] for i in chosen)
        else:
            parts = (self.features[i].text for i in chosen)
        text = (
            '{"type":"FeatureCollection","total":' + str(total) + ',"shown":' + str(len(chosen))
            + ',"features":[' + ",".join(parts) + "]}"
        )  # fmt: skip
        return MapView(text, len(chosen), total)

    def _simplified(self, zoom: int, chosen: np.ndarray) -> dict[int, str]:
        """The ``chosen`` features simplified to one pixel of ``zoom``: each simplified when first asked at that
        zoom level (in one vectorised call for all that are new), then kept."""
        zoom = max(0, min(int(zoom), MAX_ZOOM))
        with self._lock:
            kept = self._by_zoom.setdefault(zoom, {})
            new = np.array([i for i in chosen if i not in kept], dtype=int)
        if len(new):
            simple = shapely.simplify(self.shapes[new], pixel_degrees(zoom), preserve_topology=True)
            texts = shapely.to_geojson(simple)  # kept vertices are stored ones, already rounded
            with self._lock:
                for i, g in zip(new.tolist(), texts, strict=True):
                    kept[i] = (
                        '{"type":"Feature","geometry":' + g + ',"properties":' + self.properties[i] + "}"
                    )
        return kept


def to_lonlat(wkbs: list[bytes], epsgs: list[int]) -> np.ndarray:
    """Shapes (WKB) in their zones → shapely geometries in lon/lat, one transformation per zone."""
    shapes = shapely.from_wkb(np.array(wkbs, dtype=object))
    epsg = np.array(epsgs)
    out = np.empty(len(shapes), dtype=object)
    for zone in np.unique(epsg):
        mask = epsg == zone
        move = transformer(int(zone), WGS84)
        out[mask] = shapely.transform(  # rounded to PRECISION (1e-6°) as they are moved
            shapes[mask],
            lambda xy, move=move: np.round(np.column_stack(move.transform(xy[:, 0], xy[:, 1])), DIGITS),
        )
    return out


def _map_data(codes: list[str], shapes: np.ndarray, properties: list[dict]) -> MapData:
    if not len(shapes):
        return MapData(())
    texts = shapely.to_geojson(shapes)
    bounds = shapely.bounds(shapes)
    props = tuple(json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in properties)
    features = tuple(
        MapFeature(code, tuple(float(v) for v in box), '{"type":"Feature","geometry":' + text + ',"properties":' + p + "}")
        for code, text, box, p in zip(codes, texts, bounds, props, strict=True)
    )  # fmt: skip
    return MapData(features, shapes, props)


def _parcel_properties(code: str, boundary, parcel) -> dict:
    """A feature's properties: the register's facts where the parcel is registered, else the boundary's."""
    state = State(parcel.state) if parcel else None
    return {
        "code": code,
        "location": parcel.location if parcel else boundary.name,
        "area_m2": str(parcel.area_m2 if parcel and parcel.area_m2 is not None else boundary.area_m2),
        "land_use": (parcel.land_use if parcel else None) or boundary.land_use or "未注明",
        "zone": (parcel.zone if parcel else None) or "未注明",
        "state": state.value if state else "unregistered",
        "state_label": STATE_LABELS[state] if state else "未登记入库",
        "registered": parcel is not None,
    }  # fmt: skip


def parcel_map(ctx: Context) -> MapData:
    """Every current boundary with the register's facts (code, location, area, use, zone, state). The columns
    are read as plain rows (no ORM objects: a county has tens of thousands of boundaries)."""
    BUILDS["parcels"] += 1
    g, r = ParcelGeometryRow, ReserveParcelRow
    with reading(ctx.engine) as session:
        rows = session.execute(
            select(g.code, g.wkb, g.epsg, g.name, g.area_m2, g.land_use)
            .where(g.superseded_at.is_(None))
            .order_by(g.code)
        ).all()
        register = {
            x.code: x
            for x in session.execute(select(r.code, r.location, r.area_m2, r.land_use, r.zone, r.state))
        }
    if not rows:
        return MapData(())
    props = [_parcel_properties(row.code, row, register.get(row.code)) for row in rows]
    shapes = to_lonlat([row.wkb for row in rows], [row.epsg for row in rows])
    return _map_data([row.code for row in rows], shapes, props)


def refreshed_parcel_map(ctx: Context, data: MapData, codes: set[str]) -> MapData:
    """``data`` with the properties of the features of ``codes`` read again (their register facts or state
    changed; their boundaries did not): the other features, their shapes and their simplified texts are kept."""
    index = {f.code: i for i, f in enumerate(data.features)}
    chosen = sorted(c for c in codes if c in index)
    if not chosen or data.shapes is None:
        return data
    BUILDS["parcel_features"] += len(chosen)
    g, r = ParcelGeometryRow, ReserveParcelRow
    boundaries, register = {}, {}
    with reading(ctx.engine) as session:
        for start in range(0, len(chosen), 500):
            part = chosen[start : start + 500]
            query = select(g.code, g.name, g.area_m2, g.land_use).where(
                g.superseded_at.is_(None), g.code.in_(part)
            )
            boundaries.update((x.code, x) for x in session.execute(query))
            query = select(r.code, r.location, r.area_m2, r.land_use, r.zone, r.state).where(r.code.in_(part))
            register.update((x.code, x) for x in session.execute(query))
    features, properties = list(data.features), list(data.properties)
    changed = set()
    for code in chosen:
        if code not in boundaries:  # superseded meanwhile: a boundary write, which rebuilds the map anyway
            continue
        i = index[code]
        props = json.dumps(_parcel_properties(code, boundaries[code], register.get(code)), ensure_ascii=False,
                           separators=(",", ":"))  # fmt: skip
        if props == properties[i]:
            continue
        properties[i] = props
        geometry = shapely.to_geojson(data.shapes[i])
        features[i] = MapFeature(
            code,
            features[i].bounds,
            '{"type":"Feature","geometry":' + geometry + ',"properties":' + props + "}",
        )
        changed.add(i)
    if not changed:
        return data
    new = MapData(tuple(features), data.shapes, tuple(properties))
    with data._lock:
        for zoom, kept in data._by_zoom.items():
            new._by_zoom[zoom] = {i: text for i, text in kept.items() if i not in changed}
    return new


def public_map(ctx: Context) -> MapData:
    """The boundaries of the parcels of published plans, with public properties only (code, location,
    area, use, state)."""
    BUILDS["public"] += 1
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
    return _map_data([r.code for r in rows], to_lonlat([r.wkb for r in rows], [r.epsg for r in rows]), props)


def _state_key(label: str) -> str:
    for state, text in STATE_LABELS.items():
        if text == label:
            return state.value
    return "unregistered" if label == NOT_REGISTERED else label


# --- kept until what they show changes ------------------------------------------------------------------

#: how often each map was built whole, and how many features had their properties read again (tests count)
BUILDS: Counter[str] = Counter()
#: more entries than this since the kept map: it is built whole (reading them one by one would be longer)
MAX_CHANGES = 2000


def changes_since(ctx: Context, after: int, upto: int) -> list[tuple[str, str]] | None:
    """(entity type, entity id) of the history entries ``after`` < seq <= ``upto``; ``None`` when more than
    ``MAX_CHANGES``."""
    h = HistoryEntryRow
    with read_connection(ctx.engine) as connection:
        rows = connection.execute(
            select(h.entity_type, h.entity_id).where(h.seq > after, h.seq <= upto).limit(MAX_CHANGES + 1)
        ).all()
    return None if len(rows) > MAX_CHANGES else [(r.entity_type, r.entity_id) for r in rows]


#: the history entities whose entries may change the staff map: the register (facts, states) and boundaries
PARCEL_ENTITY, GEOMETRY_ENTITY = "parcel", "parcel_geometry"


def _public_untouched(entity_type: str) -> bool:
    """Entries that never change the public map (accounts, reference layers, the money); plans, their
    publication, the register and boundaries may."""
    return entity_type in ("account", "map_layer") or entity_type.startswith("fund_")


class KeptMap:
    """A map kept with the data version it shows. Asked for a newer version, it reads the history entries
    written since: none that concern the map — the same map goes on; only register entries (staff map) —
    the properties of those parcels are read again (``refreshed_parcel_map``); anything else — built whole."""

    def __init__(self, build: Callable[[Context], MapData], staff: bool):
        self.build, self.staff = build, staff
        self._lock = threading.Lock()
        self._held: tuple[int, MapData, int] | None = None

    def at(self, ctx: Context, version: int) -> tuple[MapData, int]:
        """The map at data ``version``, and the version since which it has not changed (for an ETag)."""
        with self._lock:  # one build at a time: concurrent requests wait for it instead of repeating it
            held = self._held
            if held is not None and held[0] >= version:
                return held[1], held[2]  # the same version, or a newer one a request read meanwhile
            data = self._update(ctx, held[0], held[1], version) if held is not None else self.build(ctx)
            since = held[2] if held is not None and data is held[1] else version
            self._held = (version, data, since)
            return data, since

    def _update(self, ctx: Context, seen: int, data: MapData, version: int) -> MapData:
        changes = changes_since(ctx, seen, version)
        if changes is None:
            return self.build(ctx)
        if not self.staff:
            return data if all(_public_untouched(kind) for kind, _ in changes) else self.build(ctx)
        if any(kind == GEOMETRY_ENTITY for kind, _ in changes):
            return self.build(ctx)
        codes = {code for kind, code in changes if kind == PARCEL_ENTITY}
        return refreshed_parcel_map(ctx, data, codes) if codes else data
