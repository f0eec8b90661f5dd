"""Recognition of quantities (number + unit) in a normalised line, and of malformed numbers.

A quantity is a number written right before a unit (``47.58公顷``, ``1,234.5亩``, ``16.92%``,
``0.75亿元``, ``13宗``, ``十三宗``), with an optional qualifier before (``约`` ``不超过`` …) or after
(``左右`` ``以内`` ``以上`` …) it. A number is only read when it is well-formed; ``.32公顷``,
``1..5亩``, ``4.02.54公顷``, ``12,34公顷``, ``4O.5公顷`` and ``面积:公顷`` become problems, never
figures. Years, dates, document numbers and section numbers carry no unit and are not quantities.

>>> [(q.value, q.unit) for q in scan("储备土地47.58公顷(713.63亩)").quantities]
[('47.58', '公顷'), ('713.63', '亩')]
>>> [p.kind for p in scan("面积:.32公顷").problems]
['malformed']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from landreserve.domain.units import SPELLINGS, UNITS, Quantity, unit_pattern

#: units as they may be written (normalised line) → canonical unit of ``domain.units``
UNIT_SPELLINGS: dict[str, str] = SPELLINGS
_UNIT_RE = re.compile("|".join(re.escape(u) for u in sorted(UNIT_SPELLINGS, key=len, reverse=True)))

#: a well-formed number: digits, optional correct thousands grouping, optional decimals
_WELL_FORMED = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
#: characters that can belong to a written number (letters: a mistyped ``O`` for ``0``)
_RUN_CHARS = set("0123456789.,") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

BEFORE_QUALIFIERS = (
    "大约",
    "约为",
    "约",
    "不超过",
    "控制在",
    "不少于",
    "不低于",
    "至少",
    "超过",
    "最多",
    "近",
    "逾",
)
AFTER_QUALIFIERS = ("左右", "以内", "以上", "以下")
BETWEEN_QUALIFIERS = ("余", "多")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_COUNT = re.compile(
    r"(?<![第同每单])([零〇一二两三四五六七八九十百]+)(宗|块(?=地|土地|宗地)|个(?=地块|储备地块))"
)
#: a unit with no digits is a missing value only where a value is clearly expected
_EXPECTS_VALUE = re.compile(r"(?:面积|规模|总量|约|[:=])\s*$")
_UNIT_HEADER = re.compile(r"单位\s*[:为]?\s*$")
#: ``/亩`` after an amount makes it a rate
_PER = re.compile(r"\s*/\s*(亩|公顷|平方米|㎡|m2|年|宗|人|户|月)")
#: the lower end of a range just before a number: ``30-``, ``30~``, ``30至``
_RANGE_BEFORE = re.compile(r"(?<![0-9A-Za-z.\-])\d[\d.,]*\s*(?:-|~|至|到)\s*$")
_MISSING_UNITS = {"公顷", "亩", "㎡", "万平方米", "万㎡", "平方公里", "万亩", "万公顷", "万元", "亿元", "%"}


@dataclass(frozen=True)
class Amount:
    """A quantity found in a normalised line; positions index the line."""

    value: str
    unit: str
    quantity: Quantity
    start: int  # first character of the number (or of a leading qualifier)
    number_start: int
    end: int  # after the unit (and a trailing qualifier)
    qualifier: str | None = None
    per: str | None = None  # a rate: ``1.5万元/亩`` → ``亩`` (not an amount of the whole)


@dataclass(frozen=True)
class NumberProblem:
    """A number next to a unit that cannot be read: ``malformed``, ``missing``, ``range``, ``spaced`` or
    ``stop_point``."""

    kind: str
    raw: str
    unit: str
    start: int
    end: int


@dataclass
class ScanResult:
    quantities: list[Amount] = field(default_factory=list)
    problems: list[NumberProblem] = field(default_factory=list)


def chinese_numeral(text: str) -> int | None:
    """Value of a small Chinese numeral (``十三`` → 13, ``二十`` → 20, ``一百零五`` → 105)."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in "十百":
            mult = 10 if ch == "十" else 100
            total += (1 if digit is None else digit) * mult
            digit = None
        else:
            return None
    return total + (digit or 0)


