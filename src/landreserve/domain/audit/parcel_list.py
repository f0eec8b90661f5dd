"""The parcel list as a whole: which total it belongs to, its areas and sums, how parcels are compared.

Shared by the rules on the list's sums (``parcels``) and on parcels listed twice (``duplicates``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache

from ..codes import normalise_code
from ..plans import Measure, PlanDocument, PlanParcel, Total
from ..units import Interval, Quantity
from .measures import claim
from .messages import amount, decimals_of_value
from .sums import PartsSum

_LOCATION_NOISE = re.compile(r"[\s、，,。．.；;：:（）()“”\"'·\-－—]+")
_CODE_NOISE = re.compile(r"[\s]+")
_DASHES = re.compile(r"[－—–‐−]")
#: ``(?<!\d)(20\d\d)(?=\D|\d{2,4}$|$)`` with the look-behind after the 20: the search then skips from one
#: 20 to the next instead of trying every position (``tests/test_equal_rewrites.py``)
_YEAR_IN_CODE = re.compile(r"(20(?<!\d20)\d\d)(?=\D|\d{2,4}$|$)")


def parcels_total(doc: PlanDocument) -> Total | None:
    """The total the parcel list should add up to, as the importer determined it (none: no sum check).

    No fallback to the reserve scale: in a supply notice the list may belong to another total.
    """
    return doc.parcels_total


def area_of(parcel: PlanParcel) -> Measure | None:
    """The parcel's area, when it has one."""
    area = parcel.area
    return area if area is not None and area.figures[0].quantity is Quantity.AREA else None


def parts_of(parcels: list[PlanParcel]) -> PartsSum:
    """The parcels' areas as a sum of parts."""
    return PartsSum(tuple(m for m in map(area_of, parcels) if m is not None))


class ParcelList:
    """The document's parcel list as the rules on it read it, worked out once per audit.

    ``audit_plan`` makes one for the document and gives it to every rule of ``LIST_RULES``: each parcel's
    area, its code and place as compared, the whole list's sum and unit are then found once, not once per
    rule (over 10,000 parcels each pass costs milliseconds). The rules read the document and never change
    it, so nothing here goes stale while the audit runs.
    """

    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.parcels = doc.parcels

    @cached_property
    def areas(self) -> list[Measure | None]:
        """Each parcel's area (``area_of``), in list order."""
        # found on first use, inside a rule: an odd parcel that breaks ``area_of`` fails the rules that
        # read areas (``audit.rule_failed``), as it did when each rule asked itself
        return [area_of(p) for p in self.parcels]

    @cached_property
    def parts(self) -> PartsSum:
        """The whole list's areas as a sum of parts (``parts_of(doc.parcels)``)."""
        return PartsSum(tuple(m for m in self.areas if m is not None))

    @cached_property
    def codes(self) -> list[str]:
        """Each parcel's code in its canonical form (``normalise_code``)."""
        return [normalise_code(p.code) for p in self.parcels]

    @cached_property
    def places(self) -> list[str]:
        """Each parcel's location as compared (``normalise_location``)."""
        jurisdiction = self.doc.jurisdiction
        return [normalise_location(p.location, jurisdiction) for p in self.parcels]

    @cached_property
    def unit(self) -> ListUnit:
        """The unit and decimals the list writes its areas in (``ListUnit.of(doc.parcels)``)."""
        return ListUnit.of_areas(self.areas)

    def sum_amount(self, parcels: list[PlanParcel]) -> str:
        """The written areas of ``parcels`` added up, shown as the list writes areas."""
        parts = self.parts if parcels is self.parcels else parts_of(parcels)
        return self.unit.show(parts.base)


@dataclass(frozen=True)
class ListUnit:
    """The unit and decimals in which a list writes its areas, to show its sums the same way."""

    unit: str
    decimals: int

    @classmethod
    def of(cls, parcels: list[PlanParcel]) -> ListUnit:
        return cls.of_areas(list(map(area_of, parcels)))

    @classmethod
    def of_areas(cls, measures: list[Measure | None]) -> ListUnit:
        """From the parcels' areas (``area_of`` of each; ``None``: no area)."""
        areas = [m.figures[0] for m in measures if m is not None]
        unit = areas[0].unit if areas else "公顷"
        # ``figure_decimals`` of each figure in ``unit``
        return cls(unit, max(map(decimals_of_value, [f.value for f in areas if f.unit == unit]), default=4))

    def show(self, base: Fraction) -> str:
        """``"40.9031公顷"``."""
        return amount(base, self.unit, self.decimals)


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
    return earlier_year(normalise_code(parcel.code), year)


def earlier_year(code: str, year: int | None) -> int | None:
    """``earlier_year_code`` of a parcel whose code is ``code`` (in its canonical form)."""
    found = _YEAR_IN_CODE.search(code)
    code_year = int(found.group(1)) if found else None
    return code_year if year and code_year and code_year < year else None
