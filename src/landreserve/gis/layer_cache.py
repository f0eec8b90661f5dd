"""A spatial index built once for a layer file that has none, kept in a cache and refreshed when the file changes.

A GeoPackage with its R-tree is searched directly (:mod:`landreserve.gis.layers`). Every other layer —
a Shapefile (with or without ``.qix``/``.sbn``), GeoJSON, FlatGeobuf, a GeoPackage without spatial index,
anything GDAL reads — is converted once into a GeoPackage of its geometries with an R-tree, in
``Settings.cache_dir`` (``LANDRESERVE_CACHE_DIR``). The conversion streams the layer in batches (bounded
memory whatever its size), writes the features in spatial order (neighbours on neighbouring pages: a check
reads few pages, also from a cold disk) and reports its progress; its cost is reported apart as the one-time
cost. Later checks search the cache with SQLite alone — GDAL is not loaded at all.

The cache of a file is found by the file's absolute path (and layer name) and is valid while every
component file (``.shp`` ``.shx`` ``.dbf`` ``.prj`` ``.cpg`` for a Shapefile) has the size, modification
time and a hash of its first and last MiB recorded at the conversion. When only the time differs (a file
copied or touched), the whole content hash (BLAKE2b) decides: unchanged content keeps the cache, changed
content rebuilds it. A half-built cache is never used (it is written to a temporary file and renamed).

Public API
----------
``cached_source(path, layer=None, cache_dir=None, progress=None) -> CachedLayer``
    The cache of the layer (built or refreshed when needed): its GeoPackage ``path``, table, CRS text,
    feature count, and ``built_seconds`` (``None`` when an existing cache was used).
``component_files(path) -> list[Path]``: the files whose content the cache depends on.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from landreserve.errors import InputError
from landreserve.gis.layer_errors import unreadable_layer
from landreserve.gis.progress import Progress, no_progress

#: bump when the cache's layout changes: older caches are rebuilt
CACHE_VERSION = 1
TABLE = "features"
GEOMETRY_COLUMN = "geom"
RTREE = f"rtree_{TABLE}_{GEOMETRY_COLUMN}"
META = "landreserve_layer_cache"
#: features converted per batch (bounds the memory of the conversion)
BATCH = 50_000
#: bytes hashed at each end of a file for the quick check
QUICK_BYTES = 1 << 20
#: the cells of the grid whose rows order the features spatially
ORDER_CELLS = 1024
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: srs_id of a CRS that has no EPSG code (GeoPackage allows any positive id)
CUSTOM_SRS_ID = 100_000


@dataclass(frozen=True)
class CachedLayer:
    """The cache of one layer of one file."""

    source: Path
    layer: str
    path: Path
    #: the layer's CRS as ``EPSG:n`` or WKT; empty when the file states none
    crs: str
    features: int
    #: seconds spent building the cache now; ``None`` when a valid cache was found
    built_seconds: float | None


def component_files(path: Path) -> list[Path]:
    """The files the layer's geometry and CRS come from (the sidecars of a Shapefile that exist)."""
    if path.suffix.lower() == ".shp":
        return [p for p in (path.with_suffix(s) for s in SHAPEFILE_PARTS) if p.exists()] or [path]
    return [path]


def cache_path(source: Path, layer: str | None, cache_dir: Path) -> Path:
    """Where the cache of ``layer`` of ``source`` lives (one file per source path and layer)."""
    key = hashlib.blake2b(f"{source.resolve()}\0{layer or ''}".encode(), digest_size=12).hexdigest()
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in source.stem)[:40]
    return cache_dir / f"{stem}-{key}.gpkg"


def _stat(files: list[Path]) -> list[list]:
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]


def quick_hash(files: list[Path]) -> str:
    """BLAKE2b of each file's size and first and last MiB."""
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        size = path.stat().st_size
        digest.update(struct.pack("<q", size))
        with open(path, "rb") as handle:
            digest.update(handle.read(QUICK_BYTES))
            if size > QUICK_BYTES:
                handle.seek(max(QUICK_BYTES, size - QUICK_BYTES))
                digest.update(handle.read(QUICK_BYTES))
    return digest.hexdigest()


