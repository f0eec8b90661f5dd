"""What a stated quantity allows for the true value, and the rules on single quantities and totals.

A figure written ``47.58公顷`` allows the true value to lie in [47.575, 47.585] ha. ``47.58公顷（713.63亩）``
allows what either figure allows (their hull), not only what both allow: counties often convert the
rounded figure (47.58 × 15 = 713.70亩), and that conversion need not contain the true value; one of the
figures was rounded from it. A bound (``50公顷以内``) allows everything up to (or from) its value.
Rules here: ``units.mismatch`` (ha and 亩 of one quantity disagree), ``stock.exceeds_total`` and
``new.exceeds_total`` (a part of the scale larger than the scale), ``total.conflict`` (one total stated
twice with different values).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from ..findings import Finding, Severity
from ..plans import Figure, Measure, PlanDocument, Total, TotalKind
from ..units import Interval, Quantity
from .messages import (
    amount_ceiling,
    amount_floor,
    cited,
    finding,
    range_digits,
    range_text,
    range_values,
    written,
)

#: stands for "no upper limit" in the interval of a lower bound (以上/不少于)
UNBOUNDED = Fraction(10) ** 30


def figure_interval(figure: Figure) -> Interval:
    """Values the figure allows as written; counts are exact."""
    if figure.quantity is Quantity.COUNT:
        return Interval.exact(Fraction(figure.base_value))
    return figure.interval


def measure_interval(measure: Measure) -> Interval:
    """The values the measure allows: the hull of its figures' intervals (see the module docstring);
    an approximate conversion beside an exact figure (``46.8613公顷（约702.92亩）``) widens nothing."""
    same = [f for f in measure.figures if f.quantity is measure.primary.quantity]
    carrying = [f for f in same if not f.approximate] or same
    span = figure_interval(carrying[0])
    for other in carrying[1:]:
        more = figure_interval(other)
        span = Interval(min(span.lo, more.lo), max(span.hi, more.hi))
    return span


def claim(measure: Measure) -> Interval:
    """The true values the statement allows, taking bounds (以内/以上) into account."""
    bound = next((f.bound for f in measure.figures if f.bound), None)
    return _bounded(measure_interval(measure), bound)


def figure_claim(figure: Figure) -> Interval:
    """What a single figure (a share, a count) allows, taking its bound into account."""
    return _bounded(figure_interval(figure), figure.bound)


def _bounded(span: Interval, bound: str | None) -> Interval:
    if bound == "upper":
        return Interval(Fraction(0), span.hi)
    if bound == "lower":
        return Interval(span.lo, UNBOUNDED)
    return span


def is_bound(measure: Measure) -> bool:
    return any(f.bound for f in measure.figures)


def doc_measures(doc: PlanDocument, several: bool = False) -> Iterator[Measure]:
    """Every measure of the document once: totals, breakdown items, parcels (``several``: only those
    written in more than one unit)."""
    seen: set[tuple] = set()
    candidates: list[Measure | None] = [t.measure for t in doc.totals]
    candidates.append(doc.parcels_total.measure if doc.parcels_total else None)
    for bd in doc.all_breakdowns():
        candidates.append(bd.total.measure if bd.total else None)
        candidates.extend(m for it in bd.items for m in (it.area, it.money))
    # with ``several``, a parcel's area in one unit is passed over below: it is not gathered
    candidates.extend(p.area for p in doc.parcels if not several or (p.area and len(p.area.figures) > 1))
    candidates.extend(doc.measures)
    for m in candidates:
        if m is None or (several and len(m.figures) < 2):
            continue
        key = tuple((f.line, f.value, f.unit) for f in m.figures)
        if key not in seen:
            seen.add(key)
            yield m


def _units_finding(first: Figure, other: Figure) -> Finding:
    expected = first.interval
    digits = range_digits(other)
    message = (
        f"{cited(first)}折合{range_text(expected, other.unit, digits)}，而第{other.line}行同一数量写作"
        f"{written(other)}（{range_text(other.interval, other.unit, digits)}），两者超出四舍五入误差，不一致。"
        f"请核对{first.unit}与{other.unit}的数值。"
    )
    values = {"stated": written(other), "from": written(first), **range_values(expected, other.unit, digits)}
    return finding("units.mismatch", message, (first.line, other.line), values, figures=(first, other))


def check_units(doc: PlanDocument) -> list[Finding]:
    """``units.mismatch``: the figures of one quantity in different units must overlap."""
    found = []
    for measure in doc_measures(doc, several=True):  # a measure in one unit has nothing to agree with
        first = measure.primary
        for other in measure.figures[1:]:
            same_kind = other.quantity is first.quantity
            if same_kind and not first.interval.overlaps(other.interval):
                found.append(_units_finding(first, other))
    return found


_PART_CODES = {TotalKind.STOCK: "stock.exceeds_total", TotalKind.NEW: "new.exceeds_total"}
_PART_NAMES = {TotalKind.STOCK: "存量土地", TotalKind.NEW: "新增土地"}


def _part_finding(part: Total, whole: Total) -> Finding:
    p, w = part.measure.primary, whole.measure.primary
    message = (
        f"{cited(p)}大于{cited(w)}：{_PART_NAMES[part.kind]}是储备规模的一部分，不能超过它"
        f"（即使考虑四舍五入，前者至少为{amount_floor(claim(part.measure).lo, w.unit, range_digits(w))}，"
        f"后者至多为{amount_ceiling(claim(whole.measure).hi, w.unit, range_digits(w))}）。请核对两个数值。"
    )
    values = {"stated": written(p), "total": written(w), "expected_max": written(w)}
    figures = (*part.measure.figures, *whole.measure.figures)
    return finding(_PART_CODES[part.kind], message, (p.line, w.line), values, figures=figures)


def check_parts_of_scale(doc: PlanDocument) -> list[Finding]:
    """``stock.exceeds_total`` / ``new.exceeds_total``: stock or new land larger than the reserve scale."""
    found = []
    for part in doc.totals:
        if part.kind not in _PART_CODES:
            continue
        whole = _scale_for(doc, part)
        if whole and _same_quantity(part, whole) and claim(part.measure).lo > claim(whole.measure).hi:
            found.append(_part_finding(part, whole))
    return found


def _scale_for(doc: PlanDocument, part: Total) -> Total | None:
    """The reserve scale ``part`` belongs to: same year, else the one without a year (a multi-year whole)."""
    reserves = [t for t in doc.totals if t.kind is TotalKind.RESERVE]
    same_year = [t for t in reserves if t.year == part.year]
    overall = [t for t in reserves if t.year is None]
    found = same_year or overall
    return found[0] if found else None


def _same_quantity(a: Total, b: Total) -> bool:
    return a.measure.primary.quantity is b.measure.primary.quantity


def _restatements(totals: list[Total]) -> dict[tuple, list[Total]]:
    """Totals that state the same thing (kind, year, quantity; the label for OTHER — 实际完成收储 and
    住宅用地完成 are different things), in document order."""
    groups: dict[tuple, list[Total]] = {}
    for t in totals:
        label = t.label if t.kind is TotalKind.OTHER else None
        groups.setdefault((t.kind, t.year, t.measure.primary.quantity, label), []).append(t)
    return groups


def _first_disagreeing(group: list[Total], span_of) -> Iterator[tuple[Total, Total]]:
    """Each statement that cannot agree with some earlier one, paired with the earlier one it is farthest
    from: the earlier statement with the smallest upper end or the largest lower end. One pass — a label
    repeated thousands of times costs thousands of comparisons, not millions."""
    lowest_hi: tuple[Fraction, Total] | None = None
    highest_lo: tuple[Fraction, Total] | None = None
    for t in group:
        span = span_of(t)
        if lowest_hi and span.lo > lowest_hi[0]:
            yield lowest_hi[1], t
        elif highest_lo and span.hi < highest_lo[0]:
            yield highest_lo[1], t
        if lowest_hi is None or span.hi < lowest_hi[0]:
            lowest_hi = (span.hi, t)
        if highest_lo is None or span.lo > highest_lo[0]:
            highest_lo = (span.lo, t)


def check_repeated_totals(doc: PlanDocument) -> list[Finding]:
    """``total.conflict``: the same total (kind and year) stated again with a value that cannot agree with
    an earlier statement of it."""
    found = []
    for group in _restatements(doc.totals).values():
        for a, b in _first_disagreeing(group, lambda t: claim(t.measure)):
            found.append(_conflict_finding(a, b))
    return found


def check_repeated_counts(doc: PlanDocument) -> list[Finding]:
    """``count.mismatch``: the same total (kind, year and area agree) stated again with another count.

    Statements with the same area are compared in one pass; statements whose different areas still
    overlap are compared through the first statement of each area, found by sweeping the areas in order —
    the cost follows the number of overlapping areas, never the square of the statements."""
    found: list[Finding] = []
    counted = [t for t in doc.totals if t.count is not None and t.kind is not TotalKind.OTHER]
    for group in _restatements(counted).values():
        by_area: dict[tuple[Fraction, Fraction], list[Total]] = {}
        for t in group:
            span = claim(t.measure)
            by_area.setdefault((span.lo, span.hi), []).append(t)
        for same in by_area.values():
            found.extend(_repeated_count_finding(a, b) for a, b in _first_disagreeing(same, _count_claim))
        areas = sorted(by_area)
        for i, (lo, hi) in enumerate(areas):
            for other in areas[i + 1 :]:
                if other[0] > hi:
                    break
                a, b = sorted((by_area[(lo, hi)][0], by_area[other][0]), key=lambda t: t.measure.primary.line)
                if not _count_claim(a).overlaps(_count_claim(b)):
                    found.append(_repeated_count_finding(a, b))
    return found


def _count_claim(total: Total) -> Interval:
    assert total.count is not None
    return figure_claim(total.count)


def _repeated_count_finding(a: Total, b: Total) -> Finding:
    ca, cb = a.count, b.count
    assert ca is not None and cb is not None
    message = (
        f"{cited(a.measure.primary)}与{cited(b.measure.primary)}是同一总量，"
        f"但宗数不同：{cited(ca)}，{cited(cb)}。请核对宗数。"
    )
    values = {"stated": written(cb), "first": written(ca)}
    return finding("count.mismatch", message, (ca.line, cb.line), values, figures=(ca, cb))


def _conflict_finding(a: Total, b: Total) -> Finding:
    fa, fb = a.measure.primary, b.measure.primary
    message = (
        f"{cited(fa)}与{cited(fb)}似乎是同一个总量，但数值即使考虑四舍五入也不一致。"
        f"请确认两处是否指同一数量，并统一数值。"
    )
    values = {"stated": written(fb), "first": written(fa)}
    return finding(
        "total.conflict", message, (fa.line, fb.line), values, severity=Severity.WARNING, figures=(fa, fb)
    )


#: pairs of totals that split the reserve scale between them (their parcel counts add up to its count)
_COUNT_SPLITS = ({TotalKind.CARRIED_OVER, TotalKind.NEW}, {TotalKind.STOCK, TotalKind.NEW})
_PART_KINDS = frozenset().union(*_COUNT_SPLITS)


def check_part_counts(doc: PlanDocument) -> list[Finding]:
    """``count.mismatch``: parcel counts (宗) of carried-over / stock / new land against the scale's count."""
    found = []
    for whole in doc.totals:
        if whole.kind is TotalKind.RESERVE and whole.count is not None:
            found.extend(_counts_against(doc, whole))
    return found


