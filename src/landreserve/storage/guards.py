"""Guards the database itself keeps: on PostgreSQL no table of landreserve can be emptied with TRUNCATE.

Row triggers (migration ``0005_append_only``) do not fire on ``TRUNCATE``, so a statement trigger on every
table refuses it. The only exception is the test suite's reset of its own throw-away database (named
``landreserve_test_…``), which asks for it with ``SET LOCAL landreserve.test_reset = 'on'``. Tables that
later migrations add get the trigger too (:func:`ensure_truncate_guards` runs after every upgrade).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

TRUNCATE_FUNCTION = "landreserve_refuse_truncate"
#: the setting the test suite's reset sets (``SET LOCAL``) to empty its own database
TEST_RESET_SETTING = "landreserve.test_reset"
TEST_DATABASE_PATTERN = r"landreserve\_test\_%"
TRUNCATE_MESSAGE = "不能整表清空（TRUNCATE）：储备库的数据只能通过 landreserve 修改，历史记录只能追加"


def trigger_name(table: str) -> str:
    return f"{table}_no_truncate"


def create_truncate_function(connection: Connection) -> None:
    connection.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION {TRUNCATE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('{TEST_RESET_SETTING}', true) = 'on'
                   AND current_database() LIKE '{TEST_DATABASE_PATTERN}' THEN
                    RETURN NULL;
                END IF;
                RAISE EXCEPTION '表 % {TRUNCATE_MESSAGE}', TG_TABLE_NAME
                    USING ERRCODE = 'integrity_constraint_violation';
            END
            $$
            """
        )
    )


def guard_table(connection: Connection, table: str) -> None:
    connection.execute(
        text(
            f'CREATE TRIGGER "{trigger_name(table)}" BEFORE TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRUNCATE_FUNCTION}()"
        )
    )


def extension_tables(connection: Connection) -> list[str]:
    """Tables an extension owns (PostGIS's ``spatial_ref_sys``): not landreserve's, never guarded, and left out
    of ``pg_dump`` with their triggers — a guard on one would make ``pg_restore --clean`` fail."""
    return list(
        connection.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e' "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema()"
            )
        ).scalars()
    )


def drop_extension_guards(connection: Connection) -> list[str]:
    """Remove the TRUNCATE guards that earlier versions put on extension tables; the tables freed."""
    if connection.dialect.name != "postgresql":
        return []
    tables = extension_tables(connection)
    for table in tables:
        connection.execute(text(f'DROP TRIGGER IF EXISTS "{trigger_name(table)}" ON "{table}"'))
    return tables


def ensure_truncate_guards(connection: Connection, tables: list[str]) -> list[str]:
    """Give every table in ``tables`` (that exists) its TRUNCATE guard; the tables that got one now."""
    if connection.dialect.name != "postgresql":
        return []
    existing = set(
        connection.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = current_schema()"
            )
        ).scalars()
    ) - set(extension_tables(connection))
    guarded = set(
        connection.execute(
            text("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%\\_no\\_truncate'")
        ).scalars()
    )
    missing = [t for t in tables if t in existing and trigger_name(t) not in guarded]
    if missing:
        create_truncate_function(connection)
        for table in missing:
            guard_table(connection, table)
    return missing
