"""The split by use against the parcel list: each use's area must be what its parcels add up to.

Checked only when the evidence is complete: the split and the list belong to the same total, the list
reaches that total, every parcel has an area and a use, and every use points at exactly one item of the
split (same name, or a land-use class inside the item's class: 工业用地 0601 inside 工矿仓储用地 06).
Code: ``breakdown.parcels_mismatch`` (error).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..findings import Finding
from ..landuse import match_land_use
from ..plans import (
    SUPPLY_SECTION_CUE,
    Breakdown,
    Dimension,
    Item,
    LandUseMatch,
    PlanDocument,
    PlanParcel,
    TieStrength,
)
from ..units import Quantity
from .measures import claim, measure_interval
from .messages import cited, finding, lines_text
from .parcel_list import ListUnit, area_of, parcels_total, parts_of
from .sums import stated_text

_NAME_NOISE = re.compile(r"[\s（）()]|用地$")


@lru_cache(maxsize=4096)
def _name(text: str) -> str:
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", text))


def _match(name: str, known: LandUseMatch | None) -> LandUseMatch:
    return known or match_land_use(name)


def _inside(codes: tuple[str, ...], within: tuple[str, ...]) -> bool:
    """Whether every code lies in one of the classes ``within`` (a class contains its subclasses)."""
    return bool(codes) and all(any(c.startswith(w) for w in within) for c in codes)


def item_for(parcel: PlanParcel, items: tuple[Item, ...]) -> Item | None:
    """The one item of a split by use that the parcel's use belongs to (None: none or several)."""
    assert parcel.use is not None
    same_name = [it for it in items if _name(it.name) == _name(parcel.use)]
    if len(same_name) == 1:
        return same_name[0]
    use = _match(parcel.use, parcel.land_use)
    if use.ambiguous:
        return None
    within = [it for it in items if _inside(use.gb2017, _match(it.name, it.land_use).gb2017)]
    return within[0] if len(within) == 1 else None


def _split_by_use(doc: PlanDocument) -> Breakdown | None:
    total = parcels_total(doc)
    for bd in doc.breakdowns:
        # a supply plan's 供应结构 section ties its uses to the total by the section only, and its parcel
        # table names each parcel's main use (a 住宅 parcel may hold roads): no use can be proven short
        tied = bd.tie_strength is not TieStrength.DEFAULT and (
            bd.tie is None or bd.tie.evidence.cue != SUPPLY_SECTION_CUE
        )
        if (
            bd.dimension is Dimension.USE
            and bd.exhaustive
            and tied
            and total is not None
            and bd.total is total
        ):
            return bd
    return None


def _groups(doc: PlanDocument, bd: Breakdown) -> dict[int, list[PlanParcel]] | None:
    """Parcels per item (by index), or None when a parcel lacks an area or a use that points at one item."""
    groups: dict[int, list[PlanParcel]] = {i: [] for i in range(len(bd.items))}
    index: dict[tuple, int | None] = {}  # (use, land use) → its item: a list repeats a few uses
    for parcel in doc.parcels:
        if not parcel.use or not area_of(parcel):
            return None
        key = (parcel.use, id(parcel.land_use))  # the parcels keep their matches alive: ids stay theirs
        if key not in index:
            target = item_for(parcel, bd.items)
            index[key] = None if target is None else bd.items.index(target)
        at = index[key]
        if at is None:
            return None
        groups[at].append(parcel)
    return groups


def _list_complete(doc: PlanDocument) -> bool:
    total = parcels_total(doc)
    return total is not None and parts_of(doc.parcels).span.overlaps(claim(total.measure))


def check_uses_against_parcels(doc: PlanDocument) -> list[Finding]:
    """``breakdown.parcels_mismatch``: a use's stated area against the parcels of that use."""
    bd = _split_by_use(doc)
    if bd is None or not doc.parcels or not _list_complete(doc):
        return []
    if any(it.area is None or it.area.primary.quantity is not Quantity.AREA for it in bd.items):
        return []
    groups = _groups(doc, bd)
    if groups is None:
        return []
    unit = ListUnit.of(doc.parcels)
    found = []
    for index, item in enumerate(bd.items):
        parts = parts_of(groups[index])
        assert item.area is not None
        if not parts.span.overlaps(measure_interval(item.area)):
            found.append(_mismatch(item, groups[index], unit))
    return found


def _mismatch(item: Item, parcels: list[PlanParcel], unit: ListUnit) -> Finding:
    assert item.area is not None
    stated = item.area.primary
    parts = parts_of(parcels)
    where = lines_text(p.line for p in parcels) if parcels else "地块清单中没有"
    listed = unit.show(parts.base)
    message = (
        f"{cited(stated)}（{stated_text(stated, measure_interval(item.area))}），而{where}用途为“{item.name}”的"
        f"{len(parcels)}宗地块合计{listed}，即使考虑四舍五入也不一致。请核对该用途的面积或地块的用途。"
    )
    values = {"stated": f"{stated.value}{stated.unit}", "parcels_sum": listed, "parcels": str(len(parcels))}
    lines = (item.line, *(p.line for p in parcels))
    return finding("breakdown.parcels_mismatch", message, lines, values, figures=item.area.figures)
