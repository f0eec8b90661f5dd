"""Overlaps and near-duplicates between reserve parcels against brute force over all pairs."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.spatial_samples import ORIGIN, assert_close, brute_force_overlaps, random_shapes, star

from landreserve.domain.findings import Severity
from landreserve.gis.overlaps import (
    OverlapWork,
    find_near_duplicates,
    find_overlaps,
    near_duplicate_findings,
    overlap_findings,
    overlap_pairs,
)
from landreserve.gis.overlaps import layer_overlap_pairs as overlap_pairs_from


@pytest.fixture(scope="module")
def parcels():
    """Random parcels (holes, multiparts) crowded enough to overlap, plus two near-duplicates and one
    parcel inside another."""
    rng = np.random.default_rng(11)
    shapes = random_shapes(rng, 120, extent=1_500.0)
    shapes.append(shapely.affinity.translate(shapes[3], 0.02, -0.01))  # the same land, moved 2 cm
    shapes.append(shapely.affinity.scale(shapes[7], 1.001, 1.001))  # redrawn 0.1 % larger
    shapes.append(star(rng, shapes[0].representative_point().coords[0], 1.0, 8, 0.0))  # 1 m² inside #0
    return {f"BC-CB{2025 + k % 2}{k:03d}": shape for k, shape in enumerate(shapes)}


@pytest.mark.parametrize("workers", [1, 2])
def test_pairs_and_areas_equal_brute_force(parcels, workers):
    geoms = list(parcels.values())
    expected = brute_force_overlaps(geoms)
    assert len(expected) > 30
    i, j, area = overlap_pairs(geoms, workers=workers)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == sorted(expected)
    assert_close(area, [expected[p] for p in zip(i.tolist(), j.tolist(), strict=True)], area)


def test_find_overlaps_reports_codes_areas_and_shares(parcels):
    codes, geoms = list(parcels), list(parcels.values())
    expected = brute_force_overlaps(geoms)
    overlaps = find_overlaps(parcels, min_area_m2=Decimal("0.01"))
    assert {(codes.index(o.code_a), codes.index(o.code_b)) for o in overlaps} == {
        pair for pair, area in expected.items() if area > 0.01
    }
    for o in overlaps:
        a, b = parcels[o.code_a], parcels[o.code_b]
        assert abs(float(o.area_m2) - a.intersection(b).area) <= 1e-9 * min(a.area, b.area)
        assert o.area_a_m2 == Decimal(repr(a.area)) and o.area_b_m2 == Decimal(repr(b.area))
        assert o.share_a == o.area_m2 / o.area_a_m2


def test_parcel_inside_another_shares_its_whole_area(parcels):
    codes = list(parcels)
    inner, outer = codes[-1], codes[0]
    (found,) = [o for o in find_overlaps(parcels) if {o.code_a, o.code_b} == {inner, outer}]
    assert found.area_m2 == Decimal(repr(parcels[inner].area))
    assert found.share_b == 1 or found.share_a == 1


def test_touching_parcels_do_not_overlap():
    a = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 100, ORIGIN[1] + 100)
    b = shapely.box(ORIGIN[0] + 100, ORIGIN[1], ORIGIN[0] + 200, ORIGIN[1] + 100)
    c = shapely.box(ORIGIN[0] + 200, ORIGIN[1] + 100, ORIGIN[0] + 300, ORIGIN[1] + 200)  # corner only
    assert find_overlaps({"A": a, "B": b, "C": c}, min_area_m2=Decimal(0)) == []


def test_near_duplicates_found_and_match_brute_force(parcels):
    codes, geoms = list(parcels), list(parcels.values())
    duplicates = find_near_duplicates(parcels, max_difference=Decimal("0.05"))
    expected = set()
    for (i, j), shared in brute_force_overlaps(geoms).items():
        if 1 - shared / shapely.union(geoms[i], geoms[j]).area <= 0.05:
            expected.add((codes[i], codes[j]))
    assert {(d.code_a, d.code_b) for d in duplicates} == expected
    assert {(codes[3], codes[-3]), (codes[7], codes[-2])} <= expected
    moved = next(d for d in duplicates if d.code_b == codes[-3])
    assert moved.hausdorff_m == Decimal(repr(float(shapely.hausdorff_distance(geoms[3], geoms[-3]))))
    sym = shapely.symmetric_difference(geoms[3], geoms[-3]).area / shapely.union(geoms[3], geoms[-3]).area
    assert abs(float(moved.difference_ratio) - sym) <= 1e-9


def test_hausdorff_bound_catches_a_small_parcel_redrawn(parcels):
    small = star(np.random.default_rng(3), (ORIGIN[0] - 5_000, ORIGIN[1]), 400.0, 12, 0.1)
    shifted = shapely.affinity.translate(small, 1.0, 0.0)  # 1 m off: a large share of a small parcel
    pair = {"A": small, "B": shifted}
    assert find_near_duplicates(pair, max_difference=Decimal("0.01")) == []
    (found,) = find_near_duplicates(pair, max_difference=Decimal("0.01"), max_hausdorff_m=Decimal("1.5"))
    assert found.hausdorff_m == Decimal("1.0")


def test_ignore_skips_the_same_parcel_in_two_plans():
    square = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 100, ORIGIN[1] + 100)
    parcels = {"2025/BC2025CB011": square, "2026/BC2025CB011": square, "2026/BC-CB2026001": square}

    def same_code(a, b):
        return a.split("/")[1] == b.split("/")[1]

    overlaps = find_overlaps(parcels, ignore=same_code)
    assert {(o.code_a, o.code_b) for o in overlaps} == {
        ("2025/BC2025CB011", "2026/BC-CB2026001"),
        ("2026/BC2025CB011", "2026/BC-CB2026001"),
    }
    assert len(find_near_duplicates(parcels, ignore=same_code)) == 2


def test_missing_and_empty_geometries_overlap_nothing():
    square = shapely.box(0, 0, 10, 10)
    i, j, area = overlap_pairs([None, square, shapely.Polygon(), square])
    assert (i.tolist(), j.tolist(), area.tolist()) == ([1], [3], [100.0])


def test_findings_are_chinese_with_areas(parcels):
    overlaps = find_overlaps(parcels)
    findings = overlap_findings(overlaps, tolerance_m2=Decimal("1"))
    assert len(findings) == len(overlaps)
    for o, f in zip(overlaps, findings, strict=True):
        assert f.code == "gis.overlap"
        assert f"储备地块 {o.code_a} 与 {o.code_b} 重叠 {o.area_m2.quantize(Decimal('0.01'))} ㎡" in f.message
        assert f"{(o.area_m2 / 10000).quantize(Decimal('0.0001'))} 公顷" in f.message
        assert f.severity is (Severity.ERROR if o.area_m2 > 1 else Severity.WARNING)
        assert f.values["overlap_area_m2"] == str(o.area_m2)
    dups = near_duplicate_findings(find_near_duplicates(parcels, overlaps=overlaps))
    assert dups and all(f.code == "gis.near_duplicate" and "界址几乎相同" in f.message for f in dups)
    assert all("疑为同一地块以不同编号重复登记" in f.message for f in dups)


def test_no_parcels_or_one_parcel_overlap_nothing():
    assert find_overlaps({}) == [] and find_near_duplicates({}) == []
    assert find_overlaps({"A": shapely.box(0, 0, 1, 1)}) == []


def _write_layer(path, geoms, fmt="gpkg"):
    import pyogrio.raw

    driver, suffix = {"gpkg": ("GPKG", ".gpkg"), "shp": ("ESRI Shapefile", ".shp")}[fmt]
    path = path.with_suffix(suffix)
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.asarray(geoms, dtype=object)),
        [],
        [],
        driver=driver,
        geometry_type="MultiPolygon" if fmt == "shp" else "Unknown",
        crs="EPSG:4535",
        promote_to_multi=fmt == "shp",
    )
    return path


@pytest.mark.parametrize(
    ("fmt", "batch_size", "workers"), [("gpkg", 17, 2), ("gpkg", 10_000, 1), ("shp", 9, 2)]
)
def test_layer_pairs_from_the_file_in_batches_equal_brute_force(parcels, tmp_path, fmt, batch_size, workers):
    from landreserve.gis.overlaps import layer_overlap_pairs

    geoms = list(parcels.values())
    path = _write_layer(tmp_path / "parcels", geoms, fmt)
    expected = brute_force_overlaps(geoms)
    i, j, area = layer_overlap_pairs(
        path, cache_dir=tmp_path / "cache", batch_size=batch_size, workers=workers
    )
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == sorted(expected)
    assert_close(area, [expected[p] for p in zip(i.tolist(), j.tolist(), strict=True)], area)


def test_layer_pairs_read_only_the_neighbours_of_each_batch(parcels, tmp_path, monkeypatch):
    """Bounded memory, counted: each batch reads its own features and the few that can touch them, never
    the whole layer."""
    from landreserve.gis import overlaps

    rng = np.random.default_rng(5)
    spread = [
        star(rng, (ORIGIN[0] + x * 300.0, ORIGIN[1] + y * 300.0), 60_000.0, 12)
        for x in range(30)
        for y in range(30)
    ]
    path = _write_layer(tmp_path / "spread", spread)
    read: list[int] = []
    real = overlaps.iter_features

    def counting(source, boxes, *args):
        chunks = list(real(source, boxes, *args))
        read.append(sum(len(fids) for fids, _ in chunks))
        yield from chunks

    monkeypatch.setattr(overlaps, "iter_features", counting)
    i, _, _ = overlaps.layer_overlap_pairs(path, batch_size=90, workers=1)
    assert len(read) == 10  # 900 features in batches of 90
    assert sum(read) < 2.5 * len(spread) and max(read) < 300, read
    assert len(i) == len(brute_force_overlaps(spread)) > 100


# --- random small inputs against brute force, and the work counted ----------------------------------

_cells = st.integers(0, 12)


@st.composite
def _parcel_sets(draw):
    """A few parcels on a 10 m grid (so that edges coincide, parcels touch, nest or repeat exactly) and
    star-shaped ones at random places (crossing boundaries), some with holes, some repeated."""
    shapes = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["box", "box", "star", "holed", "copy"]))
        if kind == "copy" and shapes:
            shapes.append(shapes[draw(st.integers(0, len(shapes) - 1))])
            continue
        x, y = draw(_cells), draw(_cells)
        if kind in ("box", "copy"):
            w, h = draw(st.integers(1, 6)), draw(st.integers(1, 6))
            shapes.append(
                shapely.box(
                    ORIGIN[0] + 10 * x, ORIGIN[1] + 10 * y, ORIGIN[0] + 10 * (x + w), ORIGIN[1] + 10 * (y + h)
                )
            )
            continue
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        centre = (ORIGIN[0] + 10 * x + draw(st.floats(0, 10)), ORIGIN[1] + 10 * y + draw(st.floats(0, 10)))
        shape = star(rng, centre, draw(st.floats(50.0, 3_000.0)), draw(st.integers(5, 30)))
        if kind == "holed":
            shape = shape.difference(star(rng, centre, shape.area * 0.1, 8, 0.1))
        shapes.append(shape)
    return shapes


def _as_dict(i, j, area):
    return dict(zip(zip(i.tolist(), j.tolist(), strict=True), area.tolist(), strict=True))


def _assert_same_overlaps(found, expected, geoms):
    assert sorted(found) == sorted(expected)
    for (a, b), area in found.items():
        assert abs(area - expected[(a, b)]) <= 1e-9 * min(geoms[a].area, geoms[b].area), (a, b)


@given(shapes=_parcel_sets(), min_area=st.sampled_from([0.0, 0.01, 50.0]))
@settings(max_examples=60)
def test_random_parcels_give_the_brute_force_pairs_and_areas(shapes, min_area):
    expected = {p: a for p, a in brute_force_overlaps(shapes).items() if a > min_area}
    work = OverlapWork()
    found = _as_dict(*overlap_pairs(shapes, min_area, workers=1, work=work))
    _assert_same_overlaps(found, expected, shapes)
    # every pair is decided once: boxes first, then containment or one exact intersection
    assert work.intersections + work.contained == work.meeting <= work.box_overlap <= work.candidates
    assert work.candidates <= len(shapes) * (len(shapes) - 1) // 2


def test_touching_boxes_are_never_intersected():
    """A grid of squares sharing edges and corners: every pair is a box candidate, none shares area, so
    not one intersection is computed."""
    squares = [
        shapely.box(ORIGIN[0] + 10 * x, ORIGIN[1] + 10 * y, ORIGIN[0] + 10 * x + 10, ORIGIN[1] + 10 * y + 10)
        for x in range(6)
        for y in range(6)
    ]
    work = OverlapWork()
    i, _, _ = overlap_pairs(squares, work=work)
    assert len(i) == 0
    assert work.candidates == 2 * 6 * 5 + 2 * 5 * 5  # edge neighbours and diagonal (corner) neighbours
    assert work.box_overlap == work.meeting == work.intersections == 0


def test_parcels_inside_others_take_their_own_area_without_an_intersection(parcels):
    rng = np.random.default_rng(8)
    outer = [star(rng, (ORIGIN[0] + 400.0 * k, ORIGIN[1]), 20_000.0, 30, 0.05) for k in range(10)]
    inner = [star(rng, (ORIGIN[0] + 400.0 * k, ORIGIN[1]), 200.0, 12, 0.1) for k in range(10)]
    crossing = [shapely.affinity.translate(o, 60.0, 0.0) for o in outer]  # crosses its outer parcel
    geoms = outer + inner + crossing
    work = OverlapWork()
    found = _as_dict(*overlap_pairs(geoms, work=work))
    _assert_same_overlaps(found, brute_force_overlaps(geoms), geoms)
    assert work.contained == 20  # each inner parcel in its outer and in the crossing one
    assert all(found[(k, 10 + k)] == geoms[10 + k].area for k in range(10))
    assert work.intersections == work.meeting - work.contained == 10  # outer × crossing only


@pytest.mark.parametrize("processes", [True, False])
def test_layer_pairs_in_worker_processes_equal_brute_force_and_count_the_work(parcels, tmp_path, processes):
    geoms = list(parcels.values())
    path = _write_layer(tmp_path / "parcels", geoms)
    expected = brute_force_overlaps(geoms)
    work = OverlapWork()
    found = _as_dict(*overlap_pairs_from(path, batch_size=20, workers=2, processes=processes, work=work))
    _assert_same_overlaps(found, expected, geoms)
    assert work.processes == (2 if processes else 0)
    assert (work.worker_peak_mb > 0) is processes  # the workers report their own peak memory
    assert work.intersections + work.contained == work.meeting <= work.candidates
    assert len(geoms) <= work.features_read < 3 * len(geoms)  # each batch and its neighbours
