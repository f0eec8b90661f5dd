"""history entries record rows written in bulk by a digest per table (verify-log compares it)

Each entry of ``history_entries`` gets ``digests``: for the rows the change wrote in bulk (a plan import's
figures, parcels and findings), one record per table and batch — the row ids, a SHA-256 over the rows in id
order, one per column and a short hash per row (``domain.history_digest``) — hashed with the entry.
Entries written before keep their per-row fingerprints (``rows``) and verify as they did.

Revision ID: 0010_history_digests
Revises: 0009_history_rows
Create Date: 2026-12-07 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_history_digests"
down_revision = "0009_history_rows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("history_entries", sa.Column("digests", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("history_entries", "digests")
