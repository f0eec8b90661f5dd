"""Overlaps between reserve parcels and near-duplicate boundaries under different codes.

Parcels of one plan, or of several plans and years (give keys that tell them apart, e.g.
``"2025/BC2025CB011"``), are paired with an ``STRtree`` (box query, each pair once), tested with
prepared geometries, and their shared area computed vectorised — with exact shortcuts when one parcel
lies properly inside the other. A pair whose shared area is large compared with both parcels is a
near-duplicate: the symmetric difference over the union, ``1 − shared / (a + b − shared)``, is at most
``max_difference`` (or, optionally, the Hausdorff distance between the boundaries is at most
``max_hausdorff_m``).

Parcel geometries are Shapely polygons or multipolygons in one projected CRS (metres).

Public API
----------
``overlap_pairs(geometries, min_area_m2=0.0) -> (i, j, area)``: NumPy core, pairs ``i < j`` by index.
``layer_overlap_pairs(path, layer=None, min_area_m2=0.0, …) -> (i, j, area)``: the same, straight from a
    layer file (``i``/``j``: the features' positions in the file's fid order), in Z-ordered batches over
    the threads with bounded memory — a million parcels in a few hundred MB.
``find_overlaps(parcels, min_area_m2=Decimal("0.01"), ignore=None) -> list[Overlap]``
    ``Overlap(code_a, code_b, area_m2, area_a_m2, area_b_m2)`` with ``share_a``, ``share_b`` and
    ``difference_ratio``.
``find_near_duplicates(parcels, max_difference=Decimal("0.05"), max_hausdorff_m=None, overlaps=None,
    ignore=None) -> list[NearDuplicate]``: ``NearDuplicate(code_a, code_b, difference_ratio,
    hausdorff_m, area_m2)``.
``overlap_findings(overlaps, tolerance_m2=Decimal("1"))`` and ``near_duplicate_findings(duplicates)``:
    audit findings with Chinese messages and the areas.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import shapely

from landreserve.domain.findings import Finding, Severity
from landreserve.gis.layers import LayerSource, indexed_layer, iter_features, z_order
from landreserve.gis.progress import Progress, no_progress
from landreserve.gis.workers import default_workers, map_ranges

#: candidate pairs tested at once in :func:`overlap_pairs` (bounds the prepared geometries held)
PAIR_CHUNK = 100_000
#: parcels leading one batch of :func:`layer_overlap_pairs`
LAYER_BATCH = 20_000

Ignore = Callable[[Hashable, Hashable], bool]


def _dec(value: float) -> Decimal:
    return Decimal(repr(float(value)))


@dataclass(frozen=True)
class Overlap:
    """Two parcels sharing ``area_m2`` ㎡; ``area_a_m2`` and ``area_b_m2`` are their own areas."""

    code_a: Hashable
    code_b: Hashable
    area_m2: Decimal
    area_a_m2: Decimal
    area_b_m2: Decimal

    @property
    def share_a(self) -> Decimal:
        """Shared area as a fraction of parcel a (0–1)."""
        return self.area_m2 / self.area_a_m2 if self.area_a_m2 else Decimal(0)

    @property
    def share_b(self) -> Decimal:
        return self.area_m2 / self.area_b_m2 if self.area_b_m2 else Decimal(0)

    @property
    def difference_ratio(self) -> Decimal:
        """Symmetric difference over union: 0 for identical boundaries, 1 for disjoint parcels."""
        union = self.area_a_m2 + self.area_b_m2 - self.area_m2
        return max(Decimal(0), 1 - self.area_m2 / union) if union > 0 else Decimal(0)


@dataclass(frozen=True)
class NearDuplicate:
    """Two codes whose boundaries nearly coincide."""

    code_a: Hashable
    code_b: Hashable
    difference_ratio: Decimal
    hausdorff_m: Decimal
    area_m2: Decimal


def overlap_pairs(
    geometries, min_area_m2: float = 0.0, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of geometries (by index, ``i < j``) sharing more than ``min_area_m2``, with that area.

    ``None`` and empty geometries overlap nothing. The pairs come sorted by ``(i, j)``. ``workers``:
    threads for the geometry (default: the CPUs available, at most 4); give 1 when some geometries
    were prepared by the caller (GEOS prepares lazily, which is not safe from two threads).
    """
    geoms = np.asarray(geometries, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms = np.where(present, geoms, None)
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms)
    keep = i < j
    i, j = i[keep], j[keep]
    # Prepare only the geometries that lead a candidate pair (and were not prepared by the caller), test
    # on this thread, and unprepare before the threads: GEOS builds a prepared geometry's indexes lazily,
    # which is not safe from two threads at once.
    meet = np.zeros(len(i), dtype=bool)
    for start in range(0, len(i), PAIR_CHUNK):  # prepared geometries are big: a chunk of them at a time
        part = slice(start, start + PAIR_CHUNK)
        leading = geoms[np.unique(i[part])]
        leading = leading[~shapely.is_prepared(leading)]
        shapely.prepare(leading)
        try:
            meet[part] = shapely.intersects(geoms[i[part]], geoms[j[part]])
        finally:
            shapely.destroy_prepared(leading)
    i, j = i[meet], j[meet]
    own = shapely.area(geoms)
    area = map_ranges(lambda k: _shared_areas(geoms, own, i[k], j[k]), len(i), workers)
    keep = area > min_area_m2
    order = np.lexsort((j[keep], i[keep]))
    return i[keep][order], j[keep][order], area[keep][order]


