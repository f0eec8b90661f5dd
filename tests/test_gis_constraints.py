"""Constraint layers read from GeoPackage / GeoJSON / Shapefile against brute-force Shapely results."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyogrio.raw
import pytest
import shapely
from tests.spatial_samples import (
    ORIGIN,
    assert_close,
    brute_force_shared,
    clean_layer,
    huge_polygon_with_holes,
    random_shapes,
    reproject,
    star,
)

from landreserve.domain.findings import Severity
from landreserve.errors import InputError
from landreserve.gis import constraints
from landreserve.gis.constraints import (
    ConstraintLayer,
    Rule,
    check_layer,
    check_layers,
    findings_for,
    layer_areas,
)
from landreserve.gis.layers import iter_features, open_layer, read_all

PARCELS_CRS = "EPSG:4535"
DRIVERS = {"gpkg": "GPKG", "geojson": "GeoJSON", "shp": "ESRI Shapefile"}


@pytest.fixture(scope="module")
def parcels():
    rng = np.random.default_rng(5)
    shapes = random_shapes(rng, 60)
    return {f"BC-CB2026{k:03d}": shape for k, shape in enumerate(shapes)}


@pytest.fixture(scope="module")
def layer_shapes():
    """A clean layer: farmland-like features (with holes and multiparts) west of x + 1,200 m, and one
    huge red-line polygon with holes east of it; no two features overlap."""
    rng = np.random.default_rng(6)
    shapes = clean_layer(rng)
    shapes.append(huge_polygon_with_holes(rng, (ORIGIN[0] + 1_750, ORIGIN[1] + 1_000), 450.0))
    assert len(shapely.STRtree(shapes).query(shapes, predicate="overlaps")[0]) == 0
    return shapes


def write_layer(path, shapes, crs, layer="constraint", **options):
    geoms = np.array(shapes, dtype=object)
    promote = path.suffix in (".shp", ".geojson")
    names = np.array([f"图斑{k}" for k in range(len(geoms))], dtype=object)
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(geoms),
        [names],
        ["名称"],
        layer=layer,
        driver=DRIVERS[path.suffix[1:]],
        geometry_type="MultiPolygon" if promote else "Unknown",
        crs=crs,
        promote_to_multi=promote,
        **options,
    )
    return path


def file_features(path, crs):
    """All features of the file as Shapely geometries in the parcels' CRS (read without any filter)."""
    _, _, wkb, _ = pyogrio.raw.read(str(path), columns=[])
    geoms = shapely.from_wkb(wkb)
    return geoms if crs == PARCELS_CRS else reproject(geoms, crs, PARCELS_CRS)


@pytest.mark.parametrize("suffix", ["gpkg", "geojson", "shp"])
@pytest.mark.parametrize("layer_crs", ["EPSG:4535", "EPSG:4490", "EPSG:4534"])
def test_shared_areas_equal_brute_force(tmp_path, parcels, layer_shapes, suffix, layer_crs):
    shapes = layer_shapes if layer_crs == PARCELS_CRS else reproject(layer_shapes, PARCELS_CRS, layer_crs)
    path = write_layer(tmp_path / f"layer.{suffix}", shapes, layer_crs)
    geoms = list(parcels.values())
    expected = brute_force_shared(geoms, file_features(path, layer_crs))
    assert (expected > 0).sum() > 10  # the sample really overlaps
    areas = layer_areas(geoms, path, PARCELS_CRS)
    assert_close(areas.intersect_m2, expected, shapely.area(geoms))
    features = file_features(path, layer_crs)
    assert areas.features.tolist() == [int(shapely.intersects(p, features).sum()) for p in geoms]
    results = check_layer(parcels, path, "must_not_intersect", label="永久基本农田")
    assert [r.code for r in results] == list(parcels)
    assert_close([float(r.intersect_area_m2) for r in results], expected, shapely.area(geoms))
    assert_close([float(r.share) for r in results], expected / shapely.area(geoms), 1.0)


def test_small_chunks_unindexed_gpkg_and_one_thread_agree(tmp_path, parcels, layer_shapes):
    indexed = write_layer(tmp_path / "indexed.gpkg", layer_shapes, PARCELS_CRS)
    plain = write_layer(
        tmp_path / "plain.gpkg", layer_shapes, PARCELS_CRS, layer_options={"SPATIAL_INDEX": "NO"}
    )
    assert open_layer(indexed).indexed_gpkg and not open_layer(plain).indexed_gpkg
    geoms = list(parcels.values())
    expected = brute_force_shared(geoms, layer_shapes)
    for path, chunk, workers in ((indexed, 7, 1), (indexed, 50_000, 2), (plain, 5, 2)):
        areas = layer_areas(geoms, path, PARCELS_CRS, chunk_size=chunk, workers=workers)
        assert_close(areas.intersect_m2, expected, shapely.area(geoms))


