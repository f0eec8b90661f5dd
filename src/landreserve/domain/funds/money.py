"""Money in 元 as exact ``Decimal``: parsing of 元/万元/亿元 amounts, rounding to 分, display.

Rules: an amount entered by a user must be exact to the 分 (0.01 元) once converted to 元 — it is never
rounded silently; a computed amount (interest, a share of a price) is rounded to the 分 half-up, once,
at the point where it becomes a payment or a figure of a table. Floats are refused everywhere.

>>> parse_amount("0.75亿元")
Decimal('75000000.00')
>>> round_fen(Fraction(1, 3))
Decimal('0.33')
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

from ...errors import InputError
from .. import plausibility
from ..numbers import plain_decimal
from ..units import factor, normalise_unit

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY_UNITS = ("元", "万元", "亿元")
#: a number (checked by ``plain_decimal``) and its unit
_AMOUNT = re.compile(r"(.*?)(元|万元|亿元)?")


def money(value: Decimal | int | str) -> Decimal:
    """An exact amount in 元 with two decimals; refuses floats and amounts finer than a 分.

    Examples
    --------
    >>> money("12.5")
    Decimal('12.50')
    """
    if isinstance(value, float | bool):
        raise TypeError("金额不能使用浮点数或布尔值，请传入 Decimal、整数或字符串")
    amount = plausibility.amount(Decimal(value), "金额")
    if amount != amount.quantize(FEN):
        raise InputError(
            f"金额 {value} 元精确不到分（最多两位小数），请核对后重新输入", code="funds.amount_precision"
        )
    return amount.quantize(FEN)


def parse_amount(text: str, *, default_unit: str = "元", field: str = "金额") -> Decimal:
    """Parse ``"0.75亿元"``, ``"7,500万元"``, ``"７５０００００"`` into 元 (exact to the 分).

    Parameters
    ----------
    text : the amount as written; full-width digits, thousands separators and spaces are accepted.
    default_unit : unit when none is written (``元``, ``万元`` or ``亿元``).
    field : name of the option or field, used in the error message.
    """
    cleaned = str(text).replace(" ", "").replace("\u3000", "")  # full-width digits: ``plain_decimal``
    match = _AMOUNT.fullmatch(cleaned)
    try:  # the number as :func:`domain.numbers.plain_decimal` reads every typed number
        number = plain_decimal(match.group(1) if match else "?", field, signed=True)
    except InputError:
        raise InputError(
            f"{field}“{text}”无法识别，请写成数字加单位，例如 7500万元、0.75亿元 或 1234.56（元）"
            "（千分位逗号只能每三位一个，不用指数、NaN 或 Infinity）",
            code="funds.amount_unreadable",
            details={"field": field},
        ) from None
    unit = normalise_unit((match.group(2) if match else None) or default_unit)
    value = Fraction(number) * factor(unit)
    if abs(value) > plausibility.MAX_AMOUNT_YUAN:
        plausibility.amount(Decimal(int(value)), field)
    if (value * 100).denominator != 1:
        raise InputError(
            f"{field}“{text}”折合 {float_free_text(value)} 元，精确不到分，请核对金额",
            code="funds.amount_precision",
        )
    return money(Decimal(int(value * 100)).scaleb(-2))


def parse_positive_amount(text: str, *, default_unit: str = "元", field: str = "金额") -> Decimal:
    """Like :func:`parse_amount` but refuses zero and negative amounts."""
    amount = parse_amount(text, default_unit=default_unit, field=field)
    if amount <= 0:
        raise InputError(f"{field}必须大于零，收到“{text}”", code="funds.amount_not_positive")
    return amount


def float_free_text(value: Fraction) -> str:
    """Show a rational amount with up to six decimals without passing through a float."""
    scaled = round_fraction(value, 6)
    return format(scaled.normalize(), "f")


def round_fraction(value: Fraction, places: int) -> Decimal:
    """Round an exact rational half-up (away from zero) to ``places`` decimals."""
    units = (abs(value) * Fraction(10) ** places + Fraction(1, 2)) // 1
    return Decimal(-units if value < 0 else units).scaleb(-places)


def round_fen(value: Decimal | Fraction | int) -> Decimal:
    """Round a computed amount to the 分, half-up (away from zero); exact input stays exact."""
    if isinstance(value, float | bool):
        raise TypeError("金额不能使用浮点数")
    return round_fraction(Fraction(value), 2).quantize(FEN)


def format_yuan(amount: Decimal) -> str:
    """``Decimal('75000000')`` → ``'75,000,000.00'`` (元, two decimals, thousands separators)."""
    return f"{round_fen(amount):,.2f}"


def format_wan(amount: Decimal) -> str:
    """An amount in 万元 with up to six decimals, e.g. ``'7,500'`` for 75,000,000 元."""
    wan = Fraction(amount) / 10000
    text = format(round_fraction(wan, 6).normalize(), ",f")
    return text


def format_ratio(value: Fraction | None, places: int = 2) -> str:
    """A ratio such as a coverage multiple, rounded half-up for display (``'—'`` when undefined)."""
    return "—" if value is None else format(round_fraction(value, places), "f")


def format_percent(value: Fraction | None, places: int = 2) -> str:
    """A share as a percentage, e.g. ``Fraction(1, 3)`` → ``'33.33%'``."""
    return "—" if value is None else f"{round_fraction(value * 100, places)}%"


_PRICE = re.compile(r"^(\d+(?:\.\d+)?)(万元/亩|元/亩|万元/平方米|万元/㎡|元/平方米|元/㎡|元/m2)?$")
_PRICE_FACTORS = {
    None: Fraction(1), "元/㎡": Fraction(1), "元/平方米": Fraction(1), "元/m2": Fraction(1),
    "万元/㎡": Fraction(10000), "万元/平方米": Fraction(10000),
    "元/亩": Fraction(15, 10000), "万元/亩": Fraction(15),
}  # fmt: skip


def parse_price(text: str, field: str = "单价") -> Decimal:
    """An expected price per area → 元/㎡ (exact; 1 亩 = 10000/15 ㎡).

    >>> parse_price("80万元/亩")
    Decimal('1200')
    """
    cleaned = unicodedata.normalize("NFKC", str(text)).replace(",", "").replace(" ", "")
    match = _PRICE.match(cleaned)
    if not match:
        raise InputError(f"{field}“{text}”无法识别，请写成如 1200（元/㎡）或 80万元/亩", code="input.price")
    value = Fraction(Decimal(match.group(1))) * _PRICE_FACTORS[match.group(2)]
    return plausibility.price_per_m2(Decimal(value.numerator) / Decimal(value.denominator), field)


def parse_percent(text: str, field: str = "--rate") -> Decimal:
    """``"3"``, ``"3%"``, ``"3.25％"`` → percent as Decimal."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().rstrip("%")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():  # Decimal also reads NaN, sNaN and Infinity, which no comparison survives
        raise InputError(f"{field} 的利率“{text}”无法识别，请写成百分数，如 3 或 3.25%", code="input.rate")
    return value
