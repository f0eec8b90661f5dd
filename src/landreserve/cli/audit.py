"""``landreserve audit``, the work of the command — and the command run straight from the command line, without
Typer or click, when it has nothing but the plan file and its two flags.

The command users run most must start at once; Typer and click are about 110 modules and a fifth of its
start-up (``python -m benchmarks cli_startup``). :func:`quick` takes exactly ``audit FILE`` with ``--json``
and ``--explain`` each at most once, in any order. Anything else — ``--help``, an unknown or repeated option,
a second file, ``--``, a file name starting with ``-``, a shell asking for completions — goes to the Typer
app, which shows its help or its usage error. Output and exit codes are the same byte for byte either way
(``tests/test_cli_audit_quick.py``), and so is what click does around a command: ``Aborted!`` on Ctrl-C,
exit 1 without a traceback when the reader of the output has gone (``… | head``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .lazy import lazy
from .output import EXIT_RULE, console, print_json, shown
from .plan_tables import print_content, print_document

auditing = lazy("landreserve.services.plan_audit")
plan_json = lazy("landreserve.services.plan_json")

#: the flags of ``audit`` (``cli.plans.audit_command``) → the keyword they set
FLAGS = {"--json": "as_json", "--explain": "explain"}


def audit(file: Path, as_json: bool = False, explain: bool = False) -> int:
    """Audit the plan ``file`` and print what was found; returns the exit code (0 no error findings, 1 error
    findings, 2 the file cannot be read as a plan)."""
    try:
        from ..settings import Settings  # the limits of this installation (LANDRESERVE_MAX_PARCEL_AREA_HA)

        report = auditing.audit_file(file, Settings.from_env().max_parcel_area_ha)
    except Exception as exc:  # noqa: BLE001 - shown as its Chinese message, as every command does
        return shown(exc, as_json)
    data = plan_json.report_json(report)
    if as_json:
        if explain:
            data["explain"] = auditing.explain_lines(report)
        print_json(data)
    else:
        print_document(data["document"], source=str(file), lines=report.document.line_count)
        print_content(data["figures"], data["parcels"], data["findings"])
        if explain:
            console.print("[bold]分项结构（为何这样读）[/]")
            for line in auditing.explain_lines(report):
                console.print(line, highlight=False, markup=False)
    return EXIT_RULE if report.has_errors else 0


def quick_arguments(argv: list[str]) -> dict | None:
    """The arguments of :func:`audit` when ``argv`` (without the program name) is a plain ``audit FILE
    [--json] [--explain]``; ``None`` for anything the Typer app must see."""
    if (
        not argv
        or argv[0] != "audit"
        or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
    ):
        return None
    files = [a for a in argv[1:] if a not in FLAGS]
    flags = [a for a in argv[1:] if a in FLAGS]
    if len(files) != 1 or files[0][:1] in ("", "-") or len(set(flags)) != len(flags):
        return None
    if os.path.exists(files[0]) and not os.access(files[0], os.R_OK):
        return None  # click's ``Path`` refuses an unreadable file with its usage error
    return {"file": Path(files[0]), **{FLAGS[f]: True for f in flags}}


def quick(argv: list[str]) -> int | None:
    """Run ``audit`` when ``argv`` is a plain one (:func:`quick_arguments`) and return its exit code, as
    click's ``main`` would end it; ``None`` when the Typer app must run instead."""
    arguments = quick_arguments(argv)
    if arguments is None:
        return None
    try:
        return audit(**arguments)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        print("Aborted!", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _quiet_closed_output()
        return 1


def _quiet_closed_output() -> None:
    """The reader of the output has gone: what is left in the buffers is dropped, as click does."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind ``sys.stdout``
        pass
