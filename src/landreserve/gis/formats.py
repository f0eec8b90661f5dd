"""Boundary files in and out: Shapefile, GeoPackage, GeoJSON, DXF (read) and the boundary-point text format.

Text is never garbled silently: a Shapefile's attributes are read as raw bytes and decoded strictly with
the encoding of its ``.cpg`` (GBK when there is none — or UTF-8 when the bytes are valid UTF-8, which GBK
text practically never is); bytes that do not decode raise an ``InputError`` naming feature, field and bytes.

Shapefiles are written in GBK with short field names (``SHAPEFILE_FIELDS``, documented in the README);
GeoJSON is written per RFC 7946 (lon/lat, CGCS2000 ≈ WGS 84, counter-clockwise shells).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from .boundary_points import read_boundary_points, write_boundary_points
from .crs import GEOGRAPHIC_EPSG, GaussKrugerZone, epsg_of, transformer
from .features import Feature, FeatureSet, RawRing

#: export attribute → Shapefile field (≤ 10 bytes); the README documents this table
SHAPEFILE_FIELDS: dict[str, str] = {
    "地块编号": "DKBH",
    "地块名称": "DKMC",
    "用途": "YT",
    "地类编码": "DLBM",
    "计算面积_平方米": "JSMJ_M2",
    "计算面积_公顷": "JSMJ_HA",
    "计算面积_亩": "JSMJ_MU",
    "申报面积_公顷": "SBMJ_HA",
    "面积计算坐标系": "JSMJ_EPSG",
    "来源": "LY",
}
#: .cpg spellings of GBK (ArcGIS writes a code page number, others a name)
_GBK_NAMES = {"gbk", "936", "cp936", "ansi 936", "gb2312", "gb18030", "euc-cn"}
FORMATS = {"shp": "Shapefile", "gpkg": "GeoPackage", "geojson": "GeoJSON", "txt": "界址点坐标交换格式"}
GEOJSON_DECIMALS = 9


def read_features(path: Path) -> FeatureSet:
    """Read any supported boundary file, chosen by its suffix.

    Parameters
    ----------
    path : Path
        ``.shp``, ``.gpkg``, ``.geojson``/``.json``, ``.dxf`` or ``.txt`` (boundary-point format).

    Returns
    -------
    FeatureSet
        Features with geometry (x=easting/longitude), attributes and place; the declared CRS.
    """
    if not path.exists():
        raise InputError(f"文件不存在：{path}", code="input.missing")
    suffix = path.suffix.lower()
    readers = {
        ".txt": read_boundary_points,
        ".shp": read_shapefile,
        ".gpkg": read_geopackage,
        ".geojson": read_geojson,
        ".json": read_geojson,
        ".dxf": read_dxf,
    }
    if suffix not in readers:
        raise InputError(
            f"不支持的文件类型“{path.suffix}”（{path.name}）：请用 .shp、.gpkg、.geojson、.dxf 或界址点 .txt。",
            code="input.format",
        )
    return readers[suffix](path)


def _ogr_read(path: Path, **kwargs) -> tuple[dict, np.ndarray, list[np.ndarray]]:
    try:
        meta, _fids, geometry, field_data = pyogrio.raw.read(path, **kwargs)
    except (DataSourceError, DataLayerError) as exc:
        raise InputError(f"无法读取 {path.name}：{exc}", code="input.unreadable") from exc
    return meta, geometry, field_data


def _geometries(wkbs: np.ndarray) -> list[BaseGeometry | None]:
    geoms = shapely.from_wkb(wkbs, on_invalid="ignore")
    return [None if g is None else shapely.force_2d(g) for g in geoms]


def _features(geoms: list, names: list[str], columns: list[list[Any]]) -> list[Feature]:
    return [
        Feature(geom, {n: _plain(col[i]) for n, col in zip(names, columns, strict=True)}, f"第{i + 1}个要素")
        for i, geom in enumerate(geoms)
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


# --- Shapefile -------------------------------------------------------------------------------------------


def shapefile_encoding(path: Path) -> tuple[str | None, str | None]:
    """(Python codec, .cpg text) from the ``.cpg`` beside ``path``; (None, None) when there is none."""
    cpg = path.with_suffix(".cpg")
    if not cpg.exists():
        cpg = path.with_suffix(".CPG")
    if not cpg.exists():
        return None, None
    declared = cpg.read_text(encoding="ascii", errors="replace").strip()
    key = declared.lower()
    if key in _GBK_NAMES:
        return "gb18030", declared
    if key in ("utf-8", "utf8", "65001"):
        return "utf-8", declared
    try:
        return codecs.lookup(declared).name, declared
    except LookupError as exc:
        raise InputError(
            f"{cpg.name} 声明的编码“{declared}”无法识别；请改为 GBK 或 UTF-8。", code="shapefile.encoding"
        ) from exc


def read_shapefile(path: Path) -> FeatureSet:
    """Read a Shapefile with strictly decoded attributes (see the module doc)."""
    codec, declared = shapefile_encoding(path)
    meta, wkbs, data = _ogr_read(path, encoding="latin1")
    raw_names = [str(n) for n in meta["fields"]]
    columns = [list(col) for col in data]
    notes: list[str] = []
    if codec is None:
        codec = _guess_without_cpg(raw_names, columns)
        notes.append(f"{path.name} 没有 .cpg 文件，属性按 {'UTF-8' if codec == 'utf-8' else 'GBK'} 读取。")
    names = [_field_name(n.encode("latin1"), codec, path, notes) for n in raw_names]
    decoded = [
        [_decode_value(v, codec, path, name, i) for i, v in enumerate(col)]
        for name, col in zip(names, columns, strict=True)
    ]
    result = FeatureSet(path, _features(_geometries(wkbs), names, decoded), fields=names, notes=notes)
    result.encoding = "utf-8" if codec == "utf-8" else "gbk" if codec == "gb18030" else codec
    result.declared_crs = meta.get("crs")
    result.declared_epsg = epsg_of(result.declared_crs)
    return result


def _guess_without_cpg(names: list[str], columns: list[list[Any]]) -> str:
    texts = [n.encode("latin1") for n in names]
    texts += [v.encode("latin1") for col in columns for v in col if isinstance(v, str)]
    if any(max(t, default=0) > 0x7F for t in texts):
        try:
            for t in texts:
                t.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return "gb18030"


def _field_name(data: bytes, codec: str, path: Path, notes: list[str]) -> str:
    """A DBF field name; one cut inside its last character (10-byte limit) keeps the whole characters."""
    try:
        return data.decode(codec).rstrip()
    except UnicodeDecodeError as exc:
        cut = exc.reason in ("unexpected end of data", "incomplete multibyte sequence") and exc.end == len(
            data
        )
        if not cut:
            return _decode(data, codec, path, "字段名", "")
        name = data[: exc.start].decode(codec)
        notes.append(f"{path.name} 的字段名“{name}”在第10字节处截断了半个汉字，已去掉残缺部分。")
        return name


def _decode_value(value: Any, codec: str, path: Path, field: str, index: int) -> Any:
    if not isinstance(value, str):
        return _plain(value)
    return _decode(value.encode("latin1"), codec, path, f"第{index + 1}个要素的字段“{field}”", value)


def _decode(data: bytes, codec: str, path: Path, where: str, _raw: str) -> str:
    try:
        return data.decode(codec).rstrip()
    except UnicodeDecodeError as exc:
        shown = "GBK" if codec == "gb18030" else codec
        raise InputError(
            f"{path.name} {where} 的内容不是有效的 {shown} 文字（字节 {data.hex(' ')}）；"
            f"为免乱码已停止读取。请确认文件编码，并在 {path.with_suffix('.cpg').name} 中写明（如 GBK 或 UTF-8）。",
            code="shapefile.encoding",
        ) from exc


# --- GeoPackage, DXF ------------------------------------------------------------------------------------


def read_geopackage(path: Path, layer: str | None = None) -> FeatureSet:
    """Read the first (or the named) polygon layer of a GeoPackage."""
    layers = pyogrio.list_layers(path)
    name = layer or next((str(n) for n, kind in layers if kind and "POLYGON" in str(kind).upper()), None)
    if name is None:
        raise InputError(f"{path.name} 中没有面图层。", code="input.no_polygons")
    meta, wkbs, data = _ogr_read(path, layer=name)
    names = [str(n) for n in meta["fields"]]
    result = FeatureSet(path, _features(_geometries(wkbs), names, [list(c) for c in data]), fields=names)
    result.encoding = "utf-8"
    result.declared_crs = meta.get("crs")
    result.declared_epsg = epsg_of(result.declared_crs)
    if len(layers) > 1:
        result.notes.append(f"{path.name} 有 {len(layers)} 个图层，读取了“{name}”。")
    return result


def read_dxf(path: Path) -> FeatureSet:
    """Read closed polylines of a DXF as parcels; ``Text`` lists the texts (TEXT/MTEXT) lying inside each.

    A DXF has no attribute table: the parcel code is usually a text placed inside the boundary, or the
    layer name (``Layer``). Use ``--code-field Text`` or ``--code-field Layer`` to match on them.
    """
    meta, wkbs, data = _ogr_read(path)
    columns = {str(n): list(c) for n, c in zip(meta["fields"], data, strict=True)}
    geoms = _geometries(wkbs)
    texts = [
        (g, str(columns["Text"][i]).strip())
        for i, g in enumerate(geoms)
        if g is not None and g.geom_type == "Point" and columns.get("Text") and columns["Text"][i]
    ]
    features = []
    for i, geom in enumerate(geoms):
        polygon = _closed_polygon(geom)
        if polygon is None:
            continue
        inside = [t for point, t in texts if polygon.contains(point)]
        attrs = {"Layer": columns["Layer"][i], "EntityHandle": columns["EntityHandle"][i], "Text": inside}
        features.append(Feature(polygon, attrs, f"第{i + 1}个实体（句柄 {columns['EntityHandle'][i]}）"))
    result = FeatureSet(path, features, fields=["Layer", "EntityHandle", "Text"])
    result.declared_crs = meta.get("crs")
    result.declared_epsg = epsg_of(result.declared_crs)
    skipped = len([g for g in geoms if g is not None and g.geom_type != "Point"]) - len(features)
    if skipped:
        result.notes.append(f"{path.name} 中有 {skipped} 个不闭合的线或其他实体未作为地块读取。")
    return result


def _closed_polygon(geom: BaseGeometry | None) -> BaseGeometry | None:
    if geom is None:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "LineString" and geom.is_closed and len(set(geom.coords)) >= 3:
        return shapely.Polygon(geom.coords)
    return None


# --- GeoJSON --------------------------------------------------------------------------------------------


def read_geojson(path: Path) -> FeatureSet:
    """Read a GeoJSON file; rings are kept as written (RFC 7946 requires them closed)."""
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path.name} 不是有效的 UTF-8 GeoJSON：{exc}", code="input.unreadable") from exc
    items = document.get("features") if document.get("type") == "FeatureCollection" else [document]
    features = [_geojson_feature(item, i) for i, item in enumerate(items or [])]
    declared = _geojson_crs(document)
    names = list(dict.fromkeys(k for f in features for k in f.attributes))
    return FeatureSet(
        path, features, declared_epsg=epsg_of(declared), declared_crs=declared, encoding="utf-8", fields=names
    )


def _geojson_crs(document: dict) -> str | None:
    name = ((document.get("crs") or {}).get("properties") or {}).get("name")
    if not name:
        return None
    return str(name).replace("urn:ogc:def:crs:", "").replace("::", ":").replace("OGC:1.3:CRS84", "OGC:CRS84")


def _geojson_feature(item: dict, index: int) -> Feature:
    geometry = item.get("geometry") if item.get("type") == "Feature" else item
    attributes = dict(item.get("properties") or {}) if item.get("type") == "Feature" else {}
    place = f"第{index + 1}个要素"
    if not geometry:
        return Feature(None, attributes, place)
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        parts = [coords]
    elif kind == "MultiPolygon":
        parts = coords
    else:
        return Feature(shapely.from_geojson(json.dumps(geometry)), attributes, place)
    raw, polygons, number = [], [], 0
    for part in parts:
        rings = []
        for ring in part:
            number += 1
            points = tuple((float(p[0]), float(p[1])) for p in ring)
            raw.append(RawRing(number, points, must_close=True))
            rings.append(list(points))
        usable = [r for r in rings if len(set(r)) >= 3]
        if usable and len(set(rings[0])) >= 3:
            polygons.append(shapely.Polygon(usable[0], usable[1:]))
    geom = None if not polygons else polygons[0] if kind == "Polygon" else shapely.MultiPolygon(polygons)
    return Feature(geom, attributes, place, tuple(raw))


# --- writing --------------------------------------------------------------------------------------------


def write_features(path: Path, fmt: str, features: list[Feature], epsg: int) -> dict[str, str]:
    """Write features (geometry in ``epsg``) as ``fmt`` (``shp``, ``gpkg``, ``geojson``, ``txt``).

    Returns the attribute → field-name mapping used (identity except for Shapefiles).
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"不支持的导出格式“{fmt}”：可选 {'、'.join(FORMATS)}。", code="input.format")
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(dict.fromkeys(k for f in features for k in f.attributes))
    if fmt == "geojson":
        write_geojson(path, features, epsg)
        return {n: n for n in names}
    if fmt == "txt":
        zone = GaussKrugerZone.from_epsg(epsg)
        if zone is None:
            raise InputError("界址点格式需要3度带投影坐标；请先把图形投影到 3 度带。", code="input.format")
        write_boundary_points(path, features, zone=zone)
        return {n: n for n in names}
    mapping = shapefile_field_names(names) if fmt == "shp" else {n: n for n in names}
    _write_ogr(path, fmt, features, epsg, names, mapping)
    return mapping


