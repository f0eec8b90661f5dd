"""Sample geometries for the spatial-check tests: seeded random parcels and layers, and brute-force references."""

from __future__ import annotations

import numpy as np
import shapely
import shapely.affinity
from pyproj import Transformer

#: a point inside EPSG:4535 (CGCS2000 GK CM 78°E), near Bachu
ORIGIN = (500_000.0, 4_400_000.0)


def star(rng, centre, area, n_vertices=24, wobble=0.3):
    """A star-shaped polygon around ``centre`` of exactly ``area`` m²."""
    theta = 2 * np.pi * (np.arange(n_vertices) + 0.8 * rng.random(n_vertices)) / n_vertices
    radius = 1.0 + wobble * (2 * rng.random(n_vertices) - 1)
    ring = shapely.Polygon(np.column_stack((radius * np.cos(theta), radius * np.sin(theta))))
    scale = np.sqrt(area / ring.area)
    return shapely.affinity.translate(shapely.affinity.scale(ring, scale, scale, origin=(0, 0)), *centre)


def random_shapes(rng, n, extent=2_000.0, areas=(500.0, 40_000.0), origin=ORIGIN):
    """``n`` random polygons near ``origin``: plain, with a hole, or two-part multipolygons."""
    shapes = []
    for k in range(n):
        centre = np.asarray(origin) + rng.uniform(0, extent, 2)
        area = float(np.exp(rng.uniform(np.log(areas[0]), np.log(areas[1]))))
        shape = star(rng, centre, area, int(rng.integers(8, 40)))
        if k % 5 == 1:
            shape = shape.difference(star(rng, centre, area * 0.1, 10, 0.1))
        elif k % 5 == 2:
            offset = 3 * np.sqrt(area / np.pi)
            shape = shape.union(star(rng, centre + (offset, 0), area * 0.3, 12, 0.1))
        shapes.append(shape)
    return shapes


def clean_layer(rng, columns=8, rows=14, cell=150.0, origin=ORIGIN):
    """Farmland-like features that do not overlap each other: one per grid cell, some with a hole,
    some in two parts."""
    shapes = []
    for k in range(columns * rows):
        centre = np.asarray(origin) + ((k % columns + 0.5) * cell, (k // columns + 0.5) * cell)
        area = float(rng.uniform(500.0, 6_000.0))  # reaches at most 1.3 × 44 m from its centre
        if k % 4 == 1:
            shapes.append(star(rng, centre, area, 30).difference(star(rng, centre, area * 0.1, 10, 0.1)))
        elif k % 4 == 2:
            half = (cell / 4, 0)
            shapes.append(
                star(rng, centre - half, area / 3, 16).union(star(rng, centre + half, area / 3, 16))
            )
        else:
            shapes.append(star(rng, centre, area, int(rng.integers(12, 61))))
    return shapes


def huge_polygon_with_holes(rng, centre, radius, n_vertices=3_000, holes=5):
    """A smooth polygon with many vertices and a few holes (a red-line polygon)."""
    theta = np.linspace(0, 2 * np.pi, n_vertices, endpoint=False)
    r = radius * (1 + 0.1 * np.sin(3 * theta) + 0.002 * rng.random(n_vertices))
    outer = np.column_stack((r * np.cos(theta), r * np.sin(theta))) + centre
    inner = []
    for k in range(holes):
        angle = 2 * np.pi * k / holes
        c = np.asarray(centre) + 0.5 * radius * np.array([np.cos(angle), np.sin(angle)])
        inner.append(star(rng, c, (0.15 * radius) ** 2, 30, 0.1).exterior.coords)
    return shapely.Polygon(outer, inner)


def reproject(geoms, source, target):
    """Every vertex of ``geoms`` transformed from ``source`` to ``target`` CRS (x = easting / longitude)."""
    transformer = Transformer.from_crs(source, target, always_xy=True)
    return shapely.transform(
        np.asarray(geoms, dtype=object), lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def brute_force_shared(parcels, features):
    """Per parcel, the sum over all features of the shared area — every pair computed, no index."""
    return np.array([sum(p.intersection(f).area for f in features if p.intersects(f)) for p in parcels])


def brute_force_overlaps(parcels):
    """Every pair ``(i, j)``, ``i < j``, of parcels sharing a positive area, with that area."""
    found = {}
    for i, a in enumerate(parcels):
        for j in range(i + 1, len(parcels)):
            if a.intersects(parcels[j]):
                area = a.intersection(parcels[j]).area
                if area > 0:
                    found[(i, j)] = area
    return found


def assert_close(actual, expected, scale, rel=1e-9):
    """``actual`` equals ``expected`` within ``rel`` of ``scale`` (e.g. the parcel's area)."""
    actual, expected, scale = (np.asarray(v, dtype=float) for v in (actual, expected, scale))
    error = np.abs(actual - expected) / scale
    assert error.max(initial=0.0) <= rel, f"largest relative error {error.max()} at {error.argmax()}"
