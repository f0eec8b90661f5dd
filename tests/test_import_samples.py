"""The shared sample plans of other counties (tests/plan_samples.py): figures, structure, parcels, problems."""

from __future__ import annotations

from decimal import Decimal

import pytest

from landreserve.domain.completeness import completeness
from landreserve.domain.plans import Completeness, Dimension, PlanKind, TieStrength, TotalKind
from landreserve.importers import parse_plan_text
from plan_samples import CONSISTENT, SAMPLES

#: every figure of each sample: "line label value unit [qualifier]"
EXPECTED_FIGURES = {
    "news_summary": """
        4 年度储备规模 1200 亩 约
        4 住宅用地 520 亩 约
        4 商服用地 260 亩 约
        4 工业用地 420 亩 约
        5 资金总量 3.6 亿元 约""",
    "mu_only": """
        3 储备地块宗数 8 宗
        3 年度储备规模 636.00 亩
        3 存量土地 498.00 亩
        3 新增土地 138.00 亩
        5 住宅用地 312.00 亩
        5 住宅用地占比 49.06 %
        5 商服用地 126.00 亩
        5 商服用地占比 19.81 %
        5 工业用地 198.00 亩
        5 工业用地占比 31.13 %
        7 QH2026-01 86.00 亩
        8 QH2026-02 72.00 亩
        9 QH2026-03 95.00 亩
        10 QH2026-04 64.00 亩
        11 QH2026-05 110.00 亩
        12 QH2026-06 59.00 亩
        13 QH2026-07 88.00 亩
        14 QH2026-08 62.00 亩""",
    "hectare_four_decimals": """
        4 年度储备规模 23.4567 公顷
        4 年度储备规模 351.85 亩
        6 住宅用地 13.3579 公顷
        6 住宅用地占比 56.95 %
        6 商服用地 10.0988 公顷
        6 商服用地占比 43.05 %
        8 TH-2026-001 5.1234 公顷
        9 TH-2026-002 8.2345 公顷
        10 TH-2026-003 3.3456 公顷
        11 TH-2026-004 6.7532 公顷""",
    "rolling_2026_2028": """
        5 储备规模 300.00 公顷
        5 储备规模 4500.00 亩
        6 2026年 95.50 公顷
        6 2027年 102.30 公顷
        6 2028年 102.20 公顷
        8 住宅用地 120.00 公顷
        8 住宅用地占比 40.00 %
        8 商服用地 60.00 公顷
        8 商服用地占比 20.00 %
        8 工业用地 90.00 公顷
        8 工业用地占比 30.00 %
        8 公共管理与公共服务用地 30.00 公顷
        8 公共管理与公共服务用地占比 10.00 %
        10 资金总量 45.00 亿元
        10 2026年资金 14.20 亿元
        10 2027年资金 15.60 亿元
        10 2028年资金 15.20 亿元""",
    "combined_supply_reserve": """
        4 供应规模 85.00 公顷
        4 商服用地 15.00 公顷
        4 住宅用地 30.00 公顷
        4 工矿仓储用地 32.00 公顷
        4 公共管理与公共服务用地 8.00 公顷
        7 年度储备规模 1800.00 亩
        7 年度储备规模 120.00 公顷
        7 存量土地 70.00 公顷
        7 新增土地 50.00 公顷
        8 住宅用地 50.00 公顷
        8 商服用地 20.00 公顷
        8 工业用地 50.00 公顷
        10 资金总量 18000 万元""",
    "truncated": """
        4 年度储备规模 10.5000 公顷
        4 年度储备规模 157.50 亩
        7 SM2026-001 3.5000 公顷""",
    "corrupted_number": """
        3 年度储备规模 56.30 公顷
        3 年度储备规模 844.50 亩
        6 住宅用地 15.80 公顷""",
    "table_with_count": """
        3 储备地块宗数 6 宗
        3 年度储备规模 35.20 公顷
        3 年度储备规模 528.00 亩
        6 QC-2026-01 5.60 公顷
        7 QC-2026-02 7.25 公顷
        8 QC-2026-03 4.10 公顷
        9 QC-2026-04 8.35 公顷
        10 QC-2026-05 3.90 公顷
        11 QC-2026-06 6.00 公顷
        12 地块清单合计 35.20 公顷""",
    "inconsistent": """
        4 年度储备规模 50.00 公顷
        4 年度储备规模 750.00 亩
        4 存量土地 52.00 公顷
        6 住宅用地 20.00 公顷
        6 住宅用地占比 40.00 %
        6 商服用地 12.00 公顷
        6 商服用地 190.00 亩
        6 商服用地占比 24.00 %
        6 工业用地 15.00 公顷
        6 工业用地占比 36.00 %
        8 XA2026-01 20.00 公顷
        9 XA2026-02 12.00 公顷
        10 XA2026-03 10.00 公顷
        11 XA2026-04 8.00 公顷
        12 XA2026-02 12.00 公顷""",
    "national_template": """
        5 上年度末结转宗数 5 宗
        5 上年度末结转 18.60 公顷
        5 已入库储备土地 12.40 公顷
        5 拟收储土地 6.20 公顷
        7 新增土地宗数 4 宗
        7 新增土地 21.40 公顷
        8 依法收回国有土地 6.00 公顷
        8 收购土地 5.40 公顷
        8 已完成农用地转用和征收的土地 10.00 公顷
        10 年度储备规模 40.00 公顷
        10 年度储备规模 600.00 亩
        10 上年度末结转 18.60 公顷
        10 新增土地 21.40 公顷
        12 前期开发 8.50 公顷
        14 临时管护 15.00 公顷
        14 临时利用 3.00 公顷
        16 供应规模 12.00 公顷
        16 供应规模占比 30.00 %
        18 资金总量 2.40 亿元
        18 收购补偿资金 1.80 亿元
        18 前期开发资金 0.45 亿元
        18 管护资金 0.15 亿元
        21 CN2025-011 6.20 公顷
        22 CN2025-014 3.10 公顷
        23 CN2025-020 2.40 公顷
        24 CN2025-023 4.50 公顷
        25 CN2025-027 2.40 公顷
        26 CN2026-001 6.00 公顷
        27 CN2026-002 5.40 公顷
        28 CN2026-003 6.30 公顷
        29 CN2026-004 3.70 公顷""",
    "supply_plan": """
        4 供应规模 156.32 公顷
        4 供应规模 2344.80 亩
        4 比2025年增加 12.5 公顷
        6 商服用地 18.50 公顷
        6 商服用地占比 11.83 %
        6 住宅用地 45.20 公顷
        6 住宅用地占比 28.92 %
        6 工矿仓储用地 62.12 公顷
        6 工矿仓储用地占比 39.74 %
        6 公共管理与公共服务用地 10.50 公顷
        6 公共管理与公共服务用地占比 6.72 %
        6 交通运输用地 20.00 公顷
        6 交通运输用地占比 12.79 %
        7 出让用地 98.32 公顷
        7 划拨用地 58.00 公顷
        9 城区片区 85.20 公顷
        10 工业园区 71.12 公顷
        15 SC2026-01 620.50 亩
        16 SC2026-02 657.50 亩
        17 SC2026-03 530.00 亩
        18 SC2026-04 536.80 亩
        19 地块清单合计 2344.80 亩""",
    "paren_list": """
        4 年度储备规模 125.3456 公顷
        4 住宅用地 36.1234 公顷
        4 商服用地 20.0000 公顷
        4 工业用地 45.2222 公顷
        4 其他用地 24.0000 公顷
        6 收回国有土地使用权 10.5000 公顷
        7 收购土地 5.0000 公顷
        8 已办理农用地转用、征收批准手续的土地 109.8456 公顷
        10 资金总量 8.5 亿元 约
        12 前期开发 35 公顷""",
    "prose_supply": """
        3 供应规模 12.00 公顷
        3 供应地块宗数 2 宗
        4 老城片区 7.50 公顷
        4 滨河片区 4.50 公顷
        6 人民路以东地块 7.50 公顷 约
        7 滨河路以西地块 45000 ㎡""",
}


