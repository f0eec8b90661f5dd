"""geo check on SQLite and PostgreSQL: overlaps, farmland and other layers (as brute force), missing boundaries,
parcels in several zones."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

import numpy as np
import pyogrio.raw
import pytest
import shapely
from sqlalchemy import select
from tests.gis_samples import (
    E0,
    N0,
    PARCELS,
    SQUARE,
    add_plan_parcels,
    write_boundary_file,
    write_geojson,
)

from landreserve.errors import InputError
from landreserve.gis.constraints import Rule
from landreserve.gis.crs import GEOGRAPHIC_EPSG
from landreserve.gis.measurement import project
from landreserve.services import geometry as service
from landreserve.services import geometry_checks as checks
from landreserve.services import geometry_export as export
from landreserve.storage.db import transaction
from landreserve.storage.plan_tables import PlanParcelRow, PlanVersionRow


def _geojson(path, shapes: dict[str, object], epsg=GEOGRAPHIC_EPSG):
    """``shapes`` (EPSG:4535) written as GeoJSON in ``epsg`` (lon/lat by default)."""
    return write_geojson(path, {code: project(shape, 4535, epsg) for code, shape in shapes.items()})


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
