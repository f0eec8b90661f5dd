"""The stored rows of an imported plan version, column by column (``storage.bulk``), and its figures as read
back.

A parcel's area as listed is a figure of the document too (label = the parcel's code). When that figure is
exactly what the parcel's own row holds — its code, ``area_text`` (value and unit), ``area_m2`` (base
value), ``line`` and ``text`` — it is not written a second time as a figure row: the parcel row keeps its
position among the figures (``area_figure_seq``) and :func:`version_figures` puts it back in its place, with
the same provenance (line and sentence). Any other figure, and a parcel's area that its row does not hold
exactly (another label, a qualifier, a value :func:`area_figure` cannot split back), is a figure row as
before. The history records the rows as written, so ``verify-log`` sees an edited parcel row — and with it
its area figure — as it always did.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..domain.findings import Finding
from ..domain.plans import Figure, LandUseMatch, PlanParcel
from ..domain.units import Quantity
from ..storage.bulk import Columns
from ..storage.plan_tables import PlanFigureRow, PlanVersionRow
from .plan_json import FINDING_KEYS, finding_json, plain

#: ``area_text`` as the value (digits and a decimal point) and the unit after it
_AREA_TEXT = re.compile(r"([0-9.]+)([^0-9.].*)", re.DOTALL)
#: what is left of a text of digits and points without them: nothing
_NOT_NUMBER = str.maketrans("", "", "0123456789.")
#: a unit that cannot be taken for more of the value before it
_UNIT = re.compile(r"[^0-9.]")


def area_figure(
    code: str, area_text: str | None, area_m2: Decimal | None, line: int, text: str
) -> Figure | None:
    """The area figure a parcel row stands for (``None`` when its ``area_text`` does not split into a
    value and a unit). The one rule both ways: an import leaves a figure out only where this gives it back.

    >>> area_figure("BC-1", "4.0254公顷", Decimal("40254"), 12, "…").unit
    '公顷'
    """
    parts = _AREA_TEXT.fullmatch(area_text) if area_text is not None else None
    if parts is None or area_m2 is None:
        return None
    return Figure.plain(code, parts[1], parts[2], Quantity.AREA, area_m2, line, text)


def _held_by_rows(parcels: Sequence[PlanParcel], areas: Sequence[Figure | None]) -> list[bool]:
    """Per parcel: its primary area (``areas``) is what :func:`area_figure` gives back from its row —
    label the code, value and unit that ``area_text`` splits back into, its base value, the parcel's line
    and text, no qualifier. The split is checked for all values at once (each value only digits and
    points, each unit not starting with one: then ``value + unit`` splits back into exactly those two);
    ``tests/test_plan_rows.py`` checks this against :func:`area_figure` itself."""
    values = [a.value for a in areas if a is not None]
    if not (all(values) and not "".join(values).translate(_NOT_NUMBER)):
        return [_held_by_row(p, a) for p, a in zip(parcels, areas, strict=True)]
    units = {u: _UNIT.match(u) is not None for u in {a.unit for a in areas if a is not None}}
    area = Quantity.AREA
    return [
        a is not None and a.label == p.code and a.line == p.line and a.text == p.text and a.qualifier is None
        and a.quantity is area and units[a.unit]
        for p, a in zip(parcels, areas, strict=True)
    ]  # fmt: skip


def _held_by_row(parcel: PlanParcel, figure: Figure | None) -> bool:
    """:func:`_held_by_rows` of one parcel, by :func:`area_figure` itself."""
    if figure is None or figure.qualifier is not None:
        return False
    text = f"{figure.value}{figure.unit}"
    return area_figure(parcel.code, text, figure.base_value, parcel.line, parcel.text) == figure


def _positions(figures: Sequence[Figure], areas: Sequence[Figure | None], held: Sequence[bool]) -> list:
    """Per parcel, the ``seq`` of its area among the figures where its row holds it, else ``None``. The
    areas come in the figures' order: one walk, by identity; any left over are looked up."""
    positions: list[int | None] = [None] * len(areas)
    wanted = [(i, a) for i, (a, h) in enumerate(zip(areas, held, strict=True)) if h]
    at, count = 0, len(wanted)
    for seq, figure in enumerate(figures):
        if at < count and figure is wanted[at][1]:
            positions[wanted[at][0]] = seq
            at += 1
    if at < count:
        seq_of = {id(f): seq for seq, f in enumerate(figures)}
        for i, a in wanted[at:]:
            positions[i] = seq_of.get(id(a))
    return positions


