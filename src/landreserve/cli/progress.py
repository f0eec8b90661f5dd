"""Progress bars on standard error for work that takes more than a second (building a layer's spatial
index, checking a big layer, importing many boundaries). Quick steps show nothing; ``--json`` output on
standard output is never mixed with them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

#: a step shows its bar once it has run this long
DELAY_SECONDS = 1.0


class DelayedBars:
    """A ``gis.progress.Progress`` callable that draws a Rich bar per step, from the first second on."""

    def __init__(self, console: Console | None = None, delay: float = DELAY_SECONDS) -> None:
        self.console = console or Console(stderr=True)
        self.delay = delay
        self._bars: Progress | None = None
        self._tasks: dict[str, int] = {}
        self._started: dict[str, float] = {}

    def __call__(self, description: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        started = self._started.setdefault(description, now)
        finished = total is not None and done >= total
        if description not in self._tasks:
            if finished or now - started < self.delay:
                return
            self._tasks[description] = self._live().add_task(description, total=total, completed=done)
            return
        assert self._bars is not None
        self._bars.update(self._tasks[description], total=total, completed=done)

    def _live(self) -> Progress:
        if self._bars is None:
            self._bars = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )
            self._bars.start()
        return self._bars

    def close(self) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None


@contextmanager
def progress_bars() -> Iterator[DelayedBars]:
    """Bars for the duration of one command (stopped cleanly also when the command fails)."""
    bars = DelayedBars()
    try:
        yield bars
    finally:
        bars.close()
