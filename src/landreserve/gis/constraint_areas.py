"""The area each parcel shares with the features of a constraint layer file, as NumPy arrays (the fast core).

How it stays fast on a million-polygon layer: the (few) parcels are reprojected into the layer's CRS only
to get their boxes; only the layer features whose index box meets a parcel box are read and decoded
(:mod:`landreserve.gis.layers`; a file without spatial index is indexed once into the layer cache). The
parcels go in batches of neighbours (Z-order) over the threads, so memory stays bounded by the batch and
both cores work; within a batch the features are reprojected into the parcels' projected CRS, where an
``STRtree`` over the parcels pairs them and the areas are computed vectorised. Shortcuts keep the
geometry exact: a parcel properly inside a feature shares its whole area, a feature properly inside a
parcel its whole area; only the rest is intersected. A feature with more than ``MAX_PLAIN_VERTICES``
vertices (a huge red-line polygon with holes) is prepared once and, for each parcel crossing its
boundary, clipped to the parcel's box first, so each overlay touches a few vertices, not thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Transformer

from landreserve.errors import InputError
from landreserve.gis.layer_errors import reading_layer
from landreserve.gis.layers import LayerSource, indexed_layer, iter_features, z_order
from landreserve.gis.progress import Progress, no_progress
from landreserve.gis.workers import default_workers, map_ranges

#: pairs with a feature of more vertices than this are clipped to the parcel's box before the overlay
MAX_PLAIN_VERTICES = 512
DEFAULT_PARCELS_CRS = "EPSG:4535"
#: parcels checked together (one R-tree search, one STRtree); batches run on the threads
MIN_BATCH, MAX_BATCH = 500, 10_000


@dataclass(frozen=True)
class LayerAreas:
    """Per parcel (in input order): area shared with the layer (m², float) and features touched."""

    intersect_m2: np.ndarray
    parcel_m2: np.ndarray
    features: np.ndarray
    #: seconds spent now building the layer's spatial index (one-time cost); ``None`` when none was built
    index_seconds: float | None = None


def to_decimal(value: float) -> Decimal:
    """The float exactly as it prints (shortest round-tripping form) as a ``Decimal``."""
    return Decimal(repr(float(value)))


def projected_crs(crs: str | int | CRS, what: str = "地块") -> CRS:
    """Parse ``crs`` and refuse a geographic one (areas must be computed in metres)."""
    try:
        parsed = CRS.from_user_input(crs)
    except Exception as exc:  # pyproj raises CRSError, a plain Exception subclass
        raise InputError(
            f"无法识别{what}的坐标系「{crs}」：{exc}。请给出 EPSG 代码，如 EPSG:4535。",
            code="gis.crs_unknown",
        ) from exc
    if not parsed.is_projected:
        raise InputError(
            f"{what}的坐标系 {parsed.to_string()} 不是投影坐标系，无法按平方米计算面积：请先换算到"
            "CGCS2000 3 度带高斯-克吕格投影（EPSG:4513–4554）。",
            code="gis.crs_not_projected",
        )
    return parsed


def layer_areas(
    geometries: Sequence | np.ndarray,
    path: str | Path,
    parcels_crs: str | int | CRS = DEFAULT_PARCELS_CRS,
    *,
    layer: str | None = None,
    layer_crs: str | int | CRS | None = None,
    dissolve: bool = False,
    chunk_size: int = 50_000,
    workers: int | None = None,
    batch_size: int | None = None,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> LayerAreas:
    """Area of each parcel shared with the features of a layer file, as NumPy arrays.

    Parameters
    ----------
    geometries
        Parcel polygons / multipolygons in ``parcels_crs`` (projected, metres); ``None`` or empty
        geometries get 0.
    path, layer
        The layer file (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, …) and the layer in it. A file
        without spatial index is indexed once into the layer cache (``cache_dir``, default
        ``Settings.cache_dir``); ``LayerAreas.index_seconds`` is that one-time cost.
    layer_crs
        CRS of the layer when the file states none (otherwise ignored).
    dissolve
        ``False``: the shared area is the sum over the features (right for a clean layer whose
        features do not overlap; fastest). ``True``: the area of the parcel covered by the union of
        the features, for layers whose features overlap each other.
    chunk_size
        Most layer features decoded at once.
    workers, batch_size
        The parcels are checked in batches of neighbouring parcels (``batch_size``, default: enough
        batches to keep ``workers`` threads busy, at most 10,000 parcels each), on ``workers``
        threads (default: the CPUs available, at most 4). Memory is bounded by the batch, not by the
        number of parcels or the size of the layer.
    progress
        Told how many parcels are done (see :mod:`landreserve.gis.progress`).
    """
    parcels = np.asarray(geometries, dtype=object)
    crs = projected_crs(parcels_crs)
    source = indexed_layer(path, layer, cache_dir=cache_dir, progress=progress)
    to_layer, from_layer = _transformers(source, crs, layer_crs)
    present = ~(shapely.is_missing(parcels) | shapely.is_empty(parcels))
    parcel_m2 = np.where(present, shapely.area(parcels), 0.0)
    intersect = np.zeros(len(parcels))
    features = np.zeros(len(parcels), dtype=np.int64)
    index = np.flatnonzero(present)
    boxes = _query_boxes(parcels[index], to_layer)
    if len(index):
        order = z_order(boxes)
        index, boxes = index[order], boxes[order]
    workers = default_workers() if workers is None else max(1, workers)
    size = batch_size or min(MAX_BATCH, max(MIN_BATCH, -(-len(index) // (2 * workers))))
    batches = [(index[k : k + size], boxes[k : k + size]) for k in range(0, len(index), size)]
    inner = workers if len(batches) < 2 else 1  # threads over the pairs of one batch, or over batches

    def run(batch: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        at, query = batch
        local = parcels[at]
        tree = shapely.STRtree(local)
        shared = np.zeros(len(at))
        touched = np.zeros(len(at), dtype=np.int64)
        pieces: list[tuple[np.ndarray, np.ndarray]] = []
        for fids, geoms in iter_features(source, query, chunk_size):
            geoms = geoms if from_layer is None else reproject(geoms, from_layer)
            try:
                fi, pi, found = _chunk_pairs(geoms, tree, local, parcel_m2[at], dissolve, inner, source, fids)
            except InputError:
                bad = np.flatnonzero(~shapely.is_valid(local))
                if len(bad):  # number the parcel in the caller's list, not in the batch
                    raise invalid_parcel(int(at[bad[0]]), local[bad[0]], source) from None
                raise
            if dissolve:
                pieces.append((pi, found))
            else:
                shared += np.bincount(pi, weights=found, minlength=len(at))
            touched += np.bincount(np.unique(np.column_stack((fi, pi)), axis=0)[:, 1], minlength=len(at))
        if dissolve:
            shared = _dissolved_areas(pieces, len(at))
        return at, shared, touched

    report = progress or no_progress
    description = f"检查图层 {Path(path).name}"
    report(description, 0, len(index))
    done = 0
    with ThreadPoolExecutor(max(1, min(workers, len(batches)))) as pool:
        for at, shared, touched in pool.map(run, batches):
            intersect[at], features[at] = shared, touched
            done += len(at)
            report(description, done, len(index))
    built = source.cache.built_seconds if source.cache is not None else None
    return LayerAreas(intersect, parcel_m2, features, built)


def _transformers(source: LayerSource, crs: CRS, layer_crs) -> tuple[Transformer | None, Transformer | None]:
    """Transformers parcels → layer and layer → parcels (``None`` when both share a CRS)."""
    source_crs = source.crs or (CRS.from_user_input(layer_crs) if layer_crs is not None else None)
    if source_crs is None:
        raise InputError(
            f"图层文件 {source.path} 的图层「{source.layer}」没有坐标系：请补充 .prj，或指定图层坐标系"
            "（命令行：--layer-crs EPSG:4535 之类）。",
            code="gis.crs_missing",
        )
    if source_crs.equals(crs, ignore_axis_order=True):
        return None, None
    with reading_layer(source.path):  # a CRS read from a damaged .prj can be one PROJ cannot transform
        return (
            Transformer.from_crs(crs, source_crs, always_xy=True),
            Transformer.from_crs(source_crs, crs, always_xy=True),
        )


def _dissolved_areas(shapes: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Per parcel, the area of the union of its shared pieces."""
    areas = np.zeros(n)
    if not shapes:
        return areas
    pi = np.concatenate([p for p, _ in shapes])
    pieces = np.concatenate([g for _, g in shapes])
    order = np.argsort(pi, kind="stable")
    pi, pieces = pi[order], pieces[order]
    starts = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]])
    for start, stop in zip(starts, np.r_[starts[1:], len(pi)], strict=True):
        group = pieces[start:stop]
        areas[pi[start]] = group[0].area if len(group) == 1 else shapely.union_all(group).area
    return areas


