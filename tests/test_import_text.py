"""Plan text reading: noise, metadata, headings, parcel rows in every form, partial lists, robustness."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.completeness import completeness
from landreserve.domain.plans import Completeness, Dimension, PlanKind, TotalKind
from landreserve.importers import parse_plan_text
from landreserve.importers.normalise import normalise_code
from plan_samples import SAMPLES

WEB_PAGE = """\
首页 > 政务公开 > 规划计划
当前位置：首页 > 信息公开
关于印发《喀什市2026年度国有建设用地储备计划》的通知
喀市政发[2026]7号
各乡镇人民政府，各有关单位：
[image: 图片1]
图片
&nbsp;&nbsp;现将《喀什市2026年度国有建设用地储备计划》印发给你们，请认真贯彻执行。
(一)储备规模
计划储备土地30.00公顷<br>，主要包括住宅用地12.00公顷、商服用地8.00公顷等。
(二)储备地块
1、BC-CB2026001地块，位于人民路北侧，面积3.00公顷（结转）；
2、人民路以东地块，面积约3.2公顷；
[bookmark: _GoBack]
【字体：大 中 小】 打印本页 关闭窗口
分享到：
来源：喀什市自然资源局
"""


def read(text: str):
    return parse_plan_text(text, "t.txt")


# -- noise and metadata -------------------------------------------------------------------------
def test_web_page_noise_is_ignored_and_line_numbers_kept():
    doc = read(WEB_PAGE)
    assert doc.line_count == 17
    assert [(f.line, f.label, f.value) for f in doc.figures] == [
        (10, "年度储备规模", "30.00"),
        (10, "住宅用地", "12.00"),
        (10, "商服用地", "8.00"),
        (12, "BC-CB2026001", "3.00"),
        (13, "人民路以东地块", "3.2"),
    ]
    assert doc.problems == []  # the page footer is not a truncated sentence
    assert [s.title for s in doc.sections] == ["储备规模", "储备地块"]


def test_noise_does_not_change_the_content_hash():
    clean = "\n".join(
        line for i, line in enumerate(WEB_PAGE.splitlines()) if i not in (0, 1, 5, 6, 13, 14, 15)
    )
    assert read(clean).content_sha256 == read(WEB_PAGE).content_sha256
    assert read(WEB_PAGE.replace("30.00", "31.00")).content_sha256 != read(WEB_PAGE).content_sha256


def test_web_page_metadata():
    doc = read(WEB_PAGE)
    assert doc.title == "关于印发《喀什市2026年度国有建设用地储备计划》的通知"
    assert (doc.jurisdiction, doc.year, doc.kind, doc.doc_number) == (
        "喀什市",
        2026,
        PlanKind.ANNUAL_RESERVE,
        "喀市政发[2026]7号",
    )


@pytest.mark.parametrize(
    ("title", "jurisdiction", "year", "kind"),
    [
        ("巴楚县2026年土地储备计划", "巴楚县", 2026, PlanKind.ANNUAL_RESERVE),
        ("东湖市城南区2026年度土地储备计划", "东湖市城南区", 2026, PlanKind.ANNUAL_RESERVE),
        ("新疆维吾尔自治区喀什地区巴楚县2026年土地储备计划", "巴楚县", 2026, PlanKind.ANNUAL_RESERVE),
        ("临江市土地储备三年滚动计划（2026-2028年）", "临江市", 2026, PlanKind.ROLLING_THREE_YEAR),
        ("月湖区2026年国有建设用地供应计划", "月湖区", 2026, PlanKind.SUPPLY),
        ("石门县人民政府关于2026年土地出让收支情况的报告", "石门县", 2026, PlanKind.OTHER),
    ],
)
def test_metadata_from_the_title(title, jurisdiction, year, kind):
    doc = read(f"{title}\n计划储备土地1.00公顷。")
    assert (doc.title, doc.jurisdiction, doc.year, doc.kind) == (title, jurisdiction, year, kind)


@pytest.mark.parametrize(
    "number", ["巴政发〔2026〕12号", "巴政发[2026]12号", "巴政发（2026）12号", "巴政发(2026)12号"]
)
def test_document_numbers(number):
    assert read(f"巴楚县2026年土地储备计划\n{number}\n计划储备土地1.00公顷。").doc_number == number


# -- headings -----------------------------------------------------------------------------------
HEADINGS = """\
某县2026年土地储备计划
第一章 总则
一、年度储备规模
(一)储备总量
1.规模
（1）住宅
①一号区
（二）储备结构
2、空间布局
(2)地块明细
"""


def test_heading_styles_and_levels():
    got = [(s.number, s.level, s.title, s.line) for s in read(HEADINGS).sections]
    assert got == [
        ("第一章", 1, "总则", 2),
        ("一、", 2, "年度储备规模", 3),
        ("(一)", 3, "储备总量", 4),
        ("1.", 4, "规模", 5),
        ("（1）", 5, "住宅", 6),
        ("①", 6, "一号区", 7),
        ("（二）", 3, "储备结构", 8),
        ("2、", 4, "空间布局", 9),
        ("(2)", 5, "地块明细", 10),
    ]


def test_template_keys():
    keys = {s.title: s.template_key for s in read(HEADINGS).sections}
    assert keys["年度储备规模"] == "scale" and keys["储备结构"] == "structure"
    assert keys["空间布局"] == "layout" and keys["地块明细"] == "parcels"


def test_numbered_lines_with_figures_are_list_items_not_headings():
    doc = read(
        "某县2026年土地储备计划\n（三）空间布局\n1.城关镇（12.00公顷）：老城更新。\n2.产业园区（8.00公顷）。\n"
    )
    assert [s.title for s in doc.sections] == ["空间布局"]
    (zone,) = doc.breakdowns
    assert zone.dimension is Dimension.ZONE and [i.name for i in zone.items] == ["城关镇", "产业园区"]


def test_mixed_heading_styles_of_bachu_keep_one_level():
    text = "某县2026年土地储备计划\n四、计划指标\n（一）年度储备规模\n（2） 年度土地储备结构\n（3） 储备地块空间布局\n"
    assert [(s.number, s.level) for s in read(text).sections] == [
        ("四、", 1),
        ("（一）", 2),
        ("（2）", 2),
        ("（3）", 2),
    ]


# -- parcels ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "BC－CB2026001",
        "BC-CB2026001",
        "BC—CB2026001",
        "BC–CB2026001",
        "BC‐CB2026001",
        "BC - CB2026001",
        "bc-cb2026001",
    ],
)
def test_parcel_codes_are_normalised(written):
    assert normalise_code(written) == "BC-CB2026001"
    doc = read(f"某县2026年土地储备计划\n1.地块编号：{written}，土地坐落：人民路北侧，面积：1.00公顷；")
    assert [p.code for p in doc.parcels] == ["BC-CB2026001"]


def test_carried_over_by_code_year_or_by_words():
    text = """某县2026年土地储备计划
