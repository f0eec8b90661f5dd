"""The Bachu 2026 plan read from its published text: every figure with its line, structure, parcels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from landreserve.domain.plans import Dimension, PlanKind, TotalKind
from landreserve.domain.units import Quantity
from landreserve.importers import read_plan

#: (line, label, value, unit) of every figure of the plan, in order
BACHU_FIGURES = [
    (16, "年度储备规模", "47.58", "公顷"),
    (16, "年度储备规模", "713.63", "亩"),
    (16, "存量土地", "39.52", "公顷"),
    (16, "存量土地", "592.80", "亩"),
    (18, "工矿仓储及物流用地", "8.05", "公顷"),
    (18, "工矿仓储及物流用地占比", "16.92", "%"),
    (18, "商服用地", "7.92", "公顷"),
    (18, "商服用地占比", "16.65", "%"),
    (18, "住宅用地", "31.61", "公顷"),
    (18, "住宅用地占比", "66.43", "%"),
    (20, "巴楚镇", "39.52", "公顷"),
    (21, "工业园区", "8.05", "公顷"),
    (23, "BC-CB2026001", "4.0254", "公顷"),
    (24, "BC-CB2026002", "1.0685", "公顷"),
    (25, "BC-CB2026003", "2.2085", "公顷"),
    (26, "BC-CB2026004", "2.7330", "公顷"),
    (27, "BC-CB2026005", "1.2548", "公顷"),
    (28, "BC-CB2026006", "9.1896", "公顷"),
    (29, "BC-CB2026007", "9.8530", "公顷"),
    (30, "BC-CB2026008", "7.0454", "公顷"),
    (31, "BC-CB2026009", "2.6466", "公顷"),
    (32, "BC-CB2026010", "0.5414", "公顷"),
    (33, "BC-CB2026011", "0.3369", "公顷"),
    (34, "BC2025CB011", "2.6466", "公顷"),
    (35, "BC2025CB001", "4.0254", "公顷"),
    (37, "资金总量", "0.75", "亿元"),
]

#: (serial, code, location, hectares, carried over) of the parcel list, lines 23-35
BACHU_PARCELS = [
    (1, "BC-CB2026001", "巴楚县工业园区体育路北侧、锦业路东侧", "4.0254", False),
    (2, "BC-CB2026002", "巴楚县迎宾南路东侧、文化路北侧", "1.0685", False),
    (3, "BC-CB2026003", "巴楚县友谊南路东侧、城南路北侧", "2.2085", False),
    (4, "BC-CB2026004", "巴楚县友谊南路东侧、城南路北侧", "2.7330", False),
    (5, "BC-CB2026005", "巴楚县友谊北路东侧、城北路北侧", "1.2548", False),
    (6, "BC-CB2026006", "巴楚县教育大道南侧、友谊路东侧", "9.1896", False),
    (7, "BC-CB2026007", "巴楚县胜利路西侧、教育大道南侧", "9.8530", False),
    (8, "BC-CB2026008", "巴楚县教育大道北侧、胜利路西侧", "7.0454", False),
    (9, "BC-CB2026009", "巴楚县迎宾南路西侧、幸福路南侧", "2.6466", False),
    (10, "BC-CB2026010", "巴楚县人民东路南侧、玉泉路西侧", "0.5414", False),
    (11, "BC-CB2026011", "巴楚县人民东路南侧、玉泉路西侧", "0.3369", False),
    (12, "BC2025CB011", "巴楚县迎宾南路西侧、幸福路南侧", "2.6466", True),
    (13, "BC2025CB001", "巴楚县工业园区体育路北侧、锦业路东侧", "4.0254", True),
]


@pytest.fixture(scope="module")
def bachu(bachu_plan_path):
    return read_plan(bachu_plan_path)


def _values(measure):
    return [(f.value, f.unit) for f in measure.figures]


def test_metadata(bachu):
    assert bachu.title == "巴楚县2026年土地储备计划"
    assert bachu.jurisdiction == "巴楚县"
    assert bachu.year == 2026
    assert bachu.kind is PlanKind.ANNUAL_RESERVE
    assert bachu.doc_number is None
    assert bachu.line_count == 48  # the last line holds only spaces
    assert bachu.problems == []


def test_every_figure_with_its_line(bachu):
    assert [(f.line, f.label, f.value, f.unit) for f in bachu.figures] == BACHU_FIGURES


def test_figures_carry_quantity_base_value_and_sentence(bachu):
    by_value = {(f.value, f.unit): f for f in bachu.figures}
    total = by_value[("47.58", "公顷")]
    assert total.quantity is Quantity.AREA
    assert total.base_value == Decimal("475800")
    assert total.text.startswith("本年度计划储备土地47.58公顷（713.63亩）")
    assert total.qualifier is None
    assert by_value[("0.75", "亿元")].base_value == Decimal("75000000")
    assert by_value[("0.75", "亿元")].quantity is Quantity.MONEY
    share = by_value[("66.43", "%")]
    assert share.quantity is Quantity.SHARE and share.base_value == Decimal("66.43")
    assert share.text == "住宅用地31.61公顷，占计划储备土地面积的66.43%"
    assert by_value[("2.7330", "公顷")].base_value == Decimal("27330")


def test_no_year_date_law_or_section_number_is_a_figure(bachu):
    lines_with_figures = {f.line for f in bachu.figures}
    assert lines_with_figures == {16, 18, 20, 21, 37} | set(range(23, 36))


def test_totals(bachu):
    reserve = bachu.total(TotalKind.RESERVE)
    assert _values(reserve.measure) == [("47.58", "公顷"), ("713.63", "亩")]
    assert reserve.measure.line == 16 and reserve.label == "年度储备规模"
    stock = bachu.total(TotalKind.STOCK)
    assert _values(stock.measure) == [("39.52", "公顷"), ("592.80", "亩")]
    funds = bachu.total(TotalKind.FUNDS)
    assert _values(funds.measure) == [("0.75", "亿元")] and funds.measure.line == 37
    assert [t.kind for t in bachu.totals] == [TotalKind.RESERVE, TotalKind.STOCK, TotalKind.FUNDS]


def test_structure_by_use(bachu):
    (use,) = [b for b in bachu.breakdowns if b.dimension is Dimension.USE]
    assert use.line == 18 and use.exhaustive and use.total is bachu.total(TotalKind.RESERVE)
    assert [(i.name, i.area.primary.value, i.share.value, i.line) for i in use.items] == [
        ("工矿仓储及物流用地", "8.05", "16.92", 18),
        ("商服用地", "7.92", "16.65", 18),
        ("住宅用地", "31.61", "66.43", 18),
    ]
    residential = use.items[2].land_use
    if residential is not None:  # mapped by domain.landuse
        assert "07" in residential.gb2017


def test_layout_by_zone(bachu):
    (zone,) = [b for b in bachu.breakdowns if b.dimension is Dimension.ZONE]
    assert zone.exhaustive and zone.total is bachu.total(TotalKind.RESERVE)
    assert [(i.name, i.area.primary.value, i.line) for i in zone.items] == [
        ("巴楚镇", "39.52", 20),
        ("工业园区", "8.05", 21),
    ]


def test_only_the_expected_breakdowns(bachu):
    assert sorted(b.dimension.value for b in bachu.breakdowns) == ["use", "zone"]


def test_parcels(bachu):
    got = [
        (p.serial, p.code, p.location, p.area.primary.value, p.carried_over, p.line) for p in bachu.parcels
    ]
    expected = [(s, c, loc, ha, carried, 22 + s) for s, c, loc, ha, carried in BACHU_PARCELS]
    assert got == expected
    assert bachu.parcels[0].code_as_written == "BC－CB2026001"
    assert bachu.parcels[0].area_m2 == Decimal("40254")
    assert bachu.parcels_total is bachu.total(TotalKind.RESERVE)


def test_template_sections(bachu):
    keyed = [(s.number, s.level, s.title, s.line, s.template_key) for s in bachu.sections if s.template_key]
    assert keyed == [
        ("（一）", 2, "年度储备规模", 15, "scale"),
        ("（2）", 2, "年度土地储备结构", 17, "structure"),
        ("（3）", 2, "储备地块空间布局", 19, "layout"),
        ("（4）", 2, "储备地块明细", 22, "parcels"),
        ("（5）", 2, "年度资金使用规模", 36, "funds"),
    ]
    top = [(s.number, s.title) for s in bachu.sections if s.level == 1]
    assert top == [
        ("一、", "指导思想"),
        ("二、", "制定原则"),
        ("三、", "重点储备范围"),
        ("四、", "计划指标"),
        ("五、", "保障措施"),
    ]


def test_content_hash_is_stable(bachu, bachu_plan_path):
    assert bachu.content_sha256 == read_plan(bachu_plan_path).content_sha256
    assert len(bachu.content_sha256) == 64
