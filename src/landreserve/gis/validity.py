"""Invalid parcel geometry found and placed: self-intersections, too few points, unclosed or swapped rings.

Every problem names the parcel, the ring (numbered as in the boundary-point format: each part's shell,
then its holes, from 1), the point (1-based, in the ring's order) and the coordinates, in Chinese.
``repair`` offers a ``make_valid`` shape; whether it is kept is the user's decision.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..domain.findings import Finding, Severity
from .crs import (
    CHINA_BOUNDS,
    FIRST_ZONE,
    GEOGRAPHIC_EPSG,
    LAST_ZONE,
    GaussKrugerZone,
    bounds_fit,
    easting_prefix,
    transformer,
)
from .features import Feature, RawRing

#: named regions (lon/lat bounds) a parcel may be required to lie in
REGIONS: dict[str, tuple[float, float, float, float]] = {
    "中国": CHINA_BOUNDS,
    "新疆": (73.4, 34.3, 96.4, 49.2),
}
_REASONS = {
    "Ring Self-intersection": ("geometry.self_intersection", "环自身打结（同一圈边界自相交）"),
    "Self-intersection": ("geometry.self_intersection", "边界自相交"),
    "Hole lies outside shell": ("geometry.hole_outside", "内环（洞）不在外环之内"),
    "Nested holes": ("geometry.nested_holes", "内环（洞）互相嵌套"),
    "Interior is disconnected": ("geometry.disconnected", "内环把面分割成不相连的部分"),
    "Nested shells": ("geometry.nested_shells", "多部件面的外环互相嵌套"),
    "Too few points in geometry component": ("geometry.too_few_points", "一圈的点数不足（至少3个不同的点）"),
    "Invalid Coordinate": ("geometry.bad_coordinate", "坐标无效（空值或无穷大）"),
    "Duplicate Rings": ("geometry.duplicate_rings", "有重复的环"),
}


@dataclass(frozen=True)
class Problem:
    """One reason why a parcel's geometry cannot be used as it is, with its place."""

    code: str
    parcel: str
    reason: str
    ring: int | None = None
    point: int | None = None
    coordinates: tuple[float, float] | None = None
    repairable: bool = False
    #: source line of the point, for formats with lines (boundary-point files)
    line: int | None = None

    @property
    def message(self) -> str:
        place = [f"第{self.line}行"] if self.line is not None else []
        if self.ring is not None:
            place.append(f"第{self.ring}圈")
        if self.point is not None:
            place.append(f"第{self.point}点附近")
        if self.coordinates is not None:
            east, north = (_num(v) for v in self.coordinates)
            place.append(f"东坐标/经度 {east}，北坐标/纬度 {north}")
        where = f"（{'，'.join(place)}）" if place else ""
        return f"地块 {self.parcel}：{self.reason}{where}"

    def to_finding(self) -> Finding:
        values = {"parcel": self.parcel, "reason": self.reason}
        if self.ring is not None:
            values["ring"] = str(self.ring)
        if self.point is not None:
            values["point"] = str(self.point)
        if self.line is not None:
            values["line"] = str(self.line)
        if self.coordinates is not None:
            values["x"], values["y"] = (_num(v) for v in self.coordinates)
        return Finding(self.code, Severity.ERROR, self.message, values=values)


def _num(value: float) -> str:
    return f"{value:.3f}" if abs(value) > 1000 else f"{value:.7f}"


def check_feature(parcel: str, feature: Feature, epsg: int, region: str | None = None) -> list[Problem]:
    """All problems of one feature read in ``epsg``: its rings as written, its shape, its place.

    Parameters
    ----------
    parcel : str
        The parcel code (or the feature's place when it has no code) for messages.
    feature : Feature
        As read from the file.
    epsg : int
        The CRS the coordinates are in.
    region : str, optional
        A key of ``REGIONS`` the parcel must lie in besides China (e.g. ``"新疆"``).
    """
    problems = ring_problems(parcel, feature.raw_rings)
    found = shape_problems(parcel, feature.geometry)
    if feature.geometry is not None and not feature.geometry.is_empty:
        found += placement_problems(parcel, feature.geometry, epsg, region)
    return problems + [_as_written(p, feature) for p in found]


