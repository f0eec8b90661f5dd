"""Imports every table module so that ``Base.metadata`` is complete (Alembic and tests use this)."""

from .base import Base
from . import plan_tables  # noqa: F401
from . import history_tables, register_tables  # noqa: F401
from . import funds_tables  # noqa: F401
from . import geometry_tables  # noqa: F401

metadata = Base.metadata
