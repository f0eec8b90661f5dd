"""Constraint layers checked inside PostGIS, when the parcels are stored on a PostgreSQL server with PostGIS.

A province's parcels outgrow one file; on PostGIS the check runs where they are, as one SQL query: the
layer file is loaded once into a table of schema ``landreserve_layers`` (binary COPY of EWKB, features of
more than ``MAX_PIECE_VERTICES`` vertices cut with ``ST_Subdivide`` so that each overlay sees few
vertices, a GiST index, ANALYZE), kept while the file is unchanged (size, time and a quick hash of every
component file, as the layer cache of :mod:`landreserve.gis.layer_cache` decides) and loaded again when it
changes. The query walks the current boundaries, probes the layer's index and computes each parcel's
shared area with the same exact shortcuts as :mod:`landreserve.gis.constraint_areas` (a parcel properly
inside a feature shares its whole area, a feature properly inside a parcel its whole area), so the areas
agree with the file-based check to rounding (1e-9 relative).

Public API
----------
``postgis_ready(connection) -> bool``: PostgreSQL with the PostGIS extension installed.
``load_layer(connection, path, layer=None, layer_crs=None, progress=None) -> LoadedLayer``
    The layer's table, loaded now or found (``loaded_seconds`` is ``None`` when found).
``layer_areas_sql(connection, loaded, epsg, dissolve=False) -> dict[code, (shared_m2, parcel_m2, features)]``
    Per current parcel (canonical code), in the CRS ``EPSG:epsg`` (projected, metres).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from ..errors import InputError
from ..gis.layer_errors import reading_layer

SCHEMA = "landreserve_layers"
META = f"{SCHEMA}.loaded_layers"
#: features with more vertices are cut into pieces of at most this many (``ST_Subdivide``)
MAX_PIECE_VERTICES = 256
BATCH = 50_000

SHARED_AREA = """CASE WHEN ST_ContainsProperly(f.geom, p.geom) THEN p.area
                      WHEN ST_ContainsProperly(p.geom, f.geom) THEN ST_Area(f.geom)
                      ELSE ST_Area(ST_Intersection(p.geom, f.geom)) END"""


@dataclass(frozen=True)
class LoadedLayer:
    """A layer file loaded into PostGIS."""

    table: str
    srid: int
    features: int
    #: seconds spent loading it now (one-time cost); ``None`` when a current load was found
    loaded_seconds: float | None


def postgis_ready(connection: Connection) -> bool:
    """True on PostgreSQL with the PostGIS extension installed in this database."""
    if connection.dialect.name != "postgresql":
        return False
    found = connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first()
    return found is not None


def _table_name(path: Path, layer: str | None) -> str:
    key = hashlib.blake2b(f"{path.resolve()}\0{layer or ''}".encode(), digest_size=8).hexdigest()
    return f"layer_{key}"


def _srid(crs_text: str, layer_crs, path: Path) -> int:
    from pyproj import CRS

    crs = CRS.from_user_input(crs_text) if crs_text else None
    if crs is None and layer_crs is not None:
        crs = CRS.from_user_input(layer_crs)
    epsg = crs.to_epsg() if crs is not None else None
    if epsg is None:
        raise InputError(
            f"图层文件 {path} 没有可识别的 EPSG 坐标系，无法在 PostGIS 中检查：请补充 .prj，或指定图层坐标系"
            "（命令行：--layer-crs EPSG:4535 之类）。",
            code="gis.crs_missing",
        )
    return epsg


def load_layer(
    connection: Connection, path: str | Path, layer: str | None = None, layer_crs=None, progress=None
) -> LoadedLayer:
    """The PostGIS table of ``layer`` of the file at ``path``: found when the file is unchanged since it
    was loaded, loaded (again) otherwise. Runs in the caller's transaction, under an advisory lock so
    that two checks do not load the same file at once."""
    from ..gis.layer_cache import component_files, content_hash, quick_hash

    path = Path(path)
    if not path.exists():
        raise InputError(f"图层文件 {path} 不存在：请检查路径。", code="gis.layer_missing")
    table = _table_name(path, layer)
    files = component_files(path)
    stat = [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
    connection.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {META} (table_name text PRIMARY KEY, source text NOT NULL, "
            "layer text, files jsonb NOT NULL, quick_hash text NOT NULL, content_hash text NOT NULL, "
            "srid integer NOT NULL, features integer NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())"
        )
    )
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:t))"), {"t": table})
    row = connection.execute(
        text(f"SELECT files, quick_hash, content_hash, srid, features FROM {META} WHERE table_name = :t"),
        {"t": table},
    ).first()
    if row is not None:
        recorded = [list(f) for f in row.files]
        if recorded == stat and row.quick_hash == quick_hash(files):
            return LoadedLayer(f"{SCHEMA}.{table}", row.srid, row.features, None)
        same_sizes = [f[:2] for f in recorded] == [f[:2] for f in stat]
        if same_sizes and row.content_hash == content_hash(files):
            connection.execute(
                text(f"UPDATE {META} SET files = CAST(:f AS jsonb) WHERE table_name = :t"),
                {"f": json.dumps(stat), "t": table},
            )
            return LoadedLayer(f"{SCHEMA}.{table}", row.srid, row.features, None)
    from ..gis.shapefiles import check_declared_text

    check_declared_text(path)  # a shapefile's text as its .cpg declares, as the layer cache checks
    started = time.perf_counter()
    with reading_layer(path):
        srid, count = _load(connection, path, layer, layer_crs, table, progress)
    connection.execute(text(f"DELETE FROM {META} WHERE table_name = :t"), {"t": table})
    connection.execute(
        text(
            f"INSERT INTO {META} (table_name, source, layer, files, quick_hash, content_hash, srid, features) "
            "VALUES (:t, :s, :l, CAST(:f AS jsonb), :q, :c, :srid, :n)"
        ),
        {
            "t": table,
            "s": str(path.resolve()),
            "l": layer,
            "f": json.dumps(stat),
            "q": quick_hash(files),
            "c": content_hash(files),
            "srid": srid,
            "n": count,
        },
    )
    return LoadedLayer(f"{SCHEMA}.{table}", srid, count, time.perf_counter() - started)


def _load(connection: Connection, path: Path, layer, layer_crs, table: str, progress) -> tuple[int, int]:
    """Stream the layer into ``SCHEMA.table`` (fid, piece geometry); its SRID and feature count."""
    import numpy as np
    import pyogrio
    import pyogrio.raw
    import shapely

    from ..gis.layers import choose_layer

    names = [str(n) for n in pyogrio.list_layers(str(path))[:, 0]]
    name = choose_layer(path, names, layer)
    info = pyogrio.read_info(str(path), layer=name)
    srid = _srid(info.get("crs") or "", layer_crs, path)
    total = int(info.get("features") or 0) or None
    target = f"{SCHEMA}.{table}"
    staging = f"{SCHEMA}.{table}_staging"
    connection.execute(text(f"DROP TABLE IF EXISTS {target}, {staging}"))
    connection.execute(text(f"CREATE UNLOGGED TABLE {staging} (fid bigint, geom geometry)"))
    raw = connection.connection.driver_connection  # psycopg: binary COPY
    description = f"将图层 {path.name} 载入 PostGIS（一次性）"
    if progress:
        progress(description, 0, total)
    count = 0
    with (
        pyogrio.raw.open_arrow(
            str(path), layer=name, columns=[], return_fids=True, batch_size=BATCH, use_pyarrow=True
        ) as (_, reader),
        raw.cursor() as cursor,
        cursor.copy(f"COPY {staging} (fid, geom) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(["int8", "bytea"])
        for batch in reader:
            fids = np.asarray(batch.column(0).to_numpy(zero_copy_only=False), dtype=np.int64)
            geoms = shapely.force_2d(shapely.from_wkb(batch.column(1).to_numpy(zero_copy_only=False)))
            keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
            ewkb = shapely.to_wkb(shapely.set_srid(geoms[keep], srid), include_srid=True)
            for fid, blob in zip(fids[keep].tolist(), ewkb.tolist(), strict=True):
                copy.write_row((fid, blob))
            count += int(keep.sum())
            if progress:
                progress(description, count, total)
    connection.execute(
        text(
            f"CREATE TABLE {target} AS SELECT fid, "
            f"CAST(ST_Subdivide(geom, {MAX_PIECE_VERTICES}) AS geometry(Geometry, {srid})) AS geom "
            f"FROM {staging} WHERE ST_NPoints(geom) > {MAX_PIECE_VERTICES} "
            f"UNION ALL SELECT fid, CAST(geom AS geometry(Geometry, {srid})) FROM {staging} "
            f"WHERE ST_NPoints(geom) <= {MAX_PIECE_VERTICES}"
        )
    )
    connection.execute(text(f"DROP TABLE {staging}"))
    connection.execute(text(f"CREATE INDEX ON {target} USING GIST (geom)"))
    connection.execute(text(f"ANALYZE {target}"))
    if progress:
        progress(description, count, count)
    return srid, count


def layer_areas_sql(
    connection: Connection, loaded: LoadedLayer, epsg: int, dissolve: bool = False
) -> dict[str, tuple[float, float, int]]:
    """code → (area shared with the layer, parcel area, features met), for every current boundary, in
    ``EPSG:epsg``; computed by the server. ``dissolve``: the area of the union of the shared pieces."""
    # candidates by box (the GiST index); in another CRS the parcel's box is widened by 1 % as edges bend
    # (as ``gis.constraint_areas`` does); whether they meet is decided in the parcels' CRS
    if loaded.srid == epsg:
        box, feature = "p.geom", "l.geom"
    else:
        box = (
            f"ST_Expand(ST_Envelope(ST_Transform(p.geom, {loaded.srid})), 0.01 * GREATEST("
            f"ST_XMax(ST_Transform(p.geom, {loaded.srid})) - ST_XMin(ST_Transform(p.geom, {loaded.srid})), "
            f"ST_YMax(ST_Transform(p.geom, {loaded.srid})) - ST_YMin(ST_Transform(p.geom, {loaded.srid}))))"
        )
        feature = f"ST_Transform(l.geom, {epsg})"
    shared = "ST_Area(ST_Union(ST_Intersection(p.geom, f.geom)))" if dissolve else f"SUM({SHARED_AREA})"
    query = f"""
        WITH p AS MATERIALIZED (
            SELECT code, geom, ST_Area(geom) AS area FROM (
                SELECT code, ST_Transform(ST_SetSRID(ST_GeomFromWKB(wkb), epsg), {epsg}) AS geom
                FROM parcel_geometries WHERE superseded_at IS NULL) s)
        SELECT p.code, p.area, COALESCE({shared}, 0), COUNT(DISTINCT f.fid)
        FROM p LEFT JOIN LATERAL (
            SELECT l.fid, {feature} AS geom FROM {loaded.table} l WHERE l.geom && {box}
        ) f ON ST_Intersects(p.geom, f.geom)
        GROUP BY p.code, p.area ORDER BY p.code"""
    rows = connection.execute(text(query)).all()
    return {code: (float(inter), float(area), int(n)) for code, area, inter, n in rows}