def _as_written(problem: Problem, feature: Feature) -> Problem:
    """The problem's ring number and line as the file wrote them (found by the vertex's coordinates)."""
    if problem.ring is None or problem.point is None or not feature.raw_rings:
        return problem
    vertex = tuple(float(v) for v in rings_of(feature.geometry)[problem.ring - 1][problem.point - 1])
    for raw in feature.raw_rings:
        for index, point in enumerate(raw.points):
            if point == vertex:
                line = raw.lines[index] if raw.lines else None
                return replace(problem, ring=raw.number, point=index + 1, line=line)
    return problem


def ring_problems(parcel: str, rings: tuple[RawRing, ...]) -> list[Problem]:
    """Rings with fewer than three distinct points, and unclosed rings where the format requires closure."""
    problems = []
    for ring in rings:
        first = ring.points[0] if ring.points else None
        if len(set(ring.points)) < 3:
            reason = f"第{ring.number}圈只有 {len(set(ring.points))} 个不同的点，至少需要3个，无法构成面"
            line = ring.lines[0] if ring.lines else None
            problems.append(
                Problem("geometry.too_few_points", parcel, reason, ring.number, 1, first, line=line)
            )
        elif ring.must_close and not ring.closed:
            last = ring.points[-1]
            reason = f"第{ring.number}圈未闭合：首点与末点（第{len(ring.points)}点 ({_num(last[0])}, {_num(last[1])})）不同"
            problems.append(
                Problem("geometry.unclosed", parcel, reason, ring.number, 1, first, repairable=True)
            )
    return problems


def shape_problems(parcel: str, geometry: BaseGeometry | None) -> list[Problem]:
    """Problems of the shape itself: missing, not a polygon, or invalid by OGC rules (placed)."""
    if geometry is None or geometry.is_empty:
        return [Problem("geometry.missing", parcel, "没有可用的面（所有圈的点数都不足或图形为空）")]
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return [Problem("geometry.not_polygon", parcel, f"图形类型为 {geometry.geom_type}，不是面")]
    text = shapely.is_valid_reason(geometry)
    if text == "Valid Geometry":
        return []
    match = re.match(r"([^\[]+?)\s*\[\s*(\S+)\s+(\S+)\s*\]", text)
    kind = match.group(1) if match else text
    code, reason = _REASONS.get(kind, ("geometry.invalid", f"图形无效（{text}）"))
    if not match:
        return [Problem(code, parcel, reason, repairable=True)]
    location = (float(match.group(2)), float(match.group(3)))
    ring, point = locate(geometry, location)
    return [Problem(code, parcel, reason, ring, point, location, repairable=True)]


def rings_of(geometry: BaseGeometry) -> list[np.ndarray]:
    """Rings in boundary-point order: each part's shell, then its holes."""
    rings = []
    for polygon in shapely.get_parts(geometry):
        rings.append(np.asarray(polygon.exterior.coords))
        rings.extend(np.asarray(hole.coords) for hole in polygon.interiors)
    return rings


def locate(geometry: BaseGeometry, location: tuple[float, float]) -> tuple[int, int]:
    """(ring number, point number) of the edge nearest to ``location``, both 1-based.

    The point is the start of that edge, or the vertex itself when ``location`` is one.
    """
    best = (math.inf, 1, 1)
    target = np.asarray(location)
    for number, coords in enumerate(rings_of(geometry), start=1):
        start, end = coords[:-1], coords[1:]
        distances = _segment_distances(start, end, target)
        index = int(np.argmin(distances))
        if distances[index] < best[0]:
            vertex = np.linalg.norm(end[index] - target) < 1e-9
            best = (float(distances[index]), number, index + 2 if vertex else index + 1)
    ring, point = best[1], best[2]
    count = len(rings_of(geometry)[ring - 1]) - 1
    return ring, (point - 1) % count + 1


