"""Reading only the features of a layer file that can touch given boxes — GeoPackage R-tree and WKB, fast.

A constraint layer (永久基本农田, 生态保护红线, 城镇开发边界) can hold a million polygons while the reserve
parcels touch a few thousand of them. For a GeoPackage with its spatial index the candidate features are
found with one SQL query on the ``rtree_<table>_<column>`` virtual table (joined with a temporary table of
the query boxes), fetched by fid, and their blobs (GeoPackage header + WKB) decoded in bulk with
``shapely.from_wkb``. Every other layer (Shapefile, GeoJSON, FlatGeobuf, a GeoPackage without index) is
converted once into such a GeoPackage in the layer cache (:mod:`landreserve.gis.layer_cache`), which is
then searched the same way.

Public API
----------
``open_layer(path, layer=None) -> LayerSource``
    Find the layer, its geometry column and its CRS (``None`` when the file has none).
``indexed_layer(path, layer=None, cache_dir=None, progress=None) -> LayerSource``
    The layer ready for box searches: the GeoPackage's own R-tree, or the cache built once for it
    (``source.cache.built_seconds`` tells the one-time cost when it was built now).
``iter_features(source, boxes, chunk_size=50_000) -> Iterator[tuple[fids, geometries]]``
    Yield the features whose bounding box meets one of ``boxes`` (``(n, 4)`` array of minx, miny, maxx,
    maxy in the layer's CRS), in chunks of at most ``chunk_size`` features, each feature once.
``read_all(source, columns=()) -> (fids, geometries, {column: values})``
    Every feature with the named attributes.

GDAL (pyogrio) is imported only for the formats that need it, which keeps a GeoPackage-only process
about 100 MB smaller.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS

from landreserve.errors import InputError
from landreserve.gis.layer_cache import GEOMETRY_COLUMN, RTREE, TABLE, CachedLayer, cached_source
from landreserve.gis.layer_errors import reading_layer
from landreserve.gis.progress import Progress

#: bytes of the envelope after the 8-byte GeoPackage header, by the envelope indicator (flags bits 1–3)
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


@dataclass(frozen=True)
class LayerSource:
    """One layer of one file, ready to be read.

    ``table``, ``geometry_column`` and ``rtree`` are set for a GeoPackage read directly with SQLite
    (``rtree`` is ``None`` when it has no spatial index, and the layer is then read with pyogrio). For a
    layer searched through its cache, ``cache`` is set: the tables are the cache's, ``path`` stays the
    file's (for messages) and ``label_fid_column`` holds the file's own fids.
    """

    path: Path
    layer: str
    crs: CRS | None
    table: str | None = None
    geometry_column: str | None = None
    fid_column: str | None = None
    rtree: str | None = None
    cache: CachedLayer | None = None
    label_fid_column: str | None = None

    @property
    def indexed_gpkg(self) -> bool:
        """A GeoPackage that carries its own R-tree."""
        return self.rtree is not None and self.cache is None

    @property
    def indexed(self) -> bool:
        """Searchable by its R-tree (its own, or its cache's)."""
        return self.rtree is not None

    @property
    def index_path(self) -> Path:
        """The SQLite file the R-tree search runs on."""
        return self.cache.path if self.cache is not None else self.path


def open_layer(path: str | Path, layer: str | None = None) -> LayerSource:
    """Open ``layer`` of the file at ``path`` (the only layer when ``None``).

    Raises
    ------
    InputError
        When the file is missing or unreadable, has several layers and none is named, or the named
        layer is not in it.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"图层文件 {path} 不存在：请检查路径。", code="gis.layer_missing")
    with reading_layer(path):
        if path.suffix.lower() == ".gpkg":
            source = _open_gpkg(path, layer)
            if source is not None:
                return source
        return _open_ogr(path, layer)


def indexed_layer(
    path: str | Path,
    layer: str | None = None,
    *,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> LayerSource:
    """The layer ready for box searches: a GeoPackage with its R-tree as it is, any other layer through
    its cache (built once, refreshed when the file changes; see :mod:`landreserve.gis.layer_cache`)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"图层文件 {path} 不存在：请检查路径。", code="gis.layer_missing")
    with reading_layer(path):
        if path.suffix.lower() == ".gpkg":
            source = _open_gpkg(path, layer)
            if source is not None and source.indexed_gpkg:
                return source
            layer = source.layer if source is not None else layer
        cached = cached_source(path, layer, cache_dir, progress)
        crs = CRS.from_user_input(cached.crs) if cached.crs else None
    return LayerSource(
        path, cached.layer, crs, TABLE, GEOMETRY_COLUMN, "fid", RTREE, cached, label_fid_column="source_fid"
    )