1.地块编号：BC2025CB011，土地坐落：甲路北侧，面积：1.00公顷；
2.地块编号：BC-CB2026002，土地坐落：乙路北侧，面积：2.00公顷（上年度结转）；
3.地块编号：BC-CB2026003，土地坐落：丙路北侧，面积：3.00公顷；
4.地块编号：BC-CB2024003，土地坐落：丁路北侧，面积：4.00公顷，续储；
"""
    assert [(p.code, p.carried_over) for p in read(text).parcels] == [
        ("BC2025CB011", True),
        ("BC-CB2026002", True),
        ("BC-CB2026003", False),
        ("BC-CB2024003", True),
    ]


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (
            "序号\t地块编号\t土地坐落\t面积（公顷）\t用途",
            ["1\tA-2026-01\t人民路北侧\t1.50\t住宅用地", "2\tA-2026-02\t人民路南侧\t2.25\t商服用地"],
        ),
        (
            "序号  地块编号  土地坐落  面积(公顷)  用途",
            ["1  A-2026-01  人民路北侧  1.50  住宅用地", "2  A-2026-02  人民路南侧  2.25  商服用地"],
        ),
        (
            "序号 地块编号 土地坐落 面积(公顷) 用途",
            ["1 A-2026-01 人民路北侧 1.50 住宅用地", "2 A-2026-02 人民路南侧 2.25 商服用地"],
        ),
        (
            "序号,地块编号,土地坐落,面积(公顷),用途",
            ["1,A-2026-01,人民路北侧,1.50,住宅用地", "2,A-2026-02,人民路南侧,2.25,商服用地"],
        ),
        (
            "| 序号 | 地块编号 | 土地坐落 | 面积（公顷） | 用途 |",
            [
                "| 1 | A-2026-01 | 人民路北侧 | 1.50 | 住宅用地 |",
                "| 2 | A-2026-02 | 人民路南侧 | 2.25 | 商服用地 |",
            ],
        ),
    ],
)
def test_parcel_tables_in_text(header, rows):
    doc = read("\n".join(["某县2026年土地储备计划", "计划储备土地3.75公顷。", header, *rows]))
    got = [
        (p.serial, p.code, p.location, p.area.primary.value, p.area.primary.unit, p.use, p.line)
        for p in doc.parcels
    ]
    assert got == [
        (1, "A-2026-01", "人民路北侧", "1.50", "公顷", "住宅用地", 4),
        (2, "A-2026-02", "人民路南侧", "2.25", "公顷", "商服用地", 5),
    ]
    assert doc.parcels_total is doc.total(TotalKind.RESERVE)


def test_table_with_areas_in_hectares_and_mu():
    text = "某县2026年土地储备计划\n序号\t地块编号\t土地坐落\t面积（公顷）\t面积（亩）\n1\tQ-2026-01\t甲路\t1.0000\t15.00\n"
    (parcel,) = read(text).parcels
    assert [(f.value, f.unit, f.label) for f in parcel.area.figures] == [
        ("1.0000", "公顷", "Q-2026-01"),
        ("15.00", "亩", "Q-2026-01"),
    ]


def test_docx_rows_with_merged_cells_keep_their_columns(tmp_path):
    import io

    import docx

    from landreserve.importers import read_plan_bytes

    document = docx.Document()
    document.add_paragraph("某县2026年土地储备计划")
    table = document.add_table(rows=3, cols=5)
    rows = [
        ("序号", "地块编号", "土地坐落", "面积（公顷）", "用途"),
        ("1", "A-2026-01", "甲路", "1.50", "住宅用地"),
        ("2", "A-2026-02", "乙路", "2.00", ""),
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2))  # 编号 and 坐落 merged in the second row
    table.cell(2, 1).text = "A-2026-02"
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_plan_bytes(buffer.getvalue(), "merged.docx")
    assert [(p.code, p.area.primary.value) for p in doc.parcels] == [
        ("A-2026-01", "1.50"),
        ("A-2026-02", "2.00"),
    ]


def test_table_with_area_in_mu_and_a_location_with_spaces():
    text = "某县2026年土地储备计划\n序号 地块编号 土地坐落 面积（亩）\n1 Q-2026-01 城关镇 人民路 北侧 15.00\n"
    (parcel,) = read(text).parcels
    assert (parcel.location, parcel.area.primary.value, parcel.area.primary.unit) == (
        "城关镇 人民路 北侧",
        "15.00",
        "亩",
    )


def test_several_coded_parcels_on_one_line():
    doc = read(
        "某县2026年土地储备计划\n储备地块：BC-CB2026001地块，位于人民路北侧，面积2.50公顷；"
        "BC-CB2026002地块，位于人民路南侧，面积3.10公顷（合46.50亩）。"
    )
    got = [(p.code, p.location, [(f.value, f.unit) for f in p.area.figures]) for p in doc.parcels]
    assert got == [
        ("BC-CB2026001", "人民路北侧", [("2.50", "公顷")]),
        ("BC-CB2026002", "人民路南侧", [("3.10", "公顷"), ("46.50", "亩")]),
    ]


def test_a_parcel_written_one_field_per_line():
    text = """某县2026年土地储备计划
