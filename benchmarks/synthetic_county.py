"""Deterministic synthetic county for the spatial benchmark: reserve parcels, farmland and red-line layers.

Everything is built with seeded NumPy and vectorised Shapely (star-shaped rings), written with pyogrio
to GeoPackages with a spatial index, and cached under ``benchmarks/data/`` keyed by the parameters:

- ``parcels-<n>.gpkg`` (layer ``parcels``, field ``code``): reserve parcels of 0.2–20 ha, 12–40 vertices;
  about 10 % overlap another parcel, 2 % are near-duplicates of another parcel under a different code,
  2 % have a hole and 2 % are two-part multipolygons;
- ``farmland-<n>.gpkg`` (layer ``farmland``): non-overlapping farmland polygons of 0.05–5 ha with 12–60
  vertices, one per cell of a grid (90 % of the cells filled);
- ``redline-<n>.gpkg`` (layer ``redline``): a few huge red-line polygons (thousands of vertices) with holes.

All layers are in EPSG:4535 (CGCS2000 3-degree Gauss-Krüger CM 78°E, the zone of Bachu county).
Run ``python -m benchmarks.synthetic_county --small`` to build (or find) the small set and print the paths.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely

#: a data generator, not a benchmark: ``python -m benchmarks`` runs it only when named
BENCHMARK = False
DATA_DIR = Path(__file__).resolve().parent / "data"
CRS = "EPSG:4535"
VERSION = 2
#: south-west corner of the synthetic county in EPSG:4535 (near Bachu, 78.5°E 39.8°N)
ORIGIN = (420_000.0, 4_330_000.0)
FARMLAND_CELL_M = 340.0
FARMLAND_FILL = 0.9


@dataclass(frozen=True)
class County:
    """Paths of one generated county."""

    parcels: Path
    farmland: Path
    redline: Path
    extent: tuple[float, float, float, float]


def star_rings(rng, centres, areas, n_vertices, wobble=0.3, waves=0.0):
    """Closed star-shaped rings around ``centres`` with exactly ``areas`` (m²) and ``n_vertices`` each.

    Each vertex's radius varies randomly by ``wobble`` (relative) around a smooth outline made of a few
    random low harmonics of relative amplitude ``waves``. Returns the ragged coordinates and the ring
    index of each coordinate (for ``shapely.linearrings``).
    """
    n = len(centres)
    counts = np.asarray(n_vertices, dtype=np.int64)
    ring = np.repeat(np.arange(n), counts)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    j = np.arange(len(ring)) - starts[ring]
    theta = 2 * np.pi * (j + 0.8 * rng.random(len(ring))) / counts[ring]
    radius = 1.0 + wobble * (2 * rng.random(len(ring)) - 1)
    for k in range(2, 7) if waves else ():
        phase = rng.uniform(0, 2 * np.pi, n)[ring]
        radius += waves / k * rng.uniform(0.5, 1.0, n)[ring] * np.sin(k * theta + phase)
    x, y = radius * np.cos(theta), radius * np.sin(theta)
    xn, yn = np.roll(x, -1), np.roll(y, -1)
    last = starts + counts - 1
    xn[last], yn[last] = x[starts], y[starts]
    unit_area = 0.5 * np.add.reduceat(x * yn - xn * y, starts)
    scale = np.sqrt(np.asarray(areas) / unit_area)
    coords = np.column_stack((x * scale[ring], y * scale[ring])) + np.asarray(centres)[ring]
    return coords, ring


def star_polygons(rng, centres, areas, n_vertices, wobble=0.3):
    """Star-shaped polygons (see :func:`star_rings`) as a Shapely array."""
    coords, ring = star_rings(rng, centres, areas, n_vertices, wobble)
    return shapely.polygons(shapely.linearrings(coords, indices=ring))


def log_uniform(rng, lo, hi, n):
    return np.exp(rng.uniform(math.log(lo), math.log(hi), n))


def county_extent(n_farmland, origin=ORIGIN):
    """Extent (minx, miny, maxx, maxy) of the farmland grid for ``n_farmland`` polygons."""
    side = math.ceil(math.sqrt(n_farmland / FARMLAND_FILL))
    return (origin[0], origin[1], origin[0] + side * FARMLAND_CELL_M, origin[1] + side * FARMLAND_CELL_M)


def farmland(rng, n, origin=ORIGIN):
    """``n`` non-overlapping farmland polygons of 0.05–5 ha, 12–60 vertices, one per grid cell."""
    side = math.ceil(math.sqrt(n / FARMLAND_FILL))
    cells = np.sort(rng.permutation(side * side)[:n])
    row, col = np.divmod(cells, side)
    areas = log_uniform(rng, 500.0, 50_000.0, n)
    # the ring's radius is at most 1.3 × the mean radius; keep it inside its cell
    reach = 1.3 * np.sqrt(areas / (math.pi * 0.9))
    slack = np.maximum(FARMLAND_CELL_M / 2 - reach - 1.0, 0.0)
    jitter = (2 * rng.random((n, 2)) - 1) * slack[:, None]
    centres = np.column_stack((col, row)) * FARMLAND_CELL_M + FARMLAND_CELL_M / 2 + jitter + origin
    return star_polygons(rng, centres, areas, rng.integers(12, 61, n))


def redline(rng, extent, n=12, vertices=(4_000, 20_000), holes=(4, 16)):
    """A few huge red-line polygons with holes, laid on a coarse grid over ``extent`` (no overlaps)."""
    side = math.ceil(math.sqrt(n))
    cw, ch = (extent[2] - extent[0]) / side, (extent[3] - extent[1]) / side
    radius = 0.4 * min(cw, ch)
    cells = rng.permutation(side * side)[:n]
    centres = np.column_stack(((cells % side + 0.5) * cw + extent[0], (cells // side + 0.5) * ch + extent[1]))
    areas = math.pi * radius**2 * rng.uniform(0.5, 0.9, n)
    outer_coords, outer_ring = star_rings(
        rng, centres, areas, rng.integers(*vertices, n), wobble=0.002, waves=0.12
    )
    outers = shapely.linearrings(outer_coords, indices=outer_ring)
    polys = []
    for i in range(n):
        inner = 0.55 * math.sqrt(areas[i] / math.pi)  # holes stay inside the outer ring's minimum reach
        k = int(rng.integers(*holes))
        angle = 2 * np.pi * (np.arange(k) + 0.3 * rng.random(k)) / k
        dist = inner * rng.uniform(0.3, 0.8, k)
        hole_centres = centres[i] + np.column_stack((dist * np.cos(angle), dist * np.sin(angle)))
        hole_r = 0.25 * inner * math.sin(math.pi / k)
        hole_areas = math.pi * (hole_r * rng.uniform(0.3, 0.7, k)) ** 2
        hc, hr = star_rings(rng, hole_centres, hole_areas, rng.integers(50, 400, k), wobble=0.005, waves=0.1)
        polys.append(shapely.Polygon(outers[i], list(shapely.linearrings(hc, indices=hr))))
    return np.array(polys, dtype=object)


def parcels(rng, n, extent):
    """``n`` reserve parcels: codes and geometries, with overlaps, near-duplicates, holes and multiparts."""
    n_dup, n_hole, n_multi = n // 50, n // 50, n // 50
    n_base = n - n_dup
    areas = log_uniform(rng, 2_000.0, 200_000.0, n_base)
    centres = np.column_stack(
        (
            rng.uniform(extent[0] + 600, extent[2] - 600, n_base),
            rng.uniform(extent[1] + 600, extent[3] - 600, n_base),
        )
    )
    # about 10 % sit next to another parcel so that they overlap it
    near = rng.random(n_base) < 0.1
    other = rng.integers(0, n_base, n_base)
    step = np.sqrt(areas[other] / math.pi) * rng.uniform(0.6, 1.4, n_base)
    angle = rng.uniform(0, 2 * np.pi, n_base)
    centres[near] = (
        centres[other[near]] + np.column_stack((np.cos(angle), np.sin(angle)))[near] * step[near, None]
    )
    geoms = star_polygons(rng, centres, areas, rng.integers(12, 41, n_base))
    r = np.sqrt(areas / math.pi)
    holed = rng.choice(n_base, n_hole, replace=False)
    holes = star_polygons(rng, centres[holed], areas[holed] * 0.05, np.full(n_hole, 12), wobble=0.1)
    geoms[holed] = shapely.difference(geoms[holed], holes)
    multi = rng.choice(np.setdiff1d(np.arange(n_base), holed), n_multi, replace=False)
    second = star_polygons(
        rng,
        centres[multi] + np.column_stack((3 * r[multi], 0 * r[multi])),
        areas[multi] * 0.3,
        np.full(n_multi, 16),
        0.1,
    )
    geoms[multi] = shapely.union(geoms[multi], second)
    # near-duplicates: an existing boundary with every vertex moved by up to 5 cm (a function of the
    # vertex itself, so that rings stay closed)
    source = rng.choice(n_base, n_dup, replace=False)
    dups = shapely.transform(geoms[source], lambda c: c + 0.05 * np.sin(c[:, ::-1] * 12.9898))
    geoms = np.concatenate((geoms, shapely.make_valid(dups)))
    codes = np.array([f"BC-CB{2024 + i % 3}{i:06d}" for i in range(n)], dtype=object)
    order = rng.permutation(n)
    return codes[order], geoms[order]


def write_layer(path: Path, layer: str, geoms, fields: dict[str, np.ndarray]) -> None:
    tmp = path.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    pyogrio.raw.write(
        str(tmp),
        shapely.to_wkb(geoms),
        list(fields.values()),
        list(fields),
        layer=layer,
        driver="GPKG",
        geometry_type="Unknown",
        crs=CRS,
        promote_to_multi=False,
    )
    tmp.rename(path)


def build(
    n_parcels: int = 10_000, n_farmland: int = 1_000_000, seed: int = 2026, out: Path = DATA_DIR
) -> County:
    """Build (or find in the cache) the county with these parameters and return its file paths."""
    out.mkdir(parents=True, exist_ok=True)
    key = f"v{VERSION}-s{seed}-f{n_farmland}"
    farm_path = out / f"farmland-{key}.gpkg"
    red_path = out / f"redline-{key}.gpkg"
    parcel_path = out / f"parcels-{key}-p{n_parcels}.gpkg"
    extent = county_extent(n_farmland)
    if not farm_path.exists():
        farm = farmland(np.random.default_rng(seed), n_farmland)
        fields = {
            "tbbh": np.array([f"{i:07d}" for i in range(len(farm))], dtype=object),
            "dlbm": np.where(np.arange(len(farm)) % 7 == 0, "0102", "0101").astype(object),
            "tbmj": shapely.area(farm),
        }
        write_layer(farm_path, "farmland", farm, fields)
        del farm
    if not red_path.exists():
        red = redline(np.random.default_rng([seed, 1]), extent)
        write_layer(
            red_path,
            "redline",
            red,
            {"name": np.array([f"生态保护红线{i + 1}" for i in range(len(red))], dtype=object)},
        )
    if not parcel_path.exists():
        codes, geoms = parcels(np.random.default_rng([seed, 2, n_parcels]), n_parcels, extent)
        write_layer(parcel_path, "parcels", geoms, {"code": codes})
    return County(parcel_path, farm_path, red_path, extent)


#: layer formats of the benchmark: extension, GDAL driver and layer creation options (see ``layer_in_format``)
FORMATS = {
    "gpkg": (".gpkg", "GPKG", {}),
    "gpkg-nortree": (".gpkg", "GPKG", {"SPATIAL_INDEX": "NO"}),
    "shp": (".shp", "ESRI Shapefile", {"SPATIAL_INDEX": "NO"}),
    "shp-qix": (".shp", "ESRI Shapefile", {"SPATIAL_INDEX": "YES"}),
    "geojson": (".geojson", "GeoJSON", {}),
    "fgb": (".fgb", "FlatGeobuf", {"SPATIAL_INDEX": "YES"}),
}


def layer_in_format(path: Path, fmt: str) -> Path:
    """The layer of the GeoPackage ``path`` (with its attributes) written once in format ``fmt`` (cached).

    ``gpkg`` is the file itself (with its R-tree). Each other format goes into its own folder
    ``<stem>.<fmt>/`` so that a Shapefile with ``.qix`` and one without do not share sidecars.
    """
    if fmt == "gpkg":
        return path
    suffix, driver, options = FORMATS[fmt]
    folder = path.parent / f"{path.stem}.{fmt}"
    target = folder / f"{path.stem}{suffix}"
    done = folder / "complete"
    if done.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    meta, _, wkb, values = pyogrio.raw.read(str(path))
    pyogrio.raw.write(
        str(target),
        wkb,
        values,
        list(meta["fields"]),
        layer=path.stem.split("-")[0],
        driver=driver,
        geometry_type="Polygon" if driver == "ESRI Shapefile" else "Unknown",
        crs=CRS,
        promote_to_multi=False,
        layer_options=options or None,
    )
    done.write_text("ok\n")
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="1,000 parcels × 50,000 farmland polygons")
    parser.add_argument("--parcels", type=int)
    parser.add_argument("--farmland", type=int)
    args = parser.parse_args(argv)
    n_parcels = args.parcels or (1_000 if args.small else 10_000)
    n_farmland = args.farmland or (50_000 if args.small else 1_000_000)
    county = build(n_parcels, n_farmland)
    print(county)


if __name__ == "__main__":
    main()
