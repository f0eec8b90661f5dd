"""Migrations 0010 and 0011 on existing databases, on both backends: a history written before the batch
digests (one fingerprint per row) still verifies after the upgrade and still names a change with the value
it recorded, and a plan imported afterwards adds batch digests to the same chain; on PostgreSQL the TRUNCATE
guard an early 0007 put on PostGIS's ``spatial_ref_sys`` is dropped, the guards of landreserve's own tables
stay."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from actors import acting
from landreserve.services import history
from landreserve.services.context import Context
from landreserve.services.plans import import_plan
from landreserve.settings import Settings
from landreserve.storage.db import make_engine
from landreserve.storage.guards import guard_table, trigger_name
from landreserve.storage.migrate import upgrade
from test_funds_migration import _upgrade, empty_url  # noqa: F401 - the fixture of both backends


def _sql(engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_a_history_of_row_fingerprints_verifies_after_the_upgrade(empty_url, bachu_plan_path):  # noqa: F811
    engine = make_engine(empty_url)
    _upgrade(engine, "0008_project_bonds")
    _upgrade(engine, "0006_web_accounts")
    _sql(
        engine,
        "INSERT INTO plans (plan_key, kind, created_at) VALUES ('某县|2025|annual_reserve', "
        "'annual_reserve', '2025-01-05 09:00:00')",
        "INSERT INTO plan_versions (plan_id, version, content_sha256, source_name, status, created_at, "
        "line_count, structure) SELECT id, 1, 'x', 'a.txt', 'imported', '2025-01-05 09:00:00', 1, '{}' FROM plans",
        "INSERT INTO plan_parcels (version_id, seq, code, code_as_written, area_m2, carried_over, line, text) "
        "SELECT id, 0, 'MX-1', 'MX-1', '1200.50', false, 3, '地块一' FROM plan_versions",
        "INSERT INTO plan_parcels (version_id, seq, code, code_as_written, area_m2, carried_over, line, text) "
        "SELECT id, 1, 'MX-2', 'MX-2', '800', false, 4, '地块二' FROM plan_versions",
    )
    _upgrade(engine, "0009_history_rows")  # the baseline entry: one fingerprint per row
    upgrade(engine)
    ctx = Context(engine=engine, settings=Settings(database_url=empty_url), actor=None)
    result = history.verify(ctx)
    assert result.ok and result.count == 1, [d.message for d in result.differences]
    imported = import_plan(acting(ctx, "reserve_center"), bachu_plan_path)
    assert imported.created and history.verify(ctx).ok  # the same chain goes on with batch digests
    _sql(engine, "UPDATE plan_parcels SET area_m2 = 9 WHERE code = 'MX-2'")
    [difference] = history.verify(ctx).differences
    assert (difference.table, difference.fields) == ("plan_parcels", (("area_m2", "800", "9"),))
    assert "MX-2" in difference.message and not difference.digest
    engine.dispose()


def test_the_truncate_guard_on_spatial_ref_sys_is_dropped(empty_url):  # noqa: F811
    if not empty_url.startswith("postgresql"):
        pytest.skip("TRUNCATE guards are PostgreSQL's")
    engine = make_engine(empty_url)
    _upgrade(engine, "0010_history_digests")
    with engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('spatial_ref_sys')")).scalar() is None:
            pytest.skip("PostGIS is not installed on this server")
        guard_table(conn, "spatial_ref_sys")  # as the first 0007 did
    guards = "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%\\_no\\_truncate'"
    with engine.connect() as conn:
        assert "spatial_ref_sys" in conn.execute(text(guards)).scalars().all()
    upgrade(engine)
    with engine.connect() as conn:
        guarded = set(conn.execute(text(guards)).scalars())
        assert "spatial_ref_sys" not in guarded and {"history_entries", "plan_parcels"} <= guarded
        names = conn.execute(
            text("SELECT tgname FROM pg_trigger WHERE tgname = :n"), {"n": trigger_name("spatial_ref_sys")}
        )
        assert names.first() is None
    engine.dispose()
