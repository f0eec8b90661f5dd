"""Land-use names of plan texts mapped to GB/T 21010-2017 and 2023 用地用海 codes."""

from __future__ import annotations

import doctest

import pytest

from landreserve.domain import landuse
from landreserve.domain.landuse import GB2017_NAMES, GB2023_NAMES, match_land_use


@pytest.mark.parametrize(
    ("name", "gb2017", "gb2023"),
    [
        ("工矿仓储及物流用地", ("06",), ("10", "11")),
        ("工矿仓储用地", ("06",), ("10", "11")),
        ("商服用地", ("05",), ("09",)),
        ("商业用地", ("05",), ("09",)),
        ("商办", ("05",), ("09",)),
        ("商业服务业设施用地", ("05",), ("09",)),
        ("住宅用地", ("07",), ("07",)),
        ("居住用地", ("07",), ("07",)),
        ("住宅", ("07",), ("07",)),
        ("城镇住宅用地", ("0701",), ("0701",)),
        ("农村宅基地", ("0702",), ("0703",)),
        ("工业用地", ("0601",), ("1001",)),
        ("仓储用地", ("0604",), ("11",)),
        ("物流仓储用地", ("0604",), ("1101",)),
        ("公共管理与公共服务用地", ("08",), ("08",)),
        ("教育用地", ("0803",), ("0804",)),
        ("交通运输用地", ("10",), ("12",)),
        ("道路与交通设施用地", ("10",), ("12",)),
        ("公用设施用地", ("0809",), ("13",)),
        ("留白用地", (), ("16",)),
        ("行政办公用地", ("0801",), ("0801",)),
        ("商务办公用地", ("0505",), ("0902",)),
        ("科教用地", ("0803", "0804"), ("0802", "0804")),
        ("农村住宅用地", ("0702",), ("0703",)),
        ("工业仓储用地", ("0601", "0604"), ("1001", "11")),
        ("城镇住宅用地（保障性住房）", ("0701",), ("0701",)),
        ("（商服用地）", ("05",), ("09",)),
        (" 住 宅 用 地 ", ("07",), ("07",)),
    ],
)
def test_clear_names_map_to_both_schemes(name, gb2017, gb2023):
    match = match_land_use(name)
    assert (match.gb2017, match.gb2023) == (gb2017, gb2023)
    assert not match.ambiguous
    assert match.known
    assert match.name == name


@pytest.mark.parametrize(
    ("name", "candidates"),
    [
        ("商住用地", ("05", "07")),
        ("商住", ("05", "07")),
        ("综合用地", ("05", "07")),
        ("住宅兼容商业", ("05", "07")),
        ("商服及住宅用地", ("05", "07")),
        ("办公用地", ("0505", "0801")),
        ("农用地", ("01", "02", "03", "04")),
    ],
)
def test_ambiguous_names_say_so_and_name_the_candidates(name, candidates):
    match = match_land_use(name)
    assert match.ambiguous
    assert match.gb2017 == candidates
    for code in candidates:
        assert code in match.note and GB2017_NAMES[code] in match.note
    for code in match.gb2023:
        assert GB2023_NAMES[code] in match.note


def test_a_name_spanning_two_2023_classes_is_not_ambiguous_but_noted():
    match = match_land_use("工矿仓储及物流用地")
    assert not match.ambiguous
    assert "10 工矿用地" in match.note and "11 仓储用地" in match.note


def test_broad_category_is_ambiguous_without_codes():
    match = match_land_use("建设用地")
    assert match.ambiguous and not match.known and "大类" in match.note


@pytest.mark.parametrize("name", ["", "月球用地", "其它"])
def test_unknown_names_have_no_codes(name):
    match = match_land_use(name)
    assert not match.known and not match.ambiguous
    assert "不能对应" in match.note


def test_every_code_has_a_name_in_its_scheme():
    for rule in landuse._RULES.values():
        assert all(c in GB2017_NAMES for c in rule.gb2017)
        assert all(c in GB2023_NAMES for c in rule.gb2023)


def test_module_examples_run():
    assert doctest.testmod(landuse).failed == 0
