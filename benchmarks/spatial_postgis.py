"""The PostGIS contender of the spatial benchmark: load the county's files into PostGIS, then one tuned query.

Binary COPY of EWKB into UNLOGGED tables, GiST indexes, ANALYZE; the red line also ``ST_Subdivide``-d;
``ST_Intersects`` join with ``ST_ContainsProperly`` shortcuts and parallel workers as the server allows.
The local server at 127.0.0.1:5432 (user ``postgres``, trust) gets a database ``landreserve_bench``; when the
extension is missing it is installed with apt-get (root only), else PostGIS is skipped with a message.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import numpy as np

from benchmarks.spatial_results import canonical_pairs, per_parcel

PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
PG_DATABASE = "landreserve_bench"
SRID = 4535


class PostgisUnavailable(RuntimeError):
    """PostGIS cannot be reached or installed; the message says what to do."""


def _pg_connect(dbname: str):
    import psycopg

    return psycopg.connect(f"{PG_SERVER} dbname={dbname}", autocommit=True)


def ensure_postgis() -> None:
    """Make sure the server runs, the benchmark database exists and has the PostGIS extension."""
    import psycopg

    try:
        server = _pg_connect("postgres")
    except psycopg.OperationalError as exc:
        raise PostgisUnavailable(
            f"无法连接 PostgreSQL（{PG_SERVER}）：{exc}。请启动服务器（如 pg_ctlcluster 15 main start）。"
        ) from exc
    with server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone():
            server.execute(f'CREATE DATABASE "{PG_DATABASE}"')
        available = server.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone()
        major = int(server.execute("SHOW server_version_num").fetchone()[0]) // 10000
    if not available:
        _install_postgis(major)
    with _pg_connect(PG_DATABASE) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def _install_postgis(major: int) -> None:
    package = f"postgresql-{major}-postgis-3"
    if os.geteuid() != 0 or not Path("/usr/bin/apt-get").exists():
        raise PostgisUnavailable(
            f"服务器没有 PostGIS 扩展：请以 root 安装 {package}（apt-get install -y {package}）。"
        )
    print(f"installing {package} with apt-get …", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise PostgisUnavailable(f"安装 {package} 失败：{done.stderr.strip()[-500:]}")


def postgis_load(con, table: str, path: Path, subdivide: bool = False) -> None:
    """Load a GeoPackage layer into ``table`` (id = row number in file order), index and analyse it."""
    import pyogrio.raw
    import shapely

    _, _, wkb, _ = pyogrio.raw.read(str(path), columns=[])
    ewkb = shapely.to_wkb(shapely.set_srid(shapely.from_wkb(wkb), SRID), include_srid=True)
    del wkb
    con.execute(f"DROP TABLE IF EXISTS {table}, {table}_sub")
    con.execute(f"CREATE UNLOGGED TABLE {table} (id integer PRIMARY KEY, geom geometry(Geometry, {SRID}))")
    with con.cursor() as cur, cur.copy(f"COPY {table} (id, geom) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["int4", "bytea"])
        for row, blob in enumerate(ewkb):
            copy.write_row((row, blob))
    del ewkb
    if subdivide:
        con.execute(
            f"CREATE UNLOGGED TABLE {table}_sub AS SELECT id, ST_Subdivide(geom, 256) AS geom FROM {table}"
        )
        table = f"{table}_sub"
    con.execute(f"CREATE INDEX ON {table} USING GIST (geom)")
    con.execute(f"ANALYZE {table}")


SHARED_AREA = """CASE WHEN ST_ContainsProperly({b}.geom, {a}.geom) THEN ST_Area({a}.geom)
                      WHEN ST_ContainsProperly({a}.geom, {b}.geom) THEN ST_Area({b}.geom)
                      ELSE ST_Area(ST_Intersection({a}.geom, {b}.geom)) END"""


def _tune(con, parcels_drive: bool) -> None:
    """Session settings that give the plan a person tuning this query would want.

    Left alone, the planner scans the million layer features and probes the parcels' index for each
    (≈ 11 s here); with sequential scans discouraged (``parcels_drive``) it walks the parcels, in
    parallel, and probes the layer's GiST index instead (≈ 1 s). The self-join is left to the planner,
    which does better there on its own.
    """
    settings = [
        "max_parallel_workers_per_gather = 2",
        "parallel_setup_cost = 0",
        "parallel_tuple_cost = 0",
        "min_parallel_table_scan_size = 0",
        "min_parallel_index_scan_size = 0",
        "work_mem = '64MB'",
        "jit = off",
    ]
    for setting in settings + (["enable_seqscan = off"] if parcels_drive else []):
        con.execute(f"SET {setting}")


def postgis_load_case(case: str, parcels_path: Path, layer_path: Path | None) -> float:
    """Load the case's files into PostGIS (the tables stay for the query runs); the seconds it took."""
    ensure_postgis()
    with _pg_connect(PG_DATABASE) as con:
        started = time.perf_counter()
        if case == "self":
            postgis_load(con, "bench_self", parcels_path)
        else:
            postgis_load(con, "bench_parcels", parcels_path)
            postgis_load(con, "bench_layer", layer_path, subdivide=case == "redline")
        con.execute("CHECKPOINT")  # the pages on disk, so that they can be evicted before a cold run
        return time.perf_counter() - started


def postgis_query(case: str):
    """One query run on the loaded tables as a function: connect, tune the session, query, fetch."""

    def run():
        with _pg_connect(PG_DATABASE) as con:
            _tune(con, parcels_drive=case != "self")
            return postgis_self(con) if case == "self" else postgis_layer(con, case)

    return run


