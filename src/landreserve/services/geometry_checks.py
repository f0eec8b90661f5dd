"""Checks of the stored parcel boundaries: declared vs computed area, parcels without boundary, overlaps,
near-duplicates, and constraint layers (永久基本农田, 生态保护红线, 城镇开发边界) with their rules.

The spatial work is done by ``gis.overlaps`` and ``gis.constraints``; this module feeds them the current
boundaries, all in one projected CRS, and collects their findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import shapely

from ..domain.findings import Finding, Severity
from ..errors import InputError
from ..gis.constraints import ConstraintLayer, ConstraintResult, Rule, check_layer, findings_for, result_of
from ..gis.crs import parse_crs_option
from ..gis.layer_cache import CachedLayer
from ..gis.layers import indexed_layer
from ..gis.measurement import Area, project
from ..gis.overlaps import find_near_duplicates, find_overlaps, near_duplicate_findings, overlap_findings
from ..gis.progress import Progress
from ..settings import Settings
from ..storage import postgis_layers
from ..storage.db import reading
from ..storage.geometry_tables import current_rows
from . import geometry_plans
from .context import Context
from .geometry_export import stored_zone

#: rule names accepted in ``--layer FILE:RULE`` (English values of ``constraints.Rule`` and Chinese)
RULE_NAMES = {
    "must_not_intersect": Rule.MUST_NOT_INTERSECT,
    "不得相交": Rule.MUST_NOT_INTERSECT,
    "不得占用": Rule.MUST_NOT_INTERSECT,
    "must_lie_within": Rule.MUST_LIE_WITHIN,
    "须位于其内": Rule.MUST_LIE_WITHIN,
    "必须位于": Rule.MUST_LIE_WITHIN,
}


@dataclass
class CheckReport:
    """Findings of a geometry check and the per-parcel results of each constraint layer."""

    epsg: int
    parcels: int
    #: how parcels stored in several zones were brought into one (empty when they share one CRS)
    zone_note: str = ""
    findings: list[Finding] = field(default_factory=list)
    layers: list[ConstraintResult] = field(default_factory=list)
    #: layer label → seconds spent building its spatial index in this check (one-time cost)
    index_seconds: dict[str, float] = field(default_factory=dict)
    #: where the constraint layers were checked: ``"files"`` (NumPy/Shapely on the layer files) or
    #: ``"postgis"`` (SQL on the server holding the parcels; layer loading counts as the one-time cost)
    engine: str = "files"

    def to_dict(self) -> dict:
        return {
            "epsg": self.epsg,
            "parcels": self.parcels,
            "zone_note": self.zone_note,
            "index_seconds": self.index_seconds,
            "engine": self.engine,
            "findings": [f.to_dict() for f in self.findings],
            "layers": [
                {
                    "parcel": r.code,
                    "layer": r.layer,
                    "rule": r.rule.value,
                    "intersect_area_m2": str(r.intersect_area_m2),
                    "parcel_area_m2": str(r.parcel_area_m2),
                    "share": str(r.share),
                    "violates": r.violates,
                }
                for r in self.layers
            ],
        }


def parse_layer_spec(spec: str, crs: str | None = None) -> ConstraintLayer:
    """``FILE:RULE`` or ``FILE:LAYER:RULE`` → a constraint layer, labelled by the layer name or the file's stem.

    ``永久基本农田.gpkg:must_not_intersect``; ``国土空间规划.gpkg:生态保护红线:不得占用`` picks one layer of a
    file with several. ``crs`` (``EPSG:4535``) is used when the layer file declares none (a Shapefile
    without ``.prj``). A Windows drive (``D:\\数据\\农田.shp:…``) is part of the file name.
    """
    rest, sep, rule = spec.rpartition(":")
    if not sep or rule.strip() not in RULE_NAMES:
        raise InputError(
            f"约束图层参数“{spec}”应为 文件:规则 或 文件:图层名:规则，规则可选 {'、'.join(RULE_NAMES)}；"
            "例如 永久基本农田.gpkg:must_not_intersect。",
            code="geometry.layer_spec",
        )
    path, layer = Path(rest), None
    if not path.exists() and ":" in rest:
        head, _, name = rest.rpartition(":")
        if Path(head).exists():
            path, layer = Path(head), name.strip()
    if not path.exists():
        raise InputError(f"约束图层文件不存在：{rest}", code="input.missing")
    epsg = parse_crs_option(crs) if crs else None
    return ConstraintLayer(path, RULE_NAMES[rule.strip()], label=layer or path.stem, layer=layer, crs=epsg)


def check_geometries(
    ctx: Context,
    layers: list[ConstraintLayer] = (),
    progress: Progress | None = None,
    use_postgis: bool | None = None,
) -> CheckReport:
    """All checks on the current boundaries: declared vs computed area (plan), parcels of the plans
    without boundary, overlaps, near-duplicates, and each constraint layer with its rule.

    A layer file without spatial index is indexed once into ``ctx.settings.cache_dir``
    (``CheckReport.index_seconds`` tells the one-time cost); ``progress`` hears about long steps.
    When the parcels are stored on PostgreSQL with PostGIS, the constraint layers are checked there as
    SQL (:mod:`landreserve.storage.postgis_layers`; the layer file is loaded once): ``use_postgis``
    ``None`` decides so, ``False`` keeps the check on the files, ``True`` demands PostGIS.
    """
    with reading(ctx.engine) as session:
        rows = current_rows(session)
        declared = geometry_plans.plan_declared_areas(session)
        known = geometry_plans.known_codes(session)
    common = stored_zone(rows)
    epsg = common.zone.epsg
    parcels = {r.code: project(shapely.from_wkb(r.wkb), r.epsg, epsg) for r in rows}
    report = CheckReport(epsg, len(parcels), common.note)
    for row in rows:
        in_plan = declared.get(row.code)
        report.findings.extend(
            geometry_plans.area_findings(ctx, row.code, Area(row.area_m2), None, in_plan, "")
        )
    report.findings.extend(_missing_boundaries(known - set(parcels)))
    overlaps = find_overlaps(parcels)
    report.findings.extend(overlap_findings(overlaps))
    report.findings.extend(near_duplicate_findings(find_near_duplicates(parcels, overlaps=overlaps)))
    with ctx.engine.connect() as connection:
        on_postgis = postgis_layers.postgis_ready(connection) if use_postgis is not False else False
    if use_postgis and not on_postgis:
        raise InputError(
            "数据库不是装有 PostGIS 的 PostgreSQL，无法在数据库中做图层检查：请安装 PostGIS 扩展，或改用文件检查。",
            code="geometry.postgis_missing",
        )
    if on_postgis and layers:
        report.engine = "postgis"
        for layer in layers:
            results = _check_layer_on_postgis(ctx, parcels, layer, epsg, progress, report.index_seconds)
            report.layers.extend(results)
            report.findings.extend(findings_for(results))
        return report
    for layer in layers:
        results = check_layer(
            parcels,
            layer.path,
            layer.rule,
            layer.layer,
            f"EPSG:{epsg}",
            label=layer.label,
            layer_crs=layer.crs,
            dissolve=layer.dissolve,
            cache_dir=ctx.settings.cache_dir,
            progress=progress,
            index_times=report.index_seconds,
        )
        report.layers.extend(results)
        report.findings.extend(findings_for(results))
    return report


def _check_layer_on_postgis(
    ctx: Context, parcels: dict, layer: ConstraintLayer, epsg: int, progress, index_seconds: dict
) -> list[ConstraintResult]:
    """One constraint layer checked by the server, results in the order of ``parcels``."""
    with ctx.engine.begin() as connection:
        loaded = postgis_layers.load_layer(connection, layer.path, layer.layer, layer.crs, progress)
    label = layer.label or Path(layer.path).stem
    if loaded.loaded_seconds is not None:
        index_seconds[label] = loaded.loaded_seconds
    with ctx.engine.connect() as connection:
        areas = postgis_layers.layer_areas_sql(connection, loaded, epsg, layer.dissolve)
    return [result_of(code, label, layer.rule, *areas[code]) for code in parcels]


def index_layer(
    path: str | Path,
    layer: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> CachedLayer | None:
    """Build (or confirm) the spatial index of a layer file ahead of the checks.

    Returns the cache, or ``None`` for a GeoPackage that carries its own R-tree (nothing to build).
    """
    source = indexed_layer(
        path, layer, cache_dir=(settings or Settings.from_env()).cache_dir, progress=progress
    )
    return source.cache


def _missing_boundaries(codes: set[str]) -> list[Finding]:
    return [
        Finding(
            "geometry.missing_boundary",
            Severity.WARNING,
            f"计划地块 {code} 还没有导入边界，无法做空间检查。",
            values={"parcel": code},
        )
        for code in sorted(codes)
    ]
