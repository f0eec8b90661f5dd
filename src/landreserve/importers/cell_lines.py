"""Tables copied from a web page one cell per line, joined back into rows.

Copying an HTML table often gives each cell its own line: ``序号`` / ``地块编号`` / ``地块位置`` /
``面积（公顷）`` then ``1`` / ``LH-2026-01`` / ``柳河镇东风路北侧`` / ``3.52`` … A run of short lines that
together form a table header (parcel, figure or years table) is joined with tabs on its first line, and
so is each row after it: in a table with a serial column a row runs from its serial to the next one
(blank or merged cells lost in copying are placed in their columns by kind); group rows (``一`` /
``城区``), 小计 and 合计 rows are joined too. The other lines of a row become blank, so every line
keeps its number (a row is reported at the line of its first cell). Blank lines between cells are
passed over.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from landreserve.domain.units import Quantity, unit_pattern

from . import headings, parcels
from .figure_tables import SUM_ROW, YEAR_ROW, figure_table_header, hinted_header
from .normalise import to_ascii
from .year_columns import year_columns_header

_MAX_HEADER_CELL = 16
_MAX_CELL = 60
#: a cell never holds a whole sentence
_SENTENCE = re.compile(r"[。;]|\.$")
#: a cell no table header can do without (``_is_key_cell``): an area, a unit or a year — 面积, 规模 or a
#: bracket anywhere, or ``20\d{2}\s*年`` at its start
_KEY_YEAR = re.compile(r"20\d{2}\s*年")
#: a caption's ``单位:公顷`` (cells are in ASCII punctuation here)
_UNIT_HINT = re.compile(rf"单位\s*:?\s*({unit_pattern(Quantity.AREA)})")
_NO_VALUE = frozenset({"-", "—", "–", "/", "－"})
_GROUP_CELL = re.compile(r"^[^\d]{1,16}$")


def join_cell_lines(lines: list[str]) -> list[str]:
    """``lines`` with every table written one cell per line joined back into tab-separated rows.

    Blank lines between the cells (as copied from some pages) are passed over."""
    return joined_and_ascii(lines)[0]


def joined_and_ascii(lines: list[str]) -> tuple[list[str], list[str]]:
    """``join_cell_lines(lines)`` and the ASCII form (``normalise.to_ascii``) of each line of it: a line
    left as it was keeps the form worked out to find the tables, so no line is converted twice."""
    ascii_lines = [to_ascii(line) for line in lines]
    out = _joined(lines, ascii_lines)
    return out, [a if o is line else to_ascii(o) for o, line, a in zip(out, lines, ascii_lines, strict=True)]


def _joined(lines: list[str], ascii_lines: list[str]) -> list[str]:
    out = list(lines)
    where = [i for i, line in enumerate(lines) if line.strip()]
    cells = [ascii_lines[i].strip() for i in where]
    runs = _header_runs(cells)
    hints = {i: m.group(1) for i, c in enumerate(cells) if (m := _UNIT_HINT.search(c))}
    # a header starts only where two header-like cells run (``_header_at``): the lines between are passed
    starts = [j for j in range(len(cells)) if runs[j][0] >= 2]
    k = 0
    while k < len(cells):
        found = [
            h
            for start in range(k, k + 3)
            if (h := _header_at(cells, runs, start, hints.get(start - 1) or hints.get(start - 2)))
        ]
        if not found:
            after = bisect.bisect_right(starts, k)  # the next possible start after k, tried from two before
            k = max(k + 1, starts[after] - 2) if after < len(starts) else len(cells)
            continue
        _score, k, width, kinds, header = max(found, key=lambda h: h[0])  # a title line before is no column
        _join(out, where[k : k + width], header)
        k = _join_rows(out, where, cells, k + width, kinds)
    return out


def _header_runs(cells: list[str]) -> list[tuple[int, int]]:
    """For each cell: how many header-like cells run from it, and where the next key cell (one a
    header cannot do without: 面积, a unit, a year) is — so most lines are passed over at once."""
    runs: list[tuple[int, int]] = [(0, len(cells))] * (len(cells) + 1)
    for k in range(len(cells) - 1, -1, -1):
        length = runs[k + 1][0] + 1 if _header_cell(cells[k]) else 0
        key = k if _is_key_cell(cells[k]) else runs[k + 1][1]
        runs[k] = (length, key)
    return runs


def _is_key_cell(cell: str) -> bool:
    """Whether ``cell`` names an area, a unit or a year (what ``面积|规模|[(（]|^20\\d{2}\\s*年`` finds)."""
    # four substring tests: a regex alternation of words is tried at every position of every line
    if "面积" in cell or "规模" in cell or "(" in cell or "（" in cell:
        return True
    return cell.startswith("20") and _KEY_YEAR.match(cell) is not None


def _header_at(
    cells: list[str], runs: list[tuple[int, int]], k: int, unit: str | None = None
) -> tuple[tuple[int, int], int, int, Sequence[str], list[str]] | None:
    """(score, start, width, column kinds, header cells) of a header written one cell per line from
    ``cells[k]``: of the widths that make a header, the one whose rows reach furthest, then with the
    fewest unknown column names (``一``/``城区`` of a group row are no columns), then the widest.

    ``unit``: a ``单位：公顷`` caption just before — a header naming no unit (``乡镇`` ``工业用地`` …
    ``合计``) then takes it for its columns after the first, as the table read in rows does."""
    if k >= len(cells) or runs[k][0] < 2 or (unit is None and runs[k][1] - k >= min(runs[k][0], 8)):
        return None
    best: tuple[tuple[int, int], int, int, Sequence[str], list[str]] | None = None
    for width in range(min(8, runs[k][0]), 1, -1):
        run = cells[k : k + width]
        if k + width >= len(cells) or (unit is None and runs[k][1] >= k + width):
            continue
        hinted = hinted_header(run, unit) if unit is not None else None  # kinds only: the text stays
        kinds = (_kinds(hinted[0]) if hinted else None) or _kinds("\t".join(run))
        if width == 2 and figure_table_header("\t".join(run), 0) is None:
            continue  # two short lines are a table header only when a column names its unit
        if kinds is None or not _row(cells, k + width, kinds):
            continue
        reach = _join_rows(None, [], cells, k + width, kinds)
        score = (reach, -sum(parcels.column_of(c) == "other" for c in run))
        if best is None or score > best[0]:
            best = (score, k, width, kinds, run)
    return best


@lru_cache(maxsize=4096)
def _kinds(header: str) -> tuple[str, ...] | None:
    """Column kinds of a parcel, figure or years table header, if ``header`` is one."""
    table = parcels.table_header(header, 0) or figure_table_header(header, 0)
    if table is not None:
        return tuple(table.kinds)
    years = year_columns_header(header, 0)
    if years is None:
        return None
    return tuple(
        "text" if y is None and c != years.sum_column else "number" for c, y in enumerate(years.years)
    )


def _header_cell(cell: str) -> bool:
    """A short name with no digits (or a year ``2026年``); a heading (``二、储备地块明细表``) is none."""
    if YEAR_ROW.match(cell):
        return True
    if not 0 < len(cell) <= _MAX_HEADER_CELL or headings.marker_of(cell) is not None:
        return False
    return not re.search(r"\d", re.sub(r"[mM]2", "", cell))


def _row_fits(group: list[str], kinds: Sequence[str]) -> bool:
    """Whether ``group`` (one cell per line, normalised) is a data row of a table with these kinds."""
    if len(group) < len(kinds):
        return False
    return all(_cell_fits(c, kind) for c, kind in zip(group, kinds, strict=True))


def _cell_fits(cell: str, kind: str) -> bool:
    if kind == "number" and (cell in _NO_VALUE or re.fullmatch(r"\d[\d.,]*", cell)):
        return True  # a number, even a broken one (``5..23``, reported when read), or a dash for none
    if not cell or len(cell) > _MAX_CELL or _SENTENCE.search(cell) or headings.marker_of(cell) is not None:
        return False
    if SUM_ROW.match(cell):
        return False
    if kind == "serial":
        return re.fullmatch(r"\d{1,4}", cell) is not None
    if kind == "number":
        return parcels.cell_kind(cell) in ("int", "number")
    return True


def _join_rows(
    lines: list[str] | None, where: list[int], cells: list[str], k: int, kinds: Sequence[str]
) -> int:
    """Join the data rows (and group, 小计 and 合计 rows) from ``cells[k]``; the index after the table.
    With ``lines`` ``None`` nothing is joined (to measure a table)."""
    while k < len(cells):
        row = _row(cells, k, kinds)
        if row is None and SUM_ROW.match(cells[k]):
            width = 1 + _sum_numbers(cells, k, kinds)
            row = (width, _sum_cells(cells[k : k + width], kinds))
        elif row is None and (group := _group_width(cells, k, kinds)):
            row = (group, cells[k : k + group])
        if row is None:
            break
        if lines is not None:
            _join(lines, where[k : k + row[0]], row[1])
        k += row[0]
    return k


def _row(cells: list[str], k: int, kinds: Sequence[str]) -> tuple[int, list[str]] | None:
    """(cells taken, the row's cells by column) of the data row at ``cells[k]``, if one starts there."""
    if k >= len(cells):
        return None
    if "serial" in kinds:
        return _serial_row(cells, k, kinds)
    width = len(kinds)
    return (width, cells[k : k + width]) if _row_fits(cells[k : k + width], kinds) else None


def _serial_row(cells: list[str], k: int, kinds: Sequence[str]) -> tuple[int, list[str]] | None:
    """A row around its serial, up to where the next row (serial + 1) or the table's end begins; cells
    lost with blank or merged cells are matched to the columns by their kind."""
    s = kinds.index("serial")
    p = next((i for i in range(k, min(k + s + 1, len(cells))) if re.fullmatch(r"\d{1,4}", cells[i])), None)
    if p is None or not all(_cell_fits(c, "text") for c in cells[k:p]):
        return None
    following = str(int(cells[p]) + 1)
    for end in range(min(len(cells), p + len(kinds) - s), p, -1):
        if not all(_cell_fits(c, "text") for c in cells[p:end]) or following in cells[p + 1 : end]:
            continue  # a row holds no sentence and not the next row's serial
        if _row_ends(cells, end, s, following, len(kinds)) and (
            placed := _aligned(cells[k:end], p - k, kinds)
        ):
            return end - k, placed
    return None


def _row_ends(cells: list[str], end: int, s: int, following: str, width: int) -> bool:
    """Whether a row may end before ``cells[end]``: the next serial (after at most ``s`` leading cells),
    a 合计/小计, no table cell, or no next row near (the table ends)."""
    if end >= len(cells) or SUM_ROW.match(cells[end]) or not _cell_fits(cells[end], "text"):
        return True
    return following in cells[end : end + s + 1] or following not in cells[end : end + width]


def _aligned(row: list[str], serial: int, kinds: Sequence[str]) -> list[str] | None:
    """The cells of ``row`` (its serial at ``row[serial]``) placed in their columns (``""`` where
    lost); ``None`` when they do not fit or the row has no number."""
    if len(row) == len(kinds):
        placed = row if _row_fits(row, kinds) else None
    else:
        s = kinds.index("serial")
        placed = [""] * len(kinds)
        placed[s] = row[serial]
        if not _place(row[:serial], kinds[:s], placed, 0) or not _place(
            row[serial + 1 :], kinds, placed, s + 1
        ):
            return None
    numbers = [c for c, kind in zip(placed or [], kinds, strict=False) if kind == "number"]
    return placed if numbers and any(numbers) else None


def _place(cells: list[str], kinds: Sequence[str], placed: list[str], column: int) -> bool:
    """Put ``cells`` into ``placed`` from ``column`` on, each in the next column of its kind."""
    for cell in cells:
        target = parcels.target_column(parcels.cell_kind(cell), kinds, column)
        if target is None:
            return False
        placed[target], column = cell, target + 1
    return True


def _group_width(cells: list[str], k: int, kinds: Sequence[str]) -> int:
    """``一`` / ``城区`` before the rows of a group: one or two short cells without digits."""
    for width in (1, 2):
        group = cells[k : k + width]
        if len(group) == width and all(_GROUP_CELL.match(c) and not _SENTENCE.search(c) for c in group):
            if _row(cells, k + width, kinds):
                return width
    return 0


def _sum_numbers(cells: list[str], k: int, kinds: Sequence[str]) -> int:
    """How many numbers follow a 合计 cell (at most one per number column)."""
    columns = sum(kind == "number" for kind in kinds)
    n = 0
    while n < columns and k + 1 + n < len(cells) and parcels.cell_kind(cells[k + 1 + n]) in ("int", "number"):
        n += 1
    return n


def _sum_cells(cells: list[str], kinds: Sequence[str]) -> list[str]:
    """``合计`` then its numbers (blank cells are lost when copied): numbers go to the number columns."""
    columns = [c for c, kind in enumerate(kinds) if kind == "number"]
    row = [cells[0]] + [""] * (len(kinds) - 1)
    for column, value in zip(columns, cells[1:], strict=False):
        row[column] = value
    return row


def _join(lines: list[str], rows: list[int], cells: list[str]) -> None:
    """``cells`` joined by tabs on the first of the lines ``rows``; the others left blank."""
    originals = {to_ascii(lines[i]).strip(): lines[i].strip() for i in rows}
    lines[rows[0]] = "\t".join(originals.get(c, c) for c in cells)
    for i in rows[1:]:
        lines[i] = ""
