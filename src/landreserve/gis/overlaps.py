"""Overlaps between reserve parcels and near-duplicate boundaries under different codes.

Parcels of one plan, or of several plans and years (give keys that tell them apart, e.g.
``"2025/BC2025CB011"``), are paired with an ``STRtree`` (box query, each pair once). Each pair is then
decided once, vectorised, with the cheapest test that settles it: boxes that share no more than the
smallest area asked for cannot share more (dropped); a parcel whose box lies in the other's is tested for
containment first (properly inside: it shares exactly its whole area, no intersection computed); the rest
are tested with ``intersects`` and the meeting ones intersected — one exact intersection per pair at
most (:class:`OverlapWork` counts each kind). A pair whose shared area is large compared with both parcels is a
near-duplicate: the symmetric difference over the union, ``1 − shared / (a + b − shared)``, is at most
``max_difference`` (or, optionally, the Hausdorff distance between the boundaries is at most
``max_hausdorff_m``).

Parcel geometries are Shapely polygons or multipolygons in one projected CRS (metres).

Public API
----------
``overlap_pairs(geometries, min_area_m2=0.0) -> (i, j, area)``: NumPy core, pairs ``i < j`` by index.
``layer_overlap_pairs(path, layer=None, min_area_m2=0.0, …) -> (i, j, area)``: the same, straight from a
    layer file (``i``/``j``: the features' positions in the file's fid order), in Z-ordered batches over
    threads or (from 200,000 features) worker processes, with bounded memory — a million parcels in about
    400 MB (this process and two workers together).
``OverlapWork``: the work counted (candidates, meeting pairs, intersections, containments, features read).
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
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

import numpy as np
import shapely

from landreserve.domain.findings import Finding, Severity
from landreserve.gis.layers import LayerSource, indexed_layer, iter_features, z_order
from landreserve.gis.progress import Progress, no_progress
from landreserve.gis.workers import default_workers, map_ranges, peak_memory_mb, process_map, thread_map

#: parcels leading one batch of :func:`layer_overlap_pairs`
LAYER_BATCH = 20_000
#: from this many features on, :func:`layer_overlap_pairs` runs its batches in worker processes
PROCESS_MIN_FEATURES = 200_000

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


@dataclass
class OverlapWork:
    """What an overlap search did, counted (tests count work instead of timing it; benchmarks print it).

    Every pair is counted once (``i < j``). ``candidates``: pairs whose boxes meet; ``box_overlap``: of
    them, the pairs whose boxes share more than the smallest area asked for (no other pair can share
    more, so only these are tested); ``meeting``: pairs whose geometries intersect; ``intersections``:
    exact intersections computed (one per meeting pair); ``contained``: pairs given the inner parcel's
    whole area after a containment test. ``features_read``: features decoded from a layer file (each
    batch's neighbours included); ``processes``: worker processes used (0: threads of this process);
    ``worker_peak_mb``: the largest peak resident memory (``VmHWM``) of one worker process.
    """

    candidates: int = 0
    box_overlap: int = 0
    meeting: int = 0
    intersections: int = 0
    contained: int = 0
    features_read: int = 0
    processes: int = 0
    worker_peak_mb: float = 0.0

    def add(self, other: OverlapWork) -> None:
        """Add another batch's counts to these (the peak memory is the larger of the two)."""
        for name in ("candidates", "box_overlap", "meeting", "intersections", "contained", "features_read"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.worker_peak_mb = max(self.worker_peak_mb, other.worker_peak_mb)


def overlap_pairs(
    geometries, min_area_m2: float = 0.0, workers: int | None = None, work: OverlapWork | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of geometries (by index, ``i < j``) sharing more than ``min_area_m2``, with that area.

    ``None`` and empty geometries overlap nothing. The pairs come sorted by ``(i, j)``. ``workers``:
    threads for the geometry (default: the CPUs available, at most 4). Nothing is prepared here (for
    parcels of a few dozen vertices, each in a few pairs, preparing costs more than it saves);
    geometries the caller prepared are used as they are. ``work``, when given, is told what was done.
    """
    geoms = np.asarray(geometries, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms = np.where(present, geoms, None)
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms)
    keep = i < j
    i, j, area = _pairs_sharing(geoms, i[keep], j[keep], min_area_m2, work or OverlapWork(), workers)
    order = np.lexsort((j, i))
    return i[order], j[order], area[order]


def _pairs_sharing(geoms, i, j, min_area_m2: float, work: OverlapWork, workers: int | None = 1):
    """Of the candidate pairs ``(i, j)`` (boxes meet, each pair once), those sharing more than
    ``min_area_m2``, with the shared area (in the candidates' order); the work is added to ``work``.

    Only pairs whose boxes share enough area go on. A pair whose one box lies inside the other's is first
    tested for containment: a parcel properly inside the other shares exactly its whole area, with no
    intersection computed. The others are tested with a plain ``intersects`` (cheaper than preparing
    parcels of a few dozen vertices that lead a few pairs each), and the meeting ones intersected.
    """
    work.candidates += len(i)
    bounds = shapely.bounds(geoms)
    i, j = _room_for(bounds, i, j, min_area_m2)
    work.box_overlap += len(i)
    own = shapely.area(geoms)
    area = np.full(len(i), np.nan)
    for inner, outer in ((i, j), (j, i)):
        box_inside = np.flatnonzero(
            np.isnan(area)
            & np.all(bounds[inner][:, :2] >= bounds[outer][:, :2], axis=1)
            & np.all(bounds[inner][:, 2:] <= bounds[outer][:, 2:], axis=1)
        )
        inside = map_ranges(
            lambda k, b=box_inside, n=inner, o=outer: shapely.contains_properly(
                geoms[o[b[k]]], geoms[n[b[k]]]
            ),
            len(box_inside),
            workers,
        )
        area[box_inside[inside]] = own[inner[box_inside[inside]]]
    rest = np.flatnonzero(np.isnan(area))
    contained = len(i) - len(rest)
    meet = map_ranges(lambda k: shapely.intersects(geoms[i[rest[k]]], geoms[j[rest[k]]]), len(rest), workers)
    rest = rest[meet]
    work.contained += contained
    work.meeting += contained + len(rest)
    work.intersections += len(rest)
    area[rest] = map_ranges(
        lambda k: shapely.area(shapely.intersection(geoms[i[rest[k]]], geoms[j[rest[k]]])), len(rest), workers
    )
    keep = area > min_area_m2  # NaN (not meeting) is not kept
    return i[keep], j[keep], area[keep]


def _room_for(bounds: np.ndarray, i: np.ndarray, j: np.ndarray, min_area_m2: float):
    """The pairs whose boxes share more than ``min_area_m2`` (a pair cannot share more than its boxes do).

    Boxes that only touch share no area. A margin of 1e-9 keeps any pair whose shared area could be
    computed just above ``min_area_m2`` through rounding.
    """
    bi, bj = bounds[i], bounds[j]
    width = np.minimum(bi[:, 2], bj[:, 2]) - np.maximum(bi[:, 0], bj[:, 0])
    height = np.minimum(bi[:, 3], bj[:, 3]) - np.maximum(bi[:, 1], bj[:, 1])
    room = (width > 0) & (height > 0) & (width * height * (1 + 1e-9) >= min_area_m2)
    return i[room], j[room]


def layer_overlap_pairs(
    path: str | Path,
    layer: str | None = None,
    *,
    min_area_m2: float = 0.0,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    batch_size: int = LAYER_BATCH,
    processes: bool | None = None,
    progress: Progress | None = None,
    work: OverlapWork | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Overlapping pairs among the features of a layer file, as :func:`overlap_pairs` gives them.

    ``i < j`` are the features' positions in the file's fid order (the order ``layers.read_all`` reads
    them in), sorted by ``(i, j)``. Only the boxes of all features are held at once: the features are
    taken in batches of ``batch_size`` neighbours (Z-order of their boxes), and each batch reads from the
    spatial index just the features that can touch it (a file without index is indexed once into the
    layer cache, ``cache_dir``). A pair is computed in the batch of the one of its two features that
    comes first in the Z-order, so each pair once.

    Batches run on ``workers`` (default: the CPUs available, at most 4), each with its own decoded
    geometries: worker processes when ``processes`` is true (default: when the layer has at least
    ``PROCESS_MIN_FEATURES`` features, where reading and decoding, which hold the GIL, would keep
    threads from using the cores), else threads. ``work``, when given, is told what was done.
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
    del rank
    tasks = [
        (position[order[k : k + batch_size]], boxes[order[k : k + batch_size]], min_area_m2)
        for k in range(0, len(order), batch_size)
    ]
    del labels, boxes, position, order
    workers = default_workers() if workers is None else max(1, workers)
    workers = max(1, min(workers, len(tasks)))
    if processes is None:
        processes = workers > 1 and len(sorted_labels) >= PROCESS_MIN_FEATURES
    report = progress or no_progress
    description = f"检查图层 {Path(path).name} 中的重叠"
    total = len(sorted_labels)
    report(description, 0, total)
    counted = OverlapWork(processes=workers if processes else 0)
    found, done = [], 0
    context = (source, sorted_labels, by_label_rank)
    results = (
        process_map(_layer_batch_job, tasks, workers, _set_layer_context, context)
        if processes
        else thread_map(partial(_layer_batch_pairs, *context), tasks, workers)
    )
    for task, (pairs, batch_work) in zip(tasks, results, strict=True):
        found.append(pairs)
        counted.add(batch_work)
        done += len(task[0])
        report(description, done, total)
    if work is not None:
        work.add(counted)
        work.processes = counted.processes
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    i, j, area = (np.concatenate(parts) for parts in zip(*found, strict=True))
    keep = area > min_area_m2
    i, j, area = np.minimum(i, j)[keep], np.maximum(i, j)[keep], area[keep]
    order = np.lexsort((j, i))
    return i[order], j[order], area[order]


#: what every worker process of :func:`layer_overlap_pairs` needs (set once per process)
_layer_context: tuple = ()


def _set_layer_context(*context) -> None:
    global _layer_context
    _layer_context = context


def _layer_batch_job(task):
    """One batch in a worker process; its peak memory goes back with its pairs."""
    pairs, work = _layer_batch_pairs(*_layer_context, task)
    work.worker_peak_mb = peak_memory_mb()
    return pairs, work


def _index_boxes(source: LayerSource) -> tuple[np.ndarray, np.ndarray]:
    """Every indexed feature's label fid and R-tree box ``(minx, miny, maxx, maxy)``.

    Read in chunks straight into arrays: a million rows as Python tuples would take 200 MB at once.
    """
    ids_parts, box_parts = [], []
    with closing(sqlite3.connect(f"{source.index_path.resolve().as_uri()}?mode=ro", uri=True)) as con:
        cursor = con.execute(f'SELECT id, minx, miny, maxx, maxy FROM "{source.rtree}" ORDER BY id')
        while rows := cursor.fetchmany(50_000):
            chunk = np.array(rows, dtype=float).reshape(-1, 5)
            ids_parts.append(np.array([r[0] for r in rows], dtype=np.int64))
            box_parts.append(chunk[:, 1:])
        ids = np.concatenate(ids_parts) if ids_parts else np.zeros(0, dtype=np.int64)
        boxes = np.concatenate(box_parts) if box_parts else np.zeros((0, 4))
        if source.label_fid_column and source.label_fid_column != source.fid_column:
            fid_parts, label_parts = [], []
            cursor = con.execute(
                f'SELECT "{source.fid_column}", "{source.label_fid_column}" FROM "{source.table}" ORDER BY 1'
            )
            while rows := cursor.fetchmany(50_000):
                pair = np.array(rows, dtype=np.int64).reshape(-1, 2)
                fid_parts.append(pair[:, 0])
                label_parts.append(pair[:, 1])
            if fid_parts:
                fid, label = np.concatenate(fid_parts), np.concatenate(label_parts)
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


def _layer_batch_pairs(source, sorted_labels, rank_at, task):
    """Pairs led by one batch: ((position, position, shared area), work) where the lead comes first in
    Z-order, computed on this thread with geometries decoded for this batch alone."""
    lead_positions, lead_boxes, min_area_m2 = task
    fetched_pos, fetched = [], []
    for fids, geoms in iter_features(source, cell_boxes(lead_boxes)):
        fetched_pos.append(np.searchsorted(sorted_labels, fids))
        fetched.append(geoms)
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    work = OverlapWork(features_read=sum(len(g) for g in fetched))
    if not fetched:
        return empty, work
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
        return empty, work
    i, j, area = _pairs_sharing(geoms, a, b, min_area_m2, work)
    return (pos[i], pos[j], area), work


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
