"""``landreserve db``: create or upgrade the database schema."""

from __future__ import annotations

import typer

from ..settings import Settings
from . import app
from .common import console, handled
from .lazy import lazy

db = lazy("landreserve.storage.db")
migrate = lazy("landreserve.storage.migrate")
db_errors = lazy("landreserve.storage.db_errors")

db_app = typer.Typer(help="数据库维护。", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库升级到最新结构（新库则创建）。"""
    with handled():
        settings = Settings.from_env()
        engine = db.make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
        migrated = migrate.upgrade(engine)
        state = "已升级到最新结构" if migrated else "已是最新结构"
        console.print(f"数据库{state}：{db_errors.shown_url(engine.url)}")
