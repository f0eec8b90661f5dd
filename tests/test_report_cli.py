"""``landreserve report …`` as a user runs it: files written (atomically) in the formats that fit, a
format that does not fit refused in Chinese (exit code 2), the same data giving the same Excel bytes."""

from __future__ import annotations

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.domain.actors import Actor
from landreserve.services import demo
from landreserve.services.context import Context


@pytest.fixture
def run(engine, bachu_plan_path):
    demo.setup(Context(engine=engine, actor=Actor("测试", "reserve_center")), bachu_plan_path)
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_USER": "李四", "COLUMNS": "220"})
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_every_report_is_written(run, tmp_path, bachu_plan_path):
    files = {
        ("plan", "docx"): ["--texts", bachu_plan_path], ("plan", "pdf"): [], ("parcels", "xlsx"): [],
        ("parcels", "csv"): [], ("annual", "pdf"): ["--year", "2026"], ("annual", "docx"): [],
        ("disclosure", "geojson"): [], ("disclosure", "json"): [],
    }  # fmt: skip
    for (report, fmt), extra in files.items():
        out = tmp_path / f"{report}.{fmt}"
        result = run("report", report, 1, "-o", out, *extra)
        assert result.exit_code == 0, result.output
        assert "已写出" in result.output and out.stat().st_size > 0
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "plan.docx")).paragraphs)
    assert "本年度计划储备土地47.58公顷（713.63亩），共13宗。" in text and "锚定“工业强县”发展目标" in text
    assert openpyxl.load_workbook(tmp_path / "parcels.xlsx").sheetnames[0] == "储备地块清单"
    assert not list(tmp_path.glob(".landreserve-*"))  # no temporary file left behind


def test_a_format_that_does_not_fit_is_refused_in_chinese(run, tmp_path):
    result = run("report", "annual", 1, "--format", "xlsx", "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2
    assert "年度执行情况报告不能生成 xlsx 格式；可选格式：docx、pdf" in result.output
    assert not (tmp_path / "x.xlsx").exists()
    missing = run("report", "plan", 9, "-o", tmp_path / "p.pdf")
    assert missing.exit_code == 1 and "找不到储备计划" in missing.output


def test_same_data_same_excel_bytes_and_same_docx_text(run, tmp_path):
    for name in ("a", "b"):
        assert run("report", "parcels", 1, "-o", tmp_path / f"{name}.xlsx").exit_code == 0
        assert run("report", "plan", 1, "-o", tmp_path / f"{name}.docx").exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