def _expected(name: str) -> list[tuple]:
    rows = []
    for row in EXPECTED_FIGURES[name].strip().splitlines():
        line, label, value, unit, *qualifier = row.split()
        rows.append((int(line), label, value, unit, qualifier[0] if qualifier else None))
    return rows


def doc_of(name: str):
    return parse_plan_text(SAMPLES[name], f"{name}.txt")


def items(breakdown):
    return [
        (i.name, i.area.primary.value if i.area else None, i.share.value if i.share else None)
        for i in breakdown.items
    ]


def money_items(breakdown):
    return [(i.name, i.money.primary.value) for i in breakdown.items]


def the(doc, dimension, nth=0):
    return [b for b in doc.all_breakdowns() if b.dimension is dimension][nth]


def test_at_least_eight_samples_and_every_one_is_expected():
    assert len(SAMPLES) >= 8 and set(EXPECTED_FIGURES) == set(SAMPLES)
    assert set(CONSISTENT) <= set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_figures_of_each_sample(name):
    doc = doc_of(name)
    assert [(f.line, f.label, f.value, f.unit, f.qualifier) for f in doc.figures] == _expected(name)


@pytest.mark.parametrize("name", CONSISTENT)
def test_consistent_samples_read_without_problems(name):
    assert doc_of(name).problems == []


