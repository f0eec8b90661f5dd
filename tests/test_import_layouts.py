"""Layouts of published plans beyond plain lines: years as table columns, one cell per line, a whole
plan on one line, ``分别`` lists, changes against last year."""

from __future__ import annotations

import pytest

from landreserve.domain.audit import audit_plan
from landreserve.domain.plans import Dimension, TotalKind
from landreserve.importers import parse_plan_text
from landreserve.importers.cell_lines import join_cell_lines
from landreserve.importers.long_lines import pieces
from landreserve.importers.normalise import to_ascii

YEARS = (
    "某县2026—2028年土地储备三年滚动计划\n"
    "项目\t2026年\t2027年\t2028年\t合计\n"
    "储备面积（公顷）\t{a}\t32.40\t33.80\t96.30\n"
    "其中：存量土地（公顷）\t20.10\t12.40\t13.80\t46.30\n"
    "新增土地（公顷）\t10.00\t20.00\t20.00\t50.00\n"
    "资金需求（万元）\t21000\t22500\t23800\t67300\n"
)


def _errors(doc) -> list[tuple[str, tuple[int, ...]]]:
    return [(f.code, f.lines) for f in audit_plan(doc) if f.severity.value == "error"]


def test_years_as_columns_split_the_total_by_year_and_each_year_by_stock_and_new():
    doc = parse_plan_text(YEARS.format(a="30.10"), "x.txt")
    years = [b for b in doc.all_breakdowns() if b.dimension is Dimension.YEAR and not b.items[0].money]
    assert [(i.name, i.area.primary.value) for i in years[0].items] == [
        ("2026年", "30.10"),
        ("2027年", "32.40"),
        ("2028年", "33.80"),
    ]
    assert years[0].total.measure.primary.value == "96.30"
    stock = [b for b in doc.all_breakdowns() if b.dimension is Dimension.STOCK and b.title == "2026年"]
    assert [(i.name, i.area.primary.value) for i in stock[0].items] == [
        ("存量土地", "20.10"),
        ("新增土地", "10.00"),
    ]
    assert doc.total(TotalKind.STOCK).measure.primary.value == "46.30"
    assert _errors(doc) == []


def test_a_year_column_that_does_not_add_up_is_an_error_on_its_row():
    doc = parse_plan_text(YEARS.format(a="31.10"), "x.txt")
    codes = _errors(doc)
    assert ("breakdown.sum_mismatch", (3,)) in codes  # the years against 合计
    assert any(code == "breakdown.sum_mismatch" and 4 in lines for code, lines in codes)  # 2026: 20.10+10.00


def test_cells_one_per_line_are_joined_into_rows_keeping_line_numbers():
    lines = [
        "标题",
        "序号",
        "地块编号",
        "位置",
        "面积（公顷）",
        "1",
        "A-01",
        "东路",
        "3.25",
        "2",
        "A-02",
        "西路",
        "4.10",
    ]
    joined = join_cell_lines(lines)
    assert len(joined) == len(lines)
    assert joined[1] == "序号\t地块编号\t位置\t面积（公顷）" and joined[5] == "1\tA-01\t东路\t3.25"
    assert joined[6:9] == ["", "", ""]
    doc = parse_plan_text("某县2026年土地储备计划\n计划储备土地7.35公顷。\n" + "\n".join(lines[1:]), "x.txt")
    assert [(p.code, p.line, str(p.area_m2)) for p in doc.parcels] == [
        ("A-01", 7, "32500"),
        ("A-02", 11, "41000"),
    ]


def test_a_whole_plan_on_one_line_is_read_by_its_headings():
    line = (
        "某县2026年度土地储备计划 一、储备规模 全县计划储备土地3宗，面积7.03公顷。"
        "二、储备结构 住宅用地4.01公顷，工业用地3.02公顷。三、资金需求 年度资金需求6800万元。"
    )
    assert [n for _c, n in pieces(line, to_ascii(line))][:3] == [
        "某县2026年度土地储备计划",
        "一、储备规模",
        "全县计划储备土地3宗,面积7.03公顷。",
    ]
    doc = parse_plan_text(line, "x.txt")
    assert doc.title == "某县2026年度土地储备计划"
    (uses,) = [b for b in doc.all_breakdowns() if b.dimension is Dimension.USE]
    assert [i.name for i in uses.items] == ["住宅用地", "工业用地"] and _errors(doc) == []


def test_respectively_lists_name_each_figure_and_bare_numbers_take_the_unit():
    doc = parse_plan_text(
        "某县2026年土地储备计划\n计划储备土地31.00公顷。住宅、商服、工业用地分别为12.30、8.20、10.50公顷。",
        "x",
    )
    assert [(f.label, f.value) for f in doc.figures[1:]] == [
        ("住宅用地", "12.30"),
        ("商服用地", "8.20"),
        ("工业用地", "10.50"),
    ]
    wrong = parse_plan_text(
        "某县2026年土地储备计划\n计划储备土地31.00公顷。住宅、商服用地分别为12.30、8.20、10.50公顷。", "x"
    )
    assert _errors(wrong) == [] and not wrong.breakdowns  # three figures for two names: not paired