def rows_of(figures: Sequence[Figure], parcels: Sequence[PlanParcel]) -> tuple[Columns, Columns]:
    """The figure rows and the parcel rows of a document, column by column (without ``version_id``): the
    parcels' areas held by their own rows are left out of the figures (``area_figure_seq``)."""
    areas = [p.area.primary if p.area else None for p in parcels]
    held = _positions(figures, areas, _held_by_rows(parcels, areas))
    left_out = set(held)
    left_out.discard(None)
    kept = [seq for seq in range(len(figures)) if seq not in left_out] if left_out else range(len(figures))
    return _figure_columns(figures, kept), _parcel_columns(parcels, areas, held)


def _figure_columns(figures: Sequence[Figure], seqs: Sequence[int]) -> Columns:
    chosen = [figures[seq] for seq in seqs] if len(seqs) != len(figures) else figures
    quantities = {q: plain(q) for q in {f.quantity for f in chosen}}
    return {
        "seq": seqs,
        "label": [f.label for f in chosen],
        "value": [f.value for f in chosen],
        "unit": [f.unit for f in chosen],
        "quantity": [quantities[f.quantity] for f in chosen],
        "base_value": [f.base_value for f in chosen],
        "qualifier": [f.qualifier for f in chosen],
        "line": [f.line for f in chosen],
        "text": [f.text for f in chosen],
    }


def _parcel_columns(
    parcels: Sequence[PlanParcel], areas: Sequence[Figure | None], held: Sequence[int | None]
) -> Columns:
    gb2017, gb2023 = _land_use_codes([p.land_use for p in parcels])
    return {
        "seq": range(len(parcels)),
        "code": [p.code for p in parcels],
        "code_as_written": [p.code_as_written for p in parcels],
        "location": [p.location for p in parcels],
        "area_m2": [a.base_value if a else None for a in areas],  # = PlanParcel.area_m2
        "area_text": [f"{a.value}{a.unit}" if a else None for a in areas],
        "use": [p.use for p in parcels],
        "land_use_gb2017": gb2017,
        "land_use_gb2023": gb2023,
        "carried_over": [p.carried_over for p in parcels],
        "line": [p.line for p in parcels],
        "text": [p.text for p in parcels],
        "area_figure_seq": held,
    }


def _land_use_codes(matches: Sequence[LandUseMatch | None]) -> tuple[list, list]:
    """The GB/T 21010-2017 and 2023 codes of each parcel's land use, comma-separated (``None`` for none):
    joined once per distinct match (a list has a few uses), not once per parcel."""
    keys = list(map(id, matches))
    distinct = dict(zip(keys, matches, strict=True))
    codes = {
        key: (",".join(m.gb2017) if m and m.gb2017 else None, ",".join(m.gb2023) if m and m.gb2023 else None)
        for key, m in distinct.items()
    }
    return [codes[key][0] for key in keys], [codes[key][1] for key in keys]


def finding_columns(findings: Sequence[Finding]) -> Columns:
    """The finding rows, column by column (without ``version_id``)."""
    data = [finding_json(f) for f in findings]
    return {"seq": range(len(data)), **{key: [d[key] for d in data] for key in FINDING_KEYS}}


def version_figures(version: PlanVersionRow) -> list[tuple[int, Figure | PlanFigureRow]]:
    """``(seq, figure)`` of every figure of a stored version in document order: its figure rows, and the
    parcels' areas that their rows hold (each with the parcel's line and sentence)."""
    figures: list[tuple[int, Figure | PlanFigureRow]] = [(f.seq, f) for f in version.figures]
    held = [p for p in version.parcels if p.area_figure_seq is not None]
    if not held:
        return figures
    for p in held:
        figure = area_figure(p.code, p.area_text, p.area_m2, p.line, p.text)
        if figure is None:  # the row was edited since (``verify-log`` names it): its text as it is now
            figure = Figure(
                p.code, p.area_text or "", "", Quantity.AREA, p.area_m2 or Decimal(0), p.line, p.text
            )
        figures.append((p.area_figure_seq, figure))
    return sorted(figures, key=lambda pair: pair[0])
