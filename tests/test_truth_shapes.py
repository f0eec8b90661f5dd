"""Truth on real shapes (issue 8): an error only where the text proves an inconsistency, and every
inconsistency the text proves is an error.

Black-box: only ``parse_plan_text`` / ``read_plan`` and ``audit_plan`` are used, so the tests hold
whatever the reader's model looks like inside. Each shape of the issue is written in each layout a
county uses (one line, one sentence per line, an indented list, a tab table with 其中 rows or indented
sub-rows, parentheses, a Word document); the consistent writing must get no ERROR at all, a variant the
text proves wrong an ERROR of the expected code whose lines include the changed figure's line.

Every figure below is checked by hand in the comment next to it (all sums are exact unless noted).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text, read_plan

REPO = Path(__file__).resolve().parent.parent

#: the issue's prefix: the reserve scale 45.57 公顷 on line 3, the structure heading on line 4
P = "某县2026年度土地储备计划\n一、储备规模\n本年度计划储备土地45.57公顷。\n二、储备结构\n"
#: a consistent use structure under P (20.00 + 25.57 = 45.57), for shapes that come after it
STRUCTURE = "住宅用地20.00公顷，工业用地25.57公顷。\n"


def _errors(doc) -> list:
    return [f for f in audit_plan(doc) if f.severity is Severity.ERROR]


def _summary(doc) -> list[tuple[str, str, tuple[int, ...], str]]:
    return [(f.severity.value, f.code, f.lines, f.message) for f in audit_plan(doc)]


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` line of ``text`` that contains ``needle``."""
    found = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(found) > nth, (needle, text)
    return found[nth]


def assert_no_error(doc) -> None:
    assert _errors(doc) == [], _summary(doc)


def assert_error(doc, codes: set[str], line: int) -> None:
    """An ERROR of one of ``codes`` whose lines include ``line``."""
    hits = [f for f in _errors(doc) if f.code in codes and line in f.lines]
    assert hits, (f"expected {sorted(codes)} on line {line}", _summary(doc))


