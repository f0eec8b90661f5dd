"""CGCS2000 coordinate systems: EPSG:4490 lon/lat and the 3-degree Gauss-Krüger zones, chosen without guessing.

Zones 25–45 (central meridians 75°–135°E) exist twice: EPSG:4513–4533 with the zone number prefixed to
the easting (``26 500 000`` m), EPSG:4534–4554 without it (``500 000`` m). The zone of unprefixed
projected data cannot be read from the coordinates, so it must come from the file or the user.

Axis order: EPSG:4490 is officially latitude first and the Gauss-Krüger CRSs northing first; inside this
package every coordinate is (x=easting or longitude, y=northing or latitude), and every transformation is
made with ``always_xy=True``.

>>> GaussKrugerZone(26).epsg, GaussKrugerZone(26, prefixed=True).epsg
(4535, 4514)
>>> GaussKrugerZone.for_longitude(78.4).number
26
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pyproj
from pyproj.exceptions import CRSError

from ..errors import InputError

GEOGRAPHIC_EPSG = 4490
#: EPSG:4326 (WGS 84) lon/lat is accepted as CGCS2000 lon/lat: the two differ by well under a metre
WGS84_EPSG = 4326
FIRST_ZONE, LAST_ZONE = 25, 45
PREFIXED_BASE, PLAIN_BASE = 4513, 4534
#: China, loosely (lon/lat): anything outside is certainly wrong
CHINA_BOUNDS = (73.0, 3.5, 135.5, 54.0)
#: plausible eastings of a 3-degree zone without prefix (±1.5° is at most ~170 km from 500 km)
PLAIN_EASTING = (250_000.0, 750_000.0)
#: plausible northings in China (3.5°N … 54°N)
NORTHING = (380_000.0, 6_000_000.0)


@dataclass(frozen=True)
class GaussKrugerZone:
    """A CGCS2000 3-degree Gauss-Krüger zone (25–45), with or without the zone prefix in eastings."""

    number: int
    prefixed: bool = False

    def __post_init__(self) -> None:
        if not FIRST_ZONE <= self.number <= LAST_ZONE:
            raise InputError(
                f"3度带带号 {self.number} 不在中国范围（{FIRST_ZONE}–{LAST_ZONE}，中央经线75°–135°E）内；"
                "请检查 --zone 或文件中的带号。",
                code="crs.zone_out_of_range",
            )

    @property
    def central_meridian(self) -> int:
        return 3 * self.number

    @property
    def epsg(self) -> int:
        base = PREFIXED_BASE if self.prefixed else PLAIN_BASE
        return base + self.number - FIRST_ZONE

    @property
    def label(self) -> str:
        prefix = "东坐标带带号前缀" if self.prefixed else "东坐标无带号前缀"
        return f"EPSG:{self.epsg}（CGCS2000 3度带第{self.number}带，中央经线{self.central_meridian}°E，{prefix}）"

    def with_prefix(self, prefixed: bool) -> GaussKrugerZone:
        return GaussKrugerZone(self.number, prefixed)

    @classmethod
    def from_epsg(cls, epsg: int) -> GaussKrugerZone | None:
        """The zone of a Gauss-Krüger EPSG code, ``None`` for any other code."""
        if PREFIXED_BASE <= epsg < PREFIXED_BASE + 21:
            return cls(epsg - PREFIXED_BASE + FIRST_ZONE, prefixed=True)
        if PLAIN_BASE <= epsg < PLAIN_BASE + 21:
            return cls(epsg - PLAIN_BASE + FIRST_ZONE, prefixed=False)
        return None

    @classmethod
    def for_longitude(cls, lon: float, prefixed: bool = False) -> GaussKrugerZone:
        """The zone whose band (central meridian ± 1.5°) holds ``lon``; a boundary goes east."""
        return cls(int(math.floor((lon + 1.5) / 3.0)), prefixed)


@dataclass(frozen=True)
class CrsChoice:
    """The CRS of a layer and why it was chosen (``source``: 用户指定 / 文件声明 / 坐标推断)."""

    epsg: int
    source: str
    explanation: str

    @property
    def zone(self) -> GaussKrugerZone | None:
        return GaussKrugerZone.from_epsg(self.epsg)

    @property
    def geographic(self) -> bool:
        return self.epsg in (GEOGRAPHIC_EPSG, WGS84_EPSG)


def supported(epsg: int) -> bool:
    """True for EPSG:4490, EPSG:4326 and the CGCS2000 3-degree zones EPSG:4513–4554."""
    return epsg in (GEOGRAPHIC_EPSG, WGS84_EPSG) or GaussKrugerZone.from_epsg(epsg) is not None


def parse_crs_option(text: str) -> int:
    """Read a ``--crs`` value (``EPSG:4535``, ``4535``, ``epsg:4490``) into a supported EPSG code.

    >>> parse_crs_option("EPSG:4514")
    4514
    """
    match = re.fullmatch(r"\s*(?:epsg\s*[:：]\s*)?(\d{4,5})\s*", text, re.IGNORECASE)
    if not match or not supported(int(match.group(1))):
        raise InputError(
            f"不支持的坐标系“{text}”：请用 EPSG:4490（CGCS2000 经纬度）或 EPSG:4513–4554（CGCS2000 3度带），"
            "例如巴楚县为 EPSG:4535（无带号）或 EPSG:4514（带号26）。",
            code="crs.unsupported",
        )
    return int(match.group(1))


def epsg_of(crs: str | None) -> int | None:
    """The EPSG code of a CRS read from a file (EPSG string or WKT), ``None`` when absent or unknown."""
    if not crs:
        return None
    try:
        parsed = pyproj.CRS.from_user_input(crs)
    except CRSError:
        return None
    code = parsed.to_epsg(min_confidence=70)
    if code is None and parsed.to_authority(min_confidence=70) in (("OGC", "CRS84"), ("OGC", "CRS:84")):
        return WGS84_EPSG  # RFC 7946 / OGC lon/lat on WGS 84
    return code if code is not None else _cgcs2000_zone_epsg(parsed)


def _cgcs2000_zone_epsg(parsed: pyproj.CRS) -> int | None:
    """Recognise an ESRI-style CGCS2000 Gauss-Krüger WKT that carries no EPSG code."""
    datum = (parsed.datum.name if parsed.datum else "").lower()
    if "2000" not in datum or not parsed.is_projected:
        return None
    params = {p.name.lower(): p.value for p in parsed.coordinate_operation.params}
    lon0 = params.get("longitude of natural origin")
    false_easting = params.get("false easting")
    if lon0 is None or false_easting is None or lon0 % 3:
        return None
    prefixed = false_easting >= 1_000_000
    return GaussKrugerZone(int(lon0 // 3), prefixed).epsg


@lru_cache(maxsize=64)
def transformer(source_epsg: int, target_epsg: int) -> pyproj.Transformer:
    """A cached transformer between two EPSG codes, always in (x=lon/easting, y=lat/northing) order."""
    return pyproj.Transformer.from_crs(source_epsg, target_epsg, always_xy=True)


def looks_geographic(bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180.0 <= minx and maxx <= 180.0 and -90.0 <= miny and maxy <= 90.0


def easting_prefix(x: float) -> int | None:
    """The zone prefix of a projected easting (``26 512 345.6`` → 26), ``None`` for a plain easting."""
    return int(x // 1_000_000) if x >= 1_000_000 else None


def bounds_fit(bounds: tuple[float, float, float, float], epsg: int) -> bool:
    """True when coordinates with these bounds are plausible in ``epsg`` (axis order x, y)."""
    minx, miny, maxx, maxy = bounds
    zone = GaussKrugerZone.from_epsg(epsg)
    if zone is None:
        lo_x, lo_y, hi_x, hi_y = CHINA_BOUNDS
        return lo_x <= minx and maxx <= hi_x and lo_y <= miny and maxy <= hi_y
    offset = zone.number * 1_000_000 if zone.prefixed else 0
    lo, hi = PLAIN_EASTING
    return offset + lo <= minx and maxx <= offset + hi and NORTHING[0] <= miny and maxy <= NORTHING[1]


Bounds = tuple[float, float, float, float]


def classify(bounds: Bounds) -> int | None:
    """The EPSG code these coordinates fit on their own: 4490, a prefixed zone, or 0 for "plain zone,
    number unknown"; ``None`` when they fit nothing (swapped axes, another country, garbage)."""
    if bounds_fit(bounds, GEOGRAPHIC_EPSG):
        return GEOGRAPHIC_EPSG
    prefix = easting_prefix(bounds[0])
    if prefix is not None and prefix == easting_prefix(bounds[2]) and FIRST_ZONE <= prefix <= LAST_ZONE:
        epsg = GaussKrugerZone(prefix, prefixed=True).epsg
        return epsg if bounds_fit(bounds, epsg) else None
    if prefix is None and bounds_fit(bounds, GaussKrugerZone(FIRST_ZONE).epsg):
        return 0
    return None


