"""Bulk inserts of current-state rows (a plan's figures, parcels, findings), recorded for the history by a
batch digest computed from the values as written (``domain.history_digest``), without reading them back.

The rows are given column by column. Their ids are taken before they are written — on SQLite the ids after
the table's largest (the write transaction holds the write lock from its ``BEGIN IMMEDIATE``, and a
concurrent writer could only make the INSERT fail, never reuse an id), on PostgreSQL from the table's own
sequence — so nothing is read back. Each column is converted once for the driver and once into the
canonical form the rows read back in; the first feeds one statement for all rows (SQLite: one prepared
INSERT through the driver's executemany; PostgreSQL: ``COPY … FROM STDIN``), the second the digest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from sqlalchemy import Boolean, Column, Connection, Date, DateTime, LargeBinary, Table, func, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from ..domain.history_digest import Batch, batch_of_columns, canonical, canonical_decimals
from .history_tables import note_batch
from .types import ExactDecimal

#: the values of a bulk insert, column by column (every column the same length)
Columns = Mapping[str, Sequence[object]]


def row_count(columns: Columns) -> int:
    """The number of rows in ``columns`` (0 for none); refuses columns of different lengths."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"bulk insert: columns of different lengths {sorted(lengths)}")
    return lengths.pop() if lengths else 0


def _exact(values: Sequence[object]) -> list[str | None]:
    if set(map(type, values)) != {Decimal}:  # the usual column is all decimals already
        values = [v if v is None or type(v) is Decimal else Decimal(v) for v in values]  # type: ignore[arg-type]
    return canonical_decimals(values)  # type: ignore[arg-type]


def _boolean(values: Sequence[object]) -> list[bool | None]:
    return [None if v is None else bool(v) for v in values]


def _canonical(values: Sequence[object]) -> list[object]:
    return list(map(canonical, values))


def _as_read(column_type: object) -> Callable[[Sequence[object]], list] | None:
    """How a column of values given to a column type reads back, in canonical form
    (``domain.history_digest.canonical``), where the values as given are not that already; else ``None``."""
    if isinstance(column_type, ExactDecimal):
        return _exact
    if isinstance(column_type, Boolean):
        return _boolean
    if isinstance(column_type, DateTime | Date | LargeBinary):
        return _canonical
    return None


def _columns(table: Table, given: set[str]) -> tuple[Column, list[Column], dict[str, object]]:
    """The key, the columns written (all but the key) and the values of those not given (their scalar
    defaults)."""
    [key] = table.primary_key.columns
    columns = [c for c in table.columns if c is not key]
    unknown = given - {c.name for c in columns}
    if unknown:
        raise TypeError(f"bulk insert into {table.name}: no such columns {sorted(unknown)}")
    missing: dict[str, object] = {}
    for column in columns:
        if column.name in given:
            continue
        if column.server_default is not None or (column.default is not None and not column.default.is_scalar):
            raise TypeError(
                f"bulk insert into {table.name}: give {column.name} (its default is not a constant)"
            )
        missing[column.name] = column.default.arg if column.default is not None else None  # type: ignore[attr-defined]
    return key, columns, missing


def insert_columns(
    session: Session, table: Table, columns: Columns, same: Mapping[str, object] | None = None
) -> Batch | None:
    """Insert rows given column by column (``columns``: name → the values of every row, in row order) into
    ``table``, in the session's transaction, and note them for the next history entry as one batch;
    ``same`` holds the values every row shares (e.g. ``version_id``). The rows get ascending ids in row
    order. The batch noted, or ``None`` for no rows."""
    count = row_count(columns)
    if not count:
        return None
    same = same or {}
    key, written, missing = _columns(table, set(columns) | set(same))
    shared = {name: (value,) * count for name, value in (*same.items(), *missing.items())}
    values = [columns[c.name] if c.name in columns else shared[c.name] for c in written]
    connection = session.connection()
    ids = _next_ids(connection, table, key, count)
    _write(connection, table, [key, *written], [ids, *values])
    for i, column in enumerate(written):
        convert = _as_read(column.type)
        if convert is not None:
            values[i] = convert(values[i])
    batch = batch_of_columns(table.name, [c.name for c in written], ids, values)
    note_batch(session, batch)
    return batch


def _next_ids(connection: Connection, table: Table, key: Column, count: int) -> Sequence[int]:
    """``count`` new ids of ``table``, ascending."""
    if connection.dialect.name == "postgresql":  # from the key's own sequence (what a default would take)
        query = text("SELECT nextval(pg_get_serial_sequence(:table, :key)) FROM generate_series(1, :count)")
        taken = connection.execute(query, {"table": table.fullname, "key": key.name, "count": count})
        return sorted(taken.scalars().all())
    first = (connection.execute(select(func.max(key))).scalar() or 0) + 1
    return range(first, first + count)


def _write(connection: Connection, table: Table, columns: list[Column], values: list[Sequence]) -> None:
    """One statement for all rows, the values converted by the columns' own bind conversions."""
    dialect = connection.dialect
    bound: list[Sequence] = []
    for column, given in zip(columns, values, strict=True):
        bind_column = getattr(column.type, "bind_column", None)  # a whole column at once (ExactDecimal)
        if bind_column is not None:
            bound.append(bind_column(given, dialect))
            continue
        if isinstance(column.type, Boolean) and set(map(type, given)) <= _BOOLEANS:
            bound.append(given)  # what the processor gives (1/0 on SQLite, which binds a bool as 1/0 itself)
            continue
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        bound.append(given if process is None else list(map(process, given)))
    quote = dialect.identifier_preparer.quote
    target = (
        f"{dialect.identifier_preparer.format_table(table)} ({', '.join(quote(c.name) for c in columns)})"
    )
    if dialect.name == "postgresql":
        _copy(connection, f"COPY {target} FROM STDIN", bound)
        return
    placeholders = ", ".join("?" * len(columns))
    connection.exec_driver_sql(
        f"INSERT INTO {target} VALUES ({placeholders})", list(zip(*bound, strict=True))
    )


#: the types of a column of booleans the drivers take as they are
_BOOLEANS = {bool, type(None)}


def _copy(connection: Connection, statement: str, bound: list[Sequence]) -> None:
    """PostgreSQL's COPY through psycopg, on the connection's own transaction; a database error is raised
    as SQLAlchemy raises it for any statement (an ``IntegrityError`` stays one)."""
    dialect = connection.dialect
    cursor = connection.connection.cursor()
    try:
        with cursor.copy(statement) as copy:  # type: ignore[attr-defined]
            write = copy.write_row
            for row in zip(*bound, strict=True):
                write(row)
    except dialect.loaded_dbapi.Error as error:
        raise sa_exc.DBAPIError.instance(
            statement, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error
    finally:
        cursor.close()