def test_gpkg_reader_yields_every_candidate_once(tmp_path, layer_shapes):
    path = write_layer(tmp_path / "layer.gpkg", layer_shapes, PARCELS_CRS)
    box = (ORIGIN[0] + 500, ORIGIN[1] + 500, ORIGIN[0] + 1_200, ORIGIN[1] + 1_400)
    boxes = np.array([box, box, (0.0, 0.0, 1.0, 1.0)])
    chunks = list(iter_features(open_layer(path), boxes, chunk_size=4))
    fids = np.concatenate([f for f, _ in chunks])
    geoms = np.concatenate([g for _, g in chunks])
    assert len(fids) == len(set(fids.tolist()))
    expected = {
        k + 1
        for k, g in enumerate(layer_shapes)
        if shapely.intersects(shapely.box(*box), shapely.envelope(g))
    }
    assert expected <= set(fids.tolist())  # the index box may be a hair larger, never smaller
    for fid, geom in zip(fids, geoms, strict=True):
        assert geom.equals_exact(layer_shapes[fid - 1], 0.0)


@pytest.mark.parametrize("layer_crs", ["EPSG:4535", "EPSG:4490"])
def test_huge_feature_with_holes_equals_brute_force(tmp_path, layer_crs):
    rng = np.random.default_rng(9)
    centre = np.array((ORIGIN[0] + 1_000, ORIGIN[1] + 1_000))
    huge = huge_polygon_with_holes(rng, centre, 600.0, n_vertices=4_000, holes=6)
    assert shapely.get_num_coordinates(huge) > constraints.MAX_PLAIN_VERTICES
    # parcels well inside, across the outer ring, around and inside the holes, and outside
    parcels = [
        star(rng, centre + rng.uniform(-800, 800, 2), float(rng.uniform(500, 20_000)), 20) for _ in range(150)
    ]
    shapes = [huge] if layer_crs == PARCELS_CRS else list(reproject([huge], PARCELS_CRS, layer_crs))
    path = write_layer(tmp_path / "redline.gpkg", shapes, layer_crs)
    feature = file_features(path, layer_crs)[0]
    expected = np.array([p.intersection(feature).area for p in parcels])
    own = shapely.area(parcels)
    assert ((expected > 0) & (expected < own * 0.999)).sum() > 10  # crossing the boundary
    assert (expected >= own * (1 - 1e-12)).sum() > 10  # wholly inside
    assert (expected == 0).sum() > 5
    for dissolve in (False, True):
        assert_close(layer_areas(parcels, path, dissolve=dissolve).intersect_m2, expected, own)


def test_must_lie_within_reports_the_area_outside(tmp_path):
    rng = np.random.default_rng(7)
    boundary = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 1_000, ORIGIN[1] + 1_000)
    path = write_layer(tmp_path / "urban.gpkg", [boundary], PARCELS_CRS)
    inside = star(rng, (ORIGIN[0] + 500, ORIGIN[1] + 500), 10_000.0)
    straddling = shapely.box(ORIGIN[0] + 900, ORIGIN[1] + 100, ORIGIN[0] + 1_100, ORIGIN[1] + 200)  # half out
    results = check_layer({"A": inside, "B": straddling}, path, Rule.MUST_LIE_WITHIN, label="城镇开发边界")
    assert [r.violates for r in results] == [False, True]
    assert results[1].violation_area_m2 == Decimal("10000.0")
    assert results[1].share == Decimal("0.5")
    (finding,) = findings_for(results)
    assert finding.code == "gis.constraint.outside" and finding.severity is Severity.ERROR
    assert (
        "地块 B 有 10000.00 ㎡（1.0000 公顷，15.00 亩）位于「城镇开发边界」之外，占地块面积 50.00%"
        in finding.message
    )


def test_findings_name_parcel_layer_area_and_share(tmp_path, parcels, layer_shapes):
    path = write_layer(tmp_path / "farmland.gpkg", layer_shapes, PARCELS_CRS)
    layer = ConstraintLayer(path, Rule.MUST_NOT_INTERSECT, label="永久基本农田")
    findings = check_layers(parcels, [layer], PARCELS_CRS)
    geoms = list(parcels.values())
    expected = brute_force_shared(geoms, layer_shapes)
    assert len(findings) == int((expected > 0).sum())
    for finding in findings:
        code = finding.values["parcel"]
        area = expected[list(parcels).index(code)]
        assert finding.code == "gis.constraint.intersects"
        stated = Decimal(finding.values["violation_area_m2"])
        assert abs(float(stated) - area) <= 1e-9 * parcels[code].area
        assert f"地块 {code} 与「永久基本农田」相交 {stated.quantize(Decimal('0.01'))} ㎡" in finding.message
        assert f"{(stated / 10000).quantize(Decimal('0.0001'))} 公顷" in finding.message
        assert "不得占用" in finding.message and "占地块面积" in finding.message
        assert finding.severity is (Severity.ERROR if area > 1 else Severity.WARNING)


