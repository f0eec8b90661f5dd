"""How a number typed by a user is read: a plain decimal, or a Chinese error naming the field.

``Decimal`` alone would take ``NaN``, ``Infinity``, ``1e400``, ``9e99999999`` (which overflows the context at
the first comparison), ``1_000`` and any Unicode digits; a comma stripped anywhere would turn ``1,5`` into 15.
Here a number is digits with an optional sign and fraction; full-width digits are read as digits and a
thousands separator (``,`` or ``，``) is allowed only between groups of three digits (``1,234,567.5``).

>>> plain_decimal("１，２３４.５", "面积")
Decimal('1234.5')
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import InputError

#: digits (grouped by three with commas, or not grouped), an optional fraction
_PLAIN = re.compile(r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?", re.ASCII)
#: full-width digits, separators and signs as typed by a Chinese input method (not NFKC, which would also
#: read a superscript ``²`` as 2, so that ``100²`` became 1002); the ideographic space is a space
_FULL_WIDTH = {**{0xFF10 + d: str(d) for d in range(10)}, 0xFF0C: ",", 0xFF0E: ".", 0xFF0B: "+", 0xFF0D: "-",
               0x3000: " "}  # fmt: skip
#: longer than this is no quantity a user types (and no Decimal work is spent on it)
MAX_NUMBER_LENGTH = 60


def plain_decimal(text: str, field: str, example: str = "1234.56", *, signed: bool = False) -> Decimal:
    """``text`` as a plain decimal; ``InputError`` (code ``input.number``) naming ``field`` otherwise.

    Parameters
    ----------
    text
        As typed: spaces around it and full-width digits are accepted.
    field
        The field's Chinese name, shown in the message.
    example
        A correct value, shown in the message.
    signed
        Whether a leading ``+``/``-`` is allowed (amounts of a correction); areas and prices have none.
    """
    cleaned = str(text).translate(_FULL_WIDTH).strip().replace(" ", "")
    match = _PLAIN.fullmatch(cleaned) if len(cleaned) <= MAX_NUMBER_LENGTH else None
    if match is None or (match.group("sign") and not signed):
        raise InputError(
            f"{field}“{_quoted(text)}”不是数字：请只填写{'' if signed else '不带正负号的'}数字，"
            f"不用指数、NaN 或 Infinity，千分位逗号只能每三位一个（如 {example}）",
            code="input.number",
            details={"field": field, "value": _quoted(text)},
        )
    return Decimal(cleaned.replace(",", ""))


def _quoted(text: str) -> str:
    shown = "".join(c if c.isprintable() else "�" for c in str(text))
    return shown if len(shown) <= 40 else shown[:40] + "…"
