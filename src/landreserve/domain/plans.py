"""A plan document as read from its text: figures with provenance, structure, parcels.

This is the contract between the importers (which build it from text) and the auditor (which
checks it). Everything here is pure data: no I/O.

Structure of an annual plan (see docs: domain):
- ``totals``: the headline quantities — reserve scale, stock land, new land, supply, funds;
- ``breakdowns``: splits of one total by land use, zone, source, year, …, each item with its area,
  share and count;
- ``parcels``: the parcel list (地块清单), with the total it should add up to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .findings import Finding
from .units import Interval, Quantity, interval

#: qualifiers that make a figure approximate (compare loosely) or a bound
APPROXIMATE_QUALIFIERS = frozenset({"约", "左右", "大约", "近", "逾", "余", "多"})
UPPER_BOUND_QUALIFIERS = frozenset({"以内", "不超过", "以下", "控制在", "最多"})
LOWER_BOUND_QUALIFIERS = frozenset({"以上", "不少于", "不低于", "至少", "超过"})


class PlanKind(StrEnum):
    ANNUAL_RESERVE = "annual_reserve"  # 年度土地储备计划
    ROLLING_THREE_YEAR = "rolling_three_year"  # 三年滚动计划
    SUPPLY = "supply"  # 国有建设用地供应计划
    OTHER = "other"


class TotalKind(StrEnum):
    RESERVE = "reserve"  # 储备规模 (total to be reserved)
    STOCK = "stock"  # 存量土地
    NEW = "new"  # 新增土地
    CARRIED_OVER = "carried_over"  # 上年度末结转
    SUPPLY = "supply"  # 供应规模
    DEVELOPMENT = "development"  # 前期开发
    CUSTODY = "custody"  # 临时管护
    FUNDS = "funds"  # 资金总量 / 资金需求
    OTHER = "other"


class Dimension(StrEnum):
    USE = "use"  # 按用途 (储备结构)
    ZONE = "zone"  # 按区域 (空间布局)
    SOURCE = "source"  # 按来源 (收回/收购/征收…)
    YEAR = "year"  # 按年度 (滚动计划)
    STOCK = "stock"  # 存量/新增
    FUNDS_USE = "funds_use"  # 资金用途 / 来源
    OTHER = "other"


@dataclass(frozen=True)
class Figure:
    """One quantity stated in the document, with its provenance.

    ``value`` is the number as written but with ASCII digits (``"47.58"``); ``base_value`` is in ㎡,
    元, % or count; ``line`` is 1-based in the source; ``text`` is the sentence it came from.
    """

    label: str
    value: str
    unit: str
    quantity: Quantity
    base_value: Decimal
    line: int
    text: str
    qualifier: str | None = None

    @property
    def interval(self) -> Interval:
        """Base-unit values this figure can stand for, given how it was rounded."""
        return interval(self.value, self.unit)

    @property
    def approximate(self) -> bool:
        return self.qualifier in APPROXIMATE_QUALIFIERS

    @property
    def bound(self) -> str | None:
        """``"upper"`` for 以内/不超过, ``"lower"`` for 以上/不少于, else ``None``."""
        if self.qualifier in UPPER_BOUND_QUALIFIERS:
            return "upper"
        if self.qualifier in LOWER_BOUND_QUALIFIERS:
            return "lower"
        return None

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "quantity": self.quantity.value,
            "base_value": str(self.base_value),
            "qualifier": self.qualifier,
            "line": self.line,
            "text": self.text,
        }


@dataclass(frozen=True)
class Measure:
    """One quantity stated once, possibly in several units: ``47.58公顷（713.63亩）``."""

    figures: tuple[Figure, ...]

    @property
    def primary(self) -> Figure:
        return self.figures[0]

    @property
    def line(self) -> int:
        return self.primary.line


@dataclass(frozen=True)
class LandUseMatch:
    """A plan's land-use name mapped to the national classifications.

    ``gb2017`` holds GB/T 21010-2017 codes, ``gb2023`` codes of the 2023 用地用海分类; a name that can
    mean several classes is ``ambiguous`` and ``note`` says why (Chinese).
    """

    name: str
    gb2017: tuple[str, ...] = ()
    gb2023: tuple[str, ...] = ()
    ambiguous: bool = False
    note: str = ""

    @property
    def known(self) -> bool:
        return bool(self.gb2017 or self.gb2023)


@dataclass(frozen=True)
class Total:
    """A headline quantity: the reserve scale, stock land, supply, funds …"""

    kind: TotalKind
    label: str
    measure: Measure
    count: Figure | None = None  # 宗数 stated with it
    year: int | None = None


class TieStrength(StrEnum):
    """How firmly the text ties a split to the total it splits (strongest first).

    ``explicit``: the same sentence, a 其中/含/包括 after the total, a 合计 of the items, a named
    parent (住宅用地中…), a table's 其中 row; ``structural``: a template section (储备结构 splits the
    储备规模), list depth, indentation; ``adjacent``: the sentence right after the total; ``default``: no
    cue at all, the latest total before was taken. A finding resting on a default tie is only a warning.
    """

    EXPLICIT = "explicit"
    STRUCTURAL = "structural"
    ADJACENT = "adjacent"
    DEFAULT = "default"


#: the cue of a split a supply plan's section ties to its supply total (供应结构, 供应布局): the section only
SUPPLY_SECTION_CUE = "supply_section"

#: order of strength (higher is firmer)
TIE_RANK = {
    TieStrength.DEFAULT: 0,
    TieStrength.ADJACENT: 1,
    TieStrength.STRUCTURAL: 2,
    TieStrength.EXPLICIT: 3,
}


class Completeness(StrEnum):
    """Whether a split lists every part of its total: proven complete, proven partial, or unknown."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Evidence:
    """A cue of the text (or of the figures) behind a relation: ``cue`` is a stable code (``其中``,
    ``合计``, ``section``, ``shares``, ``counts``, ``period`` …), ``text`` says it in Chinese."""

    cue: str
    line: int
    text: str = ""


