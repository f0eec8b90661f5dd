"""Plan text lines → ``PlanDocument``: figures with provenance, sections, totals, breakdowns, parcels.

The reader walks the lines once. Each line is cleaned of conversion noise and normalised (ASCII
digits and punctuation, same length); headings open template sections; parcel rows (key-value lines,
table rows, prose) become parcels (``parcel_rows``), rows of tables of figures items
(``figure_tables``); every other stated quantity becomes a figure,
named by the words before it, and — when the name says so — a total (``计划储备土地47.58公顷``) or an
item of a breakdown (``住宅用地31.61公顷，占…66.43%``) (``statements``). Line numbers are 1-based
lines of the source; blank and noise lines keep their numbers.
"""

from __future__ import annotations

import bisect
import re
from operator import itemgetter

from landreserve.domain import plausibility
from landreserve.domain.plans import Figure, PlanDocument, PlanKind, Section
from landreserve.domain.units import UNITS, Quantity, to_base, unit_pattern

from . import fast_rows, headings, numbers, parcels
from .adjustments import FORMER
from .cell_lines import joined_and_ascii
from .clauses import Stated, sentence_index, sentence_spans, sentence_text
from .figure_tables import (
    FigureRows,
    FigureTable,
    figure_table_header,
    header_with_unit_row,
    hinted_header,
    hinted_money_header,
)
from .long_lines import pieces
from .metadata import read_metadata
from .normalise import clean_line, content_sha256
from .parcel_rows import ParcelRows
from .problems import (
    looks_truncated,
    number_finding,
    split_number_finding,
    truncated_finding,
    unreadable_line_finding,
)
from .statements import Statements
from .structure import ItemDraft, StructureBuilder, is_page_furniture
from .year_columns import YearColumnRows, YearColumns, year_columns_header

_UNIT_HINT = re.compile(rf"单位\s*[:]?\s*({unit_pattern(Quantity.AREA)}|{unit_pattern(Quantity.MONEY)})")
#: a column naming the row's own area (not one of its parts) even when its unit is the caption's
_ROW_AREA = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计)$|面积|规模")
#: ``续表``, ``表1（续）``: the open table goes on after a page break
_CONTINUED = re.compile(r"^(?:续表\d*|接上表|表\d+\(续\)|\(续\)|\(续上表\))$")
_SPACES = re.compile(r"\s+")
_YEAR_TITLE = re.compile(r"^\s*20\d{2}\s*年度?\s*$")
#: page metadata lines (not plan content; they do not end a sentence)
_METADATA_LINE = re.compile(
    r"^(?:来源|信息来源|发布时间|发布日期|发布机构|浏览次数|点击|访问量|责任编辑|编辑|审核|校对|作者)\s*[:：]"
)


def parse_plan_text(text: str, source: str) -> PlanDocument:
    """Read a plan from its text.

    Parameters
    ----------
    text:
        The whole text, lines separated by newlines.
    source:
        The file name (or other origin) recorded on the document.

    Returns
    -------
    PlanDocument
        Never raises on odd input; what cannot be read is left out, malformed numbers are in
        ``problems``.

    Examples
    --------
    >>> doc = parse_plan_text("某县2026年土地储备计划\\n本年度计划储备土地12.50公顷。", "x.txt")
    >>> [(f.label, f.value, f.unit, f.line) for f in doc.figures]
    [('年度储备规模', '12.50', '公顷', 2)]
    """
    return parse_plan_lines(text.splitlines(), source)


def parse_plan_lines(lines: list[str], source: str) -> PlanDocument:
    """Read a plan from its lines (see ``parse_plan_text``)."""
    clean, norm = joined_and_ascii([clean_line(line) for line in lines])
    split = [pieces(c, n) for c, n in zip(clean, norm, strict=True)]
    meta = read_metadata([c for line in split for c, _n in line])
    doc = PlanDocument(
        source=source,
        title=meta.title,
        jurisdiction=meta.jurisdiction,
        year=meta.year,
        kind=meta.kind,
        doc_number=meta.doc_number,
        period=meta.period,
        line_count=len(lines),
        content_sha256=content_sha256(norm),
    )
    reader = _Reader(doc)
    for number, line in enumerate(split, start=1):
        for reader.piece, (c, n) in enumerate(line):
            try:
                reader.read_line(number, c, n)
            except Exception as exc:  # noqa: BLE001 - one odd line must not lose the whole document
                doc.problems.append(unreadable_line_finding(number, c, exc))
    reader.finish()
    doc.problems.extend(plausibility.plan_findings(doc, lines))
    return doc


