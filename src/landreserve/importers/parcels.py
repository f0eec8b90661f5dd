"""Parcel rows of a plan: ``地块编号：…，土地坐落：…，面积：…`` lines, table rows under a header, prose.

Codes are normalised (``BC－CB2026001`` → ``BC-CB2026001``). A parcel is *carried over* when its code
holds a year earlier than the plan's (``BC2025CB011`` in a 2026 plan) or its text says 结转/续储.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from landreserve.domain.units import Quantity, unit_pattern

#: a parcel code: letters and digits (and dashes), with at least one letter and three digits
CODE_RE = re.compile(r"(?<![A-Za-z0-9/-])([A-Za-z][A-Za-z0-9]*(?:-?[A-Za-z0-9]+)*)(?![A-Za-z0-9/])")
#: prefixes of standards and laws (``GB/T 21010-2017``), never parcel codes
_NOT_CODES = re.compile(r"^(?:GB|DB|TD|CJJ|JGJ|CJ|HJ|ISO|EPSG|CGCS)", re.IGNORECASE)
_CODE_KEY = re.compile(r"(?:地块|宗地|项目)?(?:编号|代码|编码)\s*[:：]?\s*")
_FIELD_KEYS = {
    "location": re.compile(
        r"(?:土地坐落|坐落位置|坐落|地块位置|位置|四至|地块名称|项目名称|名称)\s*(?::|为)\s*|位于\s*"
    ),
    "use": re.compile(r"(?:规划用途|土地用途|用途|用地性质|规划性质|土地性质)\s*(?::|为)\s*"),
}
#: a code after its key; spaces may stand inside it (``yx 2026-02``) before a letter or digit
_KEYED_CODE = re.compile(r"[^\s,;。:()]+(?:\s*-\s*[^\s,;。:()]+|\s(?=[0-9A-Za-z])[^\s,;。:()]+)*")
#: a field's value runs up to the next separator
_FIELD_END = re.compile(r"[^,;。\t]*")
_NAME_KEY = re.compile(r"(?:地块名称|宗地名称|项目名称)\s*:\s*")
#: ``(?<!\d)(19|20)(\d{2})`` with the look-behind after the first digit: the search then goes from one 1 or
#: 2 to the next instead of trying every position (``tests/test_equal_rewrites.py``)
_CODE_YEAR = re.compile(r"(1(?<!\d1)9|2(?<!\d2)0)(\d{2})")

#: header cells of a parcel table → column meaning
_HEADER_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("serial", re.compile(r"^(?:序号|编号序|No\.?)$", re.IGNORECASE)),
    ("code", re.compile(r"编号|代码|编码")),
    ("location", re.compile(r"坐落|位置|四至|名称")),
    ("note", re.compile(r"建筑面积|建筑规模|建筑量")),  # floor area of buildings, not land
    ("area", re.compile(r"面积|规模")),
    ("use", re.compile(r"用途|性质|用地类型|地类")),
    ("note", re.compile(r"备注|说明|状态|来源|方式")),
)
_AREA_UNITS = unit_pattern(Quantity.AREA)
_NUMBER_CELL = re.compile(rf"[\d.,]+\s*(?:{unit_pattern(Quantity.AREA, Quantity.MONEY, Quantity.SHARE)})?")
_CONVERTED_CELL = re.compile(rf"[\d.,]+\s*\(\s*约?\s*[\d.,]+\s*(?:{_AREA_UNITS})\s*\)")
_HEADER_UNIT = re.compile(rf"[(]\s*({_AREA_UNITS})\s*[)]|({_AREA_UNITS})$")


@dataclass
class ParcelRecord:
    """A parcel written one field per line (``地块编号：…`` / ``土地坐落：…`` / ``面积：…公顷``)."""

    line: int
    code: str
    written: str
    serial: int | None
    location: str | None = None
    use: str | None = None
    text: list[str] = field(default_factory=list)


@dataclass
class TableHeader:
    """Column meanings of a parcel table and how its rows are split."""

    columns: list[str]
    units: list[str | None]  # unit named in each column's header (``面积（公顷）``)
    separator: str  # "tab", "wide" (two spaces or |), "," or "space"
    line: int
    rows: int = 0
    group_start: int = 0  # index of the first parcel of the current group (after a 小计 or group row)
    group: str = ""  # name of the current group (``一 城区``)
    names: list[str] = field(default_factory=list)  # header cells as written (money columns' labels)
    parent: object | None = None  # the last parcel of the table that is not a sub-row (a PlanParcel)
    parts: object | None = None  # the split of that parcel's area into its sub-rows (a BreakdownDraft)
    _layout: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def kinds(self) -> list[str]:
        """Cell kind each column takes (see ``align_cells``)."""
        return [_COLUMN_KIND.get(name, "text") for name in self.columns]

    @property
    def area_columns(self) -> list[int]:
        return [i for i, name in enumerate(self.columns) if name == "area"]

    def layout(self) -> tuple[list[str], list[int]]:
        """``(kinds, area_columns)``, worked out once per set of columns (a two-row header changes them)."""
        key = tuple(self.columns)
        if self._layout is None or self._layout[0] != key:
            self._layout = (key, self.kinds, self.area_columns)
        return self._layout[1], self._layout[2]

    @property
    def area_unit(self) -> str | None:
        """Unit of the first area column."""
        return self.units[self.area_columns[0]] if self.area_columns else None


def find_code(norm: str, start: int = 0) -> tuple[int, int] | None:
    """Span of the first parcel code in ``norm``: after an ``编号`` key, or a code-shaped token."""
    codes = find_codes(norm, start)
    return codes[0] if codes else None


def find_codes(norm: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of all parcel codes in ``norm`` (values of ``编号`` keys, else code-shaped tokens)."""
    keyed = []
    # every key ends with 编号, 代码 or 编码: a line without them needs no search for one
    for key in _CODE_KEY.finditer(norm, start) if ("编" in norm or "代码" in norm) else ():
        m = _KEYED_CODE.match(norm, key.end())
        if m and any(map(str.isdigit, m.group())):
            keyed.append(m.span())
    if keyed:
        return keyed
    tokens = [m.span(1) for m in CODE_RE.finditer(norm, start) if looks_like_code(m.group(1))]
    if tokens:
        return tokens
    name = _NAME_KEY.search(norm, start)  # 地块名称：… stands for the code when none is written
    if name:
        end = _FIELD_END.match(norm, name.end()).end()
        return [(name.end(), end)] if end > name.end() else []
    return []