@dataclass(frozen=True)
class Tie:
    """Why a split is taken as the split of its total, and how firmly."""

    strength: TieStrength
    evidence: Evidence


@dataclass(frozen=True)
class Item:
    """One part of a breakdown: a land use, a zone, a source, a year — with its own parts, if any.

    ``parts`` are the splits of this item (住宅用地 into 商品住房/保障性住房; 2026年 into uses): the
    model is a tree, and the auditor checks every level against the level above.
    """

    name: str
    line: int
    area: Measure | None = None
    share: Figure | None = None
    count: Figure | None = None
    money: Measure | None = None
    land_use: LandUseMatch | None = None
    parts: tuple[Breakdown, ...] = ()


@dataclass(frozen=True)
class Breakdown:
    """A split of ``total`` into ``items`` along one dimension.

    ``tie`` says why the items are parts of ``total``; ``evidence`` holds the text's cues about
    completeness (a 合计 of the items, 主要/等 for a partial list …; the figures' own evidence — shares,
    counts, the plan period — is derived by ``domain.completeness``); ``stated_sum`` is the 合计 the text
    states for the items themselves; ``seen_all`` is False when the text lists an amount among the items
    that the reader could not place, so the items read may not be all the text lists.
    """

    dimension: Dimension
    title: str
    line: int
    items: tuple[Item, ...]
    total: Total | None = None
    #: False when the text presents the items as only part of the total (主要/部分/…等)
    exhaustive: bool = True
    tie: Tie | None = None
    evidence: tuple[Evidence, ...] = ()
    stated_sum: Total | None = None
    seen_all: bool = True

    @property
    def tie_strength(self) -> TieStrength:
        """The tie's strength; a split built without one (by hand, in tests) counts as structural."""
        return self.tie.strength if self.tie is not None else TieStrength.STRUCTURAL

    def walk(self) -> Iterator[Breakdown]:
        """This split and every split below it (its items' parts, depth first)."""
        yield self
        for item in self.items:
            for part in item.parts:
                yield from part.walk()


@dataclass(frozen=True)
class Completion:
    """A stated rate of completion: ``…已消化23.4968公顷，…任务完成率102%`` against ``任务量为23.08公顷``.

    ``done`` is what was achieved, ``planned`` the plan or task it is measured against, ``rate`` the stated
    percentage (done ÷ planned)."""

    done: Figure
    planned: Figure
    rate: Figure


