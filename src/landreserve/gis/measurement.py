"""Areas of parcels in their projected zone, exactly, in ㎡ / 公顷 / 亩, and against the declared area.

The area is the shoelace sum over the coordinates as stored (floats taken exactly as ``Decimal``), so a
100 m × 100 m square is exactly 10000 ㎡ = 1 公顷 = 15 亩; it is kept to 0.000001 ㎡.

>>> import shapely
>>> a = area_of(shapely.box(500000, 4400000, 500100, 4400100), 4535)
>>> a.m2, a.ha, a.mu
(Decimal('10000.000000'), Decimal('1.000000'), Decimal('15.000000'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..domain.findings import Finding, Severity
from ..domain.units import Quantity, interval, normalise_unit, quantity_of
from ..errors import InputError
from .crs import GaussKrugerZone, transformer

M2_DIGITS = Decimal("0.000001")


@dataclass(frozen=True)
class Area:
    """An area, exact, in ㎡ (``m2``) with ha and 亩 derived exactly (1 ha = 10000 ㎡ = 15 亩)."""

    m2: Decimal

    @property
    def ha(self) -> Decimal:
        return self.m2 / Decimal(10000)

    @property
    def mu(self) -> Decimal:
        return self.m2 * 3 / Decimal(2000)

    def text(self) -> str:
        """For display: ``1.0000 公顷（15.00 亩，10000.00 ㎡）``."""
        return f"{self.ha:.4f} 公顷（{self.mu:.2f} 亩，{self.m2:.2f} ㎡）"


def project(geometry: BaseGeometry, source_epsg: int, target_epsg: int) -> BaseGeometry:
    """The geometry transformed between two EPSG codes (x=lon/easting, y=lat/northing throughout)."""
    if source_epsg == target_epsg:
        return geometry
    source, target = GaussKrugerZone.from_epsg(source_epsg), GaussKrugerZone.from_epsg(target_epsg)
    if source is not None and target is not None and source.number == target.number:
        # same zone, prefix added or removed: an exact shift, not a round trip through lon/lat
        shift = source.number * 1_000_000 * (int(target.prefixed) - int(source.prefixed))
        return shapely.transform(geometry, lambda xy: xy + np.array([shift, 0.0]))
    move = transformer(source_epsg, target_epsg)
    return shapely.transform(geometry, lambda xy: np.column_stack(move.transform(xy[:, 0], xy[:, 1])))


def area_of(geometry: BaseGeometry, epsg: int) -> Area:
    """Exact planar area of a (multi)polygon given in a Gauss-Krüger zone (``epsg`` 4513–4554).

    Raises ``InputError`` for any other CRS: areas are only measured in the projected zone.
    """
    if GaussKrugerZone.from_epsg(epsg) is None:
        raise InputError(
            f"面积只能在3度带投影坐标中计算，当前坐标系为 EPSG:{epsg}；请先投影。", code="crs.not_projected"
        )
    with localcontext() as context:
        context.prec = 200
        total = Decimal(0)
        for polygon in shapely.get_parts(geometry):
            total += abs(_ring_twice_area(polygon.exterior.coords))
            total -= sum((abs(_ring_twice_area(h.coords)) for h in polygon.interiors), Decimal(0))
        area = (total / 2).quantize(M2_DIGITS, rounding=ROUND_HALF_EVEN)
    return Area(area)


def _ring_twice_area(coords) -> Decimal:
    points = [(Decimal(float(x)), Decimal(float(y))) for x, y in coords]
    x0, y0 = points[0]
    shifted = [(x - x0, y - y0) for x, y in points]
    return sum((a[0] * b[1] - b[0] * a[1] for a, b in zip(shifted, shifted[1:], strict=False)), Decimal(0))


def area_in_zone(geometry: BaseGeometry, epsg: int, zone: GaussKrugerZone) -> Area:
    """Area of a geometry given in any supported CRS, measured in ``zone``."""
    return area_of(project(geometry, epsg, zone.epsg), zone.epsg)


_WRITTEN = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([^\d\s.]\S*)\s*$")


def declared_text(text: str | None, default_unit: str = "公顷") -> tuple[str, str] | None:
    """(number as written, unit) of a declared area such as ``"4.0254公顷"`` or ``"1.0000"``."""
    if text is None or not str(text).strip():
        return None
    match = _WRITTEN.match(str(text).replace("，", "").replace(",", ""))
    if match:
        unit = normalise_unit(match.group(2))
        try:
            if quantity_of(unit) is Quantity.AREA:
                return match.group(1), unit
        except KeyError:
            return None
        return None
    plain = str(text).strip()
    return (plain, default_unit) if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", plain) else None


def compare_declared(
    parcel: str, computed: Area, value: str, unit: str, tolerance: Decimal, source: str
) -> Finding | None:
    """A finding when the computed area lies outside the declared area's rounding interval widened by
    ``tolerance`` (relative); ``None`` when they agree.

    Parameters
    ----------
    value, unit : str
        The declared area as written (``"1.00"``, ``"公顷"``): its rounding interval is used.
    tolerance : Decimal
        Relative tolerance (``Settings.area_tolerance``, e.g. 0.01 = 1 %).
    source : str
        Where the declared area comes from, for the message (``"界址点文件第9行"``, ``"计划地块清单"``).
    """
    declared = interval(value, unit)
    lo = declared.lo * (1 - Fraction(tolerance))
    hi = declared.hi * (1 + Fraction(tolerance))
    actual = Fraction(computed.m2)
    if lo <= actual <= hi:
        return None
    mid = declared.mid
    share = (actual - mid) / mid * 100 if mid else Fraction(0)
    message = (
        f"地块 {parcel}：图形计算面积 {computed.text()} 与{source}申报面积 {value}{unit} 相差 {float(share):+.2f}%，"
        f"超出允许误差 {tolerance * 100}%；请核对边界或申报面积。"
    )
    values = {
        "parcel": parcel,
        "computed_m2": str(computed.m2),
        "declared": f"{value}{unit}",
        "declared_m2_lo": str(Decimal(declared.lo.numerator) / declared.lo.denominator),
        "declared_m2_hi": str(Decimal(declared.hi.numerator) / declared.hi.denominator),
        "tolerance": str(tolerance),
        "difference_percent": f"{float(share):.4f}",
    }
    return Finding("geometry.area_mismatch", Severity.ERROR, message, values=values)
