"""``landreserve geo`` as a user runs it, on both backends: exit codes, messages, JSON, files written."""

from __future__ import annotations

import json

import numpy as np
import pyogrio.raw
import pytest
import shapely
from tests.gis_samples import BOWTIE, E0, N0, PARCELS, boundary_text, write_boundary_file, write_geojson
from typer.testing import CliRunner

from landreserve.cli import app


@pytest.fixture
def run(engine):
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_USER": "王五", "COLUMNS": "200"})

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


def test_import_show_export(run, tmp_path):
    result = run("geo", "import", write_boundary_file(tmp_path / "界址点.txt"))
    assert result.exit_code == 0, result.output
    assert "EPSG:4514" in result.output and "BC－CB2026001" in result.output and "15.00" in result.output
    shown = run("geo", "show", "BC-CB2026002", "--json")
    detail = json.loads(shown.stdout)
    assert detail["area_m2"] == "37500.000000" and detail["history"][0]["imported_by"] == "王五"
    out = tmp_path / "导出" / "地块.shp"
    exported = run("geo", "export", "shp", out)
    assert exported.exit_code == 0 and "地块编号 → DKBH" in exported.output
    assert out.exists() and out.with_suffix(".cpg").exists()


def test_a_flatgeobuf_boundary_file_is_imported(run, tmp_path):
    path = tmp_path / "地块.fgb"
    wkb = [shapely.to_wkb(shapely.MultiPolygon(shapely.get_parts(p[5]))) for p in PARCELS]
    pyogrio.raw.write(path, np.array(wkb, dtype=object), [np.array([p[0] for p in PARCELS], dtype=object)],
                      ["地块编号"], driver="FlatGeobuf", geometry_type="MultiPolygon", crs="EPSG:4535")  # fmt: skip
    result = run("geo", "import", path)
    assert result.exit_code == 0, result.output
    assert "EPSG:4535" in result.output and "BC－CB2026001" in result.output
    detail = json.loads(run("geo", "show", "BC-CB2026002", "--json").stdout)
    assert detail["area_m2"] == "37500.000000"


def test_invalid_geometry_exits_1_with_reasons_and_writes_nothing(run, tmp_path):
    parcels = [("BC-CB2026009", "蝴蝶形地块", "住宅用地", "0701", "0.5000", BOWTIE)]
    (tmp_path / "a.txt").write_text(boundary_text(parcels), encoding="gbk")
    result = run("geo", "import", tmp_path / "a.txt")
    assert result.exit_code == 1
    assert "边界自相交" in result.output and "--repair" in result.output
    assert run("geo", "show", "BC-CB2026009").exit_code == 1
    assert run("geo", "import", tmp_path / "a.txt", "--repair").exit_code == 0