@dataclass(frozen=True)
class UnitPrice:
    """A stated price per area: ``面积307.5亩,交易起价98393.6万元,…,单价320万元/亩``.

    ``rate`` is the money per ``per`` (亩 or 公顷); ``amounts`` and ``areas`` are the exact amounts and
    areas stated before it in its clause run (since the sentence's previous rate). The text does not say
    which amount over which area the rate is, so it must agree with at least one pair."""

    rate: Figure
    per: str
    amounts: tuple[Figure, ...]
    areas: tuple[Figure, ...]


@dataclass(frozen=True)
class Change:
    """A change against another year stated in the text: ``1237公顷，比上年增加386公顷，增长31.2%``.

    ``subject`` is this year's figure; ``previous`` the other year's when the text states it; ``delta``
    the stated difference and ``rate`` the stated percentage (either may be missing); ``direction`` is
    +1 for 增加/增长, −1 for 减少/下降.
    """

    subject: Figure
    direction: int
    line: int
    previous: Figure | None = None
    delta: Figure | None = None
    rate: Figure | None = None


@dataclass(frozen=True)
class PlanParcel:
    """One row of the parcel list. ``code`` is normalised (full-width ``－`` → ``-``, no spaces)."""

    code: str
    code_as_written: str
    line: int
    text: str
    location: str | None = None
    area: Measure | None = None
    use: str | None = None
    land_use: LandUseMatch | None = None
    carried_over: bool = False
    serial: int | None = None

    @property
    def area_m2(self) -> Decimal | None:
        return self.area.primary.base_value if self.area else None

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "location": self.location,
            "area_m2": None if self.area_m2 is None else str(self.area_m2),
            "use": self.use,
            "line": self.line,
            "carried_over": self.carried_over,
        }


@dataclass(frozen=True)
class Section:
    """A heading of the document (``一、`` ``（一）`` ``1.`` ``（2）`` ``①`` …)."""

    number: str
    level: int
    title: str
    line: int
    template_key: str | None = None  # e.g. "scale", "structure", "layout", "parcels", "funds"


@dataclass
class PlanDocument:
    """A plan document as read: metadata, every figure, structure, parcels, reading problems."""

    source: str
    title: str | None = None
    jurisdiction: str | None = None
    year: int | None = None
    kind: PlanKind = PlanKind.OTHER
    doc_number: str | None = None
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    parcels: list[PlanParcel] = field(default_factory=list)
    #: the total the parcel list should add up to (usually the reserve scale)
    parcels_total: Total | None = None
    #: the sum the parcel list states for itself (its 合计 row), when it states one
    parcels_list_total: Total | None = None
    #: problems met while reading (malformed numbers, units without digits, truncation …)
    problems: list[Finding] = field(default_factory=list)
    #: changes against another year stated in the text (比上年增长…)
    changes: list[Change] = field(default_factory=list)
    #: stated completion rates (完成率…%) with what was done and the plan they are measured against
    completions: list[Completion] = field(default_factory=list)
    #: stated prices per area (单价…万元/亩) with the amounts and areas of their sentence
    unit_prices: list[UnitPrice] = field(default_factory=list)
    #: other quantities written in two units (``比去年减少了626公顷(9390亩)``): their units must agree too
    measures: list[Measure] = field(default_factory=list)
    line_count: int = 0
    #: SHA-256 of the normalised text lines: the same document as UTF-8, GBK or .docx hashes the same
    content_sha256: str | None = None
    #: the years the plan covers (2026, 2026) or (2026, 2028) for a three-year rolling plan
    period: tuple[int, int] | None = None

    def all_breakdowns(self) -> Iterator[Breakdown]:
        """Every split of the document, the nested ones (an item's parts) included."""
        for bd in self.breakdowns:
            yield from bd.walk()

    def total(self, kind: TotalKind, year: int | None = None) -> Total | None:
        """The first total of ``kind`` (and ``year`` when given)."""
        for t in self.totals:
            if t.kind is kind and (year is None or t.year == year):
                return t
        return None

    def document_dict(self) -> dict:
        return {
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "year": self.year,
            "kind": self.kind.value,
            "doc_number": self.doc_number,
        }