def _counts_against(doc: PlanDocument, whole: Total) -> list[Finding]:
    parts = [t for t in doc.totals if t.kind in _PART_KINDS and t.count is not None and t.year == whole.year]
    most = _count_claim(whole).hi
    larger = [_part_count_finding(p, whole) for p in parts if _count_claim(p).lo > most]
    if larger:
        return larger
    is_split = len(parts) == 2 and {p.kind for p in parts} in _COUNT_SPLITS
    if is_split and not counts_span([c for p in parts if (c := p.count)]).overlaps(_count_claim(whole)):
        return [_split_count_finding(parts, whole)]
    return []


def counts_span(counts: list[Figure]) -> Interval:
    """What several stated counts (each exact, or a bound) can add up to."""
    total = Interval.exact(Fraction(0))
    for c in counts:
        total = total + figure_claim(c)
    return total


def _count(total: Total) -> int:
    assert total.count is not None
    return int(total.count.base_value)


def _part_count_finding(part: Total, whole: Total) -> Finding:
    p, w = part.count, whole.count
    assert p is not None and w is not None
    message = f"{cited(p)}多于{cited(w)}：部分的宗数不能超过总宗数。请核对宗数。"
    values = {"stated": written(p), "total": written(w), "expected_max": written(w)}
    return finding("count.mismatch", message, (p.line, w.line), values, figures=(p, w))


def _split_count_finding(parts: list[Total], whole: Total) -> Finding:
    counts = [p.count for p in parts if p.count is not None]
    w = whole.count
    assert w is not None
    added = sum(map(_count, parts))
    terms = "+".join(c.value for c in counts)
    message = (
        f"{'、'.join(cited(c) for c in counts)}，合计{terms}={added}宗，与{cited(w)}不一致。请核对宗数。"
    )
    values = {"stated": written(w), "expected": f"{added}宗"}
    return finding(
        "count.mismatch", message, (*(c.line for c in counts), w.line), values, figures=(*counts, w)
    )
