"""Names listed once, then their figures in order: ``住宅、商服、工业用地分别为12.30、8.20、10.50公顷``.

Each quantity after ``分别``/``依次`` takes the name at the same place in the list; bare numbers before
the last one's unit (``12.30、8.20、10.50公顷``) are quantities in that unit. When the count of names
and of quantities differ, nothing can be paired: the quantities keep the list as their name and are
marked ``plain`` (figures, no part of any total).
"""

from __future__ import annotations

import re

from landreserve.domain.units import Quantity

from . import labels, numbers
from .clauses import Stated, sentence_index, sentence_spans

_RESPECTIVELY = re.compile(r"(?:分别|依次)(?:为|是|达到|达|约|计)?")
_NAME_SPLIT = re.compile(r"[、]|和|及|与")
_LIST_COMMA = re.compile(r"、")
#: the words after the last name that say what is listed: ``…用地供应面积分别为``, ``…储备规模分别为``
_LIST_TAIL = re.compile(r"(?:的)?(?:计划)?(?:供应|储备|出让|收储|供地)?(?:面积|规模|总量|数量)$")
_BARE_NUMBERS = re.compile(r"^((?:\s*\d+(?:\.\d+)?\s*[、,]\s*)+)$")


def apply_respectively(norm: str, stated: list[Stated], floor: int) -> list[Stated]:
    """``stated`` with the quantities of each ``分别`` list named (and bare numbers added); a ``分别``
    with no names of its own (``…，分别占50%、25%``) takes the names of the list before it."""
    previous: tuple[int, list[str]] | None = None  # (sentence, names) of the last list
    for m in _RESPECTIVELY.finditer(norm, floor):
        listed = labels.local_label(norm, floor, m.start())
        sentence = sentence_index(sentence_spans(norm), m.start())
        own = len(_names(listed, _NAME_SPLIT)) >= 2
        if not own and (previous is None or previous[0] != sentence):
            continue
        stated = _with_bare_numbers(norm, stated, m.end())
        after = _run([s for s in stated if s.sentence == sentence and s.start >= m.end()], norm)
        names = _matching_names(listed, len(after)) if own else previous[1]
        previous = (sentence, names)
        if len(after) == len(names):
            for s, name in zip(after, names, strict=True):
                s.label = f"{name}占" if s.quantity is Quantity.SHARE else name
        else:
            for s in after:
                s.label, s.plain = "、".join(names), True
    return stated


#: ways to split a list of names, narrowest first: 、 only, then 和 too, then 和/以及/及, then 与 as well
_SPLITS = (
    _LIST_COMMA,
    re.compile(r"、|和"),
    re.compile(r"、|和|以及|及"),
    _NAME_SPLIT,
)


def _matching_names(listed: str, count: int) -> list[str]:
    """The names of ``listed``; ``公共管理与公共服务用地`` and ``水域及水利设施用地`` are one name each, so
    和/及/与 split names only as far as the count of figures says so (``公共管理与公共服务、交通运输和住宅
    用地`` with three figures: 、 and 和 split it)."""
    splits = [_names(listed, split) for split in _SPLITS]
    return next((names for names in splits if len(names) == count), splits[0])


def _run(following: list[Stated], norm: str) -> list[Stated]:
    """The quantities listed one after the other (``12.30、8.20、10.50公顷``, ``…7.9万公顷和45.8万公顷``):
    only 、 , or 和/及/与 between them."""
    run = following[:1]
    for s in following[1:]:
        if not re.fullmatch(r"\s*(?:[、,]|和|及|与|以及)\s*", norm[run[-1].end : s.start]):
            break
        run.append(s)
    return run


def _names(listed: str, split: re.Pattern[str]) -> list[str]:
    """``住宅、商服、工业用地`` → 住宅用地, 商服用地, 工业用地 (the common 用地 goes to each)."""
    names = [n.strip() for n in split.split(listed) if n.strip()]
    if names and (tail := _LIST_TAIL.search(names[-1])) and tail.start() > 0:
        names[-1] = names[-1][
            : tail.start()
        ]  # ``…基础设施及其他用地供应面积``: the list's measure, not a name
    if names and names[-1].endswith("用地"):
        names = [n if n.endswith(("用地", "土地")) else f"{n}用地" for n in names]
    return names


def _with_bare_numbers(norm: str, stated: list[Stated], start: int) -> list[Stated]:
    """Bare numbers between ``start`` and the next quantity (``12.30、8.20、10.50公顷``) in its unit."""
    following = [s for s in stated if s.start >= start]
    if not following:
        return stated
    first = following[0]
    bare = _BARE_NUMBERS.match(norm[start : first.start])
    if not bare or len(first.amounts) != 1:
        return stated
    unit, quantity = first.amounts[0].unit, first.amounts[0].quantity
    added = []
    for n in re.finditer(r"\d+(?:\.\d+)?", bare.group(1)):
        s, e = start + n.start(), start + n.end()
        amount = numbers.Amount(n.group(), unit, quantity, s, s, e)
        added.append(Stated([amount], first.sentence, e))
    index = stated.index(first)
    return stated[:index] + added + stated[index:]
