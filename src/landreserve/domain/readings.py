"""Readings of a split: the other structures the text admits besides the one read.

The reader takes the structure the text states (其中, 含, parentheses, indentation, table 其中 rows). Where
the text leaves room — a narrower land use listed beside the wider one (住宅用地 … 保障性住房用地 … on one
level), the same part named twice, a 其中 whose list may end before the last items — each other structure
is a *reading* with the assumption that makes it. The auditor raises an error only when every reading is
inconsistent; when only some are, it warns ``structure.ambiguous`` and names the assumption under which the
figures agree. Readings never come from the numbers: they are generated from names and cues alone, a
handful per split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .landuse import is_class_name, match_land_use
from .plans import Breakdown, Evidence, Item, Measure, Tie, TieStrength, Total, TotalKind

#: readings kept per split (the as-read one comes first and is not counted)
MAX_READINGS = 8

_HOUSING_KINDS = re.compile(
    r"商品住|保障|安置|棚户|棚改|经济适用|经适|廉租|公租|公共租赁|限价|中小套|人才|租赁住"
)
_HOUSING = re.compile(r"^(?:住宅|住房|居住)")


@dataclass(frozen=True)
class Reading:
    """One admissible structure of a split, with the assumption (Chinese) that makes it."""

    assumption: str
    breakdown: Breakdown


def narrower(child: str, parent: str) -> bool:
    """Whether land use ``child`` is a kind of ``parent`` (商品住房用地 of 住宅用地; 耕地 of 农用地)."""
    if child == parent:
        return False
    if _HOUSING.match(parent) and _HOUSING_KINDS.search(child):
        return True
    a, b = match_land_use(parent), match_land_use(child)
    if not a.gb2017 or not b.gb2017 or set(a.gb2017) == set(b.gb2017) or not is_class_name(parent):
        return False
    return all(any(c.startswith(p) for p in a.gb2017) for c in b.gb2017)


def item_total(item: Item, kind: TotalKind, money: bool = False) -> Total | None:
    """An item as the total of its own parts (same figures)."""
    measure: Measure | None = item.money if money else item.area
    if measure is None:
        return None
    return Total(kind, item.name, measure)


def readings(bd: Breakdown) -> list[Reading]:
    """The other admissible readings of ``bd`` (not the one as read), at most ``MAX_READINGS``."""
    found = (
        _lexical_nesting(bd)
        + _repeated_items(bd)
        + _open_scopes(bd)
        + _continued_scopes(bd)
        + _flat_groups(bd)
        + _nested(bd)
    )
    seen, unique = set(), []
    for r in found:
        key = repr(r.breakdown)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique[:MAX_READINGS]


def _money(bd: Breakdown) -> bool:
    total = bd.total
    return total is not None and total.measure.primary.quantity.value == "money"


def _kind(bd: Breakdown) -> TotalKind:
    return bd.total.kind if bd.total is not None else TotalKind.OTHER


def _lexical_nesting(bd: Breakdown) -> list[Reading]:
    """A narrower use beside the wider one: the narrower may be a part of the wider (each pair alone,
    then all such pairs at once)."""
    pairs = [
        (i, j)
        for i, wide in enumerate(bd.items)
        for j, part in enumerate(bd.items)
        if i < j and (wide.area or wide.money) and narrower(part.name, wide.name)
    ]
    out = [
        Reading(f"“{bd.items[j].name}”是“{bd.items[i].name}”的一部分", _nest(bd, [(i, j)])) for i, j in pairs
    ]
    if len(pairs) > 1:
        names = "、".join(f"“{bd.items[j].name}”" for _i, j in pairs)
        out.append(Reading(f"{names}是其上一级用途的一部分", _nest(bd, pairs)))
    return out


def _nest(bd: Breakdown, pairs: list[tuple[int, int]]) -> Breakdown:
    """``bd`` with each item ``j`` moved into the parts of item ``i`` (first wide item wins)."""
    moved: dict[int, list[int]] = {}
    taken: set[int] = set()
    for i, j in pairs:
        if j not in taken and i not in taken:
            moved.setdefault(i, []).append(j)
            taken.add(j)
    items = []
    for k, item in enumerate(bd.items):
        if k in taken:
            continue
        if k in moved:
            parts = tuple(bd.items[j] for j in moved[k])
            total = item_total(item, _kind(bd), _money(bd))
            tie = Tie(TieStrength.EXPLICIT, Evidence("reading", item.line, "按用途包含关系"))
            split = Breakdown(bd.dimension, item.name, parts[0].line, parts, total, False, tie)
            item = replace(item, parts=(*item.parts, split))
        items.append(item)
    return replace(bd, items=tuple(items))


def _repeated_items(bd: Breakdown) -> list[Reading]:
    """The same part named twice with the same figure (an intro sentence, then the list): counted once."""
    seen: dict[tuple, int] = {}
    drop = []
    for k, item in enumerate(bd.items):
        key = (item.name, _value(item.area), _value(item.money))
        if key[1] is None and key[2] is None:
            continue
        if key in seen:
            drop.append(k)
        else:
            seen[key] = k
    if not drop:
        return []
    items = tuple(it for k, it in enumerate(bd.items) if k not in drop)
    names = "、".join(f"“{bd.items[k].name}”" for k in drop)
    return [Reading(f"{names}重复提及，只计一次", replace(bd, items=items))]


def _value(m: Measure | None) -> str | None:
    return None if m is None else f"{m.primary.value}{m.primary.unit}"


def _open_scopes(bd: Breakdown) -> list[Reading]:
    """An item whose parts were introduced by an open 其中 (no parenthesis, no sentence end): the list
    of parts may end before its last items, which would then be parts of the level above."""
    out = []
    for k, item in enumerate(bd.items):
        for p, split in enumerate(item.parts):
            if not any(e.cue == "open_scope" for e in split.evidence) or len(split.items) < 2:
                continue
            for keep in range(1, len(split.items)):
                kept = replace(split, items=split.items[:keep])
                parts = (*item.parts[:p], kept, *item.parts[p + 1 :])
                promoted = split.items[keep:]
                items = (*bd.items[:k], replace(item, parts=parts), *promoted, *bd.items[k + 1 :])
                names = "、".join(f"“{i.name}”" for i in promoted)
                out.append(Reading(f"{names}与“{item.name}”并列，不是其中的一部分", replace(bd, items=items)))
    return out


def _continued_scopes(bd: Breakdown) -> list[Reading]:
    """An item whose parts were marked 其中 on their first row only: the items after it on its level may
    be further parts (one more, two more …)."""
    out = []
    for k, item in enumerate(bd.items):
        for p, split in enumerate(item.parts):
            if not any(e.cue == "scope_may_continue" for e in split.evidence):
                continue
            for more in range(1, len(bd.items) - k):
                moved = bd.items[k + 1 : k + 1 + more]
                if _known_apart(moved[-1].name, item.name):
                    break  # 工业用地 is no kind of 住宅用地: the land uses tell
                grown = replace(split, items=(*split.items, *moved))
                parts = (*item.parts[:p], grown, *item.parts[p + 1 :])
                items = (*bd.items[:k], replace(item, parts=parts), *bd.items[k + 1 + more :])
                names = "、".join(f"“{i.name}”" for i in moved)
                out.append(Reading(f"{names}也是“{item.name}”的组成部分", replace(bd, items=items)))
    return out


def _known_apart(child: str, parent: str) -> bool:
    """Whether both names are land uses of the national classes and ``child`` is not one of ``parent``."""
    return match_land_use(child).known and match_land_use(parent).known and not narrower(child, parent)


#: rows of a flat table considered for groups (a longer table is read as it stands)
_MAX_FLAT_ROWS = 40


def _flat_groups(bd: Breakdown) -> list[Reading]:
    """The rows of a table that shows no levels (no 其中 row, no indented row: a copied page loses the
    indentation, the bold group rows and the merged cells): a row may head the rows right after it, as the
    group they add up to (``城区 45 / 老城 20 / 新城 25 / 园区 30 / …``). The only reading generated from the
    figures: a row heads the shortest run of two or more rows after it that adds up to it (or the longest),
    so that a broken member row leaves no such run and the error stands."""
    if not any(e.cue == "table_rows" for e in bd.evidence) or any(it.parts for it in bd.items):
        return []
    if not 3 <= len(bd.items) <= _MAX_FLAT_ROWS or bd.total is None:
        return []
    from .audit.measures import claim  # (the auditor's claim of a stated measure)

    quantity = bd.total.measure.primary.quantity
    measures = [
        m if (m := it.area or it.money) is not None and m.primary.quantity is quantity else None
        for it in bd.items
    ]
    if any(m is None for m in measures):
        return []
    spans = [claim(m) for m in measures if m is not None]
    out = []
    for longest in (False, True):
        groups = _groups(spans, longest)
        if not groups:
            continue
        items, k = [], 0
        while k < len(bd.items):
            end = groups.get(k)
            if end is None:
                items.append(bd.items[k])
                k += 1
                continue
            head, members = bd.items[k], bd.items[k + 1 : end + 1]
            total = item_total(head, _kind(bd), _money(bd))
            tie = Tie(TieStrength.EXPLICIT, Evidence("reading", head.line, "表格中的分组行"))
            split = Breakdown(
                bd.dimension,
                head.name,
                members[0].line,
                members,
                total,
                True,
                tie,
                (Evidence("table_sum", head.line, "分组行是其下各行之和"),),
            )
            items.append(replace(head, parts=(split,)))
            k = end + 1
        names = "、".join(f"“{bd.items[h].name}”" for h in sorted(groups))
        out.append(
            Reading(
                f"{names}是表中其下各行的分组合计（原文的层级可能在转录时丢失）",
                replace(bd, items=tuple(items)),
            )
        )
    return out


def _groups(spans: list, longest: bool) -> dict[int, int]:
    """head row → last member row, each head followed by ≥ 2 rows whose sum can be the head's figure."""
    groups, k = {}, 0
    while k < len(spans):
        ends = []
        total = None
        for j in range(k + 1, len(spans)):
            total = spans[j] if total is None else total + spans[j]
            if j - k >= 2 and total.overlaps(spans[k]):
                ends.append(j)
                if not longest:
                    break
            if total.lo > spans[k].hi:
                break
        if ends:
            groups[k] = ends[-1]
            k = ends[-1] + 1
        else:
            k += 1
    return groups


def _nested(bd: Breakdown) -> list[Reading]:
    """The readings of the splits below (an item's parts), each lifted to the whole split."""
    out = []
    for k, item in enumerate(bd.items):
        for p, split in enumerate(item.parts):
            for r in readings(split):
                parts = (*item.parts[:p], r.breakdown, *item.parts[p + 1 :])
                items = (*bd.items[:k], replace(item, parts=parts), *bd.items[k + 1 :])
                out.append(Reading(r.assumption, replace(bd, items=items)))
    return out