def reproject(geoms: np.ndarray, transformer: Transformer) -> np.ndarray:
    """Geometries with every vertex transformed (``always_xy`` transformers)."""
    return shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _query_boxes(parcels: np.ndarray, to_layer: Transformer | None) -> np.ndarray:
    """Parcel boxes in the layer's CRS, widened by 1 % when reprojected (edges bend a little)."""
    if to_layer is None:
        return shapely.bounds(parcels)
    bounds = shapely.bounds(reproject(parcels, to_layer))
    pad = 0.01 * np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])[:, None] + 1e-9
    return bounds + np.hstack((-pad, -pad, pad, pad))


def _chunk_pairs(geoms, tree, parcels, parcel_m2, shapes: bool, workers, source: LayerSource, fids):
    """Every (feature, parcel) pair of one chunk that meets, with its shared area (or shape).

    Pairs come from the boxes; whether they really meet is tested with the rest, on the threads.
    """
    ci, pi = tree.query(geoms)
    plain = shapely.get_num_coordinates(geoms[ci]) <= MAX_PLAIN_VERTICES
    job = _pair_shapes_at if shapes else _pair_areas_at
    found = map_ranges(
        partial(job, geoms, parcels, parcel_m2, ci[plain], pi[plain], source, fids), int(plain.sum()), workers
    )
    found_big = _big_pairs(geoms, parcels, parcel_m2, ci[~plain], pi[~plain], shapes, source, fids)
    order = np.concatenate((np.flatnonzero(plain), np.flatnonzero(~plain)))
    found = np.concatenate((found, found_big))
    meets = ~shapely.is_missing(found) if shapes else ~np.isnan(found)
    return ci[order][meets], pi[order][meets], found[meets]


