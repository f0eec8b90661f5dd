"""The spatial benchmark on a tiny synthetic county: deterministic data, and contenders that agree."""

from __future__ import annotations

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
