"""a parcel's area as listed is kept in its parcel row only, not again as a figure row

Each row of ``plan_parcels`` gets ``area_figure_seq``: the position (``seq``) among its version's figures
of the figure that is the parcel's area as listed, when that figure is exactly what the row itself holds —
label = ``code``, value and unit = ``area_text``, base value = ``area_m2``, ``line`` and ``text`` — and is
therefore not written to ``plan_figures`` a second time (``services.plan_rows``). Rows written before keep
``NULL``: their figures stay where they are, and the history entries that recorded them verify as before.

Revision ID: 0012_parcel_area_figures
Revises: 0011_extension_guards
Create Date: 2026-12-07 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_parcel_area_figures"
down_revision = "0011_extension_guards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table copy on SQLite: the table's triggers and indexes stay as they are)
    op.add_column("plan_parcels", sa.Column("area_figure_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("plan_parcels", "area_figure_seq")
