"""The context every use case runs in: database engine, settings, and the acting user."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import Engine

from ..domain.actors import Actor
from ..settings import Settings
from ..storage.db import make_engine
from ..storage.migrate import upgrade


def default_actor() -> Actor:
    return Actor(
        name=os.environ.get("LANDRESERVE_USER") or os.environ.get("USER") or "system",
        department=os.environ.get("LANDRESERVE_DEPARTMENT", "reserve_center"),
    )


@dataclass
class Context:
    """What a use case needs: where the data is, the settings, who acts."""

    engine: Engine
    settings: Settings = field(default_factory=Settings)
    actor: Actor = field(default_factory=lambda: Actor("system"))


def open_context(
    settings: Settings | None = None, actor: Actor | None = None, *, migrate: bool = True
) -> Context:
    """Open the configured database (migrating it to the newest schema unless ``migrate`` is false)."""
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
    if migrate:
        upgrade(engine)
    return Context(engine=engine, settings=settings, actor=actor or default_actor())
