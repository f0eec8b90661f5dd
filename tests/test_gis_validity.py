"""Invalid shapes and misplaced coordinates: each reported with reason and place; repair offered."""

from __future__ import annotations

import pytest
import shapely
from tests.gis_samples import BOWTIE, E0, HOLED, MULTI, N0, PREFIX, SQUARE

from landreserve.domain.findings import Severity
from landreserve.gis.features import Feature, RawRing
from landreserve.gis.measurement import area_of, project
from landreserve.gis.validity import check_feature, locate, placement_problems, repair, shape_problems


@pytest.mark.parametrize("shape", [SQUARE, HOLED, MULTI])
def test_valid_samples_have_no_problems(shape):
    assert check_feature("BC-1", Feature(shape, {}, ""), 4535) == []
    assert check_feature("BC-1", Feature(project(shape, 4535, 4514), {}, ""), 4514) == []
    assert check_feature("BC-1", Feature(project(shape, 4535, 4490), {}, ""), 4490) == []


def test_bow_tie_is_a_self_intersection_placed_at_its_crossing():
    (problem,) = shape_problems("BC-CB2026009", BOWTIE)
    assert problem.code == "geometry.self_intersection" and problem.repairable
    assert problem.coordinates == (E0 + 50, N0 + 1050)
    assert (problem.ring, problem.point) == (1, 1)  # the edge J1 → J2 crosses J3 → J4
    assert "地块 BC-CB2026009：边界自相交" in problem.message and "第1圈" in problem.message
    finding = problem.to_finding()
    assert finding.severity is Severity.ERROR and finding.values["x"] == f"{E0 + 50:.3f}"


def test_hole_outside_its_shell_is_placed_on_the_hole():
    shell = [(E0, N0), (E0 + 100, N0), (E0 + 100, N0 + 100), (E0, N0 + 100)]
    hole = [(E0 + 200, N0), (E0 + 210, N0), (E0 + 210, N0 + 10), (E0 + 200, N0 + 10)]
    (problem,) = shape_problems("BC-1", shapely.Polygon(shell, [hole]))
    assert problem.code == "geometry.hole_outside" and problem.ring == 2


def test_locate_names_the_vertex_when_the_location_is_one():
    assert locate(SQUARE, (E0, N0 + 100)) == (1, 3)
    assert locate(HOLED, (E0 + 400, N0 + 75)) == (2, 4)


def test_swapped_axes_in_a_projected_zone():
    swapped = shapely.box(N0, E0, N0 + 100, E0 + 100)
    (problem,) = placement_problems("BC-1", swapped, 4535)
    assert problem.code == "geometry.swapped_axes" and problem.coordinates[0] > 4_000_000


def test_swapped_plain_axes_under_a_prefixed_crs_are_swapped_axes_not_zone_4():
    swapped = shapely.box(N0, E0, N0 + 100, E0 + 100)  # plain eastings, but the file says EPSG:4514
    (problem,) = placement_problems("BC-1", swapped, 4514)
    assert problem.code == "geometry.swapped_axes" and "带号前缀为 4" not in problem.message


def test_a_real_foreign_zone_prefix_is_named():
    zone25 = shapely.box(25e6 + E0, N0, 25e6 + E0 + 100, N0 + 100)
    (problem,) = placement_problems("BC-1", zone25, 4514)
    assert problem.code == "geometry.other_zone" and "带号前缀为 25" in problem.message


def test_swapped_axes_in_lonlat():
    lonlat = project(SQUARE, 4535, 4490)
    latlon = shapely.transform(lonlat, lambda xy: xy[:, ::-1])
    (problem,) = placement_problems("BC-1", latlon, 4490)
    assert problem.code == "geometry.swapped_axes" and "纬度在前" in problem.message


def test_parcel_outside_china():
    paris = shapely.box(2.35, 48.85, 2.36, 48.86)
    (problem,) = placement_problems("BC-1", paris, 4490)
    assert problem.code == "geometry.outside_region" and "不在中国境内" in problem.message


def test_prefix_of_another_zone():
    other = project(SQUARE, 4535, 4514)
    other = shapely.transform(other, lambda xy: xy + [1_000_000, 0])  # prefix 27 in a zone-26 CRS
    (problem,) = placement_problems("BC-1", other, 4514)
    assert problem.code == "geometry.other_zone" and "前缀为 27" in problem.message


def test_lonlat_outside_the_declared_zone_band():
    far_east = shapely.box(E0 + 260_000, N0, E0 + 260_100, N0 + 100)  # ~81.5°E, in zone 27's band
    (problem,) = placement_problems("BC-1", far_east, 4535)
    assert problem.code == "geometry.other_zone" and "属于第27带" in problem.message


def test_region_xinjiang():
    assert placement_problems("BC-1", SQUARE, 4535, region="新疆") == []
    beijing = project(shapely.box(116.39, 39.9, 116.4, 39.91), 4490, 4490)
    (problem,) = placement_problems("BC-1", beijing, 4490, region="新疆")
    assert "不在新疆范围内" in problem.message


def test_unclosed_and_short_rings_as_written():
    ring = tuple(SQUARE.exterior.coords)[:-1]
    feature = Feature(
        SQUARE, {}, "", (RawRing(1, ring, must_close=True), RawRing(2, ring[:2], must_close=True))
    )
    codes = [p.code for p in check_feature("BC-1", feature, 4535)]
    assert codes == ["geometry.unclosed", "geometry.too_few_points"]


def test_not_a_polygon_and_missing():
    assert shape_problems("BC-1", shapely.LineString([(0, 0), (1, 1)]))[0].code == "geometry.not_polygon"
    assert shape_problems("BC-1", None)[0].code == "geometry.missing"


def test_repair_of_the_bow_tie_keeps_both_triangles():
    fixed = repair(BOWTIE)
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon" and len(fixed.geoms) == 2
    assert area_of(fixed, 4535).m2 == 5000


def test_repair_of_a_valid_prefixed_shape_changes_nothing():
    shape = project(SQUARE, 4535, 4514)
    assert repair(shape).equals(shape) and shape.bounds[0] == E0 + PREFIX
