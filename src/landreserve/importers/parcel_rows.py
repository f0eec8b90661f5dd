"""Reading parcel rows into ``PlanParcel``: key-value lines, table rows under a header, prose.

A mixin of the plan-text reader (``plan_text._Reader``): it uses the reader's document, current
table, section and figure bookkeeping.
"""

from __future__ import annotations

import re

from landreserve.domain.plans import Dimension, Measure, PlanParcel, TotalKind
from landreserve.domain.units import Quantity, unit_pattern

from . import fast_rows, labels, numbers, parcels
from .clauses import Stated, clean_slice, field_text, group_stated, span_text
from .figure_tables import figure_table_header
from .normalise import ascii_alnum, normalise_code
from .problems import table_unit_missing_finding
from .structure import ItemDraft, land_use_of
from .unit_prices import line_unit_prices

#: the split of the funds total into the parcels' funds needed (a parcel table's money column)
PARCEL_FUNDS = "地块资金"
_PROSE_PARCEL = re.compile(r"(?:地块|宗地)$")
#: an aggregate, not a parcel: ``储备地块``, ``2026年全县计划储备地块``, ``本年度拟收储地块``, ``同意增补储备地块``
#: (an amendment), ``可供应地块`` / ``需前期开发地块`` (the held land by how ready it is)
_NOT_A_PARCEL_NAME = re.compile(
    r"^(?:\d{4}年度?)?(?:全[县市区旗镇乡州]|本年度?|今年|年度|本次|此次|本批|该批|首批|第[一二三四五六七八九十\d]+批)?"
    r"(?:拟?同意)?(?:增补|追加|补充|调入|调出|调增|调减|核减|撤销|剔除)?(?:拟|计划)?(?:新增|存量|结转|续储|上年度?)?"
    r"(?:已完成前期开发|已完成|已)?(?:可|需|需要|尚需|待)?(?:前期开发)?"
    r"(?:储备|计划|收储|供应|全部|各|以上|上述|地块|开发|出让)"
)
#: between a count and the area after it: ``城区地块5宗、32.4公顷``, ``5宗，面积32.4公顷``
_COUNT_THEN_AREA = re.compile(
    r"^\s*(?:地块|宗地|地)?\s*[、,]?\s*(?:总?面积|用地面积|土地面积)?\s*(?:为|约|共)?\s*$"
)


def _counted_group(norm: str, stated: list[Stated], m: Stated) -> bool:
    """Whether the area ``m`` is that of several parcels counted right before it (``城区地块5宗、32.4公顷``):
    a group of parcels named by where they are, not one parcel."""
    for x in stated:
        if x.quantity is Quantity.COUNT and x.sentence == m.sentence and x.end <= m.start:
            if _COUNT_THEN_AREA.match(norm[x.end : m.start]) and x.amounts[0].value not in ("1", "一"):
                return True
    return False


