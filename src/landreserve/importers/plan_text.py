"""Plan text lines → ``PlanDocument``: figures with provenance, sections, totals, breakdowns, parcels.

The reader walks the lines once. Each line is cleaned of conversion noise and normalised (ASCII
digits and punctuation, same length); headings open template sections; parcel rows (key-value lines,
table rows, prose) become parcels; every other stated quantity becomes a figure, named by the words
before it, and — when the name says so — a total (``计划储备土地47.58公顷``) or an item of a breakdown
(``住宅用地31.61公顷，占…66.43%``). Line numbers are 1-based lines of the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from landreserve.domain.findings import Finding, Severity
from landreserve.domain.plans import (
    Dimension,
    Figure,
    Measure,
    PlanDocument,
    PlanKind,
    PlanParcel,
    Section,
    TotalKind,
)
from landreserve.domain.units import Quantity, to_base

from . import headings, labels, numbers, parcels
from .metadata import read_metadata
from .normalise import ascii_alnum, clean_line, content_sha256, normalise_code, to_ascii
from .structure import ItemDraft, StructureBuilder, TotalDraft

_SENTENCE_END = re.compile(r"[。;!?]")
_PAIR_BETWEEN = re.compile(r"^\s*(?:[(/]|,?\s*(?:折合|合|即|约合|约))\s*(?:约|合|折合|即|约合)?\s*$")
_SHORT_LINE = 60
_PARTIAL_CUES = re.compile(r"其中|主要|包括|包含|含|部分|重点")
_LIST_ETC = re.compile(r"^\s*(?:\))?\s*等")
_PROSE_PARCEL = re.compile(r"(?:地块|宗地)$")
_UNIT_HINT = re.compile(r"单位\s*[:]?\s*(公顷|亩|平方米|㎡|m2|万平方米)")
#: page metadata lines (not plan content; they do not end a sentence)
_METADATA_LINE = re.compile(
    r"^(?:来源|信息来源|发布时间|发布日期|发布机构|浏览次数|点击|访问量|责任编辑|编辑|审核|校对|作者)\s*[:：]"
)


@dataclass
class _Measure:
    """Amounts of one stated quantity (``47.58公顷（713.63亩）``) and where it sits in the line."""

    amounts: list[numbers.Amount]
    sentence: int
    end: int
    label: str = ""
    figures: list[Figure] = field(default_factory=list)
    owner: object | None = None

    @property
    def start(self) -> int:
        return self.amounts[0].start

    @property
    def quantity(self) -> Quantity:
        return self.amounts[0].quantity


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
    clean = [clean_line(line) for line in lines]
    norm = [to_ascii(line) for line in clean]
    meta = read_metadata(clean)
    doc = PlanDocument(
        source=source,
        title=meta.title,
        jurisdiction=meta.jurisdiction,
        year=meta.year,
        kind=meta.kind,
        doc_number=meta.doc_number,
        line_count=len(lines),
        content_sha256=content_sha256(norm),
    )
    reader = _Reader(doc)
    for number, (c, n) in enumerate(zip(clean, norm, strict=True), start=1):
        try:
            reader.read_line(number, c, n)
        except Exception as exc:  # noqa: BLE001 - one odd line must not lose the whole document
            doc.problems.append(_unreadable_line(number, c, exc))
    reader.finish()
    return doc


def _unreadable_line(line: int, clean: str, exc: Exception) -> Finding:
    return Finding(
        "text.unreadable_line",
        Severity.WARNING,
        f"第{line}行未能解析（{type(exc).__name__}），其中的数字没有计入：“{clean.strip()[:60]}”。"
        "请核对该行，并将文件反馈给维护人员。",
        (line,),
        {"text": clean.strip()[:200]},
    )


class _Reader:
    """State of one pass over the lines."""

    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.levels = headings.LevelTracker()
        self.stack: list[tuple[int, str | None, str]] = []  # (level, template key, title)
        self.table: parcels.TableHeader | None = None
        self.structure = StructureBuilder(doc)
        self.rolling = doc.kind is PlanKind.ROLLING_THREE_YEAR
        self.last_content: tuple[int, str, bool] | None = None
        self.positions: list[tuple[int, int]] = []  # (line, column) of each figure, for text order
        self.unit_hint: tuple[int, str] | None = None  # the last ``单位：公顷`` line

    # -- sections ---------------------------------------------------------------------------
    @property
    def section(self) -> str | None:
        for _level, key, _title in reversed(self.stack):
            if key:
                return key
        return None

    @property
    def section_title(self) -> str:
        return self.stack[-1][2] if self.stack else ""

    def _open_section(self, marker: headings.Marker, number: str, title: str, line: int) -> None:
        level = self.levels.level(marker)
        key = headings.template_key(title)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, key, title))
        self.doc.sections.append(Section(number, level, title, line, key))
        self.structure.close_breakdown()
        self.table = None

    # -- lines ------------------------------------------------------------------------------
    def read_line(self, line: int, clean: str, norm: str) -> None:
        if not norm.strip():
            return
        marker = headings.marker_of(norm)
        start = marker.end if marker else 0
        if self.table and self._table_row(line, clean, norm):
            self.last_content = (line, clean, True)
            return
        hint = _UNIT_HINT.search(norm)
        if hint:
            self.unit_hint = (line, hint.group(1))
        header = parcels.table_header(norm, line)
        if header:
            self._table_unit(header)
            self.table = header
            self.structure.close_breakdown()
            self.last_content = (line, clean, True)
            return
        self.table = None
        scan = numbers.scan(norm, start)
        code = parcels.find_code(norm, start)
        is_heading = marker is not None and self._is_heading(marker, norm, scan, code)
        if is_heading:
            self._open_section(marker, clean[:start].strip(), headings.heading_title(clean[start:]), line)
        if not _METADATA_LINE.match(norm.strip()):
            self.last_content = (line, clean, is_heading)
        self._report_problems(line, clean, norm, scan.problems)
        if not scan.quantities:
            return
        serial = marker.number if marker and not is_heading else None
        if code and self._parcel_line(line, clean, norm, scan, code, serial):
            return
        broken = {_sentence_index(sentence_spans(norm), p.start) for p in scan.problems}
        self._statements(line, clean, norm, scan.quantities, start, broken, serial)

    def _is_heading(self, marker: headings.Marker, norm: str, scan: numbers.ScanResult, code) -> bool:
        if marker.style in ("chapter", "cn", "paren_cn"):
            return True
        rest = norm[marker.end :].strip().rstrip("。.")
        if scan.quantities or scan.problems or code is not None or len(rest) > 30:
            return False
        return not re.search(r":.|。", rest)

    # -- problems ---------------------------------------------------------------------------
    def _report_problems(
        self, line: int, clean: str, norm: str, problems: list[numbers.NumberProblem]
    ) -> None:
        for p in problems:
            text = sentence_text(clean, norm, p.start)
            written = clean[p.start : p.end]
            if p.kind == "missing":
                message = f"第{line}行“{text}”中的“{p.unit}”前没有数值，无法读取这个数字。请在原文中补上数值后重新导入。"
                code = "number.missing"
            else:
                message = (
                    f"第{line}行的数字“{written}”写法有误（{malformed_reason(p.raw)}），无法读取，未计入任何数字："
                    f"“{text}”。请核对原文改正后重新导入。"
                )
                code = "number.malformed"
            self.doc.problems.append(
                Finding(
                    code, Severity.ERROR, message, (line,), {"raw": written, "unit": p.unit, "text": text}
                )
            )

    # -- parcels ----------------------------------------------------------------------------
    def _parcel_line(self, line, clean, norm, scan, code_span, serial) -> bool:
        measures = group_measures(norm, scan.quantities)
        areas = [m for m in measures if m.quantity is Quantity.AREA and m.start >= code_span[1]]
        areas = areas or [m for m in measures if m.quantity is Quantity.AREA]
        if not areas:
            return False
        written = clean[code_span[0] : code_span[1]]
        code = normalise_code(written)
        location = _field(clean, norm, "location")
        use = _field(clean, norm, "use")
        self._add_parcel(line, clean, norm, code, written, areas[0], location, use, serial)
        for m in measures:
            if m is not areas[0]:
                self._figures(m, line, clean, norm, labels.local_label(norm, 0, m.start) or code)
        return True

    def _add_parcel(self, line, clean, norm, code, written, area, location, use, serial) -> None:
        text = clean.strip()
        figures = self._figures(area, line, clean, norm, code or location or "地块")
        measure = Measure(tuple(figures))
        carried = parcels.is_carried_over(code, norm, self.doc.year)
        self.doc.parcels.append(
            PlanParcel(
                code=code or (location or ""),
                code_as_written=written,
                line=line,
                text=text,
                location=ascii_alnum(location) if location else None,
                area=measure,
                use=ascii_alnum(use) if use else None,
                land_use=_land_use(use) if use else None,
                carried_over=carried,
                serial=serial,
            )
        )
        self.structure.note_parcel(self.section)

    def _table_row(self, line: int, clean: str, norm: str) -> bool:
        header = self.table
        assert header is not None
        spans = _fit_cells(parcels.cell_spans(norm, header.separator), header.columns)
        if sum(1 for s, e in spans if e > s) < 2:
            return False
        row = dict(zip(header.columns, spans, strict=False))
        cell = {name: norm[s:e] for name, (s, e) in row.items()}
        if any(re.search(r"合\s*计|总\s*计|小\s*计", norm[s:e]) for s, e in spans):
            numeric = [sp for sp in spans if re.fullmatch(r"[\d.,]+", norm[sp[0] : sp[1]])]
            area_span = row.get("area") if row.get("area") in numeric else (numeric[-1] if numeric else None)
            area = self._cell_area(line, clean, norm, area_span)
            if area is not None:
                figures = self._figures(area, line, clean, norm, "地块清单合计")
                self.structure.table_total(Measure(tuple(figures)))
            return True
        area = self._cell_area(line, clean, norm, row.get("area"))
        code = cell.get("code", "")
        if area is None:  # a row with no readable area (a problem is reported if it was malformed)
            return parcels.looks_like_code(code.replace("-", ""))
        written = _slice(clean, row.get("code"))
        serial = cell.get("serial", "")
        self._add_parcel(
            line,
            clean,
            norm,
            normalise_code(written),
            written,
            area,
            _slice(clean, row.get("location")) or None,
            _slice(clean, row.get("use")) or None,
            int(serial) if serial.isascii() and serial.isdigit() else None,
        )
        header.rows += 1
        return True

    def _table_unit(self, header: parcels.TableHeader) -> None:
        """The area unit of a table: from its header, else from a ``单位：公顷`` line just before it."""
        if header.area_unit is None and self.unit_hint and header.line - self.unit_hint[0] <= 3:
            header.area_unit = numbers.UNIT_SPELLINGS.get(self.unit_hint[1], self.unit_hint[1])
        if header.area_unit is None:
            self.doc.problems.append(
                Finding(
                    "table.unit_missing",
                    Severity.WARNING,
                    f"第{header.line}行开始的地块表没有注明面积单位（表头或“单位：公顷”），不带单位的面积数字未读取。"
                    "请在表头注明单位（如“面积（公顷）”）后重新导入。",
                    (header.line,),
                    {},
                )
            )

    def _cell_area(self, line: int, clean: str, norm: str, span: tuple[int, int] | None) -> _Measure | None:
        if span is None or span[1] <= span[0]:
            return None
        s, e = span
        scan = numbers.scan(norm[:e], s)
        self._report_problems(line, clean, norm, scan.problems)
        areas = [q for q in scan.quantities if q.quantity is Quantity.AREA]
        if areas:
            return _Measure(areas[:1], 0, areas[0].end)
        unit = self.table.area_unit if self.table else None
        raw = norm[s:e]
        if unit is None or scan.problems:
            return None
        if not numbers.well_formed(raw):
            if re.search(r"\d|^\.$", raw):
                problem = numbers.NumberProblem("malformed", raw, unit, s, e)
                self._report_problems(line, clean, norm, [problem])
            return None
        amount = numbers.Amount(numbers.plain_value(raw), unit, Quantity.AREA, s, s, e)
        return _Measure([amount], 0, e)

    # -- statements -------------------------------------------------------------------------
    def _statements(self, line, clean, norm, quantities, start, broken: set[int], serial) -> None:
        measures = group_measures(norm, quantities)
        spans = sentence_spans(norm)
        for m in measures:
            m.sentence = _sentence_index(spans, m.start)
        self._label(norm, measures, spans, start)
        prose_parcels = self._prose_parcels(line, clean, norm, measures, serial)
        ctx = _LineContext(line, clean, norm, spans, start, broken)
        for i, m in enumerate(measures):
            if m in prose_parcels:
                continue
            previous = measures[i - 1] if i and measures[i - 1].sentence == m.sentence else None
            if m.quantity is Quantity.AREA:
                self._area(ctx, m, previous)
            elif m.quantity is Quantity.MONEY:
                self._money(ctx, m, previous)
            elif m.quantity is Quantity.SHARE:
                self._share(ctx, m, previous)
        for i, m in enumerate(measures):
            if m.quantity is Quantity.COUNT:
                self._count(ctx, m, measures, i)

    def _label(self, norm: str, measures: list[_Measure], spans, start: int) -> None:
        for i, m in enumerate(measures):
            same = i and measures[i - 1].sentence == m.sentence
            floor = measures[i - 1].end if same else max(start, spans[m.sentence][0])
            m.label = labels.local_label(norm, floor, m.start)
            if not labels.is_generic(m.label):
                continue
            if same and measures[i - 1].quantity is Quantity.COUNT and m.quantity is not Quantity.COUNT:
                m.label = measures[i - 1].label
            else:
                earlier = labels.label_before(norm, max(start, spans[m.sentence][0]), m.start)
                m.label = earlier or m.label

    def _prose_parcels(self, line, clean, norm, measures, serial) -> list[_Measure]:
        found = []
        for m in measures:
            if m.quantity is Quantity.AREA and _PROSE_PARCEL.search(m.label) and len(m.label) > 3:
                if not re.match(r"^(?:储备|计划|收储|供应|全部|各|以上|上述)", m.label):
                    location = _clean_slice(clean, norm, m.label)
                    use = _field(clean, norm, "use")
                    self._add_parcel(line, clean, norm, "", "", m, location, use, serial)
                    found.append(m)
        return found

    def _area(self, ctx: _LineContext, m: _Measure, previous: _Measure | None) -> None:
        role = labels.area_role(m.label, self.section, self.rolling)
        if role.year is not None and not self.rolling:
            role = labels.Role(role.what, role.kind, role.dimension, role.name)
        if role.what == "total" and self._part_of_sentence_total(ctx, m, role):
            role = labels.Role("item", dimension=Dimension.OTHER, name=m.label)
        if role.what == "total":
            name = self._total_label(role)
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, name)
            m.owner = self.structure.add_total(role.kind, name, Measure(tuple(figures)), ctx.line, role.year)
            ctx.totals[m.sentence] = (m.owner, m.end)
            return
        if role.what == "item":
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, role.name)
            exhaustive = self._exhaustive(ctx, m)
            item = ItemDraft(role.name, ctx.line, area=Measure(tuple(figures)))
            m.owner = self.structure.add_item(
                role.dimension, item, ctx.line, self.section, self.section_title, exhaustive
            )
            return
        self._figures(m, ctx.line, ctx.clean, ctx.norm, m.label or self.section_title or "面积")

    def _part_of_sentence_total(self, ctx: _LineContext, m: _Measure, role: labels.Role) -> bool:
        """``结转…18.60公顷，其中已入库储备土地12.40公顷``: a part of the total before it, not a total."""
        if m.sentence not in ctx.totals:
            return False
        total, end = ctx.totals[m.sentence]
        if "其中" not in ctx.norm[end : m.start]:
            return False
        return role.kind is total.kind or role.kind is TotalKind.RESERVE

    def _total_label(self, role: labels.Role) -> str:
        name = role.name
        if role.kind is TotalKind.RESERVE and self.doc.kind is not PlanKind.ANNUAL_RESERVE:
            name = "储备规模"
        return f"{role.year}年{name.removeprefix('年度')}" if role.year and self.rolling else name

    def _exhaustive(self, ctx: _LineContext, m: _Measure) -> bool:
        s, _e = ctx.spans[m.sentence]
        intro = ctx.norm[max(s, ctx.start) : m.start]
        after = ctx.norm[m.end : m.end + 3]
        if m.sentence in ctx.broken:  # a part could not be read: the list is not complete
            return False
        return not (_PARTIAL_CUES.search(intro) or _LIST_ETC.match(after))

    def _money(self, ctx: _LineContext, m: _Measure, previous: _Measure | None) -> None:
        if (
            previous is not None
            and isinstance(previous.owner, ItemDraft)
            and previous.quantity is Quantity.AREA
        ):
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{previous.owner.name}资金")
            previous.owner.money = Measure(tuple(figures))
            return
        year = labels.year_of_label(m.label)
        if year and self.rolling and self.structure.has_total(TotalKind.FUNDS):
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{year}年资金")
            item = ItemDraft(f"{year}年", ctx.line, money=Measure(tuple(figures)))
            exhaustive = self._exhaustive(ctx, m)
            m.owner = self.structure.add_item(
                Dimension.YEAR, item, ctx.line, self.section, self.section_title, exhaustive, money=True
            )
            return
        role = labels.money_role(m.label, self.section, self.structure.has_total(TotalKind.FUNDS))
        name = role.name or m.label or "资金"
        figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, name)
        if role.what == "total":
            m.owner = self.structure.add_total(TotalKind.FUNDS, name, Measure(tuple(figures)), ctx.line, None)
        elif role.what == "item":
            item = ItemDraft(role.name, ctx.line, money=Measure(tuple(figures)))
            exhaustive = self._exhaustive(ctx, m)
            m.owner = self.structure.add_item(
                Dimension.FUNDS_USE, item, ctx.line, self.section, self.section_title, exhaustive
            )

    def _share(self, ctx: _LineContext, m: _Measure, previous: _Measure | None) -> None:
        owner = previous.owner if previous is not None else None
        if isinstance(owner, ItemDraft) and owner.share is None:
            owner.share = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{owner.name}占比")[0]
            return
        if isinstance(owner, TotalDraft):
            self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{owner.label}占比")
            return
        name = re.sub(r"(?:占比|比例|比重|占)+.*$", "", m.label) or m.label
        item = self.structure.find_item(name)
        role = labels.area_role(name, self.section, self.rolling)
        figure = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{name}占比" if name else "占比")[0]
        if item is not None and item.share is None:
            item.share = figure
        elif role.what == "item" and name:
            new = ItemDraft(role.name, ctx.line, share=figure)
            self.structure.add_item(
                role.dimension, new, ctx.line, self.section, self.section_title, self._exhaustive(ctx, m)
            )

    def _count(self, ctx: _LineContext, m: _Measure, measures: list[_Measure], i: int) -> None:
        owner = _count_owner(m, measures, i)
        if owner is None:
            owner = self.structure.recent_total(ctx.line)
        label = _count_label(owner, m.label)
        figure = self._figures(m, ctx.line, ctx.clean, ctx.norm, label)[0]
        if isinstance(owner, (ItemDraft, TotalDraft)) and owner.count is None:
            owner.count = figure
        elif owner is None:
            self.structure.pending_count(figure, m.label)

    # -- figures ----------------------------------------------------------------------------
    def _figures(self, m: _Measure, line: int, clean: str, norm: str, label: str) -> list[Figure]:
        if m.figures:
            return m.figures
        text = sentence_text(clean, norm, m.start)
        for a in m.amounts:
            self.positions.append((line, a.number_start))
            figure = Figure(
                label, a.value, a.unit, a.quantity, to_base(a.value, a.unit), line, text, a.qualifier
            )
            m.figures.append(figure)
            self.doc.figures.append(figure)
        return m.figures

    # -- end --------------------------------------------------------------------------------
    def finish(self) -> None:
        order = sorted(range(len(self.doc.figures)), key=lambda i: self.positions[i])
        self.doc.figures[:] = [self.doc.figures[i] for i in order]
        self.structure.finish()
        if self.last_content:
            line, clean, structural = self.last_content
            if not structural and looks_truncated(clean):
                tail = clean.strip()[-30:]
                self.doc.problems.append(
                    Finding(
                        "text.truncated",
                        Severity.WARNING,
                        f"文本在第{line}行“…{tail}”处中断，句子没有结束，文件可能不完整。请核对是否是完整的计划原文。",
                        (line,),
                        {"text": tail},
                    )
                )


@dataclass
class _LineContext:
    line: int
    clean: str
    norm: str
    spans: list[tuple[int, int]]
    start: int
    broken: set[int]  # sentences holding an unreadable number
    totals: dict[int, tuple[TotalDraft, int]] = field(default_factory=dict)  # sentence → total, its end


# -- helpers (pure functions on one line) -----------------------------------------------------
def sentence_spans(norm: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a line, split at 。；;!?"""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(norm):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(norm)))
    return spans


