"""Each audit rule triggered and not triggered, on small documents built by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from audit_builders import breakdown, fig, item, parcel, plan, total
from landreserve.domain.audit import FINDING_CODES, _run, audit_plan
from landreserve.domain.findings import Finding, Severity
from landreserve.domain.plans import Dimension, TotalKind

RESERVE = TotalKind.RESERVE


def found(doc, code=None):
    return [f for f in audit_plan(doc) if code is None or f.code == code]


def errors(doc):
    return [f for f in audit_plan(doc) if f.severity is Severity.ERROR]


def one(doc, code) -> Finding:
    hits = found(doc, code)
    assert len(hits) == 1, [f.code for f in audit_plan(doc)]
    return hits[0]


# units.mismatch -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu", ["713.63", "713.70", "713.7", "714"])
def test_ha_and_mu_within_rounding_agree(mu):
    doc = plan(totals=[total(RESERVE, "47.58", "公顷", 16, (mu, "亩"))])
    assert found(doc) == []


def test_ha_and_mu_beyond_rounding_are_an_error_naming_both():
    doc = plan(totals=[total(RESERVE, "47.58", "公顷", 16, ("713.90", "亩"))])
    f = one(doc, "units.mismatch")
    assert f.severity is Severity.ERROR and f.lines == (16,)
    assert "第16行" in f.message and "47.58公顷" in f.message and "713.90亩" in f.message
    assert "713.625～713.775亩" in f.message
    assert f.values == {
        "stated": "713.90亩",
        "from": "47.58公顷",
        "expected_min": "713.625亩",
        "expected_max": "713.775亩",
    }


def test_square_metres_and_hectares_checked_too():
    assert found(plan(totals=[total(RESERVE, "2.5", "公顷", 3, ("25000", "㎡"))])) == []
    f = one(plan(totals=[total(RESERVE, "2.5", "公顷", 3, ("26000", "㎡"))]), "units.mismatch")
    assert f.values["stated"] == "26000㎡"


def test_units_mismatch_of_an_approximate_figure_is_a_warning_that_says_so():
    doc = plan(totals=[total(RESERVE, "47.58", "公顷", 16, ("713.90", "亩"), qualifier="约")])
    f = one(doc, "units.mismatch")
    assert f.severity is Severity.WARNING and "约数" in f.message and f.values["approximate"] == "true"


def test_units_mismatch_in_a_breakdown_item():
    ok = [item("城区", 6, ("10.00", "公顷", "150.0", "亩"))]
    assert found(plan(breakdowns=[breakdown(Dimension.ZONE, 5, ok, None)])) == []
    bad = [item("城区", 6, ("10.00", "公顷", "160.00", "亩"))]
    f = one(plan(breakdowns=[breakdown(Dimension.ZONE, 5, bad, None)]), "units.mismatch")
    assert f.lines == (6,) and "160.00亩" in f.message and "10.00公顷" in f.message


# stock / new against the scale ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stock", "expected"), [("39.52", []), ("47.58", []), ("47.59", []), ("47.60", ["stock.exceeds_total"])]
)
def test_stock_larger_than_total(stock, expected):
    doc = plan(
        totals=[
            total(RESERVE, "47.58", "公顷", 16),
            total(TotalKind.STOCK, stock, "公顷", 17, label="存量土地"),
        ]
    )
    assert [f.code for f in errors(doc)] == expected


def test_stock_exceeds_total_message_and_lines():
    doc = plan(
        totals=[
            total(RESERVE, "47.58", "公顷", 16),
            total(TotalKind.STOCK, "52.00", "公顷", 18, label="存量土地"),
        ]
    )
    f = one(doc, "stock.exceeds_total")
    assert f.lines == (16, 18)
    assert "第18行“存量土地”52.00公顷" in f.message and "第16行“计划储备土地”47.58公顷" in f.message
    assert f.values["stated"] == "52.00公顷" and f.values["total"] == "47.58公顷"


def test_new_land_larger_than_total_and_bounded_totals():
    doc = plan(totals=[total(RESERVE, "10", "公顷", 2), total(TotalKind.NEW, "12", "公顷", 3, label="新增")])
    assert one(doc, "new.exceeds_total").severity is Severity.ERROR
    bounded = plan(
        totals=[
            total(RESERVE, "50", "公顷", 2, qualifier="以内"),
            total(TotalKind.STOCK, "49", "公顷", 3, label="存量"),
        ]
    )
    assert errors(bounded) == []


def test_a_total_stated_twice_differently_is_a_warning():
    doc = plan(totals=[total(RESERVE, "47.58", "公顷", 16), total(RESERVE, "45.00", "公顷", 40)])
    f = one(doc, "total.conflict")
    assert f.severity is Severity.WARNING and f.lines == (16, 40)
    same = plan(totals=[total(RESERVE, "47.58", "公顷", 16), total(RESERVE, "47.6", "公顷", 40)])
    assert found(same) == []
    years = plan(
        totals=[total(RESERVE, "10", "公顷", 1, year=2026), total(RESERVE, "12", "公顷", 2, year=2027)]
    )
    assert found(years) == []


# breakdown sums -------------------------------------------------------------------------------------


def _split(values, of, exhaustive=True, dimension=Dimension.ZONE):
    items = [item(f"区{i}", 20 + i, (v, "公顷")) for i, v in enumerate(values)]
    return plan(totals=[of], breakdowns=[breakdown(dimension, 19, items, of, exhaustive, title="空间布局")])


def test_parts_adding_up_exactly_give_nothing():
    assert found(_split(["8.05", "7.92", "31.61"], total(RESERVE, "47.58", "公顷", 16))) == []


def test_parts_differing_only_by_rounding_give_a_warning_saying_so():
    f = one(_split(["39.52", "8.05"], total(RESERVE, "47.58", "公顷", 16)), "breakdown.sum_rounding")
    assert f.severity is Severity.WARNING
    assert f.lines == (16, 20, 21)
    assert "39.52+8.05=47.57公顷" in f.message and "47.58公顷" in f.message and "四舍五入" in f.message
    assert f.values["parts_sum"] == "47.57公顷"
    assert (f.values["expected_min"], f.values["expected_max"]) == ("47.56公顷", "47.58公顷")


def test_parts_not_reaching_the_total_are_an_error():
    f = one(_split(["39.52", "8.00"], total(RESERVE, "47.58", "公顷", 16)), "breakdown.sum_mismatch")
    assert f.severity is Severity.ERROR and f.lines == (16, 20, 21)
    assert "39.52+8.00=47.52公顷" in f.message and "达不到" in f.message and "第16行" in f.message
    assert f.values["stated"] == "47.58公顷" and f.values["parts_sum"] == "47.52公顷"


def test_parts_exceeding_the_total_are_an_error_even_when_not_exhaustive():
    doc = _split(["39.52", "9.00"], total(RESERVE, "47.58", "公顷", 16), exhaustive=False)
    f = one(doc, "breakdown.sum_mismatch")
    assert "超过" in f.message


def test_a_non_exhaustive_split_covering_part_is_a_partial_warning():
    doc = _split(["20.00"], total(RESERVE, "47.58", "公顷", 16), exhaustive=False)
    f = one(doc, "breakdown.partial")
    assert f.severity is Severity.WARNING
    assert "20.00公顷" in f.message and "42.03%" in f.message and f.values["covered"] == "20.00公顷"


def test_an_exhaustive_split_with_an_item_without_area_is_only_checked_for_excess():
    of = total(RESERVE, "47.58", "公顷", 16)
    items = [item("甲", 20, ("10.00", "公顷")), item("乙", 21)]
    doc = plan(totals=[of], breakdowns=[breakdown(Dimension.ZONE, 19, items, of)])
    assert errors(doc) == []
    assert [f.code for f in found(doc)] == ["breakdown.partial"]


def test_sum_against_an_upper_bound():
    cap = total(RESERVE, "50", "公顷", 2, qualifier="以内")
    assert found(_split(["20", "25"], cap)) == []
    assert [f.code for f in errors(_split(["30", "25"], cap))] == ["breakdown.sum_mismatch"]


def test_sum_against_a_lower_bound():
    floor = total(RESERVE, "40", "公顷", 2, qualifier="以上")
    assert found(_split(["30", "25"], floor)) == []
    assert [f.code for f in errors(_split(["20", "10"], floor))] == ["breakdown.sum_mismatch"]


def test_parts_in_mu_against_a_total_in_hectares():
    assert errors(_split_mu(["300.00", "413.63"])) == []
    assert [f.code for f in errors(_split_mu(["300.00", "420.00"]))] == ["breakdown.sum_mismatch"]


def _split_mu(values):
    of = total(RESERVE, "47.58", "公顷", 16)
    items = [item(f"区{i}", 20 + i, (v, "亩")) for i, v in enumerate(values)]
    return plan(totals=[of], breakdowns=[breakdown(Dimension.ZONE, 19, items, of)])


def test_money_split_against_funds_total():
    funds = total(TotalKind.FUNDS, "0.75", "亿元", 37, label="资金总量")
    ok = [item("收购补偿", 38, money=("5000", "万元")), item("前期开发", 39, money=("2500", "万元"))]
    doc = plan(totals=[funds], breakdowns=[breakdown(Dimension.FUNDS_USE, 38, ok, funds)])
    assert found(doc) == []
    bad = [item("收购补偿", 38, money=("5000", "万元")), item("前期开发", 39, money=("3500", "万元"))]
    doc = plan(totals=[funds], breakdowns=[breakdown(Dimension.FUNDS_USE, 38, bad, funds)])
    f = one(doc, "breakdown.sum_mismatch")
    assert f.lines == (37, 38, 39) and "0.75亿元" in f.message


def test_approximate_item_mismatch_is_a_warning():
    of = total(RESERVE, "47.58", "公顷", 16)
    items = [item("甲", 20, ("40", "公顷"), qualifier="约"), item("乙", 21, ("4.00", "公顷"))]
    doc = plan(totals=[of], breakdowns=[breakdown(Dimension.ZONE, 19, items, of)])
    f = one(doc, "breakdown.sum_mismatch")
    assert f.severity is Severity.WARNING and "约40公顷" in f.message and "约数" in f.message


# shares ----------------------------------------------------------------------------------------------


def _uses(shares, areas=("8.05", "7.92", "31.61"), of=None):
    of = of or total(RESERVE, "47.58", "公顷", 16)
    names = ["工矿仓储及物流用地", "商服用地", "住宅用地"]
    items = [item(n, 18, (a, "公顷"), share=s) for n, a, s in zip(names, areas, shares, strict=True)]
    return plan(totals=[of], breakdowns=[breakdown(Dimension.USE, 18, items, of, title="储备结构")])


def test_bachu_shares_are_consistent():
    assert found(_uses(["16.92", "16.65", "66.43"])) == []


def test_a_wrong_share_is_an_error_naming_item_and_expected_range():
    doc = _uses(["17.92", "16.65", "66.43"])
    f = one(doc, "share.mismatch")
    assert f.severity is Severity.ERROR and f.lines == (16, 18)
    assert "工矿仓储及物流用地" in f.message and "17.92%" in f.message and "16.9065～16.9312%" in f.message
    assert f.values == {"stated": "17.92%", "expected_min": "16.9065%", "expected_max": "16.9312%"}


def test_shares_forced_to_one_hundred_are_consistent():
    thirds = ("1.0000", "1.0000", "1.0000")
    of = total(RESERVE, "3.0000", "公顷", 16)
    assert found(_uses(["33.33", "33.33", "33.34"], thirds, of)) == []
    assert found(_uses(["33.34", "33.33", "33.33"], thirds, of)) == []
    bad = _uses(["33.30", "33.30", "33.40"], thirds, of)
    assert {f.code for f in errors(bad)} == {"share.mismatch"}
    assert "调整为合计100%" in found(bad, "share.mismatch")[0].message


def test_shares_computed_from_the_parts_when_the_total_is_wrong_are_not_blamed():
    # the total is wrong (sum error), but the shares agree with the parts: one error, not four
    doc = _uses(["16.92", "16.65", "66.43"], of=total(RESERVE, "50.00", "公顷", 16))
    assert [f.code for f in errors(doc)] == ["breakdown.sum_mismatch"]


def test_shares_not_adding_up_to_one_hundred():
    doc = _uses(["16.92", "16.65", "67.43"], areas=("8.05", "7.92", "31.61"))
    codes = {f.code for f in errors(doc)}
    assert "share.sum_mismatch" in codes
    f = one(doc, "share.sum_mismatch")
    assert "16.92+16.65+67.43=101.00%" in f.message and f.values["expected"] == "100%"


def test_shares_without_areas_still_checked_for_the_sum():
    items = [item("住宅用地", 5, share="60"), item("商服用地", 6, share="30")]
    doc = plan(breakdowns=[breakdown(Dimension.USE, 5, items, None)])
    assert [f.code for f in errors(doc)] == ["share.sum_mismatch"]
    partial = plan(breakdowns=[breakdown(Dimension.USE, 5, items, None, exhaustive=False)])
    assert errors(partial) == []


# counts ---------------------------------------------------------------------------------------------


def test_split_counts_against_the_total_count():
    of = total(RESERVE, "30", "公顷", 4, count="5")
    items = [item("住宅用地", 5, ("10", "公顷"), count="2"), item("商服用地", 6, ("20", "公顷"), count="3")]
    assert found(plan(totals=[of], breakdowns=[breakdown(Dimension.USE, 5, items, of)])) == []
    items[1] = item("商服用地", 6, ("20", "公顷"), count="4")
    f = one(plan(totals=[of], breakdowns=[breakdown(Dimension.USE, 5, items, of)]), "count.mismatch")
    assert (
        f.lines == (4, 5, 6) and "2+4=6宗" in f.message and f.values == {"stated": "5宗", "expected": "6宗"}
    )


def _listed(n, count, area="1.0000", of_value=None):
    of = total(RESERVE, of_value or f"{n}.00", "公顷", 3, count=count)
    parcels = [parcel(f"P-{i:03d}", 10 + i, f"第{i}路东侧", area) for i in range(n)]
    return plan(totals=[of], parcels=parcels, parcels_total=of)


def test_parcel_count_matching_the_list():
    assert found(_listed(3, "3")) == []


def test_more_parcels_listed_than_stated_is_an_error():
    f = one(_listed(4, "3", of_value="4.00"), "count.mismatch")
    assert f.severity is Severity.ERROR and f.lines == (3, 10)
    assert "3宗" in f.message and "4宗" in f.message


def test_fewer_parcels_covering_the_whole_area_is_an_error():
    f = one(_listed(3, "4", area="2.0000", of_value="6.00"), "count.mismatch")
    assert f.values == {"stated": "4宗", "expected": "3宗"}


def test_fewer_parcels_covering_part_of_the_area_is_partial():
    doc = _listed(2, "4", of_value="4.00")
    assert errors(doc) == []
    f = one(doc, "parcels.partial")
    assert "50.00%" in f.message and "4宗" in f.message and "2宗" in f.message


# parcel sums ---------------------------------------------------------------------------------------


def _parcels(values, of_value="47.58", count=None, unit="公顷"):
    of = total(RESERVE, of_value, "公顷", 16, count=count)
    parcels = [parcel(f"P-{i:03d}", 23 + i, f"第{i}路东侧", v, unit) for i, v in enumerate(values)]
    return plan(totals=[of], parcels=parcels, parcels_total=of)


def test_parcels_adding_up_give_nothing():
    assert found(_parcels(["40.0000", "7.5751"])) == []
    assert found(_parcels(["0.3333", "0.3333", "0.3333"], "1.00")) == []


def test_parcels_exceeding_the_total_are_an_error():
    f = one(_parcels(["40.0000", "7.6000"]), "parcels.sum_mismatch")
    assert f.severity is Severity.ERROR and f.lines == (16, 23, 24)
    assert "47.6000公顷" in f.message and "超过" in f.message and f.values["parcels_sum"] == "47.6000公顷"


def test_a_complete_list_short_of_the_total_is_an_error():
    f = one(_parcels(["40.0000", "7.5000"], count="2"), "parcels.sum_mismatch")
    assert "达不到" in f.message


def test_a_list_short_of_the_total_without_count_is_partial():
    f = one(_parcels(["40.0000"]), "parcels.partial")
    assert f.severity is Severity.WARNING and "84.07%" in f.message


def test_parcels_differing_by_rounding_give_a_warning():
    f = one(_parcels(["39.52", "8.05"]), "parcels.sum_rounding")
    assert "47.57公顷" in f.message and "四舍五入" in f.message


def test_parcels_in_square_metres():
    assert found(_parcels(["400000", "75751"], unit="㎡")) == []


# duplicates -----------------------------------------------------------------------------------------


def test_same_code_twice_written_differently():
    doc = plan(
        parcels=[
            parcel("BC－CB2026001", 5, "甲路北侧", "1.0000"),
            parcel("BC-CB2026001", 6, "乙路北侧", "2.0000"),
        ]
    )
    f = one(doc, "parcels.duplicate_code")
    assert f.severity is Severity.ERROR and f.lines == (5, 6)
    assert "去除该重复地块后地块合计1.0000公顷" in f.message
    assert f.values["without_duplicate"] == "1.0000公顷"


def test_different_codes_same_location_and_area_are_a_duplicate():
    doc = plan(
        jurisdiction="某县",
        parcels=[
            parcel("A-1", 5, "某县迎宾南路西侧、幸福路南侧", "2.6466"),
            parcel("A-2", 6, "迎宾南路西侧，幸福路南侧", "1.0000"),
            parcel("B-9", 7, "迎宾南路西侧,幸福路南侧", "2.6466"),
        ],
    )
    f = one(doc, "parcels.duplicate")
    assert f.lines == (5, 7)
    assert "B-9" in f.message and "A-1" in f.message and "2.6466公顷" in f.message
    assert "去除该重复地块后地块合计3.6466公顷" in f.message


def test_same_area_in_other_unit_is_a_duplicate():
    doc = plan(parcels=[parcel("A-1", 5, "甲路北侧", "2.6466"), parcel("A-2", 6, "甲路北侧", "26466", "㎡")])
    assert one(doc, "parcels.duplicate").lines == (5, 6)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("甲路北侧", "2.2085"), ("甲路北侧", "2.7330")),  # neighbours on the same streets
        (("甲路北侧", "2.2085"), ("乙路北侧", "2.2085")),  # same area elsewhere
        (("甲路北侧", "2"), ("甲路北侧", "2.4")),  # imprecise areas that overlap are not "the same"
        ((None, "2.2085"), (None, "2.2085")),  # no location: nothing to compare
    ],
)
def test_not_duplicates(first, second):
    doc = plan(parcels=[parcel("A-1", 5, *first), parcel("A-2", 6, *second)])
    assert found(doc, "parcels.duplicate") == []


def test_duplicates_say_the_totals_without_them():
    doc = _parcels(["1.0000", "2.0000", "1.0000", "2.0000"], of_value="6.00")
    doc.parcels = [
        parcel("A-1", 23, "甲路", "1.0000"),
        parcel("A-2", 24, "乙路", "2.0000"),
        parcel("B-1", 25, "甲路", "1.0000"),
        parcel("B-2", 26, "乙路", "2.0000"),
    ]
    dups = found(doc, "parcels.duplicate")
    assert [f.lines for f in dups] == [(23, 25), (24, 26)]
    for f in dups:
        assert "去除全部2处重复后地块合计3.0000公顷、2宗" in f.message
        assert f.values["without_all_duplicates"] == "3.0000公顷"
        assert "第16行“计划储备土地”6.00公顷" in f.message


# carried over and land uses -------------------------------------------------------------------------


def test_carried_over_parcels_are_info():
    doc = plan(
        year=2026,
        parcels=[
            parcel("BC-CB2026001", 5, "甲路", "1.0000"),
            parcel("BC2025CB011", 6, "乙路", "1.0000"),
            parcel("X-7", 7, "丙路", "1.0000", carried_over=True),
        ],
    )
    f = one(doc, "parcels.carried_over")
    assert f.severity is Severity.INFO and f.lines == (6, 7) and "BC2025CB011" in f.message


def test_ambiguous_and_unknown_land_uses():
    items = [
        item("商住用地", 18, ("10", "公顷")),
        item("月球用地", 19, ("5", "公顷")),
        item("住宅用地", 20, ("5", "公顷")),
    ]
    doc = plan(breakdowns=[breakdown(Dimension.USE, 18, items, None)])
    amb = one(doc, "landuse.ambiguous")
    assert amb.severity is Severity.WARNING and amb.lines == (18,) and "05 商服用地" in amb.message
    unknown = one(doc, "landuse.unknown")
    assert unknown.severity is Severity.INFO and unknown.lines == (19,)
    zones = [item("商住区", 18, ("10", "公顷"))]
    assert found(plan(breakdowns=[breakdown(Dimension.ZONE, 18, zones, None)])) == []


def test_parcel_use_is_checked():
    doc = plan(parcels=[parcel("A-1", 5, "甲路", "1.0000", use="综合用地")])
    assert one(doc, "landuse.ambiguous").lines == (5,)


# audit_plan itself ----------------------------------------------------------------------------------


def test_reading_problems_are_kept_and_everything_sorted():
    problem = Finding("number.malformed", Severity.ERROR, "第30行“.32公顷”不是有效数字", (30,))
    doc = _split(["39.52", "8.00"], total(RESERVE, "47.58", "公顷", 16))
    doc.problems = [problem]
    result = audit_plan(doc)
    assert problem in result
    assert result == sorted(result, key=lambda f: (f.lines[0] if f.lines else 0, f.code, f.lines, f.message))
    assert audit_plan(doc) == result


def test_a_failing_rule_reports_itself():
    def broken(doc):
        raise ValueError("boom")

    (f,) = _run(broken, plan())
    assert f.code == "audit.rule_failed" and "boom" in f.message and f.severity is Severity.WARNING


def test_every_emitted_code_is_documented():
    doc = _uses(["17.92", "16.65", "67.43"], of=total(RESERVE, "50.00", "公顷", 16, ("713.00", "亩")))
    for f in audit_plan(doc):
        assert f.code in FINDING_CODES


def test_stock_of_a_year_is_compared_with_the_scale_of_that_year():
    doc = plan(
        totals=[
            total(RESERVE, "10", "公顷", 2, year=2026),
            total(RESERVE, "20", "公顷", 3, year=2027),
            total(TotalKind.STOCK, "15", "公顷", 4, label="存量", year=2027),
        ]
    )
    assert errors(doc) == []
    doc.totals.append(total(TotalKind.STOCK, "12", "公顷", 5, label="存量", year=2026))
    assert one(doc, "stock.exceeds_total").lines == (2, 5)


@pytest.mark.parametrize(("zone_area", "noted"), [("2.00", True), ("1.00", False), ("5.00", False)])
def test_a_zone_that_counts_the_duplicate_is_named(zone_area, noted):
    doc = plan(
        parcels=[parcel("A-1", 5, "园区甲路北侧", "1.0000"), parcel("B-1", 6, "园区甲路北侧", "1.0000")],
        breakdowns=[breakdown(Dimension.ZONE, 3, [item("园区", 3, (zone_area, "公顷"))], None)],
    )
    f = one(doc, "parcels.duplicate")
    assert (f"第3行“园区”{zone_area}公顷与坐落在该区域的地块合计2.0000公顷相符" in f.message) is noted


@pytest.mark.parametrize(
    ("place", "area", "severity"),
    [
        ("甲路北侧", "2.6466", Severity.ERROR),
        ("工业园区", "2.6466", Severity.WARNING),  # no street: may be two lots in the park
        ("甲路北侧", "0.54", Severity.WARNING),  # ±0.005 of 0.54 ha is ~1 %: coarse
        ("甲路北侧", "12.54", Severity.ERROR),
    ],
)
def test_duplicate_certainty_depends_on_location_and_precision(place, area, severity):
    doc = plan(parcels=[parcel("A-1", 5, place, area), parcel("B-1", 6, place, area)])
    f = one(doc, "parcels.duplicate")
    assert f.severity is severity
    assert ("可能是同一地块" in f.message) is (severity is Severity.WARNING)


def test_bounded_items_count_as_bounds_in_sums():
    of = total(RESERVE, "50.00", "公顷", 2)
    items = [item("住宅用地", 3, ("40.00", "公顷"), qualifier="以内"), item("商服用地", 4, ("15.00", "公顷"))]
    doc = plan(totals=[of], breakdowns=[breakdown(Dimension.USE, 3, items, of)])
    assert errors(doc) == []
    # at most 30 + 15: a full split cannot make 50
    items = [item("住宅用地", 3, ("30.00", "公顷"), qualifier="以内"), item("商服用地", 4, ("15.00", "公顷"))]
    doc = plan(totals=[of], breakdowns=[breakdown(Dimension.USE, 3, items, of)])
    assert [f.code for f in errors(doc)] == ["breakdown.sum_mismatch"]
    items = [item("住宅用地", 3, ("40.00", "公顷"), qualifier="以上"), item("商服用地", 4, ("15.00", "公顷"))]
    doc = plan(totals=[of], breakdowns=[breakdown(Dimension.USE, 3, items, of)])
    assert [f.code for f in errors(doc)] == ["breakdown.sum_mismatch"]


def test_a_split_matching_another_total_is_only_a_warning():
    reserve = total(RESERVE, "320", "公顷", 2, qualifier="约")
    new = total(TotalKind.NEW, "139.5", "公顷", 2, label="新增土地")
    items = [item("住宅用地", 2, ("120", "公顷")), item("工业用地", 2, ("200", "公顷"))]
    doc = plan(totals=[reserve, new], breakdowns=[breakdown(Dimension.USE, 2, items, new)])
    f = one(doc, "breakdown.sum_mismatch")
    assert f.severity is Severity.WARNING
    assert "与第2行“计划储备土地”约320公顷相符" in f.message and f.values["matches"] == "约320公顷"
    alone = plan(totals=[new], breakdowns=[breakdown(Dimension.USE, 2, items, new)])
    assert one(alone, "breakdown.sum_mismatch").severity is Severity.ERROR


@pytest.mark.parametrize(
    ("carried", "new", "expected"),
    [("12", "13", []), ("11", "13", ["count.mismatch"]), ("26", None, ["count.mismatch"]), ("20", None, [])],
)
def test_counts_of_carried_over_and_new_land_against_the_scale(carried, new, expected):
    totals = [
        total(RESERVE, "186.3562", "公顷", 3, count="25"),
        total(TotalKind.CARRIED_OVER, "98.1234", "公顷", 4, label="上年度结转", count=carried),
    ]
    if new:
        totals.append(total(TotalKind.NEW, "88.2328", "公顷", 5, label="本年度新增", count=new))
    findings = found(plan(totals=totals))
    assert [f.code for f in findings] == expected
    for f in findings:
        assert 3 in f.lines and "25宗" in f.message


def test_every_finding_code_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code, (severity, _) in FINDING_CODES.items():
        assert f"| `{code}` | {severity.value} |" in readme, code


@pytest.mark.parametrize(
    ("qualifier", "expected"), [("不超过", []), ("以上", []), ("不少于", ["share.mismatch"])]
)
def test_bounded_shares_are_checked_as_bounds(qualifier, expected):
    of = total(RESERVE, "30.00", "公顷", 2)
    value = "60" if qualifier == "不超过" else ("30" if qualifier == "以上" else "50")
    housing = replace(item("住宅用地", 3, ("12.00", "公顷")), share=fig(value, "%", 3, "住宅用地", qualifier))
    doc = plan(totals=[of], breakdowns=[breakdown(Dimension.USE, 3, [housing], of, exhaustive=False)])
    assert [f.code for f in errors(doc)] == expected


@pytest.mark.parametrize(
    ("qualifier", "expected"), [("不少于", []), ("以内", ["count.mismatch"]), (None, ["count.mismatch"])]
)
def test_bounded_parcel_counts(qualifier, expected):
    doc = _listed(4, "3", of_value="4.00")
    doc.parcels_total = replace(doc.parcels_total, count=fig("3", "宗", 3, "宗数", qualifier))
    assert [f.code for f in errors(doc)] == expected


def test_mu_converted_from_the_rounded_hectares_is_no_error():
    # 47.5751 ha of parcels; the county writes 47.58 ha and converts that: 47.58 × 15 = 713.70 亩
    # (the exact value is 713.6265 亩). Only one of the two figures need contain the true value.
    doc = _parcels(["40.0000", "7.5751"])
    converted = total(RESERVE, "47.58", "公顷", 16, ("713.70", "亩"))
    doc.totals, doc.parcels_total = [converted], converted
    assert errors(doc) == []
    doc.parcels = doc.parcels[:1] + [parcel("P-009", 30, "第9路东侧", "7.5900")]  # 47.59: beyond both
    assert [f.code for f in errors(doc)] == ["parcels.sum_mismatch"]


def test_a_count_that_matches_the_list_without_its_duplicate_says_so():
    doc = _listed(3, "2", of_value="3.00")
    doc.parcels[2] = parcel("P-009", 12, doc.parcels[1].location, "1.0000")  # repeats line 11
    f = one(doc, "count.mismatch")
    assert "去除重复后为2宗，与所述宗数相符" in f.message


def test_parcels_without_codes_are_not_duplicates_by_code():
    doc = plan(parcels=[parcel("", 5, "甲路北侧", "1.0000"), parcel(" ", 6, "乙路北侧", "2.0000")])
    assert found(doc, "parcels.duplicate_code") == []
