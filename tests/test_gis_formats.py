"""Shapefile, GeoPackage, GeoJSON and DXF: golden files made here, Chinese attributes, strict encodings."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely
from tests.gis_samples import BOWTIE, PARCELS, SQUARE, attributes, dxf_bytes

from landreserve.errors import InputError
from landreserve.gis.crs import GEOGRAPHIC_EPSG
from landreserve.gis.features import Feature
from landreserve.gis.formats import SHAPEFILE_FIELDS, read_features, shapefile_field_names, write_features
from landreserve.gis.matching import match_features
from landreserve.gis.measurement import area_of, project
from landreserve.gis.validity import check_feature

NAMES = ["地块编号", "地块名称", "用途"]
VALUES = [[p[0] for p in PARCELS], [p[1] for p in PARCELS], [p[2] for p in PARCELS]]
GEOMETRIES = [p[5] for p in PARCELS]
#: GDAL warns (in bytes it cannot decode) when it cuts a UTF-8 field name at 10 bytes
pytestmark = [
    pytest.mark.filterwarnings("ignore:Could not decode error message:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:One or several characters couldn't be converted:RuntimeWarning"),
]


def _golden(path, driver="ESRI Shapefile", encoding=None, values=VALUES, names=NAMES):
    wkb = np.array(
        [shapely.to_wkb(shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g) for g in GEOMETRIES]
    )
    kwargs = {"encoding": encoding} if encoding else {}
    pyogrio.raw.write(
        path,
        wkb,
        field_data=[np.array(v, dtype=object) for v in values],
        fields=names,
        geometry_type="MultiPolygon",
        crs="EPSG:4535",
        driver=driver,
        **kwargs,
    )
    return path


def _same_shapes(features, tolerance=None):
    """Same rings exactly, or (with ``tolerance`` in metres) every vertex within it and the same area."""
    for feature, expected in zip(features, GEOMETRIES, strict=True):
        got = shapely.MultiPolygon(shapely.get_parts(feature.geometry))
        want = shapely.MultiPolygon(shapely.get_parts(expected))
        if tolerance is None:
            assert shapely.equals_exact(shapely.normalize(got), shapely.normalize(want), 0)
        else:
            assert shapely.hausdorff_distance(got, want) <= tolerance
            # each vertex moves by at most ~0.1 mm (9 decimals of a degree): area within perimeter × 0.1 mm
            assert got.area == pytest.approx(want.area, abs=want.length * 1e-4)


@pytest.mark.parametrize("encoding", ["GBK", "UTF-8"])
def test_shapefile_with_cpg_is_decoded_as_it_says(tmp_path, encoding):
    names = ["编号", "名称", "用途"]
    path = _golden(tmp_path / "地块.shp", encoding=encoding, names=names)
    assert path.with_suffix(".cpg").read_text().strip() == encoding
    result = read_features(path)
    assert result.fields == names and result.declared_epsg == 4535
    assert [f.attributes["名称"] for f in result.features] == VALUES[1]
    _same_shapes(result.features)


def test_field_name_cut_inside_a_character_keeps_whole_characters_and_says_so(tmp_path):
    path = _golden(tmp_path / "a.shp", encoding="UTF-8", names=["地块编号", "名称", "用途"])
    result = read_features(path)
    assert result.fields == ["地块编", "名称", "用途"]  # GDAL cut 地块编号 (12 bytes) at 10 bytes
    assert any("截断" in note for note in result.notes)


def test_shapefile_without_cpg_is_read_as_gbk(tmp_path):
    path = _golden(tmp_path / "a.shp", encoding="GBK")
    path.with_suffix(".cpg").unlink()
    result = read_features(path)
    assert result.encoding == "gbk"
    assert [f.attributes["地块编号"] for f in result.features] == VALUES[0]
    assert [f.attributes["用途"] for f in result.features] == VALUES[2]
    assert any("没有 .cpg" in note and "GBK" in note for note in result.notes)


def test_utf8_shapefile_without_cpg_is_not_garbled(tmp_path):
    path = _golden(tmp_path / "a.shp", encoding="UTF-8", names=["编号", "名称", "用途"])
    path.with_suffix(".cpg").unlink()
    result = read_features(path)
    assert [f.attributes["名称"] for f in result.features] == VALUES[1]
    assert any("UTF-8" in note for note in result.notes)


def test_shapefile_whose_text_is_not_gbk_is_reported_not_garbled(tmp_path):
    bad = [VALUES[0], ["ok", "\xff\xfe\x80", "ok"], ["ok"] * 3]
    path = _golden(tmp_path / "a.shp", encoding="latin1", values=bad, names=["CODE", "NAME", "USE"])
    path.with_suffix(".cpg").unlink(missing_ok=True)
    with pytest.raises(InputError, match="第2个要素的字段“NAME”") as error:
        read_features(path)
    assert "ff fe 80" in error.value.message and error.value.code == "shapefile.encoding"


@pytest.mark.parametrize("names", [NAMES, ["CODE", "NAME", "USE"]])
def test_shapefile_with_a_utf8_cpg_over_gbk_text_is_refused_naming_the_cpg(tmp_path, names):
    """GBK attributes under a .cpg saying UTF-8: refused (never mojibake), the .cpg named with the bytes'
    GBK reading and what to write in it; nothing imported."""
    path = _golden(tmp_path / "地块.shp", encoding="GBK", names=names)
    path.with_suffix(".cpg").write_text("UTF-8")
    with pytest.raises(InputError) as error:
        read_features(path)
    message = error.value.message
    assert error.value.code == "shapefile.encoding" and "地块.shp" in message and "地块.cpg" in message
    assert "声明的 UTF-8" in message and "按 GBK 读作" in message and "改为 GBK" in message, message
    path.with_suffix(".cpg").write_text("GBK")
    assert [f.attributes[names[1]] for f in read_features(path).features] == VALUES[1]


def test_shapefile_with_unknown_cpg_is_refused(tmp_path):
    path = _golden(tmp_path / "a.shp", encoding="GBK")
    path.with_suffix(".cpg").write_text("KLINGON")
    with pytest.raises(InputError, match="KLINGON"):
        read_features(path)


def test_geopackage_golden_file_with_chinese_fields(tmp_path):
    result = read_features(_golden(tmp_path / "地块.gpkg", driver="GPKG"))
    assert result.declared_epsg == 4535
    assert [f.attributes["地块名称"] for f in result.features] == VALUES[1]
    _same_shapes(result.features)


def test_flatgeobuf_golden_file_with_chinese_fields(tmp_path):
    """A FlatGeobuf is read as a boundary file by the GeoPackage's reading path (it was refused by suffix)."""
    result = read_features(_golden(tmp_path / "地块.fgb", driver="FlatGeobuf"))
    assert result.declared_epsg == 4535 and result.encoding == "utf-8" and result.fields == NAMES
    order = {code: i for i, code in enumerate(VALUES[0])}  # its spatial index stores them in Hilbert order
    features = sorted(result.features, key=lambda f: order[f.attributes["地块编号"]])
    assert [f.attributes["地块名称"] for f in features] == VALUES[1]
    _same_shapes(features)


