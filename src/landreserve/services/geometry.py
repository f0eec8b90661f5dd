"""Use cases of parcel geometry: import boundaries, export them, show one (checks: ``geometry_checks``).

An import is atomic: it is refused as a whole (nothing written) when the CRS is ambiguous, a code appears
twice, or a boundary is invalid and the user did not choose to keep the ``make_valid`` repair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlalchemy.orm import Session

from ..domain.findings import Finding, Severity
from ..domain.permissions import Permission
from ..errors import ConflictError, DatabaseBusyError, RuleViolation
from ..gis.boundary_points import AREA_FIELD
from ..gis.crs import CrsChoice, GaussKrugerZone, parse_crs_option, resolve_crs, target_zone
from ..gis.features import Feature
from ..gis.formats import read_features
from ..gis.matching import Matching, choose_code_field, match_features
from ..gis.measurement import Area, area_of, declared_text, project
from ..gis.progress import Progress, counted, no_progress
from ..gis.validity import Problem, check_feature, repair
from ..storage.db import transaction
from ..storage.geometry_tables import (
    ParcelGeometryRow,
    current_codes,
    current_rows,
    ensure_postgis_layer,
    last_versions,
)
from . import history
from .authorization import requires
from .context import Context
from .geometry_plans import area_findings, known_codes, plan_declared_areas

#: attributes that may hold a declared area in hectares
DECLARED_FIELDS = (AREA_FIELD, "申报面积_公顷", "SBMJ_HA", "面积_公顷", "MJ_HA")
NAME_FIELDS = ("地块名称", "DKMC", "名称", "name")
USE_FIELDS = ("用途", "YT", "use")
LAND_USE_CODE_FIELDS = ("地类编码", "DLBM")


@dataclass
class ImportedParcel:
    code: str
    code_as_written: str
    area: Area
    version: int
    declared: str | None = None
    repaired: bool = False
    unchanged: bool = False


@dataclass
class ImportReport:
    """What an import did: the CRS chosen and why, each parcel stored, and everything left over."""

    source: str
    crs: CrsChoice
    zone: GaussKrugerZone
    code_field: str
    imported: list[ImportedParcel] = field(default_factory=list)
    unmatched_features: list[tuple[str, str]] = field(default_factory=list)
    parcels_without_geometry: list[str] = field(default_factory=list)
    not_in_plans: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    postgis_layer: bool = False

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "crs": {"epsg": self.crs.epsg, "source": self.crs.source, "explanation": self.crs.explanation},
            "stored_epsg": self.zone.epsg,
            "code_field": self.code_field,
            "imported": [
                {
                    "code": p.code,
                    "code_as_written": p.code_as_written,
                    "version": p.version,
                    "area_m2": str(p.area.m2),
                    "area_ha": str(p.area.ha),
                    "area_mu": str(p.area.mu),
                    "declared": p.declared,
                    "repaired": p.repaired,
                    "unchanged": p.unchanged,
                }
                for p in self.imported
            ],
            "unmatched_features": [{"place": p, "reason": r} for p, r in self.unmatched_features],
            "parcels_without_geometry": self.parcels_without_geometry,
            "not_in_plans": self.not_in_plans,
            "findings": [f.to_dict() for f in self.findings],
            "notes": self.notes,
            "postgis_layer": self.postgis_layer,
        }


@requires(Permission.GEOMETRY_IMPORT)
def import_boundaries(
    ctx: Context,
    path: Path,
    *,
    crs: str | None = None,
    zone: int | None = None,
    code_field: str | None = None,
    keep_repaired: bool = False,
    region: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read a boundary file, check it, and store each parcel's boundary (a new version per code).

    Parameters
    ----------
    ctx : Context
    path : Path
        Shapefile, GeoPackage, GeoJSON, DXF or boundary-point ``.txt``.
    crs, zone : optional
        The user's CRS (``EPSG:4535``) or zone number (26); otherwise the file's, else the data's.
    code_field : str, optional
        Attribute holding the parcel code (default: a known name such as ``地块编号``/``DKBH``).
    keep_repaired : bool
        Keep the ``make_valid`` repair of invalid boundaries; without it an invalid boundary refuses
        the import and the message offers the repair with its area.
    region : str, optional
        ``validity.REGIONS`` key the parcels must lie in (e.g. ``"新疆"``).
    progress : optional
        Told of each step (see :mod:`landreserve.gis.progress`): reading the file, checking each
        boundary, storing each one, saving (the flush and the commit).
    """
    progress = progress or no_progress
    reading = f"读取边界文件 {path.name}"
    progress(reading, 0, 1)
    features = read_features(path)
    progress(reading, 1, 1)
    choice = resolve_crs(
        features.bounds(),
        source_name=path.name,
        user_epsg=parse_crs_option(crs) if crs else None,
        user_zone=zone,
        declared_epsg=features.declared_epsg,
        # a machine-readable declaration (.prj, GeoPackage, GeoJSON) that names no known CRS is refused;
        # a boundary-point file's 坐标系 line is a description, its zone comes from 带号 or the data
        declared_crs=features.declared_crs if path.suffix.lower() != ".txt" else None,
    )
    field_name = choose_code_field(features.fields, code_field, path.name)
    try:
        with transaction(ctx.engine) as session:
            lock_boundaries(session)
            matching = match_features(features.features, field_name, known_codes(session))
            _refuse_duplicates(matching, path.name)
            checking = f"检查 {path.name} 的边界图形"
            shapes = _checked_shapes(matching, choice.epsg, keep_repaired, region, progress, checking)
            lonlat = _lonlat_bounds(shapes, choice)
            stored_zone = target_zone(choice, lonlat, zone)
            notes = [*features.notes, *_foreign_zone_note(lonlat, stored_zone)]
            report = ImportReport(path.name, choice, stored_zone, field_name, notes=notes)
            saving = f"保存 {path.name} 的地块边界到数据库"
            _store_all(ctx, session, report, shapes, progress, saving)
            _report_leftovers(report, matching, current_codes(session))
            report.postgis_layer = ensure_postgis_layer(session.connection())
        progress(saving, 1, 1)  # committed
    except DBIntegrityError as exc:
        raise ConflictError(
            f"导入 {path.name} 时有人同时导入了相同地块的边界，本次未写入任何数据；请重新导入。",
            code="geometry.concurrent_import",
        ) from exc
    except DatabaseBusyError as exc:
        raise DatabaseBusyError(
            f"数据库正忙：导入 {path.name} 时另一项操作正在写入（SQLite 同一时间只允许一处写入），等待超时，"
            "本次未写入任何数据；请稍后重试（等待时长见 LANDRESERVE_BUSY_TIMEOUT）。",
            code="geometry.database_busy",
            details=exc.details,
        ) from exc
    return report


