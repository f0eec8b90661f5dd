"""Shared fixtures: every test that takes ``engine`` (or ``ctx``) runs on SQLite and on PostgreSQL.

PostgreSQL: a fresh database per test session is created on the server named by
``LANDRESERVE_TEST_POSTGRES_URL`` (default: the local server's ``test`` database) and dropped at the end.
Without a reachable server the PostgreSQL cases are *skipped* — unless ``LANDRESERVE_REQUIRE_POSTGRES=1``
(as in CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import make_url

from landreserve.domain.actors import Actor
from landreserve.services.context import Context
from landreserve.settings import Settings
from landreserve.storage.all_tables import metadata
from landreserve.storage.db import make_engine
from landreserve.storage.guards import TEST_RESET_SETTING
from landreserve.storage.migrate import upgrade

#: the web fixtures (``web``, ``demo_web``) for every test module, without importing them by name
pytest_plugins = ("web_support",)

REPO = Path(__file__).resolve().parent.parent
BACHU_PLAN = REPO / "data" / "plans" / "bachu-2026.txt"
PG_SERVER_URL = os.environ.get(
    "LANDRESERVE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("LANDRESERVE_REQUIRE_POSTGRES") == "1"

# Property tests never depend on timing (no deadline, no too-slow health check on a loaded machine); in CI
# they are derandomized (CI=true, or .ci/run's LANDRESERVE_REQUIRE_POSTGRES=1) so that a run is reproducible —
# locally they keep exploring new examples.
hypothesis_settings.register_profile(
    "landreserve",
    deadline=None,
    derandomize=os.environ.get("CI") == "true" or os.environ.get("LANDRESERVE_REQUIRE_POSTGRES") == "1",
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile("landreserve")


@pytest.fixture(scope="session", autouse=True)
def layer_cache_dir(tmp_path_factory) -> Path:
    """Spatial indexes built for layer files go to a folder of this test session, not under ``var/``."""
    path = tmp_path_factory.mktemp("layer-cache")
    os.environ["LANDRESERVE_CACHE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def bachu_plan_path() -> Path:
    return BACHU_PLAN


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """URL of a fresh, migrated PostgreSQL database for this test session (dropped afterwards)."""
    server = make_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        server.dispose()
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required but unreachable at {PG_SERVER_URL}: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {PG_SERVER_URL}: {exc}")
    name = f"landreserve_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _truncate_all(engine) -> None:
    """Empty the test session's own database: TRUNCATE is refused everywhere else (``storage.guards``).

    Only the tables holding rows are truncated (with CASCADE, so whatever refers to them goes too) and every
    sequence starts again at 1, as ``TRUNCATE … RESTART IDENTITY`` of all tables would do — truncating all 30
    tables each time cost about 0.85 s per test. The commit does not wait for the WAL flush (a test database)."""
    tables = [t.name for t in metadata.sorted_tables]
    probe = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables)
    with engine.begin() as conn:
        conn.execute(text(f"SET LOCAL {TEST_RESET_SETTING} = 'on'"))
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        full = conn.execute(text(probe)).scalars().all()
        if full:
            names = ", ".join(f'"{name}"' for name in full)
            conn.execute(text(f"TRUNCATE {names} CASCADE"))
        conn.execute(text(
            "SELECT setval(s.oid, 1, false) FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
            "JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S' AND t.relname = ANY(:tables)"
        ), {"tables": tables})  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "landreserve.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        eng = make_engine(f"sqlite:///{path}")
    else:
        eng = make_engine(request.getfixturevalue("postgres_url"))
        _truncate_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def actor() -> Actor:
    return Actor("张三", "reserve_center")


@pytest.fixture
def ctx(engine, actor) -> Context:
    return Context(engine=engine, settings=Settings(database_url=str(engine.url)), actor=actor)
