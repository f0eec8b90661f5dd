"""The database as a user meets it when something is wrong: down, missing, a bad URL, a file that is no
database, a schema from a newer release, the write lock held by another command, a bad setting. Every
case is a Chinese message naming the setting, an exit code, no traceback, no SQL — and nothing written."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.settings import Settings
from landreserve.storage.db import make_engine
from landreserve.storage.migrate import upgrade

SQL_WORDS = ("SELECT", "INSERT", "UPDATE ", "Traceback", "[SQL", "parameters:")


def invoke(env: dict[str, str], *args: str):
    runner = CliRunner(env={"LANDRESERVE_USER": "李四", "COLUMNS": "250", **env})
    return runner.invoke(app, [str(a) for a in args])


def assert_clear(result, exit_code: int, *fragments: str) -> str:
    """The command ended with ``exit_code`` and a Chinese message holding ``fragments``; no traceback, no SQL."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    out = result.output
    assert result.exit_code == exit_code, out
    for fragment in fragments:
        assert fragment in out, out
    for word in SQL_WORDS:
        assert word not in out, out
    assert "错误" in out
    return out


# --- the database URL and the server ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("not a url", "不是可用的数据库地址"),
        ("mysql://root@localhost/landreserve", "不支持的数据库类型"),
        ("postgresql://postgres@127.0.0.1:5432", "缺少数据库名"),
        ("sqlite:///{tmp}", "是一个文件夹"),
    ],
    ids=["garbage", "mysql", "no-database-name", "sqlite-folder"],
)
def test_a_database_url_that_cannot_be_used_names_the_setting(tmp_path, url, fragment):
    result = invoke({"LANDRESERVE_DATABASE_URL": url.format(tmp=tmp_path)}, "plans")
    assert_clear(result, 2, "LANDRESERVE_DATABASE_URL", fragment)


def test_a_sqlite_folder_that_cannot_be_created_names_the_setting(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke({"LANDRESERVE_DATABASE_URL": f"sqlite:///{blocker}/sub/db.sqlite3"}, "plans")
    assert_clear(result, 2, "LANDRESERVE_DATABASE_URL", "无法建立文件夹")


def test_a_server_that_is_down(tmp_path):
    result = invoke({"LANDRESERVE_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/landreserve"}, "plans")
    assert_clear(result, 3, "无法连接数据库", "LANDRESERVE_DATABASE_URL", "127.0.0.1:1")


def test_a_database_that_does_not_exist(postgres_url):
    missing = make_url(postgres_url).set(database="landreserve_no_such_database")
    url = missing.render_as_string(hide_password=False)
    result = invoke({"LANDRESERVE_DATABASE_URL": url}, "plans")
    assert_clear(result, 3, "不存在", "createdb", "LANDRESERVE_DATABASE_URL")


def test_a_file_that_is_no_sqlite_database(tmp_path):
    wrong = tmp_path / "plan.txt"
    wrong.write_text("巴楚县2026年土地储备计划\n" * 200, encoding="utf-8")
    before = wrong.read_bytes()
    result = invoke({"LANDRESERVE_DATABASE_URL": f"sqlite:///{wrong}"}, "plans")
    assert_clear(result, 3, "不是 SQLite 数据库", "LANDRESERVE_DATABASE_URL")
    assert wrong.read_bytes() == before, "the file is left as it was"


def test_a_database_of_a_newer_release(tmp_path):
    path = tmp_path / "newer.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0099_from_the_future')"))
    engine.dispose()
    result = invoke({"LANDRESERVE_DATABASE_URL": f"sqlite:///{path}"}, "plans")
    assert_clear(result, 3, "结构版本", "升级 landreserve")


def test_db_upgrade_reports_a_bad_url_too():
    assert_clear(
        invoke({"LANDRESERVE_DATABASE_URL": "nonsense"}, "db", "upgrade"), 2, "LANDRESERVE_DATABASE_URL"
    )


# --- SQLite: WAL, busy timeout, the migration check reads only --------------------------------------------


@pytest.fixture
def sqlite_db(tmp_path, sqlite_template):
    path = tmp_path / "busy.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    return path


