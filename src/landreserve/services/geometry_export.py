"""Export of the current parcel boundaries: GeoPackage, GeoJSON, Shapefile and the boundary-point format.

Parcels stored in several 3-degree zones are written in one: the zone of most parcels
(``gis.crs.common_zone``), and the export says so.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import shapely

from ..domain.units import to_base
from ..errors import NotFoundError
from ..gis.boundary_points import AREA_FIELD
from ..gis.crs import GEOGRAPHIC_EPSG, CommonZone, GaussKrugerZone, common_zone
from ..gis.features import Feature
from ..gis.formats import FORMATS, write_features
from ..gis.measurement import Area, declared_text, project
from ..storage.db import transaction
from ..storage.geometry_tables import ParcelGeometryRow, current_rows
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
    with transaction(ctx.engine) as session:
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