def resolve_crs(
    feature_bounds: list[Bounds],
    *,
    source_name: str,
    user_epsg: int | None = None,
    user_zone: int | None = None,
    declared_epsg: int | None = None,
    declared_crs: str | None = None,
) -> CrsChoice:
    """Choose the CRS of a layer's coordinates: the user's, else the file's, else what the data proves.

    Every choice is checked against the coordinates; features that fit nothing (swapped axes…) are left to
    ``validity`` and do not vote. Ambiguity raises ``InputError`` asking for ``--crs`` or ``--zone``.

    >>> resolve_crs([(26500000.0, 4400000.0, 26500100.0, 4400100.0)], source_name="a.shp").epsg
    4514
    """
    kinds = {k for k in map(classify, feature_bounds) if k is not None}
    if user_epsg is not None:
        return _checked(user_epsg, kinds, source_name, "用户指定", "--crs")
    if user_zone is not None:
        return _from_user_zone(user_zone, kinds, source_name)
    if declared_epsg is None and declared_crs and str(declared_crs).strip():
        raise InputError(
            f"{source_name} 声明的坐标系“{declared_crs}”无法识别（不是已知的 EPSG 坐标系）；"
            "请用 --crs 指明实际坐标系（如 EPSG:4535），或在 GIS 软件中改正文件的坐标系。",
            code="crs.unknown",
        )
    if declared_epsg is not None:
        if not supported(declared_epsg):
            raise InputError(
                f"{source_name} 声明的坐标系 EPSG:{declared_epsg} 不是 CGCS2000（EPSG:4490 或 3度带 EPSG:4513–4554）；"
                "请先在 GIS 软件中转换到 CGCS2000，或用 --crs 指明实际坐标系。",
                code="crs.unsupported",
            )
        return _checked(declared_epsg, kinds, source_name, "文件声明", "文件中的坐标系")
    return _from_data(kinds, source_name)