def _segment_distances(start: np.ndarray, end: np.ndarray, target: np.ndarray) -> np.ndarray:
    edge = end - start
    length2 = np.maximum((edge**2).sum(axis=1), 1e-300)
    t = np.clip(((target - start) * edge).sum(axis=1) / length2, 0.0, 1.0)
    nearest = start + edge * t[:, None]
    return np.linalg.norm(nearest - target, axis=1)


def placement_problems(
    parcel: str, geometry: BaseGeometry, epsg: int, region: str | None = None
) -> list[Problem]:
    """Swapped axes, outside China (or ``region``), or in another zone than ``epsg`` says."""
    bounds = tuple(float(v) for v in geometry.bounds)
    first = tuple(float(v) for v in rings_of(geometry)[0][0])
    zone = GaussKrugerZone.from_epsg(epsg)
    if not bounds_fit(bounds, epsg):
        swapped = (bounds[1], bounds[0], bounds[3], bounds[2])
        variants = [epsg] if zone is None else [epsg, zone.with_prefix(not zone.prefixed).epsg]
        if any(bounds_fit(swapped, code) for code in variants):
            reason = (
                "坐标轴疑似颠倒：横坐标像北坐标/纬度、纵坐标像东坐标/经度（界址点格式中 X 是北坐标、Y 是东坐标；"
                "EPSG:4490 的规范顺序是纬度在前）；请核对文件的坐标列顺序"
            )
            return [Problem("geometry.swapped_axes", parcel, reason, 1, 1, first)]
        found = easting_prefix(bounds[0])
        if zone is not None and found is not None and FIRST_ZONE <= found <= LAST_ZONE:
            if found != zone.number:
                reason = f"东坐标带号前缀为 {found}，与坐标系 EPSG:{epsg}（第{zone.number}带）不符"
                return [Problem("geometry.other_zone", parcel, reason, 1, 1, first)]
    return _lonlat_problems(parcel, geometry, epsg, zone, first, region)


def _lonlat_problems(parcel, geometry, epsg, zone, first, region) -> list[Problem]:
    if epsg == GEOGRAPHIC_EPSG:
        lon, lat = first
    else:
        lon, lat = transformer(epsg, GEOGRAPHIC_EPSG).transform(*first)
    if not (math.isfinite(lon) and math.isfinite(lat)) or not _inside(REGIONS["中国"], lon, lat):
        reason = (
            f"位置（经度 {lon:.4f}°，纬度 {lat:.4f}°）不在中国境内，坐标或坐标系有误（X/Y 颠倒或带号错误？）"
        )
        return [Problem("geometry.outside_region", parcel, reason, 1, 1, first)]
    if zone is not None and abs(lon - zone.central_meridian) > 1.5 + 0.25:
        actual = GaussKrugerZone.for_longitude(lon)
        reason = (
            f"位置（经度 {lon:.4f}°）属于第{actual.number}带（中央经线{actual.central_meridian}°E），"
            f"不在坐标系 EPSG:{epsg} 的第{zone.number}带内；请检查带号"
        )
        return [Problem("geometry.other_zone", parcel, reason, 1, 1, first)]
    if region and region in REGIONS and not _inside(REGIONS[region], lon, lat):
        reason = f"位置（经度 {lon:.4f}°，纬度 {lat:.4f}°）不在{region}范围内"
        return [Problem("geometry.outside_region", parcel, reason, 1, 1, first)]
    return []


def _inside(bounds, lon: float, lat: float) -> bool:
    return bounds[0] <= lon <= bounds[2] and bounds[1] <= lat <= bounds[3]


def repair(geometry: BaseGeometry) -> BaseGeometry | None:
    """The ``make_valid`` repair of a shape, keeping only its polygonal part; ``None`` when nothing is left."""
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    polygons = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
    parts = [q for p in polygons for q in shapely.get_parts(p)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
