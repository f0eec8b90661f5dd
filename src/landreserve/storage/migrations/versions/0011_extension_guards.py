"""PostgreSQL: drop the TRUNCATE guard that migration 0007 once put on PostGIS's spatial_ref_sys

Revision 0007, as first released, gave every table of the schema a statement trigger refusing TRUNCATE —
PostGIS's own ``spatial_ref_sys`` too. That table belongs to the extension: ``pg_dump`` leaves it and its
triggers out, and the guard made ``pg_restore --clean`` fail. New databases never get it (0007 now skips
extension tables) and ``landreserve db restore`` drops it; this revision drops it from existing databases
(``storage.guards.drop_extension_guards``; nothing happens where it is absent, or on SQLite).

Revision ID: 0011_extension_guards
Revises: 0010_history_digests
Create Date: 2026-12-07 14:30:00
"""

from alembic import op

from landreserve.storage.guards import drop_extension_guards

revision = "0011_extension_guards"
down_revision = "0010_history_digests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_extension_guards(op.get_bind())


def downgrade() -> None:
    pass  # the guard was a mistake: it is not put back
