"""A fast path for the ordinary parcel rows of a long list (tab-table rows, prose parcel lines).

The general reader (``parcel_rows``) tries every rule of reading on each row. A plan of thousands of
parcels writes almost every row the same plain way; such a row is recognised here by one match and read
straight into the same parcel, figures and bookkeeping the general path gives it. A row this path does not
fully recognise — any cell, unit, marker or word the general path might read differently — goes to the
general path unchanged: the readings never differ (``tests/test_fast_rows_equal.py`` reads every plan we
have, damaged copies too, with the fast path on and off and compares all of it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from landreserve.domain.plans import Figure, Measure, PlanParcel
from landreserve.domain.units import Quantity, to_base

from . import numbers, parcels
from .clauses import sentence_text
from .normalise import ascii_alnum, normalise_code
from .structure import land_use_of
from .year_columns import year_columns_header

if TYPE_CHECKING:
    from .parcels import TableHeader
    from .plan_text import _Reader

#: the fast path is used (``False``: every row takes the general path — the reference the test compares with)
ENABLED = True

#: a row naming a total or subtotal (``合计``, ``总 计``, ``小计``): the general path reads it (every
#: spelling ends in 计: a row without one is not searched)
_TOTAL_WORDS = re.compile(r"合\s*计|总\s*计|小\s*计")
#: a cell of ASCII digits, points and commas: what ``numbers.scan`` finds no quantity in
_BARE_NUMBER = re.compile(r"[0-9.,]+")
#: the columns a plain table row may have: the ones ``_table_parcel`` reads, and ones it passes over
_READ = ("serial", "code", "area", "location", "use")
_PASSED_OVER = frozenset({"note", "other"})


class _TablePlan:
    """Where a plain row of one parcel table (tab-separated, no money or 四至 columns) has its cells."""

    __slots__ = ("width", "serial", "code", "area", "location", "use", "unit")

    def __init__(self, columns: list[str], unit: str) -> None:
        self.width = len(columns)
        self.serial, self.code, self.area = (columns.index(c) for c in ("serial", "code", "area"))
        self.location = columns.index("location") if "location" in columns else None
        self.use = columns.index("use") if "use" in columns else None
        self.unit = unit


_PLANS: dict[tuple, _TablePlan | None] = {}
#: the header last asked about and its plan: its columns and units are settled once its first row is read
_last: tuple[object, _TablePlan | None] = (None, None)


def _table_plan(header: TableHeader) -> _TablePlan | None:
    global _last
    last = _last
    if last[0] is header:
        return last[1]
    key = (header.separator, tuple(header.columns), tuple(header.units))
    if key not in _PLANS:
        columns = header.columns
        plain = (
            header.separator == "tab"
            and all(columns.count(c) == 1 for c in ("serial", "code", "area"))
            and all(columns.count(c) <= 1 for c in ("location", "use"))
            and all(c in _READ or c in _PASSED_OVER for c in columns)
            and header.units[columns.index("area")] is not None
        )
        if len(_PLANS) > 64:
            _PLANS.clear()
        _PLANS[key] = _TablePlan(columns, header.units[columns.index("area")] or "") if plain else None
    _last = (header, _PLANS[key])
    return _last[1]


def table_row(reader: _Reader, line: int, clean: str, norm: str) -> bool:
    """Read a plain row of the open parcel table as ``ParcelRows._table_row`` would; ``False``: not a
    plain row (nothing was done — the general path reads it).

    Plain: the line has no full-width character (its clean and normalised forms are one text), as many
    tab cells as the header has columns, no blank space around the cells read, a serial of ASCII digits
    (no sub-row), a code not opening with 其中, a bare well-formed number in the area column, no total
    word; the header's first row has been read (a unit row may stand there)."""
    header = reader.table
    if header is None or header.rows == 0 or clean != norm:
        return False
    plan = _table_plan(header)
    if plan is None:
        return False
    cells = norm.split("\t")
    if len(cells) != plan.width or ("计" in norm and _TOTAL_WORDS.search(norm)):
        return False
    serial, written, raw = cells[plan.serial], cells[plan.code], cells[plan.area]
    location = cells[plan.location] if plan.location is not None else ""
    use = cells[plan.use] if plan.use is not None else ""
    if not (serial.isdigit() and serial.isascii()) or written.startswith("其"):
        return False
    # blank space at the start or end of a cell (the cells hold no tab: any blank space is another):
    # the general path reads cells stripped
    if list(map(str.strip, cells)) != cells:
        return False
    if not _BARE_NUMBER.fullmatch(raw) or not numbers.well_formed(raw):
        return False
    start = sum(map(len, cells[: plan.area])) + plan.area
    value = numbers.plain_value(raw)
    code = normalise_code(written)
    # ``clean == norm``: the row holds no character ``to_ascii`` maps, so none that ``ascii_alnum`` maps
    # (its digits and letters are among them): its cells are stored as they are
    place = location or None
    _parcel(
        reader, line, clean, norm, code, written, value, plan.unit, start, location, place, use, int(serial)
    )
    header.rows += 1
    header.parent, header.parts = reader.doc.parcels[-1], None
    return True