#: more significant digits than any area or sum of money in a plan has: a run of garbage, not a number
MAX_DIGITS = 18


def well_formed(raw: str) -> bool:
    """Whether ``raw`` (ASCII) is a correctly written number (of at most ``MAX_DIGITS`` digits)."""
    # once matched, ``raw`` holds digits, thousands commas and at most one point
    return bool(_WELL_FORMED.match(raw)) and len(raw) - raw.count(",") - raw.count(".") <= MAX_DIGITS


def plain_value(raw: str) -> str:
    """The number as written without thousands separators: ``1,234.50`` → ``1234.50``."""
    return raw.replace(",", "")


_FIELD_UNIT = re.compile(
    rf"(?:面积|规模|用地|金额|资金)\s*\(\s*({unit_pattern(Quantity.AREA, Quantity.MONEY)})\s*\)\s*[:=]\s*([0-9A-Za-z.,]*)"
)


def scan(norm: str, start: int = 0) -> ScanResult:
    """Find every quantity and every malformed number in ``norm[start:]``."""
    result = ScanResult()
    for match in _UNIT_RE.finditer(norm, start):
        _read_unit(norm, match, start, result)
    for match in _FIELD_UNIT.finditer(norm, start):
        _read_field_unit(match, result)
    for match in _CN_COUNT.finditer(norm, start):
        _read_chinese_count(match, result)
    result.quantities.sort(key=lambda q: q.number_start)
    return result


def _read_unit(norm: str, match: re.Match, floor: int, result: ScanResult) -> None:
    spelling = match.group()
    unit = UNIT_SPELLINGS[spelling]
    if not _unit_context_ok(norm, match, unit):
        return
    pos = match.start()
    between = None
    pos = _skip_spaces(norm, pos, floor)
    if pos > floor and norm[pos - 1] in BETWEEN_QUALIFIERS and pos - 1 > floor and norm[pos - 2].isdigit():
        between = norm[pos - 1]
        pos -= 1
    run_start = pos
    while run_start > floor and norm[run_start - 1] in _RUN_CHARS:
        run_start -= 1
    raw = norm[run_start:pos]
    while raw.startswith(","):  # a list comma before the number, not part of it
        raw, run_start = raw[1:], run_start + 1
    if not any(map(str.isdigit, raw)):
        _maybe_missing(norm, run_start, match, unit, raw, result)
        return
    if _looks_like_code(raw):
        return
    if run_start > floor and norm[run_start - 1] == "第":
        return
    stop = _digits_before_stop(norm, run_start, floor)
    if stop is not None:  # ``12。5公顷``: a full stop between digits may be a mistyped decimal point
        result.problems.append(NumberProblem("stop_point", norm[stop:pos], spelling, stop, match.end()))
        return
    split = _digits_before_space(norm, run_start, floor)
    if split is not None:  # ``1 2.10公顷``: a digit group cut by a space is no number
        run_start, raw = split, norm[split:pos]
    if not well_formed(raw):
        kind = "spaced" if split is not None and _GROUPED.match(raw) else "malformed"
        result.problems.append(NumberProblem(kind, raw, spelling, run_start, match.end()))
        return
    low = _RANGE_BEFORE.search(norm, floor, run_start)
    if low:  # ``30-50公顷``: a range is no single figure
        result.problems.append(
            NumberProblem("range", norm[low.start() : pos], spelling, low.start(), match.end())
        )
        return
    _add_quantity(norm, raw, unit, run_start, match.end(), between, result)


#: digits grouped by single spaces in threes (``1 234.5``): a grouping some typesetters use, or two numbers
_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+(?:\.\d+)?$")


