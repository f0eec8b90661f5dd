"""The permission check of the use cases: ``@requires(Permission.X)`` on every writing service function.

The check runs before anything is read or written, so a refused user learns nothing from validation
messages and nothing is written; ``history.record`` checks again for every entry (deny by default).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..domain.permissions import Permission, require
from .context import Context

P = ParamSpec("P")
R = TypeVar("R")


def requires(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a use case whose first argument is the ``Context``: its actor must hold ``permission``."""

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            ctx = args[0] if args else kwargs.get("ctx")
            if not isinstance(ctx, Context):
                raise TypeError(f"{function.__qualname__}: the first argument must be the Context")
            require(ctx.actor, permission)
            return function(*args, **kwargs)

        checked.permission = permission  # type: ignore[attr-defined]
        return checked

    return wrap