def postmaster_pid() -> int | None:
    """The server's main process (first line of ``postmaster.pid`` in its data directory; root only)."""
    try:
        with _pg_connect(PG_DATABASE) as con:
            data = Path(con.execute("SHOW data_directory").fetchone()[0])
        return int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def relation_files(case: str) -> list[Path]:
    """The server's files of the case's tables and indexes (readable by root only), to evict them."""
    tables = case_relations(case)
    files: list[Path] = []
    with _pg_connect(PG_DATABASE) as con:
        data = Path(con.execute("SHOW data_directory").fetchone()[0])
        rows = con.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c WHERE c.relname = ANY(%s) "
            "UNION SELECT pg_relation_filepath(i.indexrelid) FROM pg_index i JOIN pg_class c "
            "ON c.oid = i.indrelid WHERE c.relname = ANY(%s)",
            (tables, tables),
        ).fetchall()
    for (relative,) in rows:
        if relative:
            base = data / relative
            files.extend(p for p in base.parent.glob(base.name + "*") if p.is_file())
    return files


#: table whose pages push the case's out of PostgreSQL's shared buffers before a cold run
FLUSH_TABLE = "bench_flush"
#: its size in shared buffers: the clock sweep lowers a buffer's usage count (at most 5) by one per pass
FLUSH_PASSES = 6


def case_relations(case: str) -> list[str]:
    return ["bench_self"] if case == "self" else ["bench_parcels", "bench_layer", "bench_layer_sub"]


def flush_shared_buffers(case: str) -> float:
    """Make the next query of the case read its pages again: fill PostgreSQL's shared buffers with
    another table's pages (``pg_prewarm`` in buffer mode, ``FLUSH_PASSES`` × the buffers) — the server
    cannot drop its buffers without a restart before PostgreSQL 17. Their files' pages then come from
    the disk once the page cache is evicted too. Returns the share (0–1) of the case's pages (tables and
    indexes) still in shared buffers afterwards (``pg_buffercache``)."""
    with _pg_connect(PG_DATABASE) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        con.execute("CREATE EXTENSION IF NOT EXISTS pg_buffercache")
        buffers = int(
            con.execute("SELECT setting FROM pg_settings WHERE name = 'shared_buffers'").fetchone()[0]
        )
        pages = FLUSH_PASSES * buffers
        exists = con.execute("SELECT to_regclass(%s) IS NOT NULL", (FLUSH_TABLE,)).fetchone()[0]
        if (
            not exists
            or con.execute(f"SELECT pg_relation_size('{FLUSH_TABLE}') / 8192").fetchone()[0] < pages
        ):
            con.execute(f"DROP TABLE IF EXISTS {FLUSH_TABLE}")
            # four rows of 1,800 bytes (stored inline, not compressed) fill an 8 kB page
            con.execute(
                f"CREATE UNLOGGED TABLE {FLUSH_TABLE} AS SELECT g AS id, repeat('x', 1800) AS pad "
                f"FROM generate_series(1, {4 * pages}) g"
            )
        con.execute(f"SELECT pg_prewarm('{FLUSH_TABLE}', 'buffer')")
        con.execute("CHECKPOINT")  # what the dropped buffers wrote back is on disk: it can be evicted
        return cached_in_buffers(con, case)


def cached_in_buffers(con, case: str) -> float:
    """Share of the case's relation pages (tables and their indexes) in PostgreSQL's shared buffers."""
    names = case_relations(case)
    relations = con.execute(
        "SELECT c.oid FROM pg_class c WHERE c.relname = ANY(%s) UNION "
        "SELECT i.indexrelid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = ANY(%s)",
        (names, names),
    ).fetchall()
    oids = [oid for (oid,) in relations]
    if not oids:
        return 0.0
    total = con.execute(
        "SELECT sum(pg_relation_size(oid)) / 8192 FROM unnest(%s::oid[]) oid", (oids,)
    ).fetchone()[0]
    cached = con.execute(
        "SELECT count(*) FROM pg_buffercache b WHERE b.reldatabase = "
        "(SELECT oid FROM pg_database WHERE datname = current_database()) AND b.relfilenode = ANY("
        "SELECT pg_relation_filenode(oid) FROM unnest(%s::oid[]) oid)",
        (oids,),
    ).fetchone()[0]
    return float(cached) / float(total) if total else 0.0


def postgis_drop() -> None:
    """Drop the benchmark's tables (a million farmland polygons take about 1 GB in the server)."""
    with _pg_connect(PG_DATABASE) as con:
        con.execute(f"DROP TABLE IF EXISTS {FLUSH_TABLE}")
        for table in ("bench_parcels", "bench_layer", "bench_self"):
            con.execute(f"DROP TABLE IF EXISTS {table}, {table}_sub")


def postgis_layer(con, case: str) -> np.ndarray:
    layer = "bench_layer_sub" if case == "redline" else "bench_layer"
    rows = con.execute(
        f"SELECT p.id, SUM({SHARED_AREA.format(a='p', b='f')}) FROM bench_parcels p "
        f"JOIN {layer} f ON ST_Intersects(p.geom, f.geom) GROUP BY p.id"
    ).fetchall()
    n = con.execute("SELECT count(*) FROM bench_parcels").fetchone()[0]
    ids, areas = (np.array(v) for v in zip(*rows, strict=True)) if rows else (np.zeros(0, int), np.zeros(0))
    return per_parcel(ids, areas, n)


def postgis_self(con) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = con.execute(
        f"SELECT a.id, b.id, {SHARED_AREA.format(a='a', b='b')} FROM bench_self a "
        "JOIN bench_self b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)"
    ).fetchall()
    i, j, areas = (np.array(v) for v in zip(*rows, strict=True))
    return canonical_pairs(i, j, areas)