def looks_like_code(token: str) -> bool:
    """A parcel code has a letter, at least three digits and at least five characters."""
    digits = sum(map(str.isdigit, token))
    letters = sum(map(str.isalpha, token))
    if _NOT_CODES.match(token) or token.lower().startswith(("http", "www")):
        return False
    return letters >= 1 and digits >= 3 and len(token) >= 5


def field_value(norm: str, name: str) -> tuple[int, int] | None:
    """Span of the value of a ``key：value`` field (``土地坐落：…``) up to the next separator."""
    key = _FIELD_KEYS[name].search(norm)
    if not key:
        return None
    end = _FIELD_END.match(norm, key.end()).end()
    return (key.end(), end) if end > key.end() else None


def is_carried_over(code: str, text: str, plan_year: int | None) -> bool:
    """Whether a parcel comes from an earlier plan (its code's year, or 结转/续储 in its text)."""
    # three substring tests: a regex alternation of words is tried at every position of the row
    if "结转" in text or "续储" in text or "上年度" in text:
        return True
    if plan_year is None:
        return False
    return any(1990 <= int(a + b) < plan_year for a, b in _CODE_YEAR.findall(code))


_CELL_SEPARATORS = {
    "tab": re.compile(r"\t"),
    ",": re.compile(r","),
    "space": re.compile(r"\s+"),
    "wide": re.compile(r"\s{2,}|\s*\|\s*"),
}