def test_news_summary():
    doc = doc_of("news_summary")
    assert (doc.title, doc.jurisdiction, doc.year, doc.kind) == (
        "岳山县发布2026年度土地储备计划",
        "岳山县",
        2026,
        PlanKind.ANNUAL_RESERVE,
    )
    reserve = doc.total(TotalKind.RESERVE)
    assert reserve.measure.primary.approximate
    use = the(doc, Dimension.USE)
    # 其中…: ties the uses to the total but says nothing of completeness
    assert use.exhaustive and completeness(use)[0] is Completeness.UNKNOWN
    assert use.total is reserve
    assert items(use) == [("住宅用地", "520", None), ("商服用地", "260", None), ("工业用地", "420", None)]
    assert doc.total(TotalKind.FUNDS).measure.primary.base_value == Decimal("360000000")
    assert doc.parcels == []


def test_mu_only():
    doc = doc_of("mu_only")
    reserve = doc.total(TotalKind.RESERVE)
    assert reserve.count.value == "8" and reserve.measure.primary.unit == "亩"
    assert doc.total(TotalKind.STOCK).measure.primary.value == "498.00"
    assert doc.total(TotalKind.NEW).measure.primary.value == "138.00"
    split = the(doc, Dimension.STOCK)
    assert split.exhaustive and split.total is reserve
    assert items(split) == [("存量土地", "498.00", None), ("新增土地", "138.00", None)]
    assert items(the(doc, Dimension.USE)) == [
        ("住宅用地", "312.00", "49.06"),
        ("商服用地", "126.00", "19.81"),
        ("工业用地", "198.00", "31.13"),
    ]
    assert [(p.serial, p.code, p.use) for p in doc.parcels][:2] == [
        (1, "QH2026-01", "住宅用地"),
        (2, "QH2026-02", "住宅用地"),
    ]
    assert doc.parcels[0].location == "滨河路南侧、新华街东侧"
    assert doc.parcels[0].area_m2 == Decimal("57333.3333")  # 86 亩
    assert doc.parcels_total is reserve


def test_hectare_four_decimals():
    doc = doc_of("hectare_four_decimals")
    assert doc.doc_number == "塔政发〔2026〕5号"
    assert [(p.serial, p.code) for p in doc.parcels] == [(i, f"TH-2026-00{i}") for i in range(1, 5)]
    assert sum(p.area_m2 for p in doc.parcels) == Decimal("234567")
    assert [s.template_key for s in doc.sections] == ["scale", "structure", "parcels"]


def test_rolling_plan():
    doc = doc_of("rolling_2026_2028")
    assert (doc.jurisdiction, doc.year, doc.kind, doc.doc_number) == (
        "临江市",
        2026,
        PlanKind.ROLLING_THREE_YEAR,
        "临政办发〔2025〕88号",
    )
    reserve = doc.total(TotalKind.RESERVE)
    by_year = the(doc, Dimension.YEAR)
    assert by_year.total is reserve and by_year.exhaustive
    assert items(by_year) == [
        ("2026年", "95.50", None),
        ("2027年", "102.30", None),
        ("2028年", "102.20", None),
    ]
    funds_by_year = the(doc, Dimension.YEAR, 1)
    assert funds_by_year.total is doc.total(TotalKind.FUNDS)
    assert money_items(funds_by_year) == [("2026年", "14.20"), ("2027年", "15.60"), ("2028年", "15.20")]
    assert len(the(doc, Dimension.USE).items) == 4


