"""Rules on breakdowns (by use, zone, source, year, stock/new, funds): sums, shares, counts, land uses.

Codes: ``breakdown.sum_mismatch`` (error), ``breakdown.sum_rounding`` and ``breakdown.partial`` (warning),
``count.mismatch`` (error). Shares: see ``shares``; land-use labels: see ``land_uses``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from ..findings import Finding, Severity
from ..plans import (
    Breakdown,
    Dimension,
    Figure,
    Item,
    Measure,
    PlanDocument,
    Total,
    TotalKind,
)
from ..units import Quantity
from .measures import claim, counts_span, figure_claim, is_bound, measure_interval
from .messages import carrying, cited, difference, finding, lines_text, range_digits, range_values, written
from .sums import PartsSum, stated_text

DIMENSION_NAMES = {
    Dimension.USE: "各用途",
    Dimension.ZONE: "各区域",
    Dimension.SOURCE: "各来源",
    Dimension.YEAR: "各年度",
    Dimension.STOCK: "存量与新增",
    Dimension.FUNDS_USE: "各项资金",
    Dimension.OTHER: "各分项",
}

HUNDRED = Fraction(100)


def item_measure(item: Item, quantity: Quantity) -> Measure | None:
    for m in (item.area, item.money):
        if m is not None and m.primary.quantity is quantity:
            return m
    return None


def _parts(bd: Breakdown, quantity: Quantity) -> tuple[PartsSum, bool]:
    """The items' measures of ``quantity`` and whether every item has one."""
    measures = [item_measure(it, quantity) for it in bd.items]
    known = tuple(m for m in measures if m is not None)
    return PartsSum(known), len(known) == len(measures)


def _heading(bd: Breakdown, parts: PartsSum) -> str:
    title = f"“{bd.title}”" if bd.title else ""
    return f"{lines_text(parts.lines)}{title}{DIMENSION_NAMES[bd.dimension]}"


def _total_text(measure: Measure) -> str:
    figure = measure.primary
    if is_bound(measure):
        return cited(figure)
    return f"第{figure.line}行“{figure.label}”{stated_text(figure, measure_interval(measure))}"


def check_sums(doc: PlanDocument) -> list[Finding]:
    """Every breakdown's parts against its total (see ``check_sum``)."""
    return [f for bd in doc.breakdowns for f in check_sum(bd, doc.totals)]


def check_sum(bd: Breakdown, totals: Sequence[Total] = ()) -> list[Finding]:
    """A breakdown's parts against its total: exceeding, falling short, or differing only by rounding.

    When the parts disagree with a part of the scale (stock, new …) they are tied to but agree with the
    whole scale (in ``totals``), the text may have tied the split to the wrong total: a warning that
    says so, not an error.
    """
    if bd.total is None or not bd.items:
        return []
    total = bd.total.measure
    parts, complete = _parts(bd, total.primary.quantity)
    if not parts.measures:
        return []
    s, t = parts.span, claim(total)
    mismatch = None
    if s.lo > t.hi:
        mismatch = _sum_finding(bd, parts, total, "超过")
    elif s.hi < t.lo:
        if not (bd.exhaustive and complete):
            return [_partial_finding(bd, parts, total)]
        mismatch = _sum_finding(bd, parts, total, "达不到")
    if mismatch is not None:
        other = _matching_total(bd, parts, totals)
        return [_maybe_other_total(mismatch, other) if other else mismatch]
    if bd.exhaustive and complete and not is_bound(total) and not parts.rounds_to(total.primary):
        return [_rounding_finding(bd, parts, total)]
    return []


#: a split tied to one of these parts of the scale may belong to the whole (text like “其中存量…新增…。
#: 按用途分，住宅…” ties the uses to the last part named, though they split the whole)
_PART_TOTALS = frozenset({TotalKind.STOCK, TotalKind.NEW, TotalKind.CARRIED_OVER})
_WHOLE_TOTALS = frozenset({TotalKind.RESERVE, TotalKind.SUPPLY})


def _matching_total(bd: Breakdown, parts: PartsSum, totals: Sequence[Total]) -> Total | None:
    """The whole (reserve or supply scale) that a split tied to a part of it does add up to."""
    if bd.total is None or bd.total.kind not in _PART_TOTALS:
        return None
    quantity = bd.total.measure.primary.quantity
    for other in totals:
        same = other.kind in _WHOLE_TOTALS and other.year == bd.total.year
        if same and other.measure.primary.quantity is quantity and parts.span.overlaps(claim(other.measure)):
            return other
    return None