def _shared_areas(geoms: np.ndarray, own: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Shared area of each pair; a geometry properly inside the other shares exactly its whole area.

    The intersection is computed for every pair; only the pairs whose shared area is within 1e-9 of one
    parcel's own area are tested for containment (a relate test costs about as much as the intersection).
    """
    a, b = geoms[i], geoms[j]
    area = shapely.area(shapely.intersection(a, b))
    near_a = np.flatnonzero(np.abs(area - own[i]) <= 1e-9 * own[i])
    a_in_b = near_a[shapely.contains_properly(b[near_a], a[near_a])]
    area[a_in_b] = own[i[a_in_b]]
    near_b = np.flatnonzero(np.abs(area - own[j]) <= 1e-9 * own[j])
    near_b = near_b[~np.isin(near_b, a_in_b)]
    b_in_a = near_b[shapely.contains_properly(a[near_b], b[near_b])]
    area[b_in_a] = own[j[b_in_a]]
    return area


def layer_overlap_pairs(
    path: str | Path,
    layer: str | None = None,
    *,
    min_area_m2: float = 0.0,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    batch_size: int = LAYER_BATCH,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Overlapping pairs among the features of a layer file, as :func:`overlap_pairs` gives them.

    ``i < j`` are the features' positions in the file's fid order (the order ``layers.read_all`` reads
    them in), sorted by ``(i, j)``. Only the boxes of all features are held at once: the features are
    taken in batches of ``batch_size`` neighbours (Z-order of their boxes), and each batch reads from the
    spatial index just the features that can touch it (a file without index is indexed once into the
    layer cache, ``cache_dir``). A pair is computed in the batch of the one of its two features that
    comes first in the Z-order, so each pair once. Batches run on ``workers`` threads, each with its own
    decoded (and prepared) geometries.
    """
    source = indexed_layer(path, layer, cache_dir=cache_dir, progress=progress)
    labels, boxes = _index_boxes(source)
    order = z_order(boxes) if len(boxes) else np.zeros(0, dtype=np.int64)
    sorted_labels = np.sort(labels)
    position = np.searchsorted(sorted_labels, labels)  # file-order position of each indexed feature
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels))
    by_label_rank = np.empty(len(labels), dtype=np.int64)
    by_label_rank[position] = rank  # z-rank of the feature at each file-order position
    batches = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]

    def run(batch: np.ndarray):
        return _layer_batch_pairs(source, position[batch], boxes[batch], sorted_labels, by_label_rank)

    report = progress or no_progress
    description = f"检查图层 {Path(path).name} 中的重叠"
    report(description, 0, len(labels))
    found, done = [], 0
    workers = default_workers() if workers is None else max(1, workers)
    with ThreadPoolExecutor(max(1, min(workers, len(batches)))) as pool:
        for batch, pairs in zip(batches, pool.map(run, batches), strict=True):
            found.append(pairs)
            done += len(batch)
            report(description, done, len(labels))
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    i, j, area = (np.concatenate(parts) for parts in zip(*found, strict=True))
    keep = area > min_area_m2
    i, j, area = np.minimum(i, j)[keep], np.maximum(i, j)[keep], area[keep]
    order = np.lexsort((j, i))
    return i[order], j[order], area[order]