@pytest.mark.parametrize("cut", [0.02, 0.5, 0.97])
def test_a_flatgeobuf_cut_short_is_refused_naming_the_file(tmp_path, cut):
    path = _golden(tmp_path / "地块.fgb", driver="FlatGeobuf")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    try:
        result = read_features(path)
    except InputError as error:
        assert "地块.fgb" in error.message and error.code in ("input.unreadable", "input.no_polygons")
    else:  # GDAL may read the features before the cut: then every feature read is whole
        assert len(result.features) <= len(PARCELS)


def test_geojson_golden_file_in_lonlat(tmp_path):
    lonlat = project(SQUARE, 4535, GEOGRAPHIC_EPSG)
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"地块编号": "BC-CB2026001", "地块名称": "巴楚镇城北地块"},
                "geometry": shapely.geometry.mapping(lonlat),
            }
        ],
    }
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = read_features(path)
    assert result.declared_epsg is None and result.features[0].attributes["地块名称"] == "巴楚镇城北地块"
    assert result.features[0].geometry.equals(lonlat)


def _features() -> list[Feature]:
    return [Feature(g, {**attributes(*p[:5]), "计算面积_公顷": area_of(g, 4535).ha}, "") for *p, g in PARCELS]


@pytest.mark.parametrize("fmt", ["shp", "gpkg", "geojson", "txt"])
def test_every_format_round_trips_geometry_and_chinese_attributes(tmp_path, fmt):
    out = tmp_path / f"导出.{fmt}"
    mapping = write_features(out, fmt, _features(), 4535)
    back = read_features(out)
    for original, read in zip(_features(), back.features, strict=True):
        for name in ("地块编号", "地块名称", "用途", "地类编码"):
            assert read.attributes[mapping[name]] == original.attributes[name]
    if fmt == "geojson":
        assert back.declared_epsg is None
        _same_shapes(
            [Feature(project(f.geometry, GEOGRAPHIC_EPSG, 4535), {}, "") for f in back.features], 1e-3
        )
    else:
        assert back.declared_epsg == 4535
        _same_shapes(back.features)


