"""web application: accounts, sessions, login attempts, evidence files, plan publication, adjustment
proposals, map layers; evidence files and publications are append-only like the history log

Revision ID: 0006_web_accounts
Revises: 0005_append_only, 0004_geometry
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_web_accounts"
down_revision = ("0005_append_only", "0004_geometry")
branch_labels = None
depends_on = None

#: rows that are never changed once written (0005's function refuses UPDATE and DELETE on PostgreSQL)
APPEND_ONLY = ("evidence_files", "plan_publications")
PG_FUNCTION = "landreserve_refuse_change"
MESSAGE = "只能追加，不能修改或删除已记录的行；更正请追加新记录（如冲销分录）"


def _create_tables() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
    )
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_code", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
    )
    op.create_index(op.f("ix_evidence_files_parcel_code"), "evidence_files", ["parcel_code"], unique=False)
    op.create_index(op.f("ix_evidence_files_sha256"), "evidence_files", ["sha256"], unique=False)
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index(op.f("ix_login_attempts_at"), "login_attempts", ["at"], unique=False)
    op.create_index(op.f("ix_login_attempts_remote_addr"), "login_attempts", ["remote_addr"], unique=False)
    op.create_index(op.f("ix_login_attempts_username"), "login_attempts", ["username"], unique=False)
    op.create_table(
        "map_layers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("feature_count", sa.Integer(), nullable=False),
        sa.Column("min_lon", sa.Double(), nullable=False),
        sa.Column("min_lat", sa.Double(), nullable=False),
        sa.Column("max_lon", sa.Double(), nullable=False),
        sa.Column("max_lat", sa.Double(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_map_layers")),
        sa.UniqueConstraint("name", name=op.f("uq_map_layers_name")),
    )
    op.create_table(
        "map_layer_features",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layer_id", sa.Integer(), nullable=False),
        sa.Column("min_lon", sa.Double(), nullable=False),
        sa.Column("min_lat", sa.Double(), nullable=False),
        sa.Column("max_lon", sa.Double(), nullable=False),
        sa.Column("max_lat", sa.Double(), nullable=False),
        sa.Column("wkb", sa.LargeBinary(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["layer_id"], ["map_layers.id"], name=op.f("fk_map_layer_features_layer_id_map_layers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_map_layer_features")),
    )
    op.create_index(op.f("ix_map_layer_features_layer_id"), "map_layer_features", ["layer_id"], unique=False)
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_web_sessions_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_account_id"), "web_sessions", ["account_id"], unique=False)
    op.create_table(
        "plan_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("proposed_by", sa.String(length=100), nullable=False),
        sa.Column("proposed_department", sa.String(length=40), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("result_version_id", sa.Integer(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_version_id"],
            ["plan_versions.id"],
            name=op.f("fk_plan_adjustments_base_version_id_plan_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["result_version_id"],
            ["plan_versions.id"],
            name=op.f("fk_plan_adjustments_result_version_id_plan_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_adjustments")),
    )
    op.create_index(
        op.f("ix_plan_adjustments_base_version_id"), "plan_adjustments", ["base_version_id"], unique=False
    )
    op.create_index(op.f("ix_plan_adjustments_status"), "plan_adjustments", ["status"], unique=False)
    op.create_table(
        "plan_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["plan_versions.id"], name=op.f("fk_plan_publications_version_id_plan_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_publications")),
    )
    op.create_index(
        op.f("ix_plan_publications_version_id"), "plan_publications", ["version_id"], unique=False
    )


def _drop_tables() -> None:
    op.drop_index(op.f("ix_plan_publications_version_id"), table_name="plan_publications")
    op.drop_table("plan_publications")
    op.drop_index(op.f("ix_plan_adjustments_status"), table_name="plan_adjustments")
    op.drop_index(op.f("ix_plan_adjustments_base_version_id"), table_name="plan_adjustments")
    op.drop_table("plan_adjustments")
    op.drop_index(op.f("ix_web_sessions_account_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_map_layer_features_layer_id"), table_name="map_layer_features")
    op.drop_table("map_layer_features")
    op.drop_table("map_layers")
    op.drop_index(op.f("ix_login_attempts_username"), table_name="login_attempts")
    op.drop_index(op.f("ix_login_attempts_remote_addr"), table_name="login_attempts")
    op.drop_index(op.f("ix_login_attempts_at"), table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index(op.f("ix_evidence_files_sha256"), table_name="evidence_files")
    op.drop_index(op.f("ix_evidence_files_parcel_code"), table_name="evidence_files")
    op.drop_table("evidence_files")
    op.drop_table("accounts")


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
            )
    else:
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '表 {table} {MESSAGE}'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    else:
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    _drop_tables()