def _digits_before_space(norm: str, run_start: int, floor: int) -> int | None:
    """Start of the digit groups cut by single spaces just before ``run_start`` (``工业用地1 2.10``,
    ``4 7 . 5 8公顷``); ``None`` when no such group stands there."""
    start = None
    while run_start - 2 >= floor and norm[run_start - 1] == " " and _is_number_char(norm[run_start - 2]):
        run_start -= 1
        while run_start > floor and _is_number_char(norm[run_start - 1]):
            run_start -= 1
        start = run_start
    if start is None:
        return None
    before = norm[start - 1] if start > floor else ""
    return start if not (before.isascii() and (before.isalnum() or before in "-.,")) else None


def _digits_before_stop(norm: str, run_start: int, floor: int) -> int | None:
    """Start of the digits written right before an ideographic full stop that stands right before
    ``run_start`` (``面积12。5公顷``); ``None`` when no digit stands there."""
    if run_start - 2 < floor or norm[run_start - 1] != "。" or not norm[run_start - 2].isdigit():
        return None
    start = run_start - 2
    while start > floor and _is_number_char(norm[start - 1]):
        start -= 1
    return start


def _is_number_char(ch: str) -> bool:
    return ch.isdigit() or ch == "."


def _unit_context_ok(norm: str, match: re.Match, unit: str) -> bool:
    """Counting words only count parcels; ``个`` only before 地块, ``块`` only before 地."""
    after = norm[match.end() : match.end() + 4]
    if unit == "块":
        land_before = _LAND_BEFORE.search(norm, 0, _digits_start(norm, match))
        return after.startswith(("地", "土地", "宗地")) or land_before is not None
    if unit == "个":
        return after.startswith(("地块", "储备地块"))
    if unit == "元" and match.start() > 0 and norm[match.start() - 1] in "万亿":
        return False  # part of 万元/亿元 matched on its own
    return True


#: land named right before a count (``住宅用地5块``, ``供应土地12块``): 块 counts parcels there too
_LAND_BEFORE = re.compile(r"(?:用地|土地)(?:共|计|共计)?$")


def _digits_start(norm: str, match: re.Match) -> int:
    """Where the digits right before a unit begin."""
    i = match.start()
    while i > 0 and norm[i - 1].isdigit():
        i -= 1
    return i


def _looks_like_code(raw: str) -> bool:
    """``CB2026001`` before a unit is a code, ``4O.5`` a mistyped number."""
    letters = re.match(r"^[A-Za-z]+", raw)
    return bool(letters) and len(letters.group()) >= 2 and "." not in raw


def _skip_spaces(norm: str, pos: int, floor: int) -> int:
    while pos > floor and norm[pos - 1] == " ":
        pos -= 1
    return pos


def _maybe_missing(
    norm: str, run_start: int, match: re.Match, unit: str, raw: str, result: ScanResult
) -> None:
    """A unit with no digits before it: ``.公顷`` is malformed, ``面积：公顷`` a missing value."""
    if unit not in _MISSING_UNITS:
        return
    span = (run_start, match.end())
    if raw:
        if "." in raw:
            result.problems.append(NumberProblem("malformed", raw, match.group(), *span))
        return
    before = norm[max(0, run_start - 12) : run_start]
    if _EXPECTS_VALUE.search(before) and not _UNIT_HEADER.search(before):
        result.problems.append(NumberProblem("missing", "", match.group(), *span))


