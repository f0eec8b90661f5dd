"""Benchmark ``map_geojson``: the map's parcel GeoJSON for a county of N boundaries (default 10,000).

Builds N synthetic parcels (``synthetic_county.parcels``, EPSG:4535, 12–40 vertices) as stored boundaries
in a fresh SQLite database (rows written directly: the benchmark measures the map, not the import), then,
in one run against two well-known peers over the same rows:

- **build** (once per data version; the web layer keeps the result): ``services.map_data.parcel_map`` (read,
  reproject per zone, round to 1e-6°, one GeoJSON text per feature) and the whole collection, against
  GeoPandas ``GeoDataFrame(...).to_crs(4326).to_json()`` and PostGIS ``ST_AsGeoJSON(ST_Transform(…))`` of
  every row (one text, aggregated in the server);
- **views** (what map.js asks for): the whole county at zoom 10 (at most 3,000 of the largest, simplified to a
  pixel), a town of 5 km at zoom 14, a close-up of 1 km at zoom 17 — ``MapData.view`` against the same query in
  PostGIS (GiST index on the lon/lat geometry, ``&&`` the box, ``ST_Simplify`` to the same tolerance,
  ``ORDER BY`` area ``LIMIT``). The first answer at a zoom level (which simplifies every feature once) is
  printed apart from the warm median.

Prints the times and each ratio peer/ours. PostGIS is skipped with a message when the local server
(127.0.0.1:5432, user postgres) has no PostGIS.

``python -m benchmarks map_geojson [-- --parcels 10000]``
"""

from __future__ import annotations

import argparse
import statistics
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


def _postgis(ctx, table: str = "map_bench_parcels"):
    """The same rows in PostGIS (lon/lat geometry with a GiST index), or ``None`` with the reason printed."""
    from benchmarks import spatial_postgis
    from landreserve.storage.db import reading
    from landreserve.storage.geometry_tables import current_rows

    try:
        spatial_postgis.ensure_postgis()
    except spatial_postgis.PostgisUnavailable as exc:
        print(f"PostGIS skipped: {exc}")
        return None
    with reading(ctx.engine) as session:
        rows = [(r.code, shapely.to_wkb(shapely.set_srid(shapely.from_wkb(r.wkb), r.epsg), include_srid=True))
                for r in current_rows(session)]  # fmt: skip
    con = spatial_postgis._pg_connect(spatial_postgis.PG_DATABASE)
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE UNLOGGED TABLE {table} (code text PRIMARY KEY, geom geometry(Geometry, 4535))")
    with con.cursor() as cur, cur.copy(f"COPY {table} (code, geom) FROM STDIN") as copy:
        for code, ewkb in rows:
            copy.write_row((code, ewkb.hex()))
    con.execute(f"ALTER TABLE {table} ADD COLUMN lonlat geometry(Geometry, 4326)")
    con.execute(f"UPDATE {table} SET lonlat = ST_Transform(geom, 4326)")
    con.execute(f"CREATE INDEX ON {table} USING gist (lonlat)")
    con.execute(f"ANALYZE {table}")
    return con


def _pg_build(con, table: str = "map_bench_parcels") -> int:
    text = con.execute(
        'SELECT \'{"type":"FeatureCollection","features":[\' || string_agg(json_build_object('
        "'type', 'Feature', 'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::json, "
        f"'properties', json_build_object('code', code))::text, ',') || ']}}' FROM {table}"
    ).fetchone()[0]
    return len(text)


def _pg_view(con, box, zoom: int, limit: int, table: str = "map_bench_parcels") -> int:
    from landreserve.services.map_data import FULL_DETAIL_ZOOM, pixel_degrees

    shape = "lonlat" if zoom >= FULL_DETAIL_ZOOM else f"ST_Simplify(lonlat, {pixel_degrees(zoom)}, true)"
    text = con.execute(
        "SELECT '{\"type\":\"FeatureCollection\",\"features\":[' || coalesce(string_agg(f, ','), '') || ']}' FROM ("
        f"SELECT json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON({shape}, 6)::json, "
        f"'properties', json_build_object('code', code))::text AS f FROM {table} "
        "WHERE lonlat && ST_MakeEnvelope(%s, %s, %s, %s, 4326) "
        "ORDER BY (ST_XMax(lonlat) - ST_XMin(lonlat)) * (ST_YMax(lonlat) - ST_YMin(lonlat)) DESC LIMIT %s) v",
        (*box, limit),
    ).fetchone()[0]
    return len(text)


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks map_geojson")
    parser.add_argument("--parcels", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9, help="answers per view for the warm median")
    args = parser.parse_args(argv)
    from landreserve.services import map_data

    with tempfile.TemporaryDirectory() as folder:
        ctx = _database(Path(folder), args.parcels)
        ours, (data, text) = _timed(lambda: (lambda d: (d, d.geojson()))(map_data.parcel_map(ctx)))
        geopandas_s, geopandas_bytes = _timed(lambda: _peer(ctx))
        con = _postgis(ctx)
        print(f"map_geojson: {args.parcels} parcels")
        print(f"  build  ours {ours:.2f} s ({len(text) / 1e6:.1f} MB) | GeoPandas to_crs+to_json {geopandas_s:.2f} s "
              f"({geopandas_bytes / 1e6:.1f} MB) ratio {geopandas_s / ours:.2f}", end="")  # fmt: skip
        if con is not None:
            pg_s, pg_bytes = _timed(lambda: _pg_build(con))
            print(
                f" | PostGIS ST_AsGeoJSON {pg_s:.2f} s ({pg_bytes / 1e6:.1f} MB) ratio {pg_s / ours:.2f}",
                end="",
            )
        print("   (ratio = peer time / ours; > 1: ours faster)")
        x0, y0, x1, y1 = data.bounds()
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        km = 1 / 111.0  # about a kilometre in degrees (of latitude; a little more in longitude here)
        views = [("county z10", (x0, y0, x1, y1), 10, 3000),
                 ("town 5 km z14", (cx - 2.5 * km, cy - 2.5 * km, cx + 2.5 * km, cy + 2.5 * km), 14, 3000),
                 ("close 1 km z17", (cx - 0.5 * km, cy - 0.5 * km, cx + 0.5 * km, cy + 0.5 * km), 17, 3000)]  # fmt: skip
        for name, box, zoom, limit in views:
            first, answer = _timed(lambda box=box, zoom=zoom, limit=limit: data.view(box, None, zoom, limit))
            warm, _ = _timed(
                lambda box=box, zoom=zoom, limit=limit: data.view(box, None, zoom, limit), args.repeat
            )
            line = (f"  view {name:15s} {answer.shown:5d}/{answer.total:5d} parcels {len(answer.geojson) / 1e3:7.0f} kB"
                    f"  ours first {first * 1000:7.1f} ms, warm {warm * 1000:6.2f} ms")  # fmt: skip
            if con is not None:
                pg, pg_bytes = _timed(lambda box=box, zoom=zoom, limit=limit: _pg_view(con, box, zoom, limit),
                                      args.repeat)  # fmt: skip
                line += f" | PostGIS {pg * 1000:7.1f} ms ({pg_bytes / 1e3:.0f} kB) ratio warm {pg / warm:.1f}, first {pg / first:.2f}"
            print(line)
        if con is not None:
            con.execute("DROP TABLE IF EXISTS map_bench_parcels")
            con.close()
        ctx.engine.dispose()


if __name__ == "__main__":
    main()