#: key of the PostgreSQL advisory lock that queues boundary imports (held until commit)
BOUNDARY_LOCK_KEY = 0x4C52_4745_4F4D  # "LRGEOM"


def lock_boundaries(session: Session) -> None:
    """Queue boundary imports: the current boundaries and version numbers an import reads stay what it
    writes over. PostgreSQL: a transaction-scoped advisory lock (reads after it see the previous
    import's commit); SQLite: the write transaction already began with BEGIN IMMEDIATE. The partial
    unique index ``uq_parcel_geometries_current_code`` refuses a second current boundary whatever happens."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOUNDARY_LOCK_KEY})


@dataclass(frozen=True)
class _Shape:
    """A matched feature ready to store: its geometry (repaired or not) in the file's CRS."""

    code: str
    written: str
    feature: Feature
    geometry: BaseGeometry
    #: the shape as read, when the repair is kept
    original: BaseGeometry | None = None


def _refuse_duplicates(matching: Matching, source: str) -> None:
    if matching.duplicates:
        reasons = [
            f"编号 {code} 出现在 {'、'.join(f.place for f in features)}"
            for code, features in matching.duplicates.items()
        ]
        raise RuleViolation(
            f"{source} 中有重复的地块编号，未导入任何地块；请删除或改正重复的图形后重试。",
            reasons=reasons,
            code="geometry.duplicate_code",
        )


