"""Damaged constraint-layer files, as a county gets them (cut short in a copy, a .prj edited by hand): the
check refuses each with the one ``gis.layer_unreadable`` message naming the file — never a traceback or a
"program error" (found by fuzzing: before, each of these reached the user as exit code 4 or as "check the
path and permissions")."""

from __future__ import annotations

import numpy as np
import pyogrio.raw
import pytest
import shapely
from tests.spatial_samples import clean_layer, random_shapes
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.errors import InputError
from landreserve.gis.constraints import layer_areas

CRS = "EPSG:4535"
PRJ = (
    'PROJCS["CGCS2000_3_Degree_GK_CM_78E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",'
    'DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],'
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",78.0],PARAMETER["Scale_Factor",1.0],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)


@pytest.fixture(scope="module")
def parcels():
    return np.array(random_shapes(np.random.default_rng(15), 5), dtype=object)


def _layer(path, driver: str):
    shapes = np.array(clean_layer(np.random.default_rng(16)), dtype=object)[:20]
    names = np.array([f"图斑{k}" for k in range(len(shapes))], dtype=object)
    pyogrio.raw.write(str(path), shapely.to_wkb(shapes), [names], ["名称"], driver=driver,
                      geometry_type="MultiPolygon", crs=CRS, promote_to_multi=True)  # fmt: skip
    return path


def _cut_fgb(folder):
    path = _layer(folder / "农田.fgb", "FlatGeobuf")
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 7 // 10])
    return path


def _prj(text: str):
    def make(folder):
        path = _layer(folder / "农田.shp", "ESRI Shapefile")
        path.with_suffix(".prj").write_text(text, encoding="ascii")
        return path

    return make


DAMAGES = {
    "FlatGeobuf cut short": (_cut_fgb, "OSError"),
    ".prj cut short": (_prj(PRJ[:120]), "坐标系"),
    ".prj with a broken node": (_prj(PRJ.replace('SPHEROID["CGCS2000",', 'SPHEROID["CGCS2000",]', 1)), "坐标系"),
    ".prj naming an unknown projection": (_prj(PRJ.replace("Gauss_Kruger", "Gauss_K")), "坐标系"),
}  # fmt: skip


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_layer_file_is_named_not_a_crash(damage, parcels, tmp_path):
    make, why = DAMAGES[damage]
    path = make(tmp_path)
    with pytest.raises(InputError) as error:
        layer_areas(parcels, path, CRS, cache_dir=tmp_path / "cache")
    assert error.value.code == "gis.layer_unreadable"
    assert str(path) in error.value.message and why in error.value.message


def test_geo_index_of_a_damaged_layer_exits_2_with_the_file_named(tmp_path):
    path = _cut_fgb(tmp_path)
    result = CliRunner().invoke(
        app, ["geo", "index", str(path)], env={"LANDRESERVE_CACHE_DIR": str(tmp_path / "c")}
    )
    assert result.exit_code == 2, result.output
    assert "农田.fgb" in result.output and "Traceback" not in result.output


def _gbk_under_a_utf8_cpg(folder, field: str = "名称"):
    """A layer written in GBK whose .cpg says UTF-8 (a .cpg copied from another file, or edited by hand)."""
    shapes = np.array(clean_layer(np.random.default_rng(16)), dtype=object)[:20]
    names = np.array(["ok"] * 7 + ["永久基本农田"] + ["ok"] * 12, dtype=object)
    path = folder / "农田.shp"
    pyogrio.raw.write(str(path), shapely.to_wkb(shapes), [names], [field], driver="ESRI Shapefile",
                      geometry_type="MultiPolygon", crs=CRS, promote_to_multi=True, encoding="GBK")  # fmt: skip
    path.with_suffix(".cpg").write_text("UTF-8", encoding="ascii")
    return path


@pytest.mark.parametrize(("field", "where"), [("名称", "的字段名"), ("MC", "第8个要素的字段“MC”")])
def test_a_cpg_saying_utf8_over_gbk_text_is_refused_naming_the_file_and_the_cpg(
    parcels, tmp_path, field, where
):
    """GBK text under a .cpg saying UTF-8: before, a Chinese field name gave "文字不是有效的编码" without
    naming the .cpg, and text in the values was never looked at (the check reads shapes only, GDAL decodes
    by the .cpg). Now refused with the bytes, their GBK reading and what to write in the .cpg; with the
    .cpg mended the same layer is checked (its cache is rebuilt: the .cpg is part of its key)."""
    path = _gbk_under_a_utf8_cpg(tmp_path, field)
    with pytest.raises(InputError) as error:
        layer_areas(parcels, path, CRS, cache_dir=tmp_path / "cache")
    message = error.value.message
    assert "农田.shp" in message and "农田.cpg" in message and where in message, message
    assert "UTF-8" in message and "GBK" in message and ("永久基本农田" in message or "名称" in message)
    assert error.value.code in ("gis.layer_unreadable", "shapefile.encoding")
    path.with_suffix(".cpg").write_text("GBK", encoding="ascii")
    mended = layer_areas(parcels, path, CRS, cache_dir=tmp_path / "cache")
    assert len(mended.intersect_m2) == len(parcels)


def test_a_gbk_layer_without_cpg_and_a_utf8_one_are_checked(parcels, tmp_path):
    path = _gbk_under_a_utf8_cpg(tmp_path, "MC")
    path.with_suffix(".cpg").unlink()  # no .cpg: nothing declared, the shapes are checked
    assert len(layer_areas(parcels, path, CRS, cache_dir=tmp_path / "c1").intersect_m2) == len(parcels)
    (tmp_path / "u").mkdir()
    utf8 = _layer(tmp_path / "u" / "农田.shp", "ESRI Shapefile")  # GDAL writes UTF-8 with its .cpg
    assert len(layer_areas(parcels, utf8, CRS, cache_dir=tmp_path / "c2").intersect_m2) == len(parcels)
