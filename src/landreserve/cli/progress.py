"""Progress bars on standard error for work that takes more than a second (building a layer's spatial
index, checking a big layer). Quick steps show nothing, and nothing is shown at all when standard error
is not a terminal (a log file, a pipe, a CI run) or the command answers in ``--json``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

#: a step shows its bar once it has run this long
DELAY_SECONDS = 1.0


@dataclass
class _Step:
    done: int
    total: int | None
    task: TaskID | None = None
    timer: threading.Timer | None = None


class DelayedBars:
    """A ``gis.progress.Progress`` callable that draws a Rich bar per step once the step has run for
    ``delay`` seconds — also a step that reports nothing until it ends (a timer shows it), so that a long
    single operation still shows its elapsed time."""

    def __init__(
        self, console: Console | None = None, delay: float = DELAY_SECONDS, quiet: bool = False
    ) -> None:
        self.console = console or Console(stderr=True)
        self.delay = delay
        #: draw nothing: not a terminal, or asked for
        self.quiet = quiet or not self.console.is_terminal
        self._bars: Progress | None = None
        self._steps: dict[str, _Step] = {}
        self._lock = threading.Lock()

    def __call__(self, description: str, done: int, total: int | None) -> None:
        if self.quiet:
            return
        finished = total is not None and done >= total
        with self._lock:
            step = self._steps.get(description)
            if step is None:
                if finished:
                    return  # over before it was shown
                step = self._steps[description] = _Step(done, total)
                if self.delay <= 0:
                    self._show(step, description)
                else:
                    step.timer = threading.Timer(self.delay, self._show_later, (description,))
                    step.timer.daemon = True
                    step.timer.start()
                return
            step.done, step.total = done, total
            if step.task is not None:
                assert self._bars is not None
                self._bars.update(step.task, total=total, completed=done)
            if finished:
                if step.timer is not None:
                    step.timer.cancel()
                del self._steps[description]

    def _show_later(self, description: str) -> None:
        with self._lock:
            step = self._steps.get(description)
            if step is not None and step.task is None:
                self._show(step, description)

    def _show(self, step: _Step, description: str) -> None:
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
        step.task = self._bars.add_task(description, total=step.total, completed=step.done)

    def close(self) -> None:
        with self._lock:
            for step in self._steps.values():
                if step.timer is not None:
                    step.timer.cancel()
            self._steps.clear()
            if self._bars is not None:
                self._bars.stop()
                self._bars = None


@contextmanager
def progress_bars(quiet: bool = False) -> Iterator[DelayedBars]:
    """Bars for the duration of one command (stopped cleanly also when the command fails); none at all
    when ``quiet`` (the command answers in ``--json``) or standard error is not a terminal."""
    bars = DelayedBars(quiet=quiet)
    try:
        yield bars
    finally:
        bars.close()
