"""Rules on the parcel list (地块清单): its sum and count against the total, carried-over codes.

Codes: ``parcels.sum_mismatch`` (error), ``parcels.sum_rounding`` and ``parcels.partial`` (warning),
``count.mismatch`` (error), ``parcels.carried_over`` (info). Parcels listed twice: see ``duplicates``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..findings import Finding, Severity
from ..plans import PlanDocument, Total
from ..units import Quantity
from .duplicates import without_duplicates
from .measures import claim, figure_claim, is_bound, measure_interval
from .messages import carrying, cited, difference, finding, lines_text, range_digits, range_values, written
from .parcel_list import ParcelList, earlier_year, parcels_total, parts_of
from .sums import PartsSum, stated_text


def _total_text(total: Total) -> str:
    figure = total.measure.primary
    if is_bound(total.measure):
        return cited(figure)
    return f"第{figure.line}行“{figure.label}”{stated_text(figure, measure_interval(total.measure))}"


def _claims_complete(doc: PlanDocument, total: Total) -> bool:
    return (
        total.count is not None and not total.count.bound and int(total.count.base_value) == len(doc.parcels)
    )


def check_sum(listing: ParcelList) -> list[Finding]:
    """The parcels' areas against the total they should make up."""
    doc = listing.doc
    total = parcels_total(doc)
    parts = listing.parts
    if total is None or not parts.measures or total.measure.primary.quantity is not Quantity.AREA:
        return []
    s, t = parts.span, claim(total.measure)
    all_areas = len(parts.measures) == len(doc.parcels)
    if s.lo > t.hi:
        return [_sum_finding(listing, parts, total, "超过")]
    if s.hi < t.lo:
        if all_areas and _claims_complete(doc, total):
            return [_sum_finding(listing, parts, total, "达不到")]
        return [_partial_finding(listing, parts, total)]
    if all_areas and not is_bound(total.measure) and not parts.rounds_to(total.measure.primary):
        return [_rounding_finding(listing, parts, total)]
    return []


def _gap(parts: PartsSum, figure) -> str:
    return difference(parts.in_unit(figure.unit), Decimal(figure.value), figure.unit)


def _without_duplicates_note(listing: ParcelList, total: Total) -> str:
    """When the list holds duplicates and adds up without them, say so."""
    kept = without_duplicates(listing)
    if len(kept) == len(listing.parcels) or not parts_of(kept).span.overlaps(claim(total.measure)):
        return ""
    return f"清单中有重复地块，去除重复后合计{listing.sum_amount(kept)}、{len(kept)}宗，与总规模相符。"


def _values(listing: ParcelList, parts: PartsSum, total: Total) -> dict[str, str]:
    figure = total.measure.primary
    return {
        "stated": written(figure),
        "parcels_sum": listing.sum_amount(listing.parcels),
        "difference": _gap(parts, figure),
        **range_values(parts.span, figure.unit, range_digits(figure)),
    }


def _heading(listing: ParcelList, parts: PartsSum) -> str:
    parcels = listing.parcels
    return f"{lines_text(parts.lines)}地块清单{len(parcels)}宗地块面积合计{listing.sum_amount(parcels)}"


def _sum_finding(listing: ParcelList, parts: PartsSum, total: Total, how: str) -> Finding:
    figure = total.measure.primary
    message = (
        f"{_heading(listing, parts)}（按四舍五入为{parts.range_text(figure)}），{how}{_total_text(total)}，"
        f"相差{_gap(parts, figure)}，即使考虑四舍五入也不一致。{_without_duplicates_note(listing, total)}"
        f"请核对地块面积或总规模。"
    )
    lines = (*parts.lines, figure.line)
    figures = carrying((*parts.figures, *total.measure.figures))
    return finding("parcels.sum_mismatch", message, lines, _values(listing, parts, total), figures=figures)


def _partial_finding(listing: ParcelList, parts: PartsSum, total: Total) -> Finding:
    doc, figure = listing.doc, total.measure.primary
    covered = Fraction(parts.base) / Fraction(figure.base_value) * 100 if figure.base_value else Fraction(0)
    count = ""
    if total.count is not None and int(total.count.base_value) != len(doc.parcels):
        count = f"；{cited(total.count)}，清单只列出{len(doc.parcels)}宗"
    message = (
        f"{_heading(listing, parts)}，只覆盖{_total_text(total)}的约{float(covered):.2f}%{count}。"
        f"地块清单只是部分地块，其余地块未列明。"
    )
    values = {**_values(listing, parts, total), "covered_share": f"{float(covered):.2f}%"}
    lines = tuple(sorted({*parts.lines, figure.line}))
    return Finding("parcels.partial", Severity.WARNING, message, lines, values)


def _rounding_finding(listing: ParcelList, parts: PartsSum, total: Total) -> Finding:
    figure = total.measure.primary
    message = (
        f"{_heading(listing, parts)}，与{cited(figure)}的写法不同；但按四舍五入，地块面积之和可在"
        f"{parts.range_text(figure)}之间，与总规模相容，差异可由四舍五入解释，不是错误。"
    )
    lines = tuple(sorted({*parts.lines, figure.line}))
    return Finding("parcels.sum_rounding", Severity.WARNING, message, lines, _values(listing, parts, total))


def check_count(listing: ParcelList) -> list[Finding]:
    """``count.mismatch``: the stated number of parcels (宗) against the list."""
    doc = listing.doc
    total = parcels_total(doc)
    if total is None or total.count is None or not doc.parcels:
        return []
    stated, listed = figure_claim(total.count), Fraction(len(doc.parcels))
    if stated.contains(listed) or (listed < stated.lo and _short_of_total(listing, total)):
        return []  # a shorter list that also falls short in area is reported as parcels.partial
    kept = Fraction(len(without_duplicates(listing)))
    note = (
        f"清单中有重复地块，去除重复后为{kept}宗，与所述宗数相符。"
        if kept != listed and stated.contains(kept)
        else ""
    )
    message = (
        f"{cited(total.count)}，而地块清单（{lines_text(p.line for p in doc.parcels)}）列出{listed}宗，不一致。"
        f"{note}请核对宗数或地块清单。"
    )
    values = {"stated": written(total.count), "expected": f"{listed}宗"}
    lines = (total.count.line, doc.parcels[0].line)
    return [finding("count.mismatch", message, lines, values, figures=(total.count,))]


def _short_of_total(listing: ParcelList, total: Total) -> bool:
    parts = listing.parts
    return bool(parts.measures) and parts.span.hi < claim(total.measure).lo


def check_carried_over(listing: ParcelList) -> list[Finding]:
    """``parcels.carried_over`` (info): parcels marked as carried over or coded in an earlier year."""
    year = listing.doc.year
    carried = [
        p
        for p, code in zip(listing.parcels, listing.codes, strict=True)
        if p.carried_over or earlier_year(code, year)
    ]
    if not carried:
        return []
    codes = "、".join(p.code for p in carried)
    message = (
        f"{lines_text(p.line for p in carried)}地块{codes}为以前年度计划结转的地块（或沿用以前年度的编号）；"
        f"请确认它们未在本年度清单中以新编号重复列出。"
    )
    values = {"codes": ",".join(p.code for p in carried)}
    return [Finding("parcels.carried_over", Severity.INFO, message, tuple(p.line for p in carried), values)]
