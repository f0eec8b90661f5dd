"""Benchmark ``map_geojson``: the map's parcel GeoJSON for a county of N boundaries (default 10,000).

Builds N synthetic parcels (``synthetic_county.parcels``, EPSG:4535, 12–40 vertices) as stored boundaries
in a fresh SQLite database (rows written directly: the benchmark measures the map, not the import), then
times ``services.map_data.parcel_map`` (read, reproject per zone, round to 1e-6°, one GeoJSON text per
feature) and one full ``geojson()`` answer, against the well-known peer doing the same with GeoPandas:
``GeoDataFrame(...).to_crs(4326).to_json()`` over the same rows. Prints both times and the ratio.

``python -m benchmarks map_geojson [-- --parcels 10000]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import shapely

from benchmarks import synthetic_county


def county_boundaries(engine, n: int) -> None:
    """``n`` synthetic boundaries (EPSG:4535, a 60 km square) written as current rows into a migrated database."""
    from landreserve.services.clock import utc_now
    from landreserve.storage.db import transaction
    from landreserve.storage.geometry_tables import ParcelGeometryRow

    rng = np.random.default_rng(9)
    extent = (420_000.0, 4_330_000.0, 420_000.0 + 60_000, 4_330_000.0 + 60_000)
    codes, geoms = synthetic_county.parcels(rng, n, extent)
    now = utc_now()
    with transaction(engine) as session:
        for code, geom in zip(codes, geoms, strict=True):
            x0, y0, x1, y1 = geom.bounds
            session.add(ParcelGeometryRow(
                code=code, code_as_written=code, version=1, name=None, epsg=4535, wkb=shapely.to_wkb(geom),
                min_x=x0, min_y=y0, max_x=x1, max_y=y1, area_m2=Decimal(str(round(geom.area, 2))),
                attributes={}, source_name="synthetic", source_place="-", crs_note="benchmark", repaired=False,
                imported_at=now, imported_by="benchmark",
            ))  # fmt: skip


def _database(folder: Path, n: int):
    from landreserve.domain.actors import Actor
    from landreserve.services.context import Context
    from landreserve.settings import Settings
    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{folder / 'map.sqlite3'}")
    upgrade(engine)
    county_boundaries(engine, n)
    return Context(engine=engine, settings=Settings(database_url=str(engine.url)), actor=Actor("bench", "it"))


def _peer(ctx) -> int:
    import geopandas

    from landreserve.storage.db import reading
    from landreserve.storage.geometry_tables import current_rows

    with reading(ctx.engine) as session:
        rows = current_rows(session)
    frame = geopandas.GeoDataFrame(
        {"code": [r.code for r in rows], "area_m2": [str(r.area_m2) for r in rows]},
        geometry=shapely.from_wkb([r.wkb for r in rows]),
        crs="EPSG:4535",
    )
    return len(frame.to_crs(4326).to_json())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks map_geojson")
    parser.add_argument("--parcels", type=int, default=10_000)
    args = parser.parse_args(argv)
    from landreserve.services import map_data

    with tempfile.TemporaryDirectory() as folder:
        ctx = _database(Path(folder), args.parcels)
        start = time.perf_counter()
        data = map_data.parcel_map(ctx)
        text = data.geojson()
        ours = time.perf_counter() - start
        start = time.perf_counter()
        peer_bytes = _peer(ctx)
        peer = time.perf_counter() - start
        ctx.engine.dispose()
    print(f"map_geojson: {args.parcels} parcels → {len(text) / 1e6:.1f} MB GeoJSON in {ours:.2f} s "
          f"(GeoPandas to_crs+to_json: {peer:.2f} s, {peer_bytes / 1e6:.1f} MB); ratio peer/ours {peer / ours:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
