"""Parcels stored on PostGIS: the constraint check runs there as SQL and gives the same areas, per parcel, as
the check on the layer files (and as brute force). On SQLite, or a PostgreSQL server without PostGIS, the
check stays on the files. Without PostGIS installed only the PostGIS assertions are skipped — in CI
(``CI=true``) they fail instead."""

from __future__ import annotations

import os
from decimal import Decimal

import numpy as np
import pyogrio.raw
import pytest
import shapely
from sqlalchemy import text
from tests.gis_samples import E0, N0, PARCELS, write_boundary_file

from landreserve.errors import InputError
from landreserve.gis.constraints import ConstraintLayer, Rule
from landreserve.gis.measurement import project
from landreserve.services import geometry as service
from landreserve.services import geometry_checks as checks
from landreserve.storage import postgis_layers

SHAPES = {code.replace("－", "-"): shape for code, *_, shape in PARCELS}


def _layer(path, polygons, crs="EPSG:4535"):
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.asarray(polygons, dtype=object)),
        [np.array([f"图斑{k}" for k in range(len(polygons))], dtype=object)],
        ["名称"],
        geometry_type="Unknown",
        crs=crs,
        driver="GPKG",
    )
    return path


def _polygons():
    """A box over half of the square, a 2,000-vertex circle over the holed parcel (cut into pieces on
    PostGIS), a box inside the holed parcel's hole and one box far away."""
    circle = shapely.Point(E0 + 420, N0 + 60).buffer(90, quad_segs=500)
    return [
        shapely.box(E0 - 20, N0 - 20, E0 + 50, N0 + 130),
        circle,
        shapely.box(E0 + 390, N0 + 90, E0 + 410, N0 + 110),
        shapely.box(E0 + 5000, N0, E0 + 5100, N0 + 100),
    ]


def _require_postgis(ctx):
    with ctx.engine.connect() as connection:
        ready = postgis_layers.postgis_ready(connection)
    if ctx.engine.dialect.name != "postgresql":
        assert not ready
        return False
    if not ready:
        if os.environ.get("CI") == "true" or os.environ.get("LANDRESERVE_REQUIRE_POSTGIS") == "1":
            pytest.fail("PostGIS is required in CI (apt package postgresql-15-postgis-3)")
        pytest.skip("PostGIS is not installed on this PostgreSQL server")
    return True


@pytest.mark.parametrize("layer_crs", ["EPSG:4535", "EPSG:4490"])
def test_postgis_check_gives_the_file_check_s_areas(ctx, tmp_path, layer_crs):
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    polygons = _polygons()
    written = [project(p, 4535, int(layer_crs.split(":")[1])) for p in polygons]
    layer = ConstraintLayer(
        _layer(tmp_path / "农田.gpkg", written, layer_crs), Rule.MUST_NOT_INTERSECT, "农田"
    )
    on_files = checks.check_geometries(ctx, [layer], use_postgis=False)
    assert on_files.engine == "files"
    union = shapely.union_all(polygons)
    for r in on_files.layers:  # the file check itself against brute force
        assert float(r.intersect_area_m2) == pytest.approx(SHAPES[r.code].intersection(union).area, rel=1e-6)
    assert sum(r.violates for r in on_files.layers) == 2
    if not _require_postgis(ctx):
        assert checks.check_geometries(ctx, [layer]).engine == "files"
        return
    on_server = checks.check_geometries(ctx, [layer])
    assert on_server.engine == "postgis" and "农田" in on_server.index_seconds  # loaded now, once
    assert [r.code for r in on_server.layers] == [r.code for r in on_files.layers]
    for a, b in zip(on_server.layers, on_files.layers, strict=True):
        assert abs(a.intersect_area_m2 - b.intersect_area_m2) <= b.parcel_area_m2 * Decimal("1e-9"), (a, b)
        assert a.parcel_area_m2 == b.parcel_area_m2 and a.features == b.features and a.violates == b.violates
    assert [f.code for f in on_server.findings] == [f.code for f in on_files.findings]
    again = checks.check_geometries(ctx, [layer])
    assert again.index_seconds == {}  # the loaded table was found: the file did not change
    assert [r.intersect_area_m2 for r in again.layers] == [r.intersect_area_m2 for r in on_server.layers]


def test_a_changed_layer_file_is_loaded_again_and_big_features_are_cut(ctx, tmp_path):
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    path = _layer(tmp_path / "农田.gpkg", _polygons())
    layer = ConstraintLayer(path, Rule.MUST_NOT_INTERSECT, "农田")
    if not _require_postgis(ctx):
        with pytest.raises(InputError, match="PostGIS"):
            checks.check_geometries(ctx, [layer], use_postgis=True)
        return
    checks.check_geometries(ctx, [layer])
    with ctx.engine.connect() as connection:
        loaded = postgis_layers.load_layer(connection, path)
        pieces = connection.execute(
            text(f"SELECT fid, count(*), max(ST_NPoints(geom)) FROM {loaded.table} GROUP BY fid ORDER BY fid")
        ).all()
    assert loaded.loaded_seconds is None and loaded.features == 4
    assert [p[1] > 1 for p in pieces] == [False, True, False, False]  # only the circle was subdivided
    assert max(p[2] for p in pieces) <= postgis_layers.MAX_PIECE_VERTICES
    _layer(path, _polygons()[:1])  # the file is replaced: one box only
    changed = checks.check_geometries(ctx, [layer])
    assert "农田" in changed.index_seconds
    assert [float(r.intersect_area_m2) for r in changed.layers] == pytest.approx([5000.0, 0.0, 0.0])


def test_a_cpg_saying_utf8_over_gbk_text_is_refused_before_loading_into_postgis(ctx, tmp_path):
    """The PostGIS load path read shapes only: GBK values under a .cpg saying UTF-8 were loaded without a
    word. Now the layer cache's check (``shapefiles.check_declared_text``) refuses them first, with its
    message, and nothing is loaded; with the .cpg mended the layer loads."""
    from tests.test_layer_file_damage import _gbk_under_a_utf8_cpg

    from landreserve.gis.shapefiles import check_declared_text

    if not _require_postgis(ctx):
        return
    path = _gbk_under_a_utf8_cpg(tmp_path, "MC")
    with pytest.raises(InputError) as expected:
        check_declared_text(path)
    table = postgis_layers._table_name(path, None)
    with ctx.engine.connect() as connection, pytest.raises(InputError) as error:
        postgis_layers.load_layer(connection, path)
    assert error.value.message == expected.value.message and "农田.cpg" in error.value.message
    with ctx.engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT to_regclass(:t)"), {"t": f"{postgis_layers.SCHEMA}.{table}"}
            ).scalar()
            is None
        )
    path.with_suffix(".cpg").write_text("GBK", encoding="ascii")
    with ctx.engine.begin() as connection:
        assert postgis_layers.load_layer(connection, path).features == 20