def _index_boxes(source: LayerSource) -> tuple[np.ndarray, np.ndarray]:
    """Every indexed feature's label fid and R-tree box ``(minx, miny, maxx, maxy)``."""
    with closing(sqlite3.connect(f"{source.index_path.resolve().as_uri()}?mode=ro", uri=True)) as con:
        rows = con.execute(f'SELECT id, minx, miny, maxx, maxy FROM "{source.rtree}" ORDER BY id').fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        boxes = np.array([r[1:] for r in rows], dtype=float).reshape(-1, 4)
        if source.label_fid_column and source.label_fid_column != source.fid_column:
            mapping = con.execute(
                f'SELECT "{source.fid_column}", "{source.label_fid_column}" FROM "{source.table}" ORDER BY 1'
            ).fetchall()
            fid = np.array([m[0] for m in mapping], dtype=np.int64)
            label = np.array([m[1] for m in mapping], dtype=np.int64)
            ids = label[np.searchsorted(fid, ids)]
    return ids, boxes


def cell_boxes(boxes: np.ndarray, per_cell: int = 64) -> np.ndarray:
    """A few boxes covering ``boxes``: the boxes grouped by the cell of a grid their centre falls in (about
    ``per_cell`` to a cell), each group replaced by its bounding box.

    One R-tree search per group instead of one per box (a search costs ~7 µs in SQLite); the features
    found are a superset of those meeting a box, which the exact pairing then filters.
    """
    if len(boxes) <= per_cell:
        return boxes
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2
    low, span = centres.min(axis=0), np.ptp(centres, axis=0)
    side = max(1, int(np.sqrt(len(boxes) / per_cell)))
    cell = np.minimum(((centres - low) / np.where(span > 0, span, 1) * side).astype(np.int64), side - 1)
    key = cell[:, 0] * side + cell[:, 1]
    order = np.argsort(key, kind="stable")
    key, sorted_boxes = key[order], boxes[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return np.column_stack(
        (
            np.minimum.reduceat(sorted_boxes[:, 0], starts),
            np.minimum.reduceat(sorted_boxes[:, 1], starts),
            np.maximum.reduceat(sorted_boxes[:, 2], starts),
            np.maximum.reduceat(sorted_boxes[:, 3], starts),
        )
    )


def _layer_batch_pairs(source, lead_positions, lead_boxes, sorted_labels, rank_at):
    """Pairs led by one batch: (position, position, shared area) where the lead comes first in Z-order."""
    fetched_pos, fetched = [], []
    for fids, geoms in iter_features(source, cell_boxes(lead_boxes)):
        fetched_pos.append(np.searchsorted(sorted_labels, fids))
        fetched.append(geoms)
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    if not fetched:
        return empty
    pos = np.concatenate(fetched_pos)
    geoms = np.concatenate(fetched)
    present = ~shapely.is_empty(geoms)
    pos, geoms = pos[present], geoms[present]
    lead = np.flatnonzero(np.isin(pos, lead_positions))
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms[lead])
    a = lead[a]
    keep = rank_at[pos[a]] < rank_at[pos[b]]
    a, b = a[keep], b[keep]
    if len(a) == 0:
        return empty
    # these geometries were decoded for this batch alone: preparing them here is safe on this thread
    shapely.prepare(geoms[np.unique(a)])
    meet = shapely.intersects(geoms[a], geoms[b])
    a, b = a[meet], b[meet]
    own = shapely.area(geoms)
    area = _shared_areas(geoms, own, a, b)
    return pos[a], pos[b], area


