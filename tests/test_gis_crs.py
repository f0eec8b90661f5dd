"""CGCS2000 zones: EPSG codes, zone by longitude, prefixed eastings, and refusal to guess."""

from __future__ import annotations

from decimal import Decimal

import pyproj
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from tests.gis_samples import E0, N0, PREFIX

from landreserve.errors import InputError
from landreserve.gis.crs import (
    CrsChoice,
    GaussKrugerZone,
    common_zone,
    epsg_of,
    parse_crs_option,
    resolve_crs,
    target_zone,
    transformer,
)
from landreserve.gis.measurement import area_in_zone, project

PLAIN = (E0, N0, E0 + 100, N0 + 100)
PREFIXED = (E0 + PREFIX, N0, E0 + PREFIX + 100, N0 + 100)
LONLAT = (78.5, 39.8, 78.501, 39.801)


@pytest.mark.parametrize("number", range(25, 46))
def test_zone_epsg_codes_agree_with_the_epsg_registry(number):
    plain, prefixed = GaussKrugerZone(number), GaussKrugerZone(number, prefixed=True)
    assert f"CM {3 * number}E" in pyproj.CRS.from_epsg(plain.epsg).name
    assert f"zone {number}" in pyproj.CRS.from_epsg(prefixed.epsg).name
    assert GaussKrugerZone.from_epsg(plain.epsg) == plain
    assert GaussKrugerZone.from_epsg(prefixed.epsg) == prefixed


@pytest.mark.parametrize(
    ("lon", "zone"), [(78.0, 26), (78.5, 26), (76.5, 26), (79.49, 26), (79.5, 27), (75.2, 25)]
)
def test_zone_for_longitude(lon, zone):
    assert GaussKrugerZone.for_longitude(lon).number == zone


@given(st.floats(min_value=73.5, max_value=136.4))
def test_longitude_lies_in_its_zone_band(lon):
    zone = GaussKrugerZone.for_longitude(lon)
    assert zone.central_meridian - 1.5 <= lon < zone.central_meridian + 1.5


def test_zone_numbers_outside_china_are_refused():
    with pytest.raises(InputError, match="不在中国范围"):
        GaussKrugerZone(13)


def test_prefixed_easting_is_recognised_as_epsg_4514():
    choice = resolve_crs([PREFIXED], source_name="a.shp")
    assert choice.epsg == 4514 and choice.source == "坐标推断"
    assert "前缀26" in choice.explanation


def test_lonlat_is_read_as_cgcs2000_geographic():
    assert resolve_crs([LONLAT], source_name="a.geojson").epsg == 4490


def test_plain_easting_without_declaration_is_not_guessed():
    with pytest.raises(InputError, match="--zone") as error:
        resolve_crs([PLAIN], source_name="a.shp")
    assert error.value.code == "crs.zone_unknown"


def test_user_zone_and_file_declaration_settle_plain_eastings():
    assert resolve_crs([PLAIN], source_name="a", user_zone=26).epsg == 4535
    assert resolve_crs([PLAIN], source_name="a", declared_epsg=4535).source == "文件声明"
    assert resolve_crs([PREFIXED], source_name="a", user_zone=26).epsg == 4514


def test_user_crs_that_contradicts_the_data_is_refused_with_the_right_code():
    with pytest.raises(InputError, match="应为 EPSG:4514"):
        resolve_crs([PREFIXED], source_name="a", user_epsg=4535)
    with pytest.raises(InputError, match="应为 EPSG:4535"):
        resolve_crs([PLAIN], source_name="a", user_epsg=4514)
    with pytest.raises(InputError, match="不符"):
        resolve_crs([PREFIXED], source_name="a", user_zone=27)


def test_declared_crs_other_than_cgcs2000_is_refused():
    with pytest.raises(InputError, match="不是 CGCS2000"):
        resolve_crs([PLAIN], source_name="a", declared_epsg=2383)  # Xian 1980 / 3-degree GK CM 78E


def test_mixed_kinds_of_coordinates_are_ambiguous():
    with pytest.raises(InputError, match="不一致"):
        resolve_crs([PREFIXED, LONLAT], source_name="a")


def test_features_with_swapped_axes_do_not_vote():
    swapped = (N0, E0 + PREFIX, N0 + 100, E0 + PREFIX + 100)
    assert resolve_crs([PREFIXED, swapped], source_name="a").epsg == 4514
    with pytest.raises(InputError, match="X/Y 颠倒"):
        resolve_crs([swapped], source_name="a")


def test_lonlat_data_gets_the_zone_of_its_longitude():
    choice = CrsChoice(4490, "坐标推断", "")
    assert target_zone(choice, (78.0, 39.7, 78.2, 39.9)).epsg == 4535
    assert target_zone(choice, (78.0, 39.7, 80.0, 39.9), user_zone=27).number == 27
    with pytest.raises(InputError, match="跨越两个3度带"):
        target_zone(choice, (79.0, 39.7, 80.0, 39.9))


@pytest.mark.parametrize(("text", "epsg"), [("EPSG:4535", 4535), ("4514", 4514), ("epsg：4490", 4490)])
def test_crs_option(text, epsg):
    assert parse_crs_option(text) == epsg


def test_crs_option_refuses_other_systems():
    with pytest.raises(InputError, match="EPSG:4535"):
        parse_crs_option("EPSG:3857")


def test_esri_wkt_without_epsg_code_is_recognised():
    wkt = pyproj.CRS.from_epsg(4514).to_wkt("WKT1_ESRI")
    assert epsg_of(wkt) == 4514
    assert epsg_of("EPSG:4535") == 4535
    assert epsg_of(None) is None


@given(st.floats(min_value=74.0, max_value=134.0), st.floats(min_value=20.0, max_value=50.0))
def test_anywhere_in_china_a_prefixed_square_tells_its_zone_and_keeps_its_area(lon, lat):
    zone = GaussKrugerZone.for_longitude(lon, prefixed=True)
    x, y = transformer(4490, zone.epsg).transform(lon, lat)
    square = shapely.box(x, y, x + 100, y + 100)
    assert resolve_crs([square.bounds], source_name="a").epsg == zone.epsg
    lonlat = project(square, zone.epsg, 4490)
    near_band_edge = lon % 3 > 1.49  # the 100 m square may reach into the next band
    assert near_band_edge or target_zone(CrsChoice(4490, "", ""), lonlat.bounds).number == zone.number
    assert abs(area_in_zone(lonlat, 4490, zone).m2 - Decimal(10000)) < Decimal("0.001")


@pytest.mark.parametrize(
    ("epsgs", "chosen", "said"),
    [
        ([4535, 4535], 4535, ""),
        ([4514, 4514], 4514, ""),
        ([4514, 4535], 4535, "有的东坐标带号前缀"),
        ([4535, 4536, 4536], 4536, "第26带 1 个、第27带 2 个；统一换算到地块最多的第27带"),
        ([4536, 4535], 4535, "并列时取带号小者"),
        ([4535, 4536], 4535, "并列时取带号小者"),
    ],
)
def test_common_zone_is_the_majority_zone_and_says_so(epsgs, chosen, said):
    common = common_zone(epsgs)
    assert common.zone.epsg == chosen
    assert (said in common.note) if said else common.note == ""