def content_hash(files: list[Path]) -> str:
    """BLAKE2b of the whole content of every file."""
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        digest.update(path.name.encode() + b"\0")
        with open(path, "rb") as handle:
            while chunk := handle.read(8 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _read_meta(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as con:
            meta = dict(con.execute(f"SELECT key, value FROM {META}").fetchall())
    except sqlite3.DatabaseError:
        return None
    if meta.get("version") != str(CACHE_VERSION) or meta.get("complete") != "1":
        return None
    return meta


def _valid(meta: dict, files: list[Path], path: Path) -> bool:
    """Whether the cache still describes ``files``; a touched but unchanged file is recorded as valid."""
    recorded = json.loads(meta["files"])
    now = _stat(files)
    if [name for name, _, _ in recorded] != [name for name, _, _ in now]:
        return False
    if recorded == now:
        return quick_hash(files) == meta["quick_hash"]
    if [size for _, size, _ in recorded] != [size for _, size, _ in now]:
        return False
    if content_hash(files) != meta["content_hash"]:
        return False
    with closing(sqlite3.connect(path)) as con, con:  # same content, new times: remember them
        con.execute(f"UPDATE {META} SET value = ? WHERE key = 'files'", (json.dumps(now),))
    return True


def _cached(meta: dict, source: Path, path: Path, built: float | None) -> CachedLayer:
    return CachedLayer(source, meta["layer"], path, meta["crs"], int(meta["features"]), built)


def cached_source(
    path: str | Path,
    layer: str | None = None,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> CachedLayer:
    """The indexed cache of ``layer`` of the file at ``path``, built (or rebuilt) when needed.

    Raises
    ------
    InputError
        When the file cannot be read by GDAL, has several layers and none is named, the named layer
        is missing, or a geometry cannot be decoded; or when the cache folder cannot be written.
    """
    source = Path(path)
    if cache_dir is None:
        from landreserve.settings import Settings

        cache_dir = Settings.from_env().cache_dir
    target = cache_path(source, layer, Path(cache_dir))
    files = component_files(source)
    meta = _read_meta(target)
    if meta is not None and _valid(meta, files, target):
        return _cached(meta, source, target, None)
    started = time.perf_counter()
    meta = _build(source, layer, files, target, progress or no_progress)
    return _cached(meta, source, target, time.perf_counter() - started)


# --- building ----------------------------------------------------------------------------------------


def _ogr_info(source: Path, layer: str | None) -> tuple[str, dict]:
    import pyogrio  # GDAL only for the conversion
    import pyogrio.errors

    from landreserve.gis.layers import choose_layer

    try:
        names = [str(name) for name in pyogrio.list_layers(str(source))[:, 0]]
        name = choose_layer(source, names, layer)
        return name, pyogrio.read_info(str(source), layer=name)
    except pyogrio.errors.DataSourceError as exc:
        raise unreadable_layer(source, exc) from exc


def _srs(crs: str | None) -> tuple[int, str, int, str]:
    """GeoPackage ``(srs_id, organization, code, definition)`` of the layer's CRS text."""
    if not crs:
        return 0, "NONE", 0, "undefined"
    from pyproj import CRS

    parsed = CRS.from_user_input(crs)
    epsg = parsed.to_epsg() if crs.upper().startswith("EPSG:") else None
    if epsg:
        return epsg, "EPSG", epsg, parsed.to_wkt()
    return CUSTOM_SRS_ID, "NONE", CUSTOM_SRS_ID, parsed.to_wkt()


def _create(con: sqlite3.Connection, name: str, srs: tuple[int, str, int, str]) -> None:
    srs_id, organization, code, definition = srs
    con.executescript(
        f"""
        PRAGMA application_id = 1196444487;
        PRAGMA user_version = 10300;
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
            description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL
            DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE,
            max_y DOUBLE, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            PRIMARY KEY (table_name, column_name));
        CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
            definition TEXT NOT NULL, scope TEXT NOT NULL);
        CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE {TABLE} (fid INTEGER PRIMARY KEY, {GEOMETRY_COLUMN} BLOB, source_fid INTEGER);
        CREATE VIRTUAL TABLE {RTREE} USING rtree(id, minx, maxx, miny, maxy);
        """
    )
    con.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, '')",
        [
            ("Undefined Cartesian SRS", -1, "NONE", -1, "undefined"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined"),
        ]
        + ([(name, srs_id, organization, code, definition)] if srs_id > 0 else []),
    )
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, ?)",
        (TABLE, name, srs_id),
    )
    con.execute(
        f"INSERT INTO gpkg_geometry_columns VALUES ('{TABLE}', '{GEOMETRY_COLUMN}', 'GEOMETRY', ?, 0, 0)",
        (srs_id,),
    )
    con.execute(
        f"INSERT INTO gpkg_extensions VALUES ('{TABLE}', '{GEOMETRY_COLUMN}', 'gpkg_rtree_index', "
        "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')"
    )