def test_combined_supply_and_reserve():
    doc = doc_of("combined_supply_reserve")
    supply, reserve = doc.total(TotalKind.SUPPLY), doc.total(TotalKind.RESERVE)
    assert supply.measure.primary.value == "85.00"
    assert [(f.value, f.unit) for f in reserve.measure.figures] == [("1800.00", "亩"), ("120.00", "公顷")]
    supply_use, reserve_use = the(doc, Dimension.USE), the(doc, Dimension.USE, 1)
    assert supply_use.total is supply and reserve_use.total is reserve
    assert [i.name for i in supply_use.items] == [
        "商服用地",
        "住宅用地",
        "工矿仓储用地",
        "公共管理与公共服务用地",
    ]
    assert reserve_use.title == "储备结构" and reserve_use.exhaustive
    assert the(doc, Dimension.STOCK).total is reserve
    assert doc.total(TotalKind.FUNDS).measure.primary.base_value == Decimal("180000000")


def test_truncated_text_is_read_up_to_the_cut():
    doc = doc_of("truncated")
    assert [p.code for p in doc.parcels] == ["SM2026-001"]
    (problem,) = doc.problems
    assert problem.code == "text.truncated" and problem.lines == (8,) and problem.severity.value == "warning"
    assert "建设街" in problem.message


def test_corrupted_numbers_are_problems_not_figures():
    doc = doc_of("corrupted_number")
    got = [(p.code, p.lines, p.values["raw"]) for p in doc.problems]
    assert got == [
        ("number.malformed", (4,), ".32公顷"),
        ("number.malformed", (6,), "4O.5公顷"),
        ("number.missing", (7,), "公顷"),
    ]
    assert all(p.severity.value == "error" for p in doc.problems)
    assert doc.total(TotalKind.STOCK) is None
    use = the(doc, Dimension.USE)
    assert items(use) == [("住宅用地", "15.80", None)] and not use.exhaustive  # 工业用地 was unreadable


def test_table_with_count():
    doc = doc_of("table_with_count")
    reserve = doc.total(TotalKind.RESERVE)
    assert reserve.count.value == "6"
    assert [(p.serial, p.code, p.location, p.area.primary.value, p.use) for p in doc.parcels][3] == (
        4,
        "QC-2026-04",
        "青川县工业园区纬一路北侧",
        "8.35",
        "工业用地",
    )
    assert [p.line for p in doc.parcels] == list(range(6, 12))
    assert doc.parcels_total is reserve


def test_inconsistent_sample_is_read_as_written():
    doc = doc_of("inconsistent")
    assert doc.problems == []
    use = the(doc, Dimension.USE)
    assert items(use) == [
        ("住宅用地", "20.00", "40.00"),
        ("商服用地", "12.00", "24.00"),
        ("工业用地", "15.00", "36.00"),
    ]
    assert [(f.value, f.unit) for f in use.items[1].area.figures] == [("12.00", "公顷"), ("190.00", "亩")]
    assert doc.total(TotalKind.STOCK).measure.primary.value == "52.00"
    codes = [(p.code, p.code_as_written, p.line) for p in doc.parcels]
    assert codes[1] == ("XA2026-02", "XA2026-02", 9) and codes[4] == ("XA2026-02", "XA2026－02", 12)


def test_prose_supply_plan():
    doc = doc_of("prose_supply")
    assert doc.kind is PlanKind.SUPPLY and doc.jurisdiction == "月湖区"
    supply = doc.total(TotalKind.SUPPLY)
    assert supply.count.value == "2"
    zone = the(doc, Dimension.ZONE)
    assert zone.total is supply and items(zone) == [("老城片区", "7.50", None), ("滨河片区", "4.50", None)]
    assert [(p.location, p.area_m2, p.use) for p in doc.parcels] == [
        ("人民路以东地块", Decimal("75000"), "商服用地"),
        ("滨河路以西地块", Decimal("45000"), "住宅用地"),
    ]
    assert doc.parcels_total is supply


