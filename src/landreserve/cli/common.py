"""What every command shares: the console, the acting user, and the one mapping of errors to exit codes.

Exit codes: 0 success; 1 refused by a rule, a conflict, not found, or (for ``audit``) error findings;
2 input that cannot be read (file, line or field named in the message).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from ..domain.actors import Actor
from ..errors import InputError, LandReserveError
from .lazy import lazy

if TYPE_CHECKING:
    from ..services.context import Context

contexts = lazy("landreserve.services.context")

console = Console()
err_console = Console(stderr=True)

EXIT_RULE = 1
EXIT_INPUT = 2


def exit_code_for(error: LandReserveError) -> int:
    return EXIT_INPUT if isinstance(error, InputError) else EXIT_RULE


@contextmanager
def handled(as_json: bool = False) -> Iterator[None]:
    """Turn a ``LandReserveError`` into a Chinese message (or the JSON error shape) and an exit code."""
    try:
        yield
    except LandReserveError as error:
        if as_json:
            print(json.dumps(error.to_dict(), ensure_ascii=False))
        else:
            err_console.print(f"[bold red]错误[/]：{error.message}", highlight=False)
            for reason in error.details.get("reasons", []):
                err_console.print(f"  - {reason}", highlight=False)
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
