"""The command line starts at once: ``--help`` (of every command and group) and ``audit`` import none of the
heavy libraries — they are loaded lazily by the commands that use them (``landreserve.cli.lazy``).

Each check runs the real command line in a fresh Python process and looks at what got imported (its
``sys.modules``, and ``python -X importtime`` for ``audit``), never at the clock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import typer

from landreserve.cli import app

REPO = Path(__file__).resolve().parent.parent
BACHU_PLAN = REPO / "data" / "plans" / "bachu-2026.txt"

#: libraries no help screen and no ``audit`` may load (each costs tens of MB or 0.1–1 s at start-up)
HEAVY = frozenset(
    {
        "pandas",
        "geopandas",
        "shapely",
        "pyogrio",
        "pyproj",
        "numpy",
        "pyarrow",
        "sqlalchemy",
        "alembic",
        "psycopg",
        "docx",
        "openpyxl",
        "lxml",
        "fastapi",
        "starlette",
        "uvicorn",
        "matplotlib",
        "reportlab",
        "playwright",
        # typer ≥ 0.26 converts every option with pydantic (≈ 0.1 s per command): pinned below it
        "pydantic",
    }
)

#: run the command line in-process for each argv of a JSON list, then print the top-level modules loaded
PROBE = """
import json, sys
from landreserve.cli import app
codes = []
for argv in json.loads(sys.argv[1]):
    try:
        codes.append(app(argv, prog_name="landreserve", standalone_mode=False) or 0)
    except SystemExit as done:
        codes.append(done.code)
    except Exception as exc:  # a click usage error, …
        codes.append(type(exc).__name__)