def _kind_text(kind: int) -> str:
    if kind == GEOGRAPHIC_EPSG:
        return "经纬度"
    if kind == 0:
        return "无带号前缀的3度带投影坐标"
    zone = GaussKrugerZone.from_epsg(kind)
    return f"带号前缀为{zone.number}的3度带投影坐标" if zone else f"EPSG:{kind}"


def _checked(epsg: int, kinds: set[int], source_name: str, source: str, what: str) -> CrsChoice:
    zone = GaussKrugerZone.from_epsg(epsg)
    expected = GEOGRAPHIC_EPSG if zone is None else (epsg if zone.prefixed else 0)
    wrong = sorted(k for k in kinds if k != expected)
    if wrong:
        found = "、".join(_kind_text(k) for k in wrong)
        hint = _suggestion(wrong[0], zone)
        raise InputError(
            f"{source_name}：{what}为 EPSG:{epsg}，但坐标是{found}{hint}；两者不符，请核对后用 --crs 或 --zone 指明。",
            code="crs.mismatch",
        )
    label = zone.label if zone else f"EPSG:{epsg}（CGCS2000 经纬度，经度在前）"
    return CrsChoice(epsg, source, f"{source}：{label}")


def _suggestion(kind: int, zone: GaussKrugerZone | None) -> str:
    if kind == 0:
        return f"，应为 EPSG:{zone.with_prefix(False).epsg}" if zone else ""
    return f"，应为 EPSG:{kind}"


def _from_user_zone(number: int, kinds: set[int], source_name: str) -> CrsChoice:
    prefixed = any(k not in (0, GEOGRAPHIC_EPSG) for k in kinds)
    if kinds == {GEOGRAPHIC_EPSG}:
        return CrsChoice(
            GEOGRAPHIC_EPSG, "坐标推断", "坐标为经纬度，按 EPSG:4490 读取；面积在用户指定的带中计算"
        )
    return _checked(GaussKrugerZone(number, prefixed).epsg, kinds, source_name, "用户指定", "--zone")


