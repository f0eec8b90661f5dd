"""Features read from a boundary file: geometry, attributes, where each came from, and its rings as written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

Point = tuple[float, float]


@dataclass(frozen=True)
class RawRing:
    """One ring exactly as the file wrote it (x=easting/longitude, y=northing/latitude).

    ``number`` is the ring number in the file (1 = first); ``lines`` are the source lines of its points
    when the format has lines; ``must_close`` says whether the format requires first point = last point.
    """

    number: int
    points: tuple[Point, ...]
    lines: tuple[int, ...] = ()
    must_close: bool = False

    @property
    def closed(self) -> bool:
        return len(self.points) > 1 and self.points[0] == self.points[-1]

    @property
    def distinct(self) -> int:
        """Number of points without the closing repetition."""
        return len(self.points) - 1 if self.closed else len(self.points)


@dataclass(frozen=True)
class Feature:
    """One feature of a file. ``geometry`` is ``None`` when the file's shape could not be built.

    ``place`` says where it is in the file (``第12行``, ``第3个要素``) for messages.
    """

    geometry: BaseGeometry | None
    attributes: dict[str, Any]
    place: str
    raw_rings: tuple[RawRing, ...] = ()

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        if self.geometry is None or self.geometry.is_empty:
            return None
        return tuple(float(v) for v in self.geometry.bounds)  # type: ignore[return-value]


@dataclass
class FeatureSet:
    """The features of one file with what the file says about itself.

    ``declared_epsg``: the CRS the file declares (``None`` when it declares none or an unknown one);
    ``declared_crs``: that declaration as written; ``encoding``: the text encoding used;
    ``notes``: things the reader did that the user should know (Chinese).
    """

    path: Path
    features: list[Feature]
    declared_epsg: int | None = None
    declared_crs: str | None = None
    encoding: str | None = None
    fields: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)

    def bounds(self) -> list[tuple[float, float, float, float]]:
        return [b for b in (f.bounds for f in self.features) if b is not None]


def polygon_from_rings(rings: list[list[Point]]) -> BaseGeometry | None:
    """A (multi)polygon from rings in order: a ring inside an earlier part's shell (and not in one of its
    holes) is a hole of that part, any other ring starts a new part. ``None`` without a usable shell.

    This reads both "ring 1 outer, others holes" and several parts written shell-then-holes.
    """
    parts: list[tuple[list[Point], list[list[Point]]]] = []
    for ring in rings:
        if len(set(ring)) < 3:
            continue
        owner = _owning_part(parts, ring)
        if owner is None:
            parts.append((ring, []))
        else:
            owner[1].append(ring)
    polygons = [shapely.Polygon(shell, holes) for shell, holes in parts]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _owning_part(parts, ring: list[Point]):
    probe = shapely.Point(_inner_probe(ring))
    for part in parts:
        shell, holes = part
        if shapely.Polygon(shell).contains(probe) and not any(
            shapely.Polygon(h).contains(probe) for h in holes
        ):
            return part
    return None


def _inner_probe(ring: list[Point]) -> Point:
    """A point strictly inside the ring when possible (rings that touch their shell still work)."""
    polygon = shapely.Polygon(ring)
    if polygon.is_valid and not polygon.is_empty:
        point = polygon.representative_point()
        return (point.x, point.y)
    return ring[0]
