"""Every layer format at the indexed speed: the cache built once for a layer file without spatial index gives
the same areas as brute force and GeoPandas, per parcel, and is refreshed exactly when the file changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from tests.spatial_samples import ORIGIN, assert_close, brute_force_shared, clean_layer, random_shapes

from landreserve.errors import InputError
from landreserve.gis import layer_cache
from landreserve.gis.constraints import layer_areas
from landreserve.gis.layers import indexed_layer, iter_features

CRS = "EPSG:4535"
REPO = Path(__file__).resolve().parent.parent
#: name → (suffix, driver, layer creation options, whether the file carries its own R-tree)
FORMATS = {
    "gpkg": (".gpkg", "GPKG", {}, True),
    "gpkg-no-rtree": (".gpkg", "GPKG", {"SPATIAL_INDEX": "NO"}, False),
    "shp": (".shp", "ESRI Shapefile", {}, False),
    "shp-qix": (".shp", "ESRI Shapefile", {"SPATIAL_INDEX": "YES"}, False),
    "geojson": (".geojson", "GeoJSON", {}, False),
    "fgb": (".fgb", "FlatGeobuf", {}, False),
    "fgb-no-index": (".fgb", "FlatGeobuf", {"SPATIAL_INDEX": "NO"}, False),
}


@pytest.fixture(scope="module")
def parcels():
    return np.array(random_shapes(np.random.default_rng(15), 50), dtype=object)


@pytest.fixture(scope="module")
def shapes():
    return np.array(clean_layer(np.random.default_rng(16)), dtype=object)


def write(path: Path, shapes, fmt: str = "gpkg", crs: str | None = CRS) -> Path:
    suffix, driver, options, _ = FORMATS[fmt]
    path = path.with_suffix(suffix)
    multi = suffix in (".shp", ".geojson", ".fgb")
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.asarray(shapes, dtype=object)),
        [np.array([f"图斑{k}" for k in range(len(shapes))], dtype=object)],
        ["名称"],
        driver=driver,
        geometry_type="MultiPolygon" if multi else "Unknown",
        crs=crs,
        promote_to_multi=multi,
        layer_options=options or None,
    )
    return path


def geopandas_shared(parcels, path: Path) -> np.ndarray:
    """The GeoPandas peer: read the whole file, ``sjoin`` on intersects, intersection areas summed."""
    import geopandas

    left = geopandas.GeoDataFrame(geometry=list(parcels), crs=CRS)
    right = geopandas.read_file(path, columns=[])
    pairs = geopandas.sjoin(left, right, predicate="intersects")
    shared = left.geometry.values[pairs.index.to_numpy()].intersection(
        right.geometry.values[pairs["index_right"].to_numpy()]
    )
    return np.bincount(pairs.index.to_numpy(), weights=shared.area, minlength=len(parcels))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_brute_force_and_geopandas_areas(tmp_path, parcels, shapes, fmt):
    path = write(tmp_path / "farmland", shapes, fmt)
    cache = tmp_path / "cache"
    expected = brute_force_shared(parcels, shapes)
    assert (expected > 0).sum() > 10  # the sample really overlaps
    first = layer_areas(parcels, path, CRS, cache_dir=cache)
    assert_close(first.intersect_m2, expected, shapely.area(parcels))
    assert_close(first.intersect_m2, geopandas_shared(parcels, path), shapely.area(parcels))
    own_index = FORMATS[fmt][3]
    assert (first.index_seconds is None) == own_index  # built now, unless the file has its own R-tree
    assert len(list(cache.glob("*.gpkg"))) == (0 if own_index else 1)
    again = layer_areas(parcels, path, CRS, cache_dir=cache, workers=1, batch_size=7)
    assert again.index_seconds is None  # the cache was found, not rebuilt
    assert_close(again.intersect_m2, expected, shapely.area(parcels))
    assert again.features.tolist() == first.features.tolist()


def test_the_cache_yields_the_file_fids_and_exact_geometries(tmp_path, shapes):
    path = write(tmp_path / "farmland", shapes, "shp")
    source = indexed_layer(path, cache_dir=tmp_path / "cache")
    assert source.cache is not None and source.indexed and not source.indexed_gpkg
    box = shapely.total_bounds(shapes)
    chunks = list(iter_features(source, np.array([box]), chunk_size=9))
    fids = np.concatenate([f for f, _ in chunks])
    geoms = np.concatenate([g for _, g in chunks])
    assert sorted(fids.tolist()) == list(range(len(shapes)))  # every feature once, under the file's fid
    for fid, geom in zip(fids, geoms, strict=True):
        assert shapely.equals_exact(shapely.normalize(geom), shapely.normalize(shapes[fid]), 0.0)
    assert source.crs is not None and source.crs.to_epsg() == 4535
    assert len(chunks) >= len(shapes) // 9


def test_the_conversion_streams_in_batches_and_reports_progress(tmp_path, shapes, monkeypatch):
    monkeypatch.setattr(layer_cache, "BATCH", 10)
    path = write(tmp_path / "farmland", shapes, "geojson")
    calls = []
    cached = layer_cache.cached_source(path, cache_dir=tmp_path, progress=lambda *a: calls.append(a))
    assert cached.features == len(shapes) and cached.built_seconds is not None
    steps = [done for description, done, _ in calls if "空间索引" in description]
    assert steps[0] == 0 and steps[-1] == len(shapes)
    assert len(steps) >= len(shapes) // 10  # one report per batch of 10: the layer was never read whole
    assert steps == sorted(steps)
    # every step of the build (reading the layer's info, staging, ordering + R-tree, the checksum) is
    # reported when it starts and when it ends, so that a bar can show each one that takes long
    by_step: dict[str, list] = {}
    for description, done, total in calls:
        by_step.setdefault(description, []).append((done, total))
    assert len(by_step) == 4, list(by_step)
    for reports in by_step.values():
        assert reports[0][0] == 0 and reports[-1][0] == reports[-1][1]


def test_a_changed_file_is_indexed_again_a_touched_one_is_not(tmp_path, parcels, shapes):
    path = write(tmp_path / "farmland", shapes, "shp")
    cache = tmp_path / "cache"
    assert layer_areas(parcels, path, CRS, cache_dir=cache).index_seconds is not None
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched, same content
    assert layer_areas(parcels, path, CRS, cache_dir=cache).index_seconds is None
    assert layer_areas(parcels, path, CRS, cache_dir=cache).index_seconds is None  # the new time was kept

    fewer = shapes[::2]
    write(tmp_path / "farmland", fewer, "shp")  # rewritten: other content
    changed = layer_areas(parcels, path, CRS, cache_dir=cache)
    assert changed.index_seconds is not None
    assert_close(changed.intersect_m2, brute_force_shared(parcels, fewer), shapely.area(parcels))
    assert len(list(cache.glob("*.gpkg"))) == 1  # replaced, not added


def test_same_size_and_time_but_other_bytes_is_seen_by_the_quick_hash(tmp_path, parcels, shapes):
    path = write(tmp_path / "farmland", shapes, "geojson")
    cache = tmp_path / "cache"
    before = layer_areas(parcels, path, CRS, cache_dir=cache).intersect_m2
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    # move the whole layer 100 km east (x = 50xxxx → 60xxxx), keeping the file's length
    shifted = text.replace("[ 50", "[ 60")
    assert len(shifted) == len(text) and shifted != text
    path.write_text(shifted, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = layer_areas(parcels, path, CRS, cache_dir=cache)
    assert after.index_seconds is not None
    assert before.sum() > 0 and after.intersect_m2.tolist() == [0.0] * len(parcels)


def test_a_prj_change_rebuilds_with_the_new_crs(tmp_path, shapes):
    path = write(tmp_path / "farmland", shapes, "shp")
    cache = tmp_path / "cache"
    assert indexed_layer(path, cache_dir=cache).crs.to_epsg() == 4535
    path.with_suffix(".prj").unlink()
    source = indexed_layer(path, cache_dir=cache)
    assert source.cache.built_seconds is not None and source.crs is None


def test_a_broken_cache_file_is_rebuilt(tmp_path, parcels, shapes):
    path = write(tmp_path / "farmland", shapes, "fgb")
    cache = tmp_path / "cache"
    target = layer_cache.cache_path(path, None, cache)
    cache.mkdir()
    target.write_bytes(b"not a database")
    areas = layer_areas(parcels, path, CRS, cache_dir=cache)
    assert areas.index_seconds is not None
    assert_close(areas.intersect_m2, brute_force_shared(parcels, shapes), shapely.area(parcels))


def test_the_cache_is_a_geopackage_gdal_reads(tmp_path, shapes):
    path = write(tmp_path / "farmland", shapes, "geojson")
    cached = layer_cache.cached_source(path, cache_dir=tmp_path / "cache")
    _, _, wkb, _ = pyogrio.raw.read(str(cached.path), layer="features", columns=[])
    assert len(wkb) == len(shapes)
    assert np.isclose(shapely.area(shapely.from_wkb(wkb)).sum(), shapely.area(shapes).sum(), rtol=1e-12)


def test_unreadable_layer_and_unwritable_cache_are_named(tmp_path, shapes):
    bad = tmp_path / "broken.geojson"
    bad.write_text("{ this is not json", encoding="utf-8")
    with pytest.raises(InputError) as error:
        layer_cache.cached_source(bad, cache_dir=tmp_path / "cache")
    assert error.value.code == "gis.layer_unreadable" and "broken.geojson" in error.value.message
    path = write(tmp_path / "farmland", shapes, "shp")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(InputError) as error:
        layer_cache.cached_source(path, cache_dir=blocker / "cache")
    assert error.value.code == "gis.cache_unwritable" and "LANDRESERVE_CACHE_DIR" in error.value.message


def test_a_check_on_a_cached_layer_does_not_load_gdal(tmp_path, parcels, shapes):
    path = write(tmp_path / "farmland", shapes, "shp")
    cache = tmp_path / "cache"
    layer_areas(parcels, path, CRS, cache_dir=cache)  # builds the cache (GDAL is needed for that)
    wkt = tmp_path / "parcels.json"
    wkt.write_text(json.dumps(shapely.to_wkt(parcels).tolist()), encoding="utf-8")
    script = (
        "import json, sys, shapely\n"
        "from landreserve.gis.constraints import layer_areas\n"
        f"parcels = shapely.from_wkt(json.load(open({str(wkt)!r})))\n"
        f"areas = layer_areas(parcels, {str(path)!r}, 'EPSG:4535', cache_dir={str(cache)!r})\n"
        "print(json.dumps({'built': areas.index_seconds, 'gdal': 'pyogrio' in sys.modules,"
        " 'total': float(areas.intersect_m2.sum())}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    result = json.loads(done.stdout)
    assert result == {
        "built": None,
        "gdal": False,
        "total": pytest.approx(brute_force_shared(parcels, shapes).sum()),
    }


def test_layer_without_origin_offset_still_orders(tmp_path):
    """A layer of one feature (no extent to speak of) and an empty layer are indexed too."""
    one = write(tmp_path / "one", [shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 10, ORIGIN[1] + 10)], "shp")
    cached = layer_cache.cached_source(one, cache_dir=tmp_path / "cache")
    assert cached.features == 1
    areas = layer_areas(
        [shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 5, ORIGIN[1] + 20)],
        one,
        CRS,
        cache_dir=tmp_path / "cache",
    )
    assert areas.intersect_m2.tolist() == [50.0]