def _checked_shapes(
    matching: Matching,
    epsg: int,
    keep_repaired: bool,
    region: str | None,
    progress: Progress = no_progress,
    description: str = "检查边界图形",
) -> list[_Shape]:
    """The matched features that may be stored; refuses the import on any problem not repaired."""
    shapes, refusals = [], []
    for code, feature in counted(progress, description, list(matching.matched.items())):
        problems = check_feature(code, feature, epsg, region)
        if any(not p.repairable for p in problems) or (problems and not keep_repaired):
            refusals.extend(_refusal_reasons(problems, feature, epsg))
        elif problems:
            shapes.append(
                _Shape(code, matching.written[code], feature, repair(feature.geometry), feature.geometry)
            )
        else:
            shapes.append(_Shape(code, matching.written[code], feature, feature.geometry))
    if refusals:
        raise RuleViolation(
            "边界图形有误，未导入任何地块（原因与位置如下）。可修复的问题可用 --repair 保留修复后的图形；"
            "坐标轴颠倒、带号或位置错误须改正文件。",
            reasons=refusals,
            code="geometry.invalid",
        )
    return shapes


def _refusal_reasons(problems: list[Problem], feature: Feature, epsg: int) -> list[str]:
    reasons = [f"{p.message}（{feature.place}）" for p in problems]
    if all(p.repairable for p in problems) and feature.geometry is not None:
        fixed = repair(feature.geometry)
        zone = GaussKrugerZone.from_epsg(epsg)
        if fixed is not None and zone is not None:
            reasons.append(f"  可用 --repair 保留修复后的图形：修复后面积 {area_of(fixed, epsg).text()}")
        elif fixed is None:
            reasons.append("  该图形无法自动修复，请改正文件。")
    return reasons


def _lonlat_bounds(shapes: list[_Shape], crs: CrsChoice) -> tuple[float, float, float, float] | None:
    """Lon/lat bounds of the shapes when the file is geographic (EPSG:4490 or EPSG:4326), else ``None``."""
    if not crs.geographic or not shapes:
        return None
    return tuple(shapely.total_bounds([s.geometry for s in shapes]).tolist())  # type: ignore[return-value]


def _foreign_zone_note(lonlat, zone: GaussKrugerZone) -> list[str]:
    """A note when lon/lat parcels are measured in a zone (``--zone``) whose band does not hold them."""
    if lonlat is None:
        return []
    west, east = GaussKrugerZone.for_longitude(lonlat[0]), GaussKrugerZone.for_longitude(lonlat[2])
    if west.number == zone.number == east.number:
        return []
    return [
        f"经纬度数据位于第{west.number}带（经度 {lonlat[0]:.4f}°–{lonlat[2]:.4f}°E），按 --zone {zone.number} "
        f"在第{zone.number}带计算面积和存储；离中央经线{zone.central_meridian}°E 越远面积偏差越大，"
        f"除非有意如此，请改用 --zone {west.number}。"
    ]


def _report_leftovers(report: ImportReport, matching: Matching, stored: set[str]) -> None:
    """Features left unmatched, codes no plan lists, and plan parcels still without any stored boundary."""
    report.unmatched_features = [(u.feature.place, u.reason) for u in matching.unmatched_features]
    report.parcels_without_geometry = [c for c in matching.parcels_without_feature if c not in stored]
    report.not_in_plans = matching.not_in_plans
    for place, reason in report.unmatched_features:
        report.findings.append(
            Finding(
                "geometry.unmatched_feature",
                Severity.WARNING,
                f"{report.source} {place}：{reason}，未导入。",
                values={"place": place, "reason": reason},
            )
        )
    for code in report.not_in_plans:
        report.findings.append(
            Finding(
                "geometry.not_in_plans",
                Severity.WARNING,
                f"地块 {code} 已导入边界，但没有任何储备计划列出该编号。",
                values={"parcel": code},
            )
        )


@dataclass
class _Batch:
    """What storing one file's shapes needs: the open session, the report and the stored state."""

    ctx: Context
    session: Session
    report: ImportReport
    current: dict[str, ParcelGeometryRow]
    versions: dict[str, int]
    declared: dict[str, tuple[str, str]]
    now: datetime