def _row_counts(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def test_sqlite_runs_in_wal_mode_with_the_busy_timeout(sqlite_db):
    engine = make_engine(f"sqlite:///{sqlite_db}", busy_timeout=3)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 3000
    engine.dispose()


def test_a_writer_that_cannot_get_the_lock_says_busy_and_writes_nothing(sqlite_db, bachu_plan_path):
    env = {"LANDRESERVE_DATABASE_URL": f"sqlite:///{sqlite_db}", "LANDRESERVE_BUSY_TIMEOUT": "0.1"}
    before = _row_counts(sqlite_db)
    holder = sqlite3.connect(sqlite_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command is writing
    try:
        for args in (
            ("import", bachu_plan_path),
            ("parcel", "add", "BC-CB2026099", "--area-m2", "15000", "--use", "商服用地"),
            ("funds", "source", "add", "JJ-2026", "--kind", "land_revenue_fund", "--amount", "500万元",
             "--doc", "巴财预〔2026〕1号", "--date", "2026-04-01", "--department", "finance"),
        ):  # fmt: skip
            result = invoke(env, *args)
            assert_clear(result, 1, "数据库正忙", "请稍后重试", "未写入任何数据", "LANDRESERVE_BUSY_TIMEOUT")
        # readers are not blocked by the writer (WAL, deferred read transactions, migration check reads only)
        listed = invoke(env, "plans")
        assert listed.exit_code == 0, listed.output
        assert invoke(env, "verify-log").exit_code == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _row_counts(sqlite_db) == before, "nothing was written by the refused commands"
    assert invoke(env, "import", bachu_plan_path).exit_code == 0, (
        "once the lock is free the same command works"
    )


def test_the_migration_check_of_an_up_to_date_database_takes_no_write_lock(sqlite_db):
    engine = make_engine(f"sqlite:///{sqlite_db}", busy_timeout=0)
    holder = sqlite3.connect(sqlite_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert upgrade(engine) is False  # nothing to migrate, and it did not need the lock to find out
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()


# --- settings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variable, value, fragment",
    [
        ("LANDRESERVE_COVERAGE_BOUND", "abc", "应为数字"),
        ("LANDRESERVE_COVERAGE_BOUND", "0.5", "1–10"),
        ("LANDRESERVE_TEMPORARY_USE_MAX_YEARS", "两年", "应为整数"),
        ("LANDRESERVE_TEMPORARY_USE_MAX_YEARS", "0", "1–20"),
        ("LANDRESERVE_AREA_TOLERANCE", "-1", "0–0.5"),
        ("LANDRESERVE_AREA_TOLERANCE", "NaN", "有限"),
        ("LANDRESERVE_BUSY_TIMEOUT", "1e9", "0–600"),
        ("LANDRESERVE_DATE_PAST_YEARS", "0", "1–200"),
        ("LANDRESERVE_DATE_FUTURE_YEARS", "99", "0–50"),
        ("LANDRESERVE_MAX_PARCEL_AREA_HA", "0", "公顷"),
        ("LANDRESERVE_ENVIRONMENT", "prod", "development 或 production"),
        ("LANDRESERVE_RISK_CHECKS", "土壤污染,\x07文物", "控制字符"),
    ],
)
def test_a_bad_setting_is_named_with_its_range(sqlite_db, variable, value, fragment):
    env = {"LANDRESERVE_DATABASE_URL": f"sqlite:///{sqlite_db}", variable: value}
    before = _row_counts(sqlite_db)
    result = invoke(env, "parcel", "add", "BC-CB2026099", "--area-m2", "15000")
    assert_clear(result, 2, variable, fragment)
    assert _row_counts(sqlite_db) == before


def test_settings_in_range_are_read(monkeypatch):
    monkeypatch.setenv("LANDRESERVE_COVERAGE_BOUND", "１.５")  # full-width digits as typed in a Chinese IME
    monkeypatch.setenv("LANDRESERVE_BUSY_TIMEOUT", "2.5")
    settings = Settings.from_env()
    assert str(settings.coverage_bound) == "1.5" and str(settings.busy_timeout) == "2.5"


# --- TRUNCATE on PostgreSQL ----------------------------------------------------------------------------------


def test_truncate_is_refused_on_every_table(ctx):
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    from landreserve.storage.all_tables import metadata

    for table in metadata.sorted_tables:
        with pytest.raises(sa_exc.IntegrityError, match="不能整表清空"):
            with ctx.engine.begin() as conn:
                conn.execute(text(f'TRUNCATE "{table.name}" CASCADE'))


def test_the_test_reset_works_only_in_a_test_database(postgres_url):
    """``SET LOCAL landreserve.test_reset`` empties only a ``landreserve_test_…`` database: a production
    database refuses TRUNCATE even with it."""
    from tests.conftest import PG_SERVER_URL

    server = make_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    name = "landreserve_guardcheck_" + make_url(postgres_url).database.rsplit("_", 2)[-2]
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False))
        upgrade(engine)
        with pytest.raises(sa_exc.IntegrityError, match="不能整表清空"):
            with engine.begin() as conn:
                conn.execute(text("SET LOCAL landreserve.test_reset = 'on'"))
                conn.execute(text("TRUNCATE history_entries"))
        engine.dispose()
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
