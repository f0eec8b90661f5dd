"""Assembly of a plan's structure while reading: totals, breakdowns and the total of the parcel list.

Totals and items are drafts (mutable) while the lines are read, because a share or a parcel count
stated after an area belongs to it; ``finish`` freezes them into ``Total``, ``Breakdown`` and ``Item``.
Items join the open breakdown while the dimension and section stay the same; a heading or a new
total closes it. A breakdown's total is the total stated on the same line (``储备土地…，其中住宅…``),
else the total the section implies (supply, carried over …), else the latest reserve total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from landreserve.domain.plans import (
    SUPPLY_SECTION_CUE,
    Breakdown,
    Dimension,
    Evidence,
    Figure,
    Item,
    LandUseMatch,
    Measure,
    PlanDocument,
    PlanKind,
    Tie,
    TieStrength,
    Total,
    TotalKind,
)

_SECTION_KIND = {
    "supply": TotalKind.SUPPLY,
    "carried_over": TotalKind.CARRIED_OVER,
    "new": TotalKind.NEW,
    "development": TotalKind.DEVELOPMENT,
    "custody": TotalKind.CUSTODY,
}
#: totals a split stated on their line belongs to (parts such as 存量/新增 are not)
_WHOLE_KINDS = (TotalKind.RESERVE, TotalKind.SUPPLY, TotalKind.DEVELOPMENT, TotalKind.CUSTODY)
_DEFAULT_TITLES = {
    Dimension.USE: "储备结构",
    Dimension.ZONE: "空间布局",
    Dimension.SOURCE: "储备来源",
    Dimension.YEAR: "分年度安排",
    Dimension.STOCK: "存量与新增",
    Dimension.FUNDS_USE: "资金构成",
    Dimension.OTHER: "其他",
}


@dataclass(eq=False)
class TotalDraft:
    kind: TotalKind
    label: str
    measure: Measure
    line: int
    year: int | None = None
    count: Figure | None = None
    parent: ItemDraft | None = None  # the item this total is (the parts of an item split it)
    share: Figure | None = None  # its share of the total above (存量土地…，占总量的28.22%)
    at: tuple[int, int, int] | None = None  # (line, piece, sentence) where it was stated in prose


_QUARTER = re.compile(r"^第?[一二三四1-4]季度$")
_HALF = re.compile(r"^[上下]半年$")


def _period(name: str) -> str:
    """Which split of the year an item belongs to: quarters, halves or none — a year split into
    halves and into quarters (``上半年…下半年…；一季度…``) is two breakdowns, not one."""
    return "quarter" if _QUARTER.match(name) else "half" if _HALF.match(name) else ""


@dataclass(eq=False)
class ItemDraft:
    name: str
    line: int
    area: Measure | None = None
    share: Figure | None = None
    count: Figure | None = None
    money: Measure | None = None
    #: the year its name states when that is not the plan's own (``2023年住宅用地`` in a 2024 text)
    year: int | None = None


@dataclass(eq=False)
class BreakdownDraft:
    dimension: Dimension
    title: str
    line: int
    section: str | None
    total: TotalDraft | None
    exhaustive: bool = True
    money: bool = False
    items: list[ItemDraft] = field(default_factory=list)
    tie: Tie | None = None
    evidence: list[Evidence] = field(default_factory=list)
    stated_sum: TotalDraft | None = None
    from_table: bool = False  # rows of a table: every row is an item, nothing listed is missed
    seen_all: bool = True
    parent_item: ItemDraft | None = None  # the item whose parts these items are


def tie(strength: TieStrength, cue: str, line: int, text: str) -> Tie:
    return Tie(strength, Evidence(cue, line, text))


#: the lines of a web page after its article: links to other articles, sharing, the site's notices
_PAGE_FURNITURE = re.compile(
    r"^[\s【\[(]*(?:责任编辑|相关新闻|相关阅读|相关文章|相关链接|相关报道|延伸阅读|推荐阅读|热门推荐|热点推荐|热门文章|猜你喜欢"
    r"|精彩推荐|更多阅读|往期回顾|上一篇|下一篇|免责声明|版权声明|分享到)[\s】\]:>»]*"
)


def is_page_furniture(norm: str) -> bool:
    """Whether a line without figures is page furniture that ends the article (``相关新闻``, ``热门推荐``)."""
    return bool(_PAGE_FURNITURE.match(norm))


class StructureBuilder:
    """Collects totals and breakdowns of one document and writes them to it at the end."""

    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.totals: list[TotalDraft] = []
        self.breakdowns: list[BreakdownDraft] = []
        self.current: BreakdownDraft | None = None  # the breakdown an item was last added to
        self.open: dict[tuple, BreakdownDraft] = {}  # breakdowns items may still join
        self.derived: list[TotalDraft] = []  # totals that are items of another breakdown
        self.parcel_sections: list[str | None] = []
        self.list_total: Measure | None = None
        self.waiting_count: Figure | None = None
        self.content: dict[int, int] = {}  # line → its number among the non-empty lines
        self.named: TotalKind | None = None  # the total the words before the next new split name
        #: the last quantity stated as an item or a total, and its line (a 其中 sentence after it splits it)
        self.last_stated: tuple[object, int] | None = None
        self.list_key: tuple = ()  # where the list of the next item began (line, piece, sentence)
        #: (line, piece of the line, sentence) → top-level items stated in it
        self.sentence_items: dict[tuple[int, int, int], int] = {}
        self.last_sentence: tuple[int, int, int] | None = None  # the sentence of the last top-level item
        #: (line, piece, sentence) of the quantity being read (prose); None for tables and lists
        self.sentence_at: tuple[int, int, int] | None = None
        self.year: int | None = None  # the year of the split whose total is being looked for
        #: the line of the last page furniture (相关新闻 …): no split after it splits a total before it
        self.boundary = 0
        self.floor = 0  # the first line whose totals the split being opened may split
        #: a rolling plan: its totals by year are split by year items, so any year's total may be found
        self.rolling_years = doc.kind is PlanKind.ROLLING_THREE_YEAR

    # -- totals ---------------------------------------------------------------------------
    def add_total(
        self, kind: TotalKind, label: str, measure: Measure, line: int, year: int | None
    ) -> TotalDraft:
        draft = TotalDraft(kind, label, measure, line, year, at=self.sentence_at)
        if self.waiting_count is not None and kind is not TotalKind.FUNDS:
            draft.count, self.waiting_count = self.waiting_count, None
        self.totals.append(draft)
        self.close_breakdown()
        return draft

    def sum_of_open_breakdown(self, measure: Measure, line: int) -> TotalDraft | None:
        """``…，合计30.00公顷``: the sum stated after the items — the split's stated sum, which proves it
        complete; when nothing firmer ties the split to a total, it is the split's total as well."""
        current = self.current
        if current is None or not current.items:
            return None
        draft = self.state_sum(current, measure, line)
        self.close_breakdown()
        return draft

    def sum_of(self, title: str, measure: Measure, line: int) -> TotalDraft | None:
        """The 合计 of the latest split named ``title`` (the funds column of a parcel table)."""
        split = next((b for b in reversed(self.breakdowns) if b.title == title and b.items), None)
        return self.state_sum(split, measure, line) if split is not None else None

    def state_sum(self, current: BreakdownDraft, measure: Measure, line: int) -> TotalDraft:
        default = TotalKind.FUNDS if current.money else TotalKind.RESERVE
        kind = current.total.kind if current.total is not None else default
        draft = TotalDraft(kind, f"{current.title}合计", measure, line)
        self.totals.append(draft)
        current.stated_sum = draft
        current.evidence.append(Evidence("合计", line, "分项之后写明了合计"))
        firm = current.tie is not None and current.tie.strength is not TieStrength.DEFAULT
        if current.total is None or not firm:
            current.total = draft
            current.tie = tie(TieStrength.EXPLICIT, "合计", line, "合计")
        return draft

    def has_total_since(self, line: int) -> bool:
        """Whether an area total was stated at or after ``line`` (the start of a section)."""
        return any(t.line >= line and t.kind is not TotalKind.FUNDS for t in self.totals)

    def has_total(self, kind: TotalKind) -> bool:
        return any(t.kind is kind for t in self.totals)

    def recent_total(self, line: int) -> TotalDraft | None:
        """The latest area total stated within three lines before ``line`` that has no count yet."""
        for t in reversed(self.totals):
            if t.kind is not TotalKind.FUNDS and line - t.line <= 3:
                return t if t.count is None else None
        return None

    def pending_count(self, figure: Figure) -> None:
        """A parcel count stated before its total (``储备地块共13宗。总面积…``)."""
        self.waiting_count = figure

    def table_total(self, measure: Measure) -> None:
        self.list_total = measure

    def note_parcel(self, section: str | None) -> None:
        self.parcel_sections.append(section)

    # -- breakdowns -------------------------------------------------------------------------
    def page_break(self, line: int) -> None:
        """Page furniture at ``line``: the article ended; what follows splits none of its totals."""
        self.boundary = line
        self.close_breakdown()

    def close_breakdown(self) -> None:
        self.current = None
        self.open.clear()

    def add_item(
        self,
        dimension: Dimension,
        item: ItemDraft,
        line: int,
        section: str | None,
        section_title: str,
        exhaustive: bool | Evidence,
        money: bool = False,
        near: TotalDraft | None = None,
        parent: ItemDraft | None = None,
        from_table: bool = False,
        cues: tuple[Evidence, ...] = (),
    ) -> ItemDraft:
        """Add ``item`` to the open breakdown of ``dimension`` (money items and the parts of another
        item apart), or open one. ``near``: a total stated in the item's sentence; ``parent``: the item
        this one is a part of (``2026年…45.57公顷，其中住宅用地18.35公顷``); ``exhaustive``: ``True``, or
        the cue that presents the list as a part (``partial``) or cuts it (``cut``)."""
        if near is not None and not self.of_year(near, item.year) and parent is None and not money:
            near = None  # 2024年供应…，2023年住宅用地…: a part of another year than the total's
        if near is not None and parent is None:  # the parts of a total named in their sentence: one split
            key: tuple = ("near", id(near), money, _period(item.name), self.list_key)
        else:
            key = (dimension, section, money, id(parent) if parent is not None else None, _period(item.name))
            key += (item.year,)
        current = self.open.get(key)
        if current is None:
            title = (parent.name if parent else section_title) or _DEFAULT_TITLES[dimension]
            if parent is not None:
                total = self._total_of_item(parent, money)
                found = tie(TieStrength.EXPLICIT, "parent", line, f"“{parent.name}”的组成部分")
            else:
                self.year, self.floor = item.year, self.boundary if line > self.boundary else 0
                try:
                    total, found = self._total_for(dimension, line, section, money, near)
                finally:
                    self.year, self.floor = None, 0
                if item.year is not None and found is not None and found.strength is TieStrength.ADJACENT:
                    found = tie(TieStrength.ADJACENT, "year", line, f"紧接总量之后，分项写明了{item.year}年")
            current = BreakdownDraft(dimension, title, line, section, total, money=money, tie=found)
            current.from_table = from_table
            current.parent_item = parent
            self.breakdowns.append(current)
            self.open[key] = current
        self.current = current
        current.items.append(item)
        current.evidence.extend(e for e in cues if e.cue not in {c.cue for c in current.evidence})
        if isinstance(exhaustive, Evidence):
            current.exhaustive = False
            current.evidence.append(exhaustive)
        elif not exhaustive:
            current.exhaustive = False
            current.evidence.append(Evidence("partial", line, "分项只是总量的一部分"))
        return item

    def split_item(self, parent: ItemDraft, dimension: Dimension, line: int) -> BreakdownDraft:
        """A new breakdown of ``parent``'s area (``2026年`` split into 存量/新增 by the rows of a table)."""
        found = tie(TieStrength.EXPLICIT, "table", line, f"表中“{parent.name}”一列的组成部分")
        draft = BreakdownDraft(dimension, parent.name, line, None, self._total_of_item(parent), tie=found)
        draft.from_table = True
        draft.parent_item = parent
        self.breakdowns.append(draft)
        return draft

    def subtotal(self, title: str, parcels: list, measure: Measure, line: int) -> None:
        """A 小计 row of a parcel table: a split of the subtotal into the parcels of its group."""
        total = TotalDraft(TotalKind.OTHER, f"{title}小计", measure, line)
        self.derived.append(total)
        found = tie(TieStrength.EXPLICIT, "小计", line, "小计")
        draft = BreakdownDraft(Dimension.OTHER, title, line, None, total, tie=found, from_table=True)
        draft.items.extend(ItemDraft(p.code or p.location or "地块", p.line, area=p.area) for p in parcels)
        draft.exhaustive = all(p.area is not None for p in parcels)
        draft.evidence.append(Evidence("table_sum", line, "小计行是其上各地块之和"))
        self.breakdowns.append(draft)

    def parcel_parts(self, parcel, line: int, cue: str) -> BreakdownDraft:
        """The split of a parcel's area into the sub-rows under it (``其中：A-01-1``, indented rows)."""
        total = TotalDraft(TotalKind.OTHER, f"{parcel.code or '地块'}面积", parcel.area, parcel.line)
        self.derived.append(total)
        strength = TieStrength.EXPLICIT if cue == "其中" else TieStrength.STRUCTURAL
        found = tie(strength, cue, line, parcel.text)
        draft = BreakdownDraft(Dimension.OTHER, parcel.code, line, None, total, tie=found, from_table=True)
        self.breakdowns.append(draft)
        return draft

    def _total_of_item(self, parent: ItemDraft, money: bool = False) -> TotalDraft | None:
        """An item as the total of its own parts: same figures, the kind of the total it belongs to."""
        measure = parent.money if money else parent.area
        if measure is None:
            return None
        whole = next((b.total for b in self.breakdowns if parent in b.items and b.total is not None), None)
        year = int(parent.name[:4]) if re.match(r"^20\d{2}年$", parent.name) else None
        kind = whole.kind if whole else (TotalKind.FUNDS if money else TotalKind.RESERVE)
        draft = TotalDraft(kind, parent.name, measure, parent.line, year, parent=parent)
        draft.count = parent.count
        self.derived.append(draft)
        return draft

    def find_item(self, name: str) -> ItemDraft | None:
        pools = ([self.current] if self.current else []) + list(reversed(self.breakdowns))
        for b in pools:
            for item in b.items:
                if item.name == name:
                    return item
        return None

    def _total_for(
        self,
        dimension: Dimension,
        line: int,
        section: str | None,
        money: bool,
        near: TotalDraft | None = None,
    ) -> tuple[TotalDraft | None, Tie | None]:
        """The total a new split belongs to, and how firmly the text ties it there."""
        if (dimension is Dimension.FUNDS_USE or money) and near is not None and near.kind is TotalKind.OTHER:
            # 实际支出2.85亿元，其中征收补偿…: the amount of the same sentence the parts follow
            return near, tie(TieStrength.EXPLICIT, "sentence", line, "与总量同句（其中）")
        if dimension is Dimension.FUNDS_USE or money:
            found = self._latest(lambda t: t.kind is TotalKind.FUNDS)
            if found is not None and near is found:
                return found, tie(TieStrength.EXPLICIT, "sentence", line, "与总量同句")
            return found, self._position_tie(found, line, section == "funds")
        if near is not None and near.kind is not TotalKind.FUNDS:
            # 结转…18.60公顷，其中已入库…: the total of the same sentence
            return near, tie(TieStrength.EXPLICIT, "sentence", line, "与总量同句（其中/包括）")
        same_line = self._latest(lambda t: t.line == line and t.kind in _WHOLE_KINDS)
        if same_line:
            return same_line, tie(TieStrength.ADJACENT, "adjacent", line, "紧接总量之后")
        kind = _SECTION_KIND.get(section or "")
        by_section = kind is not None
        if kind is None and self.doc.kind is PlanKind.SUPPLY:
            kind = TotalKind.SUPPLY
        if kind is not None:
            found = self._latest(lambda t: t.kind is kind)
            if found:
                if by_section:
                    return found, tie(TieStrength.STRUCTURAL, "section", line, "本节的总量")
                if section in ("structure", "layout") and kind is TotalKind.SUPPLY:
                    # a supply plan's 供应结构/供应布局 section splits its supply total, as 储备结构 the scale
                    return found, tie(
                        TieStrength.STRUCTURAL, SUPPLY_SECTION_CUE, line, "供应计划中本节分解供应总量"
                    )
                return found, self._position_tie(found, line, False)
        if dimension is Dimension.YEAR:
            found = self._latest(lambda t: t.kind is TotalKind.RESERVE and t.year is None)
            strength = TieStrength.STRUCTURAL if self.doc.kind is PlanKind.ROLLING_THREE_YEAR else None
            if found and strength:
                return found, tie(strength, "period", line, "滚动计划的分年度安排")
            return found, self._position_tie(found, line, False)
        found = self._latest(lambda t: t.kind is TotalKind.RESERVE)
        template = section in ("structure", "layout", "source", "scale") and self.doc.kind in (
            PlanKind.ANNUAL_RESERVE,
            PlanKind.ROLLING_THREE_YEAR,
        )
        return found, self._position_tie(found, line, template)

    def _position_tie(self, found: TotalDraft | None, line: int, template: bool) -> Tie | None:
        """A tie found by position only: a template section (储备结构 splits the scale) or words naming the
        total before the items (按季度安排储备规模：…) are structural, the next line after the total
        adjacent, anything else the default guess."""
        if found is None:
            return None
        if template:
            return tie(TieStrength.STRUCTURAL, "section", line, "计划编制模板中本节分解总规模")
        if self.named is not None and self.named is found.kind:
            return tie(
                TieStrength.STRUCTURAL,
                "named",
                line,
                "原文点明了分项所分解的总量（分项之前的说明或“占…总量”）",
            )
        distance = self.content.get(line, line) - self.content.get(found.line, found.line)
        if 0 <= distance <= 1 and not self._far_in_its_line(found, line):
            return tie(TieStrength.ADJACENT, "adjacent", line, "紧接总量之后")
        return tie(TieStrength.DEFAULT, "default", line, f"按位置取第{found.line}行的总量（原文未写明）")

    def _far_in_its_line(self, found: TotalDraft, line: int) -> bool:
        """On the total's own line (a whole article is often one line of a web page), only the next two
        sentences follow it closely; a list further on is tied by position no more than any guess."""
        here, there = self.sentence_at, found.at
        if here is None or there is None or line != found.line or here[:2] != there[:2]:
            return False
        return here[2] - there[2] > 2

    def of_year(self, total: TotalDraft, year: int | None) -> bool:
        """Whether a split of ``year`` (``None``: its names state none) may split ``total`` — a total stated
        without a year is of the plan's own year."""
        return year is None or total.year == year or (total.year is None and year == self.doc.year)

    def latest_of(self, kind: TotalKind, year: int | None) -> TotalDraft | None:
        """The latest total of ``kind`` that a split of ``year`` may split."""
        return next((t for t in reversed(self.totals) if t.kind is kind and self.of_year(t, year)), None)

    def _latest(self, accept) -> TotalDraft | None:
        """The latest total ``accept`` takes; for the parts of an area split, only one of their year (the
        plan's own when their names state none): a list of 2023 never splits the total of 2024."""
        for t in reversed(self.totals):
            if t.line < self.floor:
                return None  # before page furniture: another article's figures are none of its parts
            if accept(t) and (t.kind is TotalKind.FUNDS or self.rolling_years or self.of_year(t, self.year)):
                return t
        return None

    # -- the end ----------------------------------------------------------------------------
    def cut_at(self, line: int) -> None:
        """The text stops mid-sentence at ``line``: a split with items there may be missing the rest."""
        for b in self.breakdowns:
            if any(i.line == line for i in b.items):
                b.exhaustive = False
                b.evidence.append(Evidence("cut", line, "原文在此处中断，分项可能不全"))

    def finish(self) -> None:
        built = {id(t): _freeze_total(t) for t in self.totals + self.derived}
        self.doc.totals = [built[id(t)] for t in self.totals]
        self._stock_split()
        children: dict[int, list[BreakdownDraft]] = {}
        top: list[BreakdownDraft] = []
        items = {id(i) for b in self.breakdowns for i in b.items}
        for b in self.breakdowns:
            if not b.items:
                continue
            parent = b.parent_item or (b.total.parent if b.total is not None else None)
            if parent is not None and id(parent) in items:
                children.setdefault(id(parent), []).append(b)
            else:
                top.append(b)
        freezer = _Freezer(built, children)
        self.doc.breakdowns.extend(freezer.breakdown(b) for b in top)
        if self.list_total is not None:  # stated by the list itself: a total like the others
            self.doc.parcels_list_total = Total(TotalKind.OTHER, "地块清单合计", self.list_total)
            self.doc.totals.append(self.doc.parcels_list_total)
        self.doc.parcels_total = self._parcels_total(built)

    def _stock_split(self) -> None:
        """存量 and 新增 stated together split the total before them; so do 结转 and 新增 after a scale."""
        for stock in [t for t in self.totals if t.kind is TotalKind.STOCK]:
            new = self._next_to(stock, TotalKind.NEW, 1)
            if new is not None:
                parts = (
                    ItemDraft("存量土地", stock.line, stock.measure, share=stock.share, count=stock.count),
                    ItemDraft("新增土地", new.line, new.measure, share=new.share, count=new.count),
                )
                self._split(Dimension.STOCK, stock, parts, self._latest_before(stock))
        for carried in [t for t in self.totals if t.kind is TotalKind.CARRIED_OVER]:
            new = self._next_to(carried, TotalKind.NEW, 0)
            whole = self._latest_before(carried)
            if (
                new is not None
                and whole is not None
                and whole.kind is TotalKind.RESERVE
                and whole.line == carried.line
            ):
                parts = (
                    ItemDraft(
                        "上年度末结转",
                        carried.line,
                        carried.measure,
                        share=carried.share,
                        count=carried.count,
                    ),
                    ItemDraft("年度新增", new.line, new.measure, share=new.share, count=new.count),
                )
                self._split(Dimension.OTHER, carried, parts, whole, "上年度末结转与年度新增")

    def _next_to(self, part: TotalDraft, kind: TotalKind, distance: int) -> TotalDraft | None:
        return next((t for t in self.totals if t.kind is kind and abs(t.line - part.line) <= distance), None)

    def _split(self, dimension, first: TotalDraft, parts, whole: TotalDraft | None, title: str = "") -> None:
        if whole is not None and whole.line == first.line:
            found = tie(TieStrength.EXPLICIT, "sentence", first.line, "与总量同段")
        else:
            found = self._position_tie(whole, first.line, False)
        draft = BreakdownDraft(
            dimension, title or _DEFAULT_TITLES[dimension], first.line, None, whole, tie=found
        )
        draft.items.extend(parts)
        self.breakdowns.append(draft)

    def _latest_before(self, stock: TotalDraft) -> TotalDraft | None:
        index = self.totals.index(stock)
        for t in reversed(self.totals[:index]):
            if t.kind in (TotalKind.RESERVE, TotalKind.SUPPLY, TotalKind.CARRIED_OVER):
                return t
        return None

    def _parcels_total(self, built: dict[int, Total]) -> Total | None:
        if not self.doc.parcels:
            return None
        supply = self.parcel_sections.count("supply") * 2 > len(self.parcel_sections)
        kinds = (TotalKind.SUPPLY,) if supply or self.doc.kind is PlanKind.SUPPLY else (TotalKind.RESERVE,)
        for t in self.totals:
            if t.kind in kinds and t.year is None:
                return built[id(t)]
        listed = self._listed_after(TotalKind.SUPPLY) if kinds == (TotalKind.RESERVE,) else None
        return built[id(listed)] if listed is not None else self.doc.parcels_list_total

    def _listed_after(self, kind: TotalKind) -> TotalDraft | None:
        """``公开出让3宗…，总面积58.6亩，其中1号地块25.3亩，…；2号地块…``: a list of parcels that begins after
        其中 in the sentence of a total of ``kind`` (and stays on its line) is that total's list."""
        parcels = self.doc.parcels
        first = parcels[0].area.primary if parcels[0].area is not None else None
        if first is None or any(p.line != first.line for p in parcels):
            return None
        for t in self.totals:
            figure = t.measure.primary
            if t.kind is kind and t.year is None and figure.line == first.line and figure.text == first.text:
                at = figure.text.find(figure.value)
                if at >= 0 and "其中" in figure.text[at:]:
                    return t
        return None