（四）储备地块明细
1.地块编号：BC－CB2026001
土地坐落：巴楚县工业园区体育路北侧
土地用途：工业用地
面积：4.0254公顷
2.地块名称：人民路东侧地块；土地面积：1.2345公顷；土地用途：商业
"""
    doc = read(text)
    got = [
        (p.code, p.line, p.location, p.use, p.serial, p.area.primary.value, p.area.line) for p in doc.parcels
    ]
    assert got == [
        ("BC-CB2026001", 3, "巴楚县工业园区体育路北侧", "工业用地", 1, "4.0254", 6),
        ("人民路东侧地块", 7, "人民路东侧地块", "商业", 2, "1.2345", 7),
    ]


def test_location_may_come_before_the_code():
    (parcel,) = read(
        "某县2026年土地储备计划\n土地坐落：甲路北侧，地块编号：A-2026-01，面积：1.00公顷"
    ).parcels
    assert (parcel.code, parcel.location) == ("A-2026-01", "甲路北侧")


def test_table_unit_from_a_unit_line_or_reported_missing():
    rows = "序号\t地块编号\t土地坐落\t面积\n1\tQ-2026-01\t甲路\t1.50\n"
    doc = read("某县2026年土地储备计划\n储备地块明细表（单位：公顷）\n" + rows)
    assert [(p.code, p.area.primary.value, p.area.primary.unit) for p in doc.parcels] == [
        ("Q-2026-01", "1.50", "公顷")
    ]
    doc = read("某县2026年土地储备计划\n" + rows)
    assert [(p.code, p.area) for p in doc.parcels] == [("Q-2026-01", None)]  # listed, its area unread
    assert [(p.code, p.lines) for p in doc.problems] == [("table.unit_missing", (2,))]


def test_codes_after_a_key_may_hold_chinese_and_standards_are_not_codes():
    doc = read("某县2026年土地储备计划\n1.地块编号：巴储2026-01号，坐落：甲路，面积：3.00公顷；")
    assert [p.code for p in doc.parcels] == ["巴储2026-01号"]
    doc = read("某县2026年土地储备计划\n按照GB/T 21010-2017分类，住宅用地31.61公顷。")
    assert doc.parcels == [] and [f.label for f in doc.figures] == ["住宅用地"]


def test_malformed_area_in_a_table_is_a_problem():
    text = "某县2026年土地储备计划\n序号\t地块编号\t土地坐落\t面积（公顷）\n1\tQ-2026-01\t甲路\t1.5.0\n2\tQ-2026-02\t乙路\t2.00\n"
    doc = read(text)
    assert [(p.code, p.area_m2) for p in doc.parcels] == [
        ("Q-2026-01", None),
        ("Q-2026-02", Decimal("20000")),
    ]
    assert [(p.code, p.lines, p.values["raw"]) for p in doc.problems] == [("number.malformed", (3,), "1.5.0")]


YEAR_TABLE = """\
临江市2026—2028年土地储备三年滚动计划
一、储备规模
三年计划储备土地300.00公顷。
表1 分年度储备计划
年度\t储备规模（公顷）\t其中存量（公顷）\t占比（%）\t地块数（宗）
2026年\t95.50\t60.00\t31.83\t12
2027年\t102.30\t70.10\t34.10\t15
2028年\t102.20\t5O.00\t34.07\t14
合计\t300.00\t180.10\t100.00\t41
二、资金
项目  金额（亿元）
收购补偿  30.00
前期开发  15.00
合计  45.00
"""


def test_tables_of_figures():
    doc = read(YEAR_TABLE)
    by_year = [b for b in doc.all_breakdowns() if b.dimension is Dimension.YEAR][0]
    got = [(i.name, i.area.primary.value, i.share.value, i.count.value, i.line) for i in by_year.items]
    assert got == [
        ("2026年", "95.50", "31.83", "12", 6),
        ("2027年", "102.30", "34.10", "15", 7),
        ("2028年", "102.20", "34.07", "14", 8),
    ]
    # the table's 合计 row is the years' stated sum (proving them complete); the years split the scale
    assert by_year.stated_sum.measure.primary.value == "300.00" and by_year.stated_sum.count.value == "41"
    assert (
        by_year.total.measure.primary.value == "300.00" and completeness(by_year)[0] is Completeness.COMPLETE
    )
    assert ("2026年其中存量", "60.00", 6) in [(f.label, f.value, f.line) for f in doc.figures]
    assert [(p.code, p.lines, p.values["raw"]) for p in doc.problems] == [("number.malformed", (8,), "5O.00")]
    funds = [b for b in doc.all_breakdowns() if b.dimension is Dimension.FUNDS_USE][0]
    assert [(i.name, i.money.primary.value) for i in funds.items] == [
        ("收购补偿", "30.00"),
        ("前期开发", "15.00"),
    ]
    assert funds.total is doc.total(TotalKind.FUNDS) and funds.total.measure.primary.value == "45.00"


# -- partial lists ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "exhaustive"),
    [
        ("计划储备土地30.00公顷，住宅用地12.00公顷，商服用地18.00公顷。", True),
        ("计划储备土地30.00公顷，其中住宅用地12.00公顷，商服用地8.00公顷。", True),  # 其中: no cue of a part
        ("计划储备土地30.00公顷，主要为住宅用地12.00公顷，商服用地8.00公顷。", False),
        ("计划储备土地30.00公顷，包括住宅用地12.00公顷、商服用地8.00公顷等。", False),  # …等
        ("计划储备土地30.00公顷，住宅用地12.00公顷、商服用地8.00公顷等。", False),
    ],
)
def test_partial_lists_are_not_exhaustive(sentence, exhaustive):
    (use,) = read(f"某县2026年土地储备计划\n{sentence}").breakdowns
    assert use.dimension is Dimension.USE and use.exhaustive is exhaustive
    # nothing in these sentences proves the list complete (no 合计, no shares)
    assert completeness(use)[0] is (Completeness.UNKNOWN if exhaustive else Completeness.PARTIAL)
    assert use.total is not None and use.total.kind is TotalKind.RESERVE


def test_a_stated_sum_after_the_items_is_their_total():
    doc = read(
        "某县2026年土地储备计划\n（二）储备结构\n住宅用地20.00公顷、商服用地10.00公顷，合计30.00公顷。"
    )
    (use,) = doc.breakdowns
    assert [i.name for i in use.items] == ["住宅用地", "商服用地"]
    assert use.total.label == "储备结构合计" and use.total.measure.primary.value == "30.00"
    assert use.total.kind is TotalKind.RESERVE and use.total in doc.totals


def test_the_sum_row_of_a_parcel_table_is_the_lists_own_total():
    text = "某县2026年土地储备计划\n计划储备土地3.75公顷。\n序号\t地块编号\t土地坐落\t面积（公顷）\n1\tA-01-2026\t甲路\t1.50\n合计\t\t\t3.70\n"
    doc = read(text)
    assert doc.parcels_total is doc.total(TotalKind.RESERVE)
    assert doc.parcels_list_total.measure.primary.value == "3.70" and doc.parcels_list_total.measure.line == 5
    without_scale = read(text.replace("计划储备土地3.75公顷。\n", ""))
    assert without_scale.parcels_total is without_scale.parcels_list_total


# -- robustness ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "公顷",
        "亩亩亩%%%元",
        "1.",
        "（一）",
        "①",
        "第一章",
        "面积：",
        "序号\t地块编号\t面积（公顷）\n\t\t\n合计",
        "计划储备土地" + "1" * 5000 + "公顷",
        "计划储备土地47.58公顷（" * 2000,
        "\x00\x01\x02 计划储备土地1公顷",
    ],
)
def test_odd_texts_never_crash(text):
    doc = read(text)
    assert not [p for p in doc.problems if p.code == "text.unreadable_line"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_cut_of_a_sample_reads_without_crashing(name):
    text = SAMPLES[name]
    for cut in range(0, len(text), 7):
        doc = read(text[:cut])
        assert not [p for p in doc.problems if p.code == "text.unreadable_line"], (name, cut)


def test_every_cut_of_bachu_reads_without_crashing(bachu_plan_path):
    text = bachu_plan_path.read_text(encoding="utf-8")
    for cut in range(0, len(text), 23):
        doc = read(text[:cut])
        assert not [p for p in doc.problems if p.code == "text.unreadable_line"], cut


PLAN_ALPHABET = (
    list("0123456789０１２３.．,，:：;；()（）%％、。 \t\n-－")
    + list(
        "公顷亩平方米万元亿宗块个约以内上左右其中住宅用地商服工业储备规模存量新增结转供应资金总量地块编号面积坐落序号合计第一二三十章"
    )
    + [
        "BC-CB2026001",
        "巴楚镇",
        "47.58公顷",
        "（713.63亩）",
        "2026年",
        "[bookmark: _GoBack]",
        "&nbsp;",
        "面积（公顷）",
        "储备规模（公顷）",
        "占比（%）",
        "地块编号",
        "序号",
        "合计",
        "\t",
        "  ",
        "(一)",
        "1.",
        "①",
        "第一章",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PLAN_ALPHABET), max_size=120).map("".join))
def test_random_plan_like_text_never_crashes(text):
    doc = read(text)
    assert not [p for p in doc.problems if p.code == "text.unreadable_line"]
    for figure in doc.figures:  # every figure is a well-formed number
        assert figure.value.replace(".", "", 1).isdigit() and figure.value.isascii()


@pytest.mark.parametrize(
    "sentence",
    [
        "计划储备土地13宗，面积47.58公顷。",
        "计划储备13宗地47.58公顷。",
        "储备地块共13宗。\n总面积47.58公顷。",
        "计划储备土地47.58公顷，共十三宗。",
    ],
)
def test_parcel_counts_belong_to_the_total(sentence):
    doc = read(f"某县2026年土地储备计划\n{sentence}")
    (total,) = doc.totals
    assert (total.kind, total.measure.primary.value, total.count.value) == (TotalKind.RESERVE, "47.58", "13")


def test_parcel_counts_of_items():
    doc = read("某县2026年土地储备计划\n其中住宅用地3宗，面积10.00公顷；商服用地10宗，面积37.58公顷。")
    (use,) = doc.breakdowns
    assert [(i.name, i.count.value, i.area.primary.value) for i in use.items] == [
        ("住宅用地", "3", "10.00"),
        ("商服用地", "10", "37.58"),
    ]


# -- cases met in published documents (see also tests/test_corpus.py) ---------------------------------
def test_ascii_full_stops_end_headings_and_sentences():
    doc = read(
        "某县2026年土地储备计划\n(一)供应总量.计划供应国有建设用地83.33公顷.\n(二)供应结构.商服用地12.35公顷,住宅用地28.77公顷.\n"
    )
    assert [s.title for s in doc.sections] == ["供应总量", "供应结构"]
    assert [(f.label, f.value) for f in doc.figures] == [
        ("供应规模", "83.33"),
        ("商服用地", "12.35"),
        ("住宅用地", "28.77"),
    ]


def test_a_digit_group_cut_by_a_space_is_malformed():
    doc = read("某县2026年土地储备计划\n住宅用地8.05公顷，工业用地1 2.10公顷。")
    assert [f.value for f in doc.figures] == ["8.05"]
    assert [p.values["raw"] for p in doc.problems] == ["1 2.10公顷"]


def test_digits_grouped_in_threes_by_spaces_are_a_warning_not_an_error():
    # 1 000 may be one number (grouped in threes) or two: nothing is read, and nothing proves an error
    doc = read("某县2026年土地储备计划\n计划储备土地1300亩，其中城区1 000亩，园区300亩。")
    assert [f.value for f in doc.figures] == ["1300", "300"]
    assert [(p.code, p.severity.value, p.values["raw"]) for p in doc.problems] == [
        ("number.spaced", "warning", "1 000亩")
    ]


def test_a_coded_line_with_an_unreadable_area_is_still_a_parcel():
    doc = read("某县2026年土地储备计划\n1.地块编号：HM2026-01，土地坐落：鹤鸣路北侧，面积：6..25公顷；")
    assert [(p.code, p.location, p.area) for p in doc.parcels] == [("HM2026-01", "鹤鸣路北侧", None)]
    assert [p.code for p in doc.problems] == ["number.malformed"]


def test_a_space_inside_a_keyed_code():
    (parcel,) = read(
        "某县2026年土地储备计划\n5.地块编号：yx 2026-02，土地坐落：兴华路南侧，面积：2.8914公顷。"
    ).parcels
    assert (parcel.code, parcel.code_as_written) == ("YX2026-02", "yx 2026-02")


def test_space_aligned_rows_missing_a_merged_cell_keep_their_columns():
    text = """某县2026年土地储备计划
