"""Results of the spatial benchmark's contenders in one shape: per-parcel areas, and overlapping pairs."""

from __future__ import annotations

import numpy as np


def per_parcel(index: np.ndarray, areas: np.ndarray, n: int) -> np.ndarray:
    """Area per parcel index (0 … n − 1), summed over the pieces ``index`` points at."""
    return np.bincount(np.asarray(index, dtype=np.int64), weights=np.asarray(areas, dtype=float), minlength=n)


def canonical_pairs(i, j, areas):
    """Pairs ``i < j`` with a positive shared area, sorted by ``(i, j)``."""
    i, j, areas = np.asarray(i), np.asarray(j), np.asarray(areas, dtype=float)
    keep = (i < j) & (areas > 0)
    i, j, areas = i[keep], j[keep], areas[keep]
    order = np.lexsort((j, i))
    return i[order], j[order], areas[order]
