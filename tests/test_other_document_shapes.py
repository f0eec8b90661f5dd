"""Shapes of other kinds of documents than the real corpus holds: city- and district-level plans, annual
reserve tables saved from web pages and Word, execution reports (执行情况), news items about plans, money
split in 万元 and 亿元, 亩 and 平方米, ranges (约, 左右, 以上), parcel lists closed by a 合计 row, multi-year
plans. Every correct text must audit without an error (a false error is the worst outcome); where the text
ties the figures firmly, its broken twin must keep an error of the expected code on the changed line.

The texts are written here (no published wording). Each figure is checked by hand in the comment above its
text; all sums are exact unless a comment says otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text, read_plan, read_plan_bytes


def _errors(doc) -> list:
    return [f for f in audit_plan(doc) if f.severity is Severity.ERROR]


def _summary(doc) -> list[tuple[str, str, tuple[int, ...], str]]:
    return [(f.severity.value, f.code, f.lines, f.message[:160]) for f in audit_plan(doc)]


def _line_of(text: str, needle: str) -> int:
    found = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert found, (needle, text)
    return found[0]


#: name → (text, broken twins: (old, new, codes) — the old text occurs once, the codes any of which must
#: name the changed line)
SHAPES: dict[str, tuple[str, tuple[tuple[str, str, frozenset[str]], ...]]] = {}
SUM = frozenset({"breakdown.sum_mismatch"})
COUNT = frozenset({"count.mismatch"})
SHARE = frozenset({"share.mismatch"})
UNITS = frozenset({"units.mismatch"})
PARCELS = frozenset({"parcels.sum_mismatch", "breakdown.sum_mismatch"})


def shape(name: str, text: str, *broken: tuple[str, str, frozenset[str]]) -> None:
    SHAPES[name] = (text, broken)


# 620.15 + 1230.25 = 1850.40; 680.50 + 215.30 + 1504.20 = 2400.00; 520 + 310 + 650 + 200 = 1680;
# 29.4 + 4.8 + 4.4 = 38.6; sources 24.6 + 14.0 = 38.6
shape(
    "city_annual_plan_template",
    "某市2025年度土地储备计划\n一、计划期限与范围\n本计划期限为2025年1月1日至2025年12月31日,范围为市辖区。\n"
    "二、上年度末储备土地结转情况\n截至2024年底,全市储备土地库存1850.40亩,其中已完成前期开发可供应土地620.15亩,"
    "尚需前期开发土地1230.25亩。\n三、年度储备规模\n2025年计划储备土地2400.00亩,其中收回国有土地680.50亩,"
    "收购土地215.30亩,征收集体土地1504.20亩。\n四、储备土地前期开发\n计划对1200.00亩储备土地进行前期开发,"
    "预计投入资金4.8亿元。\n五、储备土地供应\n计划供应储备土地1680.00亩,其中住宅用地520.00亩,商服用地310.00亩,"
    "工业用地650.00亩,公共管理与公共服务用地200.00亩。\n六、资金需求\n2025年土地储备资金需求38.6亿元,"
    "其中土地征收补偿29.4亿元,前期开发4.8亿元,其他费用4.4亿元。\n",
    ("征收集体土地1504.20亩", "征收集体土地1604.20亩", SUM),  # 2500.00 > 2400.00
    ("工业用地650.00亩", "工业用地750.00亩", SUM),  # 1780 > 1680
    ("其他费用4.4亿元", "其他费用6.4亿元", SUM),  # 40.6 > 38.6
)
# 32.4 + 38.7 + 14.5 = 85.6 万㎡; 6 + 5 + 3 = 14 宗
shape(
    "district_plan_in_10k_square_metres",
    "某区2025年土地储备计划\n全区计划储备土地面积85.6万平方米,涉及地块14宗。其中,老城片区6宗、32.4万平方米,"
    "高铁新城5宗、38.7万平方米,产业园区3宗、14.5万平方米。\n",
    ("产业园区3宗", "产业园区6宗", COUNT),  # 17 > 14
    ("14.5万平方米", "24.5万平方米", SUM),  # 95.6 > 85.6
)
# ten parcels: 8.12+5.40+3.65+12.08+4.27+6.90+2.33+7.15+3.02+3.40 = 56.32
_PARCELS = [
    ("CB2025-01", "城东新区纬一路北侧", "8.12", "住宅用地"),
    ("CB2025-02", "城东新区经二路东侧", "5.40", "商服用地"),
    ("CB2025-03", "老城区解放路南侧", "3.65", "住宅用地"),
    ("CB2025-04", "工业园区创业大道西侧", "12.08", "工业用地"),
    ("CB2025-05", "工业园区纬三路北侧", "4.27", "工业用地"),
    ("CB2025-06", "滨河片区沿河路东侧", "6.90", "住宅用地"),
    ("CB2025-07", "老城区人民路北侧", "2.33", "商服用地"),
    ("CB2025-08", "高铁片区站前路南侧", "7.15", "商服用地"),
    ("CB2025-09", "城南片区学府路西侧", "3.02", "公共管理与公共服务用地"),
    ("CB2025-10", "城南片区迎宾路东侧", "3.40", "住宅用地"),
]
shape(
    "county_parcel_table_with_sum_row",
    "某县2025年度土地储备计划\n一、储备规模\n本年度计划储备土地10宗,面积56.32公顷。\n二、储备地块清单\n"
    "序号\t地块编号\t地块位置\t面积(公顷)\t规划用途\n"
    + "".join(f"{i}\t{c}\t{loc}\t{a}\t{u}\n" for i, (c, loc, a, u) in enumerate(_PARCELS, start=1))
    + "合计\t\t\t56.32\t\n",
    ("\t12.08\t", "\t22.08\t", frozenset({"parcels.sum_mismatch", "breakdown.sum_mismatch"})),
)
# 98.40 / 120.00 = 82.0 %; 23.10 + 75.30 = 98.40; 25.80 + 30.15 + 8.30 = 64.25; 5 + 8 + 2 = 15 宗
shape(
    "county_execution_report",
    "某县2024年度土地储备计划执行情况\n2024年计划储备土地120.00公顷,实际完成储备土地98.40公顷,完成年度计划的82.0%。"
    "其中,收回国有土地23.10公顷,征收集体土地75.30公顷。\n全年供应储备土地15宗,面积64.25公顷,其中住宅用地5宗、"
    "25.80公顷,工业用地8宗、30.15公顷,商服用地2宗、8.30公顷。\n",
    ("完成年度计划的82.0%", "完成年度计划的92.0%", frozenset({"completion.mismatch"})),
    ("工业用地8宗", "工业用地11宗", COUNT),  # 18 > 15
    ("工业用地8宗、30.15公顷", "工业用地8宗、40.15公顷", SUM),  # 74.25 > 64.25
)
# 18 + 12 + 15 = 45 亿元; 45 − 5 = 40, 5 / 40 = 12.5 %
shape(
    "news_bonds_for_projects",
    "记者从市财政局获悉,今年我市计划发行土地储备专项债券45亿元,比上年增加5亿元,增长12.5%。债券资金将用于城南片区、"
    "滨江片区等8个土地储备项目,其中城南片区项目18亿元,滨江片区项目12亿元,其他6个项目15亿元。\n",
    ("增长12.5%", "增长17.5%", frozenset({"change.mismatch"})),
)
# 98200 + 21300 + 1500 + 5500 = 126500 万元
shape(
    "funds_section_in_10k_yuan",
    "某县2025年度土地储备计划\n四、资金需求及来源\n本年度土地储备资金需求总额为126500万元,其中征收(收购)补偿费用"
    "98200万元,前期开发费用21300万元,管护费用1500万元,其他费用5500万元。资金来源为土地出让收入和土地储备专项债券。\n",
    ("前期开发费用21300万元", "前期开发费用31300万元", SUM),
)
# 1250 亩 = 83.333 公顷 (约83.33); 780 + 470 = 1250
shape(
    "mu_with_hectares_in_parentheses",
    "某县2025年计划收储土地1250亩(约83.33公顷),其中城区780亩,乡镇470亩。\n",
    ("乡镇470亩", "乡镇570亩", SUM),
)
shape(
    "ranges_and_bounds_in_news",
    "今年全市计划供应住宅用地300公顷左右,其中保障性住房用地60公顷以上,商品住房用地约240公顷。预计全年土地出让收入"
    "200亿元以上,较上年略有增长。\n",
)
# 56.20 + 38.45 + 120.00 + 15.35 = 230.00 亩
shape(
    "parcel_list_in_mu_with_sum_row",
    "2025年度储备地块表\n序号\t地块名称\t位置\t面积(亩)\t用途\t储备方式\n1\t东关村地块\t东关村\t56.20\t住宅\t征收\n"
    "2\t老粮站地块\t解放路北\t38.45\t商业\t收回\n3\t北环工业地块\t北环路南\t120.00\t工业\t征收\n"
    "4\t南街地块\t南街西侧\t15.35\t住宅\t收购\n合计\t\t\t230.00\t\t\n",
    ("\t38.45\t", "\t58.45\t", frozenset({"parcels.sum_mismatch", "breakdown.sum_mismatch"})),
)
# years: 320.5 + 298.0 + 276.5 = 895.0; stock 120.5 + 110.0 + 96.5 = 327.0; new 200 + 188 + 180 = 568;
# each year stock + new = its scale; money 48.2 + 44.7 + 41.5 = 134.4
shape(
    "rolling_plan_year_table",
    "某市土地储备三年滚动计划(2025-2027年)\n项目\t2025年\t2026年\t2027年\t合计\n储备规模(公顷)\t320.5\t298.0\t276.5\t895.0\n"
    "其中:存量土地(公顷)\t120.5\t110.0\t96.5\t327.0\n新增土地(公顷)\t200.0\t188.0\t180.0\t568.0\n"
    "资金需求(亿元)\t48.2\t44.7\t41.5\t134.4\n",
    ("\t298.0\t", "\t398.0\t", SUM),
)
# 12.3 + 48.6 + 35.2 + 21.5 + 39.2 = 156.8; shares 7.84, 30.99, 22.45, 13.71, 25.00 (sum 99.9: rounding)
shape(
    "district_supply_plan_with_shares",
    "2025年某区国有建设用地供应计划总量为156.8公顷,其中商服用地12.3公顷,占7.8%;工矿仓储用地48.6公顷,占31.0%;"
    "住宅用地35.2公顷,占22.4%;公共管理与公共服务用地21.5公顷,占13.7%;交通运输用地39.2公顷,占25.0%。\n",
    ("占22.4%", "占27.4%", SHARE),
    ("交通运输用地39.2公顷", "交通运输用地59.2公顷", SUM),
)
# 42.6 / 120 = 35.5 %
shape("half_year_execution", "今年上半年,全县共收储土地42.6公顷,完成年度计划(120公顷)的35.5%。\n")
# 3250 + 450 = 3700; 450 / 3700 = 12.16 % → 12.2
shape(
    "decline_against_last_years_plan_in_mu",
    "2025年全县计划供应国有建设用地3250亩,较上年计划减少450亩,下降12.2%。\n",
    ("下降12.2%", "下降14.2%", frozenset({"change.mismatch"})),
)
# 12.5 + 3.2 + 20.3 = 36.0 公顷; 187.5 + 48 + 304.5 = 540 亩; 9375 + 4800 + 18270 = 32445 万元
shape(
    "numbered_parcels_with_mu_and_cost",
    "本年度计划收储地块3宗:1.城北工业园地块,面积12.5公顷(187.5亩),预计收储成本9375万元;2.老粮站地块,"
    "面积3.2公顷(48亩),预计收储成本4800万元;3.南湖片区地块,面积20.3公顷(304.5亩),预计收储成本18270万元。"
    "合计面积36.0公顷,收储成本32445万元。\n",
    ("304.5亩", "404.5亩", UNITS),
)
shape(
    "bounds_in_a_market_news_item",
    "全市今年将推出经营性用地不少于5000亩,其中住宅用地约2800亩,商服用地1200亩以上,其余为工业用地。\n",
)
# 1.5 + 1.8 + 1.7 + 1.9 + 1.7 = 8.6 万亩
shape(
    "five_year_cumulative_by_year",
    "“十四五”期间(2021—2025年),全市累计储备土地8.6万亩,其中2021年1.5万亩,2022年1.8万亩,2023年1.7万亩,"
    "2024年1.9万亩,2025年1.7万亩。\n",
    ("2025年1.7万亩", "2025年2.7万亩", SUM),
)
# 12.3 + 8.7 + 20.0 + 15.5 + 6.5 = 63.0 亩; 5 parcels named
shape(
    "five_parcels_enumerated",
    "今年全镇计划收储土地5宗,总面积63.0亩,分别为:东村地块12.3亩、西村地块8.7亩、南村地块20.0亩、北村地块15.5亩、"
    "中心村地块6.5亩。\n",
    ("南村地块20.0亩", "南村地块30.0亩", PARCELS),  # 73.0 > 63.0
    ("总面积63.0亩", "总面积73.0亩", PARCELS),  # the 5 parcels named are all 5: 63.0 cannot reach 73.0
)
# 160.2 + 55.4 = 215.6; 31 + 15 = 46
shape(
    "supply_by_method_with_counts",
    "某县2025年计划供应国有建设用地46宗、215.6公顷,其中出让31宗、160.2公顷,划拨15宗、55.4公顷。\n",
    ("划拨15宗", "划拨19宗", COUNT),
    ("出让31宗、160.2公顷", "出让31宗、190.2公顷", SUM),
)
# 35620 + 28450 + 41930 = 106000 ㎡ = 10.60 公顷
shape(
    "parcel_table_in_square_metres_and_scale_in_hectares",
    "本年度拟储备地块清单\n地块编号\t坐落\t面积(平方米)\nA-1\t学府路东\t35620\nA-2\t学府路西\t28450\n"
    "A-3\t滨河北路\t41930\n合计\t\t106000\n本年度储备规模10.60公顷。\n",
    ("\t41930", "\t61930", frozenset({"parcels.sum_mismatch", "breakdown.sum_mismatch"})),
)
# 86500 + 12300 + 24800 = 123600 万元 = 12.36 亿元
shape(
    "land_income_in_two_money_units",
    "2024年全县实现土地出让收入12.36亿元,其中住宅用地出让收入86500万元,工业用地出让收入12300万元,"
    "商服用地出让收入24800万元。\n",
    ("86500万元", "96500万元", SUM),
)
shape(
    "approximate_zones",
    "今年计划收储土地约3000亩,其中城东片区1200亩左右,城西片区约900亩,高新区约900亩。\n",
)
# last year 320 + 450 (a list of its own); this year 350 + 500 + 250 = 1100
shape(
    "last_years_supply_then_this_years_plan",
    "去年全市供应住宅用地320公顷,工业用地450公顷。今年计划供应土地1100公顷,其中住宅用地350公顷,工业用地500公顷,"
    "其他用地250公顷。\n",
    ("其他用地250公顷", "其他用地350公顷", SUM),
)
# 6750 亩 = 450 公顷; 1800 亩 = 120; 3000 亩 = 200; 1950 亩 = 130; 120 + 200 + 130 = 450
shape(
    "mu_first_with_hectares",
    "某市2025年计划供应国有建设用地6750亩(450公顷),其中住宅用地1800亩(120公顷),工业用地3000亩(200公顷),"
    "其他用地1950亩(130公顷)。\n",
    ("工业用地3000亩(200公顷)", "工业用地3000亩(250公顷)", UNITS),
)
# 80 + 120 = 200; 40 % and 60 %
shape(
    "stock_and_new_with_shares",
    "某县2025年度土地储备计划\n本年度储备规模200公顷,其中存量土地80公顷,占40%;新增土地120公顷,占60%。\n",
    ("新增土地120公顷", "新增土地150公顷", SUM),
)
# 450 / 400 = 1.125
shape(
    "growth_with_last_year_in_parentheses", "今年计划供应住宅用地450公顷,同比增长12.5%(上年计划400公顷)。\n"
)
# 1120 + 1560 = 2680; 520 + 480 + 560 = 1560
shape(
    "city_and_counties_two_levels",
    "全市计划储备土地2680公顷,其中市本级1120公顷,各县(市)区1560公顷。各县(市)区中,甲县520公顷,乙县480公顷,"
    "丙市560公顷。\n",
    ("丙市560公顷", "丙市660公顷", SUM),
)
shape(
    "custody_and_development_with_costs",
    "计划对已入库的储备土地45.2公顷实施临时管护,管护费用120万元;对28.6公顷储备土地进行前期开发,投入资金5600万元。\n",
)
# 25.6 km² = 2560 公顷 = 38400 亩 = 3.84 万亩
shape(
    "square_kilometres_and_10k_mu",
    "今年全市计划供应建设用地25.6平方公里(3.84万亩),其中经营性用地8.2平方公里。\n",
    ("(3.84万亩)", "(4.84万亩)", UNITS),
)
# quarters 18.5 + 24.0 + 20.3 + 17.2 = 80.0
shape(
    "quarterly_release_plan",
    "某市2025年度经营性用地出让计划\n全年计划出让经营性用地80.0公顷,分季度安排如下:第一季度18.5公顷,"
    "第二季度24.0公顷,第三季度20.3公顷,第四季度17.2公顷。\n",
    ("第三季度20.3公顷", "第三季度30.3公顷", SUM),
)
# zones 45.0 = 20.0 + 25.0; 30.0 = 18.0 + 12.0; 45 + 30 = 75.0 — subtotal rows before their rows (indented
# or not: a web page loses the indent), after them, named or bare, 小计 or X合计
_GROUPS = {
    "zone_table_with_subtotals": "城区小计\t45.0\n  老城\t20.0\n  新城\t25.0\n园区小计\t30.0\n  东园\t18.0\n  西园\t12.0\n总计",
    "zone_table_subtotals_first": "城区小计\t45.0\n老城\t20.0\n新城\t25.0\n园区小计\t30.0\n东园\t18.0\n西园\t12.0\n总计",
    "zone_table_subtotals_after": "老城\t20.0\n新城\t25.0\n城区小计\t45.0\n东园\t18.0\n西园\t12.0\n园区小计\t30.0\n合计",
    "zone_table_bare_subtotals": "老城\t20.0\n新城\t25.0\n小计\t45.0\n东园\t18.0\n西园\t12.0\n小计\t30.0\n合计",
    "zone_table_group_sums": "老城\t20.0\n新城\t25.0\n城区合计\t45.0\n东园\t18.0\n西园\t12.0\n园区合计\t30.0\n全区合计",
}
for _name, _rows in _GROUPS.items():
    shape(
        _name,
        f"区域\t面积(公顷)\n{_rows}\t75.0\n",
        ("东园\t18.0", "东园\t28.0", SUM),  # 40.0 > its subtotal 30.0
    )
# a table that shows no levels at all (a copied page lost the indentation or the bold group rows): 城区 and
# 园区 may head the rows after them — no error; a member row broken leaves no such reading, the error stands
shape(
    "zone_table_flat_group_rows",
    "区域\t面积(公顷)\n城区\t45.0\n老城\t20.0\n新城\t25.0\n园区\t30.0\n东园\t18.0\n西园\t12.0\n总计\t75.0\n",
    ("东园\t18.0", "东园\t28.0", SUM),
)
# rows no name places (东园, 西园) beside zones are rows of the same table: its 合计 sums all of them
shape(
    "table_rows_of_mixed_names",
    "区域\t面积(公顷)\n城区\t45.0\n东园\t18.0\n西园\t12.0\n合计\t75.0\n",
    ("西园\t12.0", "西园\t22.0", SUM),  # 85.0 > 75.0
)
# 2.15 + 1.86 = 4.01 亿元 of 4.01; 0.62 + 0.45 = 1.07
shape(
    "execution_of_funds",
    "2024年土地储备资金执行情况:全年实际支出土地储备资金4.01亿元,其中征收补偿支出2.15亿元,前期开发支出1.86亿元。"
    "全年偿还土地储备专项债券本息1.07亿元,其中本金0.62亿元,利息0.45亿元。\n",
    ("前期开发支出1.86亿元", "前期开发支出2.86亿元", SUM),
)
# 3 projects: 35 = 15 + 12 + 8 projects; areas 52.3 + 40.1 + 20.6 = 113.0
shape(
    "development_plan_projects_by_year",
    "某县2025年土地征收成片开发方案\n方案确定的成片开发范围总面积186.5公顷,其中拟征收土地113.0公顷。拟安排实施35个项目,"
    "开发周期为3年,其中2025年拟实施项目15个、面积52.3公顷,2026年12个、面积40.1公顷,2027年8个、面积20.6公顷。\n",
)
# a news item about a district's list: 6 + 4 + 3 = 13 宗; 26.2 + 18.4 + 9.9 = 54.5 公顷
shape(
    "news_list_of_a_district_batch",
    "近日,某区公布第一批住宅用地出让清单,共13宗、54.5公顷。\n其中,城北片区6宗、26.2公顷;\n滨江片区4宗、18.4公顷;\n"
    "科技城3宗、9.9公顷。\n",
    ("科技城3宗", "科技城5宗", COUNT),
)
# 2023 plan: 300 公顷; 2024: 340; growth 13.3 % = 40/300
shape(
    "two_plans_compared_in_a_news_item",
    "市自然资源局发布的2024年度国有建设用地供应计划显示,全市计划供应340公顷,比2023年计划的300公顷增加40公顷,"
    "增长13.3%。其中住宅用地110公顷,工业用地150公顷,其他用地80公顷。\n",
    ("增长13.3%", "增长18.3%", frozenset({"change.mismatch"})),
    ("工业用地150公顷", "工业用地250公顷", SUM),
)

# 24.6/30 = 82.0 %; 56.5/50 = 113.0 %; 6.2/10 = 62.0 %; 87.3/90 = 97.0 %; 30+50+10 = 90; 24.6+56.5+6.2 = 87.3
shape(
    "execution_table_plan_done_rate",
    "某县2024年度国有建设用地供应计划执行情况表\n指标\t计划(公顷)\t完成(公顷)\t完成率(%)\n"
    "住宅用地\t30.00\t24.60\t82.0\n工业用地\t50.00\t56.50\t113.0\n商服用地\t10.00\t6.20\t62.0\n合计\t90.00\t87.30\t97.0\n",
    ("工业用地\t50.00", "工业用地\t70.00", SUM),  # 110 > 90
)
# 450+150+480+120 = 1200 亩; 37.5 + 12.5 + 40.0 + 10.0 = 100
shape(
    "use_table_in_mu_with_caption_unit",
    "表2 2025年度土地储备结构表\n单位:亩\n用途\t面积\t占比(%)\n住宅用地\t450.0\t37.5\n商服用地\t150.0\t12.5\n"
    "工业用地\t480.0\t40.0\n公共管理与公共服务用地\t120.0\t10.0\n合计\t1200.0\t100.0\n",
    ("工业用地\t480.0", "工业用地\t680.0", SUM),
)
# 86.2 + 72.3 + 60.0 = 218.5; 15 + 12 + 9 = 36
shape(
    "three_year_plan_in_prose_with_counts",
    "某县2025—2027年土地储备滚动计划\n三年计划储备土地36宗、218.5公顷。其中,2025年15宗、86.2公顷;2026年12宗、"
    "72.3公顷;2027年9宗、60.0公顷。\n",
    ("2026年12宗", "2026年15宗", COUNT),  # 39 > 36
    ("2027年9宗、60.0公顷", "2027年9宗、90.0公顷", SUM),  # 248.5 > 218.5
)
shape(
    "news_with_jin_yu_and_chengs",
    "今年一季度,全市共供应国有建设用地近300公顷,同比增长逾两成,其中住宅用地约80公顷,工业用地120余公顷。"
    "全年计划供地1000公顷,其中工业用地约占四成,住宅用地约占三成。\n",
)
# 900+1800+360+540 = 3600 亩 = 240 公顷; 25 + 50 + 10 + 15 = 100 %
shape(
    "supply_in_mu_with_hectares_and_shares",
    "2025年,某县计划供应国有建设用地3600亩(240公顷)。从用途看,住宅用地900亩,占25%;工业用地1800亩,占50%;"
    "商服用地360亩,占10%;其他用地540亩,占15%。\n",
    ("占50%", "占55%", SHARE),
)
# 45.6+32.4+60.0 = 138.0 亩; 6840+4212+9000 = 20052 万元
shape(
    "parcel_costs_table_with_sum_row",
    "地块名称\t面积(亩)\t收储成本(万元)\n北关地块\t45.6\t6840\n南环地块\t32.4\t4212\n东湖地块\t60.0\t9000\n"
    "合计\t138.0\t20052\n",
    ("南环地块\t32.4", "南环地块\t52.4", PARCELS),
)
# 38000+9000+3000 = 50000 万元
shape(
    "funds_table_with_a_qizhong_row",
    "项目\t金额(万元)\n资金需求总额\t50000\n其中:征收补偿\t38000\n前期开发\t9000\n其他\t3000\n",
)
# 60.2+60.3 = 120.5 (4+6 = 10 宗); 45+35 = 80 (5+4 = 9); 120.5+80 = 200.5 (19 宗)
shape(
    "two_level_zone_table_indented",
    "区域\t储备面积(公顷)\t宗数\n市本级\t120.5\t10\n　　高新区\t60.2\t4\n　　经开区\t60.3\t6\n各县区\t80.0\t9\n"
    "　　甲县\t45.0\t5\n　　乙县\t35.0\t4\n合计\t200.5\t19\n",
    ("乙县\t35.0", "乙县\t55.0", SUM),  # 100 > 80
)
# 25 + 40 + 15 = 80
shape(
    "places_with_uses_then_their_sum",
    "今年我县将重点保障以下用地:城东片区住宅用地25公顷,城西工业园工业用地40公顷,高铁站片区商服用地15公顷,"
    "上述用地合计80公顷。\n",
    ("高铁站片区商服用地15公顷", "高铁站片区商服用地25公顷", SUM),
)
# 210+350 = 560; 40+30+280 = 350
shape(
    "carried_over_and_new_with_new_by_source",
    "某市2025年度土地储备计划\n一、储备规模\n2025年全市土地储备规模为560.00公顷,其中上年度末结转储备土地210.00公顷,"
    "年度新增储备土地350.00公顷。\n二、新增储备土地来源\n新增储备土地中,收回国有土地40.00公顷,收购土地30.00公顷,"
    "征收集体土地280.00公顷。\n",
    ("征收集体土地280.00公顷", "征收集体土地380.00公顷", SUM),
)
# 186.4 / 171.6 = 1.0862 → 8.6 %
shape(
    "execution_news_completion_and_growth",
    "截至11月底,全县累计供应国有建设用地186.4公顷,完成年度供地计划的93.2%,同比增长8.6%。去年同期供应171.6公顷。\n",
)
# 32.5+41.3+28.8+23.0 = 125.6 亩
shape(
    "parcels_on_numbered_lines_with_total",
    "本次拟收储地块共4宗,总面积125.6亩,具体如下:\n1.青年路北侧地块,面积32.5亩;\n2.学院路东侧地块,面积41.3亩;\n"
    "3.工业大道南侧地块,面积28.8亩;\n4.滨湖路西侧地块,面积23.0亩。\n",
    ("面积41.3亩", "面积61.3亩", PARCELS),
)
# rows 40+35 = 75, 60+55 = 115; columns 40+60 = 100, 35+55 = 90
shape(
    "uses_by_year_columns_with_units_in_the_header",
    "用途\t2025年(公顷)\t2026年(公顷)\t合计(公顷)\n住宅用地\t40.0\t35.0\t75.0\n其中:保障性住房用地\t10.0\t8.0\t18.0\n"
    "工业用地\t60.0\t55.0\t115.0\n合计\t100.0\t90.0\t190.0\n",
    ("工业用地\t60.0\t55.0", "工业用地\t60.0\t75.0", SUM),  # the row: 135 > 115
)
shape(
    "uses_by_year_columns_closed_by_a_sum_row",
    "用途\t2025年(公顷)\t2026年(公顷)\t合计(公顷)\n住宅用地\t40.0\t35.0\t75.0\n工业用地\t60.0\t55.0\t115.0\n"
    "合计\t100.0\t90.0\t190.0\n",
    ("合计\t100.0\t90.0", "合计\t100.0\t80.0", SUM),  # 2026: 35 + 55 = 90 > 80
)
# 12540 ㎡ = 18.81 亩; 26680 ㎡ = 40.02 亩; 12540 + 26680 = 39220 ㎡
shape(
    "recovery_notice_square_metres_with_sum",
    "根据规划,拟收回以下国有建设用地使用权:1.原县粮食局仓库地块,面积12540平方米(约18.81亩);2.原农机厂地块,"
    "面积26680平方米(约40.02亩)。以上2宗地块合计面积39220平方米。\n",
)
shape("a_range_written_with_zhi", "今年计划供应住宅用地80至100公顷,其中保障性住房用地不少于20公顷。\n")
# 480 / 1200 = 40 %; 720 / 1200 = 60 %
shape(
    "zones_with_shares_of_the_city_stated_after",
    "从区域分布看,中心城区供地480公顷,占全市的40%;县(市)区供地720公顷,占全市的60%。全市计划供地1200公顷。\n",
)
# 3.5 + 2.0 = 5.5 亿元; 42.0 + 25.5 = 67.5 公顷
shape(
    "bond_projects_table",
    "项目名称\t债券金额(亿元)\t储备面积(公顷)\n城南片区土地储备项目\t3.5\t42.0\n滨江片区土地储备项目\t2.0\t25.5\n"
    "合计\t5.5\t67.5\n",
    ("\t2.0\t25.5", "\t2.0\t45.5", PARCELS),
)
# 4500 / 4000 = 1.125
shape(
    "growth_in_mu_and_percentage_points",
    "2025年全市计划供应住宅用地4500亩,同比增长12.5%,占供地总量的30%,比上年提高2个百分点。\n",
)

# 212.4 + 146.2 = 358.6
shape(
    "stock_supplied_and_remaining",
    "截至2024年底,全县累计储备土地358.6公顷,其中已供应212.4公顷,剩余146.2公顷尚未供应。\n",
    ("剩余146.2", "剩余166.2", SUM),
)
# 218 + 108 = 326 宗; 1102.6 + 762.7 = 1865.3 公顷
shape(
    "execution_by_supply_method_with_price",
    "2024年全市共供应国有建设用地326宗、1865.3公顷,其中出让218宗、1102.6公顷,成交价款286.5亿元;"
    "划拨108宗、762.7公顷。\n",
    ("划拨108宗", "划拨118宗", COUNT),
    ("划拨108宗、762.7", "划拨108宗、962.7", SUM),
)
shape(
    "respectively_with_he_and_a_total_after",
    "今年计划供应的住宅用地和商服用地分别为120公顷和45公顷,工业用地为260公顷。全年供地总量425公顷。\n",
)
# 32000 + 12000 + 1000 + 5000 = 50000 万元; 64 + 24 + 2 + 10 = 100
shape(
    "funds_table_under_a_money_caption",
    "表3 土地储备资金需求表\n单位:万元\n项目\t金额\t占比(%)\n征收补偿费\t32000\t64.0\n前期开发费\t12000\t24.0\n"
    "管护费\t1000\t2.0\n其他费用\t5000\t10.0\n合计\t50000\t100.0\n",
    ("前期开发费\t12000", "前期开发费\t22000", SUM),
)
# 3.20 + 4.10 + 2.70 = 10.00 (the table goes on after a page number and 续表)
shape(
    "parcel_table_continued_after_a_page_number",
    "表1 储备地块表\n序号\t地块编号\t位置\t面积(公顷)\n1\tHX-01\t城北路\t3.20\n2\tHX-02\t城南路\t4.10\n— 3 —\n续表\n"
    "序号\t地块编号\t位置\t面积(公顷)\n3\tHX-03\t东环路\t2.70\n合计\t\t\t10.00\n",
    ("东环路\t2.70", "东环路\t4.70", PARCELS),
)
shape("a_share_in_words", "今年计划供应工业用地620公顷,占供地总量的一半以上。全年计划供地1150公顷。\n")
# 92.6 / 85.3 = 1.0856 → 8.6 %; 32.1 + 60.5 = 92.6
shape(
    "two_years_side_by_side_in_prose",
    "2023年全县供应土地85.3公顷,2024年供应92.6公顷,同比增长8.6%。其中2024年住宅用地32.1公顷,工业用地60.5公顷。\n",
    ("同比增长8.6%", "同比增长12.6%", frozenset({"change.mismatch"})),
    ("工业用地60.5", "工业用地80.5", SUM),
)
shape(
    "a_plan_adjustment_notice",
    "关于调整2025年度土地储备计划的公告\n经研究,将2025年度土地储备计划由原来的150.00公顷调整为180.00公顷,"
    "增加30.00公顷。新增的30.00公顷全部为工业用地。\n",
)
shape(
    "a_county_news_item_with_targets",
    "据悉,今年全县将完成土地收储3000亩以上,供应土地2500亩,其中工业用地不少于1200亩,实现土地出让收入15亿元以上。\n",
)
# quarters: 120.5 + 210.0 + 150.5 + 99.0 = 580.0 亩; 5 + 8 + 6 + 4 = 23 宗
shape(
    "quarter_table_with_counts_and_prices",
    "季度\t宗数\t面积(亩)\t起始价(万元)\n一季度\t5\t120.5\t36150\n二季度\t8\t210.0\t63000\n三季度\t6\t150.5\t45150\n"
    "四季度\t4\t99.0\t29700\n合计\t23\t580.0\t174000\n",
    ("二季度\t8", "二季度\t11", COUNT),
    ("\t210.0\t", "\t260.0\t", SUM),
)
# 38.2 + 14.4 = 52.6 万㎡ = 52.6 公顷
shape(
    "hectares_split_in_10k_square_metres",
    "本年度计划收储土地52.6公顷,其中城区38.2万平方米,园区14.4万平方米。\n",
    ("园区14.4", "园区24.4", SUM),
)
# 450 + 600 + 750 = 1800 (of 中心城区, not of the city's 3200)
shape(
    "the_uses_of_one_zone_named_before_zhong",
    "2025年全市计划供应国有建设用地3200公顷,其中中心城区1800公顷。中心城区供地中,住宅用地450公顷,工业用地600公顷,"
    "其他用地750公顷。\n",
    ("其他用地750", "其他用地950", SUM),  # 2000 > 1800
)
shape(
    "a_list_with_deng",
    "今年重点保障城东新区、高铁片区等区域用地,其中城东新区80公顷、高铁片区60公顷等。全年计划供地500公顷。\n",
)
# 2.0000 ha = 30.00 亩; 1.5000 = 22.50; 3.5000 = 52.50
shape(
    "parcel_table_in_two_area_columns",
    "序号\t地块位置\t面积(公顷)\t面积(亩)\t用途\n1\t人民路东\t2.0000\t30.00\t住宅\n2\t建设路西\t1.5000\t22.50\t商业\n"
    "合计\t\t3.5000\t52.50\t\n",
    ("\t22.50\t", "\t32.50\t", UNITS),
)

# -- amendments (计划调整): the value before an adjustment is the old plan's, no part of the new one --------
# new: 135 + 225 + 100 = 460 (old: 120 + 200 + 100 = 420)
shape(
    "an_amendment_adjusting_total_and_items",
    "关于调整2025年度国有建设用地供应计划的通知\n原计划供应国有建设用地420公顷,现调整为460公顷,其中住宅用地由120公顷"
    "调整为135公顷,工业用地由200公顷调整为225公顷,其他用地100公顷不变。\n",
    ("其他用地100公顷", "其他用地150公顷", SUM),  # 510 > 460
    ("调整为225公顷", "调整为205公顷", SUM),  # 440: the closing 其他 leaves no room for the 20 missing
)
# new: 100 + 80 = 180 (the old 150 is no total of them)
shape(
    "an_amendment_of_the_scale_with_its_new_split",
    "关于调整2025年度土地储备计划的公告\n经研究,将2025年度土地储备计划由原来的150.00公顷调整为180.00公顷,"
    "其中住宅用地100.00公顷,工业用地80.00公顷。\n",
    ("工业用地80.00公顷", "工业用地95.00公顷", SUM),  # 195 > 180
)
# 64 + 31 = 95 亩 after the adjustment (raised from 50 and 25)
shape(
    "an_amendment_raising_zones_with_zhi",
    "2025年度土地储备计划调整方案\n全县储备规模调增至95亩,其中城关镇由50亩调增至64亩,工业园区由25亩调增至31亩。\n",
    ("调增至31亩", "调增至41亩", SUM),  # 105 > 95
)

# -- prices per area (单价…万元/亩): the rate must be one of its sentence's prices over one of its areas -----
PRICE = frozenset({"unit_price.mismatch"})
# 6亿 / 150 = 400; 4.5亿 / 100 = 450; 1.5亿 / 50 = 300 万元/亩; 100 + 50 = 150 亩, 2 + 1 = 3 宗
shape(
    "monthly_release_with_prices_per_mu",
    "本月计划挂牌出让经营性用地3宗,面积150亩,起始价6亿元,单价400万元/亩。其中住宅用地2宗,面积100亩,"
    "起始价4.5亿元,单价450万元/亩;商服用地1宗,面积50亩,起始价1.5亿元,单价300万元/亩。\n",
    ("面积100亩", "面积130亩", PRICE),  # 4.5亿 / 130 = 346, not 450
    ("起始价1.5亿元", "起始价2.5亿元", PRICE),  # 500, not 300
)
# 5400 / 45 = 120 万元/亩 (the deposit 1080 万元 is no price)
shape(
    "listing_notice_with_deposit_and_price_per_mu",
    "该宗地面积45亩,挂牌起始价5400万元,折合单价120万元/亩,竞买保证金1080万元。\n",
    ("面积45亩", "面积54亩", PRICE),  # 100, not 120
)
# 12.5 公顷 = 187.5 亩; 3.75亿 / 187.5 = 200 万元/亩
shape(
    "parcel_line_with_code_and_price_per_mu",
    "地块编号DK2025-03,位于城北路东侧,面积12.5公顷,出让起始价3.75亿元,单价200万元/亩。\n",
    ("面积12.5公顷", "面积15.5公顷", PRICE),  # 161, not 200
)
# 25000 ㎡ = 2.5 公顷; 3750 / 2.5 = 1500 万元/公顷
shape(
    "price_per_hectare_with_square_metres",
    "该宗地出让面积25000平方米,出让价款3750万元,单价1500万元/公顷。\n",
    ("面积25000平方米", "面积35000平方米", PRICE),
)
# 3.6亿 / 120 = 300 (成交); 3亿 / 120 = 250 (起始): a 成交 rate is of the 成交 price
shape(
    "starting_and_final_price_with_final_rate",
    "该地块面积120亩,起始价3亿元,成交价3.6亿元,成交单价300万元/亩。\n",
    ("成交单价300", "成交单价250", PRICE),
)
# 1983.99 / 66.13 = 30.001; 1289.19 / 78.63 = 16.3957, written 16.39 (truncated, not rounded): no error
shape(
    "allocation_prices_truncated",
    "教育用地面积66.13亩,划拨价款1983.99万元(成本单价30万元/亩)。医院用地面积78.63亩,划拨价款1289.19万元,"
    "单价16.39万元/亩。\n",
)
# 楼面价 is per floor area (not checkable); 均价 may average the parcels' own rates; 补偿标准 is a standard (the
# fee also pays other items); with 溢价 two prices are in play; the second parcel's area is not stated
shape("a_floor_price_is_no_price_per_land_area", "该地块面积120亩,成交价9.6亿元,楼面价4000元/平方米。\n")
shape(
    "an_average_price_per_mu_of_a_month",
    "本月全市共成交经营性用地5宗,面积300亩,成交总价12亿元,均价380万元/亩。\n",
)
shape(
    "compensation_standard_per_mu",
    "本年度征收集体土地200亩,补偿费用3600万元,补偿标准每亩15万元。\n",
)
shape(
    "a_premium_with_the_final_rate",
    "该地块面积120亩,起始价3亿元,经38轮竞价以3.6亿元成交,溢价率20%,成交单价300万元/亩。\n",
)
shape(
    "two_parcels_in_one_sentence_the_second_without_area",
    "A地块面积50亩,起价1.5亿元,单价300万元/亩,B地块起价1.2亿元,单价400万元/亩。\n",
)
shape("an_approximate_area_with_a_price", "该地块面积约45亩,起始价5400万元,单价110万元/亩。\n")
shape(
    "a_price_table_with_a_rate_column",
    "地块编号\t面积(亩)\t起始价(万元)\t单价(万元/亩)\nA-01\t50.0\t15000\t300\nA-02\t30.0\t12000\t400\n"
    "合计\t80.0\t27000\t\n",
    ("A-02\t30.0", "A-02\t40.0", PARCELS),  # 90 > 80
)

# -- headings of other styles, merged cells, several columns summed by one 合计 row --------------------------
# 310 + 140 + 420 + 180 + 200 = 1250: a supply plan's 供应结构 section splits its 供应总量
shape(
    "supply_plan_with_numbered_use_headings",
    "某市2025年度国有建设用地供应计划\n一、供应总量\n2025年全市计划供应国有建设用地1250公顷。\n二、供应结构\n"
    "（一）住宅用地310公顷\n（二）商服用地140公顷\n（三）工矿仓储用地420公顷\n（四）公共管理与公共服务用地180公顷\n"
    "（五）交通运输用地200公顷\n",
    ("（三）工矿仓储用地420公顷", "（三）工矿仓储用地520公顷", SUM),  # 1350 > 1250
)
# 12.6 + 8.8 + 65.0 = 86.4
shape(
    "circled_sources_under_arabic_headings",
    "三、储备规模\n1.年度储备总规模\n本年度计划储备土地86.4公顷。\n2.储备来源\n①收回国有土地12.6公顷\n"
    "②收购土地8.8公顷\n③征收集体土地65.0公顷\n",
    ("②收购土地8.8公顷", "②收购土地18.8公顷", SUM),
)
# the 区域 cell is merged over its rows (blank below the first): 12.0 + 6.5 + 30.0 + 8.5 = 57.0
shape(
    "use_table_with_merged_zone_cells",
    "表2 各区储备计划\n区域\t用途\t面积(公顷)\n城区\t住宅用地\t12.0\n\t商服用地\t6.5\n园区\t工业用地\t30.0\n"
    "\t仓储用地\t8.5\n合计\t\t57.0\n",
    ("\t工业用地\t30.0", "\t工业用地\t40.0", SUM),
)
# the same with each group's 小计 first: 12.0 + 6.5 = 18.5; 30.0 + 8.5 = 38.5; 18.5 + 38.5 = 57.0
shape(
    "use_table_with_merged_zone_cells_and_subtotals",
    "区域\t用途\t面积(公顷)\n城区\t小计\t18.5\n\t住宅用地\t12.0\n\t商服用地\t6.5\n园区\t小计\t38.5\n"
    "\t工业用地\t30.0\n\t仓储用地\t8.5\n合计\t\t57.0\n",
    ("\t工业用地\t30.0", "\t工业用地\t40.0", SUM),  # 48.5 > its 小计 38.5
)
# the same use in two zones, with a money column: 12.0 + 6.5 + 10.0 + 28.5 = 57.0; 3600 + 1950 + 2000 + 4275
# = 11825
shape(
    "merged_zone_cells_with_the_same_use_twice_and_money",
    "区域\t用途\t面积(公顷)\t资金(万元)\n城区\t住宅用地\t12.0\t3600\n\t商服用地\t6.5\t1950\n"
    "园区\t住宅用地\t10.0\t2000\n\t工业用地\t28.5\t4275\n合计\t\t57.0\t11825\n",
    ("\t10.0\t2000", "\t10.0\t3000", SUM),  # the money column: 12825 > 11825
)
# plan and actual side by side: 80 + 120 + 50 = 250; 72.5 + 131.2 + 40.3 = 244.0
shape(
    "execution_table_plan_and_actual_columns",
    "用途\t计划供应(公顷)\t实际供应(公顷)\n住宅用地\t80.0\t72.5\n工业用地\t120.0\t131.2\n其他用地\t50.0\t40.3\n"
    "合计\t250.0\t244.0\n",
    ("\t131.2", "\t151.2", SUM),  # the 实际 column: 264.0 > 244.0
)
# years as rows, 规模 with its 其中 columns: 40 + 50 + 45 = 135; 60 + 70 + 65 = 195; 100 + 120 + 110 = 330
shape(
    "years_as_rows_with_stock_and_new_columns",
    "年度\t储备规模(公顷)\t其中存量(公顷)\t其中新增(公顷)\n2025年\t100.0\t40.0\t60.0\n2026年\t120.0\t50.0\t70.0\n"
    "2027年\t110.0\t45.0\t65.0\n合计\t330.0\t135.0\t195.0\n",
    ("\t50.0\t70.0", "\t50.0\t80.0", SUM),  # 新增: 205 > 195
)
# a table that lost its levels, with a money column: 城区 = 老城 + 新城 in both columns
shape(
    "flat_zone_table_with_a_money_column",
    "区域\t面积(公顷)\t资金(万元)\n城区\t45.0\t9000\n老城\t20.0\t4000\n新城\t25.0\t5000\n园区\t30.0\t6000\n"
    "东园\t18.0\t3600\n西园\t12.0\t2400\n总计\t75.0\t15000\n",
    ("\t18.0\t3600", "\t18.0\t5600", SUM),
)
# a 其中 row makes unsure which rows the 合计 of the other column sums: 35.0 + 55.0 = 90.0 (8.0 inside 35.0)
shape(
    "plan_and_done_columns_with_a_qizhong_row",
    "用途\t计划(公顷)\t完成(公顷)\n住宅用地\t40.0\t35.0\n其中:保障性住房\t10.0\t8.0\n工业用地\t60.0\t55.0\n"
    "合计\t100.0\t90.0\n",
)
# a unit-price column is no sum: its 合计 cell (267) is an average
shape(
    "price_table_with_an_average_in_the_sum_row",
    "用途\t面积(亩)\t单价(万元)\t起始价(万元)\n住宅用地\t100\t300\t30000\n商服用地\t50\t200\t10000\n"
    "合计\t150\t267\t40000\n",
    ("\t200\t10000", "\t200\t20000", SUM),  # 起始价: 50000 > 40000
)
# 18000 ㎡ + 1.2 公顷 + 24 亩 = 1.8 + 1.2 + 1.6 = 4.6 公顷
shape(
    "parcels_in_three_area_units",
    "本年度计划收储土地3宗,合计4.6公顷,其中甲地块18000平方米,乙地块1.2公顷,丙地块24亩。\n",
    ("甲地块18000平方米", "甲地块28000平方米", PARCELS),
)
# 38.2亿 + 96000万 + 4.8亿 = 52.6亿
shape(
    "income_parts_in_yi_and_wan",
    "全年土地出让收入预计达到52.6亿元,其中住宅用地出让收入38.2亿元,商服用地出让收入96000万元,"
    "工业用地出让收入4.8亿元。\n",
    ("96000万元", "196000万元", SUM),
)
# 200 + 280 = 480 ≤ 500 (不超过)
shape(
    "an_upper_bound_scale_with_exact_parts",
    "全年计划储备土地不超过500公顷,其中存量土地200公顷,新增土地280公顷。\n",
    ("新增土地280公顷", "新增土地320公顷", SUM),  # 520 > 500 at most
)
# 150 + 230 = 380 after the adjustment (the old 420 is no total of them)
shape(
    "an_amendment_lowering_the_scale_with_stock_and_new",
    "经市政府批准,2025年度土地储备计划规模由原计划的420公顷调减为380公顷,其中存量土地150公顷,新增土地230公顷。\n",
    ("新增土地230公顷", "新增土地270公顷", SUM),  # 420 > 380
)
# an annex (附表) after the text: 6.20 + 4.80 + 7.10 + 3.00 + 2.40 = 23.50
shape(
    "plan_with_parcels_in_an_annex_table",
    "某县2025年度土地储备计划\n一、储备规模\n2025年计划储备土地5宗,面积23.50公顷,具体见附表1。\n附表1\n"
    "2025年度储备地块表\n序号\t地块名称\t面积(公顷)\t用途\n1\t城东地块\t6.20\t住宅用地\n2\t城西地块\t4.80\t商服用地\n"
    "3\t北园地块\t7.10\t工业用地\n4\t南湖地块\t3.00\t住宅用地\n5\t站前地块\t2.40\t商服用地\n",
    ("北园地块\t7.10", "北园地块\t9.10", PARCELS),
)

# columns a 合计 row does not add up: the largest parcel, an investment intensity (its 合计 is an average)
shape(
    "zone_table_with_a_largest_parcel_column",
    "区域\t储备面积(公顷)\t最大地块面积(公顷)\n城区\t20.0\t8.0\n园区\t30.0\t12.0\n合计\t50.0\t12.0\n",
    ("园区\t30.0", "园区\t40.0", SUM),
)
shape(
    "park_table_with_investment_intensity",
    "园区\t面积(亩)\t投资强度(万元)\t总投资(万元)\n东园\t100\t300\t30000\n西园\t50\t400\t20000\n"
    "合计\t150\t333\t50000\n",
    ("\t400\t20000", "\t400\t30000", SUM),  # 总投资: 60000 > 50000
)
# a 完成比例 column is each row's completion (30/40, 45/60), not its share of the total
shape(
    "plan_done_table_with_a_completion_percentage",
    "用途\t计划(公顷)\t完成(公顷)\t完成比例(%)\n住宅用地\t40.0\t30.0\t75.0\n工业用地\t60.0\t45.0\t75.0\n"
    "合计\t100.0\t75.0\t75.0\n",
    ("\t45.0\t75.0", "\t55.0\t75.0", SUM),  # 完成: 85 > 75
)

# each district with its own uses, then the city's 合计 of the districts: 120 + 80 = 200 (50 + 70, 30 + 50)
shape(
    "districts_with_their_own_uses_then_the_citys_sum",
    "甲区计划储备土地120公顷,其中住宅用地50公顷,工业用地70公顷;乙区计划储备土地80公顷,其中住宅用地30公顷,"
    "商服用地50公顷。全市合计200公顷。\n",
    ("全市合计200公顷", "全市合计210公顷", SUM),  # the districts' 合计: 200 cannot reach 210
)


# -- number forms and units other counties write ----------------------------------------------------
# full-width digits: 45.6 + 30.4 = 76.0
shape(
    "full_width_digits",
    "某县２０２５年度土地储备计划\n２０２５年计划储备土地７６．０公顷，其中存量土地４５．６公顷，新增土地３０．４公顷。\n",
    ("新增土地３０．４公顷", "新增土地４０．４公顷", SUM),
)
# 12.50 + 7.50 = 20.00 hm²
shape(
    "hectares_written_hm2",
    "本年度计划收储土地20.00hm²,其中住宅用地12.50hm²,商服用地7.50hm²。\n",
    ("商服用地7.50hm²", "商服用地9.50hm²", SUM),
)
# thousands separators: 1,250.50 + 2,349.50 = 3,600.00
shape(
    "mu_with_thousands_separators",
    "全县计划储备土地3,600.00亩,其中城区1,250.50亩,园区2,349.50亩。\n",
    ("园区2,349.50亩", "园区2,549.50亩", SUM),
)
# 12.3 万㎡ = 123000 ㎡ = 80000 + 43000
shape(
    "ten_thousand_square_metres_split_in_square_metres",
    "收储土地12.3万平方米,其中甲地块80000平方米,乙地块43000平方米。\n",
    ("乙地块43000平方米", "乙地块63000平方米", PARCELS),
)
# 3.1 + 2.1 = 5.2 km²
shape(
    "square_kilometres",
    "全市计划储备土地5.2平方公里,其中中心城区3.1平方公里,开发区2.1平方公里。\n",
    ("开发区2.1平方公里", "开发区3.1平方公里", SUM),
)
# 1500 亩 = 100 ha; 600 亩 = 40 ha; 900 亩 = 60 ha
shape(
    "mu_with_hectares_in_parentheses_for_each_use",
    "2025年计划储备土地1500亩(100公顷),其中住宅用地600亩(40公顷),工业用地900亩(60公顷)。\n",
    ("工业用地900亩(60公顷)", "工业用地900亩(70公顷)", UNITS),
)

# -- 包括 / 含 / 总计 --------------------------------------------------------------------------------------
# 10 + 30 + 20 = 60
shape(
    "supply_uses_after_baokuo",
    "2025年计划供应国有建设用地60公顷,包括商服用地10公顷、住宅用地30公顷、工矿仓储用地20公顷。\n",
    ("工矿仓储用地20公顷", "工矿仓储用地30公顷", SUM),
)
# 30 (含 5) + 25 = 55
shape(
    "housing_with_han_in_parentheses",
    "计划供应土地55公顷,其中住宅用地30公顷(含保障性住房用地5公顷),工业用地25公顷。\n",
    ("工业用地25公顷", "工业用地35公顷", SUM),
)
# 12.5 + 7.5 + 30.0 = 50.0, the 总计 after the parts
shape(
    "sources_then_zongji",
    "2025年拟收回国有土地12.5公顷,收购土地7.5公顷,征收集体土地30.0公顷,总计50.0公顷。\n",
    ("征收集体土地30.0公顷", "征收集体土地40.0公顷", SUM),
)
# 20 + 30 = 50, written 合计面积
shape(
    "uses_then_heji_mianji",
    "本年度计划储备住宅用地20公顷,工业用地30公顷,合计面积50公顷。\n",
    ("合计面积50公顷", "合计面积60公顷", SUM),
)

# -- held land by how ready it is (可供应 / 需前期开发): parts of the stock, not the supply or works ----------
# 10 + 8 = 18 宗; 68.20 + 57.16 = 125.36
shape(
    "carried_over_split_ready_and_to_develop",
    "一、上年度末储备土地情况\n截至2024年12月31日,全县储备土地共计18宗,面积125.36公顷。其中,已完成前期开发可供应土地10宗、"
    "68.20公顷;需前期开发土地8宗、57.16公顷。\n",
    ("需前期开发土地8宗、57.16公顷", "需前期开发土地8宗、67.16公顷", SUM),
    ("可供应土地10宗", "可供应土地12宗", COUNT),
)
# 48 + 88 = 136 宗; 530 + 720 = 1250 亩
shape(
    "stock_counts_split_ready_and_to_develop",
    "全县现有储备土地136宗、1250亩,其中可供应土地48宗、530亩,需前期开发土地88宗、720亩。\n",
    ("需前期开发土地88宗", "需前期开发土地98宗", COUNT),
    ("、720亩", "、820亩", SUM),
)
# the same named 地块: parts, never parcels
shape(
    "stock_split_ready_parcels_named_dikuai",
    "储备土地18宗、125公顷,其中可供应地块10宗、68公顷,需前期开发地块8宗、57公顷。\n",
    ("、57公顷", "、67公顷", SUM),
)

# -- a county plan of the national template, every section -----------------------------------------------
# 结转 10 + 8 = 18, 68.20 + 57.16 = 125.36; 新增 3 + 2 + 7 = 12, 15.20 + 8.30 + 63.00 = 86.50; 供应 6 + 3 + 6
# = 15, 40.10 + 12.30 + 46.00 = 98.40; 资金 57000 + 8500 + 120 = 65620
shape(
    "county_plan_of_the_national_template",
    "某县2025年度土地储备计划\n一、上年度末储备土地情况\n截至2024年12月31日,全县储备土地共计18宗,面积125.36公顷。其中,"
    "已完成前期开发可供应土地10宗、68.20公顷;需前期开发土地8宗、57.16公顷。\n二、年度新增储备土地计划\n2025年计划新增储备土地"
    "12宗,面积86.50公顷。按储备方式分:收回国有土地3宗、15.20公顷,收购土地2宗、8.30公顷,征收集体土地7宗、63.00公顷。\n"
    "三、储备土地前期开发计划\n2025年计划对9宗、60.25公顷储备土地实施前期开发,预计投入资金8500万元。\n四、储备土地管护计划\n"
    "2025年纳入管护的储备土地共30宗、211.86公顷,管护费用120万元。\n五、储备土地供应计划\n2025年计划供应储备土地15宗、98.40公顷,"
    "其中住宅用地6宗、40.10公顷,商服用地3宗、12.30公顷,工业用地6宗、46.00公顷。\n六、土地储备资金需求\n2025年土地储备资金需求"
    "总量为65620万元,其中征收收购补偿费用57000万元,前期开发费用8500万元,管护费用120万元。\n",
    ("征收集体土地7宗、63.00公顷", "征收集体土地7宗、73.00公顷", SUM),
    ("收购土地2宗", "收购土地4宗", COUNT),
    ("工业用地6宗、46.00公顷", "工业用地6宗、56.00公顷", SUM),
    ("8500万元,管护费用120万元", "8500万元,管护费用1120万元", SUM),
    ("需前期开发土地8宗、57.16公顷", "需前期开发土地8宗、67.16公顷", SUM),
)

# -- amendments and supplements ---------------------------------------------------------------------------
# an item adjusted, then the new total with its split: 50 + 60 = 110 (the item is no total of the split)
shape(
    "an_amended_item_then_the_new_total_split",
    "关于调整2025年度土地储备计划的通知\n原计划储备住宅用地40公顷调整为50公顷,调整后全年储备规模为110公顷,其中住宅用地50公顷,"
    "工业用地60公顷。\n",
    ("工业用地60公顷", "工业用地70公顷", SUM),
)
shape(
    "an_item_then_the_total_then_its_split",
    "住宅用地由40公顷调整为50公顷,调整后全年储备规模为110公顷,其中住宅用地50公顷,工业用地60公顷。\n",
)
# 增补 25.6 = 10.6 + 15.0; after it the plan holds 110.6 (the 增补 is no total of the plan)
shape(
    "a_supplement_with_its_split",
    "关于增补2025年度土地储备计划的通知\n同意增补储备地块3宗、面积25.6公顷,其中住宅用地10.6公顷,工业用地15.0公顷。增补后全年"
    "储备计划为8宗、110.6公顷。\n",
    ("工业用地15.0公顷", "工业用地25.0公顷", SUM),  # 35.6 > 25.6 and the 增补 is no parcel
)
shape(
    "a_supplement_then_the_plan_after_it",
    "同意增补储备地块3宗、面积25.6公顷,增补后全年储备计划为110.6公顷,其中住宅用地10.6公顷,工业用地15.0公顷。\n",
)

# -- notices listing parcels, the sum after the list ------------------------------------------------------
# 2.35 + 1.80 + 3.15 = 7.30
shape(
    "notice_parcels_on_lines_then_their_sum",
    "关于公布2025年第一批拟收储地块的公告\n现将拟收储的3宗地块公告如下:\n1.城东路北侧地块,面积2.35公顷;\n"
    "2.城西路南侧地块,面积1.80公顷;\n3.滨河路东侧地块,面积3.15公顷。\n以上3宗地块合计面积7.30公顷。\n",
    ("面积1.80公顷", "面积2.80公顷", PARCELS),
)
# 12540 + 26680 = 39220 ㎡
shape(
    "recovery_notice_in_one_line_then_its_sum",
    "拟收回以下国有建设用地使用权:1.原县粮食局仓库地块,面积12540平方米;2.原农机厂地块,面积26680平方米。以上2宗地块合计面积"
    "39220平方米。\n",
    ("面积26680平方米", "面积36680平方米", PARCELS),
)

# -- supply with the way land is handed over and its prices -------------------------------------------------
# 出让住宅用地 is one use (the plan's verb with it), not the whole supply: 10 + 15 = 25, no total stated
shape(
    "uses_named_with_chu_rang_and_their_starting_prices",
    "计划出让住宅用地2宗,面积10公顷,起始价1.8亿元;工业用地1宗,面积15公顷,起始价0.3亿元。\n",
)
shape(
    "uses_named_with_their_supply_way_as_parts",
    "全年计划供应土地100公顷,其中出让住宅用地50公顷,出让商服用地30公顷,划拨公共管理与公共服务用地20公顷。\n",
    ("划拨公共管理与公共服务用地20公顷", "划拨公共管理与公共服务用地30公顷", SUM),
)
# a count with no area, then parts with counts and areas: 2 + 1 = 3 宗
shape(
    "a_count_total_then_parts_with_areas_and_prices",
    "全年计划供应储备土地3宗,其中住宅用地2宗、10公顷,出让价款预计2亿元;商服用地1宗、5公顷,出让价款预计1.5亿元。\n",
)

# -- other shapes of county plans ---------------------------------------------------------------------------
# 100 + 120 + 80 = 300
shape(
    "three_year_rolling_plan_in_one_sentence",
    "某市2024—2026年土地储备三年滚动计划\n三年计划储备土地300公顷,其中2024年100公顷,2025年120公顷,2026年80公顷。\n",
    ("2026年80公顷", "2026年110公顷", SUM),
)
# 120 + 80 = 200; 60 %, 40 %
shape(
    "supply_plan_stock_and_new_with_shares",
    "某县2025年度国有建设用地供应计划\n全县计划供应国有建设用地200公顷,其中存量建设用地120公顷,占60%;新增建设用地80公顷,"
    "占40%。\n",
    ("占60%", "占70%", SHARE),
)
# 20 + 60 = 80 reserved; 前期开发 50 and 供应 65 are totals of their own
shape(
    "reserve_development_and_supply_in_one_line",
    "2025年计划收储土地80公顷,其中收购20公顷,征收60公顷。计划前期开发土地50公顷,计划供应储备土地65公顷。\n",
    ("征收60公顷", "征收70公顷", SUM),
)
# 2.8 + 0.5 + 0.2 = 3.5 亿元; sources 2.0 + 1.5 = 3.5
shape(
    "funds_need_and_sources_in_yi",
    "2025年土地储备资金需求3.5亿元,其中土地征收补偿2.8亿元,前期开发0.5亿元,其他0.2亿元。资金来源:土地出让收入2.0亿元,"
    "专项债券1.5亿元。\n",
    ("前期开发0.5亿元", "前期开发0.9亿元", SUM),
)
# 5 + 7 = 12 宗; 50 + 70 = 120
shape(
    "uses_with_counts_and_areas",
    "全年计划储备土地12宗、120公顷,其中住宅用地5宗、50公顷,工业用地7宗、70公顷。\n",
    ("工业用地7宗", "工业用地9宗", COUNT),
)
# projects (个) are not parcels (宗): nothing to compare
shape(
    "projects_counted_with_ge",
    "今年共安排土地储备项目8个,面积96.5公顷,其中城区项目5个、60.5公顷,园区项目3个、36.0公顷。\n",
    ("园区项目3个、36.0公顷", "园区项目3个、46.0公顷", SUM),
)
# partial lists and approximate totals: never an error
shape("an_approximate_total_its_parts_short", "全年计划收储土地约100公顷,其中城区45.3公顷,园区53.3公顷。\n")
shape("a_list_closed_by_deng", "全年计划供应土地150公顷,其中住宅用地40公顷、商服用地20公顷等。\n")
shape("a_list_of_the_main_parts", "计划储备土地200公顷,主要包括城南片区80公顷、高新区60公顷。\n")
# 150 − 120 = 30 = 20 % of 150
shape(
    "decline_against_last_years_plan",
    "2025年计划供应住宅用地120公顷,比上年计划的150公顷减少30公顷,下降20%。\n",
    ("下降20%", "下降25%", frozenset({"change.mismatch"})),
)
# 45 + 135 = 180 inside the uses: 90 + 260 + 180 + 120 + 170 + 20 + 10 = 850
shape(
    "city_supply_plan_with_housing_split_after",
    "某市2025年度国有建设用地供应计划\n2025年全市国有建设用地供应计划总量为850公顷。其中,商服用地90公顷,工矿仓储用地260公顷,"
    "住宅用地180公顷,公共管理与公共服务用地120公顷,交通运输用地170公顷,水域及水利设施用地20公顷,特殊用地10公顷。\n"
    "住宅用地中,保障性安居工程用地45公顷,商品住房用地135公顷。\n",
    ("商品住房用地135公顷", "商品住房用地155公顷", SUM),
    ("特殊用地10公顷", "特殊用地40公顷", SUM),
)
# 3.5 + 12.0 + 33.0 = 48.5
shape(
    "housing_land_supply_plan_of_a_county",
    "某县2025年住宅用地供应计划\n全县计划供应住宅用地48.5公顷,其中保障性租赁住房用地3.5公顷,棚户区改造安置住房用地12.0公顷,"
    "商品住房用地33.0公顷。\n",
    ("商品住房用地33.0公顷", "商品住房用地38.0公顷", SUM),
)
# 4.0 + 1.2 = 5.2 亿元; 38.6 ha = 579 亩
shape(
    "bond_project_investment_split",
    "某县城东片区土地储备项目\n项目总投资5.2亿元,其中申请专项债券资金4.0亿元,项目单位自筹1.2亿元。项目储备土地面积38.6公顷"
    "(579亩)。\n",
    ("自筹1.2亿元", "自筹2.2亿元", SUM),
    ("(579亩)", "(679亩)", UNITS),
)
# 0.56 + 0.40 + 0.30 = 1.26 亿元
shape(
    "development_projects_and_their_costs",
    "计划实施前期开发项目6个,总投资1.26亿元,其中道路工程0.56亿元,管网工程0.40亿元,场地平整0.30亿元。\n",
    ("场地平整0.30亿元", "场地平整0.50亿元", SUM),
)
# 5 + 3 + 4 = 12; 30.5 + 20.0 + 25.5 = 76.0; 12000 + 8000 + 6000 = 26000
shape(
    "district_table_with_counts_areas_and_money",
    "区县\t宗数\t面积(公顷)\t资金(万元)\n甲区\t5\t30.5\t12000\n乙区\t3\t20.0\t8000\n丙县\t4\t25.5\t6000\n合计\t12\t76.0\t26000\n",
    ("丙县\t4\t", "丙县\t6\t", COUNT),
    ("\t25.5\t6000", "\t35.5\t6000", SUM),
)
# a caption unit and the 合计 row first: 12.30 + 9.50 + 15.00 = 36.80
shape(
    "parcel_table_with_the_sum_row_first",
    "表1 2025年度新增储备土地计划表\n单位:公顷\n序号\t项目名称\t面积\t用途\n合计\t\t36.80\t\n1\t城东片区\t12.30\t住宅\n"
    "2\t城西片区\t9.50\t商服\n3\t工业园区\t15.00\t工业\n",
    ("\t9.50\t", "\t19.50\t", PARCELS),
)
# 80 / 200 = 40 %, 60 / 200 = 30 %
shape(
    "use_table_with_a_share_column",
    "用途\t面积(公顷)\t占比(%)\n工业用地\t80\t40.0\n住宅用地\t60\t30.0\n其他用地\t60\t30.0\n合计\t200\t100.0\n",
    ("住宅用地\t60\t30.0", "住宅用地\t60\t35.0", SHARE),
)

# a 序号 column, the 合计 written in it (its name cell blank): 120.5 + 80.0 + 35.5 = 236.0; 3 + 2 + 1 = 6
shape(
    "zone_table_with_serials_and_the_sum_in_the_serial_column",
    "序号\t乡镇\t宗数\t面积(亩)\n1\t城关镇\t3\t120.5\n2\t东岗镇\t2\t80.0\n3\t西河乡\t1\t35.5\n合计\t\t6\t236.0\n",
    ("\t2\t80.0", "\t2\t90.0", SUM),
    ("西河乡\t1\t", "西河乡\t3\t", COUNT),
)
shape(
    "use_table_with_serials_and_the_sum_in_the_serial_column",
    "序号\t用途\t面积(公顷)\n1\t住宅用地\t20.5\n2\t商服用地\t10.2\n3\t工业用地\t30.3\n合计\t\t61.0\n",
    ("商服用地\t10.2", "商服用地\t20.2", SUM),
)
# groups of parcels named by their zone (城区地块5宗): parts, not parcels; 5 + 4 = 9, 32.4 + 26.2 = 58.6
shape(
    "parcels_counted_by_zone_with_dikuai",
    "全县2025年计划收储土地总面积为58.6公顷,涉及地块9宗。其中城区地块5宗、32.4公顷,乡镇地块4宗、26.2公顷。\n",
    ("乡镇地块4宗", "乡镇地块6宗", COUNT),
)
# 12 + 8 + 10 = 30, the 共计 after the parts
shape(
    "zones_listed_then_gongji",
    "计划储备城东片区12公顷、城西片区8公顷、城南片区10公顷,共计30公顷。\n",
    ("城南片区10公顷", "城南片区20公顷", SUM),
)
# 20 + 10 = 30 over numbered lines after 其中:
shape(
    "a_qizhong_colon_list_over_numbered_lines",
    "2025年计划储备土地30公顷,其中:\n1.住宅用地20公顷;\n2.商服用地10公顷。\n",
    ("2.商服用地10公顷", "2.商服用地20公顷", SUM),
)
# two splits of one total: 40 + 60 = 100 by use, 45 + 55 = 100 by zone
shape(
    "one_total_split_by_use_and_by_zone",
    "2025年计划储备土地100公顷。按用途分,住宅用地40公顷,工业用地60公顷;按区域分,城区45公顷,园区55公顷。\n",
    ("园区55公顷", "园区65公顷", SUM),
    ("工业用地60公顷", "工业用地70公顷", SUM),
)
# 45 + 135 = 180 in the parenthesis; 180 + 120 = 300
shape(
    "housing_split_in_a_parenthesis_with_qizhong",
    "计划供应土地300公顷,其中住宅用地180公顷(其中保障性住房45公顷、商品住房135公顷),工业用地120公顷。\n",
    ("商品住房135公顷", "商品住房155公顷", SUM),
)
# 2573.45 亩 = 171.563 公顷
shape(
    "mu_with_zhehe_hectares",
    "拟收储土地面积共计2573.45亩(折合171.56公顷)。\n",
    ("(折合171.56公顷)", "(折合181.56公顷)", UNITS),
)
# 2.39 万亩 = 23900 亩 = 15200 + 8700
shape(
    "ten_thousand_mu_split_in_mu",
    "全年共收储土地2.39万亩,其中城区15200亩,县域8700亩。\n",
    ("县域8700亩", "县域9700亩", SUM),
)
# 98000 + 21000 + 6000 = 125000 万元 = 12.5 亿元
shape(
    "funds_in_yi_split_in_wan",
    "2025年土地储备资金需求12.5亿元,其中征地拆迁补偿98000万元,前期开发21000万元,其他6000万元。\n",
    ("其他6000万元", "其他16000万元", SUM),
)
# shares rounded to one decimal summing to 100.0 (33.3 + 33.3 + 33.4); floored 约 shares
shape(
    "shares_of_thirds",
    "全年计划出让土地1000亩,其中住宅用地333亩,占33.3%;商服用地333亩,占33.3%;工业用地334亩,占33.4%。\n",
)
shape(
    "approximate_shares_floored",
    "全市拟供应国有建设用地4628公顷,其中住宅用地580公顷,占比约12%;商服用地183公顷,占比约4%;工矿仓储用地1100公顷,"
    "占比约24%;其他用地2765公顷,占比约60%。\n",
)
shape(
    "lower_bounds_and_an_approximate_part",
    "全年储备土地不少于100公顷,其中工业用地不少于40公顷,住宅用地约50公顷。\n",
)
# 204 / 200 = 102 %
shape(
    "execution_beyond_the_plan",
    "年度计划供应土地200公顷,实际完成204公顷,完成年度计划的102%。\n",
    ("完成年度计划的102%", "完成年度计划的112%", frozenset({"completion.mismatch"})),
)
# 1200 亩 = 80 公顷 = 450 亩 (30) + 750 亩 (50)
shape(
    "stock_and_new_supply_in_mu_with_hectares",
    "全年计划供应国有建设用地1200亩(80公顷),其中存量用地450亩(30公顷),新增用地750亩(50公顷)。\n",
    ("新增用地750亩(50公顷)", "新增用地750亩(60公顷)", UNITS),
)
# a notice with its document number and dates: no figure of those
shape(
    "a_notice_with_its_number_and_date",
    "某县人民政府关于印发2025年度土地储备计划的通知\n县政发〔2025〕12号\n2025年3月15日\n一、储备规模\n"
    "2025年计划储备土地15宗、86.5公顷。\n",
)

# digits grouped in threes by spaces (1 000): one number or two — not read, and no error either way
shape("digits_grouped_by_spaces", "计划储备土地1300亩,其中城区1 000亩,园区300亩。\n")
# a 2-column table under a caption unit: 30.0 + 50.0 = 80.0
shape(
    "two_column_table_under_a_caption_unit",
    "(单位:公顷)\n区域\t储备面积\n城区\t30.0\n园区\t50.0\n合计\t80.0\n",
    ("园区\t50.0", "园区\t60.0", SUM),
)
# supply by where the land comes from: 50 + 70 = 120
shape(
    "supply_split_by_carried_over_and_new_reserve_land",
    "全年计划供应储备土地120公顷,其中上年度结转储备土地供应50公顷,本年度新增储备土地供应70公顷。\n",
    ("供应70公顷", "供应80公顷", SUM),
)

# -- changes, conversions, shares and completion in news items -------------------------------------------
CHANGE = frozenset({"change.mismatch"})
# 460 − 400 = 60 = 15 % of 400 (the base in parentheses; the difference is no figure that changed)
shape(
    "growth_against_a_base_in_parentheses",
    "2025年计划供应土地460公顷,较2024年(400公顷)增加60公顷,增长15%。\n",
    ("增长15%", "增长25%", CHANGE),
)
shape(
    "decrease_against_last_years_figure",
    "2025年计划供应土地360公顷,比上年的400公顷减少40公顷。\n",
    ("减少40公顷", "减少60公顷", CHANGE),
)
# 1.2 万亩 = 12000 亩 = 800 公顷; 13340 ㎡ = 20.01 亩
shape(
    "ten_thousand_mu_with_hectares", "全年计划储备土地1.2万亩(800公顷)。\n", ("(800公顷)", "(900公顷)", UNITS)
)
shape("square_metres_with_mu", "地块面积13340平方米(20.01亩)。\n", ("(20.01亩)", "(21.01亩)", UNITS))
# 200 / 500 = 40 %; 13.06 / 28.68 = 45.5 %
shape(
    "share_of_the_total_after_a_part",
    "全年供地500公顷,其中工业用地200公顷,占供地总量的40%。\n",
    ("占供地总量的40%", "占供地总量的45%", SHARE),
)
shape(
    "share_in_ten_thousand_mu",
    "全省批而未供土地28.68万亩,其中供而未用13.06万亩,占45.5%。\n",
    ("占45.5%", "占55.5%", SHARE),
)
# 27 / 30 = 90 %; 1.2 / 1.5 = 80 %
shape(
    "completion_of_a_task",
    "年度任务30公顷,已完成27公顷,完成率90%。\n",
    ("完成率90%", "完成率95%", frozenset({"completion.mismatch"})),
)
shape(
    "completion_of_a_task_in_ten_thousand_mu",
    "今年下达的处置任务为1.5万亩,截至10月底已处置1.2万亩,完成任务的80%。\n",
    ("完成任务的80%", "完成任务的90%", frozenset({"completion.mismatch"})),
)
# 1200 + 900 + 1100 = 3200
shape(
    "counties_of_a_city",
    "全市计划储备土地3200亩,其中甲县1200亩,乙县900亩,丙县1100亩。\n",
    ("丙县1100亩", "丙县1200亩", SUM),
)

# -- more provinces' ways of writing the same plan ----------------------------------------------------------
# 98.65 + 51.60 = 150.25; 98.65 / 150.25 = 65.66 %; 12.50 + 45.30 + 60.20 + 20.15 + 12.10 = 150.25
shape(
    "reserve_indicators_of_a_provincial_template",
    "三、计划指标\n(一)国有建设用地储备计划指标\n1、储备规模\n2022年,某县计划储备国有建设用地总规模为150.25公顷,其中,"
    "新增储备规模为98.65公顷,占比65.66%;存量储备规模为51.60公顷,占比34.34%。\n2、储备结构\n2022年度储备土地中,"
    "商服用地12.50公顷,住宅用地45.30公顷,工矿仓储用地60.20公顷,公共管理与公共服务用地20.15公顷,交通运输用地12.10公顷。\n",
    ("交通运输用地12.10公顷", "交通运输用地22.10公顷", SUM),
    ("占比65.66%", "占比75.66%", SHARE),
)
# 5 + 8 = 13; 32.15 + 45.60 = 77.75; 8500 + 21000 = 29500
shape(
    "summary_table_under_a_caption_of_two_units",
    "表1 2024年度土地储备计划汇总表\n单位:公顷、万元\n类别\t宗数\t面积\t资金需求\n上年度结转\t5\t32.15\t8500\n"
    "本年度新增\t8\t45.60\t21000\n合计\t13\t77.75\t29500\n",
    ("\t45.60\t", "\t55.60\t", SUM),
)
# 合计 = 存量 + 新增 in each row; the columns: 12 + 30 + 20 = 62, 8 + 20 + 60 = 88
shape(
    "supply_table_by_use_with_stock_and_new_columns",
    "2024年度国有建设用地供应计划表\n单位:公顷\n用途\t合计\t存量\t新增\n商服用地\t20.00\t12.00\t8.00\n"
    "住宅用地\t50.00\t30.00\t20.00\n工矿仓储用地\t80.00\t20.00\t60.00\n总计\t150.00\t62.00\t88.00\n",
    ("\t30.00\t20.00", "\t30.00\t30.00", SUM),
)
# four totals of their own in one sentence (new, works, supply, stock at the year's end): no relation stated
shape(
    "new_works_supply_and_stock_in_one_sentence",
    "2025年计划新增储备土地45宗、3856.2亩,计划前期开发土地30宗、2100.5亩,计划供应储备土地28宗、2300.0亩,"
    "年末预计库存储备土地52宗、4120.6亩。\n",
)
# 15.2 + 22.8 + 8.0 = 46.0
shape(
    "parcels_in_prose_then_their_sum",
    "具体地块为:城北工业园A地块15.2亩;城北工业园B地块22.8亩;老城区人民路地块8.0亩。以上合计46.0亩。\n",
    ("老城区人民路地块8.0亩", "老城区人民路地块18.0亩", PARCELS),
)
# one 其中 row then rows not marked: which rows are parts is not sure (no error either way)
shape(
    "funds_table_with_one_qizhong_row",
    "项目\t金额(万元)\n土地储备资金需求\t50000\n其中:征收补偿\t42000\n前期开发\t6000\n其他费用\t2000\n",
)
# full-width ％ and spaces around the numbers
shape(
    "full_width_percent_signs",
    "全年计划供地200公顷,其中工业用地80公顷,占40％;住宅用地120公顷,占60％。\n",
    ("占40％", "占45％", SHARE),
)
shape(
    "spaces_around_each_number",
    "全年计划储备土地 120.50 公顷,其中住宅用地 50.20 公顷,工业用地 70.30 公顷。\n",
    ("工业用地 70.30 公顷", "工业用地 80.30 公顷", SUM),
)
shape(
    "approximate_funds_and_parts",
    "经测算,2025年全县土地储备共需资金约8.6亿元,其中土地征收补偿约7.2亿元,前期开发约1.4亿元。\n",
)
# parcels counted with 块 after the land they are: 5 + 7 = 12
shape(
    "parcels_counted_with_kuai",
    "全年计划供应土地12块,面积85.6亩,其中住宅用地5块、40.2亩,商业用地7块、45.4亩。\n",
    ("商业用地7块", "商业用地9块", COUNT),
)

# -- funds by year and use, bond plans, execution reports -------------------------------------------------------
# rows 30000 + 20000 = 50000, 5000 + 3000 = 8000; columns 30000 + 5000 = 35000, 20000 + 3000 = 23000
shape(
    "funds_table_by_use_and_year_under_a_caption_unit",
    "表3 资金需求表\n单位:万元\n项目\t2025年\t2026年\t合计\n征收补偿\t30000\t20000\t50000\n前期开发\t5000\t3000\t8000\n"
    "合计\t35000\t23000\t58000\n",
    ("\t5000\t3000\t8000", "\t5000\t3000\t9000", SUM),
    ("合计\t35000", "合计\t36000", SUM),
)
shape(
    "funds_table_by_use_and_year_with_units_in_the_header",
    "项目\t2025年(万元)\t2026年(万元)\t合计(万元)\n征收补偿\t30000\t20000\t50000\n前期开发\t5000\t3000\t8000\n"
    "合计\t35000\t23000\t58000\n",
    ("\t5000\t3000\t8000", "\t5000\t3000\t9000", SUM),
)
# 30.12 + 22.24 = 52.36 ha = 785.4 亩; 5.0 + 1.8 = 6.8 亿元; a coverage ratio is no sum
shape(
    "bond_project_plan_with_coverage",
    "某县2025年土地储备专项债券项目实施方案\n一、项目概况\n项目拟收储土地5宗,总面积52.36公顷(785.4亩),其中住宅用地"
    "30.12公顷,商服用地22.24公顷。\n二、资金来源\n项目总投资6.8亿元,其中申请专项债券5.0亿元,财政资金1.8亿元。\n三、收益测算\n"
    "预计土地出让收入12.6亿元,本息合计6.5亿元,本息覆盖倍数1.94倍。\n",
    ("商服用地22.24公顷", "商服用地32.24公顷", SUM),
    ("财政资金1.8亿元", "财政资金2.8亿元", SUM),
)
# 8.12 + 5.40 + 12.08 = 25.60 ha; 121.80 + 81.00 + 181.20 = 384.00 亩
shape(
    "parcel_table_with_two_area_columns_way_and_notes",
    "附表 2025年度储备地块明细表\n序号\t地块编号\t地块位置\t面积(公顷)\t面积(亩)\t规划用途\t储备方式\t备注\n"
    "1\tCB2025-01\t城东新区\t8.1200\t121.80\t住宅用地\t征收\t\n2\tCB2025-02\t城西片区\t5.4000\t81.00\t商服用地\t收购\t含道路\n"
    "3\tCB2025-03\t工业园区\t12.0800\t181.20\t工业用地\t收回\t\n合计\t\t\t25.6000\t384.00\t\t\t\n",
    ("\t5.4000\t81.00", "\t6.4000\t96.00", PARCELS),
)
# 23.10 + 75.30 = 98.40 = 82.0 % of 120; spent 3.6 + 0.6 = 4.2 亿元 (income is no part of it)
shape(
    "execution_report_with_spending",
    "2024年度土地储备计划执行情况报告\n一、计划完成情况\n2024年计划储备土地120.00公顷,实际完成储备土地98.40公顷,完成率82.0%。"
    "其中,收回国有土地23.10公顷,征收集体土地75.30公顷。\n二、供应情况\n全年供应储备土地15宗、64.25公顷,其中住宅用地5宗、"
    "25.80公顷,工业用地8宗、30.15公顷,商服用地2宗、8.30公顷。实现土地出让收入6.85亿元。\n三、资金使用情况\n全年实际支出"
    "土地储备资金4.2亿元,其中征收补偿3.6亿元,前期开发0.6亿元。\n",
    ("前期开发0.6亿元", "前期开发0.9亿元", SUM),
)
# a mirror in traditional characters with pinyin inserted; a paragraph printed twice
shape(
    "traditional_characters_with_pinyin",
    "某縣2025年度土地儲備計劃發(fā)布\n全縣計劃儲備土地120公頃,其中住宅用地50公頃,工業(yè)用地70公頃。\n",
    ("工業(yè)用地70公頃", "工業(yè)用地80公頃", SUM),
)
shape(
    "a_paragraph_printed_twice",
    "今年全县计划收储土地120公顷,其中城区50公顷,园区70公顷。\n今年全县计划收储土地120公顷,其中城区50公顷,园区70公顷。\n",
)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_correct_document_of_another_kind_yields_no_error(name):
    doc = parse_plan_text(SHAPES[name][0], "x.txt")
    assert _errors(doc) == [], _summary(doc)


BROKEN = [(name, i) for name, (_text, broken) in sorted(SHAPES.items()) for i in range(len(broken))]


@pytest.mark.parametrize(("name", "i"), BROKEN)
def test_its_broken_twin_keeps_an_error_on_the_changed_line(name, i):
    text, broken = SHAPES[name]
    old, new, codes = broken[i]
    assert text.count(old) == 1, old
    changed = text.replace(old, new)
    doc = parse_plan_text(changed, "x.txt")
    line = _line_of(changed, new)
    hits = [f for f in _errors(doc) if f.code in codes and line in f.lines]
    assert hits, (f"expected {sorted(codes)} on line {line}", _summary(doc))


# -- the same documents as a web page and as a Word file ------------------------------------------------
def _html(text: str) -> bytes:
    """A saved web page: a title, paragraphs, tab lines as one <table>, furniture around the article."""
    out = ["<html><head><meta charset='utf-8'><title>某市自然资源和规划局</title></head><body>"]
    out.append("<div class='nav'>首页 &gt; 政务公开 &gt; 规划计划</div><div class='article'>")
    rows: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            out.append("<table border='1'>" + "".join(rows) + "</table>")
            rows = []
        out.append(f"<p>{line}</p>")
    if rows:
        out.append("<table border='1'>" + "".join(rows) + "</table>")
    out.append(
        "</div><div class='footer'>主办单位:某市自然资源和规划局 联系电话:0000-1234567</div></body></html>"
    )
    return "".join(out).encode("utf-8")


def _docx(path: Path, text: str) -> Path:
    from docx import Document

    document = Document()
    lines = text.rstrip("\n").split("\n")
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            document.add_paragraph(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        rows = [line.split("\t") for line in lines[i:j]]
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, cells in enumerate(rows):
            for c, content in enumerate(cells):
                table.cell(r, c).paragraphs[0].add_run(content)
        i = j
    document.save(path)
    return path


_FORMS = sorted(n for n, (t, _b) in SHAPES.items() if "\t" in t or n.startswith(("city_", "county_")))


@pytest.mark.parametrize("name", _FORMS)
def test_a_correct_document_saved_as_a_web_page_yields_no_error(name):
    doc = read_plan_bytes(_html(SHAPES[name][0]), "plan.html")
    assert _errors(doc) == [], _summary(doc)


@pytest.mark.parametrize("name", _FORMS)
def test_a_correct_document_as_a_word_file_yields_no_error(name, tmp_path):
    doc = read_plan(_docx(tmp_path / "plan.docx", SHAPES[name][0]))
    assert _errors(doc) == [], _summary(doc)


@pytest.mark.parametrize("name", _FORMS)
def test_a_broken_table_stays_an_error_in_a_web_page_and_a_word_file(name, tmp_path):
    text, broken = SHAPES[name]
    for old, new, codes in broken:
        changed = text.replace(old, new)
        for doc in (
            read_plan_bytes(_html(changed), "plan.html"),
            read_plan(_docx(tmp_path / "plan.docx", changed)),
        ):
            assert any(f.code in codes for f in _errors(doc)), (old, new, _summary(doc))


def _merged_docx(path: Path, rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Path:
    """A Word table whose cells ``(r1, c1)``–``(r2, c2)`` are merged (as a 区域 cell over its group)."""
    from docx import Document

    document = Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, content in enumerate(cells):
            if content:
                table.cell(r, c).paragraphs[0].add_run(content)
    for r1, c1, r2, c2 in merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    document.save(path)
    return path


@pytest.mark.parametrize(("industry", "errors"), [("30.0", 0), ("40.0", 1)])
def test_a_word_table_with_zone_cells_merged_over_their_rows_is_read_whole(industry, errors, tmp_path):
    # 12.0 + 6.5 + 30.0 + 8.5 = 57.0; with 40.0 the rows exceed their 合计 by 10.0
    rows = [
        ["区域", "用途", "面积(公顷)"],
        ["城区", "住宅用地", "12.0"],
        ["", "商服用地", "6.5"],
        ["园区", "工业用地", industry],
        ["", "仓储用地", "8.5"],
        ["合计", "", "57.0"],
    ]
    doc = read_plan(_merged_docx(tmp_path / "plan.docx", rows, [(1, 0, 2, 0), (3, 0, 4, 0), (5, 0, 5, 1)]))
    assert [f.value for f in doc.figures] == ["12.0", "6.5", industry, "8.5", "57.0"]
    found = [f for f in _errors(doc) if f.code == "breakdown.sum_mismatch"]
    assert len(found) == errors, _summary(doc)


# -- what the figures are read as (the structured data other tools take) ------------------------------------
def _items(doc) -> dict[str, object]:
    return {i.name: i for b in doc.all_breakdowns() for i in b.items}


def test_a_starting_price_after_a_use_is_no_money_of_that_use():
    doc = parse_plan_text(SHAPES["uses_named_with_chu_rang_and_their_starting_prices"][0], "x.txt")
    items = _items(doc)
    assert items["住宅用地"].money is None and items["工业用地"].money is None
    assert [f.label for f in doc.figures if f.unit == "亿元"] == ["住宅用地起始价", "工业用地起始价"]
    assert not any(t.kind.value == "supply" for t in doc.totals)  # 出让住宅用地 is one use, not the supply


def test_a_count_before_a_qizhong_list_is_not_the_first_parts_count():
    doc = parse_plan_text(SHAPES["a_count_total_then_parts_with_areas_and_prices"][0], "x.txt")
    items = _items(doc)
    assert (items["住宅用地"].count.value, items["商服用地"].count.value) == ("2", "1")
    assert [f.label for f in doc.figures if f.unit == "宗"][0] != "住宅用地宗数"


def test_a_supplement_is_no_parcel_and_no_total_of_the_plan():
    doc = parse_plan_text(SHAPES["a_supplement_then_the_plan_after_it"][0], "x.txt")
    assert not doc.parcels
    reserve = [t for t in doc.totals if t.kind.value == "reserve"]
    assert [t.measure.primary.value for t in reserve] == ["110.6"]


def test_ready_and_to_develop_land_are_parts_of_the_stock_not_totals():
    doc = parse_plan_text(SHAPES["stock_counts_split_ready_and_to_develop"][0], "x.txt")
    assert not any(t.kind.value in ("supply", "development") for t in doc.totals)
    split = next(b for b in doc.all_breakdowns() if len(b.items) == 2)
    assert [(i.area.primary.value, i.count.value) for i in split.items] == [("530", "48"), ("720", "88")]


# -- web pages whose cells hold paragraphs and line breaks (as Word and many sites write them) ---------------
def _html_with_cell_paragraphs(text: str) -> bytes:
    """``_html`` with every cell's text in a ``<p>`` and each header unit on its own line (``面积<br>（公顷）``)."""
    page = _html(text).decode("utf-8")
    page = re.sub(r"<td>([^<]*?)\(([^()<]*)\)</td>", r"<td>\1<br/>(\2)</td>", page)
    page = re.sub(r"<td>([^<]+)</td>", r"<td><p>\1</p></td>", page)
    return page.encode("utf-8")


_TABLES = sorted(n for n, (t, _b) in SHAPES.items() if "\t" in t)


@pytest.mark.parametrize("name", _TABLES)
def test_a_table_whose_cells_hold_paragraphs_is_read_as_its_rows(name):
    text, broken = SHAPES[name]
    doc = read_plan_bytes(_html_with_cell_paragraphs(text), "plan.html")
    assert _errors(doc) == [], _summary(doc)
    for old, new, codes in broken:
        changed = read_plan_bytes(_html_with_cell_paragraphs(text.replace(old, new)), "plan.html")
        assert any(f.code in codes for f in _errors(changed)), (old, new, _summary(changed))


def test_a_page_laid_out_in_one_table_cell_keeps_its_lines():
    paragraphs = ["某县2025年度土地储备计划", "2025年计划储备土地30公顷,其中住宅用地20公顷,商服用地10公顷。"]
    cell = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"<html><body><table><tr><td>{cell}</td></tr></table></body></html>".encode()
    doc = read_plan_bytes(page, "plan.html")
    assert [f.value for f in doc.figures] == ["30", "20", "10"]
    assert {f.line for f in doc.figures} == {2}
