"""Geometry use cases on SQLite and PostgreSQL: import, versions, refusals, lon/lat, export, checks, PostGIS."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from itertools import combinations

import numpy as np
import pyogrio.raw
import pytest
import shapely
from sqlalchemy import func, select, text
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
from landreserve.gis.constraints import Rule
from landreserve.gis.crs import GEOGRAPHIC_EPSG
from landreserve.gis.measurement import project
from landreserve.services import geometry as service
from landreserve.services import geometry_checks as checks
from landreserve.services import geometry_export as export
from landreserve.storage.db import transaction
from landreserve.storage.geometry_tables import (
    LAYER_VIEW,
    ParcelGeometryRow,
    current_row,
    ensure_postgis_layer,
    has_postgis_layer,
)
from landreserve.storage.plan_tables import PlanParcelRow, PlanVersionRow


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


@pytest.mark.parametrize("fmt", ["shp", "gpkg", "geojson", "txt"])
def test_export_then_import_gives_the_same_parcels(ctx, tmp_path, fmt):
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    before = {
        code: export.parcel_detail(ctx, code) for code in ("BC-CB2026001", "BC-CB2026002", "BC-CB2026003")
    }
    result = export.export_boundaries(ctx, fmt, tmp_path / f"out.{fmt}")
    assert result["count"] == 3
    report = service.import_boundaries(ctx, tmp_path / f"out.{fmt}")
    assert not report.unmatched_features
    for code, old in before.items():
        new = export.parcel_detail(ctx, code)
        tolerance = Decimal("0.05") if fmt == "geojson" else Decimal(0)
        assert abs(Decimal(new["area_m2"]) - Decimal(old["area_m2"])) <= tolerance
        assert new["name"] == old["name"] and new["land_use"] == old["land_use"]


def _farmland(path, polygons):
    wkb = np.array([shapely.to_wkb(p) for p in polygons], dtype=object)
    pyogrio.raw.write(
        path,
        wkb,
        field_data=[np.array(["永久基本农田"] * len(polygons), dtype=object)],
        fields=["类型"],
        geometry_type="Polygon",
        crs="EPSG:4535",
        driver="GPKG",
    )
    return path


def test_check_finds_overlaps_and_farmland_as_brute_force_does(ctx, tmp_path):
    shapes = {
        "BC-CB2026001": SQUARE,
        "BC-CB2026002": shapely.box(E0 + 60, N0 + 20, E0 + 160, N0 + 120),  # overlaps 001 by 40 × 80
        "BC-CB2026003": shapely.box(E0 + 1000, N0, E0 + 1100, N0 + 100),
        "BC-CB2026004": shapely.box(E0 + 1000.5, N0, E0 + 1100.5, N0 + 100),  # near-duplicate of 003
    }
    service.import_boundaries(ctx, _geojson(tmp_path / "a.geojson", shapes, epsg=4535), zone=26)
    farmland = [
        shapely.box(E0 - 50, N0 - 50, E0 + 30, N0 + 30),
        shapely.box(E0 + 1050, N0 + 50, E0 + 1300, N0 + 300),
    ]
    layer = checks.parse_layer_spec(
        f"{_farmland(tmp_path / '永久基本农田.gpkg', farmland)}:must_not_intersect"
    )
    assert layer.rule is Rule.MUST_NOT_INTERSECT and layer.label == "永久基本农田"
    report = checks.check_geometries(ctx, [layer])
    overlaps = {
        (f.values["parcel_a"], f.values["parcel_b"]): Decimal(f.values["overlap_area_m2"])
        for f in report.findings
        if f.code == "gis.overlap"
    }
    expected = {
        (a, b): shapes[a].intersection(shapes[b]).area
        for a, b in combinations(sorted(shapes), 2)
        if shapes[a].intersection(shapes[b]).area > 0.01
    }
    assert set(overlaps) == set(expected)
    for pair, area in expected.items():
        assert float(overlaps[pair]) == pytest.approx(area, rel=1e-9)
    assert [
        (f.values["parcel_a"], f.values["parcel_b"])
        for f in report.findings
        if f.code == "gis.near_duplicate"
    ] == [("BC-CB2026003", "BC-CB2026004")]
    layer_union = shapely.union_all(farmland)
    for result in report.layers:
        brute = shapes[result.code].intersection(layer_union).area
        assert float(result.intersect_area_m2) == pytest.approx(brute, rel=1e-9, abs=1e-9)
        assert result.violates is (brute > 0)
    assert float(
        next(r for r in report.layers if r.code == "BC-CB2026001").intersect_area_m2
    ) == pytest.approx(900)


def test_check_reports_plan_parcels_without_boundary_and_area_mismatch(ctx, tmp_path):
    add_plan_parcels(ctx.engine, [("BC-CB2026001", "1.5000公顷"), ("BC-CB2026005", "1.0000公顷")])
    service.import_boundaries(ctx, _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE}))
    codes = [f.code for f in checks.check_geometries(ctx).findings]
    assert codes == ["geometry.area_mismatch", "geometry.missing_boundary"]


def test_layer_spec_is_checked(tmp_path):
    with pytest.raises(InputError, match="文件:规则"):
        checks.parse_layer_spec("farmland.gpkg")
    with pytest.raises(InputError, match="不存在"):
        checks.parse_layer_spec(f"{tmp_path / 'none.gpkg'}:must_lie_within")


def test_postgis_layer_shows_the_current_boundaries(ctx, tmp_path):
    with ctx.engine.connect() as connection:
        if ctx.engine.dialect.name != "postgresql":
            assert not has_postgis_layer(connection)
            return
        if not has_postgis_layer(connection):
            pytest.skip("PostGIS is not installed on this PostgreSQL server")
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    with ctx.engine.connect() as connection:
        rows = connection.execute(
            text(
                f"SELECT code, ST_SRID(geom), ST_Area(ST_Transform(geom, 4535)) FROM {LAYER_VIEW} ORDER BY code"
            )
        ).all()
    assert [r[0] for r in rows] == ["BC-CB2026001", "BC-CB2026002", "BC-CB2026003"]
    assert all(r[1] == 4490 for r in rows)
    assert [round(r[2], 3) for r in rows] == [10000.0, 37500.0, 10000.0]


def test_without_postgis_rights_the_layer_is_skipped_and_the_transaction_goes_on(engine, tmp_path):
    """A role that may not create the extension or the view (as on a server without PostGIS) gets False."""
    with engine.connect() as connection, connection.begin():
        if engine.dialect.name != "postgresql":
            assert ensure_postgis_layer(connection) is False
            return
        role = f"lr_plain_{uuid.uuid4().hex[:8]}"
        connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        connection.execute(text(f"GRANT SELECT, INSERT ON parcel_geometries TO {role}"))
        connection.execute(text(f"SET LOCAL ROLE {role}"))
        assert ensure_postgis_layer(connection) is False
        assert connection.execute(select(func.count()).select_from(ParcelGeometryRow)).scalar() == 0
        connection.rollback()


def test_on_a_server_without_postgis_migration_import_and_export_work(postgres_url, tmp_path, monkeypatch):
    """A database where the extension cannot be created because the server lacks it (not a rights issue):
    the migration, an import and an export succeed, the report says there is no layer, no view exists."""
    from functools import partial

    from landreserve.services.context import Context
    from landreserve.settings import Settings
    from landreserve.storage import geometry_tables
    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import upgrade

    absent = partial(geometry_tables.ensure_postgis_layer, extension=f"postgis_absent_{uuid.uuid4().hex[:6]}")
    monkeypatch.setattr(geometry_tables, "ensure_postgis_layer", absent)  # what migration 0004 imports
    monkeypatch.setattr(service, "ensure_postgis_layer", absent)
    server = make_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"lr_no_postgis_{uuid.uuid4().hex[:8]}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(server.url.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        ctx = Context(engine=engine, settings=Settings(database_url=str(engine.url)))
        report = service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
        assert report.postgis_layer is False and len(report.imported) == 3
        assert export.export_boundaries(ctx, "gpkg", tmp_path / "out")["count"] == 3
        with engine.connect() as connection:
            assert not has_postgis_layer(connection)
            installed = connection.execute(text("SELECT extname FROM pg_extension")).scalars().all()
        assert "postgis" not in installed
    finally:
        engine.dispose()
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


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


def test_export_adds_the_missing_suffix(ctx, tmp_path):
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    for fmt in ("gpkg", "shp"):
        result = export.export_boundaries(ctx, fmt, tmp_path / f"储备地块{fmt}")
        assert result["path"] == str(tmp_path / f"储备地块{fmt}.{fmt}")
        assert (tmp_path / f"储备地块{fmt}.{fmt}").is_file()
        assert not (tmp_path / f"储备地块{fmt}").exists()


def test_parcels_in_two_zones_are_compared_in_the_majority_zone_and_it_is_said(ctx, tmp_path):
    """Two parcels in zone 26 (78.5°E) and one in zone 27 (81°E): compared and exported in zone 26."""
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt", parcels=PARCELS[:2]))
    far_east = shapely.box(500_000, N0, 500_100, N0 + 100)  # on zone 27's central meridian
    write_geojson(tmp_path / "b.geojson", {"KS-CB2026001": project(far_east, 4536, GEOGRAPHIC_EPSG)})
    assert service.import_boundaries(ctx, tmp_path / "b.geojson").zone.epsg == 4536
    report = checks.check_geometries(ctx)
    assert report.epsg == 4535
    assert "第26带 2 个、第27带 1 个" in report.zone_note and "第26带" in report.zone_note
    assert report.to_dict()["zone_note"] == report.zone_note
    exported = export.export_boundaries(ctx, "gpkg", tmp_path / "out.gpkg")
    assert exported["epsg"] == 4535 and exported["zone_note"] == report.zone_note
    single = export.export_boundaries(ctx, "geojson", tmp_path / "one.geojson")
    assert single["zone_note"] == report.zone_note


def test_a_layer_of_a_file_with_several_is_named_in_the_spec(ctx, tmp_path):
    service.import_boundaries(ctx, _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE}))
    planning = tmp_path / "国土空间规划.gpkg"
    for name, box in (("永久基本农田", (E0 - 50, N0 - 50, E0 + 30, N0 + 30)), ("城镇开发边界", (0, 0, 1, 1))):
        pyogrio.raw.write(
            planning,
            np.array([shapely.to_wkb(shapely.box(*box))], dtype=object),
            field_data=[],
            fields=[],
            geometry_type="Polygon",
            crs="EPSG:4535",
            driver="GPKG",
            layer=name,
            append=planning.exists(),
        )
    whole = checks.parse_layer_spec(f"{planning}:must_not_intersect")
    with pytest.raises(InputError, match="文件:图层名:规则"):
        checks.check_geometries(ctx, [whole])
    layer = checks.parse_layer_spec(f"{planning}:永久基本农田:不得占用")
    assert (layer.path, layer.layer, layer.label) == (planning, "永久基本农田", "永久基本农田")
    [result] = checks.check_geometries(ctx, [layer]).layers
    assert result.layer == "永久基本农田" and float(result.intersect_area_m2) == pytest.approx(900)
    with pytest.raises(InputError, match="不存在"):
        checks.parse_layer_spec(f"{tmp_path / 'none.gpkg'}:永久基本农田:不得占用")


def test_lonlat_measured_in_a_zone_that_does_not_hold_it_is_said(ctx, tmp_path):
    path = _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE})
    report = service.import_boundaries(ctx, path, zone=27)
    assert report.zone.epsg == 4536 and any("请改用 --zone 26" in n for n in report.notes)
    own = service.import_boundaries(ctx, path, zone=26)
    assert own.zone.epsg == 4535 and not any("--zone" in n for n in own.notes)


def test_a_parcel_taken_out_by_a_newer_plan_version_is_not_expected_to_have_a_boundary(ctx, tmp_path):
    add_plan_parcels(ctx.engine, [("BC-CB2026001", "1.0000公顷"), ("BC-CB2026005", "1.0000公顷")])
    with transaction(ctx.engine) as session:
        old = session.scalars(select(PlanVersionRow)).one()
        newer = PlanVersionRow(
            plan_id=old.plan_id, version=2, content_sha256="1" * 64, source_name="adjusted.txt",
            created_at=old.created_at,
        )  # fmt: skip
        session.add(newer)
        session.flush()
        session.add(
            PlanParcelRow(
                version_id=newer.id, seq=1, code="BC-CB2026001", code_as_written="BC-CB2026001",
                area_m2=Decimal(10000), area_text="1.0000公顷", line=1, text="BC-CB2026001",
            )
        )  # fmt: skip
    report = service.import_boundaries(ctx, _geojson(tmp_path / "a.geojson", {"BC-CB2026001": SQUARE}))
    assert report.parcels_without_geometry == [] and report.not_in_plans == []
    assert "geometry.missing_boundary" not in {f.code for f in checks.check_geometries(ctx).findings}