class _Reader(ParcelRows, FigureRows, YearColumnRows, Statements):
    """State of one pass over the lines."""

    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.levels = headings.LevelTracker()
        self.stack: list[tuple[int, str | None, str, int]] = []  # open headings: (level, key, title, line)
        self.table: parcels.TableHeader | None = None
        self.figure_table: FigureTable | None = None
        self.year_table: YearColumns | None = None
        self.header_text = ""  # the last header row read (no spaces), to see it repeated
        self.structure = StructureBuilder(doc)
        self.rolling = doc.kind is PlanKind.ROLLING_THREE_YEAR
        self.last_content: tuple[int, str, bool] | None = None  # (line, text, is structural)
        self.positions: list[tuple[int, int, int]] = []  # (line, piece, column) of each figure: text order
        self.piece = 0  # which piece of a line holding a whole plan (``long_lines``)
        self.unit_hint: tuple[int, str] | None = None  # the last ``单位：公顷`` line
        self.previous: tuple[int, str] | None = None  # the last non-empty line (number, text)
        self.prior: tuple[int, str] | None = None  # the non-empty line before it
        self.record: parcels.ParcelRecord | None = None  # a parcel written over several lines
        #: an item whose line ends with a colon (``1.住宅用地20.00公顷，其中：``): (item, indent, marker level)
        self.list_parent: tuple[object, int, int] | None = None
        self.list_child: object | None = None  # the item the current line's items are parts of

    # -- sections ---------------------------------------------------------------------------
    @property
    def section(self) -> str | None:
        """Template key of the innermost open heading that has one."""
        for _level, key, _title, _line in reversed(self.stack):
            if key:
                return key
        return None

    @property
    def section_line(self) -> int:
        """Line of the innermost heading that names a template section (0: none)."""
        return next((line for _level, key, _title, line in reversed(self.stack) if key), 0)

    @property
    def section_title(self) -> str:
        return self.stack[-1][2] if self.stack else ""

    def _open_section(self, marker: headings.Marker, number: str, title: str, line: int) -> None:
        self.record = None
        level = self.levels.level(marker)
        key = headings.template_key(title)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, key, title, line))
        self.doc.sections.append(Section(number, level, title, line, key))
        self.structure.close_breakdown()
        self.table = None

    # -- lines ------------------------------------------------------------------------------
    def read_line(self, line: int, clean: str, norm: str) -> None:
        if not norm.strip():
            return
        self.structure.content.setdefault(line, len(self.structure.content))
        self.structure.sentence_at = None  # set again by the prose reader for each quantity
        previous, self.previous = self.previous, (line, norm)
        self.prior = previous
        if previous and previous[0] == line - 1:
            split = numbers.split_across_lines(previous[1], norm)
            if split:
                self.doc.problems.append(split_number_finding(previous[0], *split))
        if self.table and self._table_row(line, clean, norm):
            self.last_content = (line, clean, True)
            return
        if self.figure_table and self._figure_row(line, clean, norm):
            self.last_content = (line, clean, True)
            return
        if self.year_table and self._year_columns_row(line, clean, norm):
            self.last_content = (line, clean, True)
            return
        if fast_rows.ENABLED and fast_rows.prose_line(self, line, clean, norm):
            return
        if self._table_header(line, clean, norm):
            return
        marker = headings.marker_of(norm)
        start = marker.end if marker else 0
        scan = numbers.scan(norm, start)
        codes = parcels.find_codes(norm, start)
        code = codes[0] if codes else None
        is_heading = marker is not None and _is_heading(marker, norm, scan, code)
        if is_heading:
            title = headings.heading_title(clean[start:], norm[start:])
            self._open_section(marker, clean[:start].strip(), title, line)
        if not _METADATA_LINE.match(norm.strip()):
            self.last_content = (line, clean, is_heading)
        self._report_problems(line, clean, norm, scan.problems)
        serial = marker.number if marker and not is_heading else None
        if code and not scan.quantities and not is_heading:
            if scan.problems:  # 地块编号：…，面积：6..25公顷: listed, its area unreadable
                self._parcel_at(line, clean, norm, code, (0, len(norm)), None, serial)
            else:  # 地块编号：… alone; its area follows on the next lines
                self._record_start(line, clean, norm, code, serial)
            return
        if not scan.quantities:
            if is_page_furniture(norm):  # 相关新闻, 热门推荐 …: what follows is no part of the article
                self.structure.page_break(line)
            self._record_field(clean, norm)
            return
        if code and self._parcel_line(line, clean, norm, scan, codes, serial):
            return
        if code is None and self._record_area(line, clean, norm, scan):
            return
        broken = {sentence_index(sentence_spans(norm), p.start) for p in scan.problems}
        self._list_level(clean, marker)
        self._statements(line, clean, norm, scan.quantities, start, broken, serial)
        self._list_head(line, clean, norm, marker)

    def _list_level(self, clean: str, marker: headings.Marker | None) -> None:
        """Whether this line is a sub-item of the list head before it: indented deeper, or numbered at a
        deeper level (``（1）``, ``①`` under ``1.``); the head's list ends at the first line that is not."""
        self.list_child = None
        if self.list_parent is None:
            return
        item, indent, level = self.list_parent
        deeper = marker is not None and headings.marker_level(marker) > level
        if _indent(clean) > indent or deeper:
            self.list_child = item
        else:
            self.list_parent = None

    def _list_head(self, line: int, clean: str, norm: str, marker: headings.Marker | None) -> None:
        """A line ending with a colon after an item (``1.住宅用地20.00公顷，其中：``) heads a list of its parts."""
        last = self.structure.last_stated
        if not norm.rstrip().endswith(":") or last is None or last[1] != line:
            return
        if isinstance(last[0], ItemDraft) and self.list_child is None:
            level = headings.marker_level(marker) if marker is not None else 0
            self.list_parent = (last[0], _indent(clean), level)

    def _table_header(self, line: int, clean: str, norm: str) -> bool:
        """Open a parcel table at a header row (``序号 地块编号 土地坐落 面积（公顷）``); the header of the
        open table repeated (after a page break of a converted file) lets the table go on."""
        # the compact text is only compared while a table is open, and kept only when one opens here
        if self.table or self.figure_table or self.year_table:
            compact = _SPACES.sub("", norm)
            if compact == self.header_text or _CONTINUED.match(compact):
                self.last_content = (line, clean, True)
                return True
        self.table = self.figure_table = self.year_table = None
        hint = _UNIT_HINT.search(norm)
        if hint:
            self.unit_hint = (line, hint.group(1))
        # the first sorting of a line: with a data digit (a parcel row, a figure, a dated heading) it can
        # only be the header of a years table — the other header rules need not look at it
        numbered = parcels.has_data_digit(norm)
        header = None if numbered else parcels.table_header(norm, line)
        if header is None:
            self.figure_table = None
            if not numbered:
                self.figure_table = (
                    self._hinted_header(norm, line)
                    or figure_table_header(norm, line)
                    or self._two_row_header(norm)
                )
            self.year_table = None if self.figure_table else year_columns_header(norm, line)
            if self.year_table is not None and self.year_table.unit is None and self.unit_hint is not None:
                if line - self.unit_hint[0] <= 2:  # ``单位：万元`` on the caption of a table by year
                    self.year_table.unit = numbers.UNIT_SPELLINGS.get(self.unit_hint[1])
            if self.figure_table is not None or self.year_table is not None:
                self.header_text = _SPACES.sub("", norm)
                self.structure.close_breakdown()
                self.last_content = (line, clean, True)
            return self.figure_table is not None or self.year_table is not None
        self.header_text = _SPACES.sub("", norm)
        self._table_unit(header)
        self.table = header
        self.structure.close_breakdown()
        self.last_content = (line, clean, True)
        return True

    def _hinted_header(self, norm: str, line: int) -> FigureTable | None:
        """``单位：公顷`` on the caption, then ``乡镇 | 工业用地 | 商服用地 | 合计``: a figure table whose
        columns after the first that name no unit of their own are in the caption's unit."""
        if self.unit_hint is None or line - self.unit_hint[0] > 2 or "\t" not in norm:
            return None
        unit = numbers.UNIT_SPELLINGS.get(self.unit_hint[1])
        if (
            unit is not None and UNITS[unit][0] is Quantity.MONEY
        ):  # ``单位：万元`` over ``项目 | 金额 | 占比``
            money = hinted_money_header(norm.split("\t"), self.unit_hint[1])
            return figure_table_header(money, line) if money else None
        hinted = hinted_header(norm.split("\t"), self.unit_hint[1])
        table = figure_table_header(hinted[0], line) if hinted else None
        if table is not None:
            table.hinted = frozenset(i for i in hinted[1] if not _ROW_AREA.search(table.names[i]))
        return table

    def _two_row_header(self, norm: str) -> FigureTable | None:
        """``用途 | 面积 | (merged)`` then ``| 公顷 | 亩``: a figure table whose units are in a second row."""
        if self.prior is None or self.prior[0] != self.previous[0] - 1:
            return None
        combined = header_with_unit_row(self.prior[1], norm)
        return figure_table_header(combined, self.prior[0]) if combined else None

    def _report_problems(
        self, line: int, clean: str, norm: str, problems: list[numbers.NumberProblem]
    ) -> None:
        self.doc.problems.extend(number_finding(line, clean, norm, p) for p in problems)

    # -- figures ----------------------------------------------------------------------------
    def _figures(self, m: Stated, line: int, clean: str, norm: str, label: str) -> list[Figure]:
        """The figures of a stated quantity, created once with ``label`` and added to the document."""
        if m.figures:
            return m.figures
        text = sentence_text(clean, norm, m.start)
        for a in m.amounts:
            self.positions.append((line, self.piece, a.number_start))
            figure = Figure(
                label, a.value, a.unit, a.quantity, to_base(a.value, a.unit), line, text, a.qualifier
            )
            m.figures.append(figure)
            self.doc.figures.append(figure)
        return m.figures

    # -- end --------------------------------------------------------------------------------
    def finish(self) -> None:
        self._mark_unseen()
        order = sorted(range(len(self.doc.figures)), key=self.positions.__getitem__)
        self.doc.figures[:] = [self.doc.figures[i] for i in order]
        if self.last_content:
            line, clean, structural = self.last_content
            if not structural and looks_truncated(clean):
                self.doc.problems.append(truncated_finding(line, clean))
                self.structure.cut_at(line)
        self.structure.finish()

    def _mark_unseen(self) -> None:
        """A split written in prose whose span holds an amount of its quantity that is neither one of its
        items, nor a part of one, nor its total, may have lost a listed part: it cannot prove itself
        complete by its own 合计 or closing 其他 (``Breakdown.seen_all``)."""
        placed = sorted(zip(self.positions, self.doc.figures, strict=True), key=itemgetter(0))
        keys = [p for p, _f in placed]
        where = {id(f): p for p, f in placed}
        drafts = self.structure.breakdowns
        below: dict[int, list] = {}
        for b in drafts:
            parent = b.parent_item or (b.total.parent if b.total is not None else None)
            if parent is not None:
                below.setdefault(id(parent), []).append(b)
        for b in drafts:
            if b.from_table or not b.items:
                continue
            owned = _owned(b, below)
            quantity = _quantity_of(b)
            spots = sorted(where[i] for i in owned.get(quantity, set()) if i in where)
            if len(spots) < 2:
                continue
            lo, hi = bisect.bisect_left(keys, spots[0]), bisect.bisect_right(keys, spots[-1])
            ids = set().union(*owned.values())
            if any(
                f.quantity is quantity and id(f) not in ids and not f.label.endswith(FORMER)
                for _p, f in placed[lo:hi]
            ):
                b.seen_all = False