def _docx(path: Path, text: str, indent_as_format: bool = False) -> Path:
    """A .docx whose paragraphs are the text's lines and whose runs of tab lines are tables.

    With ``indent_as_format`` a leading indent (spaces or full-width spaces) is not kept in the text but
    given as the paragraph's (or the cell paragraph's) left indentation, as Word users indent.
    """
    from docx import Document
    from docx.shared import Pt

    def put(paragraph, content: str) -> None:
        stripped = content.lstrip(" 　")
        if indent_as_format and stripped != content:
            paragraph.paragraph_format.left_indent = Pt(21)
            content = stripped
        paragraph.add_run(content)

    document = Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            put(document.add_paragraph(), lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        rows = [line.split("\t") for line in lines[i:j]]
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, cells in enumerate(rows):
            for c, content in enumerate(cells):
                put(table.cell(r, c).paragraphs[0], content)
        i = j
    document.save(path)
    return path


# --- a. nested uses ----------------------------------------------------------------------------------
# 住宅用地 20.00 = 商品住房用地 12.00 + 保障性住房用地 8.00; 20.00 + 工业用地 25.57 = 45.57.
# Shares of 45.57: 20/45.57 = 43.888 → 43.89; 12/45.57 = 26.333 → 26.33; 8/45.57 = 17.555 → 17.56;
# 25.57/45.57 = 56.111 → 56.11; 43.89 + 56.11 = 100.00 (the sub-rows' shares are parts of 43.89).
NESTED = {
    "res": "20.00",
    "com": "12.00",
    "aff": "8.00",
    "ind": "25.57",
    "s_res": "43.89",
    "s_com": "26.33",
    "s_aff": "17.56",
    "s_ind": "56.11",
}

_LIST = "1.住宅用地{res}公顷，其中：\n{i}商品住房用地{com}公顷；\n{i}保障性住房用地{aff}公顷；\n2.工业用地{ind}公顷。"
_TABLE = (
    "用途\t面积（公顷）\t占比（%）\n住宅用地\t{res}\t{s_res}\n{sub}商品住房用地\t{com}\t{s_com}\n"
    "{sub}保障性住房用地\t{aff}\t{s_aff}\n工业用地\t{ind}\t{s_ind}\n合计\t45.57\t100.00"
)
NESTED_LAYOUTS = {
    "one_line": "（一）住宅用地{res}公顷。其中，商品住房用地{com}公顷，保障性住房用地{aff}公顷。（二）工业用地{ind}公顷。",
    "sentence_per_line": (
        "（一）住宅用地{res}公顷。\n其中，商品住房用地{com}公顷，保障性住房用地{aff}公顷。\n（二）工业用地{ind}公顷。"
    ),
    "list_indented": _LIST.replace("{i}", "  "),
    "list_fullwidth_indent": _LIST.replace("{i}", "　　"),
    "table_qizhong_rows": _TABLE.replace("{sub}", "其中："),
    "table_indented_rows": _TABLE.replace("{sub}", "  "),
    "table_fullwidth_indented_rows": _TABLE.replace("{sub}", "　　"),
    "parentheses": "住宅用地{res}公顷（其中商品住房用地{com}公顷、保障性住房用地{aff}公顷），工业用地{ind}公顷。",
}
#: Word documents made from a text layout: (layout, indentation given as paragraph format)
DOCX_LAYOUTS = {
    "docx_list_spaces": ("list_indented", False),
    "docx_list_paragraph_indent": ("list_indented", True),
    "docx_table_qizhong_rows": ("table_qizhong_rows", False),
    "docx_table_cell_indent": ("table_indented_rows", True),
}
TABLES = {"table_qizhong_rows", "table_indented_rows", "table_fullwidth_indented_rows"}

#: variant → (changed values, the name on the changed figure's line, the codes that prove it)
NESTED_VARIANTS = {
    # 12.00 + 9.00 = 21.00 > 20.00: the inner level exceeds its parent
    "inner_exceeds_parent": ({"aff": "9.00"}, "保障性住房用地", {"breakdown.sum_mismatch"}),
    # 20.00 + 27.57 = 47.57 > 45.57: the top level exceeds the reserve
    "top_exceeds_total": ({"ind": "27.57"}, "工业用地", {"breakdown.sum_mismatch"}),
    # 53.89 % of 45.57 is 24.56 公顷, not 20.00 (tables only)
    "share_wrong": ({"s_res": "53.89"}, "住宅用地", {"share.mismatch"}),
}


def _nested_text(layout: str, changes: dict[str, str] | None = None) -> str:
    template = NESTED_LAYOUTS[DOCX_LAYOUTS[layout][0] if layout in DOCX_LAYOUTS else layout]
    return P + template.format(**{**NESTED, **(changes or {})})


def _nested_doc(layout: str, text: str, tmp_path: Path):
    if layout in DOCX_LAYOUTS:
        return read_plan(_docx(tmp_path / f"{layout}.docx", text, DOCX_LAYOUTS[layout][1]))
    return parse_plan_text(text, f"{layout}.txt")


ALL_NESTED = [*NESTED_LAYOUTS, *DOCX_LAYOUTS]


@pytest.mark.parametrize("layout", ALL_NESTED)
def test_nested_uses_consistent_get_no_error(layout, tmp_path):
    text = _nested_text(layout)
    assert_no_error(_nested_doc(layout, text, tmp_path))


def _is_table(layout: str) -> bool:
    return layout in TABLES or (layout in DOCX_LAYOUTS and DOCX_LAYOUTS[layout][0] in TABLES)


@pytest.mark.parametrize(
    ("layout", "variant"),
    [
        (layout, variant)
        for layout in ALL_NESTED
        for variant in NESTED_VARIANTS
        if variant != "share_wrong" or _is_table(layout)
    ],
)
def test_nested_uses_inconsistent_get_an_error_on_the_changed_line(layout, variant, tmp_path):
    changes, name, codes = NESTED_VARIANTS[variant]
    text = _nested_text(layout, changes)
    assert_error(_nested_doc(layout, text, tmp_path), codes, _line_of(text, name))


# Nested figures in two units: 20.00 公顷 = 300.00 亩, 12.00 = 180.00 亩, 8.00 = 120.00 亩.
MU_NESTED = "（一）住宅用地20.00公顷（300.00亩）。\n其中，商品住房用地12.00公顷（180.00亩），保障性住房用地8.00公顷（{mu}亩）。\n（二）工业用地25.57公顷（383.55亩）。"


def test_nested_uses_with_mu_conversions_in_parentheses_get_no_error():
    assert_no_error(parse_plan_text(P + MU_NESTED.format(mu="120.00"), "x.txt"))


def test_a_wrong_mu_conversion_of_a_nested_use_is_a_units_error():
    # 8.00 公顷 is 120.00 亩, not 125.00 亩
    assert_error(parse_plan_text(P + MU_NESTED.format(mu="125.00"), "x.txt"), {"units.mismatch"}, 6)


# --- b. sub-zones -----------------------------------------------------------------------------------
# 城区 30.00 = 老城片区 10.00 + 新城片区 20.00; 30.00 + 工业园区 15.57 = 45.57.
ZONE_LAYOUTS = {
    "sentence": "三、空间布局\n城区30.00公顷，其中老城片区10.00公顷、新城片区{new}公顷；工业园区15.57公顷。",
    "list_indented": "三、空间布局\n1.城区30.00公顷，其中：\n  老城片区10.00公顷；\n  新城片区{new}公顷；\n2.工业园区15.57公顷。",
    "table_qizhong_rows": (
        "三、空间布局\n区域\t面积（公顷）\n城区\t30.00\n其中：老城片区\t10.00\n其中：新城片区\t{new}\n工业园区\t15.57\n合计\t45.57"
    ),
}


@pytest.mark.parametrize("layout", ZONE_LAYOUTS)
def test_sub_zones_consistent_get_no_error(layout):
    assert_no_error(parse_plan_text(P + STRUCTURE + ZONE_LAYOUTS[layout].format(new="20.00"), "x.txt"))


@pytest.mark.parametrize("layout", ZONE_LAYOUTS)
def test_a_sub_zone_exceeding_its_zone_is_an_error(layout):
    # 10.00 + 25.00 = 35.00 > 城区 30.00
    text = P + STRUCTURE + ZONE_LAYOUTS[layout].format(new="25.00")
    assert_error(parse_plan_text(text, "x.txt"), {"breakdown.sum_mismatch"}, _line_of(text, "新城片区"))


# --- c. money ---------------------------------------------------------------------------------------
# 3.5 = 征收补偿 2.5 + 前期开发 1.0; 征收补偿 2.5 includes (含) 安置补偿 0.8.
MONEY_LAYOUTS = {
    "parentheses": "四、资金安排\n资金需求总量3.5亿元，其中征收补偿{comp}亿元（含安置补偿{resettle}亿元），前期开发{dev}亿元。",
    "list": (
        "四、资金安排\n资金需求总量3.5亿元，其中：\n1.征收补偿{comp}亿元，含安置补偿{resettle}亿元；\n2.前期开发{dev}亿元。"
    ),
    "table_qizhong_rows": (
        "四、资金安排\n资金需求总量3.5亿元，具体如下：\n资金用途\t金额（亿元）\n征收补偿\t{comp}\n其中：安置补偿\t{resettle}\n"
        "前期开发\t{dev}\n合计\t3.5"
    ),
}
MONEY = {"comp": "2.5", "resettle": "0.8", "dev": "1.0"}


def _money_text(layout: str, **changes: str) -> str:
    return P + STRUCTURE + MONEY_LAYOUTS[layout].format(**{**MONEY, **changes})


@pytest.mark.parametrize("layout", MONEY_LAYOUTS)
def test_funds_with_included_items_consistent_get_no_error(layout):
    assert_no_error(parse_plan_text(_money_text(layout), "x.txt"))


@pytest.mark.parametrize("layout", MONEY_LAYOUTS)
def test_funds_parts_exceeding_the_total_are_an_error(layout):
    text = _money_text(layout, dev="1.5")  # 2.5 + 1.5 = 4.0 > 3.5
    assert_error(parse_plan_text(text, "x.txt"), {"breakdown.sum_mismatch"}, _line_of(text, "前期开发"))


@pytest.mark.parametrize("layout", MONEY_LAYOUTS)
def test_an_included_item_exceeding_its_parent_is_an_error(layout):
    text = _money_text(layout, resettle="2.8")  # 安置补偿 2.8 > 征收补偿 2.5
    assert_error(parse_plan_text(text, "x.txt"), {"breakdown.sum_mismatch"}, _line_of(text, "安置补偿"))


# --- d. parcel table with sub-rows --------------------------------------------------------------------
# A-01 10.00 = A-01-1 6.00 + A-01-2 4.00; A-01 10.00 + A-02 35.57 = 45.57 (the sub-rows are not parcels
# of their own: counted with A-01 they would give 65.57).
PARCEL_SUBROWS = {
    "qizhong_code": "\t其中：A-01-1\t人民路北侧东段\t{a}\n\t其中：A-01-2\t人民路北侧西段\t4.00\n",
    "qizhong_serial": "其中\tA-01-1\t人民路北侧东段\t{a}\n\tA-01-2\t人民路北侧西段\t4.00\n",
    "indented": "\tA-01-1\t人民路北侧东段\t{a}\n\tA-01-2\t人民路北侧西段\t4.00\n",
}


def _parcel_text(form: str, a: str = "6.00") -> str:
    return (
        P
        + STRUCTURE
        + "三、储备地块明细\n序号\t地块编号\t土地坐落\t面积（公顷）\n1\tA-01\t人民路北侧\t10.00\n"
        + PARCEL_SUBROWS[form].format(a=a)
        + "2\tA-02\t建设路南侧\t35.57\n"
    )


@pytest.mark.parametrize("form", PARCEL_SUBROWS)
def test_parcel_sub_rows_are_not_counted_twice(form):
    doc = parse_plan_text(_parcel_text(form), "x.txt")
    assert {"A-01", "A-02"} <= {p.code for p in doc.parcels}
    assert_no_error(doc)


@pytest.mark.parametrize("form", PARCEL_SUBROWS)
def test_parcel_sub_rows_exceeding_their_parcel_are_an_error(form):
    text = _parcel_text(form, a="8.00")  # 8.00 + 4.00 = 12.00 > A-01 10.00
    doc = parse_plan_text(text, "x.txt")
    assert_error(doc, {"parcels.sum_mismatch", "breakdown.sum_mismatch"}, _line_of(text, "A-01-1"))


# --- e. parentheses with a share ---------------------------------------------------------------------
# 61.4550 = 住宅 12.5061 + 工业 30.0000 + 商服 18.9489; 住宅 12.5061 = 10.2034 + 2.3027.
# Shares: 12.5061/61.455 = 20.350 → 20.35; 30/61.455 = 48.816 → 48.82; 18.9489/61.455 = 30.834 → 30.83;
# 20.35 + 48.82 + 30.83 = 100.00. The 20.35 % belongs to 住宅用地, not to the last sub-use.
PAREN_SHARE = (
    "某县2026年度土地储备计划\n一、储备规模\n本年度计划储备土地61.4550公顷。\n二、储备结构\n"
    "住宅用地12.5061公顷(其中商品住宅用地10.2034公顷,安置房等其他住宅用地{other}公顷),占总量的{share}%;"
    "工业用地30.0000公顷,占总量的48.82%;商服用地18.9489公顷,占总量的30.83%。"
)


def test_a_share_after_parentheses_belongs_to_the_use_before_them():
    assert_no_error(parse_plan_text(PAREN_SHARE.format(other="2.3027", share="20.35"), "x.txt"))


def test_a_wrong_share_after_parentheses_is_an_error():
    doc = parse_plan_text(PAREN_SHARE.format(other="2.3027", share="25.35"), "x.txt")
    assert_error(doc, {"share.mismatch", "share.sum_mismatch"}, 5)


def test_a_sub_use_in_parentheses_exceeding_its_use_is_an_error():
    doc = parse_plan_text(PAREN_SHARE.format(other="3.3027", share="20.35"), "x.txt")  # 13.5061 > 12.5061
    assert_error(doc, {"breakdown.sum_mismatch"}, 5)


# --- f. partial lists -------------------------------------------------------------------------------


def test_a_list_nothing_claims_complete_is_no_error():
    # 20.00 + 15.00 = 35.00 < 45.57: no 合计, no shares, no counts — the list may be partial
    doc = parse_plan_text(P + "住宅用地20.00公顷，工业用地15.00公顷。", "x.txt")
    assert_no_error(doc)


def test_shares_below_100_percent_prove_a_supply_list_partial():
    # 25.68/120 = 21.40 %, 36.18/120 = 30.15 %, 14.46/120 = 12.05 %; 63.60 % of the supply is listed
    doc = parse_plan_text(
        "某县2026年国有建设用地供应计划\n计划供应国有建设用地120.00公顷，其中住宅用地25.68公顷，占21.40%；"
        "工业用地36.18公顷，占30.15%；商服用地14.46公顷，占12.05%。",
        "x.txt",
    )
    assert_no_error(doc)


# --- g. a total guessed only by adjacency --------------------------------------------------------------
# 30.00 + 25.00 = 55.00 > 45.57, but nothing ties these uses to the reserve: no section of the structure,
# no 其中, no 合计. At most a warning.
ADJACENT = {
    "work_requirements": "三、工作要求\n各乡镇要结合实际，优先保障住宅用地30.00公顷、工业用地25.00公顷等重点项目用地需求。",
    "past_supply": "三、近年供地情况\n近三年全县累计供应住宅用地30.00公顷，工业用地25.00公顷。",
    "spatial_plan": "三、规划依据\n国土空间总体规划确定城镇开发边界内住宅用地30.00公顷，工业用地25.00公顷。",
}


@pytest.mark.parametrize("paragraph", ADJACENT)
def test_uses_tied_to_a_total_only_by_adjacency_are_at_most_a_warning(paragraph):
    text = "某县2026年度土地储备计划\n一、储备规模\n本年度计划储备土地45.57公顷。\n二、保障措施\n加强部门协作。\n"
    assert_no_error(parse_plan_text(text + ADJACENT[paragraph], "x.txt"))


# --- h. real inconsistencies that must be errors -------------------------------------------------------
ROLLING = (
    "某县2026—2028年土地储备三年滚动计划\n三年计划储备土地28宗，面积120.00公顷。其中，2026年12宗、{a}公顷，"
    "2027年9宗、40.00公顷，2028年{n}宗、30.00公顷。"
)


def test_rolling_plan_years_whose_counts_add_up_get_no_error():
    assert_no_error(parse_plan_text(ROLLING.format(a="50.00", n="7"), "x.txt"))  # 12 + 9 + 7 = 28


def test_rolling_plan_years_whose_counts_miss_the_headline_are_a_count_error():
    # 12 + 9 + 6 = 27 ≠ 28; the three years cover the plan period, so the split is complete
    assert_error(parse_plan_text(ROLLING.format(a="50.00", n="6"), "x.txt"), {"count.mismatch"}, 2)


def test_rolling_plan_years_cover_the_period_so_a_shortfall_is_an_error():
    # 40.00 + 40.00 + 30.00 = 110.00 ≠ 120.00, counts 12 + 9 + 7 = 28 complete
    doc = parse_plan_text(ROLLING.format(a="40.00", n="7"), "x.txt")
    assert_error(doc, {"breakdown.sum_mismatch"}, 2)


HEFEI = (
    "某市2022年度土地收购和供应计划\n本次拟收购和供应土地40宗，面积4660亩，其中：县域9宗，面积1011亩；"
    "市本级31宗，面积{city}亩。"
)


def test_a_split_whose_counts_add_up_and_areas_too_gets_no_error():
    assert_no_error(parse_plan_text(HEFEI.format(city="3649"), "x.txt"))  # 1011 + 3649 = 4660


def test_counts_adding_up_prove_a_split_complete_so_a_shortfall_is_an_error():
    # 9 + 31 = 40 宗: the split is complete; 1011 + 3579 = 4590 ≠ 4660 亩
    assert_error(parse_plan_text(HEFEI.format(city="3579"), "x.txt"), {"breakdown.sum_mismatch"}, 2)


@pytest.mark.parametrize(
    ("split", "codes"),
    [
        # 43.89 + 56.11 = 100 %: complete; 20.00 + 22.00 = 42.00 ≠ 45.57 (and 22/45.57 = 48.28 %)
        (
            "住宅用地20.00公顷，占43.89%；工业用地22.00公顷，占56.11%。",
            {"breakdown.sum_mismatch", "share.mismatch"},
        ),
        # a 合计 proves the structure complete: 40.00 ≠ the reserve 45.57
        ("住宅用地20.00公顷，工业用地20.00公顷，合计40.00公顷。", {"breakdown.sum_mismatch"}),
    ],
    ids=["shares_100", "heji"],
)
def test_evidence_of_completeness_makes_a_shortfall_an_error(split, codes):
    assert_error(parse_plan_text(P + split, "x.txt"), codes, 5)


@pytest.mark.parametrize(
    "split",
    [
        "住宅用地20.00公顷，占43.89%；工业用地25.57公顷，占56.11%。",
        "住宅用地20.00公顷，工业用地25.57公顷，合计45.57公顷。",
    ],
    ids=["shares_100", "heji"],
)
def test_complete_splits_that_add_up_get_no_error(split):
    assert_no_error(parse_plan_text(P + split, "x.txt"))


SUPPLY = "某县2026年国有建设用地供应计划\n"


def test_a_growth_rate_on_the_wrong_base_is_a_change_error_that_names_the_mistake():
    # last year 1237 − 386 = 851; 386/851 = 45.36 %; 31.2 % is 386/1237 (this year's figure as the base)
    doc = parse_plan_text(SUPPLY + "2026年计划供应住房用地1237公顷，比上年增加386公顷，增长31.2%。", "x.txt")
    assert_error(doc, {"change.mismatch"}, 2)
    (finding,) = [f for f in _errors(doc) if f.code == "change.mismatch"]
    assert "386" in finding.message and "1237" in finding.message, finding.message
    assert "45.4" in finding.message or "45.36" in finding.message, finding.message


@pytest.mark.parametrize(
    "sentence",
    [
        "2025年供应851公顷，2026年计划供应1237公顷，比上年增长45.4%。",  # 1237/851 = 1.4536
        "2026年计划供应住房用地1237公顷，比上年增加386公顷，增长45.4%。",  # 386/851 = 45.36 %
        "2026年计划供应住房用地1237公顷，较上年增加386公顷，同比增长45.4%。",
        "2026年计划供应住房用地1237公顷，比上年增长31.2%。",  # no figure of last year: nothing to check
        "2025年供应851公顷，2026年计划供应737公顷，比上年减少114公顷。",  # 851 − 737 = 114
        "2025年供应851公顷，2026年计划供应737公顷，比上年下降13.4%。",  # 114/851 = 13.40 %
    ],
    ids=["growth_pct", "increase_and_pct", "tongbi", "no_last_year", "decrease", "decline_pct"],
)
def test_stated_changes_that_agree_with_both_years_get_no_error(sentence):
    assert_no_error(parse_plan_text(SUPPLY + sentence, "x.txt"))


@pytest.mark.parametrize(
    "sentence",
    [
        "2025年供应851公顷，2026年计划供应1237公顷，比上年增长31.2%。",  # 45.36 %
        "2026年计划供应住房用地1237公顷，较上年增加386公顷，同比增长31.2%。",
        "2025年供应851公顷，2026年计划供应737公顷，比上年减少104公顷。",  # 114
        "2025年供应851公顷，2026年计划供应737公顷，比上年下降15.5%。",  # 13.40 % (15.47 % is 114/737)
    ],
    ids=["growth_pct", "tongbi_wrong_base", "decrease", "decline_pct_wrong_base"],
)
def test_stated_changes_contradicted_by_both_years_are_a_change_error(sentence):
    assert_error(parse_plan_text(SUPPLY + sentence, "x.txt"), {"change.mismatch"}, 2)


# --- i. markdown tables ------------------------------------------------------------------------------
MARKDOWN_PARCELS = (
    P
    + STRUCTURE
    + "三、储备地块明细\n| 序号 | 地块编号 | 土地坐落 | 面积（公顷） |\n| --- | --- | --- | --- |\n"
    + "| 1 | AB-2026-01 | 人民路北侧 | {a} |\n| 2 | AB-2026-02 | 建设路南侧 | 15.00 |\n"
    + "| 3 | AB-2026-03 | 工业大道东侧 | 10.57 |\n"
)  # 20.00 + 15.00 + 10.57 = 45.57


def test_a_markdown_parcel_table_is_read():
    doc = parse_plan_text(MARKDOWN_PARCELS.format(a="20.00"), "x.md")
    assert [(p.code, p.line, p.area_m2) for p in doc.parcels] == [
        ("AB-2026-01", 9, Decimal("200000")),
        ("AB-2026-02", 10, Decimal("150000")),
        ("AB-2026-03", 11, Decimal("105700")),
    ]
    assert_no_error(doc)


def test_a_markdown_parcel_table_exceeding_the_scale_is_an_error():
    doc = parse_plan_text(MARKDOWN_PARCELS.format(a="30.00"), "x.md")  # 55.57 > 45.57
    assert_error(doc, {"parcels.sum_mismatch"}, 9)


MARKDOWN_USES = (
    P + "| 用途 | 面积（公顷） | 占比（%） |\n| :--- | ---: | ---: |\n| 住宅用地 | 20.00 | 43.89 |\n"
    "| 工业用地 | {ind} | 56.11 |\n| 合计 | 45.57 | 100.00 |\n"
)


def test_a_markdown_figure_table_is_read():
    doc = parse_plan_text(MARKDOWN_USES.format(ind="25.57"), "x.md")
    read = {(f.value, f.unit, f.line) for f in doc.figures}
    assert {("20.00", "公顷", 7), ("43.89", "%", 7), ("25.57", "公顷", 8), ("45.57", "公顷", 9)} <= read
    assert_no_error(doc)


def test_a_markdown_figure_table_that_does_not_add_up_is_an_error():
    doc = parse_plan_text(MARKDOWN_USES.format(ind="27.57"), "x.md")  # 47.57 > 45.57
    assert_error(doc, {"breakdown.sum_mismatch", "share.mismatch"}, 8)


# --- j. the Bachu plan -------------------------------------------------------------------------------


def test_bachu_keeps_exactly_its_two_duplicate_errors():
    doc = read_plan(REPO / "data" / "plans" / "bachu-2026.txt")
    assert [f.code for f in _errors(doc)] == ["parcels.duplicate", "parcels.duplicate"], _summary(doc)


# --- k. long input: correct on big input, and the work grows in proportion to the input -------------
# Work is counted, not timed: the number of Python and C function calls made while reading and auditing
# (deterministic for a given input), for an input and one twice its size.
LINEAR = 2.3  # twice the input may cost at most 2.3 times the calls (constant overhead aside)


def _read_and_audit(text: str):
    doc = parse_plan_text(text, "x.txt")
    return doc, audit_plan(doc)


def _calls(text: str) -> int:
    count = 0

    def profile(_frame, event, _arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        _read_and_audit(text)
    finally:
        sys.setprofile(None)
    return count


def _grows_linearly(make) -> None:
    _read_and_audit(make(1))  # warm caches (the character converter, compiled patterns)
    small, large = _calls(make(1)), _calls(make(2))
    assert large <= LINEAR * small, (small, large, large / small)


def _zones_sentence(k: int) -> str:
    zones = "，".join(f"第{i}片区0.35公顷" for i in range(1, 60 * k + 1))
    return P + "本年度储备地块分布在全县各片区，其中" + zones + "。" + "加强部门协作，" * (100 * k)


def test_a_sentence_of_3000_characters_on_one_line_is_read_and_audited():
    # 120 zones of 0.35 公顷 = 42.00 公顷 ≤ 45.57, introduced by 其中: a partial list, no error
    text = _zones_sentence(2)
    assert len(text.split("\n")[4]) >= 2000
    doc, findings = _read_and_audit(text)
    assert len([f for f in doc.figures if f.line == 5 and f.value == "0.35"]) == 120
    assert not [f for f in findings if f.severity is Severity.ERROR], [f.code for f in findings]


def test_the_work_on_one_long_sentence_grows_linearly():
    _grows_linearly(_zones_sentence)


LONG_LINE = "各乡镇要结合实际，加强土地储备管理，做好前期开发和临时管护工作，" * 100  # ~ 9.6 kB a line


def _long_lines(n: int) -> str:
    return P + "\n".join(f"{LONG_LINE}第{i}项工作储备住宅用地0.10公顷。" for i in range(n))


def test_a_one_megabyte_document_of_long_lines_is_read_and_audited():
    text = _long_lines(110)
    assert len(text.encode("utf-8")) >= 1_000_000
    doc, findings = _read_and_audit(text)
    assert ("45.57", "公顷", 3) in {(f.value, f.unit, f.line) for f in doc.figures}
    assert len([f for f in doc.figures if f.value == "0.10"]) == 110
    assert findings is not None


def test_the_work_on_long_lines_grows_linearly():
    _grows_linearly(lambda k: _long_lines(10 * k))


def _stated_areas(n: int) -> str:
    # areas worded like reserve figures (第i片区储备0.01公顷), ten to each long line
    pad = "各乡镇要结合实际，加强土地储备管理，做好前期开发和临时管护工作，" * 10
    lines = ("".join(f"{pad}本年度第{10 * k + j}片区储备0.01公顷；" for j in range(10)) for k in range(n))
    return P + "\n".join(lines)


def test_a_one_megabyte_document_with_a_thousand_stated_areas_is_read_and_audited():
    text = _stated_areas(100)
    assert len(text.encode("utf-8")) >= 1_000_000
    doc, findings = _read_and_audit(text)
    assert len([f for f in doc.figures if f.value == "0.01"]) == 1000
    assert findings is not None


def test_the_work_on_many_stated_areas_grows_linearly():
    _grows_linearly(lambda k: _stated_areas(20 * k))


def _repeated_label(n: int) -> str:
    return P + "储备土地1.00公顷。\n" * n


def test_a_label_repeated_5000_times_is_one_conflict_per_repetition():
    # each 储备土地1.00公顷 is the total stated again with another value than 45.57: one warning each
    doc, findings = _read_and_audit(_repeated_label(5000))
    conflicts = [f for f in findings if f.code == "total.conflict"]
    assert len(conflicts) == 5000
    assert {f.lines for f in conflicts} == {(3, line) for line in range(5, 5005)}


def test_the_work_on_a_repeated_label_grows_linearly():
    _grows_linearly(lambda k: _repeated_label(250 * k))
