"""The boundary-point exchange format: hand-written golden files read, written back, read again."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.gis_samples import E0, N0, PARCELS, PREFIX, boundary_text, rings_as_written, write_boundary_file

from landreserve.errors import InputError
from landreserve.gis.boundary_points import read_boundary_points, write_boundary_points
from landreserve.gis.crs import GaussKrugerZone
from landreserve.gis.features import Feature
from landreserve.gis.validity import check_feature


def _rings(feature_set) -> list[list[list[tuple[float, float]]]]:
    return [rings_as_written(f.geometry) for f in feature_set.features]


def _expected(prefixed: bool = True) -> list[list[list[tuple[float, float]]]]:
    shift = PREFIX if prefixed else 0.0
    return [[[(x + shift, y) for x, y in ring] for ring in rings_as_written(g)] for *_, g in PARCELS]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("closed", [True, False])
def test_multi_parcel_file_with_hole_and_parts_is_read(tmp_path, encoding, closed):
    path = write_boundary_file(tmp_path / "界址点.txt", encoding=encoding, closed=closed)
    result = read_boundary_points(path)
    assert result.declared_epsg == 4514
    assert [f.attributes["地块编号"] for f in result.features] == [p[0] for p in PARCELS]
    assert result.features[0].attributes["地块名称"] == "巴楚镇城北地块"
    assert result.features[1].attributes["面积(公顷)"] == "3.7500"
    assert _rings(result) == _expected()
    assert (
        result.features[1].geometry.geom_type == "Polygon" and len(result.features[1].geometry.interiors) == 1
    )
    assert result.features[2].geometry.geom_type == "MultiPolygon"
    assert result.features[0].place == "第11行"
    assert not result.notes


@pytest.mark.parametrize("closed", [True, False])
@pytest.mark.parametrize("prefixed", [True, False])
def test_read_write_read_gives_the_same_rings(tmp_path, closed, prefixed):
    first = read_boundary_points(write_boundary_file(tmp_path / "a.txt", closed=closed, prefixed=prefixed))
    out = tmp_path / "b.txt"
    write_boundary_points(out, first.features, zone=GaussKrugerZone(26, prefixed))
    second = read_boundary_points(out)
    assert _rings(second) == _rings(first) == _expected(prefixed)
    assert [f.attributes for f in second.features] == [f.attributes for f in first.features]
    assert second.declared_epsg == first.declared_epsg
    out.read_bytes().decode("gbk")  # written in GBK, as survey software expects


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 10**5), st.integers(1, 10**5)),
        min_size=1,
        max_size=4,
    )
)
def test_round_trip_keeps_millimetre_coordinates(tmp_path, boxes):
    features = [
        Feature(
            shapely.box(E0 + x / 1000, N0 + y / 1000, E0 + (x + w) / 1000, N0 + (y + h) / 1000),
            {"地块编号": f"BC-CB{2026000 + i}", "面积(公顷)": "1.0000"},
            "",
        )
        for i, (x, y, w, h) in enumerate(boxes)
    ]
    out = tmp_path / "p.txt"
    write_boundary_points(out, features, zone=GaussKrugerZone(26))
    back = read_boundary_points(out)
    assert [rings_as_written(f.geometry) for f in back.features] == [
        rings_as_written(f.geometry) for f in features
    ]


def test_undecodable_bytes_are_reported_with_their_line(tmp_path):
    data = boundary_text().encode("gbk").replace("巴楚镇城北地块".encode("gbk"), b"\xff\xfe\x80bad")
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match="第11行") as error:
        read_boundary_points(path)
    assert error.value.code == "boundary.encoding"


def test_point_count_disagreement_is_noted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        boundary_text().replace("5,1.0000,BC－CB2026001", "6,1.0000,BC－CB2026001"), encoding="gbk"
    )
    result = read_boundary_points(path)
    assert any("声明点数 6" in note and "BC－CB2026001" in note for note in result.notes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("坐标系=2000国家大地坐标系", "坐标系=1980西安坐标系"), "不是 CGCS2000"),
        (("几度分带=3", "几度分带=6"), "只支持3度带"),
        (("J1,1,4406000.000,", "J1,1,abc,"), "第12行：坐标“abc"),
        (("[地块坐标]\n", "[地块坐标]\nJ0,1,1,2\n"), "地块行"),
        (("J2,1,", "J2,"), "四项"),
    ],
)
def test_malformed_files_are_refused_with_the_place(tmp_path, change, message):
    path = tmp_path / "a.txt"
    path.write_text(boundary_text().replace(*change, 1), encoding="gbk")
    with pytest.raises(InputError, match=message):
        read_boundary_points(path)


def test_file_without_zone_declares_no_crs(tmp_path):
    result = read_boundary_points(write_boundary_file(tmp_path / "a.txt", zone=None, prefixed=False))
    assert result.declared_epsg is None


@pytest.mark.parametrize("prefixed", [True, False], ids=["prefixed", "plain"])
def test_x_as_easting_is_reported_as_swapped_axes(tmp_path, prefixed):
    """Also without zone prefix: the northing read as easting (4 406 000) is no zone-4 prefix."""
    result = read_boundary_points(write_boundary_file(tmp_path / "a.txt", swap=True, prefixed=prefixed))
    assert result.declared_epsg == (4514 if prefixed else 4535)
    problems = check_feature("BC-CB2026001", result.features[0], result.declared_epsg)
    assert [p.code for p in problems] == ["geometry.swapped_axes"]
    assert "X 是北坐标" in problems[0].message and "第1圈" in problems[0].message
    assert problems[0].line == 12 and "第12行" in problems[0].message  # the J1 line of the parcel


def test_problem_is_placed_by_the_file_s_own_ring_numbers_and_lines(tmp_path):
    """Shell 1, shell 2, then a bow-tie hole of shell 1: the file's 圈号 3 and its line are reported."""
    outer = [(E0, N0), (E0 + 100, N0), (E0 + 100, N0 + 100), (E0, N0 + 100)]
    other = [(E0 + 200, N0), (E0 + 300, N0), (E0 + 300, N0 + 100), (E0 + 200, N0 + 100)]
    bow = [(E0 + 20, N0 + 20), (E0 + 60, N0 + 60), (E0 + 60, N0 + 20), (E0 + 20, N0 + 60)]
    lines = ["[属性描述]", "带号=26", "[地块坐标]", "12,1.0,BC-CB2026001,,面,,,,@"]
    for number, ring in enumerate([outer, other, bow], start=1):
        lines += [f"J{k},{number},{y:.3f},{x + PREFIX:.3f}" for k, (x, y) in enumerate(ring, start=1)]
    path = tmp_path / "a.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    feature = read_boundary_points(path).features[0]
    (problem,) = check_feature("BC-CB2026001", feature, 4514)
    assert problem.code in ("geometry.self_intersection", "geometry.invalid")
    assert problem.ring == 3 and problem.line == 12 + problem.point  # ring 3 starts on line 13


