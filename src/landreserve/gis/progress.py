"""How long spatial work reports its progress: a callable the command line turns into a progress bar.

``progress(description, done, total)`` is called when a step starts (``done == 0``), as it advances and
when it ends (``done == total``; a step whose size was unknown ends with ``total = done``). ``total`` is
``None`` while the size is unknown. The callable must be cheap; it is called at most a few times a second.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int | None], None]


def no_progress(description: str, done: int, total: int | None) -> None:
    """The default: report nothing."""
