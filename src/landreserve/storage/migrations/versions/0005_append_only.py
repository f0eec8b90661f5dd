"""append-only history log, register events and evidence, funds ledger: triggers refuse UPDATE and DELETE

The hash chain of ``history_entries`` *detects* an edit; these triggers *refuse* the ordinary one, so
that rewriting history takes a deliberate act (dropping or disabling a trigger) that ``verify-log``
then still catches. Row triggers do not fire on PostgreSQL's TRUNCATE (tests empty tables with it).

Revision ID: 0005_append_only
Revises: 0002_register, 0003_funds
Create Date: 2026-11-30 01:00:00
"""

from alembic import op

revision = "0005_append_only"
down_revision = ("0002_register", "0003_funds")
branch_labels = None
depends_on = None

#: tables whose rows are never changed once written: the history log, the register's state changes and
#: evidence, and the double-entry ledger
TABLES = (
    "history_entries",
    "reserve_parcel_events",
    "reserve_evidence",
    "fund_entries",
    "fund_postings",
    "fund_accounts",
)
PG_FUNCTION = "landreserve_refuse_change"
MESSAGE = "只能追加，不能修改或删除已记录的行；更正请追加新记录（如冲销分录）"


def _pg_upgrade() -> None:
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '表 % {MESSAGE}（拒绝 %）', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
        )


def _sqlite_upgrade() -> None:
    for table in TABLES:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '表 {table} {MESSAGE}（拒绝 {action}）'); END"
            )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if postgresql:
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
