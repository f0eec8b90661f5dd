"""The ``landreserve`` command line (Typer, ``cli.program``). Each module adds the commands of one domain area.

``from landreserve.cli import app`` gives the Typer app with every command. The console script's
:func:`main` imports Typer only when it is needed: a plain ``landreserve audit FILE [--json] [--explain]``,
the command users run most, runs without it (``cli.audit``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .program import COMMAND_MODULES, app

__all__ = ["COMMAND_MODULES", "app", "main"]


def __getattr__(name: str):
    """``app`` and ``COMMAND_MODULES``, from ``cli.program`` (which imports Typer) when first asked for."""
    if name in ("app", "COMMAND_MODULES"):
        from . import program

        return getattr(program, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """The ``landreserve`` console script."""
    from .audit import quick

    code = quick(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .program import run

    run()
