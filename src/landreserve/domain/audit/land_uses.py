"""Land-use labels of splits by use and of parcels, mapped to the national classifications.

Codes: ``landuse.ambiguous`` (warning: the label can mean several classes, e.g. 商住) and
``landuse.unknown`` (info: no class matches; the label is kept as written).
"""

from __future__ import annotations

from ..findings import Finding, Severity
from ..landuse import match_land_use
from ..plans import Breakdown, Dimension, LandUseMatch
from .parcel_list import ParcelList


def land_use_findings(name: str, line: int, match: LandUseMatch | None) -> list[Finding]:
    """``landuse.ambiguous`` (warning) or ``landuse.unknown`` (info) for one land-use label."""
    match = match or match_land_use(name)
    if match.ambiguous:
        message = f"第{line}行用途“{name}”含义不唯一：{match.note}"
        values = {"stated": name, "gb2017": ",".join(match.gb2017), "gb2023": ",".join(match.gb2023)}
        return [Finding("landuse.ambiguous", Severity.WARNING, message, (line,), values)]
    if not match.known:
        message = f"第{line}行用途“{name}”未能对应到国家土地分类（GB/T 21010-2017、2023用地用海分类），仅按原文保存。"
        return [Finding("landuse.unknown", Severity.INFO, message, (line,), {"stated": name})]
    return []


def check_breakdown(bd: Breakdown) -> list[Finding]:
    """Land-use labels of a split by use."""
    if bd.dimension is not Dimension.USE:
        return []
    return [f for it in bd.items for f in land_use_findings(it.name, it.line, it.land_use)]


def check_parcels(listing: ParcelList) -> list[Finding]:
    """Land-use labels given for parcels."""
    return [
        f
        for p in listing.parcels
        if p.use and not _plainly_known(p.land_use)
        for f in land_use_findings(p.use, p.line, p.land_use)
    ]


def _plainly_known(match: LandUseMatch | None) -> bool:
    """Whether ``land_use_findings`` finds nothing on a label already matched as ``match`` (most parcels)."""
    return match is not None and not match.ambiguous and match.known
