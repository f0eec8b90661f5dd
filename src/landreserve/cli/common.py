"""What every command shares: the console, the acting user, and the one mapping of errors to exit codes.

Exit codes: 0 success; 1 refused by a rule, a conflict, not found, the database busy, or (for ``audit``)
error findings; 2 input that cannot be read (file, line, field or setting named in the message); 3 the
database cannot be used (down, missing, not a database); 4 a program error (reported in Chinese, with
the traceback only when ``LANDRESERVE_DEBUG=1``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from ..domain.actors import Actor
from ..errors import DatabaseBusyError, DatabaseError, InputError, InternalError, LandReserveError
from .lazy import lazy

if TYPE_CHECKING:
    from rich.console import Console

    from ..services.context import Context

contexts = lazy("landreserve.services.context")
#: the command line's own usage errors, passed on to typer (``click.ClickException`` before typer 0.26)
USAGE_ERROR = getattr(typer, "TyperException", None) or __import__("click").ClickException


class _DeferredConsole:
    """rich's ``Console``, made on first use: ``audit --json`` and the help screens then load no
    ``rich.console`` (≈ 30 ms of imports; ``tests/test_cli_startup.py``). It writes to the ``sys.stdout`` or
    ``sys.stderr`` of the moment of printing, as a ``Console()`` made at import does."""

    def __init__(self, **options: object) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)  # type: ignore[arg-type]
        return getattr(self._console, name)


console: Console = _DeferredConsole()  # type: ignore[assignment]
err_console: Console = _DeferredConsole(stderr=True)  # type: ignore[assignment]

EXIT_RULE = 1
EXIT_INPUT = 2
EXIT_DATABASE = 3
EXIT_INTERNAL = 4


def exit_code_for(error: LandReserveError) -> int:
    if isinstance(error, InputError):
        return EXIT_INPUT
    if isinstance(error, DatabaseError) and not isinstance(error, DatabaseBusyError):
        return EXIT_DATABASE
    if isinstance(error, InternalError):
        return EXIT_INTERNAL
    return EXIT_RULE


def debugging() -> bool:
    """``LANDRESERVE_DEBUG=1``: let a program error show its traceback (for developers)."""
    return os.environ.get("LANDRESERVE_DEBUG", "").strip() in ("1", "true", "yes")


def as_user_error(exc: Exception) -> LandReserveError:
    """Any exception that reached the command line, as the Chinese error shown to the user."""
    if isinstance(exc, LandReserveError):
        return exc
    sqlalchemy = sys.modules.get("sqlalchemy")  # an SQLAlchemy error means it is loaded; never load it here
    if sqlalchemy is not None and isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
        from ..storage.db_errors import translate

        return translate(exc, os.environ.get("LANDRESERVE_DATABASE_URL"))
    if isinstance(exc, MemoryError):
        return InternalError("内存不足，操作未完成，也没有写入任何数据：请关闭其他程序或拆分输入文件后重试")
    if isinstance(exc, OSError):
        name = f"“{exc.filename}”" if getattr(exc, "filename", None) else ""
        return InputError(
            f"文件{name}无法读写（{exc.strerror or type(exc).__name__}）：请检查路径和权限", code="input.file"
        )
    return InternalError(
        f"程序内部错误（{type(exc).__name__}），操作未完成，也没有写入任何数据。这是程序的问题，不是您的输入有误："
        "请把所用的命令和文件报告给信息中心；设置 LANDRESERVE_DEBUG=1 可显示详细信息"
    )


def report_error(error: LandReserveError, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps(error.to_dict(), ensure_ascii=False))
        return
    from rich.markup import escape

    err_console.print(f"[bold red]错误[/]：{escape(error.message)}", highlight=False, soft_wrap=True)
    for reason in error.details.get("reasons", []):
        err_console.print(f"  - {escape(str(reason))}", highlight=False, soft_wrap=True)


@contextmanager
def handled(as_json: bool = False) -> Iterator[None]:
    """Turn any error into a Chinese message (or the JSON error shape) and an exit code — never a traceback.

    A ``LandReserveError`` is shown as it is; a database failure is translated (no SQL shown); anything
    else is a program error (exit code 4) whose traceback only ``LANDRESERVE_DEBUG=1`` shows.
    """
    try:
        yield
    except (typer.Exit, typer.Abort, USAGE_ERROR):
        raise
    except Exception as exc:  # noqa: BLE001 - the one place where every error becomes a message
        if debugging() and not isinstance(exc, LandReserveError):
            raise
        error = as_user_error(exc)
        report_error(error, as_json)
        raise typer.Exit(exit_code_for(error)) from None


def actor_from(user: str | None, department: str | None) -> Actor:
    """The acting user: options first, then ``LANDRESERVE_USER`` / ``LANDRESERVE_DEPARTMENT``."""
    base = contexts.default_actor()
    try:
        return Actor(user or base.name, department or base.department)
    except ValueError as exc:
        raise InputError(str(exc), code="input.actor") from exc


def context(user: str | None = None, department: str | None = None) -> Context:
    """Open the configured database as the given user (creates/migrates the schema when needed)."""
    return contexts.open_context(actor=actor_from(user, department))


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
