"""Fuzzed command-line inputs (hypothesis, bounded): whatever a user types into the options of the register,
plan, funds and geometry commands, the answer is a message and an exit code — never a traceback — and a
refused command writes nothing."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from landreserve.cli import app
from test_bad_inputs import CODE, build_county, counts

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
) | st.sampled_from(["1e30", "-3.1", "NaN", "inf", "0", "1800-01-01", "2099-12-31", "9" * 40, "亿元", "\x00"])
FUZZ = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

#: department, and how the fuzzed value becomes the arguments of a command
COMMANDS = {
    "parcel update": ("reserve_center", lambda v: ["parcel", "update", CODE, f"land_use={v}"]),
    "parcel update area": ("reserve_center", lambda v: ["parcel", "update", CODE, f"area_m2={v}"]),
    "parcel evidence": ("natural_resources", lambda v: ["parcel", "evidence", CODE, "-e", f"kind=title_clear,ref=证明,date={v},by=李四"]),
    "parcel transition": ("reserve_center", lambda v: ["parcel", "transition", CODE, "调出", "--reason", v or "x", "--date", v]),
    "plan approve": ("government", lambda v: ["plan", "approve", "2", "--approval-no", v, "--approved-on", v]),
    "funds allocate": ("finance", lambda v: ["funds", "allocate", "--project", "PA", "--amount", v, "--doc", "分配1"]),
    "funds budget": ("finance", lambda v: ["funds", "budget", "set", "PA", "--year", v, "--amount", "1万元", "--doc", v]),
    "funds entries": ("finance", lambda v: ["funds", "entries", "--project", v]),
}  # fmt: skip


@pytest.fixture(scope="module")
def county_db(tmp_path_factory, bachu_plan_path):
    return build_county(tmp_path_factory.mktemp("county"), bachu_plan_path)


def _run(db, department: str, args: list[str]):
    runner = CliRunner(
        env={"LANDRESERVE_DATABASE_URL": f"sqlite:///{db}", "LANDRESERVE_USER": "张三",
             "LANDRESERVE_DEPARTMENT": department, "COLUMNS": "300"}
    )  # fmt: skip
    before = counts(db)
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2), (args, result.output)
    if result.exit_code != 0:
        assert counts(db) == before, (args, result.output)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_fuzzed_options_never_give_a_traceback_and_a_refusal_writes_nothing(command, county_db, tmp_path):
    db = tmp_path / "county.sqlite3"
    shutil.copy(county_db, db)
    department, make = COMMANDS[command]

    @FUZZ
    @given(TEXT)
    def check(value):
        if "\x00" in value:  # a NUL cannot be passed in a real argv
            value = value.replace("\x00", "")
        _run(db, department, make(value))

    check()


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".geojson", ".gpkg", ".txt", ".shp", ".dxf"]))
def test_fuzzed_boundary_files_never_give_a_traceback(county_db, tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    db = folder / "county.sqlite3"
    shutil.copy(county_db, db)
    path = folder / f"边界{suffix}"
    path.write_bytes(data)
    _run(db, "natural_resources", ["geo", "import", str(path)])
