"""Storage: SQLAlchemy 2 tables, engine and session handling, Alembic migrations (SQLite and PostgreSQL)."""