def test_changes_against_last_year_are_neither_parts_nor_shares():
    doc = parse_plan_text(
        "某县2026年土地储备计划\n一、储备结构\n住宅用地40.20公顷，比上年减少3.10公顷；工业用地48.60公顷，同比增长20.3%。\n"
        "计划储备土地88.80公顷，资金需求3.6亿元，较上年增加0.4亿元。",
        "x",
    )
    (uses,) = [b for b in doc.all_breakdowns() if b.dimension is Dimension.USE]
    assert [i.name for i in uses.items] == ["住宅用地", "工业用地"] and uses.items[1].share is None
    assert _errors(doc) == []


def test_parcel_groups_with_subtotals_are_checked_and_a_following_table_still_opens():
    text = (
        "某县2026年土地储备计划\n计划储备土地3宗，面积9.00公顷。\n"
        "序号\t地块编号\t位置\t面积（公顷）\n一\t城区\t\t\n1\tA-01\t东路\t4.00\n2\tA-02\t西路\t{b}\n"
        "\t小计\t\t7.00\n二\t园区\t\t\n3\tA-03\t南路\t2.00\n合计\t\t\t9.00\n"
        "用途\t面积（公顷）\n住宅用地\t4.00\n工业用地\t5.00\n"
    )
    doc = parse_plan_text(text.format(b="3.00"), "x.txt")
    assert [p.code for p in doc.parcels] == ["A-01", "A-02", "A-03"]
    assert [b.title for b in doc.all_breakdowns()] == ["城区", "用途"] and _errors(doc) == []
    wrong = parse_plan_text(text.format(b="3.50"), "x.txt")
    assert ("breakdown.sum_mismatch", (5, 6, 7)) in _errors(wrong)


def test_funds_parts_are_what_follows_qizhong_and_income_is_none():
    head = "某县2026年度土地储备计划\n计划储备土地50.00公顷，资金需求3.5亿元，其中土地收储成本3.0亿元，前期开发{x}亿元"
    doc = parse_plan_text(head.format(x="0.5") + "；偿还到期债券本息1.2亿元。预计土地出让收入25亿元。", "x")
    (funds,) = doc.breakdowns
    assert [(i.name, i.money.primary.value) for i in funds.items] == [
        ("土地收储成本", "3.0"),
        ("前期开发", "0.5"),
    ]
    assert _errors(doc) == []
    assert [code for code, _lines in _errors(parse_plan_text(head.format(x="0.8") + "。", "x"))] == [
        "breakdown.sum_mismatch"
    ]


CORRECT_SENTENCES = [
    "计划储备土地50.00公顷，其中收回国有土地20.00公顷，收购10.00公顷，征收农村集体土地20.00公顷。",
    "2026年计划供应土地100.00公顷，其中储备土地供应60.00公顷。",
    "土地储备资金需求12亿元，预计全年土地出让收入25亿元。",
    "土地储备资金需求12亿元。工业项目亩均投资强度不低于300万元。",
    "计划储备土地47.58公顷，较2025年的52.30公顷有所减少。",
    "上年度计划储备土地60.00公顷，实际完成55.00公顷；本年度计划储备土地50.00公顷。",
    "计划储备土地50.00公顷，资金需求3.5亿元，其中土地收储成本3.0亿元，前期开发0.5亿元；偿还到期债券本息1.2亿元。",
    "计划储备土地50.00公顷。截至2025年底，库存储备土地120.00公顷。",
    "计划供应国有建设用地80.00公顷，其中住宅用地30.00公顷（含保障性住房用地8.00公顷），商服用地20.00公顷，工业用地30.00公顷。",
    "计划储备土地50.00公顷（750.00亩），其中存量土地30.00公顷（450亩），新增土地20.00公顷（300亩）。",
    "计划储备土地50.00公顷，主要分布在城东新区（20.00公顷）、城西片区（18.00公顷）和工业园区（12.00公顷）。",
    "计划储备土地50.00公顷，按来源分：收回10.00公顷，收购5.00公顷，征收35.00公顷；按用途分：住宅用地20.00公顷，工业用地30.00公顷。",
    "计划储备土地50.00公顷，第一季度10.00公顷，第二季度15.00公顷，第三季度15.00公顷，第四季度10.00公顷。",
    "计划储备土地5.00公顷，其中住宅用地3.00公顷，绿地率不低于35%；商服用地2.00公顷，建筑密度不大于40%。",
    "2026年度计划储备土地50.00公顷，2027年度计划储备土地55.00公顷。",
]


@pytest.mark.parametrize("sentence", CORRECT_SENTENCES)
def test_correct_sentences_of_published_plans_get_no_error(sentence):
    doc = parse_plan_text("某县2026年度国有建设用地供应和土地储备计划\n" + sentence, "x")
    assert _errors(doc) == []
    assert "total.conflict" not in [f.code for f in audit_plan(doc)]


