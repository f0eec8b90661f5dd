"""Results kept until the data changes: every write appends to the history log, so its head (``seq``) is
the version of everything a page shows. One small dictionary per process; the key names what was computed."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from ..services.context import Context
from ..services.dashboard import data_version

T = TypeVar("T")
_LOCK = threading.Lock()
LIMIT = 64


def cached(store: OrderedDict, ctx: Context, key: tuple, compute: Callable[[], T]) -> tuple[T, int]:
    """(value, data version): computed again only when the history head moved since it was kept."""
    version = data_version(ctx)
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