def find_overlaps(
    parcels: Mapping[Hashable, object], min_area_m2: Decimal = Decimal("0.01"), ignore: Ignore | None = None
) -> list[Overlap]:
    """Every pair of parcels sharing more than ``min_area_m2`` ㎡ (touching parcels share none).

    Parameters
    ----------
    parcels
        Parcel key (code, or e.g. ``"2025/BC2025CB011"`` across plans) → polygon in a projected CRS.
    min_area_m2
        Smallest shared area reported.
    ignore
        ``ignore(key_a, key_b)`` true for pairs that are not a conflict (e.g. the same parcel carried
        over into next year's plan).

    Returns
    -------
    list[Overlap]
        Sorted by the parcels' order in ``parcels``.
    """
    keys = list(parcels)
    geoms = np.asarray(list(parcels.values()), dtype=object)
    i, j, area = overlap_pairs(geoms, float(min_area_m2))
    own = shapely.area(geoms)
    found = [
        Overlap(keys[a], keys[b], _dec(s), _dec(own[a]), _dec(own[b]))
        for a, b, s in zip(i, j, area, strict=True)
    ]
    return [o for o in found if ignore is None or not ignore(o.code_a, o.code_b)]


def find_near_duplicates(
    parcels: Mapping[Hashable, object],
    max_difference: Decimal = Decimal("0.05"),
    max_hausdorff_m: Decimal | None = None,
    overlaps: Iterable[Overlap] | None = None,
    ignore: Ignore | None = None,
) -> list[NearDuplicate]:
    """Pairs of different keys whose boundaries nearly coincide.

    A pair is a near-duplicate when the symmetric difference of the two parcels is at most
    ``max_difference`` of their union, or (when given) the Hausdorff distance between them is at most
    ``max_hausdorff_m`` metres. Only overlapping pairs can qualify; pass ``overlaps`` from
    :func:`find_overlaps` to avoid computing them again.
    """
    if overlaps is None:
        overlaps = find_overlaps(parcels, Decimal(0), ignore)
    found = []
    for o in overlaps:
        if ignore is not None and ignore(o.code_a, o.code_b):
            continue
        hausdorff = _dec(shapely.hausdorff_distance(parcels[o.code_a], parcels[o.code_b]))
        close = max_hausdorff_m is not None and hausdorff <= max_hausdorff_m
        if o.difference_ratio <= max_difference or close:
            found.append(NearDuplicate(o.code_a, o.code_b, o.difference_ratio, hausdorff, o.area_m2))
    return found


def _area_text(area: Decimal) -> str:
    return f"{area.quantize(Decimal('0.01'))} ㎡（{(area / 10000).quantize(Decimal('0.0001'))} 公顷）"


def _pct(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.01'))}%"


def overlap_findings(overlaps: Iterable[Overlap], tolerance_m2: Decimal = Decimal("1")) -> list[Finding]:
    """One finding per overlap: an error above ``tolerance_m2`` ㎡, else a warning (boundary noise)."""
    return [
        Finding(
            code="gis.overlap",
            severity=Severity.ERROR if o.area_m2 > tolerance_m2 else Severity.WARNING,
            message=(
                f"储备地块 {o.code_a} 与 {o.code_b} 重叠 {_area_text(o.area_m2)}，占 {o.code_a} 面积的 "
                f"{_pct(o.share_a)}、{o.code_b} 面积的 {_pct(o.share_b)}。同一土地不能重复储备："
                "请核对两宗地块的界址，调整边界或撤销其中一宗。"
            ),
            values={
                "parcel_a": str(o.code_a),
                "parcel_b": str(o.code_b),
                "overlap_area_m2": str(o.area_m2),
                "area_a_m2": str(o.area_a_m2),
                "area_b_m2": str(o.area_b_m2),
            },
        )
        for o in overlaps
    ]


def near_duplicate_findings(duplicates: Iterable[NearDuplicate]) -> list[Finding]:
    """One error per near-duplicate pair: the same land under two codes."""
    return [
        Finding(
            code="gis.near_duplicate",
            severity=Severity.ERROR,
            message=(
                f"储备地块 {d.code_a} 与 {d.code_b} 的界址几乎相同（重叠 {_area_text(d.area_m2)}，差异面积占两者并集的 "
                f"{_pct(d.difference_ratio)}，最大偏差 {d.hausdorff_m.quantize(Decimal('0.01'))} 米）："
                "疑为同一地块以不同编号重复登记，请核实后保留一个编号。"
            ),
            values={
                "parcel_a": str(d.code_a),
                "parcel_b": str(d.code_b),
                "difference_ratio": str(d.difference_ratio),
                "hausdorff_m": str(d.hausdorff_m),
                "overlap_area_m2": str(d.area_m2),
            },
        )
        for d in duplicates
    ]