def _sentence_index(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (s, e) in enumerate(spans):
        if s <= pos <= e:
            return i
    return len(spans) - 1


def sentence_text(clean: str, norm: str, pos: int) -> str:
    """The sentence of ``clean`` around ``pos`` (the whole line when it is short)."""
    if len(clean.strip()) <= _SHORT_LINE:
        return clean.strip()
    s, e = next(((s, e) for s, e in sentence_spans(norm) if s <= pos <= e), (0, len(norm)))
    return clean[s:e].strip()


def group_measures(norm: str, quantities: list[numbers.Amount]) -> list[_Measure]:
    """Group amounts stated together in two units (``47.58公顷（713.63亩）``) into measures."""
    measures: list[_Measure] = []
    for q in quantities:
        last = measures[-1] if measures else None
        if last and len(last.amounts) == 1 and _paired(norm, last.amounts[0], q):
            last.amounts.append(q)
            close = re.match(r"\s*\)", norm[q.end :])
            last.end = q.end + (close.end() if close else 0)
            continue
        measures.append(_Measure([q], 0, q.end))
    return measures


def _paired(norm: str, a: numbers.Amount, b: numbers.Amount) -> bool:
    if a.quantity is not b.quantity or a.quantity not in (Quantity.AREA, Quantity.MONEY) or a.unit == b.unit:
        return False
    return bool(_PAIR_BETWEEN.match(norm[a.end : b.start]))


def _count_owner(m: _Measure, measures: list[_Measure], i: int):
    same = [x for x in measures if x.sentence == m.sentence and x.quantity is Quantity.AREA and x.owner]
    before = [x for x in same if x.start < m.start]
    after = [x for x in same if x.start > m.start]
    if after and (labels.is_generic(m.label) is False) and after[0].label == m.label:
        return after[0].owner
    if before:
        return before[-1].owner
    return after[0].owner if after else None


def _count_label(owner, label: str) -> str:
    if isinstance(owner, ItemDraft):
        return f"{owner.name}宗数"
    if isinstance(owner, TotalDraft):
        special = {TotalKind.SUPPLY: "供应地块宗数", TotalKind.RESERVE: "储备地块宗数"}
        return special.get(owner.kind, f"{owner.label}宗数")
    return f"{label}宗数" if label and not labels.is_generic(label) else "宗数"


def _field(clean: str, norm: str, name: str) -> str | None:
    span = parcels.field_value(norm, name)
    return clean[span[0] : span[1]].strip() or None if span else None


def _clean_slice(clean: str, norm: str, part: str) -> str:
    """The text of ``clean`` at the place where ``part`` (normalised) occurs."""
    if not part:
        return ""
    i = norm.find(part)
    return clean[i : i + len(part)].strip() if i >= 0 else part


def _slice(clean: str, span: tuple[int, int] | None) -> str:
    return clean[span[0] : span[1]].strip() if span else ""


def _fit_cells(spans: list[tuple[int, int]], columns: list[str]) -> list[tuple[int, int]]:
    """Join surplus cells (a location written with spaces) into the location column."""
    if len(spans) <= len(columns) or "location" not in columns:
        return spans
    k = columns.index("location")
    surplus = len(spans) - len(columns)
    joined = (spans[k][0], spans[k + surplus][1])
    return spans[:k] + [joined] + spans[k + surplus + 1 :]


def _land_use(name: str):
    try:
        from landreserve.domain.landuse import match_land_use
    except ImportError:  # the land-use table is optional for reading
        return None
    return match_land_use(name)


def malformed_reason(raw: str) -> str:
    """Why a written number is malformed, in Chinese."""
    if re.search(r"[A-Za-z]", raw):
        letters = "".join(sorted(set(re.findall(r"[A-Za-z]", raw))))
        return f"数字中夹有字母“{letters}”"
    if raw.startswith("."):
        return "小数点前缺少整数部分"
    if ".." in raw:
        return "有连续的小数点"
    if raw.count(".") > 1:
        return "有多个小数点"
    if "," in raw:
        return "千分位分隔符位置不对"
    if raw.endswith("."):
        return "小数点后缺少数字"
    digits = sum(ch.isdigit() for ch in raw)
    if digits > numbers.MAX_DIGITS:
        return f"位数过多（{digits}位）"
    return "不是有效的数字"


def looks_truncated(clean: str) -> bool:
    """A last line that stops mid-sentence (no closing punctuation)."""
    text = clean.strip()
    return len(text) > 15 and not text.endswith(
        ("。", ".", "；", ";", "！", "!", "？", "?", "）", ")", "”", "」", "》", ":", "：", "…")
    )
