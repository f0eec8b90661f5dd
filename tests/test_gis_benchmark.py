"""The spatial benchmark on a tiny synthetic county: deterministic data, and contenders that agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from benchmarks import spatial, synthetic_county

from landreserve.gis.layers import open_layer, read_all


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return synthetic_county.build(60, 3_000, out=tmp_path_factory.mktemp("county"))


def _contents(path):
    _, geoms, attributes = read_all(open_layer(path), ("code",) if path.name.startswith("parcels") else ())
    return geoms, attributes


def test_the_county_is_deterministic_and_valid(county, tmp_path):
    again = synthetic_county.build(60, 3_000, out=tmp_path)
    for first, second in zip(
        (county.parcels, county.farmland, county.redline),
        (again.parcels, again.farmland, again.redline),
        strict=True,
    ):
        (geoms, attributes), (geoms_again, attributes_again) = _contents(first), _contents(second)
        assert shapely.equals_exact(geoms, geoms_again, 0.0).all()
        assert all(np.array_equal(attributes[k], attributes_again[k]) for k in attributes)
        assert shapely.is_valid(geoms).all()
    farmland = read_all(open_layer(county.farmland))[1]
    assert len(farmland) == 3_000
    assert 500 <= shapely.area(farmland).min() and shapely.area(farmland).max() <= 50_000
    vertices = shapely.get_num_coordinates(farmland) - 1
    assert vertices.min() >= 12 and vertices.max() <= 60
    assert len(shapely.STRtree(farmland).query(farmland, predicate="overlaps")[0]) == 0
    redline = read_all(open_layer(county.redline))[1]
    assert (shapely.get_num_interior_rings(redline) > 0).all()


@pytest.mark.parametrize("case", ["farmland", "redline", "self"])
def test_ours_agrees_with_geopandas(county, case, tmp_path):
    layer = {"farmland": county.farmland, "redline": county.redline, "self": None}[case]
    own = shapely.area(read_all(open_layer(county.parcels))[1])
    if case == "self":
        ours = dict(zip("i j area".split(), spatial.ours_self(county.parcels, tmp_path), strict=True))
        for peer in (spatial.geopandas_sjoin_self, spatial.geopandas_best_self):
            theirs = dict(zip("i j area".split(), peer(county.parcels), strict=True))
            assert spatial.disagreement(ours, theirs, own, case) <= spatial.REL_TOLERANCE
        assert len(ours["i"]) > 0
    else:
        ours = {"area": spatial.ours_layer(county.parcels, layer, tmp_path)}
        for peer in (spatial.geopandas_sjoin_layer, spatial.geopandas_best_layer):
            theirs = {"area": peer(county.parcels, layer)}
            assert spatial.disagreement(ours, theirs, own, case) <= spatial.REL_TOLERANCE
        assert (ours["area"] > 0).sum() > 0


@pytest.mark.parametrize("fmt", synthetic_county.FORMATS)
def test_every_layer_format_of_the_benchmark_gives_the_same_areas(county, fmt, tmp_path):
    """Each format written by the benchmark, read by ours and by GeoPandas at its best, against the GeoPackage."""
    layer = synthetic_county.layer_in_format(county.farmland, fmt)
    assert synthetic_county.layer_in_format(county.farmland, fmt) == layer  # written once
    own = shapely.area(read_all(open_layer(county.parcels))[1])
    reference = {"area": spatial.ours_layer(county.parcels, county.farmland, tmp_path)}
    for result in (
        spatial.ours_layer(county.parcels, layer, tmp_path),
        spatial.geopandas_best_layer(county.parcels, layer, fmt),
    ):
        assert spatial.disagreement(reference, {"area": result}, own, "farmland") <= 1e-9
    assert (reference["area"] > 0).sum() > 0


def test_cold_runs_start_from_evicted_pages(county):
    from benchmarks import _process

    _process.warm([county.farmland])
    assert _process.resident_share([county.farmland]) > 0.9
    _process.evict([county.farmland])
    assert _process.resident_share([county.farmland]) < 0.1


def test_ours_and_postgis_are_sampled_side_by_side_cold_then_warm():
    """Each round: the files of both evicted, a cold pair, a warm pair; who goes first alternates."""
    from benchmarks import spatial_pairs

    events: list[str] = []
    times = {"ours": iter([1.0, 0.5, 2.0, 1.0, 1.2, 0.6]), "postgis": iter([2.0, 1.0, 2.0, 2.0, 2.4, 1.2])}

    def run(name):
        events.append(name)
        seconds = next(times[name])
        return {"whole_s": seconds, "work_s": seconds / 2, "rss_mb": 10.0}

    samples = spatial_pairs.interleave(
        run,
        ("ours", "postgis"),
        {"ours": [Path("a")], "postgis": [Path("b")]},
        3,
        evict_files=lambda files: events.append("evict " + " ".join(str(f) for f in files)),
        cached_share=lambda files: 0.0,
    )
    pair = ["ours", "postgis"]
    assert events == (
        ["evict a b", *pair, *pair] + ["evict a b", *pair[::-1], *pair[::-1]] + ["evict a b", *pair, *pair]
    )
    assert [(s["round"], s["temperature"]) for s in samples["ours"]] == [
        (k, t) for k in range(3) for t in ("cold", "warm")
    ]
    assert all("load" in s for s in samples["ours"] + samples["postgis"])
    cold = spatial_pairs.pair_ratios(samples["ours"], samples["postgis"], "cold", "whole_s")
    warm = spatial_pairs.pair_ratios(samples["ours"], samples["postgis"], "warm", "work_s")
    assert cold == [0.5, 1.0, 0.5] and warm == [0.5, 0.5, 0.5]
    assert spatial_pairs.median(cold) == 0.5


def test_a_failed_sample_stops_the_rounds():
    from benchmarks import spatial_pairs

    calls = []

    def run(name):
        calls.append(name)
        return {"error": "boom"} if name == "postgis" else {"whole_s": 1.0, "work_s": 1.0, "rss_mb": 1.0}

    samples = spatial_pairs.interleave(
        run, ("ours", "postgis"), {"ours": [], "postgis": []}, 3, evict_files=list, cached_share=lambda f: 0.0
    )
    assert calls == ["ours", "postgis"] and "error" in samples["postgis"][-1]
    assert spatial.summary(samples["postgis"])["error"] == "boom"


def test_the_memory_of_the_processes_a_child_starts_is_counted(tmp_path):
    """A child that starts a grandchild holding 60 MB until the child ends it: the sum counts it."""
    import sys

    from benchmarks import spatial_pairs

    script = tmp_path / "child.py"
    script.write_text(
        "import json, subprocess, sys\n"
        "grand = subprocess.Popen([sys.executable, '-c', "
        '\'import sys; b = bytearray(60 << 20); b[::4096] = b"x" * len(b[::4096]); print(1, flush=True); '
        "sys.stdin.read()'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)\n"
        "grand.stdout.readline()\n"
        # wait until the parent's sampler has seen the grandchild at its peak (a file it writes)
        "import os, time\n"
        f"while not os.path.exists({str(tmp_path / 'seen')!r}): time.sleep(0.01)\n"
        "grand.stdin.close(); grand.wait()\n"
        "print(json.dumps({'own_mb': 1.0}))\n"
    )

    class Marking(spatial_pairs.TreeMemory):
        def sample(self):
            super().sample()
            if any(peak > 60 << 10 for peak in self.peaks.values()):
                (tmp_path / "seen").write_text("ok")

    original = spatial_pairs.TreeMemory
    spatial_pairs.TreeMemory = Marking
    try:
        report = spatial_pairs.run_tree([sys.executable, str(script)], timeout=60)
    finally:
        spatial_pairs.TreeMemory = original
    assert report["processes"] == 1 and report["descendants_mb"] > 60
    assert report["rss_mb"] == 1.0 + report["descendants_mb"]
