"""Rules on breakdowns (by use, zone, source, year, stock/new, funds): sums, counts — at every level.

A split is checked level by level: its items against its total (and against the 合计 it states for
itself), then each item's own parts against the item. Parts exceeding their total are inconsistent; parts
falling short only when the split is proven complete (``domain.completeness``). A finding resting on a
default tie (no cue ties the split to the total) is only a warning (``breakdown.tie_uncertain``). Where
the text admits other structures (``domain.readings``), an error needs every reading to be inconsistent;
when one reading agrees, the finding is the warning ``structure.ambiguous`` naming its assumption.

Codes: ``breakdown.sum_mismatch`` (error), ``breakdown.sum_rounding``, ``breakdown.partial``,
``breakdown.tie_uncertain``, ``structure.ambiguous`` (warnings), ``count.mismatch`` (error). Shares: see
``shares``; land-use labels: see ``land_uses``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from ..completeness import areas_cover, completeness, is_complete
from ..findings import Finding, Severity
from ..plans import (
    Breakdown,
    Completeness,
    Dimension,
    Figure,
    Item,
    Measure,
    PlanDocument,
    TieStrength,
    Total,
    TotalKind,
)
from ..readings import readings
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
    """Every split of the document, at every level, under every reading (see ``check_split``)."""
    return [f for bd in doc.breakdowns for f in check_split(bd, doc.totals, doc.period)]


def check_split(
    bd: Breakdown, totals: Sequence[Total] = (), period: tuple[int, int] | None = None
) -> list[Finding]:
    """A split and the splits below it, under every admissible reading (``domain.readings``).

    When one reading is consistent, the errors of the reading as read become ``structure.ambiguous``
    naming it. When every reading is inconsistent the split is inconsistent: the errors that every
    reading shares stand as read (the others, which some reading avoids, become warnings); when the
    readings share none, the errors of the reading with the fewest stand, with its assumption named.
    """
    found = check_tree(bd, totals, period)
    if not _errors_in(found):
        return found
    others = [(r, check_tree(r.breakdown, totals, period)) for r in readings(bd)]
    for r, other in others:
        if not _errors_in(other):
            return [_ambiguous_finding([f], r.assumption) if _is_error(f) else f for f in found]
    common = [f for f in found if _is_error(f) and all(_has(o, f) for _r, o in others)]
    if common or not others:
        avoided_by = {
            id(f): next(r for r, o in others if not _has(o, f))
            for f in found
            if _is_error(f) and f not in common
        }
        return [
            _ambiguous_finding([f], avoided_by[id(f)].assumption) if id(f) in avoided_by else f for f in found
        ]
    reading, best = min(others, key=lambda ro: _errors_in(ro[1]))
    if _errors_in(best) >= _errors_in(found):
        return found
    return [_assuming(f, reading.assumption) if _is_error(f) else f for f in best]


def _is_error(f: Finding) -> bool:
    return f.severity is Severity.ERROR


def _errors_in(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.severity is Severity.ERROR)


def _assuming(f: Finding, assumption: str) -> Finding:
    note = f"（按原文最可能的读法：{assumption}；原文的任何读法下各数都不一致。）"
    return Finding(f.code, f.severity, f.message + note, f.lines, {**f.values, "assumption": assumption})


def _has(findings: list[Finding], error: Finding) -> bool:
    """Whether ``findings`` hold the same error: the same check failing on the same stated figure."""
    key = (error.code, error.values.get("stated"))
    return any(f.severity is Severity.ERROR and (f.code, f.values.get("stated")) == key for f in findings)


def check_tree(
    bd: Breakdown,
    totals: Sequence[Total] = (),
    period: tuple[int, int] | None = None,
    above: tuple[Measure, ...] = (),
) -> list[Finding]:
    """The findings of ``bd``'s own level and of every level below it (as read); ``above`` are the totals
    of the levels above (a sub-item's share may be stated of the whole, as a table's 占比 column is)."""
    found = check_level(bd, totals, period, above)
    here = (*above, bd.total.measure) if bd.total is not None else above
    for item in bd.items:
        for part in item.parts:
            found.extend(check_tree(part, totals, period, here))
    return found


def check_level(
    bd: Breakdown,
    totals: Sequence[Total] = (),
    period: tuple[int, int] | None = None,
    above: tuple[Measure, ...] = (),
) -> list[Finding]:
    """The items of one level against their total, their stated 合计, and their counts and shares."""
    from .shares import check_share_sum, check_shares  # shares builds on this module's helpers

    found = [
        *_merged(check_sum(bd, totals, period), check_stated_sum(bd)),
        *check_counts(bd, period),
        *check_shares(bd, period, above),
        *check_share_sum(bd, period),
    ]
    if _tie_uncertain(bd) or _contested(bd, totals) or _rivalled(bd, totals) or _not_construction_land(bd):
        found = [
            _uncertain_tie(f, bd) if f.code in _TIED_CODES and f.severity is Severity.ERROR else f
            for f in found
        ]
    return found


def _merged(against_total: list[Finding], against_sum: list[Finding]) -> list[Finding]:
    """The items against their total and against their stated 合计: one finding when both disagree."""
    mismatch = [f for f in against_total if f.code == "breakdown.sum_mismatch"]
    also = [f for f in against_sum if f.code == "breakdown.sum_mismatch"]
    if not (mismatch and also):
        return [*against_total, *against_sum]
    first, other = mismatch[0], also[0]
    note = f"文中的合计{other.values.get('stated', '')}也与分项之和不符。"
    merged = Finding(
        first.code,
        first.severity,
        first.message.removesuffix("请核对分项或总量。") + note + "请核对分项或总量。",
        tuple(sorted({*first.lines, *other.lines})),
        {**first.values, "stated_sum": other.values.get("stated", "")},
    )
    return [merged if f is first else f for f in against_total] + [f for f in against_sum if f is not other]


#: splits whose items name members by their own words: land uses, zones, sources, years, stock and new
_LEXICAL = frozenset({Dimension.USE, Dimension.ZONE, Dimension.SOURCE, Dimension.YEAR, Dimension.STOCK})


def _tie_uncertain(bd: Breakdown) -> bool:
    """A tie that cannot carry an error: the default guess, or mere adjacency (the sentence after the
    total) for items that are no land uses, zones, sources or years by their names."""
    strength = bd.tie_strength
    return strength is TieStrength.DEFAULT or (
        strength is TieStrength.ADJACENT and bd.dimension not in _LEXICAL
    )


#: land of the survey that is no construction land: never a part of a supply of 国有建设用地
_NON_CONSTRUCTION = re.compile(r"^(?:耕地|园地|林地|草地|湿地|农用地|未利用地|其他土地)")


def _not_construction_land(bd: Breakdown) -> bool:
    """Farmland, forest or grassland listed after a supply total: the supply is of construction land,
    so those classes (a survey's figures, 全国共有耕地…、园地…) are no parts of it, whatever their position."""
    if bd.total is None or bd.total.kind is not TotalKind.SUPPLY or bd.tie_strength is TieStrength.EXPLICIT:
        return False
    return any(_NON_CONSTRUCTION.match(it.name) for it in bd.items)


def _contested(bd: Breakdown, totals: Sequence[Total]) -> bool:
    """A split tied only by position (or by the words before it) to a total that an earlier statement of
    the same total contradicts: that figure is likely no total at all (``城镇住宅用地是主力。计划供应591.17公顷``
    after ``计划供地总量为1377.26公顷``), so the split cannot prove an error against it."""
    total = bd.total
    if total is None or bd.tie_strength not in (TieStrength.ADJACENT, TieStrength.STRUCTURAL):
        return False
    line = total.measure.primary.line
    for other in totals:
        if other is total or other.kind is not total.kind or other.year != total.year:
            continue
        if other.measure.primary.quantity is not total.measure.primary.quantity:
            continue
        if other.measure.primary.line < line and not claim(other.measure).overlaps(claim(total.measure)):
            return True
    return False


def _rivalled(bd: Breakdown, totals: Sequence[Total]) -> bool:
    """A split tied to its total by mere adjacency while another total (of another kind or year) stands
    as near to it: ``计划收储300亩，计划供应260亩。城北片区180亩，城南片区120亩`` — position alone cannot
    tell which of the two the parts split, so no error can rest on either."""
    total = bd.total
    if total is None or bd.tie_strength is not TieStrength.ADJACENT or not bd.items:
        return False
    quantity = total.measure.primary.quantity
    tied_line = total.measure.primary.line
    first = min(it.line for it in bd.items)
    low, high = min(tied_line, first) - 1, max(tied_line, first)
    for other in totals:
        if other is total or other.kind is TotalKind.OTHER or other.measure.primary.quantity is not quantity:
            continue  # (a figure of another kind — done, in store, a comparison — splits no plan list)
        if other.kind is total.kind and other.year == total.year:
            continue  # the same total stated again (see ``_contested``)
        if other.year != total.year and bd.tie is not None and bd.tie.evidence.cue == "year":
            continue  # the parts name their year: a total of another year is none of theirs
        if low <= other.measure.primary.line <= high:
            return True
    return False


#: findings that compare the items with the total they are tied to (not with each other)
_TIED_CODES = frozenset({"breakdown.sum_mismatch", "share.mismatch", "count.mismatch"})


def _uncertain_tie(f: Finding, bd: Breakdown) -> Finding:
    total = bd.total.measure.primary if bd.total is not None else None
    where = f"与{cited(total)}" if total is not None else ""
    note = (
        f"但原文并未写明这些分项属于该总量（只是按位置推断{where}对应），不能确证不一致；"
        f"请核实分项对应的总量。"
    )
    message = f.message.removesuffix("请核对分项或总量。").removesuffix("请核对宗数。")
    values = {**f.values, "would_be": f.code}
    return Finding("breakdown.tie_uncertain", Severity.WARNING, message + note, f.lines, values)


def _ambiguous_finding(errors: list[Finding], assumption: str) -> Finding:
    lines = tuple(sorted({n for f in errors for n in f.lines}))
    first = errors[0].message.removesuffix("请核对分项或总量。")
    message = (
        f"{first}但原文的结构可有另一种读法：若{assumption}，则各数相符。原文未写明包含关系，"
        f"不能确证不一致；请核实分项之间的关系。"
    )
    values = {"assumption": assumption, "would_be": ",".join(sorted({f.code for f in errors}))}
    return Finding("structure.ambiguous", Severity.WARNING, message, lines, values)


def check_sum(
    bd: Breakdown, totals: Sequence[Total] = (), period: tuple[int, int] | None = None
) -> list[Finding]:
    """A breakdown's parts against its total: exceeding, falling short, or differing only by rounding.

    Falling short is an error only when the split is proven complete. When the parts disagree with a
    part of the scale (stock, new …) they are tied to but agree with the whole scale (in ``totals``),
    the text may have tied the split to the wrong total: a warning that says so, not an error.
    """
    if bd.total is None or not bd.items:
        return []
    return _against(bd, bd.total.measure, totals, is_complete(bd, period))


def check_stated_sum(bd: Breakdown) -> list[Finding]:
    """The items against the 合计 the text states for them (when it is not already their total)."""
    if bd.stated_sum is None or not bd.items:
        return []
    if bd.total is not None and bd.total.measure is bd.stated_sum.measure:
        return []
    return _against(bd, bd.stated_sum.measure, (), bd.seen_all)


def _against(bd: Breakdown, total: Measure, totals: Sequence[Total], complete: bool) -> list[Finding]:
    parts, all_known = _parts(bd, total.primary.quantity)
    if not parts.measures:
        return []
    s, t = parts.span, claim(total)
    mismatch = None
    if s.lo > t.hi:
        mismatch = _sum_finding(bd, parts, total, "超过")
    elif s.hi < t.lo:
        if not (complete and all_known):
            return [_partial_finding(bd, parts, total)]
        mismatch = _sum_finding(bd, parts, total, "达不到")
    if mismatch is not None:
        other = _matching_total(bd, parts, totals)
        return [_maybe_other_total(mismatch, other) if other else mismatch]
    if complete and all_known and not is_bound(total) and not parts.rounds_to(total.primary):
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


def check_counts(bd: Breakdown, period: tuple[int, int] | None = None) -> list[Finding]:
    """``count.mismatch``: the items' counts of parcels (宗) against the total's count; falling short only
    when something other than the counts proves the split complete."""
    counts = [it.count for it in bd.items if it.count is not None]
    total = bd.total.count if bd.total else None
    if total is None and bd.stated_sum is not None:
        total = bd.stated_sum.count
    if total is None or not counts:
        return []
    stated, added = figure_claim(total), counts_span(counts)
    state, evidence = completeness(bd, period)
    proven = state is Completeness.COMPLETE and any(e.cue != "counts" for e in evidence)
    proven = proven or areas_cover(bd) is not None
    complete = proven and len(counts) == len(bd.items)
    if added.lo > stated.hi or (complete and not added.overlaps(stated)):
        exact = sum(int(c.base_value) for c in counts)
        terms = "+".join(c.value for c in counts)
        message = (
            f"{lines_text(c.line for c in counts)}{DIMENSION_NAMES[bd.dimension]}宗数之和{terms}={exact}宗，"
            f"与{cited(total)}不一致。请核对宗数。"
        )
        values = {"stated": written(total), "expected": f"{exact}宗"}
        lines = (*(c.line for c in counts), total.line)
        return [finding("count.mismatch", message, lines, values, figures=(*counts, total))]
    return []