序号    片区        地块编号      位置                        面积（公顷）  用途
1    城北片区    CB-2026-01    北环路南侧、青年路东侧    4.23    住宅用地
2                CB-2026-02    北环路南侧、青年路西侧    3.12    住宅用地
合计                                                            7.35
"""
    doc = read(text)
    assert [(p.code, p.location, p.area.primary.value, p.use) for p in doc.parcels] == [
        ("CB-2026-01", "北环路南侧、青年路东侧", "4.23", "住宅用地"),
        ("CB-2026-02", "北环路南侧、青年路西侧", "3.12", "住宅用地"),
    ]
    assert doc.parcels_list_total.measure.primary.value == "7.35" and doc.problems == []


def test_a_row_cut_before_its_area_is_no_parcel_but_a_truncation():
    text = "某县2026年土地储备计划\n序号\t地块编号\t土地坐落\t面积（公顷）\n1\tHA2026-01\t人民路北侧\t5.23\n2\tHA2026-02\t槐安县西环路西侧的"
    doc = read(text)
    assert [p.code for p in doc.parcels] == ["HA2026-01"]
    assert [p.code for p in doc.problems] == ["text.truncated"]


def test_the_sum_row_reads_every_area_column():
    text = "某县2026年土地储备计划\n序号\t地块编号\t土地坐落\t面积（公顷）\t面积（亩）\n1\tLZ-2026-01\t甲路\t5.1234\t76.85\n合计\t\t\t5.1234\t76.85\n"
    total = read(text).parcels_list_total
    assert [(f.value, f.unit) for f in total.measure.figures] == [("5.1234", "公顷"), ("76.85", "亩")]


def test_figure_table_rows_are_named_by_their_name_column_not_the_serial():
    text = """某县2026年度国有建设用地供应计划
