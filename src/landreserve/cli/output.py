"""What the command line prints, without Typer: the console, JSON, and errors as Chinese messages with their
exit codes.

Exit codes: 0 success; 1 refused by a rule, a conflict, not found, the database busy, or (for ``audit``)
error findings; 2 input that cannot be read (file, line, field or setting named in the message); 3 the
database cannot be used (down, missing, not a database); 4 a program error (reported in Chinese, with
the traceback only when ``LANDRESERVE_DEBUG=1``).

Nothing here imports Typer or click, so that ``landreserve audit`` can run without them (``cli.audit``).
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

from ..errors import DatabaseBusyError, DatabaseError, InputError, InternalError, LandReserveError

if TYPE_CHECKING:
    from rich.console import Console


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


def shown(exc: Exception, as_json: bool = False) -> int:
    """Show an exception that reached a command as its Chinese message (or the JSON error shape) and return its
    exit code; a program error is raised again under ``LANDRESERVE_DEBUG=1`` (its traceback shown instead)."""
    if debugging() and not isinstance(exc, LandReserveError):
        raise exc
    error = as_user_error(exc)
    report_error(error, as_json)
    return exit_code_for(error)


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
