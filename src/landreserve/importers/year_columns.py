"""Tables whose columns are years: ``项目 | 2025年 | 2026年 | 2027年 | 合计``, one row per quantity.

Rolling plans often lay out the years side by side; each row names what it measures and its unit
(``储备面积（公顷）``, ``资金需求（万元）``, or a ``单位`` column). Each cell becomes a figure of its year
(``2026年储备面积``). The first area row of the reserve or supply is split by year (its 合计 cell is the
total of the years); rows of stock/new land or of land uses are parts of each year's area; a money row
is the funds split by year. The reading is a mixin of the plan-text reader (``plan_text._Reader``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from landreserve.domain.plans import Dimension, Evidence, Measure, TieStrength, TotalKind
from landreserve.domain.units import UNITS, Quantity

from . import labels, numbers, parcels
from .clauses import Stated
from .figure_tables import SUM_ROW, YEAR_ROW
from .structure import BreakdownDraft, ItemDraft, TotalDraft, tie

_UNIT_CELL = re.compile(r"^单\s*位$")
#: what every ``wide`` cell separator holds (``parcels.cell_spans``)
_WIDE_GAP = re.compile(r"\s\s|\|")
_UNIT_IN_NAME = re.compile(r"\(\s*([^()]{1,5})\s*\)")
_EMPTY_CELL = re.compile(r"^(?:|-+|—+|/|无)$")
_PART_INTRO = re.compile(r"^(?:其中|含)\s*[:：]?\s*")


@dataclass
class YearColumns:
    """Header of a years-as-columns table: the year of each column (``None``: name, unit or sum)."""

    years: list[int | None]
    sum_column: int | None
    unit_column: int | None
    separator: str
    line: int
    #: per year, the item of the main area row (its parts are split by the rows after it)
    year_items: dict[int, ItemDraft] = field(default_factory=dict)
    parts: dict[tuple[int, Dimension], BreakdownDraft] = field(default_factory=dict)
    total: TotalDraft | None = None  # the 合计 of the main area row
    money_read: bool = False  # the first money row is the funds split by year; later ones are figures
    rows: list = field(default_factory=list)  # rows of uses (or zones) read so far: year → item
    sub_rows: bool = False  # a 其中 or indented row was among them
    unit: str | None = None  # the unit the year cells of the header name (``2025年（公顷）``), if one


def year_columns_header(norm: str, line: int) -> YearColumns | None:
    """A header row with at least two year columns after a name column, if ``norm`` is one."""
    separator = "tab" if "\t" in norm else "wide"
    # three cells need two separators, two year cells two ``20``s: most lines are no header at once
    if norm.count("20") < 2 or not (norm.count("\t") >= 2 if separator == "tab" else _WIDE_GAP.search(norm)):
        return None
    cells = parcels.split_cells(norm, separator)
    units = {numbers.UNIT_SPELLINGS.get(m.group(1)) for c in cells[1:] if (m := _UNIT_IN_NAME.search(c))}
    cells = [cells[0], *(_UNIT_IN_NAME.sub("", c).strip() for c in cells[1:])]  # ``2025年（公顷）``
    years = [_year(c) for c in cells]
    if len(cells) < 3 or years[0] is not None or sum(y is not None for y in years) < 2:
        return None
    if any(
        y is None and not (SUM_ROW.match(c) or _UNIT_CELL.match(c))
        for c, y in zip(cells[1:], years[1:], strict=True)
    ):
        return None
    sum_column = next((i for i, c in enumerate(cells) if SUM_ROW.match(c)), None)
    unit_column = next((i for i, c in enumerate(cells) if _UNIT_CELL.match(c)), None)
    unit = units.pop() if len(units) == 1 else None
    return YearColumns(years, sum_column, unit_column, separator, line, unit=unit)


def _year(cell: str) -> int | None:
    m = YEAR_ROW.match(cell.strip())
    return int(m.group(1)) if m else None


def row_unit(name: str, unit_cell: str | None) -> str | None:
    """The unit of a row: in its name (``储备面积（公顷）``) or in the 单位 column."""
    m = _UNIT_IN_NAME.search(name)
    spelled = m.group(1) if m else (unit_cell or "").strip()
    return numbers.UNIT_SPELLINGS.get(spelled)


#: a row naming a use of the funds (one of several rows of a funds table by year)
_FUNDS_USE_ROW = re.compile(r"补偿|费|开发|管护|利息|其他|工程")


class YearColumnRows:
    """Years-as-columns table reading for the plan-text reader."""

    def _year_columns_row(self, line: int, clean: str, norm: str) -> bool:
        """A row of the open years table; ``False`` when the line is not one (the table ends)."""
        table = self.year_table
        spans = parcels.cell_spans(norm, table.separator)
        if len(spans) < 2 or len(spans) > len(table.years) or spans[0][1] <= spans[0][0]:
            return False
        if table.separator == "wide" and len(spans) != len(table.years):
            return False  # a blank cell in a space-aligned row: the years cannot be told apart
        raw_name = norm[spans[0][0] : spans[0][1]]
        name = _PART_INTRO.sub("", raw_name).strip()
        # a 其中 row or an indented row is a part of the row above it, never one more row of the 合计
        self.year_sub = bool(_PART_INTRO.match(raw_name.strip())) or raw_name[:1] in (" ", "\u3000")
        unit_cell = _cell(norm, spans, table.unit_column)
        unit = row_unit(name, unit_cell) or table.unit
        if unit is None:
            return False
        name = _UNIT_IN_NAME.sub("", name).strip()
        cells = self._year_cells(line, clean, norm, spans, unit)
        if cells is None:
            return False
        if cells:  # a row whose every number is malformed is read (and reported), but gives nothing
            self._year_row_structure(line, clean, norm, name, cells)
        return True

    def _year_cells(self, line, clean, norm, spans, unit) -> dict[int | None, numbers.Amount] | None:
        """Amount of each year column (key: year; ``None``: the 合计 column); ``None``: no number at all."""
        table, found, seen = self.year_table, {}, False
        for column, (s, e) in enumerate(spans[1:], start=1):
            raw = norm[s:e]
            if column == table.unit_column or _EMPTY_CELL.match(raw):
                continue
            if not re.search(r"\d|^\.", raw):
                return None
            seen = True
            key = table.years[column] if column != table.sum_column else None
            if numbers.well_formed(raw):
                found[key] = numbers.Amount(numbers.plain_value(raw), unit, UNITS[unit][0], s, s, e)
            else:
                self._report_problems(
                    line, clean, norm, [numbers.NumberProblem("malformed", raw, unit, s, e)]
                )
        return found if seen else None

    def _year_row_structure(self, line, clean, norm, name, cells) -> None:
        def figures(year: int | None) -> Measure:
            a = cells[year]
            label = f"{year}年{name}" if year is not None else f"{name}合计"
            return Measure(tuple(self._figures(Stated([a], 0, a.end), line, clean, norm, label)))

        years = [y for y in cells if y is not None]
        quantity = next(iter(cells.values())).quantity
        if quantity is Quantity.AREA:
            self._year_area_row(line, name, cells, years, figures)
        elif quantity is Quantity.MONEY and SUM_ROW.match(name) and self._money_rows():
            self._sum_row_by_years(line, cells, years, figures, money=True)
        elif quantity is Quantity.MONEY and not self.year_table.money_read and self._funds_row(name):
            self.year_table.money_read = True
            self._year_split(line, years, figures, cells, money=True)
        elif quantity is Quantity.MONEY and not SUM_ROW.match(name):
            # 征收补偿 | 30000 | 20000 | 50000: a use of the funds by year, a part of each year's 合计 row
            self._row_by_years(line, name, cells, years, figures, money=True)
        elif quantity is Quantity.COUNT:
            self._year_count_row(cells, figures)
        else:
            for year in cells:
                figures(year)

    def _year_count_row(self, cells, figures) -> None:
        """``储备宗数``: each year's parcel count, and the count of the years' total."""
        table = self.year_table
        for year in cells:
            figure = figures(year).primary
            owner = table.year_items.get(year) if year is not None else table.total
            if owner is not None and owner.count is None:
                owner.count = figure

    def _year_area_row(self, line, name, cells, years, figures) -> None:
        table = self.year_table
        role = labels.area_role(name, self.section, False)
        whole = role.what == "total" and role.kind in (TotalKind.RESERVE, TotalKind.SUPPLY)
        if not table.year_items and whole and not table.rows:
            table.year_items = self._year_split(line, years, figures, cells, money=False)
            return
        if not table.year_items and (table.rows or role.what == "item") and not SUM_ROW.match(name):
            self._row_by_years(line, name, cells, years, figures)
            return
        if not table.year_items and table.rows and SUM_ROW.match(name):
            self._sum_row_by_years(line, cells, years, figures)
            return
        if None in cells and role.what == "total" and role.kind in (TotalKind.STOCK, TotalKind.NEW):
            self.structure.add_total(role.kind, labels.TOTAL_LABELS[role.kind], figures(None), line, None)
        elif None in cells:
            figures(None)
        dimension = Dimension.STOCK if role.kind in (TotalKind.STOCK, TotalKind.NEW) else role.dimension
        for year in years:
            parent = table.year_items.get(year)
            measure = figures(year)
            if parent is not None and dimension is not None and role.what in ("item", "total"):
                self._year_part(parent, dimension, ItemDraft(name, line, area=measure), line)

    def _money_rows(self) -> bool:
        """Whether rows of funds uses by year were read (a money 合计 row then sums them)."""
        return any(item.money is not None for row in self.year_table.rows for item in row.values())

    def _funds_row(self, name: str) -> bool:
        """Whether a money row is the plan's funds (``资金需求``, a table's one money row), split by its years;
        else it is one use of the funds (``征收补偿``) in a table of such rows."""
        role = labels.money_role(name, self.section, self.structure.has_total(TotalKind.FUNDS))
        return role.what == "total" or not _FUNDS_USE_ROW.search(name)

    def _row_by_years(self, line, name, cells, years, figures, money: bool = False) -> None:
        """``住宅用地 | 40.0 | 35.0 | 75.0`` in a table whose rows are uses (or zones): each year's cell is a
        part of that year's 合计 row; the row's 合计 cell is the sum of its years (``money``: amounts)."""
        table = self.year_table
        kind = "money" if money else "area"
        items = {year: ItemDraft(name, line, **{kind: figures(year)}) for year in years}
        if getattr(self, "year_sub", False):
            table.sub_rows = True
        else:
            table.rows.append(items)
        if None in cells and len(years) >= 2:
            total = TotalDraft(TotalKind.OTHER, f"{name}合计", figures(None), line)
            self.structure.derived.append(total)
            found = tie(TieStrength.EXPLICIT, "table", line, f"表中“{name}”一行的合计")
            split = BreakdownDraft(
                Dimension.YEAR, name, line, None, total, money=money, tie=found, from_table=True
            )
            split.items.extend(
                ItemDraft(f"{year}年", line, **{kind: getattr(items[year], kind)}) for year in years
            )
            split.evidence.append(Evidence("table_sum", line, "合计列是各年度之和"))
            self.structure.breakdowns.append(split)

    def _sum_row_by_years(self, line, cells, years, figures, money: bool = False) -> None:
        """The 合计 row under rows of uses: each year's cell is the total of that year's cells above (of
        the same quantity: a money 合计 row sums the money rows)."""
        table = self.year_table
        for year in years if not table.sub_rows else ():  # (sub-rows: which rows it sums is unsure)
            parts = [
                row[year] for row in table.rows if year in row and (row[year].money is not None) is money
            ]
            total = TotalDraft(TotalKind.OTHER, f"{year}年合计", figures(year), line, year)
            self.structure.derived.append(total)
            found = tie(TieStrength.EXPLICIT, "合计", line, f"表中{year}年一列的合计")
            dimension = Dimension.FUNDS_USE if money else Dimension.USE
            split = BreakdownDraft(
                dimension, f"{year}年", line, None, total, money=money, tie=found, from_table=True
            )
            split.items.extend(parts)
            split.evidence.append(Evidence("table_sum", line, "合计行是其上各行之和"))
            self.structure.breakdowns.append(split)
        if None in cells:
            figures(None)
        table.rows = []

    def _year_split(self, line, years, figures, cells, money: bool) -> dict[int, ItemDraft]:
        items = {}
        for year in years:
            measure = figures(year)
            item = ItemDraft(f"{year}年", line, **({"money": measure} if money else {"area": measure}))
            items[year] = self.structure.add_item(
                Dimension.YEAR, item, line, self.section, self.section_title or "分年度安排", True, money
            )
        if None in cells:
            total = self.structure.sum_of_open_breakdown(figures(None), line)
            self.year_table.total = self.year_table.total or total
        self.structure.close_breakdown()
        return items

    def _year_part(self, parent: ItemDraft, dimension: Dimension, item: ItemDraft, line: int) -> None:
        key = (id(parent), dimension)
        split = self.year_table.parts.get(key)
        if split is None:
            split = self.year_table.parts[key] = self.structure.split_item(parent, dimension, line)
        split.items.append(item)
        split.exhaustive = len(split.items) >= 2


def _cell(norm: str, spans: list[tuple[int, int]], column: int | None) -> str | None:
    if column is None or column >= len(spans):
        return None
    return norm[spans[column][0] : spans[column][1]]
