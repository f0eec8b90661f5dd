"""Boundary files in and out, chosen by suffix: Shapefile (``gis.shapefiles``), GeoPackage, GeoJSON
(``gis.geojson``), FlatGeobuf and DXF (read only) and the boundary-point text format (``gis.boundary_points``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from .boundary_points import read_boundary_points, write_boundary_points
from .crs import GaussKrugerZone, epsg_of
from .features import Feature, FeatureSet
from .geojson import read_geojson, write_geojson
from .ogr import ogr_features, ogr_read, shapes
from .shapefiles import SHAPEFILE_FIELDS, check_gbk, read_shapefile, shapefile_field_names

__all__ = ["FORMATS", "SHAPEFILE_FIELDS", "read_features", "shapefile_field_names", "write_features"]

FORMATS = {"shp": "Shapefile", "gpkg": "GeoPackage", "geojson": "GeoJSON", "txt": "界址点坐标交换格式"}


def read_features(path: Path) -> FeatureSet:
    """Read any supported boundary file, chosen by its suffix.

    Parameters
    ----------
    path : Path
        ``.shp``, ``.gpkg``, ``.geojson``/``.json``, ``.fgb``, ``.dxf`` or ``.txt`` (boundary-point format).

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
        ".fgb": read_geopackage,  # one layer, read as a GeoPackage's (UTF-8 attributes, CRS in the header)
        ".geojson": read_geojson,
        ".json": read_geojson,
        ".dxf": read_dxf,
    }
    if suffix not in readers:
        raise InputError(
            f"不支持的文件类型“{path.suffix}”（{path.name}）：请用 .shp、.gpkg、.geojson、.fgb、.dxf 或界址点 .txt。",
            code="input.format",
        )
    try:
        return readers[suffix](path)
    except InputError:
        raise
    except (OSError, ValueError, RuntimeError) as exc:  # pyogrio, GDAL, ezdxf: a damaged or foreign file
        if isinstance(exc, FileNotFoundError):
            raise InputError(f"文件不存在：{path}", code="input.missing") from exc
        raise InputError(
            f"{path.name} 无法作为 {suffix} 文件读取（文件损坏或格式不符：{type(exc).__name__}）；"
            "请在 GIS 软件中打开检查，或重新导出后再导入。",
            code="input.unreadable",
        ) from exc


# --- GeoPackage, DXF ------------------------------------------------------------------------------------


def read_geopackage(path: Path, layer: str | None = None) -> FeatureSet:
    """Read the first (or the named) polygon layer of a GeoPackage, or the one layer of a FlatGeobuf."""
    layers = pyogrio.list_layers(path)
    name = layer or next((str(n) for n, kind in layers if kind and "POLYGON" in str(kind).upper()), None)
    if name is None:
        raise InputError(f"{path.name} 中没有面图层。", code="input.no_polygons")
    meta, wkbs, data = ogr_read(path, layer=name)
    names = [str(n) for n in meta["fields"]]
    result = FeatureSet(path, ogr_features(shapes(wkbs), names, [list(c) for c in data]), fields=names)
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
    meta, wkbs, data = ogr_read(path)
    columns = {str(n): list(c) for n, c in zip(meta["fields"], data, strict=True)}
    geoms = shapes(wkbs)
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


def _write_ogr(path: Path, fmt: str, features: list[Feature], epsg: int, names: list[str], mapping) -> None:
    if fmt == "shp":
        check_gbk(features, names)
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
