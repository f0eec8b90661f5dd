"""What every command shares: the console, the acting user, and the one mapping of errors to exit codes
(``cli.output``, which has no Typer in it; exit codes there).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from ..domain.actors import Actor
from ..errors import InputError
from .lazy import lazy
from .output import (  # noqa: F401 - the commands take these from here
    EXIT_DATABASE,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_RULE,
    console,
    err_console,
    print_json,
    shown,
)

if TYPE_CHECKING:
    from ..services.context import Context

contexts = lazy("landreserve.services.context")
#: the command line's own usage errors, passed on to typer (``click.ClickException`` before typer 0.26)
USAGE_ERROR = getattr(typer, "TyperException", None) or __import__("click").ClickException


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
        raise typer.Exit(shown(exc, as_json)) from None


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
