"""The parcel list as a whole: which total it belongs to, its areas and sums, how parcels are compared.

Shared by the rules on the list's sums (``parcels``) and on parcels listed twice (``duplicates``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from ..codes import normalise_code
from ..plans import Measure, PlanDocument, PlanParcel, Total
from ..units import Interval, Quantity
from .measures import claim
from .messages import amount, figure_decimals
from .sums import PartsSum

_LOCATION_NOISE = re.compile(r"[\s、，,。．.；;：:（）()“”\"'·\-－—]+")
_CODE_NOISE = re.compile(r"[\s]+")
_DASHES = re.compile(r"[－—–‐−]")
_YEAR_IN_CODE = re.compile(r"(?<!\d)(20\d\d)(?=\D|\d{2,4}$|$)")


def parcels_total(doc: PlanDocument) -> Total | None:
    """The total the parcel list should add up to, as the importer determined it (none: no sum check).

    No fallback to the reserve scale: in a supply notice the list may belong to another total.
    """
    return doc.parcels_total


def area_of(parcel: PlanParcel) -> Measure | None:
    """The parcel's area, when it has one."""
    area = parcel.area
    return area if area is not None and area.primary.quantity is Quantity.AREA else None


#: the sums of the lists asked for lately, by the identities of their measures (each rule asks for the
#: whole list's sum again; its interval over 10,000 parcels is computed once). A sum holds its measures,
#: so their identities stay theirs while it is kept.
_RECENT_SUMS: dict[tuple[int, ...], PartsSum] = {}


def parts_of(parcels: list[PlanParcel]) -> PartsSum:
    """The parcels' areas as a sum of parts."""
    measures = tuple(m for m in map(area_of, parcels) if m is not None)
    if len(measures) < 100:
        return PartsSum(measures)
    key = tuple(map(id, measures))
    found = _RECENT_SUMS.get(key)
    if found is None:
        if len(_RECENT_SUMS) >= 8:
            _RECENT_SUMS.clear()
        found = _RECENT_SUMS[key] = PartsSum(measures)
    return found


@dataclass(frozen=True)
class ListUnit:
    """The unit and decimals in which a list writes its areas, to show its sums the same way."""

    unit: str
    decimals: int

    @classmethod
    def of(cls, parcels: list[PlanParcel]) -> ListUnit:
        areas = [m.primary for m in map(area_of, parcels) if m is not None]
        unit = areas[0].unit if areas else "公顷"
        return cls(unit, max((figure_decimals(f) for f in areas if f.unit == unit), default=4))

    def show(self, base: Fraction) -> str:
        """``"40.9031公顷"``."""
        return amount(base, self.unit, self.decimals)


def sum_amount(doc: PlanDocument, parcels: list[PlanParcel]) -> str:
    """The written areas of ``parcels`` added up, shown as the list writes areas."""
    return ListUnit.of(doc.parcels).show(parts_of(parcels).base)


def without(span: Interval, part: Interval) -> Interval:
    """The sum ``span`` with one of its terms ``part`` taken out (endpoint by endpoint)."""
    return Interval(span.lo - part.lo, span.hi - part.hi)


def parcel_claim(parcel: PlanParcel) -> tuple[Fraction, Interval]:
    """The parcel's written area and its interval in base units (zero when it has none)."""
    area = area_of(parcel)
    if area is None:
        return Fraction(0), Interval.exact(Fraction(0))
    return Fraction(area.primary.base_value), claim(area)


def normalise_location(text: str | None, jurisdiction: str | None) -> str:
    """Location text for comparison: full-width folded, punctuation and the county name removed."""
    if not text:
        return ""
    plain = _LOCATION_NOISE.sub("", unicodedata.normalize("NFKC", text))
    if jurisdiction:
        plain = plain.removeprefix(_plain_jurisdiction(jurisdiction))
    return plain


@lru_cache(maxsize=256)
def _plain_jurisdiction(jurisdiction: str) -> str:
    """The county's name as ``normalise_location`` removes it (the same for every parcel of a list)."""
    return _LOCATION_NOISE.sub("", unicodedata.normalize("NFKC", jurisdiction))


def earlier_year_code(parcel: PlanParcel, year: int | None) -> int | None:
    """The year in the parcel's code when it is before the plan's year (a code from an earlier plan)."""
    found = _YEAR_IN_CODE.search(normalise_code(parcel.code))
    code_year = int(found.group(1)) if found else None
    return code_year if year and code_year and code_year < year else None