def _add_quantity(
    norm: str, raw: str, unit: str, run_start: int, end: int, between: str | None, result: ScanResult
) -> None:
    qualifier, start = between, run_start
    if UNITS[unit][0] is Quantity.COUNT:
        end = _after_parcel_noun(norm, end)
    prefix = norm[max(0, run_start - 4) : run_start]
    for q in BEFORE_QUALIFIERS if prefix.endswith(BEFORE_QUALIFIERS) else ():
        if prefix.endswith(q):
            qualifier, start = ("约" if q == "约为" else q), run_start - len(q)
            break
    per = _PER.match(norm, end)
    if per:
        end = per.end()
    tail = norm[end : end + 2]
    for q in AFTER_QUALIFIERS if tail.startswith(AFTER_QUALIFIERS) else ():
        if tail.startswith(q):
            qualifier, end = q, end + len(q)
            break
    quantity = UNITS[unit][0]
    rate = per.group(1) if per else ("亩" if norm[max(0, start - 2) : start] == "每亩" else None)
    result.quantities.append(Amount(plain_value(raw), unit, quantity, start, run_start, end, qualifier, rate))


def _read_chinese_count(match: re.Match, result: ScanResult) -> None:
    value = chinese_numeral(match.group(1))
    if value is None or value == 0:
        return
    start, end = match.span()
    end = _after_parcel_noun(match.string, end)
    result.quantities.append(Amount(str(value), match.group(2), Quantity.COUNT, start, start, end))


def _after_parcel_noun(norm: str, end: int) -> int:
    """``13宗地``/``3块地``/``5个地块``: the noun after a count belongs to it, not to the next label."""
    noun = re.match(r"地块|土地|宗地|地", norm[end : end + 2])
    return end + len(noun.group()) if noun else end


def _read_field_unit(match: re.Match, result: ScanResult) -> None:
    """``面积（公顷）：4.0254``: the unit stands in the field name, the bare number after the colon."""
    unit = UNIT_SPELLINGS[match.group(1)]
    raw, start = match.group(2), match.start(2)
    if any(ch.isdigit() for ch in raw):
        if any(q.number_start == start for q in result.quantities):
            return  # the number also carries its own unit
        if not well_formed(raw):
            result.problems.append(NumberProblem("malformed", raw, match.group(1), start, match.end(2)))
            return
        quantity = UNITS[unit][0]
        result.quantities.append(Amount(plain_value(raw), unit, quantity, start, start, match.end(2)))
    elif not raw:
        result.problems.append(NumberProblem("missing", "", match.group(1), match.start(), match.end()))


_LINE_END_NUMBER = re.compile(r"(\d[\d.,]*\s*[\u4e00-\u9fff]{0,3})$")
#: what the end of such a line must look like (one character of a number, then at most three Chinese
#: characters): tested first, since searching the whole pattern backtracks through every digit run of a line
_LINE_END_DIGIT = re.compile(r"[\d.,]\s*[\u4e00-\u9fff]{0,3}$")


def _ends_in_digit(text: str) -> bool:
    """``_LINE_END_DIGIT.search(text) is not None``, read from the end: at most three Chinese characters,
    blank space, then a digit, point or comma (a table row ending in ``住宅用地`` is passed at once)."""
    i, n = len(text), 0
    while i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff":
        i, n = i - 1, n + 1
        if n > 3:
            return False
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and (text[i - 1].isdecimal() or text[i - 1] in ".,")


def split_across_lines(previous: str, current: str) -> tuple[str, str] | None:
    """``…47.58公`` + ``顷（713.63亩）…``: a number and its unit cut by a line break, as ``(tail, head)``."""
    previous = previous.rstrip()
    if not _ends_in_digit(previous):
        return None
    m = _LINE_END_NUMBER.search(previous)
    head = current.lstrip()
    if not m or not head:
        return None
    tail = m.group(1)
    letters = re.sub(r"^[\d.,\s]+", "", tail)
    for spelling in sorted(UNIT_SPELLINGS, key=len, reverse=True):
        if letters and spelling.startswith(letters) and len(spelling) > len(letters):
            if head.startswith(spelling[len(letters) :]):
                return tail, spelling[len(letters) :]
        if not letters and head.startswith(spelling) and spelling not in ("个", "块", "宗", "元"):
            return tail, spelling
    return None