def shapefile_field_names(names: list[str]) -> dict[str, str]:
    """Short DBF field names: the documented ones, else the name cut to 10 GBK bytes and made unique."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        short = SHAPEFILE_FIELDS.get(name) or _cut_gbk(name, 10)
        stem, n = short, 1
        while short.upper() in used:
            n += 1
            short = _cut_gbk(stem, 10 - len(str(n)) - 1) + f"_{n}"
        used.add(short.upper())
        mapping[name] = short
    return mapping


def _cut_gbk(text: str, limit: int) -> str:
    out = ""
    for char in text:
        if len((out + char).encode("gb18030")) > limit:
            break
        out += char
    return out


def _write_ogr(path: Path, fmt: str, features: list[Feature], epsg: int, names: list[str], mapping) -> None:
    if fmt == "shp":
        _check_gbk(features, names)
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg") if fmt == "shp" else (path.suffix,):
        path.with_suffix(suffix).unlink(missing_ok=True)
    wkbs = np.array([shapely.to_wkb(_multi(f.geometry)) for f in features], dtype=object)
    columns = [_column([f.attributes.get(n) for f in features]) for n in names]
    driver = "ESRI Shapefile" if fmt == "shp" else "GPKG"
    options = {"encoding": "GBK"} if fmt == "shp" else {"layer": path.stem}
    pyogrio.raw.write(
        path,
        wkbs,
        field_data=columns,
        fields=[mapping[n] for n in names],
        geometry_type="MultiPolygon",
        crs=f"EPSG:{epsg}",
        driver=driver,
        **options,
    )


def _multi(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.MultiPolygon([geometry]) if geometry.geom_type == "Polygon" else geometry


def _column(values: list[Any]) -> np.ndarray:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, Decimal | int | float) and not isinstance(v, bool) for v in present):
        return np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
    return np.array([None if v is None else str(v) for v in values], dtype=object)


def _check_gbk(features: list[Feature], names: list[str]) -> None:
    for i, feature in enumerate(features):
        for name in names:
            value = feature.attributes.get(name)
            try:
                f"{name}{'' if value is None else value}".encode("gbk")
            except UnicodeEncodeError as exc:
                raise InputError(
                    f"第{i + 1}个地块的字段“{name}”的值“{value}”含有 GBK 无法表示的字符“{exc.object[exc.start : exc.end]}”，"
                    "Shapefile 只能用 GBK 保存；请改用 GeoPackage 导出或修改该值。",
                    code="shapefile.encoding",
                ) from exc


def write_geojson(path: Path, features: list[Feature], epsg: int) -> None:
    """RFC 7946 GeoJSON: lon/lat (CGCS2000, within a metre of WGS 84), CCW shells, UTF-8, no ``crs``."""
    to_lonlat = transformer(epsg, GEOGRAPHIC_EPSG) if epsg != GEOGRAPHIC_EPSG else None
    items = []
    for feature in features:
        geom = feature.geometry
        if to_lonlat is not None:
            geom = shapely.transform(
                geom, lambda xy: np.column_stack(to_lonlat.transform(xy[:, 0], xy[:, 1]))
            )
        geom = shapely.set_precision(shapely.orient_polygons(geom), 10.0**-GEOJSON_DECIMALS, mode="pointwise")
        items.append(
            {
                "type": "Feature",
                "properties": _json_properties(feature.attributes),
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    document = {"type": "FeatureCollection", "features": items}
    path.write_text(json.dumps(document, ensure_ascii=False, default=_json_value), encoding="utf-8")


def _json_properties(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in attributes.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple | set):
        return list(value)
    return str(value)