def cell_spans(norm: str, separator: str) -> list[tuple[int, int]]:
    """Spans of the cells of a table row (normalised text), stripped; empty cells only for tabs."""
    if separator == "tab":
        return _tab_spans(norm)
    spans, start = [], 0
    for m in [*_CELL_SEPARATORS[separator].finditer(norm), None]:
        end = m.start() if m else len(norm)
        s, e = start, end
        while s < e and norm[s].isspace():
            s += 1
        while e > s and norm[e - 1].isspace():
            e -= 1
        if e > s or separator == "tab":
            spans.append((s, e))
        start = m.end() if m else len(norm)
    return spans


def _tab_spans(norm: str) -> list[tuple[int, int]]:
    """``cell_spans`` of a tab row (every cell kept, empty ones too), without a regex per row."""
    spans, start = [], 0
    for cell in norm.split("\t"):
        end = start + len(cell)
        inner = cell.strip()
        if inner:
            s = start + cell.index(inner[0])
            spans.append((s, s + len(inner)))
        else:  # a blank cell: at its end, as the loop that skips leading space leaves it
            spans.append((end, end))
        start = end + 1
    return spans


def split_cells(norm: str, separator: str) -> list[str]:
    """Cells of a table row (normalised text)."""
    return [norm[s:e] for s, e in cell_spans(norm, separator)]


_COLUMN_KIND = {
    "serial": "serial",
    "code": "code",
    "area": "number",
    "money": "number",
    "money_other": "number",
}
#: a money column that is the parcel's share of the funds needed (not its expected income or value)
_FUNDS_NEEDED = re.compile(r"资金|投资|费用|补偿|成本|支出")
_NOT_FUNDS_NEEDED = re.compile(r"收入|收益|出让金|出让价款|成交价|评估|价值|地价|单价|价格|起始价|总|累计|已")
#: a column of money per parcel (``资金需求（万元）``, ``投资估算(亿元)``): its header names the unit
_MONEY_HEADER = re.compile(r"\(\s*(万元|亿元|元)\s*\)")


def cell_kind(cell: str) -> str:
    """``int`` (a serial), ``number``, ``code`` or ``text`` — how a table cell looks."""
    if re.fullmatch(r"\d{1,4}", cell):
        return "int"
    if _NUMBER_CELL.fullmatch(cell):
        return "number"
    if _CONVERTED_CELL.fullmatch(cell):
        return "number"  # ``46.8613(约702.92亩)``: an area with its conversion
    if re.fullmatch(r"[A-Za-z0-9\-\s]+", cell) and re.search(r"\d", cell):
        return "code"
    return "text"


def align_cells(
    norm: str, spans: list[tuple[int, int]], kinds: list[str], separator: str
) -> list[tuple[int, int] | None]:
    """The cell of each column (``None``: absent). Tab rows keep their positions; a row of another
    table with fewer cells than columns (a merged or blank cell) is matched by the kind of its cells."""
    if separator == "tab" or len(spans) >= len(kinds):
        return [spans[i] if i < len(spans) else None for i in range(len(kinds))]
    aligned: list[tuple[int, int] | None] = [None] * len(kinds)
    column = 0
    for span in spans:
        target = target_column(cell_kind(norm[span[0] : span[1]]), kinds, column)
        if target is None:
            break
        aligned[target] = span
        column = target + 1
    return aligned


#: columns a cell kind prefers, in order (a serial only where the serial column is next)
_PREFERS = {
    "int": ("serial", "number", "code"),
    "number": ("number",),
    "code": ("code", "text"),
    "text": ("text",),
}


def target_column(kind: str, kinds: Sequence[str], column: int) -> int | None:
    """The column a cell of ``kind`` goes to, from ``column`` on (a row with cells missing)."""
    for wanted in _PREFERS[kind]:
        for k in range(column, len(kinds)):
            if kinds[k] == wanted and (wanted != "serial" or k == column):
                return k
    return column if column < len(kinds) else None


