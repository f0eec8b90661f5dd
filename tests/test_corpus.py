"""Other counties' published plans, read and audited as a new user would (tests/corpus/).

Each document in ``tests/corpus/`` is a plan, supply plan, notice, news item or report as counties publish
them (invented counties, figures derived from unrounded parcel areas in ㎡ — see ``notes`` in
``expectations.json``). Per document the expectations state: the document metadata, the key figures that
must be extracted (line, a substring of the label, value as written in ASCII digits, and its unit — or, for
a unit the importer may spell its own way such as 万亩, its value in base units), values that
must *not* be read on a line, the parcels (count, codes, areas in ㎡), the exact set of error codes of
``audit_plan`` (empty for consistent documents), the warnings that must appear and those that may, and
the reading problems. Three documents are read from a ``.docx`` generated here from text: tab-separated
lines become Word table rows; in a source cell ``<<`` merges the cell with its left neighbour and ``^^``
with the cell above.

A case marked ``xfail(strict=True)`` is a known defect of the importer or auditor, described in its
reason; fixing it makes the case pass, which fails the run until the marker is removed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import read_plan

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTATIONS: dict[str, dict] = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))

# -- known defects: one precise reason per defect, shared by the aspects it breaks ------------------
_NEWS_NAME = (
    "jurisdiction of headline '澧源县召开县政府第46次常务会议' read as '澧源县召开县': metadata._NEWS_JURISDICTION "
    "extends the lazy name across '召开' to the 县 of '县政府'"
)
_NEW_AS_WHOLE = (
    "line 6: use split (612.4+208.9+535.5 亩) is given the same-line 新增土地 335.3 亩 as its total instead of the "
    "scale 1356.8 亩 (structure._total_for same-line filter excludes STOCK but not NEW) -> false breakdown.sum_mismatch"
)
_REPORT_KIND = (
    "title '关于南湖区2025年度土地储备计划执行情况的报告' classified annual_reserve: metadata.find_kind treats any "
    "储备+计划 title as a plan; an 执行情况/报告 is OTHER"
)
_ACTUAL_AS_PLAN = (
    "line 7 '实际完成土地收储15宗，面积98.35公顷' read as a second 年度储备规模 (labels.area_role: 收储 in "
    "_RESERVE_WORDS, 实际完成 ignored) -> false total.conflict with the planned 156.80 of line 5"
)
_USE_TABLE = (
    "lines 9-13: in the table '序号 用地类型 面积（公顷） 比例（%）' the rows are named by the 序号 cell: figures "
    "'1' 15.68 公顷 and '1占比' 13.85 % instead of 商服用地 (figure_tables.FigureRows._figure_row takes spans[0] as "
    "the row name even when the first column is 序号)"
)
_SUB_SPLIT = (
    "line 14 '      合计      113.21      100.00' (blank 序号 cell) is read by cell position: the share 100.00 falls "
    "in the 面积（公顷） column and becomes '供应结构合计' 100.00 公顷 (figure_tables._row_amounts maps cells by index, "
    "not by the header's column offsets) -> false breakdown.sum_mismatch and total.conflict; also line 15 "
    "'住宅用地中保障性住房用地8.65公顷，商品住房用地33.69公顷' (parts of 住宅用地 42.35) is split of the table total -> false breakdown.partial"
)
_ASCII_STOP = (
    "line 7 '(二)供应结构.商服用地12.35公顷,…': ASCII '.' ends no heading/sentence/label (labels._SEPARATORS, "
    "plan_text._SENTENCE_END, headings.heading_title) so 商服用地 12.35 is labelled 供应规模, becomes a second SUPPLY "
    "total -> false breakdown.sum_mismatch (70.99 > 12.35) and total.conflict"
)
_SPACE_IN_NUMBER = (
    "line 5 '工业用地1 2.10公顷' is read as 2.10 公顷 (label '工业用地1') without a problem: numbers._read_unit stops "
    "the digit run at the space; a digit run just before it ('1 2.10') must make the number malformed"
)
_UNREADABLE_AREA_ROW = (
    "rows 7, 9, 10 (HM2026-01/-03/-04, areas '6..25', 'l6.00', none) are not parcels: plan_text._parcel_line "
    "drops a coded row without a readable area; expected kept with area None (4 parcels)"
)
_TABLE_CUT = (
    "last line '7\tHA2026-07\t槐安县西环路西' (row cut before its area) gets no text.truncated: _table_row accepts it "
    "as a structural table line (looks_like_code) and finish() skips structural last lines; the row is dropped silently"
)
_SPACE_TABLE_MERGED = (
    "space-aligned rows missing the merged 片区 cell ('2  CB-2026-02  北环路南侧、青年路西侧  3.12  住宅用地', 5 cells for "
    "6 columns) are dropped silently (_fit_cells only joins surplus cells), the table then closes and loses "
    "CB-2026-04 too; the 合计 line 11 becomes prose -> false text.truncated; only 1 of 5 parcels"
)
_DOCX_GRIDSPAN = (
    "docx rows whose 名称/位置 cells are merged (w:gridSpan=2) are read with 5 cells ('2\tTY2026-02\t杏林街南侧、"
    "桃花路西侧\t3.2109\t') and dropped silently: sources._block_lines ignores gridSpan (should pad span-1 empty "
    "cells); 3 of 5 parcels -> false parcels.partial"
)
_CODE_WITH_SPACE = (
    "line 9 '地块编号：yx 2026-02' is not a code: parcels.find_codes keyed regex stops at the space ('yx' has no "
    "digit) though normalise_code removes spaces; the row is no parcel, so the repeat of YX2026-02 (line 6) gives "
    "no parcels.duplicate_code and a false parcels.partial"
)
_YEAR_HEADINGS = (
    "lines 7-9 '（一）2026年计划储备土地45.57公顷（683.52亩），其中住宅用地18.35公顷、…': the year item and the use "
    "items of its line alternate, so each year opens a new one-item YEAR split of the 3-year 134.04 -> 3 false "
    "breakdown.sum_mismatch errors; the use parts go to the 3-year total -> 3 false breakdown.partial (they are "
    "parts of that year's 45.57)"
)
_TOTAL_ROW_SECOND_UNIT = (
    "line 10 '合计\\t\\t\\t20.0000\\t306.30' of a table with 面积（公顷） and 面积（亩） columns: only 20.0000 公顷 is read, the 亩 "
    "cell 306.30 is dropped (plan_text._table_row 合计 branch reads one area cell), so 306.30 亩 vs 20.0000 公顷 "
    "(= 300.00 亩) gives no units.mismatch"
)
_SHARE_OF_TOTAL = (
    "a % after a total in the same sentence is labelled '<total>占比' whatever the words before it "
    "(plan_text._Reader._share): 26 line 3 '约85公顷，其中住宅用地占52%' -> 年度储备规模占比; 29 line 4 "
    "'资金需求38.6亿元，较上年增长12.5%' -> 资金总量占比 (a growth rate, not a share)"
)

#: (aspect, document) → the defect that makes the case fail today
KNOWN_DEFECTS: dict[tuple[str, str], str] = {
    ("document", "01_news_meeting_liyuan"): _NEWS_NAME,
    ("warnings", "01_news_meeting_liyuan"): _NEW_AS_WHOLE,
    ("errors", "05_rolling_plan_per_year_headings"): _YEAR_HEADINGS,
    ("warnings", "05_rolling_plan_per_year_headings"): _YEAR_HEADINGS,
    ("figures", "06_supply_plan_use_table"): _USE_TABLE,
    ("errors", "06_supply_plan_use_table"): _SUB_SPLIT,
    ("warnings", "06_supply_plan_use_table"): _SUB_SPLIT,
    ("figures", "07_combined_notice_ascii_punctuation"): _ASCII_STOP,
    ("errors", "07_combined_notice_ascii_punctuation"): _ASCII_STOP,
    ("warnings", "07_combined_notice_ascii_punctuation"): _ASCII_STOP,
    ("document", "09_execution_report"): _REPORT_KIND,
    ("warnings", "09_execution_report"): _ACTUAL_AS_PLAN,
    ("warnings", "10_truncated_mid_table"): _TABLE_CUT,
    ("absent", "11_corrupted_ocr_numbers"): _SPACE_IN_NUMBER,
    ("problems", "11_corrupted_ocr_numbers"): _SPACE_IN_NUMBER,
    ("parcels", "11_corrupted_ocr_numbers"): _UNREADABLE_AREA_ROW,
    ("parcels", "19_space_table_merged_cells"): _SPACE_TABLE_MERGED,
    ("warnings", "19_space_table_merged_cells"): _SPACE_TABLE_MERGED,
    ("parcels", "22_docx_merged_cells"): _DOCX_GRIDSPAN,
    ("warnings", "22_docx_merged_cells"): _DOCX_GRIDSPAN,
    ("parcels", "23_inconsistent_parcel_units_same_code"): _CODE_WITH_SPACE,
    ("figures", "26_news_shares_only_headline_figure"): _SHARE_OF_TOTAL,
    ("figures", "28_inconsistent_two_area_columns_stock_in_mu"): _TOTAL_ROW_SECOND_UNIT,
    ("errors", "28_inconsistent_two_area_columns_stock_in_mu"): _TOTAL_ROW_SECOND_UNIT,
    ("figures", "29_news_wan_mu"): _SHARE_OF_TOTAL,
    ("errors", "23_inconsistent_parcel_units_same_code"): _CODE_WITH_SPACE,
    ("warnings", "23_inconsistent_parcel_units_same_code"): _CODE_WITH_SPACE,
}


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
    files = {p.name for p in CORPUS.iterdir() if p.suffix == ".txt"}
    assert files == {e["file"] for e in EXPECTATIONS.values()}
    assert len(EXPECTATIONS) >= 16
    assert sum(e["source"] == "docx" for e in EXPECTATIONS.values()) >= 2
    for e in EXPECTATIONS.values():
        data = (CORPUS / e["file"]).read_bytes()
        text = data.decode(e["encoding"])
        if e["encoding"] == "gbk":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        lines = text.splitlines()
        for f in e["figures"]:  # each expected value is written on its line (full-width, with or without ,)
            line = lines[f["line"] - 1].translate(_FULL_WIDTH)
            assert f["value"] in line or f["value"] in line.replace(",", ""), (e["file"], f)


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
