"""What a value entered by a user can plausibly be: the one place of these rules.

- **Dates** (approvals, evidence, state changes, payments, supply): within a window around today —
  at most ``date_past_years`` before and ``date_future_years`` after (settings ``LANDRESERVE_DATE_PAST_YEARS``,
  ``LANDRESERVE_DATE_FUTURE_YEARS``). An approval dated 1800 or evidence dated 2099 is a typing error.
- **Years** (budget years, plan years, supply years): the same window.
- **Areas** of one parcel: more than zero and at most ``max_parcel_area_ha`` (a county parcel, not a
  province; 10³⁰ ㎡ is refused).
- **Amounts** of money: at most :data:`MAX_AMOUNT_YUAN` (十万亿元; a county's reserve is far below).
- **Short texts** (codes, names, uses, document numbers): no control characters, at most the column's
  length (the same check on SQLite and PostgreSQL, before anything is written).

Every refusal is an ``InputError`` naming the field, the value and what is allowed, in Chinese.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..errors import InputError

#: the largest amount of money accepted anywhere (元): 十万亿元
MAX_AMOUNT_YUAN = Decimal("10000000000000")
M2_PER_HA = Decimal(10_000)


@dataclass(frozen=True)
class Window:
    """The plausible dates and areas of one installation on one day."""

    today: date
    past_years: int = 50
    future_years: int = 5
    max_parcel_area_ha: Decimal = Decimal(10_000)

    @classmethod
    def from_settings(cls, settings, today: date) -> Window:
        return cls(today, settings.date_past_years, settings.date_future_years, settings.max_parcel_area_ha)

    @property
    def first_day(self) -> date:
        return _years_from(self.today, -self.past_years)

    @property
    def last_day(self) -> date:
        return _years_from(self.today, self.future_years)

    def date(self, value: date | None, field: str) -> date | None:
        """``value`` unchanged when it lies in the window (``None`` passes); ``InputError`` naming ``field``."""
        if value is None:
            return None
        if not self.first_day <= value <= self.last_day:
            raise InputError(
                f"{field}“{value.isoformat()}”不合常理：应在 {self.first_day.isoformat()} 至 {self.last_day.isoformat()} "
                f"之间（今天前 {self.past_years} 年至后 {self.future_years} 年，设置 LANDRESERVE_DATE_PAST_YEARS、"
                "LANDRESERVE_DATE_FUTURE_YEARS）。请核对日期",
                code="input.date_implausible",
                details={"field": field, "value": value.isoformat()},
            )
        return value

    def year(self, value: int | None, field: str) -> int | None:
        if value is None:
            return None
        low, high = self.first_day.year, self.last_day.year
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InputError(
                f"{field}“{value}”不合常理：应为 {low}–{high} 之间的年份。请核对年份",
                code="input.year_implausible",
                details={"field": field, "value": str(value)},
            )
        return value

    def area_m2(self, value: Decimal | None, field: str) -> Decimal | None:
        """A parcel's area in ㎡: more than zero, at most ``max_parcel_area_ha``."""
        if value is None:
            return None
        limit = self.max_parcel_area_ha * M2_PER_HA
        if not value.is_finite() or value <= 0 or value > limit:
            raise InputError(
                f"{field}“{_shown(value)}”平方米不合常理：一宗地块的面积应大于 0、不超过 {_shown(limit)} 平方米"
                f"（{_shown(self.max_parcel_area_ha)} 公顷，设置 LANDRESERVE_MAX_PARCEL_AREA_HA）。请核对面积和单位",
                code="input.area_implausible",
                details={"field": field, "value": _shown(value)},
            )
        return value


def amount(value: Decimal, field: str) -> Decimal:
    """An amount of money in 元, at most :data:`MAX_AMOUNT_YUAN` in size."""
    if not value.is_finite() or abs(value) > MAX_AMOUNT_YUAN:
        raise InputError(
            f"{field}“{_shown(value)}”元不合常理：金额不能超过十万亿元（{_shown(MAX_AMOUNT_YUAN)} 元）。"
            "请核对金额和单位（元、万元、亿元）",
            code="input.amount_implausible",
            details={"field": field, "value": _shown(value)},
        )
    return value


def control_characters(value: str) -> list[str]:
    """The control and other invisible format characters in ``value`` (as ``U+0007``)."""
    return [f"U+{ord(c):04X}" for c in value if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")]


def text(value: str | None, field: str, max_length: int | None = None) -> str | None:
    """A short text (code, name, use, document number): no control characters, at most ``max_length``."""
    if value is None:
        return None
    bad = control_characters(value)
    if bad:
        raise InputError(
            f"{field}“{_printable(value)}”含有控制字符（{'、'.join(dict.fromkeys(bad))}）：请删去后重新输入",
            code="input.control_character",
            details={"field": field},
        )
    if max_length is not None and len(value) > max_length:
        raise InputError(
            f"{field}过长：最多 {max_length} 个字符，收到 {len(value)} 个（“{value[:20]}…”）。请缩短",
            code="input.too_long",
            details={"field": field, "limit": max_length, "length": len(value)},
        )
    return value


def _printable(value: str) -> str:
    shown = "".join("�" if control_characters(c) else c for c in value)
    return shown if len(shown) <= 40 else shown[:40] + "…"


def _shown(value: Decimal) -> str:
    if not value.is_finite():
        return str(value)
    if abs(value) >= Decimal("1e15"):
        return f"{value:.3E}"
    return format(value.normalize(), "f")


def _years_from(day: date, years: int) -> date:
    year = min(max(day.year + years, 1), 9999)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)
