"""history entries carry the fingerprints of the rows they wrote (verify-log compares them with the tables)

Each entry of ``history_entries`` gets ``rows``: the fingerprints of the current-state rows the change
wrote (``domain.history_state``), hashed with the entry. Rows already in the tables when the database is
upgraded are recorded once by a baseline entry appended here (actor ``landreserve``; this revision comes after all others, so their rows are covered), so that ``verify-log``
compares them from now on; what was changed before the upgrade cannot be told afterwards.

Revision ID: 0009_history_rows
Revises: 0006_web_accounts, 0008_project_bonds
Create Date: 2026-12-07 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_history_rows"
# after every other revision, so that the baseline covers the rows they create
down_revision = ("0006_web_accounts", "0008_project_bonds")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("history_entries", sa.Column("rows", sa.JSON(), nullable=True))
    from landreserve.services.history import append_baseline

    append_baseline(op.get_bind())


def downgrade() -> None:
    op.drop_column("history_entries", "rows")
