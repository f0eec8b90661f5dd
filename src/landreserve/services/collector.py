"""Python's cyclic garbage collector paused for the length of one bulk operation (a plan's reading, audit
and import).

Reading a 10,000-parcel plan builds hundreds of thousands of objects that all stay alive until the import
ends; the collector, started every few hundred allocations, keeps traversing them (its full collections walk
every live object) without finding anything to free — about a third of the CPU time of the import
(``python -m benchmarks plan_import``). Reference counting still frees every object that is no longer used;
only reference cycles wait for the collector, which runs again, as usual, once the operation is over.
Nested and concurrent uses (threads of the web application) are counted: the collector is switched back on
when the last one ends, and only if it was on before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting goes on)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
