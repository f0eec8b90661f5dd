"""Shapes another county may write that none of the real documents here has: a false error on a correct
text is the worst outcome, so each correct text must yield no error; where the reader ties the figures
firmly, a broken twin of the text must still yield one. Texts written here (no published wording)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text


def _audit(text: str):
    doc = parse_plan_text(text, "x.txt")
    return doc, audit_plan(doc)


def _errors(findings) -> list[tuple[str, tuple[int, ...]]]:
    return [(f.code, f.lines) for f in findings if f.severity is Severity.ERROR]


def _codes(findings) -> set[str]:
    return {f.code for f in findings}


#: correct texts in shapes the real corpus lacks (each must audit without any error)
CLEAN = {
    "place_and_land_class_items": (
        "某地块位于河西路北侧,包括某区某镇某村园地0.2100公顷、林地0.3000公顷、其他农用地0.5000公顷,"
        "某林场林地0.1000公顷、其他农用地0.4000公顷,计征收集体所有土地1.0100公顷。同时,使用某区境内国有"
        "林地0.1000公顷、其他农用地0.4000公顷,合计使用国有土地0.5000公顷。\n"
    ),
    "a_list_of_another_year": (
        "某区2023年供应土地350公顷,2024年计划供应土地420公顷,比上年增长20%。2024年住宅用地120公顷,"
        "工业用地180公顷,其他用地120公顷。2023年住宅用地100公顷。\n"
    ),
    "a_change_before_qizhong": (
        "记者从市自然资源局获悉,今年全市计划供应国有建设用地1500公顷,比去年多出200公顷。其中,住宅用地400公顷,"
        "约占26.7%;工业用地500公顷,占33.3%;商服用地100公顷,其余为公共设施和交通用地。\n"
    ),
    "last_years_completion": (
        "今年全市计划供应国有建设用地1500公顷。据介绍,去年全市实际供地1300公顷,完成计划的92%。\n"
    ),
    "reserve_named_before_zhong": (
        "某县2025年计划收储土地300亩,计划供应土地260亩,其中住宅用地供应100亩,工业用地供应120亩,"
        "商服用地供应40亩。储备土地中,城北片区180亩,城南片区120亩。\n"
    ),
    "two_totals_then_an_untied_list": "某县2025年计划收储土地300亩,计划供应土地260亩。城北片区180亩,城南片区120亩。\n",
    "two_totals_on_lines_then_a_list": (
        "某县2025年计划收储土地300亩。\n计划供应土地260亩。\n城北片区180亩,城南片区120亩。\n"
    ),
    "last_years_list": "某县2025年计划供应土地260亩。上年度供应土地中,住宅用地150亩,工业用地140亩。\n",
    "baokuo_after_a_part": (
        "某地块总面积5.20公顷,其中集体土地3.10公顷,包括耕地1.20公顷、园地0.90公顷、林地1.00公顷;"
        "国有土地2.10公顷,包括建设用地1.50公顷、未利用地0.60公顷。\n"
    ),
    "parts_of_a_use_named_with_its_total": (
        "某市城区本年度国有建设用地供应总量控制在620.4公顷。其中,商服用地60.2公顷,工矿仓储用地150.73公顷,"
        "住宅用地210.6公顷,公共管理与公共服务用地167.4公顷,交通运输用地31.47公顷。住宅用地供应计划总量中,"
        "棚户区改造用地11.33公顷,商品房用地199.27公顷。\n"
    ),
    "heading_total_and_table_total": (
        "某县2025年度土地储备计划\n一、储备规模\n本年度计划储备土地86.40公顷,其中存量土地50.10公顷,"
        "新增土地36.30公顷。\n二、储备结构\n表1 储备结构表\n用途\t面积(公顷)\t占比\n住宅用地\t40.20\t46.53%\n"
        "商服用地\t16.05\t18.58%\n工业用地\t30.15\t34.90%\n合计\t86.40\t100%\n"
    ),
    "units_switching_in_a_list": "某县今年计划收储土地共计1200亩,包括城北片区20公顷、城南片区450亩、工业园区200000平方米、滨河片区150亩。\n",
    "a_partial_main_list": (
        "某市2024年计划供应国有建设用地900公顷,主要包括住宅用地300公顷、商服用地100公顷等。"
        "其中重点保障工业用地,工业用地200公顷。\n"
    ),
    "respectively": "某县储备土地总面积为120公顷,住宅、商服、工业用地分别为50公顷、30公顷、40公顷。\n",
    "ranges_and_bounds": (
        "某市今年计划供应住宅用地约500公顷左右,其中保障性住房用地不少于100公顷,商品住房用地400公顷以上。"
        "全年供地总量不低于1800公顷,其中住宅用地500公顷,工业用地约600公顷,其他用地约700公顷。\n"
    ),
    "a_count_column_without_unit": (
        "某县2025年度国有建设用地供应计划表\n区域\t宗数\t面积(公顷)\n城关镇\t12\t45.60\n工业园区\t8\t30.20\n"
        "新城片区\t5\t18.40\n合计\t25\t94.20\n"
    ),
    "quarters_then_months": (
        "某县2025年度计划储备土地200公顷。按季度安排:第一季度40公顷,第二季度60公顷,第三季度55公顷,"
        "第四季度45公顷。\n其中1月计划收储10公顷,2月15公顷。\n"
    ),
    "a_quarter_table": (
        "某县2025年度土地储备计划分季度安排表\n季度\t宗数\t面积(公顷)\n第一季度\t3\t12.50\n第二季度\t5\t20.40\n"
        "第三季度\t4\t18.10\n第四季度\t2\t9.00\n合计\t14\t60.00\n"
    ),
    "three_years_in_one_sentence_run": (
        "某市近三年供地情况:2021年供应国有建设用地310公顷,其中住宅用地120公顷;2022年供应290公顷,其中住宅用地"
        "100公顷、工业用地150公顷;2023年供应350公顷,其中住宅用地130公顷、工业用地160公顷、商服用地60公顷。\n"
    ),
    "counts_and_areas_respectively": (
        "某县计划出让地块18宗,总面积64.2公顷,其中住宅、商业、工业地块分别为6宗、4宗、8宗,面积分别为22.1公顷、"
        "12.3公顷、29.8公顷。\n"
    ),
    "a_month_with_two_auctions": (
        "某市5月份计划出让土地12宗,面积合计86.5公顷。其中,5月10日挂牌出让7宗,面积52.3公顷;5月25日挂牌出让5宗,"
        "面积34.2公顷。\n"
    ),
    "shares_in_words": (
        "某市今年将推出住宅用地1200亩,同比下降15%,其中中心城区推出800亩,占总量的66.7%,外围区县推出400亩,"
        "仅占三成左右。\n"
    ),
    "zones_stated_with_their_verb": "某县2025年计划供应土地128.5公顷,城区供应76.2公顷,开发区供应52.3公顷。\n",
    "a_cumulative_figure_first": (
        "某市土地储备中心成立以来累计收储土地5600公顷,其中今年收储420公顷,住宅用地180公顷,工业用地240公顷。\n"
    ),
    "a_paragraph_stated_twice": (
        "某市今年计划供应住宅用地400公顷,其中商品住房用地300公顷,保障性住房用地100公顷。\n"
        "某市今年计划供应住宅用地400公顷,其中商品住房用地300公顷,保障性住房用地100公顷。\n"
    ),
    "other_measures_beside_the_scale": (
        "某县2025年计划储备土地50公顷,涉及拆迁房屋3.2万平方米,需安置群众1200户,计划投入资金3.5亿元。\n"
    ),
    "two_splits_of_one_total": (
        "某市今年计划供应国有建设用地1200公顷,其中住宅用地300公顷、商服用地100公顷、工业用地400公顷、其他用地"
        "400公顷;按供应方式分,出让800公顷,划拨400公顷。\n"
    ),
    "shares_of_other_bases": (
        "某县今年计划供应住宅用地120公顷,占全市住宅用地供应计划的8.5%,占本县供地总量的30%。本县供地总量400公顷。\n"
    ),
    "a_share_of_demand_after_a_share_of_the_total": (
        "今年全市计划供应住宅用地480公顷,占供应总量的20.4%,可满足约5.2万套住房建设需求,占全市住房需求的95%以上。"
        "供应总量2350公顷。\n"
    ),
    "a_change_and_last_years_plan": (
        "某市2024年计划供应国有建设用地1500公顷,比上年增加150公顷,增长11.1%。2023年计划供应1350公顷。\n"
    ),
    "two_levels_of_zones": (
        "某市本年度计划储备土地1000亩。其中市本级600亩,包括东区350亩、西区250亩;各县区400亩,包括甲县150亩、"
        "乙县130亩、丙县120亩。\n"
    ),
    "floor_area_beside_land": (
        "某地块占地面积85亩,规划建筑面积12万平方米,其中住宅建筑面积10万平方米、商业建筑面积2万平方米。\n"
    ),
    "bonds_for_projects": (
        "某市今年发行土地储备专项债券15亿元,用于6个项目,其中城东片区项目5亿元,城西片区项目4亿元,高新区项目3亿元,"
        "其余3个项目共3亿元。\n"
    ),
    "money_in_two_units": "某县土地储备资金总需求2.5亿元,其中征收补偿费18000万元,前期开发费5000万元,其他费用2000万元。\n",
    "a_table_in_two_units_with_shares": (
        "用途\t面积(公顷)\t面积(亩)\t占比(%)\n住宅用地\t12.35\t185.25\t41.17\n商服用地\t7.65\t114.75\t25.50\n"
        "工业用地\t10.00\t150.00\t33.33\n合计\t30.00\t450.00\t100.00\n"
    ),
    "template_sections": (
        "某县2025年度土地储备计划\n一、上年度末结转储备土地\n上年度末结转储备土地25.60公顷,其中已入库储备土地"
        "15.20公顷,拟收储土地10.40公顷。\n二、本年度新增储备土地\n本年度计划新增储备土地40.00公顷,其中存量土地"
        "28.00公顷,新增建设用地12.00公顷。\n三、年度储备规模\n本年度土地储备规模65.60公顷。\n四、储备结构\n"
        "住宅用地20.00公顷,商服用地15.60公顷,工业用地30.00公顷。\n"
    ),
    "a_use_split_of_the_new_land": (
        "某县2025年度土地储备计划\n本年度储备土地65.60公顷,其中结转储备土地25.60公顷,新增储备土地40.00公顷。\n"
        "新增储备土地中,住宅用地20.00公顷,商服用地8.00公顷,工业用地12.00公顷。\n"
    ),
    "half_year_completion": (
        "某市今年上半年共供应土地320公顷,完成全年计划的40%,其中住宅用地供应85公顷,完成全年住宅用地计划的35.4%。"
        "全年计划供应土地800公顷,住宅用地240公顷。\n"
    ),
    "an_execution_summary": (
        "某县土地储备中心2024年工作总结\n今年共完成土地收储18宗,面积156.3公顷,完成年度计划的104.2%。其中,收回国有"
        "土地5宗38.2公顷,征收集体土地13宗118.1公顷。全年供应储备土地12宗、98.6公顷,实现土地出让收入23.5亿元。\n"
    ),
    "months_of_a_quarter": (
        "某市2023年第三季度住宅用地供应计划\n第三季度全市计划供应住宅用地25宗,面积约120公顷,其中7月8宗35公顷,"
        "8月9宗45公顷,9月8宗40公顷。\n"
    ),
    "bounds_on_total_and_parts": (
        "某市今年计划供应各类建设用地不超过3000公顷,其中住宅用地不超过800公顷,工业用地不少于1000公顷,"
        "其他用地约1200公顷。\n"
    ),
    "km2_with_mu_and_counts": (
        "某市本年度计划收储土地面积2.35平方公里,约合3525亩,共涉及地块42宗,其中中心城区21宗1.2平方公里,"
        "高新区13宗0.8平方公里,经开区8宗0.35平方公里。\n"
    ),
    "a_parcel_list_with_its_sum_and_scale": (
        "某县2025年度储备地块清单\n序号\t地块编号\t土地坐落\t面积(公顷)\t用途\n1\tXX-CB2025001\t建设路北侧、人民路东侧"
        "\t12.30\t住宅用地\n2\tXX-CB2025002\t工业大道南侧\t20.10\t工业用地\n3\tXX-CB2025003\t滨河路西侧\t5.60\t商服用地\n"
        "合计\t\t\t38.00\t\n本年度计划储备土地3宗,面积38.00公顷。\n"
    ),
    "a_survey_bulletin": (
        "某市2023年度土地变更调查主要数据公报\n全市土地总面积为2845.36平方公里。其中,农用地2011.42平方公里,建设用地"
        "602.18平方公里,未利用地231.76平方公里。农用地中,耕地1203.55平方公里,园地156.20平方公里,林地488.91平方公里。"
        "与上年相比,耕地净减少3.12平方公里,建设用地净增加5.46平方公里。\n"
    ),
    "a_recovery_notice_in_square_metres_and_mu": (
        "关于收回国有建设用地使用权的公告\n经县人民政府批准,决定收回以下两宗国有建设用地使用权:一、城东路南侧地块,"
        "面积43717平方米(合65.57亩);二、城西路北侧地块,面积36282平方米(合54.42亩)。\n"
    ),
    "idle_land_by_cause": (
        "经清查,全省共有闲置土地12.5万亩,其中因政府原因闲置9.4万亩,占75.2%;因企业原因闲置3.1万亩,占24.8%。"
        "住宅和商服用地闲置5.6万亩,约占45%。\n"
    ),
    "funds_sources_then_uses": (
        "本年度土地储备资金需求总量为3.2亿元。资金来源:申请土地储备专项债券2.5亿元,财政安排0.7亿元。资金用途:"
        "征收补偿2.4亿元,前期开发0.6亿元,其他支出0.2亿元。\n"
    ),
    "a_rolling_plan_with_year_lines": (
        "某市2024-2026年土地储备三年滚动计划\n三年计划储备土地共计360公顷,其中2024年130公顷,2025年120公顷,"
        "2026年110公顷。\n2024年:住宅用地50公顷,工业用地60公顷,商服用地20公顷。\n"
        "2025年:住宅用地45公顷,工业用地55公顷,商服用地20公顷。\n"
    ),
    "a_zone_table_closed_by_the_whole_city": (
        "表:各区(县)供应计划\n区域\t供应面积(公顷)\t其中住宅(公顷)\t占全市比例(%)\nA区\t120.5\t40.2\t30.1\n"
        "B区\t95.3\t30.0\t23.8\nC县\t184.2\t45.5\t46.1\n全市\t400.0\t115.7\t100.0\n"
    ),
    "ten_months_against_last_year": (
        "今年1至10月,全市共供应国有建设用地860公顷,同比增长12%,完成年度计划的78%。其中出让土地610公顷,划拨土地"
        "250公顷。去年同期供应768公顷。年度计划1100公顷。\n"
    ),
    "growth_against_plan_and_actual": (
        "今年计划供应住宅用地600公顷,比上年计划增长20%,比上年实际供应增长9.1%。上年计划500公顷,实际供应550公顷。\n"
    ),
    "growth_of_the_total_and_of_a_part": (
        "今年计划供地1200公顷,比上年增长20%;其中住宅用地300公顷,比上年增长50%。上年供地1000公顷,住宅用地200公顷。\n"
    ),
    "growth_in_words": "今年计划供地1200公顷,较去年(1000公顷)增长两成。\n",
    "percentage_points": "今年计划供地1200公顷,住宅用地300公顷,占比25%,比上年提高5个百分点。\n",
    "growth_of_the_growth": "今年计划供地1200公顷,比上年增长20%,增幅比上年回落3个百分点。上年计划供地1000公顷。\n",
    "growth_against_two_years": (
        "2024年全市计划供地1200公顷,比2023年增长20%,比2022年增长50%。2023年计划供地1000公顷,2022年计划供地800公顷。\n"
    ),
    "last_years_total_and_its_parts": (
        "2024年计划供地1200公顷,比上年增长20%。上年供地1000公顷,其中住宅用地600公顷,工业用地400公顷。"
        "今年住宅用地500公顷,工业用地700公顷。\n"
    ),
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_a_correct_text_of_an_unseen_shape_yields_no_error(name):
    _doc, findings = _audit(CLEAN[name])
    assert _errors(findings) == []


def test_a_place_and_land_class_is_an_item_of_its_list_not_a_whole():
    doc, _findings = _audit(CLEAN["place_and_land_class_items"])
    wholes = {t.label for t in doc.totals}
    assert not any("园地" in w or "国有林地" in w for w in wholes)


def test_the_lists_of_each_year_split_that_years_total():
    text = "某区2023年供应土地350公顷,2024年计划供应土地420公顷。2024年住宅用地120公顷,工业用地180公顷,其他用地{x}公顷。\n"
    _doc, findings = _audit(text.format(x="120"))
    assert _errors(findings) == []
    _doc, findings = _audit(text.format(x="220"))  # 120+180+220 = 520 > 420 of the same year
    assert any(code == "breakdown.sum_mismatch" for code, _lines in _errors(findings))


def test_the_contents_after_baokuo_are_checked_against_their_item():
    text = CLEAN["baokuo_after_a_part"].replace("林地1.00公顷", "林地2.00公顷")  # 4.10 > 集体土地 3.10
    _doc, findings = _audit(text)
    assert any(code == "breakdown.sum_mismatch" for code, _lines in _errors(findings))


def test_a_whole_named_before_zhong_is_checked():
    text = CLEAN["reserve_named_before_zhong"].replace("城南片区120亩", "城南片区220亩")  # 400 > 300
    _doc, findings = _audit(text)
    assert any(code == "breakdown.sum_mismatch" for code, _lines in _errors(findings))


def test_the_parts_of_a_use_named_with_its_total_are_checked_against_that_use():
    text = CLEAN["parts_of_a_use_named_with_its_total"].replace("商品房用地199.27", "商品房用地299.27")
    _doc, findings = _audit(text)
    assert any(code == "breakdown.sum_mismatch" for code, _lines in _errors(findings))


def test_a_completion_of_the_same_year_is_still_checked():
    text = "今年全市计划供应国有建设用地1500公顷。截至年底,全市实际供地1300公顷,完成计划的{r}%。\n"
    _doc, findings = _audit(text.format(r="86.7"))
    assert _errors(findings) == []
    _doc, findings = _audit(text.format(r="92"))
    assert "completion.mismatch" in {code for code, _lines in _errors(findings)}


def test_a_partial_list_message_writes_plain_numbers():
    _doc, findings = _audit(
        "某市本年度计划储备土地80公顷,其中:住宅用地450亩,商服用地10公顷,工业用地200000平方米。\n"
    )
    partial = [f for f in findings if f.code == "breakdown.partial"]
    assert partial and "E+" not in partial[0].message and "合计60公顷" in partial[0].message


_SEPARATORS = st.sampled_from([",", "，", "、"])
_INTROS = st.sampled_from(["其中", "其中:", "包括", "具体为"])
_VERBS = st.sampled_from(["计划供应", "拟供应", "计划供地", "安排供应"])


@settings(max_examples=40, deadline=None)
@given(sep=_SEPARATORS, intro=_INTROS, verb=_VERBS, other_year=st.sampled_from(["2023年", "去年", "上年度"]))
def test_rewording_a_correct_text_never_makes_an_error(sep, intro, verb, other_year):
    """The same correct figures in other words: the separators, the word introducing the parts, the verb of
    the total, and a list of another year that exceeds this year's total."""
    text = (
        f"某县2024年{verb}国有建设用地300公顷,{intro}住宅用地120公顷{sep}工业用地100公顷{sep}商服用地80公顷。"
        f"{other_year}供应土地中,住宅用地200公顷,工业用地150公顷。\n"
    )
    _doc, findings = _audit(text)
    assert _errors(findings) == []


