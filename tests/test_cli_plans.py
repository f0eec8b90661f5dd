"""The plan commands as a user runs them, on SQLite and PostgreSQL: exit codes 0/1/2, the stable JSON, nothing
stored for bad input."""

from __future__ import annotations

import json
import subprocess

import pytest
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.services import plans as service
from landreserve.storage import plan_tables
from landreserve.storage.db import make_engine, transaction

#: a small plan whose figures hold together (parcels add up to the total, ha and 亩 agree, shares match)
CONSISTENT_PLAN = """示例县2026年土地储备计划
一、计划指标
（一）年度储备规模
本年度计划储备土地3.00公顷（45.00亩）。
（二）年度土地储备结构
示例县土地储备总量中商服用地1.00公顷，占计划储备土地面积的33.33%；住宅用地2.00公顷，占计划储备土地面积的66.67%。
（三）储备地块明细
1.地块编号：SL-CB2026001，土地坐落：示例县人民路北侧、团结路东侧，面积：1.0000公顷；
2.地块编号：SL-CB2026002，土地坐落：示例县幸福路南侧、和平路西侧，面积：2.0000公顷。
"""


@pytest.fixture
def db_url(engine) -> str:
    """The test database (SQLite file or PostgreSQL, see ``conftest.engine``), as the CLI gets it."""
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def run(db_url):
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": db_url, "LANDRESERVE_USER": "李四", "COLUMNS": "200"})

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


def stored_rows(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        with transaction(engine) as session:
            return plan_tables.table_row_counts(session)
    finally:
        engine.dispose()


def bad_inputs(tmp_path, bachu_plan_path) -> dict[str, object]:
    text = bachu_plan_path.read_text(encoding="utf-8")
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 64,
        "utf16.txt": text.encode("utf-16-le"),
        "not-a-zip.docx": text.encode("utf-8"),
    }
    paths = {}
    for name, content in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(content)
    huge = tmp_path / "huge.txt"
    subprocess.run(["truncate", "-s", "200M", str(huge)], check=True)
    paths["huge.txt"] = huge
    return paths


BAD = ["empty.txt", "binary.txt", "utf16.txt", "not-a-zip.docx", "huge.txt"]


@pytest.mark.parametrize("name", BAD)
def test_unreadable_files_exit_2_with_a_message_naming_the_file(run, db_url, tmp_path, bachu_plan_path, name):
    path = bad_inputs(tmp_path, bachu_plan_path)[name]
    audited = run("audit", path)
    assert audited.exit_code == 2, audited.output
    assert name in audited.output and "错误" in audited.output
    imported = run("import", path)
    assert imported.exit_code == 2, imported.output
    assert name in imported.output
    assert set(stored_rows(db_url).values()) == {0}


@pytest.mark.parametrize("name", BAD)
def test_unreadable_files_give_the_one_json_error_shape(run, tmp_path, bachu_plan_path, name):
    result = run("audit", bad_inputs(tmp_path, bachu_plan_path)[name], "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert set(data) == {"error"} and set(data["error"]) == {"code", "message", "details"}
    assert name in data["error"]["message"]


def test_audit_json_parses_and_has_exactly_the_stable_keys(run, bachu_plan_path):
    result = run("audit", bachu_plan_path, "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"document", "figures", "parcels", "findings"}
    assert set(data["document"]) == {"title", "jurisdiction", "year", "kind"}
    figure_keys = {"label", "value", "unit", "quantity", "base_value", "qualifier", "line", "text"}
    assert data["figures"] and all(set(f) == figure_keys for f in data["figures"])
    assert all(f["quantity"] in {"area", "money", "share", "count"} for f in data["figures"])
    parcel_keys = {"code", "location", "area_m2", "use", "line"}
    assert len(data["parcels"]) == 13 and all(set(p) == parcel_keys for p in data["parcels"])
    assert all(set(f) == {"code", "severity", "message", "lines", "values"} for f in data["findings"])
    assert all(f["severity"] in {"error", "warning", "info"} for f in data["findings"])
    assert data == json.loads(json.dumps(service.report_json(service.audit_file(bachu_plan_path))))


def test_audit_exit_code_says_whether_there_are_error_findings(run, bachu_plan_path):
    result = run("audit", bachu_plan_path, "--json")
    has_errors = any(f["severity"] == "error" for f in json.loads(result.stdout)["findings"])
    assert result.exit_code == (1 if has_errors else 0)
    assert run("audit", bachu_plan_path).exit_code == result.exit_code


def test_audit_of_a_consistent_plan_exits_0(run, tmp_path):
    path = tmp_path / "consistent.txt"
    path.write_text(CONSISTENT_PLAN, encoding="utf-8")
    result = run("audit", path, "--json")
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    assert result.exit_code == 0
    assert len(data["parcels"]) == 2


def test_audit_of_a_broken_total_exits_1(run, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_text(CONSISTENT_PLAN.replace("面积：2.0000公顷", "面积：2.5000公顷"), encoding="utf-8")
    result = run("audit", path)
    assert result.exit_code == 1, result.output
    assert "错误" in result.output


def test_audit_stores_nothing(run, db_url, bachu_plan_path):
    run("audit", bachu_plan_path)
    run("db", "upgrade")
    assert set(stored_rows(db_url).values()) == {0}


def test_import_then_plans_then_show(run, db_url, bachu_plan_path):
    first = run("import", bachu_plan_path)
    assert first.exit_code == 0, first.output
    assert "已保存" in first.output and "计划编号 1" in first.output and "第 1 版" in first.output
    counts = stored_rows(db_url)
    again = run("import", bachu_plan_path)
    assert again.exit_code == 0 and "未改动" in again.output
    assert stored_rows(db_url) == counts

    listed = run("plans")
    assert listed.exit_code == 0 and "巴楚县|2026|annual_reserve" in listed.output

    shown = run("show", "1")
    assert shown.exit_code == 0, shown.output
    assert "BC-CB2026001" in shown.output and "李四" in shown.output


def test_show_json_has_the_audit_keys_and_the_version(run, bachu_plan_path):
    run("import", bachu_plan_path)
    data = json.loads(run("show", "1", "--json").stdout)
    expected = service.report_json(service.audit_file(bachu_plan_path))
    assert {"document", "figures", "parcels", "findings"} <= set(data)
    assert (data["figures"], data["parcels"], data["findings"]) == (
        expected["figures"],
        expected["parcels"],
        expected["findings"],
    )
    assert data["version"]["version"] == 1 and data["plan"]["key"] == "巴楚县|2026|annual_reserve"


def test_show_unknown_plan_or_version_exits_1(run, bachu_plan_path):
    missing = run("show", "7")
    assert missing.exit_code == 1 and "找不到储备计划“7”" in missing.output
    run("import", bachu_plan_path)
    assert run("show", "1", "--version", "2").exit_code == 1
    assert json.loads(run("show", "1", "--version", "2", "--json").stdout)["error"]["code"] == "not_found"


def test_import_of_a_plan_with_error_findings_still_stores_it(run, db_url, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_text(CONSISTENT_PLAN.replace("面积：2.0000公顷", "面积：2.5000公顷"), encoding="utf-8")
    result = run("import", path)
    assert result.exit_code == 0, result.output
    assert stored_rows(db_url)["plan_versions"] == 1
    assert stored_rows(db_url)["plan_findings"] >= 1


def test_plans_of_an_empty_database(run):
    result = run("plans")
    assert result.exit_code == 0 and "还没有保存任何计划" in result.output