def _store_all(
    ctx: Context,
    session: Session,
    report: ImportReport,
    shapes: list[_Shape],
    progress: Progress = no_progress,
    saving: str = "保存地块边界到数据库",
) -> None:
    """Store each shape (a step of its own), then flush and record the history: the start of the step
    ``saving``, which the caller ends once committed."""
    # a county has thousands of parcels, not millions: read them all rather than a huge IN (...)
    current = {r.code: r for r in current_rows(session)}
    batch = _Batch(
        ctx, session, report, current, last_versions(session), plan_declared_areas(session), _utc_now()
    )
    for shape in counted(progress, f"写入 {report.source} 的 {len(shapes)} 个地块边界", shapes):
        _store(batch, shape)
    progress(saving, 0, 1)
    session.flush()
    stored = [p for p in report.imported if not p.unchanged]
    if stored:
        history.record(
            session, ctx.actor, "parcel_geometry", report.source, "geometry.import", None,
            {"crs": report.crs.epsg, "stored_epsg": report.zone.epsg,
             "parcels": [{"code": p.code, "version": p.version, "area_m2": p.area.m2} for p in stored]},
        )  # fmt: skip


def _store(batch: _Batch, shape: _Shape) -> None:
    report = batch.report
    projected = project(shape.geometry, report.crs.epsg, report.zone.epsg)
    area = area_of(projected, report.zone.epsg)
    in_file = _declared_in_file(shape.feature.attributes)
    source = f"{report.source} {shape.feature.place}"
    in_plan = batch.declared.get(shape.code)
    report.findings.extend(area_findings(batch.ctx, shape.code, area, in_file, in_plan, source))
    row = _row(batch.ctx, report, shape, projected, area, batch.versions.get(shape.code, 0) + 1, batch.now)
    current = batch.current.get(shape.code)
    if current is not None and _same_content(current, row):
        report.imported.append(
            ImportedParcel(
                shape.code, current.code_as_written, area, current.version, in_file, unchanged=True
            )
        )
        return
    if current is not None:
        current.superseded_at = batch.now
    batch.session.add(row)
    report.imported.append(
        ImportedParcel(shape.code, shape.written, area, row.version, in_file, shape.original is not None)
    )


#: what makes a re-imported boundary a new version: its shape, CRS, and the attributes shown and exported
_CONTENT = ("wkb", "epsg", "name", "declared_area", "land_use", "land_use_code")


def _same_content(current: ParcelGeometryRow, new: ParcelGeometryRow) -> bool:
    return all(getattr(current, name) == getattr(new, name) for name in _CONTENT)


def _row(
    ctx: Context, report: ImportReport, shape: _Shape, projected, area: Area, version: int, now: datetime
) -> ParcelGeometryRow:
    attrs = shape.feature.attributes
    minx, miny, maxx, maxy = (float(v) for v in projected.bounds)
    declared = _declared_in_file(attrs)
    return ParcelGeometryRow(
        code=shape.code,
        code_as_written=shape.written,
        version=version,
        name=_first(attrs, NAME_FIELDS),
        epsg=report.zone.epsg,
        wkb=shapely.to_wkb(projected),
        min_x=minx,
        min_y=miny,
        max_x=maxx,
        max_y=maxy,
        area_m2=area.m2,
        declared_area=f"{declared[0]}{declared[1]}" if declared else None,
        land_use=_first(attrs, USE_FIELDS),
        land_use_code=_first(attrs, LAND_USE_CODE_FIELDS),
        attributes={k: _jsonable(v) for k, v in attrs.items()},
        source_name=report.source,
        source_place=shape.feature.place,
        crs_note=report.crs.explanation,
        repaired=shape.original is not None,
        original_wkb=shapely.to_wkb(shape.original) if shape.original is not None else None,
        imported_at=now,
        imported_by=ctx.actor.name,
    )


def _jsonable(value):
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _first(attrs: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        if attrs.get(name) not in (None, ""):
            return str(attrs[name])
    return None


def _declared_in_file(attrs: dict) -> tuple[str, str] | None:
    for name in DECLARED_FIELDS:
        if attrs.get(name) not in (None, ""):
            return declared_text(str(attrs[name]), "公顷")
    return None


def _utc_now() -> datetime:
    """Naive UTC, as every other stored time (plans, history)."""
    return datetime.now(UTC).replace(tzinfo=None)
