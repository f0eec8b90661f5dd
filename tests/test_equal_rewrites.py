"""Quicker forms of the reader's and auditor's tests give what the forms they replaced gave, on any text.

Each rewrite (a regex with its look-behind moved so the search can skip, substring tests for a regex of
words, stripped cells for a regex of blank space, one pass for each part's primary figure) is compared here with the
original, kept verbatim, on generated inputs and on the cases that tell them apart if anything does.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain import plausibility
from landreserve.domain.audit import parcel_list, sums
from landreserve.domain.plans import Figure, Measure
from landreserve.domain.units import Quantity, to_base
from landreserve.importers import cell_lines, normalise, parcels

#: the characters that decide these patterns: digits (ASCII and full-width), the years' digits, blank
#: space of every kind, tabs, words and brackets of the key cells, a newline (``$`` matches before one)
_ALPHABET = "0123456789129２０年 \t\u3000\xa0\n面积规模(（合总小计-A"
texts = st.text(alphabet=_ALPHABET, max_size=16)

_OLD_CODE_YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})")
_OLD_YEAR_IN_CODE = re.compile(r"(?<!\d)(20\d\d)(?=\D|\d{2,4}$|$)")
_OLD_KEY_CELL = re.compile(r"面积|规模|[(（]|^20\d{2}\s*年")
_OLD_SPACE_AROUND_CELL = re.compile(r"(?:^|\t)[^\S\t]|[^\S\t](?:\t|$)")


@settings(max_examples=600)
@given(texts)
def test_code_year_patterns(text):
    assert parcels._CODE_YEAR.findall(text) == _OLD_CODE_YEAR.findall(text)
    old, new = _OLD_YEAR_IN_CODE.search(text), parcel_list._YEAR_IN_CODE.search(text)
    assert (new and (new.span(), new.group(1))) == (old and (old.span(), old.group(1)))


@settings(max_examples=600)
@given(texts)
def test_key_cells(text):
    assert cell_lines._is_key_cell(text) == bool(_OLD_KEY_CELL.search(text))


@settings(max_examples=600)
@given(st.lists(texts, min_size=1, max_size=5))
def test_blank_space_around_cells(cells):
    cells = [c.replace("\t", "") for c in cells]  # cells of a row cut at its tabs
    row = "\t".join(cells)
    assert (list(map(str.strip, cells)) != cells) == bool(_OLD_SPACE_AROUND_CELL.search(row))


def test_strip_and_the_regex_agree_on_blank_space():
    blank = [chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))]
    assert [c for c in blank if c.strip()] == []
    assert [chr(c) for c in range(sys.maxunicode + 1) if not chr(c).strip() and chr(c) not in blank] == []


def test_a_text_to_ascii_leaves_alone_holds_nothing_ascii_alnum_maps():
    # fast_rows stores a place or use as written when to_ascii changed nothing in it
    assert set(normalise._ALNUM_TABLE) <= set(normalise._ASCII_TABLE)
    assert all(chr(k) != v for k, v in normalise._ASCII_TABLE.items())  # each mapped character changes


@settings(max_examples=400)
@given(st.text(max_size=12))
def test_a_plain_code_has_no_problem(code):
    if plausibility._plain_code(code):
        assert plausibility.code_problem(code) is None


def _measure(value: str, unit: str, qualifier: str | None, quantity: Quantity, extra: bool) -> Measure:
    figure = Figure("x", value, unit, quantity, to_base(value, unit), 1, "x", qualifier)
    return Measure((figure, figure) if extra else (figure,))


measures = st.builds(
    _measure,
    st.from_regex(r"[1-9][0-9]{0,3}(\.[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["公顷", "亩"]),
    st.sampled_from([None, None, None, "约", "以内"]),
    st.sampled_from([Quantity.AREA, Quantity.AREA, Quantity.COUNT]),
    st.sampled_from([False, False, False, True]),
)


@settings(max_examples=150)
@given(st.lists(measures, max_size=8))
def test_in_unit_adds_the_primary_values(parts):
    parts = tuple(parts)
    old_in_unit = sum((Decimal(m.primary.value) for m in parts), Decimal(0))
    if all(m.primary.unit == "公顷" for m in parts):
        assert sums.PartsSum(parts).in_unit("公顷") == old_in_unit
