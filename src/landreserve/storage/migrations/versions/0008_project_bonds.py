"""funds: several bonds per project (fund_project_bonds), bond terms (repayment shares, N+M call, issue
costs), partial early repayments, project records as published

Existing projects keep their one bond: each gets one ``fund_project_bonds`` row with its financing.

Revision ID: 0008_project_bonds
Revises: 0007_trust_guards
Create Date: 2026-12-07 08:00:00
"""

import sqlalchemy as sa
from alembic import op

import landreserve.storage.types

revision = "0008_project_bonds"
down_revision = "0007_trust_guards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fund_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repayment_shares", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("call_after_years", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("issue_cost", landreserve.storage.types.ExactDecimal(), nullable=True))

    op.create_table(
        "fund_project_bonds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("bond_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("financing", landreserve.storage.types.ExactDecimal(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bond_id"], ["fund_sources.id"], name=op.f("fk_fund_project_bonds_bond_id_fund_sources")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["fund_projects.id"], name=op.f("fk_fund_project_bonds_project_id_fund_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_project_bonds")),
        sa.UniqueConstraint("project_id", "bond_id", name="uq_fund_project_bonds_pair"),
    )
    with op.batch_alter_table("fund_project_bonds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_project_bonds_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_project_bonds_bond_id"), ["bond_id"], unique=False)

    op.create_table(
        "fund_bond_prepayments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bond_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", landreserve.storage.types.ExactDecimal(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["bond_id"], ["fund_sources.id"], name=op.f("fk_fund_bond_prepayments_bond_id_fund_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_bond_prepayments")),
    )
    with op.batch_alter_table("fund_bond_prepayments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_bond_prepayments_bond_id"), ["bond_id"], unique=False)

    op.create_table(
        "fund_project_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_code", sa.String(length=100), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_project_records")),
        sa.UniqueConstraint("project_code", "revision", name="uq_fund_project_records_key"),
    )
    with op.batch_alter_table("fund_project_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fund_project_records_project_code"), ["project_code"], unique=False
        )

    # every existing project keeps its one bond
    op.execute(
        "INSERT INTO fund_project_bonds (project_id, bond_id, position, financing) "
        "SELECT id, bond_id, 1, financing FROM fund_projects"
    )


def downgrade() -> None:
    op.drop_table("fund_project_records")
    op.drop_table("fund_bond_prepayments")
    op.drop_table("fund_project_bonds")
    with op.batch_alter_table("fund_sources", schema=None) as batch_op:
        batch_op.drop_column("issue_cost")
        batch_op.drop_column("call_after_years")
        batch_op.drop_column("repayment_shares")