def test_unknown_zone_exits_2_asking_for_it(run, tmp_path):
    path = write_boundary_file(tmp_path / "a.txt", prefixed=False, zone=None)
    result = run("geo", "import", path, "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "crs.zone_unknown" and "--zone" in error["message"]
    assert run("geo", "import", path, "--zone", "26").exit_code == 0


def test_check_exits_1_on_overlap_and_lists_layer_results(run, tmp_path):
    overlapping = shapely.box(E0 + 50, N0 + 50, E0 + 150, N0 + 150)
    parcels = [*PARCELS[:1], ("BC-CB2026007", "重叠地块", "住宅用地", "0701", "1.0000", overlapping)]
    (tmp_path / "a.txt").write_text(boundary_text(parcels), encoding="gbk")
    assert run("geo", "import", tmp_path / "a.txt").exit_code == 0
    boundary = write_geojson(
        tmp_path / "城镇开发边界.geojson",
        {"": shapely.box(26e6 + E0 - 10, N0 - 10, 26e6 + E0 + 120, N0 + 120)},
        crs="urn:ogc:def:crs:EPSG::4514",
    )
    result = run("geo", "check", "--layer", f"{boundary}:must_lie_within", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [f["code"] for f in report["findings"] if f["code"] == "gis.overlap"] == ["gis.overlap"]
    within = {r["parcel"]: r for r in report["layers"]}
    assert within["BC-CB2026001"]["violates"] is False
    assert within["BC-CB2026007"]["violates"] is True and within["BC-CB2026007"]["share"].startswith("0.49")


def test_bad_layer_spec_exits_2(run):
    result = run("geo", "check", "--layer", "farmland.gpkg")
    assert result.exit_code == 2 and "文件:规则" in result.output


def test_check_and_export_say_when_parcels_lie_in_two_zones(run, tmp_path):
    assert run("geo", "import", write_boundary_file(tmp_path / "a.txt")).exit_code == 0
    east = shapely.box(500_000, N0, 500_100, N0 + 100)  # zone 27, no prefix
    write_geojson(tmp_path / "b.geojson", {"KS-CB2026001": east}, crs="urn:ogc:def:crs:EPSG::4536")
    assert run("geo", "import", tmp_path / "b.geojson").exit_code == 0
    checked = run("geo", "check")
    assert "EPSG:4514" not in checked.output.split("\n")[0] and "EPSG:4535" in checked.output
    assert "第26带 3 个、第27带 1 个" in checked.output and "统一换算到地块最多的第26带" in checked.output
    exported = run("geo", "export", "gpkg", tmp_path / "储备地块")
    assert exported.exit_code == 0 and "储备地块.gpkg" in exported.output and "第27带 1 个" in exported.output


def test_check_table_names_the_rule_in_chinese(run, tmp_path):
    assert run("geo", "import", write_boundary_file(tmp_path / "a.txt", parcels=PARCELS[:1])).exit_code == 0
    farmland = write_geojson(
        tmp_path / "永久基本农田.geojson",
        {"": shapely.box(26e6 + E0 - 10, N0 - 10, 26e6 + E0 + 10, N0 + 10)},
        crs="urn:ogc:def:crs:EPSG::4514",
    )
    result = run("geo", "check", "--layer", f"{farmland}:must_not_intersect")
    assert result.exit_code == 1 and "不得占用" in result.output and "100.00" in result.output


def test_a_layer_without_crs_needs_layer_crs(run, tmp_path):
    assert run("geo", "import", write_boundary_file(tmp_path / "a.txt", parcels=PARCELS[:1])).exit_code == 0
    farmland = tmp_path / "农田.shp"
    with pytest.warns(UserWarning, match="crs"):  # pyogrio warns of what this test wants: no .prj
        pyogrio.raw.write(
            farmland,
            np.array([shapely.to_wkb(shapely.box(E0 - 10, N0 - 10, E0 + 10, N0 + 10))], dtype=object),
            field_data=[],
            fields=[],
            geometry_type="Polygon",
            driver="ESRI Shapefile",
        )
    assert not farmland.with_suffix(".prj").exists()
    refused = run("geo", "check", "--layer", f"{farmland}:must_not_intersect")
    assert refused.exit_code == 2 and "--layer-crs" in refused.output
    result = run(
        "geo", "check", "--layer", f"{farmland}:must_not_intersect", "--layer-crs", "EPSG:4535", "--json"
    )
    assert result.exit_code == 1
    [row] = json.loads(result.stdout)["layers"]
    assert row["parcel"] == "BC-CB2026001" and float(row["intersect_area_m2"]) == pytest.approx(100)


def test_a_layer_without_index_is_indexed_once_and_says_so(run, tmp_path):
    assert run("geo", "import", write_boundary_file(tmp_path / "界址点.txt")).exit_code == 0
    farmland = write_geojson(
        tmp_path / "永久基本农田.geojson",
        {"": shapely.box(26e6 + E0 - 10, N0 - 10, 26e6 + E0 + 60, N0 + 60)},
        crs="urn:ogc:def:crs:EPSG::4514",
    )
    first = run("geo", "check", "--layer", f"{farmland}:must_not_intersect")
    second = run("geo", "check", "--layer", f"{farmland}:must_not_intersect", "--json")
    on_postgis = json.loads(second.stdout)["engine"] == "postgis"  # parcels on PostGIS: checked there
    done = "已一次性载入 PostGIS 并建立空间索引" if on_postgis else "没有空间索引，已一次性建立并缓存"
    assert done in first.output and "永久基本农田" in first.output
    assert json.loads(second.stdout)["index_seconds"] == {}  # found in the cache, not built again
    assert (
        json.loads(second.stdout)["layers"]
        == json.loads(run("geo", "check", "--layer", f"{farmland}:must_not_intersect", "--json").stdout)[
            "layers"
        ]
    )
    shown = run("geo", "index", farmland)  # the file's own cache: built by the file check only
    known = "已建立（用时" if on_postgis else "已存在且与文件一致"
    assert shown.exit_code == 0 and known in shown.output and "1 个要素" in shown.output


def test_geo_index_builds_ahead_and_knows_an_indexed_geopackage(run, tmp_path):
    layer = tmp_path / "农田.shp"
    pyogrio.raw.write(
        str(layer),
        shapely.to_wkb(np.array([shapely.box(E0, N0, E0 + 10, N0 + 10)])),
        [],
        [],
        driver="ESRI Shapefile",
        geometry_type="Polygon",
        crs="EPSG:4514",
    )
    built = run("geo", "index", layer)
    assert built.exit_code == 0 and "已建立（用时" in built.output
    gpkg = tmp_path / "农田.gpkg"
    pyogrio.raw.write(
        str(gpkg),
        shapely.to_wkb(np.array([shapely.box(E0, N0, E0 + 10, N0 + 10)])),
        [],
        [],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4514",
    )
    assert "自带空间索引" in run("geo", "index", gpkg).output
    assert run("geo", "index", tmp_path / "没有.shp").exit_code == 2
