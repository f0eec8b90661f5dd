"""one current boundary per parcel (partial unique index), TRUNCATE refused on PostgreSQL

A parcel whose boundary was imported by two sessions at once could end up with two current boundaries
(issue 10); this revision first keeps only the newest of them current (the older ones are marked
superseded at the time the newest was imported), then lets the database refuse a second current row:
a unique index on ``code`` over the rows with ``superseded_at IS NULL`` (SQLite and PostgreSQL).
On PostgreSQL every table gets a statement trigger refusing ``TRUNCATE`` (see ``storage.guards``).

Revision ID: 0007_trust_guards
Revises: 0004_geometry, 0005_append_only
Create Date: 2026-12-07 03:00:00
"""

import sqlalchemy as sa
from alembic import op

from landreserve.storage.guards import ensure_truncate_guards

revision = "0007_trust_guards"
down_revision = ("0004_geometry", "0005_append_only")
branch_labels = None
depends_on = None

INDEX = "uq_parcel_geometries_current_code"


def _one_current_per_code() -> None:
    bind = op.get_bind()
    doubled = bind.execute(
        sa.text(
            "SELECT code FROM parcel_geometries WHERE superseded_at IS NULL GROUP BY code HAVING count(*) > 1"
        )
    ).scalars()
    for code in list(doubled):
        rows = bind.execute(
            sa.text(
                "SELECT id, imported_at FROM parcel_geometries WHERE code = :code AND superseded_at IS NULL "
                "ORDER BY version DESC, id DESC"
            ),
            {"code": code},
        ).all()
        newest_at = rows[0].imported_at
        for row in rows[1:]:
            bind.execute(
                sa.text("UPDATE parcel_geometries SET superseded_at = :at WHERE id = :id"),
                {"at": newest_at, "id": row.id},
            )


def upgrade() -> None:
    _one_current_per_code()
    where = sa.text("superseded_at IS NULL")
    op.create_index(
        INDEX, "parcel_geometries", ["code"], unique=True, sqlite_where=where, postgresql_where=where
    )
    bind = op.get_bind()
    tables = [t for t in sa.inspect(bind).get_table_names() if t != "alembic_version"]
    ensure_truncate_guards(bind, tables)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="parcel_geometries")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in sa.inspect(bind).get_table_names():
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS landreserve_refuse_truncate()")
