"""Other counties' published plans, read and audited as a new user would (tests/corpus/).

Each document in ``tests/corpus/`` is a plan, supply plan, notice, news item or report as counties publish
them (invented counties, figures derived from unrounded parcel areas in ㎡ — see ``notes`` in
``expectations.json``). Per document the expectations state: the document metadata, the key figures that
must be extracted (line, a substring of the label, value as written in ASCII digits, and its unit — or, for
a unit the importer may spell its own way such as 万亩, its value in base units), values that
must *not* be read on a line, the parcels (count, codes, areas in ㎡), the exact set of error codes of
``audit_plan`` (empty for consistent documents), the warnings that must appear and those that may, and
the reading problems. Some documents are read from a ``.docx`` generated here from text: tab-separated
lines become Word table rows; in a source cell ``<<`` merges the cell with its left neighbour and ``^^``
with the cell above; ``.html`` documents are saved web pages (their lines are the page's visible lines).
Counts written in Chinese numerals (``二十一宗``) are expected as ASCII digits.

Beyond the expectations, every consistent document must stay free of errors when written another way
(full-width or ASCII characters, CRLF, double-spaced, on one line, one table cell per line), and tables
copied one cell per line must read the same parcels and figures.

A case marked ``xfail(strict=True)`` is a known defect of the importer or auditor, described in its
reason; fixing it makes the case pass, which fails the run until the marker is removed.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import read_plan
from landreserve.importers.numbers import chinese_numeral
from landreserve.importers.web_page import web_page_lines

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTATIONS: dict[str, dict] = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))

# -- known defects: one precise reason per defect, shared by the aspects it breaks ------------------
# (none at the moment: round 1's 25 were fixed in eaba054..15e3ded, round 2's (documents 30–84) in
# 6ee69c1..; round 3's (documents 95–115: real county formats) in be70ae0..b3e6095; add new ones here)

#: (aspect, document) → the defect that makes the case fail today
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


def _cases(aspect: str) -> list:
    cases = []
    for key in sorted(EXPECTATIONS):
        reason = KNOWN_DEFECTS.get((aspect, key))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(key, marks=marks, id=key))
    return cases


# -- reading ----------------------------------------------------------------------------------
def _docx_of(text: str, path: Path) -> Path:
    """A .docx whose paragraphs are the text's lines and whose tab-separated runs of lines are tables."""
    from docx import Document

    document = Document()
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            document.add_paragraph(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        _table(document, [line.split("\t") for line in lines[i:j]])
        i = j
    document.save(path)
    return path


def _table(document, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            if text not in ("<<", "^^"):
                table.cell(r, c).text = text
    for r, cells in enumerate(rows):  # horizontal merges first, then vertical ones
        c = 0
        while c < len(cells):
            end = c
            while end + 1 < len(cells) and cells[end + 1] == "<<":
                end += 1
            if end > c:
                table.cell(r, c).merge(table.cell(r, end))
            c = end + 1
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            if text == "^^":
                table.cell(r - 1, c).merge(table.cell(r, c))


def _source_path(key: str, tmp_path: Path) -> Path:
    expected = EXPECTATIONS[key]
    path = CORPUS / expected["file"]
    if expected["source"] == "docx":
        text = path.read_bytes().decode(expected["encoding"])
        return _docx_of(text, tmp_path / f"{key}.docx")
    return path


@pytest.fixture
def read(tmp_path):
    def _read(key: str):
        doc = read_plan(_source_path(key, tmp_path))
        return doc, audit_plan(doc)

    return _read


# -- the corpus itself -----------------------------------------------------------------------
def test_corpus_is_complete_and_encoded_as_declared():
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".html")}
    assert files == {e["file"] for e in EXPECTATIONS.values()}
    assert len(EXPECTATIONS) >= 16
    assert sum(e["source"] == "docx" for e in EXPECTATIONS.values()) >= 2
    for e in EXPECTATIONS.values():
        data = (CORPUS / e["file"]).read_bytes()
        text = data.decode(e["encoding"])
        if e["encoding"] == "gbk":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        lines = web_page_lines(text) if e["file"].endswith(".html") else text.splitlines()
        for f in e["figures"]:  # each expected value is written on its line (full-width, with or without ,)
            line = lines[f["line"] - 1].translate(_FULL_WIDTH)
            assert f["value"] in line or f["value"] in line.replace(",", "") or _in_words(f["value"], line), (
                e["file"],
                f,
            )


def _in_words(value: str, line: str) -> bool:
    """A count written in Chinese numerals on the line (``二十一宗`` for ``21``)."""
    words = re.findall(r"[零〇一二两三四五六七八九十百千]+", line)
    return value.isdigit() and any(chinese_numeral(w) == int(value) for w in words)