def _stage(con: sqlite3.Connection, source: Path, name: str, srs_id: int, total: int | None, progress) -> int:
    """Stream the layer into ``staging.features`` (bounds and GeoPackage blobs); the number staged."""
    import numpy as np
    import pyogrio.errors
    import pyogrio.raw
    import shapely

    header = b"GP\x00\x01" + struct.pack("<i", srs_id)  # version 0, little-endian, no envelope
    staged = 0
    description = f"为图层 {source.name} 建立空间索引（一次性）"
    progress(description, 0, total)
    try:
        with pyogrio.raw.open_arrow(
            str(source), layer=name, columns=[], return_fids=True, batch_size=BATCH, use_pyarrow=True
        ) as (_, reader):
            for batch in reader:
                fids = np.asarray(batch.column(0).to_numpy(zero_copy_only=False), dtype=np.int64)
                wkb = batch.column(1).to_numpy(zero_copy_only=False)
                geoms = shapely.force_2d(_decode(wkb, source, fids))
                keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
                fids, geoms = fids[keep], geoms[keep]
                bounds = shapely.bounds(geoms)
                blobs = [header + w for w in shapely.to_wkb(geoms).tolist()]
                con.executemany(
                    "INSERT INTO staging.features VALUES (?, ?, ?, ?, ?, ?)",
                    zip(fids.tolist(), *bounds.T.tolist(), blobs, strict=True),
                )
                staged += len(blobs)
                progress(description, staged if total is None else min(staged, total), total)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise unreadable_layer(source, exc) from exc
    progress(description, staged, staged)
    return staged


def _decode(wkb, source: Path, fids):
    import shapely

    try:
        return shapely.from_wkb(wkb)
    except shapely.errors.GEOSException as exc:
        raise InputError(
            f"图层文件 {source} 中有无法解码的几何（fid {int(fids[0])}–{int(fids[-1])} 之间）：{exc}。"
            "请在 GIS 软件中修复或导出为普通多边形。",
            code="gis.layer_unreadable",
        ) from exc


def _hash_reporting(files: list[Path], source: Path, progress: Progress) -> str:
    description = f"计算图层文件 {source.name} 的校验值"
    progress(description, 0, 1)
    digest = content_hash(files)
    progress(description, 1, 1)
    return digest


