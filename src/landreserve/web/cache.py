"""Results kept until the data changes: every write appends to the history log, so its head (``seq``) is
the version of everything a page shows. Two small stores per process (``app.state``): ``cache`` for
computed results (dashboard figures, a list's totals), ``rendered`` for answers as sent (a list's rows as
HTML, a list page as JSON bytes), bounded in count and in size. The key names what was computed.

A logged-in request reads the head with its session (``deps.current_session``, one statement); a request
that writes, or one without a session, reads it when it asks for a kept result."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from fastapi import Request

from ..services.context import Context
from ..services.dashboard import data_version
from .security import SAFE_METHODS

T = TypeVar("T")
LIMIT = 64
#: answers as sent: a 50-row list page is some 20 kB of HTML or 11 kB of JSON, 500 rows ten times that
RENDERED_LIMIT, RENDERED_MAX_SIZE = 256, 16 * 1024 * 1024


class Kept:
    """Values kept per (key, data version), the least recently used dropped first: at most ``limit``
    entries and, counting texts and bytes by their length, ``max_size`` in all (a larger value is not
    kept). Keeping a value of a newer version drops those of older ones: no request that starts now can
    ask for them. ``computed`` counts the values computed (what tests count)."""

    def __init__(self, limit: int = LIMIT, max_size: int | None = None):
        self.limit, self.max_size = limit, max_size
        self.computed = 0
        self._entries: OrderedDict[tuple, Any] = OrderedDict()
        self._size = 0
        self._newest = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def peek(self, key: Hashable, version: int) -> Any | None:
        """The value kept for ``key`` at ``version``, or None (nothing computed)."""
        with self._lock:
            value = self._entries.get((key, version))
            if value is not None:
                self._entries.move_to_end((key, version))
            return value

    def get(self, key: Hashable, version: int, compute: Callable[[], T]) -> T:
        full = (key, version)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                return self._entries[full]
            self.computed += 1
        value = compute()
        self._keep(full, value)
        return value

    def _keep(self, full: tuple, value: Any) -> None:
        size = len(value) if isinstance(value, str | bytes) else 0
        if self.max_size is not None and size > self.max_size:
            return
        with self._lock:
            if full[1] > self._newest:
                self._newest = full[1]
                for old in [k for k in self._entries if k[1] < full[1]]:
                    self._drop(old)
            if full in self._entries:
                self._drop(full)
            self._entries[full] = value
            self._size += size
            while len(self._entries) > self.limit or (
                self.max_size is not None and self._size > self.max_size
            ):
                self._drop(next(iter(self._entries)))

    def _drop(self, full: tuple) -> None:
        value = self._entries.pop(full)
        self._size -= len(value) if isinstance(value, str | bytes) else 0


def version_of(request: Request, ctx: Context) -> int:
    """The data version this request sees: read with its session for a reading request, else read now
    (a request that writes must see its own write)."""
    version = getattr(request.state, "data_version", None)
    if version is None or request.method not in SAFE_METHODS:
        version = data_version(ctx)
        if request.method in SAFE_METHODS:
            request.state.data_version = version
    return version


def cached(request: Request, ctx: Context, key: tuple, compute: Callable[[], T], *,
           store: str = "cache") -> tuple[T, int]:  # fmt: skip
    """(value, data version): computed again only when the history head moved since it was kept.
    ``store``: ``cache`` for computed results, ``rendered`` for answers as sent."""
    kept: Kept = getattr(request.app.state, store)
    version = version_of(request, ctx)
    return kept.get(key, version, compute), version


def kept(request: Request, key: tuple, *, store: str = "rendered") -> Any | None:
    """What ``cached`` would answer, without a trip to a worker thread, when it is kept at the version read
    with this request's session (None otherwise: then call ``cached`` in a worker thread)."""
    version = getattr(request.state, "data_version", None)
    if version is None or request.method not in SAFE_METHODS:
        return None
    return getattr(request.app.state, store).peek(key, version)