def test_a_part_in_parentheses_larger_than_its_use_is_an_error():
    doc = parse_plan_text(
        "某县2026年度国有建设用地供应计划\n计划供应国有建设用地80.00公顷，其中住宅用地30.00公顷（含保障性住房用地38.00公顷），"
        "商服用地20.00公顷，工业用地30.00公顷。",
        "x",
    )
    assert [code for code, _lines in _errors(doc)] == ["breakdown.sum_mismatch"]


@pytest.mark.parametrize("between", ["续表", "第 2 页 共 3 页\n用途\t宗数（宗）\t面积（公顷）", "表1（续）"])
def test_a_table_continued_after_a_page_break_is_one_table(between):
    text = (
        "某县2026年度国有建设用地供应计划\n用途\t宗数（宗）\t面积（公顷）\n住宅用地\t8\t30.00\n商服用地\t5\t12.00\n"
        f"{between}\n工业用地\t9\t40.00\n合计\t22\t82.00\n"
    )
    doc = parse_plan_text(text, "x")
    assert [len(b.items) for b in doc.all_breakdowns()] == [3] and _errors(doc) == []


ROLLING_USES = (
    "某县2026—2028年土地储备三年滚动计划\n三年计划储备土地150.00公顷，其中2026年50.00公顷、2027年48.00公顷、"
    "2028年52.00公顷。\n2026年：住宅用地20.00公顷，工业用地{x}公顷。\n2027年：住宅用地18.00公顷，工业用地30.00公顷。\n"
)


def test_uses_under_a_year_head_are_parts_of_that_year():
    doc = parse_plan_text(ROLLING_USES.format(x="30.00"), "x")
    years = {b.title: [i.name for i in b.items] for b in doc.all_breakdowns() if b.dimension is Dimension.USE}
    assert years == {"2026年": ["住宅用地", "工业用地"], "2027年": ["住宅用地", "工业用地"]}
    assert _errors(doc) == []
    assert ("breakdown.sum_mismatch", (2, 3)) in _errors(parse_plan_text(ROLLING_USES.format(x="35.00"), "x"))


@pytest.mark.parametrize(
    "text",
    [
        "一、储备规模\n计划储备土地60.00公顷。\n二、住宅用地\n计划储备住宅用地30.00公顷，共5宗。\n三、工业用地\n计划储备工业用地30.00公顷，共4宗。",
        "计划储备土地3宗，面积9.00公顷。\n（一）城区片区：储备土地2宗，面积5.00公顷。\n1.地块编号：A-01，面积2.00公顷；\n"
        "2.地块编号：A-02，面积3.00公顷。\n（二）园区片区：储备土地1宗，面积4.00公顷。\n3.地块编号：A-03，面积4.00公顷。",
    ],
)
def test_one_part_per_section_is_no_whole_split(text):
    doc = parse_plan_text("某县2026年度土地储备计划\n" + text, "x")
    codes = [f.code for f in audit_plan(doc)]
    assert _errors(doc) == [] and "total.conflict" not in codes


def test_one_part_larger_than_its_whole_is_still_an_error():
    doc = parse_plan_text(
        "某县2026年度土地储备计划\n计划储备土地60.00公顷。\n二、储备结构\n住宅用地70.00公顷。", "x"
    )
    assert [code for code, _lines in _errors(doc)] == ["breakdown.sum_mismatch"]


@pytest.mark.parametrize(
    "header",
    [
        "序号\t地块编号\t位置\t面积\t\t用途\n\t\t\t公顷\t亩\t",  # Word/HTML: 面积 merged over 公顷 | 亩
        "序号\t地块编号\t位置\t面积\t用途\t公顷\t亩",  # the same header in one row (copied cells)
    ],
)
def test_two_row_headers_give_the_units_of_the_area_columns(header):
    text = f"某县2026年度土地储备计划\n计划储备土地2宗，面积5.00公顷。\n{header}\n1\tA-01\t东路\t2.00\t30.00\t住宅用地\n"
    text += "2\tA-02\t西路\t3.00\t48.00\t工业用地\n"
    doc = parse_plan_text(text, "x")
    assert [[f.unit for f in p.area.figures] for p in doc.parcels] == [["公顷", "亩"], ["公顷", "亩"]]
    assert [code for code, _lines in _errors(doc)] == ["units.mismatch"]  # 3.00公顷 is 45.00亩
    assert "table.unit_missing" not in [f.code for f in doc.problems]


def test_a_figure_table_with_its_units_in_a_second_header_row_is_read():
    text = (
        "某县2026年度国有建设用地供应计划\n计划供应国有建设用地50.00公顷。\n用途\t面积\t\t占比\n\t公顷\t亩\t%\n"
        "住宅用地\t20.00\t300.00\t40.00\n工业用地\t30.00\t{m}\t60.00\n合计\t50.00\t750.00\t100.00\n"
    )
    doc = parse_plan_text(text.format(m="450.00"), "x")
    assert [(i.name, [f.unit for f in i.area.figures], i.share.value) for i in doc.breakdowns[0].items] == [
        ("住宅用地", ["公顷", "亩"], "40.00"),
        ("工业用地", ["公顷", "亩"], "60.00"),
    ]
    assert _errors(doc) == []
    assert _errors(parse_plan_text(text.format(m="480.00"), "x")) == [("units.mismatch", (6,))]