def _exhaustive(b: BreakdownDraft) -> bool:
    """Whether a split claims to cover its whole: one part alone never does (``二、住宅用地`` as a
    section of its own is one use, not the whole structure)."""
    periods = {_period(i.name) for i in b.items}
    if periods == {"quarter"} or periods == {"half"}:  # 一季度…二季度… alone cover half the year
        return len({i.name.removeprefix("第") for i in b.items}) == (4 if periods == {"quarter"} else 2)
    return _stock_pair(b) or (b.exhaustive and len(b.items) > 1)


def _stock_pair(b: BreakdownDraft) -> bool:
    """存量 and 新增 both stated (``其中存量土地…，新增土地…``) split the whole, whatever the words."""
    return b.dimension is Dimension.STOCK and {i.name for i in b.items} == {"存量土地", "新增土地"}


def _freeze_total(t: TotalDraft) -> Total:
    """A total as read; an item's total takes the item's count even when it was read after the parts
    began (``…8367.72亩,62个地块。其中,…``)."""
    count = t.count if t.count is not None or t.parent is None else t.parent.count
    return Total(t.kind, t.label, t.measure, count, t.year)


class _Freezer:
    """Drafts → the frozen tree: each split with its items, each item with the splits of its parts."""

    def __init__(self, built: dict[int, Total], children: dict[int, list[BreakdownDraft]]) -> None:
        self.built = built
        self.children = children
        self.busy: set[int] = set()  # guards against an item that would become a part of itself

    def breakdown(self, b: BreakdownDraft) -> Breakdown:
        self.busy.add(id(b))
        total = self.built.get(id(b.total)) if b.total is not None else None
        items = tuple(self.item(i, b.dimension) for i in b.items)
        self.busy.discard(id(b))
        seen_all = b.seen_all or b.from_table
        evidence = tuple(b.evidence)
        stated = self.built.get(id(b.stated_sum)) if b.stated_sum is not None else None
        return Breakdown(
            b.dimension, b.title, b.line, items, total, _exhaustive(b), b.tie, evidence, stated, seen_all
        )

    def item(self, i: ItemDraft, dimension: Dimension) -> Item:
        land_use = land_use_of(i.name) if dimension is Dimension.USE else None
        parts = tuple(self.breakdown(c) for c in self.children.get(id(i), []) if id(c) not in self.busy)
        return Item(i.name, i.line, i.area, i.share, i.count, i.money, land_use, parts)


try:
    from landreserve.domain.landuse import match_land_use as _match_land_use
except ImportError:  # optional until the land-use table exists
    _match_land_use = None  # type: ignore[assignment]


def land_use_of(name: str) -> LandUseMatch | None:
    """The national land-use classes of ``name`` (``domain.landuse``), when that table is available."""
    return _match_land_use(name) if _match_land_use is not None else None


def is_sub_use(parent: str, child: str) -> bool:
    """Whether land use ``child`` is a narrower class of ``parent`` (商品住房用地 of 住宅用地)."""
    a, b = land_use_of(parent), land_use_of(child)
    if a is None or b is None or not a.gb2017 or not b.gb2017 or set(a.gb2017) == set(b.gb2017):
        return False
    return all(any(c.startswith(p) for p in a.gb2017) for c in b.gb2017)
