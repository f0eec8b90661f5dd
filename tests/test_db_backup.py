"""``landreserve db backup`` / ``db restore`` on SQLite (the online backup API) and PostgreSQL (pg_dump /
pg_restore from the PATH): a round trip gives back every row and the same history head, ``verify-log`` holds
afterwards; a restore needs ``--yes``; wrong files, an existing target and a missing tool are refused in
Chinese, and a refusal changes nothing."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from actors import acting
from landreserve.cli import app
from landreserve.domain.register import ParcelFacts
from landreserve.services import history, register
from landreserve.services.plans import import_plan
from landreserve.storage.all_tables import metadata
from landreserve.storage.db import reading

runner = CliRunner()


@pytest.fixture
def county(ctx, bachu_plan_path, monkeypatch):
    import_plan(acting(ctx, "reserve_center"), bachu_plan_path)
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", ctx.engine.url.render_as_string(hide_password=False))
    return ctx


def counts(engine) -> dict[str, int]:
    with reading(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_a_round_trip_gives_back_every_row_and_the_same_head(county, tmp_path):
    before, head = counts(county.engine), history.head(county)
    target = tmp_path / "备份.bak"
    made = invoke("db", "backup", str(target))
    assert made.exit_code == 0, made.output
    assert f"{head[0]}:{head[1]}" in made.output.replace("\n", "")
    register.add_parcel(acting(county, "reserve_center"), ParcelFacts("BC-NEW1", "新路", Decimal(1000)))
    assert counts(county.engine) != before
    refused = invoke("db", "restore", str(target))
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert counts(county.engine)["reserve_parcels"] == 1
    restored = invoke("db", "restore", str(target), "--yes")
    assert restored.exit_code == 0, restored.output
    assert counts(county.engine) == before and history.head(county)[:2] == head[:2]
    assert history.verify(county, head[:2]).ok
    again = invoke("verify-log", "--anchor", f"{head[0]}:{head[1]}")
    assert again.exit_code == 0, again.output


def test_backups_are_never_overwritten_and_foreign_files_never_restored(county, tmp_path):
    before = counts(county.engine)
    target = tmp_path / "b.bak"
    target.write_text("以前的备份")
    result = invoke("db", "backup", str(target))
    assert result.exit_code == 2 and "已存在" in result.output and target.read_text() == "以前的备份"
    for content, says in ((b"hello", "未知格式"), (b"", "未知格式")):
        odd = tmp_path / "odd.bak"
        odd.write_bytes(content)
        result = invoke("db", "restore", str(odd), "--yes")
        assert result.exit_code == 2 and says in result.output, result.output
    missing = invoke("db", "restore", str(tmp_path / "无.bak"), "--yes")
    assert missing.exit_code == 2 and "不存在" in missing.output
    assert counts(county.engine) == before


def test_a_backup_of_the_other_kind_is_refused(county, tmp_path):
    other = tmp_path / "other.bak"
    if county.engine.url.get_backend_name() == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
        says = "PostgreSQL 备份"
    else:
        with closing(sqlite3.connect(other)) as made:
            made.execute("CREATE TABLE t (x)")
        says = "SQLite 数据库"
    before = counts(county.engine)
    result = invoke("db", "restore", str(other), "--yes")
    assert result.exit_code == 2 and says in result.output and "不能恢复到当前数据库" in result.output
    assert counts(county.engine) == before


def test_a_sqlite_file_that_is_not_landreserve_is_refused(ctx, tmp_path, monkeypatch):
    if ctx.engine.url.get_backend_name() != "sqlite":
        pytest.skip("SQLite files are restored into SQLite databases only")
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as made:
        made.execute("CREATE TABLE t (x)")
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", str(ctx.engine.url))
    result = invoke("db", "restore", str(other), "--yes")
    assert result.exit_code == 2 and "不是 landreserve 的备份" in result.output


def test_without_the_postgresql_tools_the_message_names_them(county, tmp_path, monkeypatch):
    if county.engine.url.get_backend_name() != "postgresql":
        pytest.skip("SQLite needs no tool")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = invoke("db", "backup", str(tmp_path / "x.bak"))
    assert result.exit_code == 2 and "pg_dump" in result.output and "postgresql-client" in result.output
    assert not list(tmp_path.glob("*.bak")) and not re.search(
        r"\.landreserve-backup", str(list(tmp_path.iterdir()))
    )
