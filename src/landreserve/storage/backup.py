"""Backups of the whole database and their restoration: ``landreserve db backup`` / ``db restore``.

- **SQLite**: a consistent copy through SQLite's own online backup API (``sqlite3.Connection.backup``), taken
  while other commands may be reading or writing; written to a temporary file beside the target and renamed,
  so a half-written backup never carries the target's name. Restoring copies the backup into the configured
  file through the same API, under SQLite's lock (readers never see half a database).
- **PostgreSQL**: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists --single-transaction``
  (PostgreSQL's own tools, from the PATH: Debian package ``postgresql-client`` of the server's version); the
  password is passed in the environment (``PGPASSWORD``), never on the command line.

A backup made from one kind of database cannot be restored into the other; the file's first bytes tell which
it is (``SQLite format 3`` or ``PGDMP``). Every failure is an error in Chinese naming the file or the tool.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, Engine

from ..errors import DatabaseError, InputError
from .guards import drop_extension_guards

SQLITE_HEADER = b"SQLite format 3\x00"
PG_HEADER = b"PGDMP"
#: tables every landreserve database has (a SQLite file without them is not a landreserve backup)
REQUIRED_TABLES = ("alembic_version", "history_entries")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    kind: str  # "sqlite" | "postgresql"


def backup(engine: Engine, target: str | Path) -> BackupResult:
    """Write a backup of the database behind ``engine`` to ``target`` (refused when ``target`` exists)."""
    target = Path(target)
    if target.exists():
        raise InputError(
            f"备份文件“{target}”已存在：为免覆盖以前的备份，请换一个文件名（例如加上日期）",
            code="backup.exists",
            details={"file": str(target)},
        )
    if not target.parent.is_dir():
        raise InputError(f"备份文件夹“{target.parent}”不存在，请先建立它或换一个路径", code="backup.folder")
    kind = engine.url.get_backend_name()
    with _temporary_beside(target) as temporary:
        if kind == "sqlite":
            _sqlite_copy(_sqlite_path(engine.url), temporary)
        else:
            _run_tool("pg_dump", ["--format=custom", "--no-owner", f"--file={temporary}", _libpq_url(engine.url)],
                      engine.url)  # fmt: skip
        os.replace(temporary, target)
    return BackupResult(target, target.stat().st_size, kind)


def restore(engine: Engine, source: str | Path) -> str:
    """Replace the database behind ``engine`` with the backup ``source``; the kind of database restored."""
    source = Path(source)
    head = _head_of(source)
    kind = engine.url.get_backend_name()
    if kind == "sqlite":
        if not head.startswith(SQLITE_HEADER):
            raise _wrong_kind(source, head, "SQLite")
        _check_sqlite_backup(source)
        engine.dispose()
        _sqlite_copy(source, _sqlite_path(engine.url))
    else:
        if not head.startswith(PG_HEADER):
            raise _wrong_kind(source, head, "PostgreSQL（pg_dump --format=custom）")
        with engine.begin() as connection:  # a guard on an extension table would stop --clean
            drop_extension_guards(connection)
        engine.dispose()
        args = ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner"]
        _run_tool("pg_restore", [*args, "--dbname", _libpq_url(engine.url), str(source)], engine.url)
    return kind


# --- SQLite -------------------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise InputError(
            f"数据库“{url.database or '（内存）'}”不是一个 SQLite 文件，无法备份或恢复；请在 LANDRESERVE_DATABASE_URL "
            "中写出文件路径",
            code="backup.not_a_file",
        )
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` into ``target`` with the online backup API."""
    try:
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
    except sqlite3.Error as error:
        raise DatabaseError(
            f"复制 SQLite 数据库“{source}”到“{target}”失败：{error}。请确认两个文件都可读写、磁盘有空间",
            code="backup.sqlite",
        ) from None


def _check_sqlite_backup(source: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as error:
        raise InputError(f"备份文件“{source}”无法读取：{error}", code="backup.unreadable") from None
    if integrity != "ok":
        raise InputError(
            f"备份文件“{source}”已损坏（SQLite 完整性检查：{integrity[:200]}），未恢复任何内容；请换一份备份",
            code="backup.damaged",
        )
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise InputError(
            f"“{source}”是 SQLite 数据库，但不是 landreserve 的备份（缺少表 {'、'.join(missing)}），未恢复任何内容",
            code="backup.not_landreserve",
        )


# --- PostgreSQL ---------------------------------------------------------------------------------------


def _libpq_url(url: URL) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver name, no password (that goes into ``PGPASSWORD``)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run_tool(tool: str, args: list[str], url: URL) -> None:
    found = shutil.which(tool)
    if found is None:
        raise InputError(
            f"找不到 PostgreSQL 工具 {tool}：请安装与数据库服务器版本相同的 PostgreSQL 客户端"
            "（Debian/Ubuntu：apt install postgresql-client），并确认它在 PATH 中",
            code="backup.tool_missing",
            details={"tool": tool},
        )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run([found, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[:3])[:400]
        raise DatabaseError(
            f"{tool} 失败（退出码 {done.returncode}）：{detail}。若提示版本不符，请安装与服务器相同版本的 PostgreSQL 客户端",
            code="backup.tool_failed",
            details={"tool": tool},
        )


# --- files ---------------------------------------------------------------------------------------------


class _temporary_beside:
    """A temporary file name in ``target``'s folder, removed on the way out unless it was renamed."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> Path:
        handle, name = tempfile.mkstemp(prefix=".landreserve-backup-", dir=self.target.parent)
        os.close(handle)
        self.path = Path(name)
        self.path.unlink()  # the tools create the file themselves
        return self.path

    def __exit__(self, *exc) -> None:
        self.path.unlink(missing_ok=True)


def _head_of(source: Path) -> bytes:
    if not source.is_file():
        raise InputError(f"备份文件“{source}”不存在", code="backup.not_found", details={"file": str(source)})
    with source.open("rb") as f:
        return f.read(16)


def _wrong_kind(source: Path, head: bytes, expected: str) -> InputError:
    actual = (
        "SQLite 数据库"
        if head.startswith(SQLITE_HEADER)
        else "PostgreSQL 备份"
        if head.startswith(PG_HEADER)
        else "未知格式"
    )
    return InputError(
        f"“{source}”是{actual}，不能恢复到当前数据库（需要 {expected} 的备份）。请确认 LANDRESERVE_DATABASE_URL 和备份文件",
        code="backup.wrong_kind",
        details={"file": str(source)},
    )
