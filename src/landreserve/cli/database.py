"""``landreserve db``: create or upgrade the database schema."""

from __future__ import annotations

import typer
from rich.console import Console

from ..settings import Settings
from . import app
from .lazy import lazy

db = lazy("landreserve.storage.db")
migrate = lazy("landreserve.storage.migrate")

db_app = typer.Typer(help="数据库维护。", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库升级到最新结构（新库则创建）。"""
    settings = Settings.from_env()
    engine = db.make_engine(settings.database_url)
    migrate.upgrade(engine)
    Console().print(f"数据库已是最新结构：{engine.url.render_as_string(hide_password=True)}")