#: ``12.地块编号：SL-CB2027001，土地坐落：…，面积：4.0254公顷；`` (normalised), nothing more on the line
_PROSE_PARCEL = re.compile(
    r"(\d+)\.地块编号:([A-Za-z0-9][A-Za-z0-9-]*),土地坐落:([^,;。:()\t\s]+),面积:(\d+\.\d+)公顷;"
)
#: what could make the general path read more in a code or location: a unit, a key of a code or use
_NOT_PLAIN = re.compile(numbers._UNIT_RE.pattern + r"|编号|代码|编码|用途|性质|\.")


def prose_line(reader: _Reader, line: int, clean: str, norm: str) -> bool:
    """Read a plain prose parcel line (``_PROSE_PARCEL``) as ``read_line`` would; ``False``: not one.

    Plain: no table open, the line is exactly ``serial.地块编号：code，土地坐落：place，面积：N公顷；`` with
    no unit, key or point in the code or place, and no years-table header (its cells are no years)."""
    if reader.table is not None or reader.figure_table is not None or reader.year_table is not None:
        return False
    m = _PROSE_PARCEL.fullmatch(norm)
    if m is None or _NOT_PLAIN.search(norm, m.start(2), m.end(3)):
        return False
    if year_columns_header(norm, line) is not None:
        return False
    serial = m.group(1)
    written = clean[m.start(2) : m.end(2)]
    location = clean[m.start(3) : m.end(3)]
    number = int(serial) if len(serial) <= 3 else None  # the list marker ``1.`` has at most three digits
    reader.last_content = (line, clean, False)
    code = normalise_code(written)
    # a place written the same in both forms holds no character ``to_ascii`` maps, so none that
    # ``ascii_alnum`` maps: it is stored as it is
    place = location if location == norm[m.start(3) : m.end(3)] else ascii_alnum(location)
    _parcel(
        reader, line, clean, norm, code, written, m.group(4), "公顷", m.start(4), location, place, "", number
    )
    return True


def _parcel(
    reader: _Reader,
    line: int,
    clean: str,
    norm: str,
    code: str,
    written: str,
    value: str,
    unit: str,
    start: int,
    location: str,
    place: str | None,
    use: str,
    serial: int | None,
) -> None:
    """``ParcelRows._add_parcel`` of a parcel whose area is one plain amount (``value`` ``unit`` written at
    ``start``, no qualifier), with its figure made as ``_Reader._figures`` makes it. ``place``: the
    location as stored (``ascii_alnum(location)``, ``None`` for none); ``use`` holds no full-width digit
    or letter (it is stored as it is)."""
    figure = Figure.plain(
        code or location or "地块",
        value,
        unit,
        Quantity.AREA,
        to_base(value, unit),
        line,
        sentence_text(clean, norm, start),
    )
    reader.positions.append((line, reader.piece, start))
    reader.doc.figures.append(figure)
    reader.doc.parcels.append(
        PlanParcel.listed(
            code or location,
            written,
            line,
            clean.strip(),
            place,
            Measure((figure,)),
            use or None,
            land_use_of(use) if use else None,
            parcels.is_carried_over(code, norm, reader.doc.year),
            serial,
        )
    )
    reader.structure.note_parcel(reader.section)