def choose_layer(path: Path, names: list[str], layer: str | None) -> str:
    """The layer to read: ``layer`` when given (``InputError`` when missing), else the only one."""
    if layer is not None:
        if layer not in names:
            raise InputError(
                f"图层文件 {path} 中没有图层「{layer}」，现有图层：{'、'.join(names) or '无'}。请指定正确的图层名。",
                code="gis.layer_missing",
            )
        return layer
    if len(names) != 1:
        raise InputError(
            f"图层文件 {path} 含有 {len(names)} 个图层（{'、'.join(names) or '无'}）：请用图层名指定要检查的图层"
            "（命令行写作 --layer 文件:图层名:规则）。",
            code="gis.layer_ambiguous",
        )
    return names[0]


def _open_ogr(path: Path, layer: str | None) -> LayerSource:
    import pyogrio  # GDAL is loaded only when needed: it costs ~100 MB
    import pyogrio.errors

    try:
        names = [str(name) for name in pyogrio.list_layers(str(path))[:, 0]]
        name = choose_layer(path, names, layer)
        info = pyogrio.read_info(str(path), layer=name)
    except pyogrio.errors.DataSourceError as exc:
        raise InputError(
            f"无法读取图层文件 {path}：{exc}。请确认文件完整且格式受支持。", code="gis.layer_unreadable"
        ) from exc
    crs = CRS.from_user_input(info["crs"]) if info.get("crs") else None
    return LayerSource(path=path, layer=name, crs=crs)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _open_gpkg(path: Path, layer: str | None) -> LayerSource | None:
    """The GeoPackage as a directly readable source, or ``None`` when it must go through pyogrio."""
    try:
        with closing(_connect(path)) as con:
            rows = con.execute(
                "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c "
                "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features'"
            ).fetchall()
            columns = {name: (column, srs) for name, column, srs in rows}
            name = choose_layer(path, list(columns), layer)
            column, srs_id = columns[name]
            crs = _gpkg_crs(con, srs_id)
            fid = next((r[1] for r in con.execute(f'PRAGMA table_info("{name}")') if r[5] == 1), None)
            rtree = f"rtree_{name}_{column}"
            has_rtree = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    if fid is None:
        return None
    return LayerSource(path, name, crs, name, column, fid, rtree if has_rtree else None)


def _gpkg_crs(con: sqlite3.Connection, srs_id: int) -> CRS | None:
    row = con.execute(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,),
    ).fetchone()
    if row is None or srs_id in (0, -1):
        return None
    organization, code, definition = row
    if organization and organization.upper() == "EPSG":
        return CRS.from_epsg(int(code))
    return CRS.from_wkt(definition) if definition and definition != "undefined" else None


