"""Tables copied from a web page one cell per line, joined back into rows.

Copying an HTML table often gives each cell its own line: ``序号`` / ``地块编号`` / ``地块位置`` /
``面积（公顷）`` then ``1`` / ``LH-2026-01`` / ``柳河镇东风路北侧`` / ``3.52`` … A run of short lines that
together form a table header (parcel or figure table) is joined with tabs on its first line, and so is
each following group of as many lines whose cells fit the columns; the other lines of the group become
blank, so every line keeps its number (a row is reported at the line of its first cell).
"""

from __future__ import annotations

import re

from . import parcels
from .figure_tables import SUM_ROW, figure_table_header
from .normalise import to_ascii

_MAX_HEADER_CELL = 16
_MAX_CELL = 60
_SENTENCE = re.compile(r"[。；;，,:：]")


def join_cell_lines(lines: list[str]) -> list[str]:
    """``lines`` with every table written one cell per line joined back into tab-separated rows."""
    out = list(lines)
    cells = [to_ascii(line).strip() for line in lines]
    i = 0
    while i < len(out):
        header = _header_at(cells, i) if _header_cell(cells[i]) else None
        if header is None:
            i += 1
            continue
        width, kinds = header
        _join(out, i, width)
        i = _join_rows(out, cells, i + width, width, kinds)
    return out


def _header_at(cells: list[str], i: int) -> tuple[int, list[str]] | None:
    """(width, column kinds) of a header written one cell per line from ``cells[i]``."""
    for width in range(8, 2, -1):
        run = cells[i : i + width]
        if i + width >= len(cells) or not all(_header_cell(c) for c in run):
            continue
        joined = "\t".join(run)
        table = parcels.table_header(joined, 0)
        kinds = table.kinds if table else getattr(figure_table_header(joined, 0), "kinds", None)
        if kinds is not None and _row_fits(cells[i + width : i + 2 * width], kinds):
            return width, kinds
    return None


def _header_cell(cell: str) -> bool:
    return 0 < len(cell) <= _MAX_HEADER_CELL and not re.search(r"\d", re.sub(r"[mM]2", "", cell))


def _row_fits(group: list[str], kinds: list[str]) -> bool:
    """Whether ``group`` (one cell per line, normalised) is a data row of a table with these kinds."""
    if len(group) < len(kinds):
        return False
    return all(_cell_fits(c, kind) for c, kind in zip(group, kinds, strict=True))


def _cell_fits(cell: str, kind: str) -> bool:
    if not cell or len(cell) > _MAX_CELL or _SENTENCE.search(cell):
        return False
    if kind == "serial":
        return re.fullmatch(r"\d{1,4}", cell) is not None
    if kind == "number":
        return parcels.cell_kind(cell) in ("int", "number")
    return True


def _join_rows(lines: list[str], cells: list[str], j: int, width: int, kinds: list[str]) -> int:
    """Join the data rows from ``lines[j]``; the index after the table."""
    while _row_fits(cells[j : j + width], kinds):
        _join(lines, j, width)
        j += width
    return _join_sum_row(lines, cells, j, kinds)


def _join_sum_row(lines: list[str], cells: list[str], j: int, kinds: list[str]) -> int:
    """``合计`` then its numbers (blank cells are lost when copied): numbers go to the number columns."""
    if j >= len(lines) or not SUM_ROW.match(cells[j]):
        return j
    numbers_columns = [c for c, kind in enumerate(kinds) if kind == "number"]
    values = []
    while len(values) < len(numbers_columns) and j + 1 + len(values) < len(lines):
        cell = cells[j + 1 + len(values)]
        if parcels.cell_kind(cell) not in ("int", "number"):
            break
        values.append(lines[j + 1 + len(values)].strip())
    if not values:
        return j + 1
    row = [lines[j].strip()] + [""] * (len(kinds) - 1)
    for column, value in zip(numbers_columns, values, strict=False):
        row[column] = value
    lines[j] = "\t".join(row)
    for k in range(j + 1, j + 1 + len(values)):
        lines[k] = ""
    return j + 1 + len(values)


def _join(lines: list[str], i: int, width: int) -> None:
    lines[i] = "\t".join(line.strip() for line in lines[i : i + width])
    for k in range(i + 1, i + width):
        lines[k] = ""