sys.stdout.flush()
print("\\n@@" + json.dumps({"codes": codes, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def probe(*argvs: list[str], env: dict | None = None) -> tuple[list, set[str]]:
    """Exit codes of the command lines ``argvs`` (run one after the other in one fresh process) and the
    top-level modules that process had loaded at the end."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(argvs))],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "120", **(env or {})},
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.rsplit("\n@@", 1)[1])
    return result["codes"], set(result["modules"])


def every_group_help_argv() -> list[list[str]]:
    """``--help`` of the program and of every command group (``geo``, ``funds bond`` …), found from the Typer
    app itself. Typer builds every command's options when the program starts, so a leaf command's help
    loads nothing its group's does not (two leaves are checked all the same)."""
    argvs = [["--help"], ["audit", "--help"], ["geo", "check", "--help"]]

    def walk(command, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            if hasattr(sub, "commands"):  # a group
                argvs.append([*path, name, "--help"])
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return argvs


def test_every_help_screen_loads_no_heavy_library():
    argvs = every_group_help_argv()
    assert ["geo", "--help"] in argvs and ["funds", "bond", "--help"] in argvs  # the whole tree was walked
    codes, modules = probe(*argvs)
    assert codes == [0] * len(argvs)
    assert modules & HEAVY == set(), f"loaded at start-up: {sorted(modules & HEAVY)}"


def test_audit_loads_no_heavy_library():
    codes, modules = probe(["audit", str(BACHU_PLAN)], ["audit", str(BACHU_PLAN), "--json"])
    assert codes == [1, 1]  # the Bachu plan's known error findings: the audit really ran
    assert "landreserve" in modules and modules & HEAVY == set(), sorted(modules & HEAVY)


def test_python_importtime_shows_no_pandas_geopandas_or_shapely_for_audit():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from landreserve.cli import main; main()"]
        + ["audit", str(BACHU_PLAN), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 1 and json.loads(done.stdout)["findings"]
    imported = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert {"landreserve", "opencc", "decimal"} <= imported  # the log is read correctly
    assert imported & HEAVY == set(), sorted(imported & HEAVY)


def test_the_probe_sees_a_library_a_command_loads_lazily(tmp_path):
    """The control: a command that needs Shapely and SQLAlchemy does load them, through the lazy modules."""
    database = f"sqlite:///{tmp_path / 'lazy.sqlite3'}"
    codes, modules = probe(["geo", "show", "BC-NONE"], env={"LANDRESERVE_DATABASE_URL": database})
    assert codes == [1]  # no such parcel
    assert {"shapely", "sqlalchemy"} <= modules


#: run ``landreserve.cli.main`` as the console script does, then print the landreserve modules loaded
MAIN_PROBE = """
import json, sys
sys.argv = ["landreserve"] + json.loads(sys.argv[1])
from landreserve.cli import main
try:
    main()
except SystemExit as done:
    code = done.code
sys.stdout.flush()
print("\\n@@" + json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.startswith("landreserve"))}))
"""


def _probe(probe: str, argument: str) -> tuple[str, str]:
    """(standard output before the probe's ``@@`` line, the JSON after it) of ``probe`` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", probe, argument],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "120"},
        timeout=120,
        check=True,
    )
    output, found = done.stdout.rsplit("\n@@", 1)
    return output, found


def _main_probe(argv: list[str]) -> tuple[int, set[str]]:
    result = json.loads(_probe(MAIN_PROBE, json.dumps(argv))[1])
    return result["code"], set(result["modules"])


def test_audit_imports_only_the_plan_commands():
    """``landreserve audit`` run by Typer (here for its help) registers the plan commands alone: the register,
    funds, maps, database and web command modules are never imported (each costs milliseconds the audit does
    not use). A plain ``audit FILE`` imports no command module at all (``cli.audit.quick``)."""
    others = {f"landreserve.cli.{m}" for m in ("register", "funds", "geometry", "database", "web")}
    code, modules = _main_probe(["audit", "--help"])
    assert code == 0 and "landreserve.cli.plans" in modules
    assert modules & others == set(), sorted(modules & others)
    code, modules = _main_probe(["audit", str(BACHU_PLAN), "--json"])
    assert code == 1 and "landreserve.importers" in modules and "landreserve.cli.audit" in modules
    assert "landreserve.cli.plans" not in modules and "landreserve.cli.program" not in modules
    code, modules = _main_probe(["--help"])
    assert code == 0 and others <= modules  # the program's help lists every command


def test_the_app_used_from_python_has_every_command():
    from landreserve.cli import COMMAND_MODULES

    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert {"audit", "geo", "funds", "db", "serve", "register"} <= names
    assert all(f"landreserve.cli.{m}" in sys.modules for m in COMMAND_MODULES)


#: run Python code given as the first argument, then print every module loaded (full names)
MODULES_PROBE = """
import json, sys
exec(sys.argv[1])
sys.stdout.flush()
print("\\n@@" + json.dumps(sorted(sys.modules)))
"""


def _run_modules(code: str) -> tuple[str, set[str]]:
    """(standard output before the probe's line, every module loaded) of ``code`` in a fresh process."""
    output, found = _probe(MODULES_PROBE, code)
    return output, set(json.loads(found))


def _main(argv: list[str]) -> str:
    return (
        f"import sys\nsys.argv = ['landreserve', *{argv!r}]\nfrom landreserve.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )


def test_help_screens_load_neither_markdown_nor_syntax_highlighting():
    """Typer's help module imports rich's Markdown (markdown-it) and traceback (pygments) renderers, which
    this command line never uses: stand-ins take their place (``cli.help_screen``)."""
    for argv in (["--help"], ["audit", "--help"], ["funds", "--help"]):
        output, modules = _run_modules(_main(argv))
        assert "Usage" in output and "typer.rich_utils" in modules  # the rich help screen was shown
        tops = {m.split(".")[0] for m in modules}
        assert tops & {"markdown_it", "mdurl", "pygments"} == set(), (argv, sorted(tops))


def test_the_help_is_the_same_as_typers_own():
    """With the real modules imported first (so no stand-in is put in place) the help is byte for byte the
    same."""
    for argv in (["--help"], ["report", "--help"], ["import", "--help"]):
        light, _ = _run_modules(_main(argv))
        assert "审核" in light or argv != ["--help"]  # the Chinese help text is there
        full, modules = _run_modules("import rich.markdown, rich.traceback\n" + _main(argv))
        assert "markdown_it" in {m.split(".")[0] for m in modules}  # the control: the real ones were used
        assert light == full and "Usage" in light


def test_a_stand_in_gives_the_real_module_when_used():
    code = (
        "import landreserve.cli\nfrom rich.markdown import Markdown\nimport rich.markdown\n"
        "from rich.traceback import Traceback\n"
        "shown = Markdown('# 标题')\nprint(type(shown).__module__, type(rich.markdown.Heading).__name__)\n"
        "print(type(Traceback.from_exception(ValueError, ValueError('x'), None)).__module__)\n"
    )
    output, modules = _run_modules(code)
    assert output.split() == ["rich.markdown", "type", "rich.traceback"]
    assert "markdown_it" in {m.split(".")[0] for m in modules}


def test_audit_json_loads_no_rich_console():
    """``audit --json`` prints JSON: rich's console and tables are made only where a command prints them."""
    output, modules = _run_modules(_main(["audit", str(BACHU_PLAN), "--json"]))
    assert json.loads(output)["findings"]
    assert "rich.console" not in modules and "rich.text" not in modules, sorted(
        m for m in modules if "rich" in m
    )
    table_output, modules = _run_modules(_main(["audit", str(BACHU_PLAN)]))
    assert "rich.console" in modules and "审核结果" in table_output  # the control: the tables do load it


#: print the help of every argv of a JSON list twice — from the command line as it runs (commands made as they
#: are used, ``cli.deferred``) and from Typer's own tree, every command made up front — then count the work
HELP_PAIRS_PROBE = """
import contextlib, io, json, sys
import typer.main
from landreserve.cli import app
def shown(run, argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            run(argv, prog_name="landreserve", standalone_mode=False)
        except SystemExit:
            pass
    return out.getvalue()
pairs = [[shown(app, argv), shown(typer.main.get_command(app).main, argv)] for argv in json.loads(sys.argv[1])]
print("\\n@@" + json.dumps(pairs))
"""


def every_command_help_argv() -> list[list[str]]:
    """``--help`` of the program, of every group and of every command, from Typer's own tree."""
    argvs = [["--help"]]

    def walk(command, path: list[str]) -> None:
        for name, sub in command.commands.items():
            argvs.append([*path, name, "--help"])
            if hasattr(sub, "commands"):
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return argvs


def test_every_help_screen_is_the_same_with_commands_made_as_they_are_used():
    argvs = every_command_help_argv()
    assert len(argvs) > 60 and ["funds", "bond", "schedule", "--help"] in argvs
    pairs = json.loads(_probe(HELP_PAIRS_PROBE, json.dumps(argvs))[1])
    assert [argv for argv, (deferred, made) in zip(argvs, pairs, strict=True) if deferred != made] == []
    assert all("Usage" in deferred for deferred, _ in pairs)


#: run the command line once, then print how many command functions Typer read into options, the modules
#: loaded and the files opened (``open`` audit events: every module's source or bytecode, every data file)
WORK_PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" else None)
import typer.main
read = []
original = typer.main.get_params_from_function
typer.main.get_params_from_function = lambda f: read.append(f) or original(f)
sys.argv = ["landreserve", *json.loads(sys.argv[1])]
from landreserve.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\n@@" + json.dumps({"read": len(read), "modules": len(sys.modules), "opened": len(opened)}))
"""
#: the start-up work of ``landreserve --help`` measured 2026-12-07 (Python 3.11, typer 0.25, rich 15): 2
#: functions read into options (the program's and its root group's; before ``cli.deferred``: 126 — every
#: command's), 297 modules, 181–187 files opened; the bounds leave a little room for new commands
HELP_WORK = {"read": 2, "modules": 310, "opened": 195}


def test_the_program_help_reads_no_command_into_options_and_loads_a_bounded_number_of_modules():
    work = json.loads(_probe(WORK_PROBE, json.dumps(["--help"]))[1])
    assert work["read"] <= HELP_WORK["read"], work
    assert work["modules"] <= HELP_WORK["modules"] and work["opened"] <= HELP_WORK["opened"], work
    audit = json.loads(_probe(WORK_PROBE, json.dumps(["audit", str(BACHU_PLAN), "--json"]))[1])
    assert audit["read"] <= 4, audit  # the audit command and its groups (before: 10)


def test_a_command_made_as_it_is_used_still_refuses_a_repeated_option():
    """The root group looks into the command being run (its options), which makes it: the refusal holds."""
    argv = [
        "funds",
        "allocate",
        "--project",
        "P",
        "--source",
        "A",
        "--amount",
        "1",
        "--amount",
        "2",
        "--doc",
        "x",
    ]
    done = subprocess.run(
        [sys.executable, "-c", MAIN_PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert '"code": 2' in done.stdout and "选项 --amount 只能写一次" in done.stderr


#: run ``landreserve.cli.main`` as the console script does, then print the modules loaded and the number of
#: files opened (``open`` audit events)
AUDIT_WORK_PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" else None)
sys.argv = ["landreserve", *json.loads(sys.argv[1])]
from landreserve.cli import main
try:
    main()
except SystemExit as done:
    code = done.code
sys.stdout.flush()
print("\\n@@" + json.dumps({"code": code, "modules": sorted(sys.modules), "opened": len(opened)}))
"""
#: the start-up work of ``landreserve audit`` on the Bachu plan measured 2026-12-07 (Python 3.11, typer 0.25,
#: rich 15), modules / files opened: tables 227 / 154 (302 / 205 when Typer ran it and the Word and web-page
#: readers were imported for a text file), ``--json`` 171 / 102 (251 / 156); the bounds leave a little room
AUDIT_WORK = {"tables": (240, 165), "json": (185, 115)}


def test_audit_loads_neither_typer_nor_click_and_a_bounded_number_of_modules():
    """A plain ``landreserve audit FILE`` runs without Typer and click (``cli.audit.quick``) and without the
    readers of Word files and web pages; counted, not timed."""
    for shape, argv in (
        ("tables", ["audit", str(BACHU_PLAN)]),
        ("json", ["audit", str(BACHU_PLAN), "--json"]),
    ):
        output, found = _probe(AUDIT_WORK_PROBE, json.dumps(argv))
        work = json.loads(found)
        assert work["code"] == 1 and (
            "审核结果" in output if shape == "tables" else json.loads(output)["findings"]
        )
        loaded = set(work["modules"])
        assert {"typer", "click", "shellingham", "zipfile", "xml.etree", "html.parser"} & loaded == set()
        modules, opened = AUDIT_WORK[shape]
        assert len(loaded) <= modules and work["opened"] <= opened, (shape, len(loaded), work["opened"])
