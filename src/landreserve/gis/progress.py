"""How long spatial work reports its progress: a callable the command line turns into a progress bar.

``progress(description, done, total)`` is called when a step starts (``done == 0``), as it advances and
when it ends (``done == total``; a step whose size was unknown ends with ``total = done``). ``total`` is
``None`` while the size is unknown. The callable must be cheap; it is called at most a few times a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Progress = Callable[[str, int, int | None], None]
T = TypeVar("T")
#: reports of a step as it advances (:func:`counted`), besides its start and its end
UPDATES = 100


def no_progress(description: str, done: int, total: int | None) -> None:
    """The default: report nothing."""


def counted(progress: Progress, description: str, items: Sequence[T], updates: int = UPDATES) -> Iterator[T]:
    """Yield ``items`` and report the step: ``0`` before the first, about ``updates`` times as it
    advances (after every ``len(items) // updates`` items), and ``len(items)`` once the last is done."""
    total = len(items)
    progress(description, 0, total)
    every = max(1, total // max(1, updates))
    for done, item in enumerate(items, 1):
        yield item
        if done % every == 0 and done < total:
            progress(description, done, total)
    progress(description, total, total)
