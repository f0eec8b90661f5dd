"""Engines and transactions for SQLite (embedded default) and PostgreSQL (production).

SQLite runs in WAL mode (readers never wait for a writer) with a busy timeout: a write transaction
starts with ``BEGIN IMMEDIATE`` (it takes the write lock before reading, so two writers queue instead of
deadlocking); one that cannot get the lock within the timeout is refused as
:class:`~landreserve.errors.DatabaseBusyError` before anything is written. Read-only work
(:func:`reading`) starts a deferred transaction and never takes the write lock.

Every failure of the database inside :func:`transaction` and :func:`reading` is raised as a Chinese
``LandReserveError`` (see :mod:`.db_errors`), except ``IntegrityError``, which callers turn into their
own conflict messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from . import lengths  # noqa: F401  (checks short texts before every flush)
from .db_errors import bad_url, translate

#: execution option of a connection whose transactions only read (SQLite: deferred BEGIN)
READ_ONLY = "landreserve_read_only"
DEFAULT_BUSY_TIMEOUT_S = Decimal(10)


def make_engine(url: str, *, busy_timeout: Decimal | float = DEFAULT_BUSY_TIMEOUT_S, **kwargs) -> Engine:
    """Create an engine; for a SQLite file the folder is created and foreign keys are enforced.

    ``postgresql://`` URLs use the psycopg 3 driver. ``busy_timeout`` (seconds) is how long a SQLite
    writer waits for another's lock. A URL that cannot be used is an ``InputError`` naming the setting.
    """
    try:
        parsed = make_url(url)
    except (sa_exc.ArgumentError, ValueError, TypeError):
        raise bad_url(str(url), "格式无法识别") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise bad_url(str(url), f"不支持的数据库类型“{backend}”（只支持 SQLite 和 PostgreSQL）")
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            path = Path(parsed.database)
            if path.is_dir():
                raise bad_url(str(url), f"“{path}”是一个文件夹，不是数据库文件")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise bad_url(str(url), f"无法建立文件夹“{path.parent}”（{exc.strerror or exc}）") from None
        try:
            engine = create_engine(parsed, **kwargs)
        except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, TypeError, ValueError) as exc:
            raise bad_url(str(url), type(exc).__name__) from None
        timeout_ms = int(Decimal(str(busy_timeout)) * 1000)
        event.listen(engine, "connect", lambda dbapi, record: _sqlite_on_connect(dbapi, record, timeout_ms))
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if not parsed.database:
        raise bad_url(str(url), "缺少数据库名（…/库名）")
    try:
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, TypeError, ValueError) as exc:
        raise bad_url(str(url), type(exc).__name__) from None


def _sqlite_on_connect(dbapi_connection, _record, timeout_ms: int) -> None:
    # Let SQLAlchemy issue BEGIN itself so that transactions (and SAVEPOINTs) are real.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0].lower() not in ("wal", "memory"):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One atomic unit of work: everything inside commits together or not at all."""
    try:
        with session_factory(engine)() as session, session.begin():
            yield session
    except sa_exc.IntegrityError:
        raise
    except sa_exc.DBAPIError as exc:
        raise translate(exc, engine.url) from exc


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """:func:`reading` without an ORM session: a read-only connection for Core statements (plain rows).
    For the reads of every web request, where the session's own cost would be most of the work."""
    try:
        with engine.connect() as connection:
            options = {READ_ONLY: True}
            if engine.dialect.name == "postgresql":
                options["postgresql_readonly"] = True
            connection.execution_options(**options)
            yield connection
    except sa_exc.DBAPIError as exc:
        raise translate(exc, engine.url) from exc


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work: on SQLite it never takes the write lock (so it neither waits for a
    writer nor blocks one); on PostgreSQL the transaction is ``READ ONLY``. Nothing it does is kept."""
    with read_connection(engine) as connection:
        # closing the session keeps what it loaded (no expiry); closing the connection rolls back
        with Session(bind=connection, expire_on_commit=False) as session:
            yield session
