"""Architecture guards: the domain core imports no edges, docs cover every setting and command,
migrations match the table definitions, and errors have one JSON shape."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import typer
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from landreserve.cli import app
from landreserve.errors import InputError, RuleViolation
from landreserve.settings import SETTINGS_ENV_VARS, Settings
from landreserve.storage.all_tables import metadata

SRC = Path(__file__).resolve().parent.parent / "src" / "landreserve"
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

#: what the domain core must never import: storage, web, CLI, file formats, database drivers
FORBIDDEN_IN_CORE = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "sqlite3",
    "typer",
    "rich",
    "fastapi",
    "starlette",
    "docx",
    "openpyxl",
    "pyogrio",
    "requests",
    "httpx",
    "landreserve.storage",
    "landreserve.services",
    "landreserve.cli",
    "landreserve.importers",
    "landreserve.web",
    "landreserve.reports",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import inside landreserve.domain
                base = "landreserve." + ".".join(path.relative_to(SRC).parts[: -node.level])
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted((SRC / "domain").rglob("*.py")), ids=lambda p: str(p.relative_to(SRC))
)
def test_domain_core_imports_no_edges(path):
    bad = {n for n in _imports(path) for f in FORBIDDEN_IN_CORE if n == f or n.startswith(f + ".")}
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"(?<![\w.])open\(", source), f"{path.relative_to(SRC)} does file I/O"


def test_every_setting_is_documented_and_read():
    fields = {f"LANDRESERVE_{name.upper()}" for name in Settings.__dataclass_fields__}
    assert fields <= set(SETTINGS_ENV_VARS)
    missing = [var for var in SETTINGS_ENV_VARS if f"`{var}`" not in README]
    assert not missing, f"settings not documented in README.md: {missing}"


def _command_paths(typer_app: typer.Typer, prefix: str = "") -> list[str]:
    paths = []
    for command in typer_app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        paths.append(f"{prefix}{name}")
    for group in typer_app.registered_groups:
        paths.extend(_command_paths(group.typer_instance, f"{prefix}{group.name} "))
    return paths


def test_every_command_is_documented():
    missing = [p for p in _command_paths(app) if f"landreserve {p}" not in README]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_migrations_match_table_definitions(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    # PostGIS (when another area installs it) brings its own tables; only our tables count.
    ours = [d for d in diff if not (d[0] == "remove_table" and d[1].name not in metadata.tables)]
    assert not ours, f"migrations and table definitions differ: {ours}"


def test_errors_share_one_json_shape():
    for error in (InputError("文件无法读取", code="plan.empty"), RuleViolation("拒绝", reasons=["缺少证据"])):
        shape = error.to_dict()
        assert set(shape) == {"error"} and set(shape["error"]) == {"code", "message", "details"}
        assert shape["error"]["message"] == str(error)
