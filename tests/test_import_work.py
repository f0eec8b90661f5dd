"""The plan reader's work grows with the plan, line for line: counted, never timed.

A synthetic plan (``benchmarks.plan_import``, parcels written as prose lines or as a tab table) is read under
``cProfile``, which counts every Python function call. The calls a parcel row costs (the difference between
two plan sizes, divided by the rows added) must be the same at 10,000 parcels as at 1,000 — a reader that
compared each row with the rows before it, or rescanned the text read so far, would fail — and stay under
a fixed budget. Each row is also tried against a bounded number of the reader's rules: a row of an open
parcel table goes to the table reader alone, and no row is offered to the header recognisers of parcel
tables and tables of figures (it holds a data digit, which no such header has). The synthetic rows are
plain: the fast path (``importers.fast_rows``) reads them, and a row that fell back to the general path
would exceed the budget.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from functools import cache
from pathlib import Path

import pytest
from benchmarks.plan_import import generate_plan

from landreserve.importers import read_plan, traditional

#: recognisers of table headers; a row with a data digit can only open a years table
HEADER_RULES = {
    ("parcels.py", "table_header"),
    ("figure_tables.py", "figure_table_header"),
    ("figure_tables.py", "hinted_header"),
    ("figure_tables.py", "header_with_unit_row"),
    ("year_columns.py", "year_columns_header"),
}
#: every rule that decides what a line is, or reads it as one kind of row
LINE_RULES = HEADER_RULES | {
    ("headings.py", "marker_of"),
    ("numbers.py", "scan"),
    ("parcels.py", "find_codes"),
    ("parcel_rows.py", "_parcel_line"),
    ("parcel_rows.py", "_record_area"),
    ("parcel_rows.py", "_table_row"),
    ("figure_tables.py", "_figure_row"),
    ("year_columns.py", "_year_columns_row"),
    ("statements.py", "_statements"),
    ("fast_rows.py", "table_row"),
    ("fast_rows.py", "prose_line"),
}
#: calls per parcel row with the fast path for plain rows (``importers.fast_rows``): prose 117, table 117 on
#: 2026-12-07 morning (before it: 243 and 226), 115.3 and 116.0 that evening (quick figure and parcel
#: constructors, one area per parcel in plausibility); 101.1 and 95.0 on 2026-12-08 (places and uses stored
#: as written, no OpenCC call on a line it cannot change, a plain code and area known at once; 115.1 and
#: 115.0 before, counted after the same warm-up), 103.1 and 97.0 with that day's importer rules merged;
#: a row that falls back to the general path costs 100 more
CALLS_PER_ROW = {"prose": 106, "table": 100}
#: rules tried per parcel row: the fast path's (the prose line, the table row, after ``_table_row``'s own
#: test) and, for prose, the years-header test — the general path tried five on a prose line
RULES_PER_ROW = {"prose": 2, "table": 2}
HEADER_RULES_PER_ROW = {"prose": 1, "table": 0}


@cache
def _counted(layout: str, parcels: int, folder: Path) -> tuple[int, dict[tuple[str, str], int]]:
    """Python calls of reading the synthetic plan, in total and per function ``(file name, name)``."""
    plan = generate_plan(folder / f"{layout}-{parcels}.txt", parcels, seed=7, layout=layout)
    _warm(layout, folder)
    profile = cProfile.Profile()
    profile.enable()
    document = read_plan(plan.path)
    profile.disable()
    assert len(document.parcels) == parcels
    stats = pstats.Stats(profile)
    per_function: dict[tuple[str, str], int] = {}
    for (file, _line, name), (_primitive, calls, *_rest) in stats.stats.items():  # type: ignore[attr-defined]
        key = (Path(file).name, name)
        per_function[key] = per_function.get(key, 0) + calls
    return stats.total_calls, per_function  # type: ignore[attr-defined]


@cache
def _warm(layout: str, folder: Path) -> None:
    """Read a plan first: what a process does once (compiling a pattern, loading a table on first use,
    the OpenCC witness class after ``SET_LINES`` lines) is then counted in no plan size, and the difference
    of two sizes is the rows' work alone."""
    parcels = traditional.SET_LINES + 100
    read_plan(generate_plan(folder / f"{layout}-warm.txt", parcels, seed=7, layout=layout).path)


@cache
def _lines_run(layout: str, parcels: int, folder: Path) -> int:
    """Source lines executed in reading the synthetic plan (``sys.settrace`` line events: a loop inside a
    function, which makes no call, still counts once per turn)."""
    plan = generate_plan(folder / f"{layout}-{parcels}.txt", parcels, seed=7, layout=layout)
    _warm(layout, folder)
    count = 0

    def trace(frame, event, _arg):
        nonlocal count
        count += event == "line"
        return trace

    sys.settrace(trace)
    try:
        read_plan(plan.path)
    finally:
        sys.settrace(None)
    return count


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("work")


def _per_row(layout: str, small: int, large: int, folder: Path, rules=None) -> float:
    (a, per_a), (b, per_b) = _counted(layout, small, folder), _counted(layout, large, folder)
    if rules is not None:
        a, b = (sum(per.get(r, 0) for r in rules) for per in (per_a, per_b))
    return (b - a) / (large - small)


@pytest.mark.parametrize("layout", ["prose", "table"])
def test_a_parcel_row_costs_the_same_at_ten_thousand_parcels_as_at_one_thousand(layout, folder):
    first = _per_row(layout, 1_000, 2_000, folder)
    last = _per_row(layout, 2_000, 10_000, folder)
    assert last <= first * 1.1, f"{layout}: {first:.0f} calls per row at 1,000 parcels, {last:.0f} at 10,000"
    assert last <= CALLS_PER_ROW[layout], f"{layout}: {last:.0f} calls per parcel row"


@pytest.mark.parametrize("layout", ["prose", "table"])
def test_a_parcel_row_is_tried_against_a_bounded_number_of_rules(layout, folder):
    rules = _per_row(layout, 1_000, 2_000, folder, LINE_RULES)
    headers = _per_row(layout, 1_000, 2_000, folder, HEADER_RULES)
    assert rules <= RULES_PER_ROW[layout], f"{layout}: {rules:.2f} rules per parcel row"
    assert headers <= HEADER_RULES_PER_ROW[layout], f"{layout}: {headers:.2f} header rules per parcel row"


@pytest.mark.parametrize("layout", ["prose", "table"])
def test_the_lines_run_per_parcel_row_do_not_grow_with_the_plan(layout, folder):
    first = (_lines_run(layout, 2_000, folder) - _lines_run(layout, 1_000, folder)) / 1_000
    last = (_lines_run(layout, 4_000, folder) - _lines_run(layout, 2_000, folder)) / 2_000
    assert last <= first * 1.1, (
        f"{layout}: {first:.0f} lines run per row at 1,000 parcels, {last:.0f} at 4,000"
    )
