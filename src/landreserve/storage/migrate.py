"""Run the Alembic migrations programmatically (``landreserve db upgrade``, and every command on start).

A database already at the newest schema is recognised with one read (no write lock: on SQLite a command
must not queue behind another command's write just to learn that nothing needs migrating); only a
database that needs it is migrated, in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, inspect
from sqlalchemy import exc as sa_exc

from ..errors import DatabaseError
from .all_tables import metadata
from .db import READ_ONLY
from .db_errors import SETTING, shown_url, translate
from .guards import ensure_truncate_guards

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def script_heads() -> set[str]:
    """The newest revisions this program knows."""
    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def unknown_revisions(revisions: set[str]) -> set[str]:
    """Those of ``revisions`` this program has no migration for (a database made by a newer version)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    known = {r.revision for r in script.walk_revisions()}
    return revisions - known


def current_heads(engine: Engine) -> set[str]:
    """The revisions the database is at (empty for a new database), read without a write lock."""
    with engine.connect() as connection:
        connection.execution_options(**{READ_ONLY: True})
        heads = set(MigrationContext.configure(connection).get_current_heads())
        connection.rollback()
    return heads


def upgrade(engine: Engine) -> bool:
    """Bring the database to the newest schema (all migration heads); True when something was migrated.

    Raises ``DatabaseError`` (Chinese, naming ``LANDRESERVE_DATABASE_URL``) when the database cannot be
    reached or was migrated by a newer version of landreserve.
    """
    try:
        if current_heads(engine) == script_heads():
            return False
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
            # tables added by later revisions get the TRUNCATE guard too
            ensure_truncate_guards(connection, sorted(metadata.tables))
        return True
    except CommandError as exc:
        raise DatabaseError(
            f"数据库 {shown_url(engine.url)} 的结构版本本程序不认识（{exc}）：它可能由更新版本的 landreserve 建立。"
            f"请升级 landreserve，或检查设置 {SETTING} 是否指向本系统的数据库",
            code="database.schema_version",
            details={"setting": SETTING},
        ) from exc
    except sa_exc.DBAPIError as exc:
        raise translate(exc, engine.url) from exc


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")
