"""Known areas: exact squares, holes, multipolygons, lon/lat input measured in the right zone."""

from __future__ import annotations

from decimal import Decimal

import pytest
import shapely
from tests.gis_samples import HOLED, MULTI, PREFIX, SQUARE

from landreserve.domain.findings import Severity
from landreserve.errors import InputError
from landreserve.gis.crs import GaussKrugerZone
from landreserve.gis.measurement import Area, area_in_zone, area_of, compare_declared, declared_text, project

#: stated tolerance of a 4535 → 4490 → 4535 round trip: coordinates move by < 1e-8 m, the area by < 1e-3 ㎡
ROUND_TRIP_TOLERANCE_M2 = Decimal("0.001")


def test_square_of_100_m_is_exactly_one_hectare_and_fifteen_mu():
    area = area_of(SQUARE, 4535)
    assert area.m2 == Decimal(10000)
    assert area.ha == Decimal(1)
    assert area.mu == Decimal(15)


def test_square_keeps_its_area_through_lonlat_and_back():
    lonlat = project(SQUARE, 4535, 4490)
    assert 78.4 < lonlat.bounds[0] < 78.6 and 39.7 < lonlat.bounds[1] < 39.9  # lon first, near Bachu
    back = project(lonlat, 4490, 4535)
    assert abs(area_of(back, 4535).m2 - Decimal(10000)) < ROUND_TRIP_TOLERANCE_M2


def test_lonlat_parcel_is_measured_in_zone_26_and_the_zone_matters():
    lonlat = project(SQUARE, 4535, 4490)
    zone = GaussKrugerZone.for_longitude(lonlat.centroid.x)
    assert zone.number == 26 and zone.epsg == 4535
    assert abs(area_in_zone(lonlat, 4490, zone).m2 - Decimal(10000)) < ROUND_TRIP_TOLERANCE_M2
    wrong = area_in_zone(lonlat, 4490, GaussKrugerZone(27))
    assert wrong.m2 - Decimal(10000) > Decimal(5)  # 2.5° off the central meridian: scale error ~0.1 %


def test_prefixed_and_plain_eastings_give_the_same_area():
    prefixed = project(SQUARE, 4535, 4514)
    assert prefixed.bounds[0] == SQUARE.bounds[0] + PREFIX
    assert area_of(prefixed, 4514).m2 == Decimal(10000)
    assert project(prefixed, 4514, 4535).equals_exact(SQUARE, 0)


def test_hole_and_parts():
    assert area_of(HOLED, 4535).m2 == Decimal(37500)
    assert area_of(MULTI, 4535).m2 == Decimal(10000)


def test_area_is_exact_where_floats_are_not():
    thin = shapely.Polygon([(542800.1, 4406000.1), (542800.3, 4406000.1), (542800.3, 4406000.2)])
    exact = (Decimal(542800.3) - Decimal(542800.1)) * (Decimal(4406000.2) - Decimal(4406000.1)) / 2
    assert area_of(thin, 4535).m2 == exact.quantize(Decimal("0.000001"))


def test_area_needs_a_projected_zone():
    with pytest.raises(InputError, match="3度带"):
        area_of(project(SQUARE, 4535, 4490), 4490)


@pytest.mark.parametrize(
    ("declared", "unit", "mismatch"),
    [
        ("1.0000", "公顷", False),
        ("1.0", "公顷", False),
        ("0.99", "公顷", False),
        ("15", "亩", False),
        ("1.05", "公顷", True),
        ("0.9800", "公顷", True),
        ("10300", "㎡", True),
    ],
)
def test_declared_area_is_compared_with_its_rounding_interval_and_the_tolerance(declared, unit, mismatch):
    finding = compare_declared(
        "BC-CB2026001", Area(Decimal(10000)), declared, unit, Decimal("0.01"), "界址点文件"
    )
    assert (finding is not None) is mismatch
    if finding:
        assert finding.code == "geometry.area_mismatch" and finding.severity is Severity.ERROR
        assert "BC-CB2026001" in finding.message and declared in finding.message


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("4.0254公顷", ("4.0254", "公顷")),
        ("1.0000", ("1.0000", "公顷")),
        ("713.63 亩", ("713.63", "亩")),
        ("abc", None),
        ("", None),
        ("12元", None),
    ],
)
def test_declared_area_text(text, parsed):
    assert declared_text(text) == parsed
