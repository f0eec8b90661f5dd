"""News prose about supply plans: topics (``商服用地方面，计划供应…``), subjects (``住宅用地是主力。计划供应…``),
``分别`` lists joined by 和, a closing 其他用地, shares of 存量/新增, discourse words before names, and a
figure that contradicts the total stated before it (no error can rest on such a tie). Texts written here."""

from __future__ import annotations

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text


def _audit(text: str):
    doc = parse_plan_text(text, "x.txt")
    return doc, audit_plan(doc)


def _errors(findings) -> list:
    return [(f.code, f.lines) for f in findings if f.severity is Severity.ERROR]


def _items(doc) -> dict[str, str]:
    return {it.name: it.area.primary.value for bd in doc.all_breakdowns() for it in bd.items if it.area}


def test_topics_and_subjects_name_the_use_of_a_bare_supply_figure():
    text = (
        "某市2016年度国有建设用地供应计划\n今年计划供地总量为100.00公顷。\n"
        "从用途结构来看,住宅用地是主力。计划供应60.00公顷,占供地总量的60.00%。\n"
        "商服用地方面,计划供应{b}公顷,占供地总量的{s}%。\n"
    )
    doc, findings = _audit(text.format(b="25.00", s="25.00"))
    assert {"住宅用地": "60.00", "商服用地": "25.00"}.items() <= _items(doc).items()
    assert _errors(findings) == []
    _doc, findings = _audit(text.format(b="25.00", s="35.00"))  # 25/100 is not 35 %
    assert any(3 in lines or 4 in lines for code, lines in _errors(findings) if code == "share.mismatch")


def test_a_respectively_list_joined_by_he_and_closed_by_its_measure():
    text = (
        "全国2022年国有建设用地供应\n全年国有建设用地供应{t}万公顷。其中,工矿仓储用地、商服用地、住宅用地和其他用地"
        "供应面积分别为19.8万公顷、3.1万公顷、7.9万公顷和45.8万公顷,占土地供应总量的比重分别为25.9%、4.0%、"
        "10.3%和59.8%。\n"
    )
    doc, findings = _audit(text.format(t="76.6"))
    assert _items(doc) == {"工矿仓储用地": "19.8", "商服用地": "3.1", "住宅用地": "7.9", "其他用地": "45.8"}
    assert _errors(findings) == []
    _doc, findings = _audit(text.format(t="70.6"))  # the parts exceed the total
    assert ("breakdown.sum_mismatch", (2,)) in _errors(findings) or any(
        code == "breakdown.sum_mismatch" for code, _l in _errors(findings)
    )


def test_a_closing_other_use_completes_the_list():
    text = (
        "某省2018年1-4月土地供应\n1-4月,全省国有建设用地供应总量{t}公顷。其中,工矿仓储用地供应38.38公顷;"
        "住宅用地供应29.89公顷;商服用地供应10.74公顷;其他用地供应37.83公顷。\n"
    )
    _doc, findings = _audit(text.format(t="116.84"))
    assert _errors(findings) == []
    _doc, findings = _audit(text.format(t="126.84"))  # 其他 closes the list: 116.84 ≠ 126.84 is an error
    assert any(code == "breakdown.sum_mismatch" for code, _l in _errors(findings))


def test_the_shares_of_stock_and_new_land_are_checked():
    text = (
        "某市2016年度国有建设用地供应计划\n计划供地总量为100.00公顷。其中,存量土地28.22公顷,占总量的{s}%;"
        "新增建设用地71.78公顷,占总量的71.78%。\n"
    )
    assert _errors(_audit(text.format(s="28.22"))[1]) == []
    assert any(code == "share.mismatch" for code, _l in _errors(_audit(text.format(s="33.22"))[1]))


def test_discourse_words_are_no_part_of_names():
    text = "某市2023年住宅用地出让清单\n首先,东城区12宗,66.8公顷;其次为西城区11宗,45.9公顷;三是南城区10宗,41.6公顷。\n"
    doc, _findings = _audit(text)
    assert {"东城区", "西城区", "南城区"} <= set(_items(doc))


def test_no_error_rests_on_a_figure_that_contradicts_the_total_before_it():
    # 60.00 read as a second supply total contradicts 100.00: the uses after it may not be its parts
    text = (
        "某市2016年度国有建设用地供应计划\n计划供地总量为100.00公顷。\n今年重点保障民生。计划供应60.00公顷。\n"
        "商服用地计划供应25.00公顷,占供地总量的25.00%。\n"
    )
    assert _errors(_audit(text)[1]) == []


def test_a_share_of_the_named_total_ties_its_use_to_that_total():
    # the uses follow other text, far from the total: only 占供地总量的 ties them to 计划供地总量
    text = (
        "某市2016年度国有建设用地供应计划\n计划供地总量为100.00公顷。\n今年继续保障民生。\n重点保障安居工程。\n"
        "住宅用地是主力。计划供应60.00公顷,占供地总量的{s}%。\n"
    )
    assert _errors(_audit(text.format(s="60.00"))[1]) == []
    assert any(code == "share.mismatch" for code, _l in _errors(_audit(text.format(s="65.00"))[1]))


EXECUTION = (
    "某县2025年度土地储备计划执行情况的报告\n一、计划执行情况\n"
    "2025年度计划储备土地50.00公顷，实际完成收储42.35公顷，完成率84.70%。其中，住宅用地20.10公顷，工业用地{ind}公顷。\n"
    "二、资金使用情况\n全年筹措土地储备资金3.2亿元，其中专项债券2亿元，财政预算安排1.2亿元；"
    "实际支出{spent}亿元，其中征收补偿2.1亿元，前期开发{dev}亿元。\n"
)


def test_an_execution_report_splits_what_was_done_and_spent_not_what_was_planned():
    ok = {"ind": "22.25", "spent": "3.50", "dev": "1.40"}  # spent more than raised this year: no error
    assert _errors(_audit(EXECUTION.format(**ok))[1]) == []
    _doc, findings = _audit(EXECUTION.format(**{**ok, "dev": "1.90"}))  # 2.1 + 1.9 = 4.0 > 3.50 spent
    assert any(code == "breakdown.sum_mismatch" and 5 in lines for code, lines in _errors(findings))
    _doc, findings = _audit(EXECUTION.format(**{**ok, "ind": "25.25"}))  # 20.10 + 25.25 > 42.35 done
    assert any(code == "breakdown.sum_mismatch" and 3 in lines for code, lines in _errors(findings))