def _from_data(kinds: set[int], source_name: str) -> CrsChoice:
    if not kinds:
        raise InputError(
            f"{source_name}：没有一个图形的坐标像 CGCS2000 经纬度或3度带投影坐标（可能 X/Y 颠倒或坐标系不同）；"
            "请检查坐标后用 --crs 指明。",
            code="crs.unknown",
        )
    if len(kinds) > 1:
        found = "、".join(_kind_text(k) for k in sorted(kinds))
        raise InputError(
            f"{source_name}：图形的坐标类型不一致（{found}），无法确定坐标系；请分文件导入或用 --crs 指明。",
            code="crs.ambiguous",
        )
    (kind,) = kinds
    if kind == 0:
        raise InputError(
            f"{source_name}：坐标是3度带投影坐标，但东坐标没有带号前缀，文件也未声明坐标系，无法判断带号；"
            "请用 --zone 指明带号（巴楚县为 --zone 26，即 EPSG:4535）或用 --crs EPSG:45xx 指明。",
            code="crs.zone_unknown",
        )
    if kind == GEOGRAPHIC_EPSG:
        return CrsChoice(kind, "坐标推断", "坐标推断：经纬度，按 EPSG:4490（CGCS2000，经度在前）读取")
    zone = GaussKrugerZone.from_epsg(kind)
    return CrsChoice(kind, "坐标推断", f"坐标推断：东坐标带号前缀{zone.number} → {zone.label}")


def target_zone(
    choice: CrsChoice, lon_bounds: Bounds | None, user_zone: int | None = None
) -> GaussKrugerZone:
    """The projected zone in which areas are computed and the geometry is stored.

    Projected data keep their own zone. Lon/lat data go to the user's zone, else to the zone whose band
    holds all of them; data spanning two bands need ``--zone``.
    """
    if choice.zone is not None:
        return choice.zone
    if user_zone is not None:
        return GaussKrugerZone(user_zone)
    if lon_bounds is None:
        raise InputError("没有可用的图形，无法选择投影带；请用 --zone 指明。", code="crs.zone_unknown")
    west = GaussKrugerZone.for_longitude(lon_bounds[0])
    east = GaussKrugerZone.for_longitude(lon_bounds[2])
    if west != east:
        raise InputError(
            f"经纬度数据跨越两个3度带（经度 {lon_bounds[0]:.4f}°–{lon_bounds[2]:.4f}°E，第{west.number}带与第"
            f"{east.number}带，分界 {west.central_meridian + 1.5}°E），无法自动选择计算面积的投影带；"
            f"请用 --zone {west.number} 或 --zone {east.number} 指明。",
            code="crs.zone_ambiguous",
        )
    return west


@dataclass(frozen=True)
class CommonZone:
    """The zone in which parcels stored in several zones are compared or exported, and why (Chinese).

    ``note`` is empty when all parcels share one CRS; otherwise it says how many parcels lie in which
    zone, which zone was chosen and that the others were reprojected into it.
    """

    zone: GaussKrugerZone
    counts: dict[int, int]
    note: str = ""


def common_zone(epsgs: list[int]) -> CommonZone:
    """The CRS in which parcels stored in ``epsgs`` (one code per parcel, all Gauss-Krüger) are compared.

    One CRS for all: that CRS. Several: the zone holding most parcels, without prefix (a tie goes to the
    lower zone number, so the choice never depends on the order of the parcels); ``note`` states it.

    >>> common_zone([4535, 4514]).zone.epsg
    4535
    >>> common_zone([4534, 4535, 4535]).note[:14]
    '地块分属不同的3度带：第25带'
    """
    counts = Counter(epsgs)
    if len(counts) == 1:
        return CommonZone(GaussKrugerZone.from_epsg(epsgs[0]), dict(counts))
    numbers = Counter(GaussKrugerZone.from_epsg(e).number for e in epsgs)
    most = max(numbers.values())
    chosen = GaussKrugerZone(min(n for n, k in numbers.items() if k == most))
    if len(numbers) == 1:
        note = f"地块有的东坐标带号前缀、有的没有，统一换算为 {chosen.label}（平移，面积不变）。"
        return CommonZone(chosen, dict(counts), note)
    parts = "、".join(f"第{n}带 {k} 个" for n, k in sorted(numbers.items()))
    tie = "（并列时取带号小者）" if list(numbers.values()).count(most) > 1 else ""
    note = (
        f"地块分属不同的3度带：{parts}；统一换算到地块最多的第{chosen.number}带{tie}，即 {chosen.label}。"
        "其他带的地块换带后图形面积略有变化（每个地块自身的面积仍按其本带计算）；如需按另一带处理，请分带导入。"
    )
    return CommonZone(chosen, dict(counts), note)
