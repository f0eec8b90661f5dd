"""``landreserve doctor`` on SQLite and PostgreSQL: a sound installation passes (exit 0), and each broken part
is named in Chinese with what to do (exit 1) — a bad setting, a database not reachable or not created, a schema
not migrated, a row edited behind the program's back — without creating or changing anything."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from actors import acting
from landreserve.cli import app
from landreserve.services.plans import import_plan

runner = CliRunner()


def doctor(monkeypatch, url: str, **env: str) -> tuple[int, dict[str, dict]]:
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["doctor", "--json"])
    assert "Traceback" not in result.output
    data = json.loads(result.output)
    return result.exit_code, {c["name"]: c for c in data["checks"]}


@pytest.fixture
def url(ctx, bachu_plan_path, tmp_path, monkeypatch):
    import_plan(acting(ctx, "reserve_center"), bachu_plan_path)
    monkeypatch.setenv("LANDRESERVE_FILES_DIR", str(tmp_path / "files"))
    return ctx.engine.url.render_as_string(hide_password=False)


def test_a_sound_installation_passes(url, monkeypatch):
    code, checks = doctor(monkeypatch, url)
    assert code == 0, checks
    assert {n: c["status"] for n, c in checks.items() if c["status"] != "ok"} == {
        "运行环境": "warning",
        "文件目录": "warning",
    }
    assert "链头" in checks["历史记录"]["message"] and "Noto Sans SC" in checks["PDF 字体"]["message"]


def test_a_row_edited_behind_the_program_is_an_error(url, ctx, monkeypatch):
    with ctx.engine.begin() as conn:  # as a database administrator could, past the program
        conn.execute(text("UPDATE plan_parcels SET area_m2 = 1 WHERE seq = 0"))
    code, checks = doctor(monkeypatch, url)
    assert (
        code == 1
        and checks["历史记录"]["status"] == "error"
        and "verify-log" in checks["历史记录"]["message"]
    )


def test_a_schema_behind_the_program_is_an_error(url, ctx, monkeypatch):
    with ctx.engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0008_project_bonds'"))  # one behind
    try:
        code, checks = doctor(monkeypatch, url)
    finally:  # the PostgreSQL test database is shared by the session: put its version back
        with ctx.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert code == 1 and "db upgrade" in checks["数据库结构"]["message"] and "历史记录" not in checks


def test_production_without_a_secret_is_an_error(url, monkeypatch):
    monkeypatch.delenv("LANDRESERVE_SECRET_KEY", raising=False)
    code, checks = doctor(monkeypatch, url, LANDRESERVE_ENVIRONMENT="production")
    assert (
        code == 1
        and checks["运行环境"]["status"] == "error"
        and "LANDRESERVE_SECRET_KEY" in checks["运行环境"]["message"]
    )


def test_a_missing_sqlite_file_is_named_and_not_created(tmp_path, monkeypatch):
    path = tmp_path / "无此库.sqlite3"
    code, checks = doctor(monkeypatch, f"sqlite:///{path}")
    assert code == 1 and "不存在" in checks["数据库连接"]["message"] and not path.exists()


def test_an_unreachable_server_and_a_bad_setting_are_named(monkeypatch):
    code, checks = doctor(monkeypatch, "postgresql://postgres@127.0.0.1:1/none")
    assert code == 1 and "LANDRESERVE_DATABASE_URL" in checks["数据库连接"]["message"]
    code, checks = doctor(monkeypatch, "sqlite:///x.sqlite3", LANDRESERVE_BUSY_TIMEOUT="很久")
    assert code == 1 and list(checks) == ["设置"] and "LANDRESERVE_BUSY_TIMEOUT" in checks["设置"]["message"]