_TOTAL_ROW = re.compile(r"合\s*计|总\s*计")
#: a sub-row of the parcel above it: ``其中：A-01-1 …`` (in the serial or the code cell)
_SUB_ROW = re.compile(r"^\s*其\s*中\s*[:：]?\s*")
_SUBTOTAL_ROW = re.compile(r"小\s*计")
#: a cell's bare number before a parenthesised conversion (``46.8613(约702.92亩)``)
_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*\(")
_UNIT_CELL = re.compile(rf"^\(?\s*({unit_pattern(Quantity.AREA)})\s*\)?$")
#: a cell of ASCII digits, points and commas: what ``numbers.scan`` finds no quantity in
_BARE_NUMBER = re.compile(r"[0-9.,]+")
_DIGIT = re.compile(r"\d")


class ParcelRows:
    """Parcel reading for the plan-text reader."""

    def _parcel_line(self, line, clean, norm, scan, codes, serial) -> bool:
        """``1.地块编号：BC－CB2026001，土地坐落：…，面积：4.0254公顷；`` → one parcel.

        A line naming several codes (``parcels.find_codes``), each followed by its own area, gives one
        parcel per code.
        """
        stated = group_stated(norm, scan.quantities)
        if not codes or not _areas(stated):
            return False
        ends = [c[0] for c in codes[1:]] + [len(norm)]
        regions = [(c[0], end) for c, end in zip(codes, ends, strict=True)]
        pieces = [[m for m in stated if c[1] <= m.start < end] for c, end in zip(codes, ends, strict=True)]
        if len(codes) == 1 or not all(_areas(p) for p in pieces):
            codes, regions, pieces = codes[:1], [(0, len(norm))], [stated]
        used = []
        for number, (code, region, piece) in enumerate(zip(codes, regions, pieces, strict=True)):
            area = (_areas([m for m in piece if m.start >= code[1]]) or _areas(piece))[0]
            self._parcel_at(line, clean, norm, code, region, area, serial if number == 0 else None)
            used.append(area)
        for m in stated:  # other quantities of the line are figures too
            if m not in used:
                self._figures(m, line, clean, norm, labels.local_label(norm, 0, m.start) or "地块")
        self.doc.unit_prices.extend(line_unit_prices(norm, stated))
        return True

    def _parcel_at(self, line, clean, norm, code_span, region, area: Stated | None, serial) -> None:
        written = clean[code_span[0] : code_span[1]]
        s, e = region
        location = field_text(clean[s:e], norm[s:e], "location")
        use = field_text(clean[s:e], norm[s:e], "use")
        self._add_parcel(line, clean, norm, normalise_code(written), written, area, location, use, serial)

    def _add_parcel(
        self, line, clean, norm, code, written, area: Stated | None, location, use, serial
    ) -> None:
        figures = self._figures(area, line, clean, norm, code or location or "地块") if area else None
        self.doc.parcels.append(
            PlanParcel(
                code=code or (location or ""),
                code_as_written=written,
                line=line,
                text=clean.strip(),
                location=ascii_alnum(location) if location else None,
                area=Measure(tuple(figures)) if figures else None,
                use=ascii_alnum(use) if use else None,
                land_use=land_use_of(use) if use else None,
                carried_over=parcels.is_carried_over(code, norm, self.doc.year),
                serial=serial,
            )
        )
        self.structure.note_parcel(self.section)

    # -- parcels written one field per line ---------------------------------------------------
    def _record_start(self, line, clean, norm, code_span, serial) -> None:
        written = clean[code_span[0] : code_span[1]].strip()
        self.record = parcels.ParcelRecord(
            line, normalise_code(written), written, serial, text=[clean.strip()]
        )
        self._record_field(clean, norm)

    def _record_field(self, clean: str, norm: str) -> None:
        """A ``土地坐落：…`` or ``用途：…`` line of the open record (the record ends after six lines)."""
        record = self.record
        if record is None:
            return
        if len(record.text) >= 6:
            self.record = None
            return
        if clean.strip() not in record.text:
            record.text.append(clean.strip())
        _fill(record, clean, norm)

    def _record_area(self, line, clean, norm, scan) -> bool:
        """``面积：1.23公顷`` completing the open record → the parcel (at the line of its code)."""
        record, self.record = self.record, None
        stated = group_stated(norm, scan.quantities)
        areas = _areas(stated)
        if record is None or not areas or not labels.is_generic(labels.local_label(norm, 0, areas[0].start)):
            return False
        _fill(record, clean, norm)
        figures = self._figures(areas[0], line, clean, norm, record.code)
        self.doc.parcels.append(
            PlanParcel(
                code=record.code,
                code_as_written=record.written,
                line=record.line,
                text="；".join(record.text + [clean.strip()]),
                location=ascii_alnum(record.location) if record.location else None,
                area=Measure(tuple(figures)),
                use=ascii_alnum(record.use) if record.use else None,
                land_use=land_use_of(record.use) if record.use else None,
                carried_over=parcels.is_carried_over(
                    record.code, " ".join(record.text + [norm]), self.doc.year
                ),
                serial=record.serial,
            )
        )
        self.structure.note_parcel(self.section)
        for m in stated[1:]:
            self._figures(m, line, clean, norm, labels.local_label(norm, 0, m.start) or record.code)
        return True

    def _prose_parcels(self, line, clean, norm, stated: list[Stated], serial) -> list[Stated]:
        """``人民路以东地块，面积约3.2公顷`` → a parcel named by its place (no code written)."""
        found = []
        for m in stated:
            if m.quantity is not Quantity.AREA or not _PROSE_PARCEL.search(m.label) or len(m.label) <= 3:
                continue
            if not _NOT_A_PARCEL_NAME.match(m.label) and not _counted_group(norm, stated, m):
                location = clean_slice(clean, norm, m.label)
                use = field_text(clean, norm, "use")
                self._add_parcel(line, clean, norm, "", "", m, location, use, serial)
                found.append(m)
        return found

    # -- tables -----------------------------------------------------------------------------
    def _table_row(self, line: int, clean: str, norm: str) -> bool:
        """A row of the open parcel table; ``False`` when the line is not one (the table ends)."""
        if fast_rows.ENABLED and fast_rows.table_row(self, line, clean, norm):  # type: ignore[arg-type]
            return True
        header = self.table
        raw = parcels.cell_spans(norm, header.separator)
        if header.rows == 0 and self._unit_row(norm, raw):
            return True
        spans = fit_cells(raw, header.columns)
        if sum(1 for s, e in spans if e > s) < 2:
            return False
        kinds, area_columns = header.layout()
        cells = parcels.align_cells(norm, spans, kinds, header.separator)
        row: dict[str, tuple[int, int]] = {}
        for name, span in zip(header.columns, cells, strict=True):
            if span is not None:
                row.setdefault(name, span)  # the first of two code/area columns counts
        if _SUBTOTAL_ROW.search(norm) and any(_SUBTOTAL_ROW.search(norm[s:e]) for s, e in spans):
            self._subtotal_row(line, clean, norm, cells)
            return True
        if _TOTAL_ROW.search(norm) and any(_TOTAL_ROW.search(norm[s:e]) for s, e in spans):
            area = self._row_area(line, clean, norm, cells)
            if area is not None:
                figures = self._figures(area, line, clean, norm, "地块清单合计")
                self.structure.table_total(Measure(tuple(figures)))
            for column, money in self._row_money(line, clean, norm, cells):
                figures = self._figures(money, line, clean, norm, f"地块清单{self.table.names[column]}合计")
                if self.table.columns[column] == "money":  # the sum of the parcels' funds needed
                    self.structure.sum_of(PARCEL_FUNDS, Measure(tuple(figures)), line)
            return True
        if _group_row(norm, spans):  # ``一  城区``: the parcels after it form a group
            header.group, header.group_start = _group_name(clean, spans), len(self.doc.parcels)
            return True
        if area_columns and all(cells[i] is None for i in area_columns):
            return False  # a row cut before its area (or no row at all): the table has ended
        return self._table_parcel(line, clean, norm, row, cells)

    def _unit_row(self, norm: str, spans: list[tuple[int, int]]) -> bool:
        """The second row of a two-row header (``面积`` over ``公顷 | 亩``): the units of the area columns."""
        header = self.table
        cells = [norm[s:e] for s, e in spans]
        units = [_UNIT_CELL.match(c) for c in cells]
        if not any(units) or any(c and u is None for c, u in zip(cells, units, strict=True)):
            return False
        if header.separator != "tab":
            return False
        extra = len(cells) - len(header.columns)  # ``面积`` merged over two columns: its blank cell was cut
        header.columns.extend(["other"] * extra)
        header.units.extend([None] * extra)
        for i, unit in enumerate(units):
            if unit is not None and header.columns[i] in ("area", "other"):
                header.columns[i] = "area"
                header.units[i] = numbers.UNIT_SPELLINGS.get(unit.group(1), unit.group(1))
        if header.area_unit is not None:  # the unit is stated after all
            self.doc.problems[:] = [
                p
                for p in self.doc.problems
                if not (p.code == "table.unit_missing" and p.lines == (header.line,))
            ]
        return True

    def _subtotal_row(self, line, clean, norm, cells) -> None:
        """``小计 16.00``: the total of the parcels since the last group row or subtotal."""
        header, area = self.table, self._row_area(line, clean, norm, cells)
        group = self.doc.parcels[header.group_start :]
        title = header.group or "地块分组"
        header.group, header.group_start = "", len(self.doc.parcels)
        if area is None:
            return
        measure = Measure(tuple(self._figures(area, line, clean, norm, f"{title}小计")))
        if group:
            self.structure.subtotal(title, group, measure, line)

    def _table_parcel(self, line, clean, norm, row, cells) -> bool:
        area = self._row_area(line, clean, norm, cells)
        code = norm[slice(*row["code"])] if "code" in row else ""
        if area is None and not parcels.looks_like_code(code.replace("-", "")):
            return False  # neither an area nor a code: the table has ended
        written = span_text(clean, row.get("code"))
        serial = norm[slice(*row["serial"])] if "serial" in row else ""
        marked = bool(_SUB_ROW.match(serial) or _SUB_ROW.match(written))
        written = _SUB_ROW.sub("", written)
        location = span_text(clean, row.get("location")) or _boundaries(clean, row) or None
        use = span_text(clean, row.get("use")) or None
        number = int(serial) if serial.isascii() and serial.isdigit() else None
        code = normalise_code(written)
        parent = self._parcel_of_row(code, serial, marked)
        if parent is not None:
            self._sub_row(line, clean, norm, parent, code or location or "地块", area, marked)
            return True
        self._add_parcel(line, clean, norm, code, written, area, location, use, number)
        self.table.rows += 1
        self.table.parent, self.table.parts = self.doc.parcels[-1], None
        name = self.doc.parcels[-1].code or "地块"
        needed = False
        for column, money in self._row_money(line, clean, norm, cells):
            figures = self._figures(money, line, clean, norm, f"{name}{self.table.names[column]}")
            if self.table.columns[column] == "money" and not needed:
                needed = True  # the first funds-needed column: the parcel's part of the funds total
                item = ItemDraft(name, line, money=Measure(tuple(figures)))
                self.structure.named = TotalKind.FUNDS  # the column 资金需求 names the funds the plan needs
                self.structure.add_item(
                    Dimension.FUNDS_USE,
                    item,
                    line,
                    self.section,
                    PARCEL_FUNDS,
                    True,
                    money=True,
                    from_table=True,
                )
                self.structure.named = None
        return True

    def _parcel_of_row(self, code: str, serial: str, marked: bool):
        """The parcel a row is part of: ``其中：A-01-1`` under A-01, or a row without a serial number whose
        code extends the code above it (an indented ``A-01-1`` under ``1  A-01``) — not a parcel of its own,
        counted with its parent it would be counted twice."""
        parent = self.table.parent
        if parent is None or parent.area is None:
            return None
        if marked:
            return parent
        if serial.strip() or "serial" not in self.table.columns or parent.serial is None:
            return None
        extends = (
            parent.code
            and code.startswith(parent.code)
            and code[len(parent.code) : len(parent.code) + 1] in "-_."
        )
        return parent if extends and len(code) > len(parent.code) else None

    def _sub_row(self, line, clean, norm, parent, name: str, area: Stated | None, marked: bool) -> None:
        """A sub-row: a part of its parcel's area (the parts may not exceed it; they need not fill it)."""
        figures = self._figures(area, line, clean, norm, f"{parent.code}其中{name}") if area else None
        if not figures:
            return
        if self.table.parts is None:
            self.table.parts = self.structure.parcel_parts(parent, line, "其中" if marked else "缩进子行")
        self.table.parts.items.append(ItemDraft(name, line, area=Measure(tuple(figures))))

    def _row_money(self, line, clean, norm, cells) -> list[tuple[int, Stated]]:
        """(column, money) of a row in the table's money columns (``资金需求（万元）``, ``预计收入（万元）``)."""
        found = []
        for i, name in enumerate(self.table.columns):
            span = cells[i] if i < len(cells) else None
            if name not in ("money", "money_other") or span is None or span[1] <= span[0]:
                continue
            raw = norm[span[0] : span[1]].strip()
            if not re.search(r"\d", raw):
                continue
            if not numbers.well_formed(raw):
                problem = numbers.NumberProblem("malformed", raw, self.table.units[i], span[0], span[1])
                self._report_problems(line, clean, norm, [problem])
                continue
            s, e = span
            amount = numbers.Amount(numbers.plain_value(raw), self.table.units[i], Quantity.MONEY, s, s, e)
            found.append((i, Stated([amount], 0, e)))
        return found

    def _row_area(self, line, clean, norm, cells) -> Stated | None:
        """The area of a row: one amount per area column (``面积（公顷）`` and ``面积（亩）``)."""
        found: list[numbers.Amount] = []
        for i in self.table.layout()[1]:
            if cells[i] is not None:
                cell = self._cell_area(line, clean, norm, cells[i], self.table.units[i])
                if cell is not None and all(a.unit != cell.amounts[0].unit for a in found):
                    found.extend(cell.amounts)
        return Stated(found, 0, found[-1].end) if found else None

    def _table_unit(self, header: parcels.TableHeader) -> None:
        """The area unit of a table: from its header, else from a ``单位：公顷`` line just before it."""
        if header.area_unit is None and self.unit_hint and header.line - self.unit_hint[0] <= 3:
            unit = numbers.UNIT_SPELLINGS.get(self.unit_hint[1], self.unit_hint[1])
            header.units = [unit if i in header.area_columns else u for i, u in enumerate(header.units)]
        if header.area_unit is None:
            self.doc.problems.append(table_unit_missing_finding(header.line))

    def _cell_area(self, line, clean, norm, span: tuple[int, int] | None, unit: str | None) -> Stated | None:
        """The area in a table cell: with its own unit, or a bare number in the header's unit."""
        if span is None or span[1] <= span[0]:
            return None
        s, e = span
        raw = norm[s:e]
        if not _BARE_NUMBER.fullmatch(raw):  # a bare number holds no unit, no field and no numeral
            scan = numbers.scan(norm[:e], s)
            self._report_problems(line, clean, norm, scan.problems)
            areas = [q for q in scan.quantities if q.quantity is Quantity.AREA]
            lead = _LEADING_NUMBER.match(raw)
            if areas and lead and unit is not None and areas[0].start > s + lead.end(1):
                # ``46.8613(约702.92亩)`` under ``面积（公顷）``: the bare number in the header's unit first
                value = lead.group(1)
                bare = numbers.Amount(numbers.plain_value(value), unit, Quantity.AREA, s, s, s + lead.end(1))
                return Stated([bare] + [a for a in areas[:1] if a.unit != unit], 0, areas[0].end)
            if areas:
                return Stated(areas[:1], 0, areas[0].end)
            if scan.problems:
                return None
        if unit is None:
            return None
        if not numbers.well_formed(raw):
            if re.search(r"\d|^\.$", raw):
                self._report_problems(
                    line, clean, norm, [numbers.NumberProblem("malformed", raw, unit, s, e)]
                )
            return None
        return Stated([numbers.Amount(numbers.plain_value(raw), unit, Quantity.AREA, s, s, e)], 0, e)


def _boundaries(clean: str, row: dict[str, tuple[int, int]]) -> str:
    """``东至建设路、西至规划路、南至…、北至…`` from a table's 四至 columns (empty: none)."""
    sides = [
        f"{name.removeprefix('boundary:')}{text}"
        for name, span in row.items()
        if name.startswith("boundary:") and (text := span_text(clean, span))
    ]
    return "、".join(sides)


def _fill(record: parcels.ParcelRecord, clean: str, norm: str) -> None:
    record.location = record.location or field_text(clean, norm, "location")
    record.use = record.use or field_text(clean, norm, "use")


def _areas(stated: list[Stated]) -> list[Stated]:
    return [m for m in stated if m.quantity is Quantity.AREA]


def fit_cells(spans: list[tuple[int, int]], columns: list[str]) -> list[tuple[int, int]]:
    """Join surplus cells (a location written with spaces) into the location column."""
    if len(spans) <= len(columns) or "location" not in columns:
        return spans
    k = columns.index("location")
    surplus = len(spans) - len(columns)
    joined = (spans[k][0], spans[k + surplus][1])
    return spans[:k] + [joined] + spans[k + surplus + 1 :]


def _group_row(norm: str, spans: list[tuple[int, int]]) -> bool:
    """A row naming a group of parcels (``一  城区``, ``（二）工业园区``): short text, no digits."""
    if _DIGIT.search(norm):  # a digit of the row stands in one of its cells
        return False
    cells = [norm[s:e] for s, e in spans if e > s]
    if not 0 < len(cells) <= 3 or any(len(c) > 16 for c in cells):
        return False
    return parcels.table_header(norm, 0) is None and figure_table_header(norm, 0) is None


def _group_name(clean: str, spans: list[tuple[int, int]]) -> str:
    cells = [clean[s:e].strip() for s, e in spans if e > s]
    return cells[-1] if cells else ""