def test_a_count_column_without_unit_is_read_as_parcel_counts():
    doc, findings = _audit(CLEAN["a_count_column_without_unit"])
    counts = {it.name: it.count.value for bd in doc.all_breakdowns() for it in bd.items if it.count}
    assert counts == {"城关镇": "12", "工业园区": "8", "新城片区": "5"}
    assert _errors(findings) == []
    broken = CLEAN["a_count_column_without_unit"].replace(
        "新城片区\t5", "新城片区\t9"
    )  # 29 ≠ the 合计 row's 25
    _doc, findings = _audit(broken)
    assert "count.mismatch" in {code for code, _lines in _errors(findings)}


def test_a_count_said_again_without_its_area_stays_with_its_total():
    text = (
        "某市本级今年计划供地总量为200.00公顷,共30块地。其中,存量土地80.00公顷,新增建设用地120.00公顷。\n"
        "具体来看,今年将供应30块土地,供地方式中包含招拍挂20块,划拨10块。\n"
    )
    doc, findings = _audit(text)
    by_label = {t.label: t.count.value if t.count else None for t in doc.totals}
    assert by_label.get("新增土地") is None and by_label.get("供应规模") == "30"
    assert _errors(findings) == []


_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "%": "％"})


def _reworded(
    text: str,
    full_width: bool,
    indent: bool,
    byline: bool,
    aside: bool,
    traditional: bool = False,
    tail: bool = False,
) -> str:
    """``text`` in the dress another site gives it: full-width marks, ideographic indents, a byline, a
    paragraph without figures between its lines, traditional characters (a mirror site) — nothing that
    changes what it states."""
    if traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    lines = text.rstrip("\n").split("\n")
    if full_width:
        lines = [line.translate(_FULL_WIDTH) for line in lines]
    if indent:
        lines = ["\u3000\u3000" + line for line in lines]
    if aside and len(lines) > 1:
        lines.insert(1, "据了解,该计划已经政府常务会议研究通过,现予公布。")
    if byline:
        lines.append("(记者 某某 通讯员 某某)")
    if tail:  # links to other articles, with figures of their own that split nothing above
        lines.extend(
            ["相关新闻", "某区住宅用地500公顷、工业用地400公顷招商推介会举行", "某县收储土地900公顷"]
        )
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(CLEAN)),
    full_width=st.booleans(),
    indent=st.booleans(),
    byline=st.booleans(),
    aside=st.booleans(),
    traditional=st.booleans(),
    tail=st.booleans(),
)
def test_a_correct_text_in_another_dress_yields_no_error(
    name, full_width, indent, byline, aside, traditional, tail
):
    _doc, findings = _audit(_reworded(CLEAN[name], full_width, indent, byline, aside, traditional, tail))
    assert _errors(findings) == []


