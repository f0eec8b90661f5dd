"""parcel geometries (portable WKB + EPSG + bbox + area) and, with PostGIS, the QGIS layer view

Revision ID: 0004_geometry
Revises: 0001_plans
Create Date: 2026-11-30 00:30:00
"""

import sqlalchemy as sa
from alembic import op

import landreserve.storage.types
from landreserve.storage.geometry_tables import LAYER_VIEW, ensure_postgis_layer

revision = "0004_geometry"
down_revision = "0001_plans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parcel_geometries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("code_as_written", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("epsg", sa.Integer(), nullable=False),
        sa.Column("wkb", sa.LargeBinary(), nullable=False),
        sa.Column("min_x", sa.Double(), nullable=False),
        sa.Column("min_y", sa.Double(), nullable=False),
        sa.Column("max_x", sa.Double(), nullable=False),
        sa.Column("max_y", sa.Double(), nullable=False),
        sa.Column("area_m2", landreserve.storage.types.ExactDecimal(), nullable=False),
        sa.Column("declared_area", sa.Text(), nullable=True),
        sa.Column("land_use", sa.Text(), nullable=True),
        sa.Column("land_use_code", sa.Text(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("source_place", sa.Text(), nullable=False),
        sa.Column("crs_note", sa.Text(), nullable=False),
        sa.Column("repaired", sa.Boolean(), nullable=False),
        sa.Column("original_wkb", sa.LargeBinary(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel_geometries")),
        sa.UniqueConstraint("code", "version", name="uq_parcel_geometries_code_version"),
    )
    with op.batch_alter_table("parcel_geometries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parcel_geometries_code"), ["code"], unique=False)
    ensure_postgis_layer(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP VIEW IF EXISTS {LAYER_VIEW}")
    with op.batch_alter_table("parcel_geometries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_geometries_code"))
    op.drop_table("parcel_geometries")