def _big_pairs(geoms, parcels, parcel_m2, ci, pi, shapes: bool, source: LayerSource, fids) -> np.ndarray:
    """Pairs with a huge feature (a red-line polygon of thousands of vertices); NaN / ``None`` where
    the two do not meet.

    A parcel properly inside the (prepared) feature shares its whole area; for the others the feature
    is first clipped to the parcel's box, so the overlay sees a few vertices instead of thousands. The
    clipped shape is only used when valid (rectangle clipping may not be), else the whole feature.
    """
    out = np.full(len(ci), None, dtype=object) if shapes else np.full(len(ci), np.nan)
    if len(ci) == 0:
        return out
    feature, parcel = geoms[ci], parcels[pi]
    try:
        shapely.prepare(feature)
        meets = shapely.intersects(feature, parcel)
        inside = meets & shapely.contains_properly(feature, parcel)
        out[inside] = parcel[inside] if shapes else parcel_m2[pi[inside]]
        rest = np.flatnonzero(meets & ~inside)
        boxes = shapely.bounds(parcel[rest])
        clipped = np.array(
            [shapely.clip_by_rect(f, *box) for f, box in zip(feature[rest], boxes.tolist(), strict=True)],
            dtype=object,
        )
        invalid = ~shapely.is_valid(clipped)
        clipped[invalid] = feature[rest][invalid]
        pieces = shapely.intersection(clipped, parcel[rest])
    except shapely.errors.GEOSException as exc:
        raise _invalid_pair(feature, parcel, pi, source, fids[ci], exc) from exc
    out[rest] = pieces if shapes else shapely.area(pieces)
    return out


