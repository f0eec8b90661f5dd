"""Mutated valid inputs (hypothesis, bounded and derandomized so they cannot flake): a constraint layer, a
Word plan and a project-record workbook, cut short, with bytes overwritten or NUL injected. Each is either
read or refused with the project's ``InputError`` — never another exception (the fuzzing that found the
crashes fixed with ``gis.layer_errors``, ``importers.docx_body.PACKAGE_DAMAGE`` and ``fund_records``)."""

from __future__ import annotations

import io
import zipfile

import docx
import numpy as np
import pyogrio.raw
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.spatial_samples import clean_layer, random_shapes

from landreserve.errors import InputError
from landreserve.gis.constraints import layer_areas
from landreserve.importers import read_plan_bytes
from landreserve.importers.fund_records import read_record

BOUNDED = settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
#: (offset as a share of the length, what happens there)
DAMAGE = st.tuples(
    st.floats(0, 1),
    st.sampled_from(["cut", "ff", "zero", "nul"]) | st.binary(min_size=1, max_size=8),
)


def damaged(data: bytes, damage) -> bytes:
    share, what = damage
    at = min(len(data) - 1, int(share * len(data)))
    if what == "cut":
        return data[:at]
    if what == "nul":
        return data[:at] + b"\x00" + data[at:]
    patch = {"ff": b"\xff" * 8, "zero": b"\x00" * 8}.get(what, what) if isinstance(what, str) else what
    return data[:at] + patch + data[at + len(patch) :]


@pytest.fixture(scope="module")
def layer_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layers")
    shapes = np.array(clean_layer(np.random.default_rng(16)), dtype=object)[:10]
    files = {}
    for suffix, driver in ((".fgb", "FlatGeobuf"), (".geojson", "GeoJSON"), (".shp", "ESRI Shapefile")):
        path = folder / f"农田{suffix}"
        pyogrio.raw.write(str(path), shapely.to_wkb(shapes), [np.array(["图斑"] * len(shapes), dtype=object)],
                          ["名称"], driver=driver, geometry_type="MultiPolygon", crs="EPSG:4535",
                          promote_to_multi=True)  # fmt: skip
        files[suffix] = path
    return files


@BOUNDED
@given(st.sampled_from([".fgb", ".geojson", ".shp", ".prj", ".dbf", ".shx"]), DAMAGE)
def test_a_mutated_layer_file_is_checked_or_refused_as_input(layer_files, tmp_path_factory, part, damage):
    folder = tmp_path_factory.mktemp("case")
    main = layer_files[part] if part in layer_files else layer_files[".shp"]
    for source in main.parent.glob(f"{main.stem}.*"):
        if source.suffix == main.suffix or main.suffix == ".shp" and source.suffix != ".fgb":
            data = source.read_bytes()
            (folder / source.name).write_bytes(damaged(data, damage) if source.suffix == part else data)
    parcels = np.array(random_shapes(np.random.default_rng(15), 3), dtype=object)
    try:
        layer_areas(parcels, folder / main.name, "EPSG:4535", cache_dir=folder / "cache", workers=1)
    except InputError as error:
        assert main.name in error.message or "图层" in error.message


def _plan_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("某县2026年度土地储备计划")
    document.add_paragraph("计划储备土地3宗，面积合计4.00公顷。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["编号", "坐落", "面积（公顷）"], ["X1", "城东", "1.50"], ["X2", "城西", "2.50"]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PLAN_DOCX = _plan_docx()


@BOUNDED
@given(DAMAGE)
def test_a_mutated_word_plan_is_read_or_refused_as_input(damage):
    try:
        read_plan_bytes(damaged(PLAN_DOCX, damage), "计划.docx")
    except InputError as error:
        assert error.code.startswith("plan.") and "计划.docx" in error.message


def _record_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in [
        ["类型", "名称", "金额"],
        ["项目", "XM-1", ""],
        ["总投资", "", "1000万元"],
        ["覆盖倍数", "", "2.5"],
    ]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


RECORD_XLSX = _record_xlsx()


@BOUNDED
@given(st.sampled_from(zipfile.ZipFile(io.BytesIO(RECORD_XLSX)).namelist()), DAMAGE)
def test_a_mutated_record_workbook_is_read_or_refused_as_input(tmp_path_factory, part, damage):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(RECORD_XLSX)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, damaged(data, damage) if name == part else data)
    path = tmp_path_factory.mktemp("record") / "记录.xlsx"
    path.write_bytes(damaged(buffer.getvalue(), damage) if damage[1] == "nul" else buffer.getvalue())
    try:
        read_record(path)
    except InputError as error:
        assert "记录.xlsx" in error.message
