"""Numbers and units in plan text: what is a figure, what is a malformed number, what is neither."""

from __future__ import annotations

from decimal import Decimal

import pytest

from landreserve.domain.units import Quantity
from landreserve.importers import parse_plan_text

HEAD = "某县2026年土地储备计划\n"


def read(line: str):
    """Parse ``line`` as line 2 of a small plan."""
    return parse_plan_text(HEAD + line, "t.txt")


def figures(line: str):
    return [(f.value, f.unit, f.qualifier) for f in read(line).figures]


def number_problems(line: str):
    return [p for p in read(line).problems if p.code.startswith("number.")]


@pytest.mark.parametrize(
    ("line", "code", "raw"),
    [
        ("计划储备土地.32公顷。", "number.malformed", ".32公顷"),
        ("计划储备土地1..5亩。", "number.malformed", "1..5亩"),
        ("地块面积4.02.54公顷。", "number.malformed", "4.02.54公顷"),
        ("储备土地12,34公顷。", "number.malformed", "12,34公顷"),
        ("储备土地4O.5公顷。", "number.malformed", "4O.5公顷"),
        ("储备土地12.公顷。", "number.malformed", "12.公顷"),
        ("储备土地１２，３４公顷。", "number.malformed", "１２，３４公顷"),
        ("面积：公顷", "number.missing", "公顷"),
        ("资金总量：亿元。", "number.missing", "亿元"),
        ("住宅用地约公顷，占比%。", "number.missing", "公顷"),
        ("地块面积（公顷）：4.02.54", "number.malformed", "4.02.54"),
        ("地块面积（公顷）：", "number.missing", "面积（公顷）："),
    ],
)
def test_malformed_numbers_are_reported_never_read(line, code, raw):
    doc = read(line)
    problems = [p for p in doc.problems if p.code.startswith("number.")]
    assert problems, line
    first = problems[0]
    assert (first.code, first.values["raw"], first.lines) == (code, raw, (2,))
    assert first.severity.value == "error"
    assert "第2行" in first.message and raw in first.message
    assert doc.figures == []  # nothing guessed


def test_the_reason_is_named():
    assert "小数点前缺少整数部分" in number_problems("储备土地.32公顷。")[0].message
    assert "字母“O”" in number_problems("储备土地4O.5公顷。")[0].message
    assert "千分位" in number_problems("储备土地12,34公顷。")[0].message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("计划储备土地47.58公顷。", [("47.58", "公顷", None)]),
        ("计划储备土地592.80亩。", [("592.80", "亩", None)]),
        ("计划储备土地2.7330公顷。", [("2.7330", "公顷", None)]),
        ("计划储备土地１２．５０公顷。", [("12.50", "公顷", None)]),
        ("计划储备土地1,234.5亩。", [("1234.5", "亩", None)]),
        ("计划储备土地45000平方米。", [("45000", "㎡", None)]),
        ("计划储备土地45000㎡。", [("45000", "㎡", None)]),
        ("计划储备土地45000m2。", [("45000", "㎡", None)]),
        ("计划储备土地4.5万平方米。", [("4.5", "万平方米", None)]),
        ("计划储备土地0.45平方公里。", [("0.45", "平方公里", None)]),
        ("计划储备土地4.5 公顷。", [("4.5", "公顷", None)]),
        ("资金总量7500万元。", [("7500", "万元", None)]),
        ("资金总量75,000,000元。", [("75000000", "元", None)]),
        ("资金总量0.75亿元。", [("0.75", "亿元", None)]),
        ("计划储备土地约1200亩。", [("1200", "亩", "约")]),
        ("计划储备土地1200亩左右。", [("1200", "亩", "左右")]),
        ("计划储备土地1200余亩。", [("1200", "亩", "余")]),
        ("计划储备土地不超过30公顷。", [("30", "公顷", "不超过")]),
        ("计划储备土地30公顷以内。", [("30", "公顷", "以内")]),
        ("计划储备土地控制在30公顷。", [("30", "公顷", "控制在")]),
        ("计划储备土地30公顷以上。", [("30", "公顷", "以上")]),
        ("储备地块共13宗。", [("13", "宗", None)]),
        ("储备地块共十三宗。", [("13", "宗", None)]),
        ("储备地块二十宗。", [("20", "宗", None)]),
        ("储备3块地。", [("3", "块", None)]),
        ("储备5个地块。", [("5", "个", None)]),
        ("住宅用地占66.43%。", [("66.43", "%", None)]),
        ("计划储备土地1.2万亩。", [("1.2", "万亩", None)]),
        ("地块面积（公顷）：4.0254；", [("4.0254", "公顷", None)]),
        ("地块面积(亩):60.50", [("60.50", "亩", None)]),
        ("地块面积（公顷）：4.0254公顷；", [("4.0254", "公顷", None)]),
        ("住宅用地占66.43％。", [("66.43", "%", None)]),
    ],
)
def test_quantities(line, expected):
    assert figures(line) == expected
    assert number_problems(line) == []


