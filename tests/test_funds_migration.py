"""Migration 0008_project_bonds on both backends: a database with a one-bond project made before it keeps
its project, which gets its one bond with the same financing; the new bond terms start empty."""

from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from conftest import PG_SERVER_URL, REQUIRE_PG
from landreserve.storage.db import make_engine
from landreserve.storage.migrate import alembic_config, script_heads


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    server = make_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - no server
        server.dispose()
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    name = f"landreserve_mig_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _upgrade(engine, target: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def test_a_one_bond_project_keeps_its_bond_after_the_migration(empty_url):
    engine = make_engine(empty_url)
    _upgrade(engine, "0007_trust_guards")
    now = datetime(2026, 1, 1)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO plans (id, plan_key, kind, created_at) VALUES (1, 'k', 'other', :t)"),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO plan_versions (id, plan_id, version, content_sha256, source_name, created_at, status, "
                "line_count, structure) VALUES (1, 1, 1, :h, 'x', :t, 'approved', 0, '{}')"
            ),
            {"h": "0" * 64, "t": now},
        )
        conn.execute(
            text(
                "INSERT INTO fund_sources (id, code, kind, amount, issue_date, term_years, coupon_percent, "
                "repayment, interest_frequency, document, created_at, created_by) VALUES (7, 'B1', "
                "'special_bond', '75000000.00', '2026-03-15', 7, '3', 'bullet', 'yearly', 'd', :t, 'u')"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO fund_projects (id, code, bond_id, plan_version_id, financing, created_at, created_by) "
                "VALUES (3, 'P1', 7, 1, '50000000.00', :t, 'u')"
            ),
            {"t": now},
        )
    _upgrade(engine, "heads")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT project_id, bond_id, position, financing FROM fund_project_bonds")
        ).all()
        assert [(r[0], r[1], r[2], str(r[3])) for r in rows] == [(3, 7, 1, "50000000.00")]
        terms = conn.execute(
            text("SELECT repayment_shares, call_after_years, issue_cost FROM fund_sources WHERE id = 7")
        ).one()
        assert tuple(terms) == (None, None, None)
        heads = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    assert heads == script_heads() and "0008_project_bonds" in heads
    engine.dispose()