计划供应国有建设用地58.03公顷。
序号  用地类型                      面积（公顷）  比例（%）
1    商服用地                  15.68        27.02
2    住宅用地                  42.35        72.98
      合计                          58.03       100.00
其中，住宅用地中保障性住房用地8.65公顷，商品住房用地33.69公顷。
"""
    doc = read(text)
    use, housing = doc.all_breakdowns()
    assert [(i.name, i.area.primary.value, i.share.value) for i in use.items] == [
        ("商服用地", "15.68", "27.02"),
        ("住宅用地", "42.35", "72.98"),
    ]
    assert use.total.measure.primary.value == "58.03"
    assert [i.name for i in housing.items] == ["保障性住房用地", "商品住房用地"]
    assert housing.total.label == "住宅用地" and housing.total.measure is use.items[1].area


def test_parts_of_each_year_belong_to_that_year():
    text = """某县2026—2028年土地储备三年滚动计划
全县计划储备土地88.78公顷。
（一）2026年计划储备土地45.57公顷，其中住宅用地18.35公顷、工业用地27.22公顷。
（二）2027年计划储备土地43.21公顷，其中住宅用地20.12公顷、工业用地23.09公顷。
"""
    doc = read(text)
    years = [b for b in doc.all_breakdowns() if b.dimension is Dimension.YEAR]
    assert len(years) == 1 and [i.name for i in years[0].items] == ["2026年", "2027年"]
    parts = [b for b in doc.all_breakdowns() if b.dimension is Dimension.USE]
    assert [(b.total.label, b.total.year, b.total.measure.primary.value) for b in parts] == [
        ("2026年", 2026, "45.57"),
        ("2027年", 2027, "43.21"),
    ]


def test_a_split_after_the_parts_of_a_total_goes_to_the_whole():
    doc = read(
        "某县2026年土地储备计划\n计划储备土地1356.8亩，其中存量建设用地1021.5亩，新增建设用地335.3亩；按用途分，住宅用地612.4亩，工业用地744.4亩。"
    )
    use = [b for b in doc.all_breakdowns() if b.dimension is Dimension.USE][0]
    assert use.total is doc.total(TotalKind.RESERVE)


def test_what_was_done_is_no_planned_total():
    text = "关于南湖区2025年度土地储备计划执行情况的报告\n计划储备土地面积156.80公顷。\n全区实际完成土地收储15宗，面积98.35公顷。其中：收回国有土地31.20公顷，收购土地67.15公顷。\n"
    doc = read(text)
    assert doc.kind is PlanKind.OTHER
    done = [t for t in doc.totals if t.kind is TotalKind.OTHER][0]
    assert (done.label, done.measure.primary.value, done.count.value) == ("实际完成土地收储", "98.35", "15")
    (source,) = [b for b in doc.all_breakdowns() if b.dimension is Dimension.SOURCE]
    assert source.total is done


def test_jurisdiction_from_a_cited_plan_title_in_news():
    doc = read(
        "澧源县召开县政府第46次常务会议\n会议审议通过了《澧源县2026年度土地储备计划》，计划储备土地1356.8亩。"
    )
    assert doc.jurisdiction == "澧源县"


def test_words_before_a_percent_name_it():
    doc = read(
        "某市2026年土地储备计划\n计划储备土地约85公顷，其中住宅用地占52%，商服用地占48%；资金需求38.6亿元，较上年增长12.5%。"
    )
    assert [(f.label, f.value) for f in doc.figures if f.unit == "%"] == [
        ("住宅用地占比", "52"),
        ("商服用地占比", "48"),
        ("较上年增长", "12.5"),
    ]


def test_a_sum_stated_after_the_parcel_list_is_the_lists_own():
    doc = read(
        "某县2026年土地储备计划\n计划储备土地5.00公顷。\n1.地块编号：A-2026-01，面积：2.00公顷；\n2.地块编号：A-2026-02，面积：3.10公顷。\n地块面积合计5.10公顷。\n"
    )
    assert doc.parcels_list_total.measure.primary.value == "5.10" and doc.parcels_list_total.measure.line == 5
    assert doc.parcels_total is doc.total(TotalKind.RESERVE)


def test_a_full_stop_between_digits_is_a_warning_not_a_figure():
    # ``12。5公顷`` may be 12.5 公顷 with a mistyped point, or a sentence ending in 12 and one starting with 5 公顷:
    # no figure is read (5 公顷 would be a silent misreading), and nothing proves an error
    doc = read("某县2026年土地储备计划\n计划储备土地30公顷，其中住宅用地面积12。5公顷，工业用地17.5公顷。")
    assert [f.value for f in doc.figures] == ["30", "17.5"]
    assert [(p.code, p.severity.value, p.values["raw"]) for p in doc.problems] == [
        ("number.stop_point", "warning", "12。5公顷")
    ]
    assert "12.5公顷" in doc.problems[0].message


def test_a_full_stop_after_a_sentence_ending_in_a_word_is_no_problem():
    doc = read("某县2026年土地储备计划\n计划储备土地30公顷。5宗地块为住宅用地。")
    assert [f.value for f in doc.figures] == ["30", "5"]
    assert not doc.problems