def test_touching_only_is_no_violation(tmp_path):
    square = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 100, ORIGIN[1] + 100)
    neighbour = shapely.box(ORIGIN[0] + 100, ORIGIN[1], ORIGIN[0] + 200, ORIGIN[1] + 100)
    path = write_layer(tmp_path / "farmland.gpkg", [neighbour], PARCELS_CRS)
    (result,) = check_layer({"A": square}, path, "must_not_intersect")
    assert result.intersect_area_m2 == 0 and not result.violates
    assert findings_for([result]) == []


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_layer_without_crs_needs_one(tmp_path, parcels, layer_shapes):
    path = write_layer(tmp_path / "nocrs.shp", layer_shapes, None)
    with pytest.raises(InputError, match="没有坐标系"):
        layer_areas(list(parcels.values()), path, PARCELS_CRS)
    areas = layer_areas(list(parcels.values()), path, PARCELS_CRS, layer_crs=PARCELS_CRS)
    assert areas.intersect_m2.sum() > 0


def test_refusals_are_chinese_and_name_the_problem(tmp_path, parcels, layer_shapes):
    path = write_layer(tmp_path / "two.gpkg", layer_shapes, PARCELS_CRS, layer="farmland")
    write_layer(path, layer_shapes[:3], PARCELS_CRS, layer="redline", append=True)
    geoms = list(parcels.values())
    with pytest.raises(InputError, match="含有 2 个图层"):
        layer_areas(geoms, path)
    assert layer_areas(geoms, path, layer="redline").intersect_m2.sum() >= 0
    with pytest.raises(InputError, match="没有图层「water」"):
        layer_areas(geoms, path, layer="water")
    with pytest.raises(InputError, match="不存在"):
        layer_areas(geoms, tmp_path / "missing.gpkg")
    with pytest.raises(InputError, match="不是投影坐标系"):
        layer_areas(geoms, path, "EPSG:4490", layer="farmland")
    bowtie = shapely.Polygon(
        [
            (ORIGIN[0], ORIGIN[1]),
            (ORIGIN[0] + 2_000, ORIGIN[1] + 2_000),
            (ORIGIN[0] + 2_000, ORIGIN[1]),
            (ORIGIN[0], ORIGIN[1] + 2_000),
        ]
    )
    with pytest.raises(InputError, match="第 2 个地块的几何无效"):
        layer_areas([geoms[0], bowtie], path, layer="farmland", workers=1)


def test_missing_and_empty_parcels_share_nothing(tmp_path, parcels, layer_shapes):
    path = write_layer(tmp_path / "farmland.gpkg", layer_shapes, PARCELS_CRS)
    geoms = [None, shapely.Polygon(), *parcels.values()]
    areas = layer_areas(geoms, path)
    assert areas.intersect_m2[:2].tolist() == [0.0, 0.0] and areas.parcel_m2[:2].tolist() == [0.0, 0.0]
    assert_close(
        areas.intersect_m2[2:], brute_force_shared(list(parcels.values()), layer_shapes), areas.parcel_m2[2:]
    )


def test_dissolve_counts_overlapping_features_once(tmp_path, parcels):
    rng = np.random.default_rng(8)
    shapes = random_shapes(rng, 120, areas=(2_000.0, 60_000.0))  # overlapping each other
    path = write_layer(tmp_path / "overlapping.gpkg", shapes, PARCELS_CRS)
    geoms = list(parcels.values())
    union = shapely.union_all(shapes)
    expected = np.array([p.intersection(union).area for p in geoms])
    summed = layer_areas(geoms, path).intersect_m2
    assert (summed > expected * (1 + 1e-6)).any()  # the sum counts overlaps twice
    assert_close(layer_areas(geoms, path, dissolve=True).intersect_m2, expected, shapely.area(geoms))
    results = check_layer(parcels, path, Rule.MUST_NOT_INTERSECT, dissolve=True)
    assert all(r.share <= 1 for r in results)


@pytest.mark.parametrize("suffix", ["gpkg", "shp"])
def test_read_all_gives_every_feature_with_attributes(tmp_path, layer_shapes, suffix):
    path = write_layer(tmp_path / f"layer.{suffix}", layer_shapes, PARCELS_CRS)
    fids, geoms, attributes = read_all(open_layer(path), ("名称",))
    assert len(fids) == len(layer_shapes) == len(set(fids.tolist()))
    assert attributes["名称"].tolist() == [f"图斑{k}" for k in range(len(layer_shapes))]
    assert_close(shapely.area(geoms), shapely.area(layer_shapes), shapely.area(layer_shapes))
    if suffix == "gpkg":
        with pytest.raises(InputError, match="缺少字段"):
            read_all(open_layer(path), ("面积",))


def test_no_parcels_give_no_results(tmp_path, layer_shapes):
    path = write_layer(tmp_path / "farmland.gpkg", layer_shapes, PARCELS_CRS)
    assert check_layer({}, path, Rule.MUST_NOT_INTERSECT) == []
    assert check_layers({}, [ConstraintLayer(path, Rule.MUST_LIE_WITHIN)]) == []
