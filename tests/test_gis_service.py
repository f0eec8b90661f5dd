"""Geometry import on SQLite and PostgreSQL: matching, areas, versions, refusals, lon/lat and zones."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import shapely
from sqlalchemy import func, select
from tests.gis_samples import (
    BOWTIE,
    E0,
    N0,
    PARCELS,
    SQUARE,
    add_plan_parcels,
    boundary_text,
    write_boundary_file,
    write_geojson,
)

from landreserve.errors import InputError, RuleViolation
from landreserve.gis.crs import GEOGRAPHIC_EPSG
from landreserve.gis.measurement import project
from landreserve.services import geometry as service
from landreserve.services import geometry_export as export
from landreserve.storage.db import transaction
from landreserve.storage.geometry_tables import (
    ParcelGeometryRow,
    current_row,
)


def _rows(engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(ParcelGeometryRow))


def _geojson(path, shapes: dict[str, object], epsg=GEOGRAPHIC_EPSG):
    """``shapes`` (EPSG:4535) written as GeoJSON in ``epsg`` (lon/lat by default)."""
    return write_geojson(path, {code: project(shape, 4535, epsg) for code, shape in shapes.items()})


def test_boundary_file_is_imported_matched_and_measured(ctx, tmp_path):
    add_plan_parcels(
        ctx.engine,
        [("BC-CB2026001", "1.0000公顷"), ("BC-CB2026002", "3.7500公顷"), ("BC-CB2026004", "2.0000公顷")],
    )
    report = service.import_boundaries(ctx, write_boundary_file(tmp_path / "界址点.txt"))
    assert report.crs.epsg == 4514 and report.crs.source == "文件声明" and report.zone.epsg == 4514
    assert {p.code: p.area.m2 for p in report.imported} == {
        "BC-CB2026001": Decimal(10000),
        "BC-CB2026002": Decimal(37500),
        "BC-CB2026003": Decimal(10000),
    }
    assert report.imported[0].code_as_written == "BC－CB2026001"
    assert report.parcels_without_geometry == ["BC-CB2026004"]
    assert report.not_in_plans == ["BC-CB2026003"]
    assert [f.code for f in report.findings] == ["geometry.not_in_plans"]
    detail = export.parcel_detail(ctx, "BC－CB2026001")
    assert detail["area_ha"] == "1.000000" and Decimal(detail["area_mu"]) == 15
    assert detail["name"] == "巴楚镇城北地块" and detail["declared_area"] == "1.0000公顷"
    assert 78.4 < detail["centre_lonlat"][0] < 78.6 and detail["holes"] == 0
    assert export.parcel_detail(ctx, "BC-CB2026002")["holes"] == 1
    assert export.parcel_detail(ctx, "BC-CB2026003")["parts"] == 2


def test_reimport_keeps_versions(ctx, tmp_path):
    path = write_boundary_file(tmp_path / "a.txt")
    service.import_boundaries(ctx, path)
    again = service.import_boundaries(ctx, path)
    assert all(p.unchanged and p.version == 1 for p in again.imported)
    bigger = [
        (c, n, u, k, "1.2100", shapely.box(E0, N0, E0 + 110, N0 + 110)) for c, n, u, k, _, _ in PARCELS[:1]
    ]
    (tmp_path / "b.txt").write_text(boundary_text(bigger), encoding="gbk")
    changed = service.import_boundaries(ctx, tmp_path / "b.txt")
    assert changed.imported[0].version == 2 and changed.imported[0].area.m2 == Decimal(12100)
    history = export.parcel_detail(ctx, "BC-CB2026001")["history"]
    assert [h["version"] for h in history] == [1, 2]
    assert history[0]["superseded_at"] is not None and history[1]["superseded_at"] is None
    assert _rows(ctx.engine) == 4


def test_declared_area_beyond_tolerance_is_a_finding(ctx, tmp_path):
    add_plan_parcels(ctx.engine, [("BC-CB2026001", "1.2000公顷")])
    parcels = [(c, n, u, k, "1.1000", g) for c, n, u, k, _, g in PARCELS[:1]]
    (tmp_path / "a.txt").write_text(boundary_text(parcels), encoding="gbk")
    report = service.import_boundaries(ctx, tmp_path / "a.txt")
    messages = [f.message for f in report.findings if f.code == "geometry.area_mismatch"]
    assert len(messages) == 2
    assert any("储备计划地块清单" in m and "1.2000公顷" in m for m in messages)
    assert any("a.txt 第11行" in m and "1.1000公顷" in m for m in messages)


def test_invalid_boundary_refuses_the_import_unless_the_repair_is_kept(ctx, tmp_path):
    parcels = [*PARCELS[:1], ("BC-CB2026009", "蝴蝶形地块", "住宅用地", "0701", "0.5000", BOWTIE)]
    path = tmp_path / "a.txt"
    path.write_text(boundary_text(parcels), encoding="gbk")
    with pytest.raises(RuleViolation) as refused:
        service.import_boundaries(ctx, path)
    reasons = "\n".join(refused.value.reasons)
    assert "BC-CB2026009：边界自相交" in reasons and "第17行" in reasons and "--repair" in reasons
    assert "0.5000 公顷" in reasons  # the repaired area offered
    assert _rows(ctx.engine) == 0
    report = service.import_boundaries(ctx, path, keep_repaired=True)
    repaired = {p.code: p for p in report.imported}["BC-CB2026009"]
    assert repaired.repaired and repaired.area.m2 == Decimal(5000)
    with transaction(ctx.engine) as session:
        row = current_row(session, "BC-CB2026009")
        assert row.repaired and shapely.from_wkb(row.original_wkb).equals(
            shapely.transform(BOWTIE, lambda xy: xy + [26e6, 0])
        )


def test_swapped_axes_are_refused_even_with_repair(ctx, tmp_path):
    good = write_boundary_file(tmp_path / "good.txt", parcels=PARCELS[:2])
    swapped = boundary_text(PARCELS[2:], swap=True).split("[地块坐标]\n")[1]
    path = tmp_path / "a.txt"
    path.write_text(good.read_text(encoding="gbk") + swapped, encoding="gbk")
    with pytest.raises(RuleViolation) as refused:
        service.import_boundaries(ctx, path, keep_repaired=True)
    assert any("BC-CB2026003" in r and "颠倒" in r for r in refused.value.reasons)
    assert _rows(ctx.engine) == 0


def test_duplicate_codes_refuse_the_import(ctx, tmp_path):
    parcels = [PARCELS[0], ("BC-CB2026001", "重复", "住宅用地", "0701", "1.0000", SQUARE)]
    (tmp_path / "a.txt").write_text(boundary_text(parcels), encoding="gbk")
    with pytest.raises(RuleViolation, match="重复的地块编号"):
        service.import_boundaries(ctx, tmp_path / "a.txt")
    assert _rows(ctx.engine) == 0


def test_lonlat_parcel_is_stored_and_measured_in_zone_26(ctx, tmp_path):
    report = service.import_boundaries(ctx, _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE}))
    assert report.crs.epsg == GEOGRAPHIC_EPSG and report.zone.epsg == 4535
    assert abs(report.imported[0].area.m2 - Decimal(10000)) < Decimal("0.001")


def test_plain_eastings_need_the_zone(ctx, tmp_path):
    path = _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE}, epsg=4535)
    with pytest.raises(InputError, match="--zone 26"):
        service.import_boundaries(ctx, path)
    report = service.import_boundaries(ctx, path, zone=26)
    assert report.zone.epsg == 4535 and report.imported[0].area.m2 == Decimal(10000)
    with pytest.raises(InputError, match="应为 EPSG:4535"):
        service.import_boundaries(ctx, path, crs="EPSG:4514")


def test_lonlat_declared_as_wgs84_is_measured_in_its_zone(ctx, tmp_path):
    """QGIS and many tools write ``EPSG::4326`` (or CRS84) into GeoJSON: still lon/lat, still zone 26."""
    path = _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE})
    document = json.loads(path.read_text(encoding="utf-8"))
    for name in ("urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84"):
        document["crs"] = {"type": "name", "properties": {"name": name}}
        path.write_text(json.dumps(document), encoding="utf-8")
        report = service.import_boundaries(ctx, path)
        assert report.crs.geographic and report.zone.epsg == 4535
        assert abs(report.imported[0].area.m2 - Decimal(10000)) < Decimal("0.01")


def test_parcels_without_boundary_count_every_file_imported_so_far(ctx, tmp_path):
    add_plan_parcels(ctx.engine, [("BC-CB2026001", "1.0000公顷"), ("BC-CB2026002", "3.7500公顷")])
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt", parcels=PARCELS[:1]))
    second = service.import_boundaries(ctx, write_boundary_file(tmp_path / "b.txt", parcels=PARCELS[2:]))
    assert second.parcels_without_geometry == ["BC-CB2026002"]  # 001 came with the first file


def test_changed_attributes_on_the_same_shape_make_a_new_version(ctx, tmp_path):
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt", parcels=PARCELS[:1]))
    renamed = [(c, "巴楚镇城北地块（更正）", u, k, ha, g) for c, _, u, k, ha, g in PARCELS[:1]]
    (tmp_path / "b.txt").write_text(boundary_text(renamed), encoding="gbk")
    report = service.import_boundaries(ctx, tmp_path / "b.txt")
    assert [(p.version, p.unchanged) for p in report.imported] == [(2, False)]
    assert export.parcel_detail(ctx, "BC-CB2026001")["name"] == "巴楚镇城北地块（更正）"


def test_lonlat_measured_in_a_zone_that_does_not_hold_it_is_said(ctx, tmp_path):
    path = _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE})
    report = service.import_boundaries(ctx, path, zone=27)
    assert report.zone.epsg == 4536 and any("请改用 --zone 26" in n for n in report.notes)
    own = service.import_boundaries(ctx, path, zone=26)
    assert own.zone.epsg == 4535 and not any("--zone" in n for n in own.notes)
