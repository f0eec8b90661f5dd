"""Adjusted figures: ``住宅用地由120公顷调整为135公顷``, ``原计划供应420公顷,现调整为460公顷``.

An adjustment notice (计划调整) states a figure twice: as it was and as it is now. The value before the
adjustment is a figure of the old plan, no part of any total of the new one; the value after takes the
name written before the old one (``住宅用地``), so it is read as the item or the total it now is.
"""

from __future__ import annotations

import re

from .clauses import Stated

#: between the old and the new value: ``调整为``, ``，现调整为``, ``调增至``, ``增加到``, ``核减为`` …
_BETWEEN = re.compile(
    r"\s*\)?\s*,?\s*(?:现|拟|现拟|现将其|并)?\s*"
    r"(?:调整|调增|调减|调高|调低|变更|修改|修订|核增|核减|压减|增加|减少|增|减|改)(?:为|至|到)\s*(?:约)?\s*"
)
#: right before the old value: ``由``, ``从``, ``由原来的``, ``由原计划的``
_FROM = re.compile(r"(?:由|从)(?:原来的?|原计划的?|原)?\s*$")
#: a clause opening on the old plan: ``原计划供应…``, ``原来安排…``, ``将原…``
_OLD_CLAUSE = re.compile(r"^\s*(?:将)?(?:原来|原计划|原)")
_CLAUSE_START = re.compile(r"[,;。:!?\t]")
_LABEL_TAIL = re.compile(r"(?:由|从)(?:原来的?|原计划的?|原)?$")
_LABEL_HEAD = re.compile(r"^(?:原来|原计划|原)")
#: the end of the name of a value before an adjustment (no listed part a split could have lost)
FORMER = "（调整前）"


def apply_adjustments(norm: str, stated: list[Stated]) -> None:
    """Mark each value before an adjustment ``plain`` (a figure of the old plan, named ``…（调整前）``)
    and give the value after it the name written before the old one."""
    for old, new in zip(stated, stated[1:], strict=False):
        if old.sentence != new.sentence or old.quantity is not new.quantity or old.plain:
            continue
        if not _BETWEEN.fullmatch(norm, old.end, new.start) or not _is_old(norm, old):
            continue
        name = _LABEL_HEAD.sub("", _LABEL_TAIL.sub("", old.label)).strip()
        if name:
            new.label = name
        old.label, old.plain = f"{name or old.label}{FORMER}", True


def _is_old(norm: str, old: Stated) -> bool:
    """Whether ``old`` is written as the former value: ``由…`` right before it, or its clause opens on 原."""
    if _FROM.search(norm, max(0, old.start - 8), old.start):
        return True
    cut = max((m.end() for m in _CLAUSE_START.finditer(norm, 0, old.start)), default=0)
    return bool(_OLD_CLAUSE.match(norm, cut, old.start))
