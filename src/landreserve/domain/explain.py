"""Why the auditor read a plan the way it did: each split with its tie, completeness, evidence and readings.

``explain(doc)`` gives Chinese lines for ``landreserve audit --explain`` (and the web page beside the
findings): a user sees why a figure was taken as a part of another, how firmly, and which other readings
the text allows — and can tell a wrong reading from a wrong figure.
"""

from __future__ import annotations

from .completeness import completeness
from .plans import Breakdown, Completeness, Dimension, Item, Measure, PlanDocument, TieStrength
from .readings import readings

DIMENSIONS = {
    Dimension.USE: "按用途",
    Dimension.ZONE: "按区域",
    Dimension.SOURCE: "按来源",
    Dimension.YEAR: "按年度",
    Dimension.STOCK: "存量与新增",
    Dimension.FUNDS_USE: "资金分项",
    Dimension.OTHER: "分项",
}
TIES = {
    TieStrength.EXPLICIT: "明确",
    TieStrength.STRUCTURAL: "结构",
    TieStrength.ADJACENT: "相邻",
    TieStrength.DEFAULT: "推测",
}
STATES = {Completeness.COMPLETE: "完整", Completeness.PARTIAL: "部分", Completeness.UNKNOWN: "未知"}


def _measure(m: Measure | None) -> str:
    if m is None:
        return "（未写明）"
    return "（".join(f"{f.value}{f.unit}" for f in m.figures[:1]) + "".join(
        f"（{f.value}{f.unit}）" for f in m.figures[1:]
    )


def _item(item: Item) -> str:
    parts = [f"第{item.line}行 {item.name} {_measure(item.area or item.money)}"]
    if item.share is not None:
        parts.append(f"占{item.share.value}%")
    if item.count is not None:
        parts.append(f"{item.count.value}宗")
    return "，".join(parts)


def explain(doc: PlanDocument) -> list[str]:
    """Chinese lines describing every split of ``doc`` (nested ones indented under their item)."""
    lines: list[str] = []
    for bd in doc.breakdowns:
        lines.extend(explain_split(bd, doc.period, 0))
    if not lines:
        lines.append("未读出任何分项结构。")
    return lines


def explain_split(bd: Breakdown, period: tuple[int, int] | None, depth: int) -> list[str]:
    pad = "    " * depth
    total = bd.total
    head = f"{pad}▸ 第{bd.line}行“{bd.title}”{DIMENSIONS[bd.dimension]}，{len(bd.items)}项"
    if total is not None:
        head += f"，分解第{total.measure.line}行“{total.label}”{_measure(total.measure)}"
    else:
        head += "，未找到所分解的总量"
    out = [head]
    if bd.tie is not None:
        tie = bd.tie
        out.append(f"{pad}  对应关系：{TIES[tie.strength]}（{tie.evidence.text}，第{tie.evidence.line}行）")
    state, evidence = completeness(bd, period)
    why = "；".join(f"{e.text}（第{e.line}行）" for e in evidence) or "原文未表明是否列全"
    out.append(f"{pad}  完整性：{STATES[state]}——{why}")
    if not bd.seen_all:
        out.append(f"{pad}  注意：分项所在的文字中还有未能归入的数量，合计或“其他”不能证明列全")
    if bd.stated_sum is not None:
        out.append(f"{pad}  文中合计：第{bd.stated_sum.measure.line}行 {_measure(bd.stated_sum.measure)}")
    for item in bd.items:
        out.append(f"{pad}  - {_item(item)}")
        for part in item.parts:
            out.extend(explain_split(part, period, depth + 1))
    if depth == 0:
        for r in readings(bd):
            out.append(f"{pad}  另一种读法：{r.assumption}")
    return out
