"""Boundaries out, on SQLite and PostgreSQL: every export format read back, file names, the PostGIS layer and a
server without PostGIS."""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from tests.gis_samples import (
    write_boundary_file,
)

from landreserve.services import geometry as service
from landreserve.services import geometry_export as export
from landreserve.storage.db import transaction
from landreserve.storage.geometry_tables import (
    LAYER_VIEW,
    ParcelGeometryRow,
    ensure_postgis_layer,
    has_postgis_layer,
)


def _rows(engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(ParcelGeometryRow))


@pytest.mark.parametrize("fmt", ["shp", "gpkg", "geojson", "txt"])
def test_export_then_import_gives_the_same_parcels(ctx, tmp_path, fmt):
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    before = {
        code: export.parcel_detail(ctx, code) for code in ("BC-CB2026001", "BC-CB2026002", "BC-CB2026003")
    }
    result = export.export_boundaries(ctx, fmt, tmp_path / f"out.{fmt}")
    assert result["count"] == 3
    report = service.import_boundaries(ctx, tmp_path / f"out.{fmt}")
    assert not report.unmatched_features
    for code, old in before.items():
        new = export.parcel_detail(ctx, code)
        tolerance = Decimal("0.05") if fmt == "geojson" else Decimal(0)
        assert abs(Decimal(new["area_m2"]) - Decimal(old["area_m2"])) <= tolerance
        assert new["name"] == old["name"] and new["land_use"] == old["land_use"]


def test_postgis_layer_shows_the_current_boundaries(ctx, tmp_path):
    with ctx.engine.connect() as connection:
        if ctx.engine.dialect.name != "postgresql":
            assert not has_postgis_layer(connection)
            return
        if not has_postgis_layer(connection):
            if os.environ.get("LANDRESERVE_REQUIRE_POSTGIS") == "1":
                pytest.fail("PostGIS is required here (.ci/run installed postgresql-*-postgis-3)")
            pytest.skip("PostGIS is not installed on this PostgreSQL server")
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    with ctx.engine.connect() as connection:
        rows = connection.execute(
            text(
                f"SELECT code, ST_SRID(geom), ST_Area(ST_Transform(geom, 4535)) FROM {LAYER_VIEW} ORDER BY code"
            )
        ).all()
    assert [r[0] for r in rows] == ["BC-CB2026001", "BC-CB2026002", "BC-CB2026003"]
    assert all(r[1] == 4490 for r in rows)
    assert [round(r[2], 3) for r in rows] == [10000.0, 37500.0, 10000.0]


def test_without_postgis_rights_the_layer_is_skipped_and_the_transaction_goes_on(engine, tmp_path):
    """A role that may not create the extension or the view (as on a server without PostGIS) gets False."""
    with engine.connect() as connection, connection.begin():
        if engine.dialect.name != "postgresql":
            assert ensure_postgis_layer(connection) is False
            return
        role = f"lr_plain_{uuid.uuid4().hex[:8]}"
        connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        connection.execute(text(f"GRANT SELECT, INSERT ON parcel_geometries TO {role}"))
        connection.execute(text(f"SET LOCAL ROLE {role}"))
        assert ensure_postgis_layer(connection) is False
        assert connection.execute(select(func.count()).select_from(ParcelGeometryRow)).scalar() == 0
        connection.rollback()


def test_on_a_server_without_postgis_migration_import_and_export_work(postgres_url, tmp_path, monkeypatch):
    """A database where the extension cannot be created because the server lacks it (not a rights issue):
    the migration, an import and an export succeed, the report says there is no layer, no view exists."""
    from functools import partial

    from landreserve.services.context import Context
    from landreserve.settings import Settings
    from landreserve.storage import geometry_tables
    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import upgrade

    absent = partial(geometry_tables.ensure_postgis_layer, extension=f"postgis_absent_{uuid.uuid4().hex[:6]}")
    monkeypatch.setattr(geometry_tables, "ensure_postgis_layer", absent)  # what migration 0004 imports
    monkeypatch.setattr(service, "ensure_postgis_layer", absent)
    server = make_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"lr_no_postgis_{uuid.uuid4().hex[:8]}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(server.url.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        ctx = Context(engine=engine, settings=Settings(database_url=str(engine.url)))
        report = service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
        assert report.postgis_layer is False and len(report.imported) == 3
        assert export.export_boundaries(ctx, "gpkg", tmp_path / "out")["count"] == 3
        with engine.connect() as connection:
            assert not has_postgis_layer(connection)
            installed = connection.execute(text("SELECT extname FROM pg_extension")).scalars().all()
        assert "postgis" not in installed
    finally:
        engine.dispose()
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_export_adds_the_missing_suffix(ctx, tmp_path):
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "a.txt"))
    for fmt in ("gpkg", "shp"):
        result = export.export_boundaries(ctx, fmt, tmp_path / f"储备地块{fmt}")
        assert result["path"] == str(tmp_path / f"储备地块{fmt}.{fmt}")
        assert (tmp_path / f"储备地块{fmt}.{fmt}").is_file()
        assert not (tmp_path / f"储备地块{fmt}").exists()