def test_shapefile_is_written_in_gbk_with_the_documented_short_names(tmp_path):
    out = tmp_path / "a.shp"
    mapping = write_features(out, "shp", _features(), 4535)
    assert out.with_suffix(".cpg").read_text().strip().upper() == "GBK"
    assert mapping["地块编号"] == SHAPEFILE_FIELDS["地块编号"] == "DKBH"
    assert all(len(name.encode("gbk")) <= 10 for name in mapping.values())
    dbf = out.with_suffix(".dbf").read_bytes()
    assert "巴楚镇城北地块".encode("gbk") in dbf
    assert pyogrio.read_info(out)["fields"].tolist() == list(mapping.values())
    assert float(read_features(out).features[0].attributes["JSMJ_HA"]) == 1.0


def test_long_names_are_cut_to_ten_gbk_bytes_and_kept_unique():
    mapping = shapefile_field_names(["土地储备地块备注一", "土地储备地块备注二", "地块编号"])
    assert len(set(mapping.values())) == 3
    assert all(len(v.encode("gbk")) <= 10 for v in mapping.values())


def test_text_gbk_cannot_hold_is_refused_for_shapefiles(tmp_path):
    features = [Feature(SQUARE, {"地块名称": "巴楚😀"}, "")]
    with pytest.raises(InputError, match="GBK 无法表示"):
        write_features(tmp_path / "a.shp", "shp", features, 4535)
    write_features(tmp_path / "a.gpkg", "gpkg", features, 4535)  # GeoPackage is UTF-8: fine


def test_geojson_is_rfc7946(tmp_path):
    out = tmp_path / "a.geojson"
    write_features(out, "geojson", _features(), 4535)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in document
    ring = document["features"][0]["geometry"]["coordinates"][0]
    lon, lat = ring[0]
    assert 78 < lon < 79 and 39 < lat < 40  # longitude first
    assert shapely.LinearRing(ring).is_ccw  # shells counter-clockwise
    holes = document["features"][1]["geometry"]["coordinates"][1]
    assert not shapely.LinearRing(holes).is_ccw
    assert document["features"][0]["properties"]["地块名称"] == "巴楚镇城北地块"


def test_unclosed_geojson_ring_is_reported(tmp_path):
    ring = list(project(SQUARE, 4535, GEOGRAPHIC_EPSG).exterior.coords)[:-1]
    document = {
        "type": "Feature",
        "properties": {"地块编号": "BC-1"},
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
    }
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(document))
    feature = read_features(path).features[0]
    problems = check_feature("BC-1", feature, GEOGRAPHIC_EPSG)
    assert [p.code for p in problems] == ["geometry.unclosed"]
    assert "第1圈未闭合" in problems[0].message and problems[0].repairable


def test_dxf_polygons_are_matched_by_the_texts_inside(tmp_path):
    path = tmp_path / "a.dxf"
    path.write_bytes(
        dxf_bytes(
            [
                (
                    SQUARE,
                    [
                        (SQUARE.centroid.x, SQUARE.centroid.y, "BC－CB2026001"),
                        (SQUARE.bounds[0] + 5, SQUARE.bounds[1] + 5, "巴楚镇城北地块"),
                    ],
                ),
                (BOWTIE.envelope, []),
            ]
        )
    )
    result = read_features(path)
    assert len(result.features) == 2
    assert result.features[0].attributes["Text"] == ["BC－CB2026001", "巴楚镇城北地块"]
    assert result.features[0].geometry.area == pytest.approx(10000)
    matching = match_features(result.features, "Text")
    assert list(matching.matched) == ["BC-CB2026001"]
    assert [u.reason for u in matching.unmatched_features] == ["图形内的文字（无）中没有地块编号"]


def test_unknown_suffix_and_missing_file(tmp_path):
    (tmp_path / "a.kml").write_text("x")
    with pytest.raises(InputError, match="不支持的文件类型"):
        read_features(tmp_path / "a.kml")
    with pytest.raises(InputError, match="文件不存在"):
        read_features(tmp_path / "none.shp")


def test_decimal_areas_are_written_as_numbers(tmp_path):
    out = tmp_path / "a.gpkg"
    write_features(out, "gpkg", [Feature(SQUARE, {"计算面积_公顷": Decimal("1.000000")}, "")], 4535)
    assert read_features(out).features[0].attributes["计算面积_公顷"] == 1.0
