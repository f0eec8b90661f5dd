"""Vectorised Shapely work split over a few threads (Shapely releases the GIL inside GEOS calls)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

#: below this many items a second thread costs more than it saves
MIN_ITEMS_PER_THREAD = 2_000


def default_workers() -> int:
    """Threads to use by default: the CPUs this process may run on, at most 4."""
    return max(
        1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    )


def map_ranges(fn: Callable[[np.ndarray], np.ndarray], n: int, workers: int | None = None) -> np.ndarray:
    """``fn(indices)`` over ``range(n)`` split into contiguous parts, results concatenated in order.

    ``fn`` gets an index array and returns one value per index; with ``workers`` > 1 the parts run on
    threads, which only helps when ``fn`` spends its time in vectorised Shapely calls.
    """
    workers = default_workers() if workers is None else max(1, workers)
    parts = min(workers, max(1, n // MIN_ITEMS_PER_THREAD))
    if parts == 1:
        return fn(np.arange(n))
    ranges = np.array_split(np.arange(n), parts)
    with ThreadPoolExecutor(parts) as pool:
        return np.concatenate(list(pool.map(fn, ranges)))
