"""Boundaries out of the database: one parcel in detail (``geo show``) and all current boundaries as a
GeoPackage, GeoJSON, Shapefile or boundary-point file (``geo export``).

Parcels stored in several 3-degree zones are written in one: the zone of most parcels
(``gis.crs.common_zone``), and the export says so.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import shapely

from ..domain.units import to_base
from ..errors import InputError, NotFoundError
from ..gis.boundary_points import AREA_FIELD
from ..gis.crs import GEOGRAPHIC_EPSG, CommonZone, GaussKrugerZone, common_zone
from ..gis.features import Feature
from ..gis.formats import FORMATS, write_features
from ..gis.measurement import Area, declared_text, project
from ..importers.normalise import normalise_code
from ..storage.db import reading
from ..storage.geometry_tables import ParcelGeometryRow, current_rows, versions_of
from .context import Context

#: file suffix written for each export format
SUFFIXES = {"shp": ".shp", "gpkg": ".gpkg", "geojson": ".geojson", "txt": ".txt"}


def stored_zone(rows: list[ParcelGeometryRow]) -> CommonZone:
    """The zone the current boundaries are compared / exported in (``NotFoundError`` when there are none)."""
    if not rows:
        raise NotFoundError(
            "数据库中还没有地块边界；请先用 landreserve geo import 导入。", code="geometry.none"
        )
    return common_zone([r.epsg for r in rows])


def export_path(fmt: str, out: Path) -> Path:
    """``out`` with the format's suffix added when it has none (``储备地块`` → ``储备地块.gpkg``)."""
    suffix = SUFFIXES.get(fmt)
    if suffix is None or out.suffix.lower() == suffix:
        return out
    return out.with_name(out.name + suffix)


def export_boundaries(ctx: Context, fmt: str, out: Path) -> dict:
    """Write the current boundaries as ``shp``, ``gpkg``, ``geojson`` or boundary-point ``txt``.

    Returns
    -------
    dict
        ``count``; ``epsg`` of the file; ``path`` written (the format's suffix added when ``out`` has
        none); ``fields``: export attribute → field name written; ``zone_note``: how parcels of several
        zones were brought into one (empty when they share one CRS).
    """
    fmt = fmt.lower().lstrip(".")
    if out.is_dir() or (out.suffix == "" and export_path(fmt, out).is_dir()):
        raise InputError(
            f"导出位置“{out}”是一个文件夹：请给出要写入的文件名，如 {out / ('储备地块' + SUFFIXES.get(fmt, ''))}",
            code="input.export_folder",
        )
    with reading(ctx.engine) as session:
        rows = current_rows(session)
    common = stored_zone(rows)
    zone = common.zone
    features = [_export_feature(r, zone) for r in rows]
    epsg = zone.epsg
    if fmt == "txt":
        prefixed = all(GaussKrugerZone.from_epsg(r.epsg).prefixed for r in rows)
        epsg = zone.with_prefix(prefixed).epsg
        features = [_as_boundary_points(f, zone.epsg, epsg) for f in features]
    path = export_path(fmt, out) if fmt in FORMATS else out
    mapping = write_features(path, fmt, features, epsg)
    return {
        "count": len(features),
        "epsg": GEOGRAPHIC_EPSG if fmt == "geojson" else epsg,
        "path": str(path),
        "fields": mapping,
        "zone_note": common.note,
    }


def _export_feature(row: ParcelGeometryRow, zone: GaussKrugerZone) -> Feature:
    geometry = project(shapely.from_wkb(row.wkb), row.epsg, zone.epsg)
    area = Area(row.area_m2)
    declared = declared_text(row.declared_area) if row.declared_area else None
    attributes = {
        "地块编号": row.code_as_written,
        "地块名称": row.name,
        "用途": row.land_use,
        "地类编码": row.land_use_code,
        "计算面积_平方米": area.m2,
        "计算面积_公顷": area.ha,
        "计算面积_亩": area.mu,
        "申报面积_公顷": _to_ha(declared),
        "面积计算坐标系": f"EPSG:{row.epsg}",
        "来源": row.source_name,
    }
    return Feature(geometry, attributes, row.code)


def _as_boundary_points(feature: Feature, source_epsg: int, epsg: int) -> Feature:
    declared = feature.attributes["申报面积_公顷"]
    area = declared if declared is not None else feature.attributes["计算面积_公顷"]
    attributes = {**feature.attributes, AREA_FIELD: f"{area:.4f}"}
    return Feature(project(feature.geometry, source_epsg, epsg), attributes, feature.place)


def _to_ha(declared: tuple[str, str] | None) -> Decimal | None:
    return None if declared is None else to_base(declared[0], declared[1]) / Decimal(10000)


def parcel_detail(ctx: Context, code: str) -> dict:
    """Current boundary of one parcel with its areas, bbox, lon/lat centre and its version history."""
    canonical = normalise_code(code)
    with reading(ctx.engine) as session:
        rows = versions_of(session, canonical)
    current = next((r for r in rows if r.superseded_at is None), None)
    if current is None:
        raise NotFoundError(
            f"地块 {code} 没有已导入的边界；请先用 landreserve geo import 导入。", code="geometry.not_found"
        )
    geometry = shapely.from_wkb(current.wkb)
    centre = project(geometry.centroid, current.epsg, GEOGRAPHIC_EPSG)
    area = Area(current.area_m2)
    return {
        "code": current.code,
        "code_as_written": current.code_as_written,
        "name": current.name,
        "version": current.version,
        "epsg": current.epsg,
        "area_m2": str(area.m2),
        "area_ha": str(area.ha),
        "area_mu": str(area.mu),
        "declared_area": current.declared_area,
        "land_use": current.land_use,
        "land_use_code": current.land_use_code,
        "bbox": [current.min_x, current.min_y, current.max_x, current.max_y],
        "centre_lonlat": [round(centre.x, 7), round(centre.y, 7)],
        "parts": len(shapely.get_parts(geometry)),
        "holes": int(sum(len(p.interiors) for p in shapely.get_parts(geometry))),
        "repaired": current.repaired,
        "source": f"{current.source_name} {current.source_place}",
        "crs_note": current.crs_note,
        "attributes": current.attributes,
        "history": [_history_entry(r) for r in rows],
    }


def _history_entry(row: ParcelGeometryRow) -> dict:
    superseded = row.superseded_at.isoformat(timespec="seconds") if row.superseded_at else None
    return {
        "version": row.version,
        "imported_at": row.imported_at.isoformat(timespec="seconds"),
        "imported_by": row.imported_by,
        "source": row.source_name,
        "area_m2": str(row.area_m2),
        "superseded_at": superseded,
    }