def _maybe_other_total(mismatch: Finding, other: Total) -> Finding:
    note = (
        f"但分项之和与{cited(other.measure.primary)}相符，可能是该总量的分项（原文归属不明确），"
        f"不能确证不一致，请核实分项对应的总量。"
    )
    values = {**mismatch.values, "matches": written(other.measure.primary)}
    lines = tuple(sorted({*mismatch.lines, other.measure.line}))
    message = mismatch.message.removesuffix("请核对分项或总量。")
    return Finding(mismatch.code, Severity.WARNING, message + note, lines, values)


def _gap(parts: PartsSum, figure: Figure) -> str:
    return difference(parts.in_unit(figure.unit), Decimal(figure.value), figure.unit)


def _sum_values(parts: PartsSum, total: Measure) -> dict[str, str]:
    figure = total.primary
    return {
        "stated": written(figure),
        "parts_sum": f"{parts.in_unit(figure.unit)}{figure.unit}",
        "difference": _gap(parts, figure),
        **range_values(parts.span, figure.unit, range_digits(figure)),
    }


def _sum_finding(bd: Breakdown, parts: PartsSum, total: Measure, how: str) -> Finding:
    figure = total.primary
    message = (
        f"{_heading(bd, parts)}之和{parts.text(figure.unit)}（按四舍五入为{parts.range_text(figure)}），"
        f"{how}{_total_text(total)}，相差{_gap(parts, figure)}，即使考虑四舍五入也不一致。请核对分项或总量。"
    )
    lines = (*parts.lines, figure.line)
    figures = carrying((*parts.figures, *total.figures))
    return finding("breakdown.sum_mismatch", message, lines, _sum_values(parts, total), figures=figures)


def _partial_finding(bd: Breakdown, parts: PartsSum, total: Measure) -> Finding:
    figure = total.primary
    covered = parts.in_unit(figure.unit)
    share = _percent(parts.base, Fraction(figure.base_value))
    message = (
        f"{_heading(bd, parts)}只列出了部分：合计{covered}{figure.unit}，占{cited(figure)}的约{share}%，"
        f"其余部分未列明。"
    )
    values = {**_sum_values(parts, total), "covered": f"{covered}{figure.unit}", "covered_share": f"{share}%"}
    return Finding("breakdown.partial", Severity.WARNING, message, _lines(parts, figure), values)


def _rounding_finding(bd: Breakdown, parts: PartsSum, total: Measure) -> Finding:
    figure = total.primary
    message = (
        f"{_heading(bd, parts)}之和{parts.text(figure.unit)}，与{cited(figure)}的写法不同；"
        f"但按四舍五入，分项之和可在{parts.range_text(figure)}之间，与总量相容，"
        f"差异可由四舍五入解释，不是错误。"
    )
    return Finding(
        "breakdown.sum_rounding", Severity.WARNING, message, _lines(parts, figure), _sum_values(parts, total)
    )


def _lines(parts: PartsSum, figure: Figure) -> tuple[int, ...]:
    return tuple(sorted({*parts.lines, figure.line}))


def _percent(part: Fraction, whole: Fraction) -> Decimal:
    if whole <= 0:
        return Decimal(0)
    value = part * 100 / whole
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def check_counts(bd: Breakdown) -> list[Finding]:
    """``count.mismatch``: the items' counts of parcels (宗) against the total's count."""
    counts = [it.count for it in bd.items if it.count is not None]
    total = bd.total.count if bd.total else None
    if total is None or not counts:
        return []
    stated, added = figure_claim(total), counts_span(counts)
    complete = bd.exhaustive and len(counts) == len(bd.items)
    if added.lo > stated.hi or (complete and not added.overlaps(stated)):
        added = sum(int(c.base_value) for c in counts)
        terms = "+".join(c.value for c in counts)
        message = (
            f"{lines_text(c.line for c in counts)}{DIMENSION_NAMES[bd.dimension]}宗数之和{terms}={added}宗，"
            f"与{cited(total)}不一致。请核对宗数。"
        )
        values = {"stated": written(total), "expected": f"{added}宗"}
        lines = (*(c.line for c in counts), total.line)
        return [finding("count.mismatch", message, lines, values, figures=(*counts, total))]
    return []
