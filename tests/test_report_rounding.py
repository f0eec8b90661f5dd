"""Rounding for reports: parts add up to the rounded total, shares to 100.00 %, 公顷 and 亩 agree — for any
areas (property-based), and long lists become lines, not tables."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from landreserve.domain.reports.rounding import largest_remainder, money_text, shares, split
from landreserve.domain.units import interval
from landreserve.reports.blocks import TABLE_ROWS, Paragraph, Table, rows_or_lines

areas = st.lists(st.integers(min_value=0, max_value=5_000_000).map(Decimal), min_size=1, max_size=30)


@given(areas)
def test_parts_add_up_to_the_rounded_total_and_each_mu_agrees_with_its_ha(parts):
    total, rounded = split(sum(parts, Decimal(0)), parts)
    assert sum(a.ha for a in rounded) == total.ha
    for a in [total, *rounded]:
        assert abs(Fraction(a.m2) / 10000 - Fraction(a.ha)) <= Fraction(1, 100)  # moved at most one unit
        ha, mu = interval(str(a.ha), "公顷"), interval(str(a.mu), "亩")
        assert ha.overlaps(mu), (a, "公顷 and 亩 must agree within their rounding")


@given(areas.filter(lambda ps: sum(ps) > 0))
def test_shares_add_up_to_100(parts):
    percent = shares(parts)
    assert sum(percent) == Decimal("100.00")
    for p, part in zip(percent, parts, strict=True):
        assert abs(Fraction(p) - Fraction(part) * 100 / Fraction(sum(parts))) < Fraction(1, 100)


def test_largest_remainder_gives_the_left_unit_to_the_largest_remainder():
    assert largest_remainder([Decimal(1), Decimal(1), Decimal(1)], Decimal(3), 2) == [
        Decimal("0.34"), Decimal("0.33"), Decimal("0.33")
    ]  # fmt: skip
    assert money_text(Decimal("75000000")) == "0.75亿元"
    assert money_text(Decimal("1234500")) == "123.45万元"


def test_long_lists_are_written_as_lines():
    short = Table("表", ("a", "b"), tuple((str(i), "x") for i in range(TABLE_ROWS)))
    assert rows_or_lines(short) == [short]
    long = Table("表2 储备地块", ("序号", "编号"), tuple((str(i), f"C{i}") for i in range(TABLE_ROWS + 1)))
    blocks = rows_or_lines(long)
    assert len(blocks) == TABLE_ROWS + 2 and all(isinstance(b, Paragraph) for b in blocks)
    assert blocks[1].text == "0　C0" and "序号、编号" in blocks[0].text