def _order_and_index(
    con: sqlite3.Connection, source: Path, progress: Progress = no_progress
) -> tuple[float, float, float, float] | None:
    """Copy the staged features in spatial order (rows of a grid, alternating) and fill the R-tree.

    Three statements, each reported done (``progress``) as a step of the one-time indexing.
    """
    description = f"为图层 {source.name} 按空间顺序写入并建立 R-tree（一次性）"
    progress(description, 0, 3)
    extent = con.execute("SELECT min(minx), min(miny), max(maxx), max(maxy) FROM staging.features").fetchone()
    if extent[0] is None:
        progress(description, 3, 3)
        return None
    minx, miny, maxx, maxy = extent
    w = max((maxx - minx) / ORDER_CELLS, 1e-12)
    h = max((maxy - miny) / ORDER_CELLS, 1e-12)
    row = f"CAST(((miny + maxy) / 2 - {miny!r}) / {h!r} AS INTEGER)"
    col = f"CAST(((minx + maxx) / 2 - {minx!r}) / {w!r} AS INTEGER)"
    con.execute(
        "CREATE TABLE staging.ordered AS SELECT rowid AS staged FROM staging.features "
        f"ORDER BY {row}, CASE {row} % 2 WHEN 0 THEN {col} ELSE -{col} END"
    )
    progress(description, 1, 3)
    con.execute(
        f"INSERT INTO {TABLE} (fid, {GEOMETRY_COLUMN}, source_fid) SELECT o.rowid, s.geom, s.source_fid "
        "FROM staging.ordered o JOIN staging.features s ON s.rowid = o.staged ORDER BY o.rowid"
    )
    progress(description, 2, 3)
    con.execute(
        f"INSERT INTO {RTREE} SELECT o.rowid, s.minx, s.maxx, s.miny, s.maxy "
        "FROM staging.ordered o JOIN staging.features s ON s.rowid = o.staged ORDER BY o.rowid"
    )
    progress(description, 3, 3)
    return minx, miny, maxx, maxy


def _build(source: Path, layer: str | None, files: list[Path], target: Path, progress: Progress) -> dict:
    opening = f"读取图层 {source.name} 的要素数和坐标系"
    progress(opening, 0, 1)  # GDAL reads a whole GeoJSON file to count its features
    from landreserve.gis.shapefiles import check_declared_text

    check_declared_text(source)  # a shapefile's text in the encoding its .cpg declares (once per build)
    name, info = _ogr_info(source, layer)
    progress(opening, 1, 1)
    srs = _srs(info.get("crs"))
    before = _stat(files)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"无法创建空间索引缓存目录 {target.parent}：{exc}。请设置可写的 LANDRESERVE_CACHE_DIR。",
            code="gis.cache_unwritable",
        ) from exc
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    staging = tmp.with_name(tmp.name + "-staging")
    for leftover in (tmp, staging):
        leftover.unlink(missing_ok=True)
    total = int(info["features"]) if int(info.get("features") or -1) >= 0 else None
    try:
        with closing(sqlite3.connect(tmp, isolation_level=None)) as con:
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -65536"):
                con.execute(f"PRAGMA {pragma}")
            con.execute("ATTACH DATABASE ? AS staging", (str(staging),))
            con.execute("PRAGMA staging.journal_mode = OFF")
            con.execute("PRAGMA staging.synchronous = OFF")
            _create(con, name, srs)  # a script: runs outside the transaction
            con.execute("BEGIN")
            con.execute(
                "CREATE TABLE staging.features (source_fid INTEGER, minx REAL, miny REAL, maxx REAL, "
                "maxy REAL, geom BLOB)"
            )
            count = _stage(con, source, name, srs[0], total, progress)
            extent = _order_and_index(con, source, progress)
            if extent is not None:
                con.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?", extent)
            meta = {
                "version": str(CACHE_VERSION),
                "source": str(source.resolve()),
                "layer": name,
                "crs": info.get("crs") or "",
                "features": str(count),
                "files": json.dumps(before),
                "quick_hash": quick_hash(files),
                "content_hash": _hash_reporting(files, source, progress),
                "complete": "1",
            }
            con.executemany(f"INSERT INTO {META} VALUES (?, ?)", meta.items())
            con.execute("COMMIT")
            con.execute("DETACH DATABASE staging")
        if _stat(files) != before:  # the file changed while it was read: do not keep a mixed cache
            raise InputError(
                f"图层文件 {source} 在建立空间索引期间被修改：请在文件写完后重试。", code="gis.layer_changed"
            )
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise InputError(
            f"无法写入空间索引缓存 {target}：{exc}。请检查磁盘空间和 LANDRESERVE_CACHE_DIR 的权限。",
            code="gis.cache_unwritable",
        ) from exc
    finally:
        for leftover in (tmp, staging):
            leftover.unlink(missing_ok=True)
    return meta
