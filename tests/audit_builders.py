"""Small builders of PlanDocuments for auditor tests, and the Bachu plan built by hand from its text."""

from __future__ import annotations

from landreserve.domain.landuse import match_land_use
from landreserve.domain.plans import (
    Breakdown,
    Dimension,
    Evidence,
    Figure,
    Item,
    Measure,
    PlanDocument,
    PlanKind,
    PlanParcel,
    Total,
    TotalKind,
)
from landreserve.domain.units import quantity_of, to_base


def fig(value: str, unit: str, line: int, label: str = "", qualifier: str | None = None) -> Figure:
    """A figure as an importer would read it from line ``line``."""
    return Figure(
        label=label,
        value=value,
        unit=unit,
        quantity=quantity_of(unit),
        base_value=to_base(value, unit),
        line=line,
        text=f"{label}{value}{unit}",
        qualifier=qualifier,
    )


def measure(
    value: str, unit: str, line: int, *others: tuple[str, str], label: str = "", qualifier=None
) -> Measure:
    """``measure("47.58", "公顷", 16, ("713.63", "亩"))`` — one quantity in one or more units."""
    first = fig(value, unit, line, label, qualifier)
    rest = tuple(fig(v, u, line, label, qualifier) for v, u in others)
    return Measure((first, *rest))


def total(
    kind: TotalKind,
    value: str,
    unit: str,
    line: int,
    *others: tuple[str, str],
    label: str = "计划储备土地",
    count: str | None = None,
    qualifier: str | None = None,
    year: int | None = None,
) -> Total:
    m = measure(value, unit, line, *others, label=label, qualifier=qualifier)
    counted = fig(count, "宗", line, label) if count is not None else None
    return Total(kind=kind, label=label, measure=m, count=counted, year=year)


def item(
    name: str,
    line: int,
    area: tuple[str, ...] | None = None,
    share: str | None = None,
    count: str | None = None,
    money: tuple[str, str] | None = None,
    qualifier: str | None = None,
) -> Item:
    """A breakdown item: ``item("商服用地", 18, ("7.92", "公顷"), share="16.65")``; ``area`` may add units."""
    return Item(
        name=name,
        line=line,
        area=_measure(area, line, name, qualifier),
        share=fig(share, "%", line, name) if share is not None else None,
        count=fig(count, "宗", line, name) if count is not None else None,
        money=measure(*money, line, label=name) if money else None,
        land_use=match_land_use(name),
    )


def _measure(spec: tuple[str, ...] | None, line: int, label: str, qualifier: str | None) -> Measure | None:
    """``("10.00", "公顷")`` or ``("10.00", "公顷", "150.00", "亩")`` → a measure on ``line``."""
    if not spec:
        return None
    pairs = [(spec[i], spec[i + 1]) for i in range(2, len(spec), 2)]
    return measure(spec[0], spec[1], line, *pairs, label=label, qualifier=qualifier)


def breakdown(
    dimension: Dimension, line: int, items, of: Total | None, exhaustive: bool = True, title: str = ""
) -> Breakdown:
    """A split of ``of``; ``exhaustive``: the text proves it complete (as a 合计 of the items would),
    else it is presented as a part (主要…等)."""
    cue = Evidence("合计", line, "合计") if exhaustive else Evidence("partial", line, "主要")
    return Breakdown(dimension, title, line, tuple(items), of, exhaustive, evidence=(cue,))


def parcel(
    code: str, line: int, location: str | None, value: str | None, unit: str = "公顷", **kw
) -> PlanParcel:
    area = measure(value, unit, line, label="面积") if value is not None else None
    normal = code.replace("－", "-")
    return PlanParcel(
        code=normal, code_as_written=code, line=line, text="", location=location, area=area, **kw
    )


def plan(**kw) -> PlanDocument:
    kw.setdefault("source", "test.txt")
    return PlanDocument(**kw)


BACHU_PARCELS = [
    ("BC－CB2026001", "巴楚县工业园区体育路北侧、锦业路东侧", "4.0254"),
    ("BC－CB2026002", "巴楚县迎宾南路东侧、文化路北侧", "1.0685"),
    ("BC－CB2026003", "巴楚县友谊南路东侧、城南路北侧", "2.2085"),
    ("BC－CB2026004", "巴楚县友谊南路东侧、城南路北侧", "2.7330"),
    ("BC－CB2026005", "巴楚县友谊北路东侧、城北路北侧", "1.2548"),
    ("BC－CB2026006", "巴楚县教育大道南侧、友谊路东侧", "9.1896"),
    ("BC－CB2026007", "巴楚县胜利路西侧、教育大道南侧", "9.8530"),
    ("BC－CB2026008", "巴楚县教育大道北侧、胜利路西侧", "7.0454"),
    ("BC－CB2026009", "巴楚县迎宾南路西侧、幸福路南侧", "2.6466"),
    ("BC－CB2026010", "巴楚县人民东路南侧、玉泉路西侧", "0.5414"),
    ("BC－CB2026011", "巴楚县人民东路南侧、玉泉路西侧", "0.3369"),
    ("BC2025CB011", "巴楚县迎宾南路西侧、幸福路南侧", "2.6466"),
    ("BC2025CB001", "巴楚县工业园区体育路北侧、锦业路东侧", "4.0254"),
]


def bachu() -> PlanDocument:
    """The Bachu 2026 plan (data/plans/bachu-2026.txt) as the importer should read it."""
    reserve = total(TotalKind.RESERVE, "47.58", "公顷", 16, ("713.63", "亩"))
    stock = total(TotalKind.STOCK, "39.52", "公顷", 16, ("592.80", "亩"), label="存量土地")
    funds = total(TotalKind.FUNDS, "0.75", "亿元", 37, label="资金总量")
    uses = breakdown(
        Dimension.USE,
        18,
        [
            item("工矿仓储及物流用地", 18, ("8.05", "公顷"), share="16.92"),
            item("商服用地", 18, ("7.92", "公顷"), share="16.65"),
            item("住宅用地", 18, ("31.61", "公顷"), share="66.43"),
        ],
        reserve,
        title="年度土地储备结构",
    )
    zones = breakdown(
        Dimension.ZONE,
        19,
        [item("巴楚镇", 20, ("39.52", "公顷")), item("工业园区", 21, ("8.05", "公顷"))],
        reserve,
        title="储备地块空间布局",
    )
    parcels = [
        parcel(code, 23 + i, location, area, serial=i + 1)
        for i, (code, location, area) in enumerate(BACHU_PARCELS)
    ]
    return plan(
        source="bachu-2026.txt",
        title="巴楚县2026年土地储备计划",
        jurisdiction="巴楚县",
        year=2026,
        kind=PlanKind.ANNUAL_RESERVE,
        figures=[f for t in (reserve, stock, funds) for f in t.measure.figures],
        totals=[reserve, stock, funds],
        breakdowns=[uses, zones],
        parcels=parcels,
        parcels_total=reserve,
        line_count=48,
    )