_BARE_UNIT = re.compile(rf"^\(?\s*({unit_pattern(Quantity.AREA)})\s*\)?$")
_AREA_HEADER = re.compile(r"面积|规模")
#: a digit that is not part of ``m2``: header rows hold none
_HAS_DATA_DIGIT = re.compile(r"(?<![mM])\d|[mM]2\d")


def has_data_digit(norm: str) -> bool:
    """Whether ``norm`` holds a digit other than the ``2`` of a unit's ``m2``: a data row or a sentence
    with figures, never the header of a parcel table or of a table of figures (only a years header)."""
    return _HAS_DATA_DIGIT.search(norm) is not None


def table_header(norm: str, line: int) -> TableHeader | None:
    """A parcel-table header row (``序号 地块编号 土地坐落 面积(公顷) 用途``), if ``norm`` is one."""
    if not _AREA_HEADER.search(norm) or has_data_digit(norm):
        return None
    separators = ("tab",) if "\t" in norm else ("wide", ",", "space")
    for separator in separators:
        cells = _units_under_area(split_cells(norm, separator))
        if len(cells) < 3 or any(_not_header_cell(c) for c in cells):
            continue
        columns = [column_of(c) for c in cells]
        boundaries = any(c.startswith("boundary:") for c in columns)
        if "area" in columns and ("code" in columns or "location" in columns or boundaries):
            units = [
                _header_unit(c) if col == "area" else None for c, col in zip(cells, columns, strict=True)
            ]
            names = [_MONEY_HEADER.sub("", c).strip() for c in cells]
            for i, c in enumerate(cells):
                if columns[i] not in ("area", "code", "serial") and (money := _MONEY_HEADER.search(c)):
                    needed = _FUNDS_NEEDED.search(c) and not _NOT_FUNDS_NEEDED.search(c)
                    columns[i], units[i] = "money" if needed else "money_other", money.group(1)
            return TableHeader(columns, units, separator, line, names=names)
    return None


def _units_under_area(cells: list[str]) -> list[str]:
    """A two-row header written in one row — ``面积`` ``用途`` ``公顷`` ``亩`` (a merged cell's units after
    the other cells) or ``面积`` ``公顷`` ``亩`` — becomes ``面积(公顷)`` ``面积(亩)`` ``用途``."""
    units = [m.group(1) for c in cells if (m := _BARE_UNIT.match(c))]
    areas = [i for i, c in enumerate(cells) if column_of(c) == "area" and _header_unit(c) is None]
    if not units or len(areas) != 1:
        return cells
    rest = [c for c in cells if not _BARE_UNIT.match(c)]
    i = rest.index(cells[areas[0]])
    return rest[:i] + [f"{rest[i]}({unit})" for unit in units] + rest[i + 1 :]


def _not_header_cell(cell: str) -> bool:
    """Header cells are short names; digits (other than a unit's ``m2``) or long text are data."""
    return len(cell) > 16 or bool(re.search(r"\d", re.sub(r"[mM]2|m²", "", cell)))


_BOUNDARY_HEADER = re.compile(r"^([东西南北])\s*[至邻]$")


def column_of(cell: str) -> str:
    """What a parcel-table header cell names: serial, code, location, area, use, note or other;
    ``boundary:东至`` for one side of a parcel's 四至 (``东至`` ``西至`` ``南至`` ``北至`` columns)."""
    if m := _BOUNDARY_HEADER.match(cell.strip()):
        return f"boundary:{m.group(1)}至"
    for name, pattern in _HEADER_WORDS:
        if pattern.search(cell):
            return name
    return "other"


def _header_unit(cell: str) -> str | None:
    m = _HEADER_UNIT.search(cell)
    if not m:
        return None
    unit = m.group(1) or m.group(2)
    return {"平方米": "㎡", "m2": "㎡", "hm2": "公顷"}.get(unit, unit)