def test_rows_of_a_table_indented_alike_are_rows_of_one_level():
    """A page that indents every line (　　) indents no row below another: the rows stay siblings, and a
    row indented deeper than the first is still a sub-row."""
    text = _reworded(CLEAN["a_table_in_two_units_with_shares"], False, True, False, False)
    doc, findings = _audit(text)
    top = [bd for bd in doc.breakdowns if bd.items and bd.items[0].name == "住宅用地"]
    assert top and [it.name for it in top[0].items] == ["住宅用地", "商服用地", "工业用地"]
    assert _errors(findings) == []
    nested = (
        "用途\t面积(公顷)\n住宅用地\t12.00\n\u3000\u3000商品住房用地\t15.00\n商服用地\t8.00\n合计\t20.00\n"
    )
    _doc, findings = _audit(nested)  # the indented row is a part of 住宅用地 and exceeds it
    assert "breakdown.sum_mismatch" in {code for code, _lines in _errors(findings)}


def test_a_parcel_list_that_exceeds_its_sum_row_is_an_error():
    text = CLEAN["a_parcel_list_with_its_sum_and_scale"].replace("\t12.30\t", "\t22.30\t")
    _doc, findings = _audit(text)
    assert _errors(findings)


def test_a_whole_city_row_closes_a_table_of_its_zones():
    doc, _findings = _audit(CLEAN["a_zone_table_closed_by_the_whole_city"])
    assert any(bd.total is not None and bd.total.measure.primary.value == "400.0" for bd in doc.breakdowns)
    broken = CLEAN["a_zone_table_closed_by_the_whole_city"].replace("C县\t184.2", "C县\t284.2")
    _doc, findings = _audit(broken)
    assert "breakdown.sum_mismatch" in {code for code, _lines in _errors(findings)}


