"""Completion rates stated in a sentence: ``实际完成收储42.35公顷，完成率84.70%`` against the plan's figure.

Read after a sentence's quantities have become figures. The rate is a % after 完成率/完成了计划的/为任务的;
what was done is the last area or amount before it in its sentence that is no difference (比任务超出…);
the plan is the nearest earlier figure of the same kind stated as a plan, task or target (计划…/任务量为…/
下达…/目标…) — in the same sentence or earlier in the document.
"""

from __future__ import annotations

import re

from landreserve.domain.plans import Completion, Figure
from landreserve.domain.units import Quantity

from .clauses import Stated

_RATE_WORDS = re.compile(
    r"完成率(?:为|达到?|达)?\s*$|完成了?(?:年度|全年)?(?:计划|任务)的\s*$|(?:为|占)(?:年度|全年)?(?:计划|任务)的\s*$"
)
#: what was done, as a whole (not one named part of it): ``实际完成收储``, ``已消化…``, ``累计供应``
_DONE = re.compile(r"实际|已|完成|消化|累计|处置")
_DIFFERENCE = re.compile(r"比[^,;。]{0,12}?(?:超出|超过|增加|减少|多|少|增长|下降)了?\s*$")
_PLANNED = re.compile(r"(?:计划|任务|目标|下达|预计)[^,;。]{0,14}?(?:为|是|达|共)?\s*$")


def sentence_completions(
    norm: str, stated: list[Stated], earlier: list[Figure], year: int | None = None
) -> list[Completion]:
    """The completion rates of one sentence; ``earlier``: the figures read before this sentence;
    ``year``: the plan's own year (a figure of that year is of this year)."""
    found = []
    for i, m in enumerate(stated):
        if m.quantity is not Quantity.SHARE or not m.figures or not _RATE_WORDS.search(_before(norm, m, 16)):
            continue
        done = next((s for s in reversed(stated[:i]) if _achieved(norm, s)), None)
        if done is None:
            continue
        kind = done.quantity
        inside = [s.figures[0] for s in stated[: stated.index(done)] if s.quantity is kind and s.figures]
        planned = next(
            (f for f in reversed([*earlier, *inside]) if f.quantity is kind and _stated_as_plan(f)), None
        )
        if planned is not None and not (
            _DONE.search(done.figures[0].label) or planned.label == done.figures[0].label
        ):
            planned = None  # 棚改房用地1.47万公顷，完成计划的40.2%: that use's own plan, not stated
        if planned is not None and _period(done.figures[0], year) != _period(planned, year):
            planned = None  # 去年实际供地…，完成计划的92%: last year's plan, not this year's stated one
        if planned is not None:
            found.append(Completion(done=done.figures[0], planned=planned, rate=m.figures[0]))
    return None if found == str(year) else found


def _before(norm: str, m: Stated, reach: int) -> str:
    return norm[max(0, m.start - reach) : m.start]


def _achieved(norm: str, s: Stated) -> bool:
    return (
        s.quantity in (Quantity.AREA, Quantity.MONEY)
        and bool(s.figures)
        and not s.amounts[0].per
        and not _DIFFERENCE.search(_before(norm, s, 16))
    )


def _stated_as_plan(f: Figure) -> bool:
    """Whether the words right before the figure in its sentence present it as a plan, task or target."""
    at = f.text.find(f.value) if f.value in f.text else -1
    return at > 0 and bool(_PLANNED.search(f.text[max(0, at - 20) : at]))


#: the period a figure's sentence speaks of, up to the figure: a year, or last/this year in words
_PERIOD = re.compile(r"(20\d{2})\s*年|(去年|上年|上一年|前一年|上年度)|(今年|本年|当年|全年|本年度)")


def _period(f: Figure, year: int | None) -> str | None:
    """``2023``, ``prev``, or ``None`` (this year, or not said): the last period word before the figure."""
    at = f.text.find(f.value) if f.value in f.text else len(f.text)
    found = None
    for m in _PERIOD.finditer(f.text, 0, at):
        found = m.group(1) or ("prev" if m.group(2) else None)
    return None if found == str(year) else found
