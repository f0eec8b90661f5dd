"""Tables of figures (not parcels): rows named by their first cell, columns whose header names a unit.

``年度 | 储备规模（公顷） | 占比（%）`` then ``2026年 | 95.50 | 31.83``: each number under a column with a
unit is a figure of the row's name. A row named by a year, a land use, a zone or a source is an item of
that breakdown; a 合计 row is the total of the rows above it. The reading is a mixin of the plan-text
reader (``plan_text._Reader``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from landreserve.domain.plans import Dimension, Evidence, Measure, TieStrength, TotalKind
from landreserve.domain.readings import narrower
from landreserve.domain.units import UNITS, Quantity, unit_pattern

from . import labels, numbers, parcels
from .clauses import Stated
from .structure import BreakdownDraft, ItemDraft, TotalDraft, tie

_UNIT_IN_HEADER = re.compile(rf"\(\s*({unit_pattern()})\s*\)")
_BARE_UNIT = re.compile(rf"^\(?\s*(?:{unit_pattern()})\s*\)?$")
#: the header of a column of groups, each cell merged over the rows of its group
_GROUP_HEADER = re.compile(
    r"^(?:区域|地区|片区|分区|乡镇|镇街|街道|县区|县\(市、?区\)|行政区|类别|分类|大类|类型)$"
)
#: a row that lists a part of the row above it: ``其中：保障性住房用地``, ``其中：``, ``含：``
_SUB_ROW = re.compile(r"^(?:其中|含|包括)\s*[:：,，]?\s*")
SUM_ROW = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计)$")
#: a row naming the whole jurisdiction, as the last row of a table of its zones
_WHOLE_PLACE_ROW = re.compile(r"^(?:全\s*(?:市|县|区|省|州|旗|盟)|市\s*域|县\s*域)(?:合计|总计)?$")
YEAR_ROW = re.compile(r"^(20\d{2})\s*年?度?$")
#: a row summing a group of rows: ``小计``, ``城区小计``, ``市本级合计`` (not ``合计``/``总计`` of the whole table)
_SUBTOTAL_ROW = re.compile(r"^(?!(?:以上|上述|总|共)\s*合\s*计$)(.{0,16}?)\s*小\s*计$|^(.{1,16}?)\s*合\s*计$")
#: floor area of buildings (建筑面积), not land: never the same quantity as a land area
_FLOOR_AREA = re.compile(r"建筑")
_RATE_COLUMN = re.compile(r"率|增长|增幅|降幅|减少|增加|同比|环比|完成|执行|进度")
_SERIAL = re.compile(r"^(?:序号|编号|No\.?)$", re.IGNORECASE)
#: a column of parcel counts, named without a unit: ``宗数``, ``地块数``, ``宗地数量``
_COUNT_HEADER = re.compile(
    r"^(?:地块|宗地|供地|储备|出让)?(?:宗数|块数|宗地数|地块数|个数)(?:量)?$|^(?:宗地|地块)数量$"
)


@dataclass
class FigureTable:
    """Header of a table of figures: column names and units, how rows are split."""

    names: list[str]
    units: list[str | None]
    separator: str
    line: int
    hinted: frozenset[int] = frozenset()  # columns whose unit is the caption's ``单位：公顷``
    parent: ItemDraft | None = None  # the last top-level row: the parent of the 其中/indented rows below it
    sub_open: bool = False  # a 其中 row was read: rows after it may go on listing the parent's parts
    sub_rows: int = 0  # rows marked 其中 or indented under the current parent: two or more show the style
    top: object | None = None  # the split of the top-level rows (its 合计 row is theirs)
    #: top-level rows since the last subtotal row, with the split holding each (a closing 小计 sums them)
    group: list = field(default_factory=list)
    subtotals: object | None = None  # the split of the subtotal rows (the table's 合计 row sums them)
    heads: bool = False  # the first data row is a subtotal: each subtotal heads the rows after it
    rows: int = 0  # data rows read
    splits: dict = field(default_factory=dict)  # the splits top-level rows joined (id → split)
    base_indent: int | None = None  # the indentation of the first row: rows indented deeper are sub-rows
    #: per further column (``实际供应`` beside ``计划供应``, ``资金`` beside ``面积``): its cells in the top-level
    #: rows, as items — the 合计 row's cell in that column is their total
    columns: dict[int, list[ItemDraft]] = field(default_factory=dict)
    top_rows: int = 0  # top-level item rows since the table (or its last 合计 row) began
    nested: bool = False  # a sub-row or a subtotal row was read: which rows a 合计 sums is not sure

    @property
    def kinds(self) -> list[str]:
        """Cell kind each column takes: serial (序号), number (a unit column) or text."""
        return [
            "number" if u else ("serial" if _SERIAL.match(n) else "text")
            for n, u in zip(self.names, self.units, strict=True)
        ]

    @property
    def name_column(self) -> int:
        """The column naming each row: the first text column (not 序号)."""
        return next((i for i, kind in enumerate(self.kinds) if kind == "text"), 0)

    @property
    def member_column(self) -> int | None:
        """The column naming each row after a column of groups (``区域 | 用途 | 面积``: the 区域 cell merged
        over its rows, blank below its first row in a copied table): the second text column, when the
        first names groups and both stand before the numbers."""
        kinds = self.kinds
        texts = [i for i, kind in enumerate(kinds) if kind == "text"]
        first_number = next((i for i, kind in enumerate(kinds) if kind == "number"), len(kinds))
        if len(texts) >= 2 and texts[1] < first_number and _GROUP_HEADER.match(self.names[texts[0]]):
            return texts[1]
        return None


def figure_table_header(norm: str, line: int) -> FigureTable | None:
    """A header row whose columns after the first name units (``储备规模（公顷）``), if ``norm`` is one."""
    if not _UNIT_IN_HEADER.search(norm):
        return None
    for separator in ("tab",) if "\t" in norm else ("wide",):
        cells = parcels.split_cells(norm, separator)
        if len(cells) < 2 or any(len(c) > 20 or re.search(r"\d", _UNIT_IN_HEADER.sub("", c)) for c in cells):
            continue
        units = [_unit(c) or ("宗" if i and _COUNT_HEADER.match(c) else None) for i, c in enumerate(cells)]
        if (
            units[0] is None
            and any(units[1:])
            and not all(_SERIAL.match(c) or u for c, u in zip(cells, units, strict=True))
        ):
            names = [_UNIT_IN_HEADER.sub("", c).strip() for c in cells]
            return FigureTable(names, units, separator, line)
    return None


def header_with_unit_row(names_row: str, units_row: str) -> str | None:
    """A header given in two tab rows — names, then units under them (``面积`` merged over ``公顷``
    ``亩``) — as one row ``用途	面积(公顷)	面积(亩)``; ``None`` when ``units_row`` holds no units only."""
    if "\t" not in names_row or "\t" not in units_row:
        return None
    names, units = names_row.split("\t"), units_row.split("\t")
    cells = [c.strip() for c in units]
    if not any(cells) or any(c and not _BARE_UNIT.match(c) for c in cells):
        return None
    out, name = [], ""
    for i in range(max(len(names), len(units))):
        name = (names[i].strip() if i < len(names) else "") or name
        unit = cells[i] if i < len(cells) else ""
        out.append(f"{name}({unit.strip('()')})" if unit else (names[i].strip() if i < len(names) else ""))
    return "\t".join(out)


#: header cells that never take a caption's area unit (shares, counts, money, words)
_NOT_AN_AREA = re.compile(r"占比|比例|比重|宗|资金|金额|投资|万元|率|备注|说明|位置|坐落|编号|名称|方式|时间")


#: a header cell naming an area: ``储备面积``, ``供应规模``
_AREA_COLUMN = re.compile(r"面积|规模")


def hinted_header(cells: list[str], unit: str) -> tuple[str, frozenset[int]] | None:
    """A header row (as tab-joined cells) whose columns after the first that name no unit take ``unit``
    from the table's ``单位：公顷`` caption, and those columns; ``None`` when no column takes it or a
    cell is no header cell."""
    cells = [c.strip() for c in cells]
    if len(cells) < 2 or not all(cells) or any(re.search(r"\d", _UNIT_IN_HEADER.sub("", c)) for c in cells):
        return None
    if len(cells) == 2 and not _AREA_COLUMN.search(cells[1]):
        return None  # ``区域 | 储备面积`` takes the unit; two cells naming no area may be no header at all
    if any(_SERIAL.match(c) or "(" in c for c in cells[:1]):
        return None
    taking = frozenset(
        i
        for i, c in enumerate(cells)
        if i > 0 and "(" not in c and not _SERIAL.match(c) and not _NOT_AN_AREA.search(c)
    )
    if not taking:
        return None
    return "\t".join(f"{c}({unit})" if i in taking else c for i, c in enumerate(cells)), taking


#: header cells of money columns that take a caption's money unit (``单位：万元``)
_MONEY_COLUMN = re.compile(r"金额|资金|费用|投资|价款|成本|预算|需求|收入|支出")


def hinted_money_header(cells: list[str], unit: str) -> str | None:
    """A header row whose money columns (``金额``, ``资金需求``) take the caption's ``单位：万元``, as one row
    (``项目	金额(万元)	占比(%)``); ``None`` when no column takes it or a cell is no header cell."""
    cells = [c.strip() for c in cells]
    if len(cells) < 2 or not all(cells) or any(re.search(r"\d", _UNIT_IN_HEADER.sub("", c)) for c in cells):
        return None
    taking = [
        i
        for i, c in enumerate(cells)
        if i > 0 and "(" not in c and _MONEY_COLUMN.search(c) and not re.search(r"占比|比例|比重|率", c)
    ]
    if not taking:
        return None
    return "\t".join(f"{c}({unit})" if i in taking else c for i, c in enumerate(cells))


def _unit(cell: str) -> str | None:
    m = _UNIT_IN_HEADER.search(cell)
    return numbers.UNIT_SPELLINGS.get(m.group(1)) if m else None


def _sum_in_serial_cell(norm: str, cells: list, kinds: list[str]) -> tuple[int, int] | None:
    """``合计 |  | 236.0`` under ``序号 | 乡镇 | 面积``: the 合计 row written in the 序号 column, its name cell
    blank (merged over both in the original) — the cell naming the row, else ``None``."""
    for span, kind in zip(cells, kinds, strict=False):
        if kind == "serial" and span is not None and SUM_ROW.match(norm[span[0] : span[1]].strip()):
            return span
    return None


class FigureRows:
    """Figure-table reading for the plan-text reader."""

    def _figure_row(self, line: int, clean: str, norm: str) -> bool:
        """A row of the open figure table; ``False`` when the line is not one (the table ends)."""
        table = self.figure_table
        spans = parcels.cell_spans(norm, table.separator)
        if sum(1 for s, e in spans if e > s) < 2:
            return False
        cells = parcels.align_cells(norm, spans, table.kinds, table.separator)
        name_cell = cells[table.name_column]
        member = table.member_column if table.separator == "tab" else None
        if member is not None and (own := cells[member]) is not None and own[1] > own[0]:
            name_cell = (
                own  # 城区 | 住宅用地 | 12.0, then | 商服用地 | 6.5: the row is named by its member cell
            )
        if name_cell is None or name_cell[1] <= name_cell[0]:
            name_cell = _sum_in_serial_cell(norm, cells, table.kinds)
            if name_cell is None:
                return False
        name = clean[name_cell[0] : name_cell[1]].strip()
        amounts = self._row_amounts(line, clean, norm, cells)
        if amounts is None:
            return False
        marked = _SUB_ROW.match(name)
        width = _indent_width(norm, name_cell[0])
        if table.base_indent is None:  # a page that indents every line indents no row below another
            table.base_indent = width
        indented = width > table.base_indent
        if marked:
            name = name[marked.end() :].strip() or name
        table.rows += 1
        self._sub = (bool(marked), indented)
        self._row_structure(line, clean, norm, name, amounts)
        return True

    def _row_amounts(self, line, clean, norm, cells) -> list[tuple[int, numbers.Amount]] | None:
        """(column, amount) of every readable number of the row; ``None`` for a row with no numbers."""
        found, seen_number = [], False
        for column, span in enumerate(cells):
            unit = self.figure_table.units[column]
            if span is None or unit is None:
                continue
            s, e = span
            raw = norm[s:e]
            if unit is None or not re.search(r"\d|^\.", raw):
                continue
            seen_number = True
            if numbers.well_formed(raw):
                amount = numbers.Amount(numbers.plain_value(raw), unit, UNITS[unit][0], s, s, e)
                found.append((column, amount))
            else:
                self._report_problems(
                    line, clean, norm, [numbers.NumberProblem("malformed", raw, unit, s, e)]
                )
        return found if seen_number else None

    def _row_structure(self, line, clean, norm, name, amounts) -> None:
        table = self.figure_table
        names, hinted = table.names, table.hinted
        areas = [a for c, a in amounts if a.quantity is Quantity.AREA and not _FLOOR_AREA.search(names[c])]
        row_totals = [a for c, a in amounts if a.quantity is Quantity.AREA and SUM_ROW.match(names[c])]
        total_column = any(
            SUM_ROW.match(n) and u and UNITS[u][0] is Quantity.AREA
            for n, u in zip(names, table.units, strict=True)
        )
        # columns that took the caption's unit (``收回`` ``收购`` ``征收``) are parts of the row, never its area
        own = [a for c, a in amounts if a.quantity is Quantity.AREA and c not in hinted and a in areas]
        if row_totals:  # ``乡镇 | 工业用地 | 商服用地 | 合计``: the row's area is its 合计 column
            areas = row_totals + [a for a in own if a not in row_totals]
        elif total_column:  # its 合计 cell is blank or cut off: the row's area is not stated
            areas = []
        else:
            areas = own
        unstated = total_column or bool(hinted)
        main = [areas[0]] + [a for a in areas[1:] if a.unit != areas[0].unit] if areas else []
        measure = Stated(main, 0, main[-1].end) if main else None
        subtotal = _subtotal_name(name) if measure is not None else None
        self._row_money, self._row_top = None, False
        is_sum = False
        if subtotal is not None:
            table.nested = True
            used = self._group_sum_row(line, clean, norm, subtotal, measure, amounts, unstated)
        elif SUM_ROW.match(name) or self._whole_row(name):
            is_sum = True
            used = self._sum_row(line, clean, norm, name, measure, amounts)
        else:
            used = self._item_row(line, clean, norm, name, measure, amounts, unstated=unstated)
        further: dict[int, Measure] = {}
        if self._row_money is not None:
            further[self._row_money[0]] = self._row_money[1]
        for column, a in amounts:  # further figures of the row (another quantity in the same unit …)
            if id(a) not in used:
                column_name = self.figure_table.names[column]
                figures = self._figures(Stated([a], 0, a.end), line, clean, norm, f"{name}{column_name}")
                if a.quantity in (Quantity.AREA, Quantity.MONEY) and not _NOT_ADDED.search(column_name):
                    further[column] = Measure(tuple(figures))
        self._column_sums(line, name, further, is_sum)

    def _column_sums(self, line: int, name: str, further: dict[int, Measure], is_sum: bool) -> None:
        """Each further column of amounts (``实际供应``, ``资金``) is summed by the 合计 row too: at that row,
        its cells in the top-level rows above become the parts of its 合计 cell — only when every such row
        has a cell there and no sub-row or subtotal row leaves unsure which rows the 合计 sums."""
        table = self.figure_table
        if is_sum:
            for column, measure in further.items() if not table.nested else ():
                rows = table.columns.get(column, [])
                if len(rows) >= 2 and len(rows) == table.top_rows:
                    self._column_split(line, table.names[column], measure, rows)
            table.columns, table.top_rows = {}, 0
            return
        if not self._row_top:
            table.nested = True
            return
        table.top_rows += 1
        for column, measure in further.items():
            money = measure.primary.quantity is Quantity.MONEY
            item = ItemDraft(name, line, **({"money": measure} if money else {"area": measure}))
            table.columns.setdefault(column, []).append(item)

    def _column_split(self, line: int, column: str, measure: Measure, rows: list[ItemDraft]) -> None:
        top = self.figure_table.top
        total = TotalDraft(TotalKind.OTHER, f"{column}合计", measure, line)
        self.structure.derived.append(total)
        found = tie(TieStrength.EXPLICIT, "合计", line, f"表中“{column}”一列的合计")
        dimension = top.dimension if top is not None else Dimension.OTHER
        money = measure.primary.quantity is Quantity.MONEY
        split = BreakdownDraft(dimension, column, line, None, total, money=money, tie=found, from_table=True)
        split.items.extend(rows)
        split.evidence.append(Evidence("table_sum", line, "合计行是其上各行之和"))
        split.evidence.append(Evidence("table_rows", line, "表格各行（原文的层级可能在转录时丢失）"))
        self.structure.breakdowns.append(split)

    def _group_sum_row(self, line, clean, norm, name, measure, amounts, unstated) -> set[int]:
        """A row summing a group of rows (``城区小计``, ``小计``, ``市本级合计``): after rows, the sum of the
        top-level rows since the last subtotal (they become its parts); as the table's first data row, the
        head of the rows after it up to the next subtotal. The subtotals are the parts of the 合计 row."""
        table = self.figure_table
        first = table.rows == 1
        table.heads = table.heads or first
        group = [] if table.heads else table.group
        table.group = []
        self._sub = (False, False)
        table.sub_open, table.parent = False, None
        self._in_group_sum = True
        try:
            used = self._item_row(line, clean, norm, name, measure, amounts, unstated=unstated)
        finally:
            self._in_group_sum = False
        holder = self.structure.current
        if holder is None or not holder.items:
            return used
        item = holder.items.pop()
        if table.subtotals is None:
            table.subtotals = holder
        table.subtotals.items.append(item)
        for split, row in group:
            if row in split.items:
                split.items.remove(row)
        if group:
            parts = self.structure.split_item(item, holder.dimension, line)
            parts.tie = tie(TieStrength.EXPLICIT, "小计", line, "小计行是其上各行之和")
            parts.items.extend(row for _split, row in group)
            parts.evidence.append(Evidence("table_sum", line, "小计行是其上各行之和"))
        table.parent = item if table.heads else None
        table.top = self.structure.current = table.subtotals
        return used

    def _whole_row(self, name: str) -> bool:
        """A row naming the whole place (``全市``, ``全县``) after rows of zones: the sum of those rows, as a
        合计 row is (before any zone row it is only one more row)."""
        current = self.structure.current
        return bool(
            _WHOLE_PLACE_ROW.match(name)
            and current is not None
            and current is self.figure_table.top
            and current.items
            and current.dimension is Dimension.ZONE
        )

    def _sum_row(self, line, clean, norm, name, measure: Stated | None, amounts) -> set[int]:
        if measure is None:
            money = [a for _c, a in amounts if a.quantity is Quantity.MONEY][:1]
            measure = Stated(money, 0, money[0].end) if money else None
        if measure is None:
            return set()
        if self.figure_table.top is not None:  # the 合计 row sums the top-level rows, not the 其中 rows
            self.structure.current = self.figure_table.top
        current = self.structure.current
        apart = [b for b in self.figure_table.splits.values() if b is not current and b.items]
        if current is not None and apart and self.figure_table.subtotals is None:
            # rows of another kind (uses, then zones) were read as another split: the 合计 may sum them
            # too, so its own split is not known to hold every row it sums (excess is still an error)
            current.from_table, current.seen_all = False, False
        label = f"{current.title}合计" if current is not None and current.items else name
        figures = self._figures(measure, line, clean, norm, label)
        total = self.structure.sum_of_open_breakdown(Measure(tuple(figures)), line)
        if total is None:
            kind = TotalKind.FUNDS if measure.quantity is Quantity.MONEY else TotalKind.RESERVE
            total = self.structure.add_total(kind, label, Measure(tuple(figures)), line, None)
        used = {id(a) for a in measure.amounts}
        count = next((a for _c, a in amounts if a.quantity is Quantity.COUNT), None)
        if count is not None:
            total.count = self._figures(Stated([count], 0, count.end), line, clean, norm, f"{label}宗数")[0]
            used.add(id(count))
        return used

    def _item_row(
        self, line, clean, norm, name, measure: Stated | None, amounts, unstated: bool = False
    ) -> set[int]:
        """A row as an item of the open breakdown; ``unstated``: a row without its area (a blank 合计
        cell) is still a part, of unknown area, so the others cannot be the whole."""
        item = ItemDraft(_item_name(name, self.section, self.rolling), line)
        parent, cues = self._row_parent(item.name)
        used = set()
        if measure is not None:
            item.area = Measure(tuple(self._figures(measure, line, clean, norm, item.name)))
            used |= {id(a) for a in measure.amounts}
        for column, a in amounts:
            label = _PART_LABELS.get(a.quantity)
            if label is None or getattr(item, label[0]) is not None:
                continue
            if a.quantity is Quantity.SHARE and _RATE_COLUMN.search(self.figure_table.names[column]):
                continue  # 完成率, 增长率: a rate of the row, not its share of the total
            figures = self._figures(Stated([a], 0, a.end), line, clean, norm, f"{item.name}{label[1]}")
            setattr(item, label[0], Measure(tuple(figures)) if a.quantity is Quantity.MONEY else figures[0])
            used.add(id(a))
            if a.quantity is Quantity.MONEY and measure is not None:
                self._row_money = (column, item.money)  # a money column beside the row's area
        money_only = measure is None and item.money is not None
        dimension = _dimension(name, self.section, self.rolling, money_only)
        top = self.figure_table.top
        if parent is None and top is not None and Dimension.OTHER in (dimension, top.dimension):
            dimension = top.dimension  # a row no name places (``东园``) is one more row of the table's split
        title = self.section_title or self.figure_table.names[self.figure_table.name_column]
        money = measure is None and not (unstated and item.money is None)
        if parent is None and not self.figure_table.heads:  # rows of the table's top level
            cues = (*cues, Evidence("table_rows", line, "表格各行（原文的层级可能在转录时丢失）"))
        self.structure.add_item(
            dimension,
            item,
            line,
            self.section,
            title,
            True,
            money=money,
            parent=parent,
            from_table=True,
            cues=cues,
        )
        self._row_top = parent is None and not self.figure_table.heads
        if parent is None and not getattr(self, "_in_group_sum", False):
            self.figure_table.group.append((self.structure.current, item))
        if parent is None and self.structure.current is not None:
            self.figure_table.splits[id(self.structure.current)] = self.structure.current
        if parent is None:
            self.figure_table.top = self.structure.current
            self.figure_table.sub_rows = 0
            if item.area is not None or item.money is not None:
                self.figure_table.parent = item
        elif self.figure_table.sub_rows > 1 and self.structure.current is not None:
            # the sub-rows after the first are marked too (其中 again, or indented): an unmarked row after
            # them is back on the top level
            evidence = self.structure.current.evidence
            evidence[:] = [e for e in evidence if e.cue != "scope_may_continue"]
        return used

    def _row_parent(self, name: str) -> tuple[ItemDraft | None, tuple]:
        """The row this one is a part of: the last top-level row, for a row marked 其中 or indented below it;
        after a 其中 row, an unmarked row goes on listing parts while it names a narrower use; any other
        unmarked row is back on the top level — the readings also try it as one more part."""
        table = self.figure_table
        marked, indented = getattr(self, "_sub", (False, False))
        parent = table.parent
        if parent is None or getattr(self, "_in_group_sum", False):
            return None, ()
        if table.heads and not marked and not indented:
            cue = Evidence("table_sum", 0, "小计行是其下各行之和")
            return parent, (cue,)
        if marked or indented:
            table.sub_open = table.sub_open or bool(marked)
            table.sub_rows += 1
            cue = Evidence("scope_may_continue", 0, "“其中”行之下未标明的行也可能是其组成部分")
            return parent, (cue,) if marked else ()
        if table.sub_open and narrower(name, parent.name):
            return parent, ()
        table.sub_open = False
        return None, ()


#: columns whose cells a 合计 row does not add up: unit prices, averages, extremes, standards, intensities, rates
_NOT_ADDED = re.compile(r"单价|均价|平均|亩均|标准|每|率|比例|比重|占比|最大|最小|最高|最低|强度|密度")

_PART_LABELS = {
    Quantity.SHARE: ("share", "占比"),
    Quantity.COUNT: ("count", "宗数"),
    Quantity.MONEY: ("money", "资金"),
}


def _subtotal_name(name: str) -> str | None:
    """The group a subtotal row names (``城区小计`` → ``城区``; a bare ``小计`` → ``小计``), or ``None``."""
    if _WHOLE_PLACE_ROW.match(name) or re.match(r"^(?:合\s*计|总\s*计|共\s*计)$", name):
        return None
    m = _SUBTOTAL_ROW.match(name)
    if m is None:
        return None
    return (m.group(1) or m.group(2) or "").strip() or "小计"


def _indent_width(norm: str, start: int) -> int:
    """How far the cell at ``start`` is indented by blank space of its own (not the separator):
    ``  商品住房用地`` or ``　　商品住房用地`` under ``住宅用地``; a row is a sub-row when it is indented
    more than the table's first row."""
    before = norm[:start]
    cell_start = max(before.rfind("\t") + 1, 0)
    return start - cell_start if not before[cell_start:].strip() else 0


def _item_name(name: str, section: str | None, rolling: bool) -> str:
    year = YEAR_ROW.match(name)
    if year:
        return f"{year.group(1)}年"
    role = labels.area_role(name, section, rolling)
    return role.name if role.what == "item" else name


def _dimension(name: str, section: str | None, rolling: bool, money_only: bool) -> Dimension:
    if YEAR_ROW.match(name):
        return Dimension.YEAR
    if money_only:
        return Dimension.FUNDS_USE
    role = labels.area_role(name, section, rolling)
    return role.dimension if role.what == "item" else Dimension.OTHER