def test_ring_of_two_points_is_too_few(tmp_path):
    text = (
        boundary_text()
        .replace("J2,1,4406100.000,26542900.000\n", "")
        .replace("J3,1,4406100.000,26542800.000\n", "")
    )
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="gbk")
    feature = read_boundary_points(path).features[0]
    problems = check_feature("BC-CB2026001", feature, 4514)
    assert problems[0].code == "geometry.too_few_points" and problems[0].ring == 1
    assert "只有 2 个不同的点" in problems[0].message
    assert [p.code for p in problems[1:]] == ["geometry.missing"]


def test_own_writer_output_is_a_well_formed_file(tmp_path: Path):
    first = read_boundary_points(write_boundary_file(tmp_path / "a.txt"))
    out = tmp_path / "b.txt"
    write_boundary_points(out, first.features, zone=GaussKrugerZone(26, True))
    lines = out.read_text(encoding="gbk").splitlines()
    assert lines[0] == "[属性描述]" and "带号=26" in lines and "[地块坐标]" in lines
    parcel = next(line for line in lines if line.endswith("@"))
    assert parcel.split(",")[0] == "5" and parcel.split(",")[2] == "BC－CB2026001"
    assert lines[lines.index(parcel) + 1] == "J1,1,4406000.000,26542900.000"


def test_eastings_prefixed_with_another_zone_than_the_band_are_named(tmp_path):
    text = boundary_text(PARCELS[:1]).replace(",2654", ",2554")  # 带号=26, eastings 25 542 800 …
    (tmp_path / "a.txt").write_text(text, encoding="gbk")
    result = read_boundary_points(tmp_path / "a.txt")
    problems = check_feature("BC-CB2026001", result.features[0], result.declared_epsg)
    assert [p.code for p in problems] == ["geometry.other_zone"]
    assert "带号前缀为 25" in problems[0].message and "第26带" in problems[0].message