def test_the_uses_of_the_funds_are_no_more_sources():
    doc, _findings = _audit(CLEAN["funds_sources_then_uses"])
    for bd in doc.breakdowns:
        names = {it.name for it in bd.items}
        assert not ("申请土地储备专项债券" in names and "征收补偿" in names)


def test_figures_after_page_furniture_split_no_total_of_the_article():
    text = "某市今年计划储备土地500公顷。\n城北片区200公顷\n城南片区150公顷\n热门推荐\n工业园区300公顷招商引资签约\n"
    _doc, findings = _audit(text)
    assert _errors(findings) == []
    _doc, findings = _audit(
        text.replace("城南片区150", "城南片区450")
    )  # the article's own list still exceeds
    assert "breakdown.sum_mismatch" in {code for code, _lines in _errors(findings)}


def test_last_years_total_is_no_second_statement_of_this_years():
    doc, findings = _audit(CLEAN["last_years_total_and_its_parts"])
    assert not any(f.code == "total.conflict" for f in findings)
    broken = CLEAN["last_years_total_and_its_parts"].replace("工业用地400公顷", "工业用地500公顷")
    _doc, findings = _audit(broken)  # last year's parts exceed last year's total
    assert "breakdown.sum_mismatch" in {code for code, _lines in _errors(findings)}