@pytest.mark.parametrize(
    "line",
    [
        "根据《中华人民共和国土地管理法》（2019年修正）第五十八条。",
        "以“十四五”规划为引领，落实2026年度计划。",
        "巴政发〔2026〕12号",
        "发布时间：2026-02-18 09:30",
        "第3宗地位于人民路。",
        "面积单位：公顷",
        "以公顷为计量单位，保留两位小数。",
        "项目单元划分为三个片区，统一规划。",
        "3个片区、5个项目。",
        "同一宗地不得重复列入。",
    ],
)
def test_not_figures(line):
    doc = read(line)
    assert doc.figures == []
    assert [p for p in doc.problems if p.code.startswith("number.")] == []


def test_base_values():
    doc = read("计划储备土地47.58公顷（713.63亩），资金0.75亿元，占66.43%，共13宗。")
    base = {(f.value, f.unit): (f.quantity, f.base_value) for f in doc.figures}
    assert base[("47.58", "公顷")] == (Quantity.AREA, Decimal("475800"))
    assert base[("713.63", "亩")] == (Quantity.AREA, Decimal("475753.3333"))
    assert base[("0.75", "亿元")] == (Quantity.MONEY, Decimal("75000000"))
    assert base[("66.43", "%")] == (Quantity.SHARE, Decimal("66.43"))
    assert base[("13", "宗")] == (Quantity.COUNT, Decimal("13"))


def test_two_units_of_one_quantity_form_one_measure():
    doc = read("本年度计划储备土地约713亩（47.56公顷）。")
    (total,) = doc.totals
    assert [(f.value, f.unit, f.qualifier) for f in total.measure.figures] == [
        ("713", "亩", "约"),
        ("47.56", "公顷", None),
    ]


def test_a_malformed_number_leaves_the_rest_of_the_line_readable():
    doc = read("住宅用地15.80公顷，工业用地4O.5公顷，商服用地3.20公顷。")
    assert [(f.label, f.value) for f in doc.figures] == [("住宅用地", "15.80"), ("商服用地", "3.20")]
    assert [p.values["raw"] for p in doc.problems] == ["4O.5公顷"]


def test_ten_thousand_mu():
    (figure,) = read("计划储备土地1.2万亩。").figures
    assert figure.base_value == Decimal("8000000")  # 12000 亩 = 800 公顷


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("收购补偿标准为1.5万元/亩。", "收购补偿标准（每亩）"),
        ("住宅用地楼面地价3000元/平方米。", "住宅用地楼面地价（每平方米）"),
        ("每亩补偿3万元。", "每亩补偿"),
    ],
)
def test_rates_are_figures_but_no_totals(line, label):
    doc = read(line)
    assert [f.label for f in doc.figures] == [label]
    assert doc.totals == [] and doc.breakdowns == []


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("本年度计划储备土地47.58公\n顷（713.63亩）。", "47.58公顷"),
        ("本年度计划储备土地47.58\n公顷。", "47.58公顷"),
        ("资金总量0.75亿\n元。", "0.75亿元"),
    ],
)
def test_a_number_cut_by_a_line_break_is_reported(text, raw):
    doc = read(text)
    (problem,) = [p for p in doc.problems if p.code == "number.split_line"]
    assert problem.lines == (2, 3) and problem.values["raw"] == raw
    assert "47.58" not in [f.value for f in doc.figures]


def test_lines_that_merely_end_with_a_number_are_not_split_numbers():
    doc = read("序号\t地块编号\t面积（公顷）\n1\tA-2026-01\t1.50\n宗地编号以自然资源局公布为准。")
    assert [p.code for p in doc.problems] == []


@pytest.mark.parametrize(
    ("line", "raw"),
    [
        ("储备规模30-50公顷。", "30-50公顷"),
        ("单宗面积一般为3～5公顷。", "3～5公顷"),
        ("资金1至2亿元。", "1至2亿元"),
    ],
)
def test_a_range_is_reported_not_read_as_one_figure(line, raw):
    doc = read(line)
    assert doc.figures == []
    (problem,) = doc.problems
    assert (problem.code, problem.severity.value, problem.values["raw"], problem.lines) == (
        "number.range",
        "warning",
        raw,
        (2,),
    )


def test_codes_and_year_ranges_are_no_number_ranges():
    assert [f.value for f in read("2026-2028年计划储备100公顷。").figures] == ["100"]
    assert [f.value for f in read("1 A-2026-01 1.50公顷").figures] == ["1.50"]