def invalid_parcel(number: int, parcel, source: LayerSource) -> InputError:
    """The parcel at 0-based ``number`` (of the caller's list) is invalid: say so and what to do."""
    return InputError(
        f"第 {number + 1} 个地块的几何无效（{shapely.is_valid_reason(parcel)}），无法计算与图层「{source.layer}」"
        "的相交面积：请先修复地块边界。",
        code="gis.geometry_invalid",
    )


def _pair_areas_at(pieces, parcels, parcel_m2, ci, pi, source, fids, k) -> np.ndarray:
    return _pair_areas(pieces, parcels, parcel_m2, ci[k], pi[k], source, fids[ci[k]])


def _pair_shapes_at(pieces, parcels, parcel_m2, ci, pi, source, fids, k) -> np.ndarray:
    return _pair_shapes(pieces, parcels, ci[k], pi[k], source, fids[ci[k]])


def _containment(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks: ``b`` properly inside ``a``; ``a`` properly inside ``b``; meeting otherwise.

    Pairs in none of the three do not meet at all.
    """
    b_inside, a_inside, rest = (np.zeros(len(a), dtype=bool) for _ in range(3))
    meets = shapely.intersects(a, b)
    b_inside[meets] = shapely.contains_properly(a[meets], b[meets])
    other = meets & ~b_inside
    a_inside[other] = shapely.contains_properly(b[other], a[other])
    rest[other] = ~a_inside[other]
    return b_inside, a_inside, rest


def _pair_areas(pieces, parcels, parcel_m2, ci, pi, source: LayerSource, fids) -> np.ndarray:
    """Area shared by each (feature, parcel) pair (NaN where they do not meet), with exact shortcuts."""
    areas = np.full(len(ci), np.nan)
    a, b = pieces[ci], parcels[pi]
    try:
        parcel_inside, piece_inside, rest = _containment(a, b)
        areas[parcel_inside] = parcel_m2[pi[parcel_inside]]
        areas[piece_inside] = shapely.area(a[piece_inside])
        areas[rest] = shapely.area(shapely.intersection(a[rest], b[rest]))
    except shapely.errors.GEOSException as exc:
        raise _invalid_pair(a, b, pi, source, fids, exc) from exc
    return areas


def _pair_shapes(pieces, parcels, ci, pi, source: LayerSource, fids) -> np.ndarray:
    """Shape shared by each (feature, parcel) pair (``None`` where they do not meet), for dissolving."""
    shapes = np.full(len(ci), None, dtype=object)
    a, b = pieces[ci], parcels[pi]
    try:
        parcel_inside, piece_inside, rest = _containment(a, b)
        shapes[parcel_inside] = b[parcel_inside]
        shapes[piece_inside] = a[piece_inside]
        shapes[rest] = shapely.intersection(a[rest], b[rest])
    except shapely.errors.GEOSException as exc:
        raise _invalid_pair(a, b, pi, source, fids, exc) from exc
    return shapes


def _invalid_pair(a, b, pi, source: LayerSource, fids, exc) -> InputError:
    """Name the parcel or the layer feature whose geometry made the computation fail."""
    bad_parcels = np.flatnonzero(~shapely.is_valid(b))
    if len(bad_parcels):
        return invalid_parcel(pi[bad_parcels[0]], b[bad_parcels[0]], source)
    bad = np.flatnonzero(~shapely.is_valid(a))
    where = (
        f"要素 fid={fids[bad[0]]}（{shapely.is_valid_reason(a[bad[0]])}）"
        if len(bad)
        else f"某个要素（{exc}）"
    )
    return InputError(
        f"图层文件 {source.path} 的图层「{source.layer}」中{where}几何无效：请在 GIS 软件中修复该图层后再检查。",
        code="gis.geometry_invalid",
    )
