"""Results kept until the data changes: every write appends to the history log, so its head (``seq``) is
the version of everything a page shows. One small dictionary per process; the key names what was computed.

A logged-in request reads the head with its session (``deps.current_session``, one statement); a request
that writes, or one without a session, reads it when it asks for a kept result."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from ..services.context import Context
from ..services.dashboard import data_version
from .security import SAFE_METHODS

T = TypeVar("T")
_LOCK = threading.Lock()
LIMIT = 64


def version_of(request: Request, ctx: Context) -> int:
    """The data version this request sees: read with its session for a reading request, else read now
    (a request that writes must see its own write)."""
    version = getattr(request.state, "data_version", None)
    if version is None or request.method not in SAFE_METHODS:
        version = data_version(ctx)
        if request.method in SAFE_METHODS:
            request.state.data_version = version
    return version


def cached(request: Request, ctx: Context, key: tuple, compute: Callable[[], T]) -> tuple[T, int]:
    """(value, data version): computed again only when the history head moved since it was kept."""
    store = request.app.state.cache
    version = version_of(request, ctx)
    full = (*key, version)
    with _LOCK:
        if full in store:
            store.move_to_end(full)
            return store[full], version
    value = compute()
    with _LOCK:
        store[full] = value
        while len(store) > LIMIT:
            store.popitem(last=False)
    return value, version
