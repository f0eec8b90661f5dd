"""Column types that keep areas and money exact on every backend."""

from __future__ import annotations

from decimal import Decimal
from itertools import repeat

from sqlalchemy import Numeric, String
from sqlalchemy.types import TypeDecorator


class ExactDecimal(TypeDecorator):
    """An exact decimal: ``NUMERIC`` (unbounded) on PostgreSQL, canonical text on SQLite.

    SQLite has no decimal type (it would round through a float), so the value is kept as text there.
    Values are returned as ``Decimal``; floats are refused so that money never passes through one.
    """

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(64))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("ExactDecimal refuses float values; pass a Decimal or a string")
        value = Decimal(value)
        if dialect.name == "sqlite":
            return format(value, "f")
        return value

    def bind_column(self, values, dialect) -> list:
        """``process_bind_param`` of every value of a column (bulk inserts, ``storage.bulk``): decimals in one
        pass, any other value by ``process_bind_param`` itself."""
        if dialect.name == "sqlite":
            if set(map(type, values)) == {Decimal}:  # the usual column: by ``map``, no Python step per value
                return list(map(format, values, repeat("f")))
            return [
                format(v, "f") if type(v) is Decimal else self.process_bind_param(v, dialect) for v in values
            ]
        return [v if type(v) is Decimal else self.process_bind_param(v, dialect) for v in values]

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(str(value)) if not isinstance(value, Decimal) else value