def _indent(clean: str) -> int:
    """Width of a line's leading blank space (a full-width space counts two)."""
    width = 0
    for ch in clean:
        if ch == "\u3000":
            width += 2
        elif ch in " \t\xa0":
            width += 1
        else:
            break
    return width


def _quantity_of(b) -> Quantity:
    for i in b.items:
        for m in (i.area, i.money):
            if m is not None:
                return m.primary.quantity
    return Quantity.AREA


def _owned(b, below: dict[int, list]) -> dict[Quantity, set[int]]:
    """Ids of the figures that belong to split ``b`` (its items, their parts, its total and 合计), by quantity."""
    owned: dict[Quantity, set[int]] = {}
    measures = [t.measure for t in (b.stated_sum, b.total) if t is not None]
    stack = [b]
    while stack:
        split = stack.pop()
        for i in split.items:
            measures.extend((i.area, i.money))
            for f in (i.share, i.count):
                if f is not None:
                    owned.setdefault(f.quantity, set()).add(id(f))
            stack.extend(below.get(id(i), []))
    for m in measures:
        for f in m.figures if m is not None else ():
            owned.setdefault(f.quantity, set()).add(id(f))
    return owned


def _is_heading(marker: headings.Marker, norm: str, scan: numbers.ScanResult, code) -> bool:
    """Chinese-numbered markers are headings unless a figure stands in their title
    (``（一）收回国有土地10.50公顷；`` is a list item); numbered lines with figures, a code or a colon
    are items."""
    if marker.style in ("chapter", "cn", "paren_cn"):
        stop = headings.TITLE_END.search(norm, marker.end)
        title_end = stop.start() if stop else len(norm)
        first = min([q.start for q in scan.quantities] + [p.start for p in scan.problems], default=len(norm))
        if first < len(norm) and _YEAR_TITLE.match(norm[marker.end : title_end]):
            return False  # ``（一）2026年：储备土地…``: an item of the year split, not a section
        return first >= title_end
    rest = norm[marker.end :].strip().rstrip("。.")
    if scan.quantities or scan.problems or code is not None or len(rest) > 30:
        return False
    return not re.search(r":.|。", rest)
