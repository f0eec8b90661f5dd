"""Parts listed across ``；`` after a sentence that announces them (``其中，`` / ``市级项目中，``), places
named with their scale (``德城区辖内规模``, ``市级项目地块规模``), and the parcel counts that prove such a
split complete. The texts are written here, in the shape of published plans."""

from __future__ import annotations

import pytest

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text

HEAD = "某市2022年土地出让计划\n"
TWO_LEVELS = (
    "2022年度计划出让经营性用地总规模{total}亩,{n}个地块。其中,市级项目地块规模{city}亩,10个地块;"
    "区级项目地块规模{district}亩,12个地块。\n"
    "市级项目中,东城区辖内规模{east}亩,4个地块;开发区辖内规模600.00亩,6个地块。\n"
    "区级项目中,东城区规模500.00亩,5个地块;西城区规模{west}亩,7个地块。\n"
)
RIGHT = {
    "total": "2400.00",
    "n": "22",
    "city": "1400.00",
    "district": "1000.00",
    "east": "800.00",
    "west": "500.00",
}


def _errors(**changed: str) -> list:
    text = HEAD + TWO_LEVELS.format(**{**RIGHT, **changed})
    return [f for f in audit_plan(parse_plan_text(text, "x.txt")) if f.severity is Severity.ERROR]


def test_a_consistent_two_level_split_has_no_error():
    assert _errors() == []


@pytest.mark.parametrize(
    ("changed", "line"),
    [
        ({"city": "1500.00"}, 2),  # 1500 + 1000 ≠ 2400, the counts 10 + 12 = 22 prove the split complete
        ({"total": "2300.00"}, 2),
        ({"district": "900.00"}, 2),
        ({"east": "700.00"}, 3),  # 700 + 600 ≠ 1400 with 4 + 6 = 10 地块
        ({"west": "600.00"}, 4),  # the clause after the second ；still splits 区级项目
        ({"n": "25"}, 2),  # 10 + 12 ≠ 25 地块
    ],
)
def test_a_figure_that_breaks_the_split_is_an_error_on_its_line(changed, line):
    errors = _errors(**changed)
    assert any(line in f.lines for f in errors), [(f.code, f.lines) for f in errors]


def test_two_uses_after_a_semicolon_are_siblings_not_whole_and_part():
    # 工业用地 after the ；is no part of 住宅用地: both are uses of the same level
    text = (
        "某县2026年度土地储备计划\n本年度计划储备土地45.57公顷。\n"
        "其中，住宅用地20.00公顷；工业用地25.57公顷。\n"
    )
    doc = parse_plan_text(text, "x.txt")
    assert [f for f in audit_plan(doc) if f.severity is Severity.ERROR] == []
    nested = [bd for bd in doc.all_breakdowns() if bd.title == "住宅用地"]
    assert nested == []


def test_one_code_normaliser_for_the_reader_the_register_and_the_auditor():
    from landreserve.domain.audit.parcel_list import normalise_code as audit_form
    from landreserve.domain.codes import normalise_code
    from landreserve.domain.register import normalise_code as register_form
    from landreserve.importers.normalise import normalise_code as reader_form

    written = ["BC－CB2026001", "bc-cb 2026001", "ＢＣ—ＣＢ２０２６００１", " BC–CB2026001 "]
    assert {normalise_code(w) for w in written} == {"BC-CB2026001"}
    assert reader_form is register_form is audit_form is normalise_code
