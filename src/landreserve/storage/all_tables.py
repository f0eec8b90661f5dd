"""Imports every table module so that ``Base.metadata`` is complete (Alembic and tests use this)."""

from . import (  # noqa: F401
    funds_tables,  # noqa: F401
    geometry_tables,  # noqa: F401
    history_tables,
    plan_tables,  # noqa: F401
    register_tables,
    web_tables,  # noqa: F401
)
from .base import Base

metadata = Base.metadata
