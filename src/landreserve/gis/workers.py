"""Spatial work split over the cores: vectorised Shapely calls over threads (Shapely releases the GIL
inside GEOS calls), or whole batches over worker processes (when reading and decoding, which hold the
GIL, are a large part of the work)."""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np

#: below this many items a second thread costs more than it saves
MIN_ITEMS_PER_THREAD = 2_000
#: modules the worker processes' server imports once, so that each worker starts without importing
PRELOAD = ["landreserve.gis.overlaps"]


def default_workers() -> int:
    """Threads to use by default: the CPUs this process may run on, at most 4."""
    return max(
        1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    )


def map_ranges(fn: Callable[[np.ndarray], np.ndarray], n: int, workers: int | None = None) -> np.ndarray:
    """``fn(indices)`` over ``range(n)`` split into contiguous parts, results concatenated in order.

    ``fn`` gets an index array and returns one value (or row) per index; with ``workers`` > 1 the parts
    run on threads, which only helps when ``fn`` spends its time in vectorised Shapely calls.
    """
    workers = default_workers() if workers is None else max(1, workers)
    parts = min(workers, max(1, n // MIN_ITEMS_PER_THREAD))
    if parts == 1:
        return fn(np.arange(n))
    ranges = np.array_split(np.arange(n), parts)
    with ThreadPoolExecutor(parts) as pool:
        return np.concatenate(list(pool.map(fn, ranges)))


def thread_map(fn: Callable, items: Sequence, workers: int) -> Iterator:
    """``fn(item)`` for each item on ``workers`` threads, results in order as they are ready."""
    with ThreadPoolExecutor(max(1, min(workers, len(items)))) as pool:
        yield from pool.map(fn, items)


def process_map(
    fn: Callable, items: Iterable, workers: int, initializer: Callable, initargs: tuple
) -> Iterator:
    """``fn(item)`` for each item in ``workers`` processes, results in order as they are ready.

    ``fn`` and ``initializer`` are module-level functions; ``initializer(*initargs)`` runs once in each
    process (give it what every item needs, so that it is sent once, not with each item). The processes
    are forked from a server started fresh (``forkserver``), never from this process, which may hold
    threads and locks; the server imports :data:`PRELOAD` once. Each process holds only the item it works
    on, so memory is bounded by ``workers`` items.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs) as pool:
        yield from pool.map(fn, items)


def peak_memory_mb() -> float:
    """This process's own peak resident memory (MB), from ``VmHWM`` where Linux gives it."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