def test_national_template_sections_and_totals():
    doc = doc_of("national_template")
    assert (doc.jurisdiction, doc.doc_number) == ("东湖市城南区", "城南政发〔2026〕3号")
    keys = [(s.number, s.level, s.template_key) for s in doc.sections]
    assert keys == [
        ("第一章", 1, None),
        ("一、", 2, "carried_over"),
        ("二、", 2, "new"),
        ("三、", 2, "scale"),
        ("四、", 2, "development"),
        ("五、", 2, "custody"),
        ("六、", 2, "supply"),
        ("七、", 2, "funds"),
        ("第二章", 1, "parcels"),
    ]
    stated = {
        t.kind: (t.measure.primary.value, t.count.value if t.count else None) for t in reversed(doc.totals)
    }
    assert stated[TotalKind.CARRIED_OVER] == ("18.60", "5")
    assert stated[TotalKind.NEW] == ("21.40", "4")
    assert stated[TotalKind.RESERVE] == ("40.00", None)
    assert stated[TotalKind.DEVELOPMENT] == ("8.50", None)
    assert stated[TotalKind.CUSTODY] == ("15.00", None)
    assert stated[TotalKind.SUPPLY] == ("12.00", None)
    assert stated[TotalKind.FUNDS] == ("2.40", None)


def test_national_template_breakdowns_and_parcels():
    doc = doc_of("national_template")
    carried = the(doc, Dimension.OTHER)
    assert carried.total is doc.total(TotalKind.CARRIED_OVER)
    assert carried.tie.strength is TieStrength.EXPLICIT and completeness(carried)[0] is Completeness.UNKNOWN
    assert items(carried) == [("已入库储备土地", "12.40", None), ("拟收储土地", "6.20", None)]
    source = the(doc, Dimension.SOURCE)
    assert source.total is doc.total(TotalKind.NEW) and source.exhaustive
    assert [i.name for i in source.items] == ["依法收回国有土地", "收购土地", "已完成农用地转用和征收的土地"]
    split = [b for b in doc.all_breakdowns() if b.title == "上年度末结转与年度新增"][0]
    assert split.total is doc.total(TotalKind.RESERVE) and split.exhaustive
    assert items(split) == [("上年度末结转", "18.60", None), ("年度新增", "21.40", None)]
    funds = the(doc, Dimension.FUNDS_USE)
    assert funds.total is doc.total(TotalKind.FUNDS)
    assert money_items(funds) == [("收购补偿资金", "1.80"), ("前期开发资金", "0.45"), ("管护资金", "0.15")]
    assert [p.carried_over for p in doc.parcels] == [True] * 5 + [False] * 4
    assert [p.use for p in doc.parcels][:3] == ["住宅用地", "住宅用地", "商服用地"]
    assert doc.parcels_total is doc.total(TotalKind.RESERVE)


def test_supply_plan():
    doc = doc_of("supply_plan")
    assert doc.kind is PlanKind.SUPPLY
    supply = doc.total(TotalKind.SUPPLY)
    assert [t.kind for t in doc.totals] == [TotalKind.SUPPLY, TotalKind.OTHER]  # the table's 合计 row
    assert (
        doc.totals[1] is doc.parcels_list_total and doc.parcels_list_total.measure.primary.value == "2344.80"
    )
    use, mode = the(doc, Dimension.USE), the(doc, Dimension.OTHER)
    assert use.total is supply and mode.total is supply
    assert items(mode) == [("出让用地", "98.32", None), ("划拨用地", "58.00", None)]
    zone = the(doc, Dimension.ZONE)
    assert zone.total is supply and items(zone) == [("城区片区", "85.20", None), ("工业园区", "71.12", None)]
    assert [(p.code, p.use) for p in doc.parcels][-1] == ("SC2026-04", "公共管理与公共服务")
    assert doc.parcels_total is supply


def test_paren_list_items_are_one_breakdown():
    doc = doc_of("paren_list")
    assert doc.doc_number is None  # 国土资规〔2017〕17号 is cited, not this document's number
    assert [s.number for s in doc.sections] == ["一、", "二、", "三、", "四、"]
    assert [s.template_key for s in doc.sections] == ["scale", "source", "funds", "development"]
    source = the(doc, Dimension.SOURCE)
    assert source.total is doc.total(TotalKind.RESERVE) and source.exhaustive
    assert [i.line for i in source.items] == [6, 7, 8]
    assert [i.name for i in the(doc, Dimension.USE).items][-1] == "其他用地"
    assert doc.total(TotalKind.DEVELOPMENT).measure.primary.value == "35"
