"""Bulk inserts of current-state rows (a plan's figures, parcels, findings), recorded for the history by a
batch digest computed from the values as written (``domain.history_digest``), without reading them back.

The values are put in column order once; the same tuples feed the INSERT (one statement executed for all
rows: on SQLite straight to the driver with the columns' own bind conversions, elsewhere through SQLAlchemy
Core) and the digest (in the canonical form the rows read back in).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter

from sqlalchemy import Boolean, Date, DateTime, LargeBinary, Table, insert
from sqlalchemy.orm import Session

from ..domain.history_digest import Batch, canonical, make_batch
from .history_tables import note_batch
from .types import ExactDecimal


def _exact(value: object) -> object:
    if value is None:
        return None
    return canonical(value if isinstance(value, Decimal) else Decimal(value))  # type: ignore[arg-type]


def _canonical_of(column_type: object) -> Callable[[object], object] | None:
    """How a value given to a column reads back, in its canonical form (``domain.history_digest.canonical``),
    where the value as given is not that already; else ``None``."""
    if isinstance(column_type, ExactDecimal):
        return _exact
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else bool(v)
    if isinstance(column_type, DateTime | Date | LargeBinary):
        return canonical
    return None


def _columns(table: Table, given: set[str]) -> tuple[list, dict[str, object]]:
    """The columns written (all but the key) and the values of those not given (their scalar defaults)."""
    [key] = table.primary_key.columns
    columns = [c for c in table.columns if c is not key]
    missing: dict[str, object] = {}
    for column in columns:
        if column.name in given:
            continue
        if column.server_default is not None or (column.default is not None and not column.default.is_scalar):
            raise TypeError(
                f"bulk insert into {table.name}: give {column.name} (its default is not a constant)"
            )
        missing[column.name] = column.default.arg if column.default is not None else None  # type: ignore[attr-defined]
    return columns, missing


def insert_batch(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, object]],
    ids_of: Callable[[], Sequence[int]],
    same: Mapping[str, object] | None = None,
) -> Batch | None:
    """Insert ``rows`` (column values, every row the same columns) into ``table`` in the session's
    transaction and note them for the next history entry as one batch; ``same`` holds the values every row
    shares (e.g. ``version_id``); ``ids_of()`` reads the ids the rows got, in the order of ``rows``. The
    batch noted, or ``None`` for no rows."""
    if not rows:
        return None
    same = same or {}
    columns, missing = _columns(table, set(rows[0]) | set(same))
    names = [c.name for c in columns]
    given = [n for n in names if n not in same and n not in missing]
    if len(given) > 1:  # column by column: one C-level pass over the rows
        by_name = dict(zip(given, zip(*map(itemgetter(*given), rows), strict=True), strict=True))
    else:
        by_name = {n: tuple(row[n] for row in rows) for n in given}
    for name, value in (*same.items(), *missing.items()):
        by_name[name] = (value,) * len(rows)
    by_column = [by_name[n] for n in names]
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name == "sqlite":  # the driver's executemany with the columns' own conversions
        compiled = insert(table).compile(dialect=dialect, column_keys=names)
        order = [names.index(n) for n in (compiled.positiontup or names)]
        bound = []
        for i in order:
            process = columns[i].type.dialect_impl(dialect).bind_processor(dialect)
            bound.append(by_column[i] if process is None else list(map(process, by_column[i])))
        connection.exec_driver_sql(compiled.string, list(zip(*bound, strict=True)))
    else:  # PostgreSQL: SQLAlchemy's batched INSERT … VALUES
        connection.execute(
            insert(table), [dict(zip(names, v, strict=True)) for v in zip(*by_column, strict=True)]
        )
    ids = ids_of()
    for i, column in enumerate(columns):
        convert = _canonical_of(column.type)
        if convert is not None:
            by_column[i] = tuple(map(convert, by_column[i]))
    batch = make_batch(table.name, names, zip(ids, zip(*by_column, strict=True), strict=True))
    note_batch(session, batch)
    return batch