_FULL_WIDTH = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}


# -- per document ------------------------------------------------------------------------------
@pytest.mark.parametrize("key", _cases("reads"))
def test_reads_without_crash(read, key):
    doc, findings = read(key)
    assert doc.line_count > 0
    broken = [f.message for f in findings if f.code in ("text.unreadable_line", "audit.rule_failed")]
    assert broken == []


@pytest.mark.parametrize("key", _cases("document"))
def test_document_metadata(read, key):
    doc, _ = read(key)
    expected = EXPECTATIONS[key]["document"]
    assert (doc.jurisdiction, doc.year) == (expected["jurisdiction"], expected["year"])
    assert doc.kind.value in expected["kind"]


def _figures(doc) -> list[tuple]:
    return [(f.line, f.label, f.value, f.unit, f.qualifier) for f in doc.figures]


@pytest.mark.parametrize("key", _cases("figures"))
def test_key_figures_are_extracted(read, key):
    doc, _ = read(key)
    missing = []
    for e in EXPECTATIONS[key]["figures"]:
        found = [
            f
            for f in doc.figures
            if f.line == e["line"]
            and e["label"] in f.label
            and f.value == e["value"]
            and (f.unit == e["unit"] if "unit" in e else f.base_value == Decimal(e["base_value"]))
            and f.qualifier == e.get("qualifier")
        ]
        if not found:
            missing.append(e)
    assert missing == [], f"extracted: {_figures(doc)}"


@pytest.mark.parametrize("key", _cases("absent"))
def test_corrupted_numbers_are_not_read(read, key):
    doc, _ = read(key)
    read_wrongly = [
        (f.line, f.label, f.value, f.unit)
        for a in EXPECTATIONS[key]["absent"]
        for f in doc.figures
        if f.line == a["line"] and f.value == a["value"]
    ]
    assert read_wrongly == []


@pytest.mark.parametrize("key", _cases("parcels"))
def test_parcels(read, key):
    doc, _ = read(key)
    expected = EXPECTATIONS[key]["parcels"]
    got = [(p.line, p.code, p.area_m2) for p in doc.parcels]
    assert len(doc.parcels) == expected["count"], got
    if expected.get("codes") is not None:
        assert [p.code for p in doc.parcels] == expected["codes"], got
    if expected.get("areas_m2") is not None:
        want = [None if a is None else Decimal(a) for a in expected["areas_m2"]]
        assert [p.area_m2 for p in doc.parcels] == want, got


def _by_severity(findings, severity: Severity) -> list:
    return [f for f in findings if f.severity is severity]


@pytest.mark.parametrize("key", _cases("errors"))
def test_exactly_the_expected_errors(read, key):
    _, findings = read(key)
    expected = EXPECTATIONS[key]
    errors = _by_severity(findings, Severity.ERROR)
    detail = [(f.code, f.lines, f.message) for f in errors]
    assert {f.code for f in errors} == set(expected["errors"]), detail
    for code, lines in expected["error_lines"].items():
        for wanted in lines if isinstance(lines[0], list) else [lines]:  # one finding per list of lines
            assert any(set(wanted) <= set(f.lines) for f in errors if f.code == code), (code, wanted, detail)


@pytest.mark.parametrize("key", _cases("warnings"))
def test_warnings_expected_and_allowed(read, key):
    _, findings = read(key)
    expected = EXPECTATIONS[key]
    codes = {f.code for f in _by_severity(findings, Severity.WARNING)}
    detail = [(f.code, f.lines, f.message) for f in _by_severity(findings, Severity.WARNING)]
    assert set(expected["warnings_expected"]) <= codes, detail
    assert codes <= set(expected["warnings_expected"]) | set(expected["warnings_allowed"]), detail


@pytest.mark.parametrize("key", _cases("problems"))
def test_reading_problems(read, key):
    doc, _ = read(key)
    got = [(p.code, p.lines, p.values.get("raw")) for p in doc.problems if p.code.startswith("number.")]
    missing = [
        e
        for e in EXPECTATIONS[key]["problems"]
        if not any(c == e["code"] and e["line"] in lines and raw == e["raw"] for c, lines, raw in got)
    ]
    assert missing == [], got


# -- consistent documents stay consistent when written another way ------------------------------
def _text_of(key: str) -> str:
    """The document as text: a web page's visible lines; a .docx source with its merged cells empty."""
    expected = EXPECTATIONS[key]
    text = (CORPUS / expected["file"]).read_bytes().decode(expected["encoding"])
    if expected["source"] == "docx":
        text = text.replace("<<", "").replace("^^", "")
    return "\n".join(web_page_lines(text)) if expected["file"].endswith(".html") else text