def iter_features(
    source: LayerSource, boxes: np.ndarray, chunk_size: int = 50_000
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(fids, geometries)`` of the features whose bounding box meets one of ``boxes``.

    Parameters
    ----------
    source
        The layer, from :func:`open_layer`.
    boxes
        ``(n, 4)`` array of ``minx, miny, maxx, maxy`` in the layer's CRS.
    chunk_size
        Most features per chunk (bounds the memory held at once).

    Features without geometry are skipped. A GeoPackage with a spatial index may also yield features
    whose index box (stored as 32-bit floats, rounded outwards) only nearly meets a box.
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if len(boxes) == 0:
        return
    if source.indexed:
        yield from _iter_gpkg(source, boxes, chunk_size)
    else:
        yield from _iter_ogr(source, boxes, chunk_size)


def _iter_gpkg(
    source: LayerSource, boxes: np.ndarray, chunk_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    label = source.label_fid_column or source.fid_column
    sql = (
        f'SELECT t."{label}", t."{source.geometry_column}" FROM "{source.table}" t '
        f'WHERE t."{source.fid_column}" IN (SELECT r.id FROM temp.query_boxes q JOIN "{source.rtree}" r '
        "ON r.minx <= q.maxx AND r.maxx >= q.minx AND r.miny <= q.maxy AND r.maxy >= q.miny)"
    )
    with closing(_connect(source.index_path)) as con:
        con.execute("CREATE TEMP TABLE query_boxes (minx REAL, miny REAL, maxx REAL, maxy REAL)")
        # boxes in Z-order: consecutive R-tree searches then walk the same nodes, which stay cached
        con.executemany("INSERT INTO temp.query_boxes VALUES (?, ?, ?, ?)", boxes[z_order(boxes)].tolist())
        cursor = con.execute(sql)
        while rows := cursor.fetchmany(chunk_size):
            fids, blobs = zip(*rows, strict=True)
            geoms = decode_gpkg_blobs(blobs, source)
            keep = ~shapely.is_missing(geoms)
            yield np.asarray(fids, dtype=np.int64)[keep], geoms[keep]


def z_order(boxes: np.ndarray) -> np.ndarray:
    """Indices that sort ``boxes`` along the Z-order (Morton) curve of their centres."""
    centres = np.column_stack(((boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2))
    low, span = centres.min(axis=0), np.ptp(centres, axis=0)
    cells = ((centres - low) / np.where(span > 0, span, 1) * 0xFFFF).astype(np.uint64)
    code = np.zeros(len(boxes), dtype=np.uint64)
    for bit in range(16):
        for axis in range(2):
            code |= ((cells[:, axis] >> np.uint64(bit)) & np.uint64(1)) << np.uint64(2 * bit + axis)
    return np.argsort(code, kind="stable")


def decode_gpkg_blobs(blobs, source: LayerSource | None = None) -> np.ndarray:
    """Decode GeoPackage geometry blobs (``GP`` header, optional envelope, WKB) into Shapely geometries.

    ``None`` blobs give ``None``; empty geometries are decoded as empty.
    """
    wkb = [None if blob is None else blob[8 + _envelope_bytes(blob, source) :] for blob in blobs]
    try:
        return shapely.from_wkb(np.array(wkb, dtype=object))
    except shapely.errors.GEOSException as exc:
        where = f"图层文件 {source.path} 的图层「{source.layer}」" if source else "GeoPackage"
        raise InputError(
            f"{where}中有无法解码的几何：{exc}。请在 GIS 软件中修复或导出为普通多边形。",
            code="gis.layer_unreadable",
        ) from exc


def _envelope_bytes(blob: bytes, source: LayerSource | None) -> int:
    flags = blob[3]
    if blob[:2] != b"GP" or flags & 0b100000:
        where = f"图层文件 {source.path} 的图层「{source.layer}」" if source else "GeoPackage"
        raise InputError(
            f"{where}中有不是标准 GeoPackage 几何的记录：请用 GIS 软件重新导出该图层。",
            code="gis.layer_unreadable",
        )
    return _ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0)


def _iter_ogr(
    source: LayerSource, boxes: np.ndarray, chunk_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    bbox = (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())
    fids, geoms, _ = _read_ogr(source, bbox=bbox)
    keep = ~shapely.is_missing(geoms)
    keep[keep] = _meets_any(shapely.bounds(geoms[keep]), boxes)
    fids, geoms = fids[keep], geoms[keep]
    for start in range(0, len(geoms), chunk_size):
        yield fids[start : start + chunk_size], geoms[start : start + chunk_size]


def _meets_any(bounds: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which of ``bounds`` meet at least one of ``boxes``."""
    tree = shapely.STRtree(shapely.box(*boxes.T))
    hit = np.zeros(len(bounds), dtype=bool)
    if len(bounds):
        hit[np.unique(tree.query(shapely.box(*bounds.T))[0])] = True
    return hit


def read_all(source: LayerSource, columns: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray, dict]:
    """Every feature of the layer: fids, geometries (``None`` where missing) and the named attributes.

    A GeoPackage is read directly with SQLite (in fid order); other formats through pyogrio.
    """
    if source.table is None or source.cache is not None:
        return _read_ogr(source, columns=list(columns))
    names = ", ".join(f't."{c}"' for c in (source.fid_column, source.geometry_column, *columns))
    fids, geoms, values = [], [], [[] for _ in columns]
    with closing(_connect(source.path)) as con:
        try:
            cursor = con.execute(f'SELECT {names} FROM "{source.table}" t ORDER BY 1')
        except sqlite3.OperationalError as exc:
            raise InputError(
                f"图层文件 {source.path} 的图层「{source.layer}」缺少字段：{exc}。请检查字段名。",
                code="gis.layer_field_missing",
            ) from exc
        while rows := cursor.fetchmany(20_000):  # decoded chunk by chunk: the blobs never all at once
            chunk = list(zip(*rows, strict=True))
            fids.append(np.asarray(chunk[0], dtype=np.int64))
            geoms.append(decode_gpkg_blobs(chunk[1], source))
            for column, chunk_values in zip(values, chunk[2:], strict=True):
                column.extend(chunk_values)
    attributes = {c: np.asarray(v, dtype=object) for c, v in zip(columns, values, strict=True)}
    if not fids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), attributes
    return np.concatenate(fids), np.concatenate(geoms), attributes


def _read_ogr(source: LayerSource, bbox=None, columns: list[str] | None = None):
    import pyogrio.errors
    import pyogrio.raw

    try:
        meta, fids, wkb, data = pyogrio.raw.read(
            str(source.path), layer=source.layer, bbox=bbox, columns=columns or [], return_fids=True
        )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.FieldError) as exc:
        raise InputError(
            f"无法读取图层文件 {source.path}：{exc}。请确认文件完整、格式受支持且字段存在。",
            code="gis.layer_unreadable",
        ) from exc
    attributes = {name: np.asarray(v, dtype=object) for name, v in zip(meta["fields"], data, strict=True)}
    return np.asarray(fids, dtype=np.int64), shapely.from_wkb(wkb), attributes
