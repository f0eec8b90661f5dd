"""Changes against another year stated in a sentence: ``…1237公顷，比上年增加386公顷，增长31.2%``.

Read after a sentence's quantities have become figures: the difference (an area after 比上年增加/较去年减少)
and the rate (a % after 增长/下降), the figure they are a change of (the last area before them that is no
change itself), and the other year's figure when the sentence states it (``2025年供应851公顷``, 上年…).
"""

from __future__ import annotations

import re

from landreserve.domain.plans import Change, Figure
from landreserve.domain.units import Quantity

from .clauses import Stated

_UP, _DOWN = "增加|增长|提高|上升|上涨|多", "减少|下降|降低|回落|少"
#: the words before a stated difference: ``比上年增加``, ``较2025年减少了``, ``同比增加``
_DELTA = re.compile(rf"(?:比|较|同比|环比)[^,;。:()]{{0,12}}?({_UP}|{_DOWN})了?\s*$")
#: the words before a stated rate: ``增长``, ``同比下降``, ``增幅为``
_RATE = re.compile(
    rf"(?:同比|环比|比[^,;。:()]{{0,12}}?|较[^,;。:()]{{0,12}}?)?({_UP}|{_DOWN}|增幅为?|降幅为?)了?\s*$"
)
_PREVIOUS = re.compile(r"上年|去年|上一年|前一年")
#: the words before the other year's figure named as the base of the comparison: ``比2023年计划的300公顷``
_BASE = re.compile(r"(?:比|较)[^,;。:()\d]{0,4}(?:20\d{2}\s*年度?)?[^,;。:()\d]{0,8}?的?\s*\(?\s*$")
_YEAR = re.compile(r"(20\d{2})\s*年")
#: a figure right after a verb of change (``…)增加60公顷``, ``，减少了40公顷``): a difference, never a subject
_BARE_CHANGE = re.compile(rf"(?:^|[),])\s*(?:{_UP}|{_DOWN})了?\s*$")
#: the difference right after the base figure: ``比2023年计划的300公顷增加40公顷``
_AFTER_BASE = re.compile(rf"\s*(?:\))?\s*({_UP}|{_DOWN})了?\s*$")


def sentence_changes(norm: str, stated: list[Stated], year: int | None) -> list[Change]:
    """The changes stated in one sentence's quantities (in text order, all in one sentence)."""
    found, subject, delta, base, base_end = [], None, None, None, 0
    areas: list[tuple[str, Figure]] = []  # (the words before it, figure) of each area that is no change
    end = stated[0].start - 24 if stated else 0
    for m in stated:
        words_before, end = norm[max(0, end) : m.start], m.end
        if not m.figures or m.amounts[0].per:
            continue
        figure = m.figures[0]
        before = norm[max(0, m.start - 24) : m.start]
        if m.quantity in (Quantity.AREA, Quantity.MONEY):
            if subject is not None and subject.quantity is not m.quantity:
                if _DELTA.search(before):
                    continue  # 供地120公顷，比上年增加3亿元…: no difference of that figure
                subject, delta, base = None, None, None
            after_base = _AFTER_BASE.match(norm, base_end, m.start) if base is not None else None
            words = _DELTA.search(before) or after_base
            if words and subject is not None:
                delta = (figure, _direction(words.group(1)))
                found.append(_change(subject, areas, delta, None, year, base))
                continue
            if subject is not None and base is None and _BASE.search(before):
                # 340公顷，比2023年计划的300公顷增加40公顷: the other year's figure, no new subject
                base, base_end = figure, m.end
                continue
            if _BARE_CHANGE.search(words_before):
                continue  # …）增加60公顷 with no base read: a difference, never the figure that changed
            subject, delta, base = figure, None, None
            areas.append((words_before, figure))
        elif m.quantity is Quantity.SHARE and subject is not None:
            words = _RATE.search(before)
            if words and not figure.approximate:
                direction = (
                    delta[1]
                    if delta and words.group(1).startswith(("增幅", "降幅"))
                    else _direction(words.group(1))
                )
                if found and found[-1].subject is subject and found[-1].rate is None:
                    found[-1] = Change(**{**found[-1].__dict__, "rate": figure})
                else:
                    found.append(_change(subject, areas, None, (figure, direction), year, base))
    return [c for c in found if c.delta is not None or (c.rate is not None and c.previous is not None)]


def _direction(word: str) -> int:
    return -1 if re.match(_DOWN, word) or word.startswith("降") else 1


def _change(subject: Figure, areas, delta, rate, year: int | None, base: Figure | None = None) -> Change:
    direction = (delta or rate)[1]
    return Change(
        subject=subject,
        direction=direction,
        line=subject.line,
        previous=base or _previous(subject, areas, year),
        delta=delta[0] if delta else None,
        rate=rate[0] if rate else None,
    )


def _previous(subject: Figure, areas, year: int | None) -> Figure | None:
    """The other year's figure stated before ``subject`` in the sentence (the words before it name that
    year, ``2025年供应851公顷``, or 上年/去年)."""
    words = {id(f): w for w, f in areas}
    own = _YEAR.search(words.get(id(subject), ""))
    this_year = int(own.group(1)) if own else year
    for before, figure in reversed(areas):
        if figure is subject or figure.quantity is not subject.quantity:
            continue
        named = _YEAR.findall(before)
        if named and this_year and int(named[-1]) == this_year - 1:
            return figure
        if _PREVIOUS.search(before):
            return figure
    return None