_TO_FULL_WIDTH = {ord(ascii_char): code for code, ascii_char in _FULL_WIDTH.items()}


def _with_page_furniture(lines: list[str]) -> list[str]:
    """Page footers and placeholders of a converted file, every third line (inside tables too)."""
    furniture = ["第 {n} 页 共 9 页", "— {n} —", "[image: image{n}.png]", "【打印本页】【关闭窗口】"]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i % 3 == 2:
            out.append(furniture[i % 4].format(n=i // 3 + 1))
    return out


def _with_repeated_headers(lines: list[str]) -> list[str]:
    """Each table's header row repeated after its second row, as a page break of a converted file does."""
    out, header, rows = [], None, 0
    for line in lines:
        if "\t" not in line:
            header = None
        elif header is None:
            header, rows = line, 0
        else:
            rows += 1
            if rows == 3:
                out.append(header)
        out.append(line)
    return out


def _variants(text: str) -> dict[str, str]:
    """The same document in full-width or ASCII characters, CRLF, double-spaced, with page furniture or
    table headers repeated after a page break, and — as pasted from a web page — on one line (no table
    in it) or with each table cell on its own line."""
    lines = text.splitlines()
    variants = {
        "full_width": text.translate(_TO_FULL_WIDTH),
        "ascii": text.translate(_FULL_WIDTH),
        "crlf": text.replace("\n", "\r\n"),
        "blank_lines": "\n\n".join(lines),
        "page_furniture": "\n".join(_with_page_furniture(lines)),
    }
    if "\t" in text:
        variants["cell_per_line"] = "\n".join(cell for line in lines for cell in line.split("\t"))
        variants["header_repeated"] = "\n".join(_with_repeated_headers(lines))
    elif "  " not in text and "\u3000" not in text:
        variants["one_line"] = " ".join(line for line in lines if line.strip())
    return variants


@pytest.mark.parametrize("key", [k for k in sorted(EXPECTATIONS) if not EXPECTATIONS[k]["errors"]])
def test_consistent_documents_get_no_error_in_any_writing(key):
    from landreserve.importers import parse_plan_text

    text = _text_of(key)
    found = {}
    for name, variant in _variants(text).items():
        findings = audit_plan(parse_plan_text(variant, f"{key}-{name}.txt"))
        errors = [(f.code, f.lines) for f in findings if f.severity is Severity.ERROR]
        if errors:
            found[name] = errors
    assert found == {}


@pytest.mark.parametrize("key", [k for k in sorted(EXPECTATIONS) if "\t" in _text_of(k)])
def test_tables_copied_one_cell_per_line_read_the_same(key):
    """Each table cell on its own line (and blank lines between them) gives the same parcels and figures."""
    from landreserve.importers import parse_plan_text

    text = _text_of(key)
    lines = text.splitlines()
    copied = "\n\n".join(cell for line in lines for cell in line.split("\t"))

    def read(t: str):
        doc = parse_plan_text(t, key)
        return [(p.code, p.area_m2) for p in doc.parcels], sorted((f.value, f.unit) for f in doc.figures)

    assert read(copied) == read(text)


@pytest.mark.parametrize("key", [k for k in sorted(EXPECTATIONS) if EXPECTATIONS[k]["errors"]])
def test_inconsistent_documents_keep_their_errors_in_any_writing(key):
    """The injected inconsistencies are found however the document is written (a table copied one cell
    per line and then put on one line cannot be read back, so that writing is left out)."""
    from landreserve.importers import parse_plan_text

    expected = set(EXPECTATIONS[key]["errors"])
    found = {}
    for name, variant in _variants(_text_of(key)).items():
        if name == "one_line":
            continue
        codes = {f.code for f in audit_plan(parse_plan_text(variant, key)) if f.severity is Severity.ERROR}
        if codes != expected:
            found[name] = sorted(codes)
    assert found == {}


@pytest.mark.parametrize(
    "key",
    [k for k in sorted(EXPECTATIONS) if EXPECTATIONS[k]["source"] == "text" and "\t" in _text_of(k)],
)
def test_documents_with_tables_read_the_same_as_docx(key, tmp_path):
    """Written as Word documents (tab-separated lines as Word tables), the same errors and parcels."""
    from landreserve.importers import parse_plan_text

    text = _text_of(key)
    as_docx = read_plan(_docx_of(text, tmp_path / f"{key}.docx"))
    as_text = parse_plan_text(text, key)
    assert [(p.code, p.area_m2) for p in as_docx.parcels] == [(p.code, p.area_m2) for p in as_text.parcels]
    errors = {f.code for f in audit_plan(as_docx) if f.severity is Severity.ERROR}
    assert errors == set(EXPECTATIONS[key]["errors"])
