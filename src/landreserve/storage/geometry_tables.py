"""Parcel geometry stored portably (WKB + EPSG + bbox + exact area), with a PostGIS layer where available.

Every import of a parcel's boundary adds a version; the current one has ``superseded_at`` empty, older
ones stay readable. On PostgreSQL with PostGIS (``CREATE EXTENSION IF NOT EXISTS postgis`` succeeds) the
view ``parcel_geometry_layer`` shows the current boundaries as ``geometry(MultiPolygon, 4490)`` so that
QGIS can open the live parcel layer; without PostGIS everything else works the same.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    DateTime,
    Double,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base
from .types import ExactDecimal

LAYER_VIEW = "parcel_geometry_layer"
LAYER_SRID = 4490
CREATE_LAYER_VIEW = f"""
CREATE OR REPLACE VIEW {LAYER_VIEW} AS
SELECT id, code, code_as_written, name, version, epsg, area_m2, declared_area, land_use, land_use_code,
       repaired, imported_at, imported_by,
       ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromWKB(wkb), epsg), {LAYER_SRID}))::geometry(MultiPolygon, {LAYER_SRID})
         AS geom
FROM parcel_geometries
WHERE superseded_at IS NULL
"""


class ParcelGeometryRow(Base):
    """One version of one parcel's boundary, in the projected zone it was measured in."""

    __tablename__ = "parcel_geometries"
    __table_args__ = (
        UniqueConstraint("code", "version", name="uq_parcel_geometries_code_version"),
        # one current boundary per parcel, enforced by the database (migration 0007_trust_guards)
        Index(
            "uq_parcel_geometries_current_code",
            "code",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: canonical parcel code (``importers.normalise.normalise_code``)
    code: Mapped[str] = mapped_column(String(200), index=True)
    code_as_written: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(Text)
    #: CRS of ``wkb``: a CGCS2000 3-degree zone, EPSG:4513–4554
    epsg: Mapped[int] = mapped_column(Integer)
    #: ISO WKB, 2D polygon or multipolygon
    wkb: Mapped[bytes] = mapped_column(LargeBinary)
    min_x: Mapped[float] = mapped_column(Double)
    min_y: Mapped[float] = mapped_column(Double)
    max_x: Mapped[float] = mapped_column(Double)
    max_y: Mapped[float] = mapped_column(Double)
    area_m2: Mapped[Decimal] = mapped_column(ExactDecimal)
    #: declared area as written with its unit, e.g. ``1.0000公顷``
    declared_area: Mapped[str | None] = mapped_column(Text)
    land_use: Mapped[str | None] = mapped_column(Text)
    land_use_code: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    source_name: Mapped[str] = mapped_column(Text)
    source_place: Mapped[str] = mapped_column(Text)
    #: how the CRS of the file was decided (user, file, coordinates)
    crs_note: Mapped[str] = mapped_column(Text)
    repaired: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the shape as read, kept when the user chose the ``make_valid`` repair
    original_wkb: Mapped[bytes | None] = mapped_column(LargeBinary)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(100))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)


def ensure_postgis_layer(connection: Connection, extension: str = "postgis") -> bool:
    """On PostgreSQL, enable PostGIS if possible and (re)create the QGIS layer view; True when it exists.

    Runs in a SAVEPOINT so that a server without the PostGIS package, or a role that may not create the
    extension, leaves the surrounding transaction usable. Always False on SQLite. ``extension`` is the
    extension's name (only tests give another one, to meet a server that lacks it).
    """
    if connection.dialect.name != "postgresql":
        return False
    try:
        with connection.begin_nested():
            connection.execute(text(f'CREATE EXTENSION IF NOT EXISTS "{extension}"'))
            connection.execute(text(CREATE_LAYER_VIEW))
    except DBAPIError:
        return False
    return True


def has_postgis_layer(connection: Connection) -> bool:
    """True when the PostGIS view of current parcel boundaries exists in this database."""
    if connection.dialect.name != "postgresql":
        return False
    found = connection.execute(text("SELECT to_regclass(:name)"), {"name": LAYER_VIEW}).scalar()
    return found is not None


def current_row(session: Session, code: str) -> ParcelGeometryRow | None:
    """The current boundary of the parcel with canonical ``code``, or ``None``."""
    query = select(ParcelGeometryRow).where(
        ParcelGeometryRow.code == code, ParcelGeometryRow.superseded_at.is_(None)
    )
    return session.scalars(query).first()


def current_rows(session: Session) -> list[ParcelGeometryRow]:
    """Current boundaries of all parcels, by code."""
    query = select(ParcelGeometryRow).where(ParcelGeometryRow.superseded_at.is_(None))
    return list(session.scalars(query.order_by(ParcelGeometryRow.code)))


def current_codes(session: Session) -> set[str]:
    """Canonical codes of the parcels that have a current boundary."""
    query = select(ParcelGeometryRow.code).where(ParcelGeometryRow.superseded_at.is_(None))
    return set(session.scalars(query))


def last_versions(session: Session) -> dict[str, int]:
    """code → highest version number stored (current or superseded)."""
    query = select(ParcelGeometryRow.code, func.max(ParcelGeometryRow.version)).group_by(
        ParcelGeometryRow.code
    )
    return dict(session.execute(query).all())


def versions_of(session: Session, code: str) -> list[ParcelGeometryRow]:
    """Every stored version of one parcel's boundary, oldest first."""
    query = select(ParcelGeometryRow).where(ParcelGeometryRow.code == code)
    return list(session.scalars(query.order_by(ParcelGeometryRow.version)))
