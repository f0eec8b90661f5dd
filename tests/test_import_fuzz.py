"""Fuzzing the importer and the auditor with damaged versions of the corpus documents.

Real files arrive cut, with lines lost or doubled, with OCR and conversion damage. Each example takes
a corpus document (or the Bachu plan) and applies random edits — delete or duplicate a line, cut at a
random byte, swap full-width and ASCII characters, corrupt digits, insert spaces, put the whole plan
on one line or each table cell on its own line — then reads and audits it. Nothing may raise, no rule may fail, and reading the same text twice gives the same result.
Set ``LANDRESERVE_FUZZ_EXAMPLES`` for a longer run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landreserve.domain.audit import audit_plan
from landreserve.errors import InputError
from landreserve.importers import parse_plan_text, read_plan_bytes
from landreserve.importers.sources import looks_like_html
from landreserve.importers.web_page import web_page_lines

ROOT = Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
EXAMPLES = int(os.environ.get("LANDRESERVE_FUZZ_EXAMPLES", "150"))


def _documents() -> list[str]:
    expectations = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))
    texts = []
    for e in expectations.values():
        text = (CORPUS / e["file"]).read_bytes().decode(e["encoding"])
        texts.append("\n".join(web_page_lines(text)) if looks_like_html(text) else text)
    texts.append((ROOT.parent / "data" / "plans" / "bachu-2026.txt").read_text(encoding="utf-8"))
    return texts


DOCUMENTS = _documents()
_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_ASCII = {v: k for k, v in _FULL_WIDTH.items()}
_NOISE = list("0123456789.．,，、；;：:（）()-－ 　Ol亩公顷%宗万元亿\t") + [
    "..",
    "公顷",
    "合计",
    "其中",
    "一、",
    "（二）",
]


def _delete_line(lines: list[str], i: int, _x: str) -> list[str]:
    return lines[:i] + lines[i + 1 :]


def _duplicate_line(lines: list[str], i: int, _x: str) -> list[str]:
    return lines[: i + 1] + lines[i:]


def _swap_width(lines: list[str], i: int, _x: str) -> list[str]:
    line = lines[i]
    return lines[:i] + ["".join(_FULL_WIDTH.get(ch) or _ASCII.get(ch) or ch for ch in line)] + lines[i + 1 :]


def _at_char(lines: list[str], i: int, x: str, edit) -> list[str]:
    line = lines[i]
    k = (len(x) * 7919 + ord(x[0])) % (len(line) + 1)
    return lines[:i] + [edit(line, k, x)] + lines[i + 1 :]


def _substitute(lines, i, x):
    return _at_char(lines, i, x, lambda s, k, x: s[:k] + x + s[k + 1 :])


def _insert(lines, i, x):
    return _at_char(lines, i, x, lambda s, k, x: s[:k] + x + s[k:])


def _corrupt_digit(lines, i, x):
    line = lines[i]
    digits = [k for k, ch in enumerate(line) if ch.isdigit()]
    if not digits:
        return lines
    k = digits[(ord(x[0]) * 31) % len(digits)]
    return lines[:i] + [line[:k] + x + line[k + 1 :]] + lines[i + 1 :]


def _one_line(lines, _i, _x):  # the whole plan pasted on one line
    return [" ".join(lines)]


def _cells_per_line(lines, _i, _x):  # a table copied from a web page, one cell per line
    return [cell for line in lines for cell in line.split("\t")]


_EDITS = (
    _delete_line,
    _duplicate_line,
    _swap_width,
    _substitute,
    _insert,
    _corrupt_digit,
    _one_line,
    _cells_per_line,
)


@st.composite
def damaged(draw) -> str:
    text = draw(st.sampled_from(DOCUMENTS))
    lines = text.splitlines() or [""]
    for _ in range(draw(st.integers(0, 6))):
        edit = draw(st.sampled_from(_EDITS))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        x = draw(st.sampled_from(_NOISE) | st.text(min_size=1, max_size=3))
        lines = edit(lines, i, x) if lines else lines
    text = "\n".join(lines)
    if draw(st.booleans()):  # cut at a random byte, as a download that stopped
        data = text.encode("utf-8")
        text = data[: draw(st.integers(0, len(data)))].decode("utf-8", errors="ignore")
    return text


def _result(text: str) -> str:
    doc = parse_plan_text(text, "fuzz.txt")
    findings = audit_plan(doc)
    broken = [f.message for f in findings if f.code in ("text.unreadable_line", "audit.rule_failed")]
    assert broken == [], broken
    return json.dumps(
        {
            "figures": [f.to_dict() for f in doc.figures],
            "parcels": [p.to_dict() for p in doc.parcels],
            "findings": [(f.code, f.severity.value, f.lines, f.message) for f in findings],
            "meta": [doc.title, doc.jurisdiction, doc.year, doc.kind.value],
        },
        ensure_ascii=False,
        default=str,
    )


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_documents_never_crash_and_read_the_same_twice(text):
    assert _result(text) == _result(text)


def _files() -> list[tuple[str, bytes]]:
    expectations = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))
    return [(e["file"], (CORPUS / e["file"]).read_bytes()) for e in expectations.values()]


FILES = _files()


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(FILES), st.data())
def test_cut_or_flipped_files_are_read_or_refused_with_a_message(file, data):
    """As uploaded bytes (GBK, UTF-8, HTML), cut at any byte or with a byte changed: a document or an
    ``InputError`` naming the file, nothing else."""
    name, raw = file
    raw = raw[: data.draw(st.integers(0, len(raw)))]
    if raw and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:i] + bytes([data.draw(st.integers(0, 255))]) + raw[i + 1 :]
    try:
        doc = read_plan_bytes(raw, name)
    except InputError as exc:
        assert name in str(exc)
        return
    assert not [f for f in audit_plan(doc) if f.code in ("text.unreadable_line", "audit.rule_failed")]
