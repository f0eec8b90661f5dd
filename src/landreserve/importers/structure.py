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
    Breakdown,
    Dimension,
    Figure,
    Item,
    LandUseMatch,
    Measure,
    PlanDocument,
    PlanKind,
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

    # -- totals ---------------------------------------------------------------------------
    def add_total(
        self, kind: TotalKind, label: str, measure: Measure, line: int, year: int | None
    ) -> TotalDraft:
        draft = TotalDraft(kind, label, measure, line, year)
        if self.waiting_count is not None and kind is not TotalKind.FUNDS:
            draft.count, self.waiting_count = self.waiting_count, None
        self.totals.append(draft)
        self.close_breakdown()
        return draft

    def sum_of_open_breakdown(self, measure: Measure, line: int) -> TotalDraft | None:
        """``…，合计30.00公顷``: the sum stated after the items becomes the open breakdown's total."""
        current = self.current
        if current is None or not current.items:
            return None
        default = TotalKind.FUNDS if current.money else TotalKind.RESERVE
        kind = current.total.kind if current.total is not None else default
        draft = TotalDraft(kind, f"{current.title}合计", measure, line)
        self.totals.append(draft)
        current.total = draft
        self.close_breakdown()
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
        exhaustive: bool,
        money: bool = False,
        near: TotalDraft | None = None,
        parent: ItemDraft | None = None,
    ) -> ItemDraft:
        """Add ``item`` to the open breakdown of ``dimension`` (money items and the parts of another
        item apart), or open one. ``near``: a total stated in the item's sentence; ``parent``: the item
        this one is a part of (``2026年…45.57公顷，其中住宅用地18.35公顷``)."""
        key = (dimension, section, money, id(parent) if parent is not None else None, _period(item.name))
        current = self.open.get(key)
        if current is None:
            title = (parent.name if parent else section_title) or _DEFAULT_TITLES[dimension]
            if parent is not None:
                total = self._total_of_item(parent)
            else:
                total = self._total_for(dimension, line, section, money, near)
            current = BreakdownDraft(dimension, title, line, section, total, money=money)
            self.breakdowns.append(current)
            self.open[key] = current
        self.current = current
        current.items.append(item)
        current.exhaustive = current.exhaustive and exhaustive
        return item

    def split_item(self, parent: ItemDraft, dimension: Dimension, line: int) -> BreakdownDraft:
        """A new breakdown of ``parent``'s area (``2026年`` split into 存量/新增 by the rows of a table)."""
        draft = BreakdownDraft(dimension, parent.name, line, None, self._total_of_item(parent))
        self.breakdowns.append(draft)
        return draft

    def subtotal(self, title: str, parcels: list, measure: Measure, line: int) -> None:
        """A 小计 row of a parcel table: a split of the subtotal into the parcels of its group."""
        total = TotalDraft(TotalKind.OTHER, f"{title}小计", measure, line)
        self.derived.append(total)
        draft = BreakdownDraft(Dimension.OTHER, title, line, None, total)
        draft.items.extend(ItemDraft(p.code or p.location or "地块", p.line, area=p.area) for p in parcels)
        draft.exhaustive = all(p.area is not None for p in parcels)
        self.breakdowns.append(draft)

    def _total_of_item(self, parent: ItemDraft) -> TotalDraft | None:
        """An item as the total of its own parts: same figures, the kind of the total it belongs to."""
        if parent.area is None:
            return None
        whole = next((b.total for b in self.breakdowns if parent in b.items and b.total is not None), None)
        year = int(parent.name[:4]) if re.match(r"^20\d{2}年$", parent.name) else None
        kind = whole.kind if whole else TotalKind.RESERVE
        draft = TotalDraft(kind, parent.name, parent.area, parent.line, year)
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
    ) -> TotalDraft | None:
        if dimension is Dimension.FUNDS_USE or money:
            return self._latest(lambda t: t.kind is TotalKind.FUNDS)
        if near is not None and near.kind is not TotalKind.FUNDS:
            return near  # 结转…18.60公顷，其中已入库…: the total of the same sentence
        same_line = self._latest(lambda t: t.line == line and t.kind in _WHOLE_KINDS)
        if same_line:
            return same_line
        kind = _SECTION_KIND.get(section or "")
        if kind is None and self.doc.kind is PlanKind.SUPPLY:
            kind = TotalKind.SUPPLY
        if kind is not None:
            found = self._latest(lambda t: t.kind is kind)
            if found:
                return found
        if dimension is Dimension.YEAR:
            return self._latest(lambda t: t.kind is TotalKind.RESERVE and t.year is None)
        return self._latest(lambda t: t.kind is TotalKind.RESERVE)

    def _latest(self, accept) -> TotalDraft | None:
        for t in reversed(self.totals):
            if accept(t):
                return t
        return None

    # -- the end ----------------------------------------------------------------------------
    def cut_at(self, line: int) -> None:
        """The text stops mid-sentence at ``line``: a split with items there may be missing the rest."""
        for b in self.breakdowns:
            if any(i.line == line for i in b.items):
                b.exhaustive = False

    def finish(self) -> None:
        built = {id(t): _freeze_total(t) for t in self.totals + self.derived}
        self.doc.totals = [built[id(t)] for t in self.totals]
        self._stock_split()
        for b in self.breakdowns:
            if b.items:
                total = built[id(b.total)] if b.total is not None else None
                items = tuple(_freeze_item(i, b.dimension) for i in b.items)
                self.doc.breakdowns.append(
                    Breakdown(b.dimension, b.title, b.line, items, total, _exhaustive(b))
                )
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
                    ItemDraft("存量土地", stock.line, stock.measure),
                    ItemDraft("新增土地", new.line, new.measure),
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
                    ItemDraft("上年度末结转", carried.line, carried.measure),
                    ItemDraft("年度新增", new.line, new.measure),
                )
                self._split(Dimension.OTHER, carried, parts, whole, "上年度末结转与年度新增")

    def _next_to(self, part: TotalDraft, kind: TotalKind, distance: int) -> TotalDraft | None:
        return next((t for t in self.totals if t.kind is kind and abs(t.line - part.line) <= distance), None)

    def _split(self, dimension, first: TotalDraft, parts, whole: TotalDraft | None, title: str = "") -> None:
        draft = BreakdownDraft(dimension, title or _DEFAULT_TITLES[dimension], first.line, None, whole)
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
        return self.doc.parcels_list_total


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
    return Total(t.kind, t.label, t.measure, t.count, t.year)


def _freeze_item(i: ItemDraft, dimension: Dimension) -> Item:
    land_use = land_use_of(i.name) if dimension is Dimension.USE else None
    return Item(i.name, i.line, i.area, i.share, i.count, i.money, land_use)


def land_use_of(name: str) -> LandUseMatch | None:
    """The national land-use classes of ``name`` (``domain.landuse``), when that table is available."""
    try:
        from landreserve.domain.landuse import match_land_use
    except ImportError:  # optional until the land-use table exists
        return None
    return match_land_use(name)


def is_sub_use(parent: str, child: str) -> bool:
    """Whether land use ``child`` is a narrower class of ``parent`` (商品住房用地 of 住宅用地)."""
    a, b = land_use_of(parent), land_use_of(child)
    if a is None or b is None or not a.gb2017 or not b.gb2017 or set(a.gb2017) == set(b.gb2017):
        return False
    return all(any(c.startswith(p) for p in a.gb2017) for c in b.gb2017)
