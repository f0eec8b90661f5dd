"""A plain ``landreserve audit FILE [--json] [--explain]`` runs without Typer (``cli.audit.quick``) and prints the
same bytes, with the same exit code, as the Typer app running the ``audit`` command; anything else goes to Typer.

Each pair runs the console script's ``main`` and the Typer app (``cli.program.run``, what ``main`` did before)
in fresh processes on the same argv and compares standard output, standard error and the exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.evaluate import DEFAULT_FOLDER

from landreserve.cli.audit import quick_arguments

REPO = Path(__file__).resolve().parent.parent
BACHU_PLAN = REPO / "data" / "plans" / "bachu-2026.txt"
#: ``main`` (quick when it can be) and the Typer app, each on ``sys.argv``
QUICK = "import sys; sys.argv[0] = 'landreserve'; from landreserve.cli import main; main()"
TYPER = "import sys; sys.argv[0] = 'landreserve'; from landreserve.cli.program import run; run()"
SHAPES = ([], ["--json"], ["--explain"], ["--json", "--explain"])


def _run(code: str, argv: list[str], **options) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "120"},
        timeout=120,
        **options,
    )
    return done.returncode, done.stdout, done.stderr


def _same(argv: list[str]) -> tuple[int, bytes, bytes]:
    quick, typer = _run(QUICK, argv), _run(TYPER, argv)
    assert quick == typer, argv
    return quick


def _word_plan(tmp_path: Path) -> Path:
    import docx  # python-docx, a dependency of the package

    document = docx.Document()
    for line in BACHU_PLAN.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "bachu.docx"
    document.save(path)
    return path


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: " ".join(s) or "tables")
def test_the_bachu_plan_is_audited_the_same_without_typer(shape):
    code, out, err = _same(["audit", str(BACHU_PLAN), *shape])
    assert code == 1 and err == b"" and ("审核结果".encode() in out or b'"findings"' in out)


def test_options_before_the_file_and_other_files_are_audited_the_same(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    web_page = REPO / "tests" / "corpus" / "41_saved_web_page.html"
    files = [_word_plan(tmp_path), web_page, broken, empty, tmp_path / "missing.txt", tmp_path]
    assert _same(["audit", "--json", "--explain", str(BACHU_PLAN)])[0] == 1
    codes = [_same(["audit", str(f), *shape])[0] for f in files for shape in ([], ["--json"])]
    assert codes[:4] == [1, 1, 0, 0] and set(codes[4:]) == {2}  # Word and web page read; the rest refused


@pytest.mark.skipif(not DEFAULT_FOLDER.is_dir(), reason=f"{DEFAULT_FOLDER} not present")
def test_real_published_documents_are_audited_the_same():
    documents = sorted(DEFAULT_FOLDER.glob("*.txt"))[:6]
    assert documents
    for document in documents:
        for shape in ([], ["--json"]):
            _same(["audit", str(document), *shape])


@pytest.mark.parametrize(
    "argv",
    [
        ["audit"],
        ["audit", "--help"],
        ["audit", str(BACHU_PLAN), "--bad"],
        ["audit", str(BACHU_PLAN), "--json", "--json"],
        ["audit", str(BACHU_PLAN), str(BACHU_PLAN)],
        ["audit", "--", str(BACHU_PLAN)],
        ["audit", "-"],
        ["audit", ""],
        ["audit", str(BACHU_PLAN), "--js"],
        ["--help"],
        ["import", str(BACHU_PLAN)],
    ],
)
def test_anything_but_a_plain_audit_goes_to_typer(argv):
    assert quick_arguments(argv) is None
    if argv[0] == "audit":  # what Typer shows (help, usage error) is shown by the console script too
        assert _same(argv)[0] in (0, 1, 2)  # help, the audit of ``-- FILE``, a usage error


def test_a_shell_asking_for_completions_goes_to_typer(monkeypatch):
    monkeypatch.setenv("_LANDRESERVE_COMPLETE", "bash_complete")
    assert quick_arguments(["audit", str(BACHU_PLAN)]) is None
    monkeypatch.delenv("_LANDRESERVE_COMPLETE")
    assert quick_arguments(["audit", str(BACHU_PLAN), "--json"]) == {"file": BACHU_PLAN, "as_json": True}


def test_output_to_a_reader_that_has_gone_ends_quietly_as_click_does():
    """``landreserve audit … | head`` where the reader closed first: exit 1, no traceback, either way."""
    results = []
    for code in (QUICK, TYPER):
        read, write = os.pipe()
        os.close(read)  # the reader has gone before the first byte is written
        try:
            results.append(_run_to_pipe(code, ["audit", str(BACHU_PLAN)], write))
        finally:
            os.close(write)
    assert results[0] == results[1] == (1, b"")


def _run_to_pipe(code: str, argv: list[str], stdout: int) -> tuple[int, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "120"},
        timeout=120,
    )
    return done.returncode, done.stderr
