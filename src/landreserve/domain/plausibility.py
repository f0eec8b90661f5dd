"""What a value entered by a user can plausibly be: the one place of these rules.

- **Dates** (approvals, evidence, state changes, payments, supply): within a window around today —
  at most ``date_past_years`` before and ``date_future_years`` after (settings ``LANDRESERVE_DATE_PAST_YEARS``,
  ``LANDRESERVE_DATE_FUTURE_YEARS``). An approval dated 1800 or evidence dated 2099 is a typing error.
- **Years** (budget years, plan years, supply years): the same window.
- **Areas** of one parcel: more than zero and at most ``max_parcel_area_ha`` (a county parcel, not a
  province; 10³⁰ ㎡ is refused).
- **Amounts** of money: at most :data:`MAX_AMOUNT_YUAN` (十万亿元; a county's reserve is far below).
- **Coverage ratios** stated in a project record (本息覆盖倍数): more than zero, at most :data:`MAX_COVERAGE_RATIO`.
- **Land prices** per ㎡ (expected prices, a record's 单价, each price of a price rule): more than zero, at most
  :data:`MAX_PRICE_PER_M2_YUAN` (a price per 亩 typed as per ㎡ is 666 times too high).
- **Short texts** (codes, names, uses, document numbers): no control characters, at most the column's
  length (the same check on SQLite and PostgreSQL, before anything is written). **Free texts** (reasons,
  notes, memos): the same, but line breaks and tabs are allowed, at most :data:`MAX_NOTE_LENGTH`.
- **A published plan** (:func:`plan_findings`, findings of the reader): a parcel of 0 公顷 or beyond
  ``max_parcel_area_ha``, an area larger than the whole country, a parcel code that is no code (no letter or
  digit, control or replacement characters, longer than the register's column) are errors, and
  ``landreserve import`` refuses the plan (:data:`REFUSING_CODES`); a parcel a thousand times larger or
  smaller than the list's median (a decimal point or unit typed wrong), a date that is no calendar date
  (2026年13月1日) or lies far from the plan's year are warnings. City-wide and national totals are real
  (a national supply bulletin states hundreds of millions of 公顷 of land): only what no document can
  truthfully state is refused.

Every refusal is an ``InputError`` naming the field, the value and what is allowed, in Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import MAX_EMAX, MIN_EMIN, Decimal, localcontext

from ..errors import InputError
from .findings import Finding, Severity
from .limits import MAX_PARCEL_AREA_HA
from .plans import PlanDocument, PlanParcel
from .units import Quantity

__all__ = ["MAX_PARCEL_AREA_HA"]  # the default limit (``domain.limits``), read here by the rules

#: the largest amount of money accepted anywhere (元): 十万亿元
MAX_AMOUNT_YUAN = Decimal("10000000000000")
M2_PER_HA = Decimal(10_000)
#: the smallest area of one parcel a person may type, in ㎡ (a parcel of land, not a grain of sand)
MIN_PARCEL_AREA_M2 = Decimal(1)

#: no area stated in a plan can exceed the country's land area (960万平方公里, in 公顷)
MAX_STATED_AREA_HA = Decimal(960_000_000)
#: the longest parcel code (the register's ``code`` column)
MAX_CODE_LENGTH = 100
#: the largest plausible stated coverage ratio (本息覆盖倍数: income a thousand times the debt service); a
#: stated ratio must also be more than zero (a project whose income covers nothing states no 倍数)
MAX_COVERAGE_RATIO = 1000
#: the largest plausible land price (元 per ㎡ of land, 一百万元/㎡ = 6.67亿元/亩: several times the dearest
#: land ever sold in China); a price must also be more than zero
MAX_PRICE_PER_M2_YUAN = Decimal(1_000_000)
#: a parcel this many times larger (or smaller) than the median of its list is probably a typing error
OUTLIER_FACTOR = Decimal(1000)
#: a list needs this many parcels for its median to say what is usual
OUTLIER_MIN_PARCELS = 5
#: dates in a plan's text before (or after) its year by more than this are doubtful
PLAN_DATE_PAST_YEARS = 50
PLAN_DATE_FUTURE_YEARS = 10
#: findings that make ``landreserve import`` refuse the plan (nothing stored)
REFUSING_CODES = frozenset(
    {"plausibility.parcel_area", "plausibility.stated_area", "plausibility.parcel_code"}
)


@dataclass(frozen=True)
class Window:
    """The plausible dates and areas of one installation on one day."""

    today: date
    past_years: int = 50
    future_years: int = 5
    max_parcel_area_ha: Decimal = MAX_PARCEL_AREA_HA

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
        """A parcel's area in ㎡: at least :data:`MIN_PARCEL_AREA_M2`, at most ``max_parcel_area_ha``."""
        if value is None:
            return None
        limit = self.max_parcel_area_ha * M2_PER_HA
        if value.is_finite() and 0 < value < MIN_PARCEL_AREA_M2:
            raise InputError(
                f"{field}“{_shown(value)}”平方米不合常理：一宗地块的面积至少 {_shown(MIN_PARCEL_AREA_M2)} 平方米。"
                "请核对面积的数值、小数点和单位（面积以平方米计）",
                code="input.area_implausible",
                details={"field": field, "value": _shown(value)},
            )
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
    if (
        not value.is_finite() or value.adjusted() > 13 or abs(value) > MAX_AMOUNT_YUAN
    ):  # adjusted(): 9e99999999 overflows abs()
        raise InputError(
            f"{field}“{_shown(value)}”元不合常理：金额不能超过十万亿元（{_shown(MAX_AMOUNT_YUAN)} 元）。"
            "请核对金额和单位（元、万元、亿元）",
            code="input.amount_implausible",
            details={"field": field, "value": _shown(value)},
        )
    return value


def coverage_ratio(value: Decimal, field: str) -> Decimal:
    """A stated 本息覆盖倍数: more than zero, at most :data:`MAX_COVERAGE_RATIO`."""
    if not value.is_finite() or value <= 0 or value > MAX_COVERAGE_RATIO:
        raise InputError(
            f"{field}“{_shown(value)}”不合常理：应大于 0、不超过 {MAX_COVERAGE_RATIO}。"
            "请检查是否多写了位数、漏写了小数点或把金额填进了此列",
            code="input.coverage_implausible",
            details={"field": field, "value": _shown(value)},
        )
    return value


def price_per_m2(value: Decimal, field: str) -> Decimal:
    """A land price in 元/㎡: more than zero, at most :data:`MAX_PRICE_PER_M2_YUAN`."""
    if not value.is_finite() or value <= 0 or value > MAX_PRICE_PER_M2_YUAN:
        raise InputError(
            f"{field}“{_shown(value.quantize(Decimal('0.01')) if value.is_finite() and value.adjusted() < 15 else value)}”"
            f"元/㎡不合常理：土地单价应大于 0、不超过 {_shown(MAX_PRICE_PER_M2_YUAN)} 元/㎡（100万元/㎡）。"
            "请核对单价和单位（元/㎡，或写明 万元/亩）",
            code="input.price_implausible",
            details={"field": field, "value": _shown(value)},
        )
    return value


def control_characters(value: str) -> list[str]:
    """The control and other invisible format characters in ``value`` (as ``U+0007``)."""
    if value.isprintable():  # holds none of them (nor a separator other than the space): most texts
        return []
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


#: line breaks and tabs, which a free text (a reason, a note) may hold, checked as spaces
_LINE_BREAKS_AS_SPACES = str.maketrans("\n\r\t", "   ")
#: the longest free text (reasons, notes, memos; the web forms and the API take as much)
MAX_NOTE_LENGTH = 2000


def note(value: str | None, field: str, max_length: int = MAX_NOTE_LENGTH) -> str | None:
    """A free text (reason, note, memo): like :func:`text`, but line breaks and tabs are allowed."""
    if value is not None:
        text(value.translate(_LINE_BREAKS_AS_SPACES), field, max_length)
    return value


# --- a published plan ---------------------------------------------------------------------------------

#: ``2026年3月1日`` or ``2026-03-01`` standing alone (not inside a code such as ``JX2023-15-02``)
_FULL_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"|(?<![A-Za-z0-9.\-/])(\d{4})-(\d{1,2})-(\d{1,2})(?![A-Za-z0-9.\-/])"
)


def plan_findings(
    doc: PlanDocument, lines: Sequence[str], max_parcel_area_ha: Decimal = MAX_PARCEL_AREA_HA
) -> list[Finding]:
    """What a published plan cannot truthfully state, or probably states by a typing error.

    Parameters
    ----------
    doc
        The plan as read (its parcels and figures, with their lines).
    lines
        The source lines (1-based line numbers in the findings), searched for written dates.

    Returns
    -------
    list[Finding]
        Errors with a code in :data:`REFUSING_CODES` (the import refuses the plan) and warnings.

    >>> from landreserve.importers import parse_plan_text
    >>> doc = parse_plan_text("某县2026年土地储备计划\\n于2026年13月1日印发。储备土地12.50公顷。", "x.txt")
    >>> [f.code for f in plan_findings(doc, ["某县2026年土地储备计划", "于2026年13月1日印发。"])]
    ['plausibility.date']
    """
    findings = [
        f for p in doc.parcels if not _plain_code(p.code_as_written or p.code) and (f := _code_finding(p))
    ]
    findings += area_findings(doc.parcels, max_parcel_area_ha)
    findings += _stated_areas(doc)
    findings += _dates(lines, doc.year)
    return findings


#: the findings of :func:`plan_findings` that depend on the largest parcel area allowed
AREA_CODES = frozenset({"plausibility.parcel_area", "plausibility.area_outlier"})


def area_findings(
    parcels: Sequence[PlanParcel], max_parcel_area_ha: Decimal = MAX_PARCEL_AREA_HA
) -> list[Finding]:
    """The parcels of a plan whose area is impossible (0, or over ``max_parcel_area_ha``: errors) or a
    thousand times off the list's median (warnings) — the findings of :data:`AREA_CODES`."""
    limit = max_parcel_area_ha * M2_PER_HA
    areas = [p.area_m2 for p in parcels]  # each parcel's area asked once for both tests
    found = [
        _area_finding(p, area, max_parcel_area_ha)
        for p, area in zip(parcels, areas, strict=True)
        if area is not None and not (area.is_finite() and 0 < area <= limit)
    ]
    return found + _outliers(parcels, areas, max_parcel_area_ha)


def with_area_limit(
    findings: Sequence[Finding], parcels: Sequence[PlanParcel], max_parcel_area_ha: Decimal
) -> list[Finding]:
    """``findings`` of a plan read with the default limit, with the area findings made again for
    ``max_parcel_area_ha`` (an installation's setting ``LANDRESERVE_MAX_PARCEL_AREA_HA``)."""
    if max_parcel_area_ha == MAX_PARCEL_AREA_HA:
        return list(findings)
    kept = [f for f in findings if f.code not in AREA_CODES]
    return kept + area_findings(parcels, max_parcel_area_ha)


def _code_finding(parcel: PlanParcel) -> Finding | None:
    problem = code_problem(parcel.code_as_written or parcel.code)
    if not problem:
        return None
    return Finding(
        "plausibility.parcel_code", Severity.ERROR,
        f"第{parcel.line}行地块编号“{_printable(parcel.code_as_written)}”不是有效的编号：{problem}。"
        "请在原文中改正编号后重新导入",
        (parcel.line,), {"field": "地块编号", "code": _printable(parcel.code_as_written)},
    )  # fmt: skip


def _area_finding(parcel: PlanParcel, area: Decimal, max_ha: Decimal) -> Finding:
    """The parcel's area ``area`` (its ``area_m2``) is 0, negative, not finite or over ``max_ha``."""
    written = f"{parcel.area.primary.value}{parcel.area.primary.unit}" if parcel.area else _shown(area)
    return Finding(
        "plausibility.parcel_area", Severity.ERROR,
        f"第{parcel.line}行地块“{parcel.code}”的面积“{written}”不合常理：一宗地块的面积应大于 0、"
        f"不超过 {_shown(max_ha)} 公顷。请核对面积的数值、小数点和单位后重新导入",
        (parcel.line,), {"field": "面积", "code": parcel.code, "value": written, "area_m2": _shown(area)},
    )  # fmt: skip


def refusal(findings: Sequence[Finding], name: str) -> InputError | None:
    """The ``InputError`` refusing a plan whose findings include :data:`REFUSING_CODES`, else ``None``.

    The message names the file and every implausible value with its line (the first ten).
    """
    refused = [f for f in findings if f.code in REFUSING_CODES]
    if not refused:
        return None
    shown = "；".join(f.message for f in refused[:10]) + ("；……" if len(refused) > 10 else "")
    return InputError(
        f"计划文件“{name}”中有 {len(refused)} 处数值不合常理，未导入任何内容：{shown}",
        code="plan.implausible",
        details={
            "file": name,
            "findings": [{"code": f.code, "lines": list(f.lines), **f.values} for f in refused],
        },
    )


def _plain_code(code: str) -> bool:
    """A code ``code_problem`` finds nothing wrong with, known at once: printable (no control character),
    no ``\ufffd``, not too long, and its first character a letter or digit (most codes)."""
    return code[:1].isalnum() and code.isprintable() and len(code) <= MAX_CODE_LENGTH and "\ufffd" not in code


def code_problem(code: str) -> str | None:
    """Why ``code`` (as written) cannot be a parcel code, in Chinese; ``None`` when it can."""
    if control_characters(code) or "\ufffd" in code:
        return "含有控制字符或无法识别的字符（�，多为编码错误）"
    if len(code) > MAX_CODE_LENGTH:
        return f"长度 {len(code)} 个字符，超过 {MAX_CODE_LENGTH} 个"
    if not any(c.isalnum() for c in code):
        return "没有任何字母、数字或汉字"
    return None


def _outliers(
    parcels: Sequence[PlanParcel], all_areas: list[Decimal | None], max_ha: Decimal
) -> list[Finding]:
    """``all_areas``: each parcel's ``area_m2``."""
    limit = max_ha * M2_PER_HA
    areas = sorted(a for a in all_areas if a is not None and a.is_finite() and 0 < a <= limit)
    if len(areas) < OUTLIER_MIN_PARCELS:
        return []
    median = (
        areas[len(areas) // 2]
        if len(areas) % 2
        else (areas[len(areas) // 2 - 1] + areas[len(areas) // 2]) / 2
    )
    high, low = median * OUTLIER_FACTOR, median / OUTLIER_FACTOR
    if areas[0] > low and areas[-1] < high:  # every area within a thousand times of the median: usual
        return []
    found = []
    for p, area in zip(parcels, all_areas, strict=True):
        if area is None or not area.is_finite() or not 0 < area <= limit:
            continue
        if area < high and area > low:  # within a thousand times of the median both ways: usual
            continue
        if area >= high or area * OUTLIER_FACTOR <= median:
            written = f"{p.area.primary.value}{p.area.primary.unit}" if p.area else _shown(area)
            ratio = area / median
            how = f"是清单中位数（{_shown((median / M2_PER_HA).quantize(Decimal('0.0001')))} 公顷）的 " + (
                f"{_shown(ratio.quantize(Decimal(1)))} 倍"
                if ratio > 1
                else f"{_shown((1 / ratio).quantize(Decimal(1)))} 分之一"
            )
            found.append(Finding(
                "plausibility.area_outlier", Severity.WARNING,
                f"第{p.line}行地块“{p.code}”的面积“{written}”{how}，可能是小数点或单位写错。请核对原文",
                (p.line,), {"field": "面积", "code": p.code, "value": written, "median_m2": _shown(median)},
            ))  # fmt: skip
    return found


def _stated_areas(doc: PlanDocument) -> list[Finding]:
    limit = MAX_STATED_AREA_HA * M2_PER_HA
    found = []
    for figure in doc.figures:
        if figure.quantity is Quantity.AREA and figure.base_value.is_finite() and figure.base_value > limit:
            written = f"{figure.value}{figure.unit}"
            found.append(Finding(
                "plausibility.stated_area", Severity.ERROR,
                f"第{figure.line}行的面积“{written}”（{figure.label}）超过全国国土面积（约960万平方公里），不可能是真实的数字："
                f"“{figure.text[:60]}”。请核对数值和单位后重新导入",
                (figure.line,), {"field": figure.label, "value": written},
            ))  # fmt: skip
    return found


def _dates(lines: Sequence[str], plan_year: int | None) -> list[Finding]:
    found = []
    for number, line in enumerate(lines, start=1):
        if "年" not in line and "-" not in line:
            continue
        if "年" not in line and "\uf98e" not in line and sum(map(line.count, "-\ufe63\uff0d")) < 2:
            continue  # no 年 and fewer than two hyphens, even after NFKC: no date (a code such as SL-CB01)
        for m in _FULL_DATE.finditer(unicodedata.normalize("NFKC", line)):
            year, month, day = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
            problem = _date_problem(year, month, day, plan_year)
            if problem:
                found.append(Finding(
                    "plausibility.date", Severity.WARNING,
                    f"第{number}行的日期“{m.group(0)}”{problem}。请核对原文中的日期",
                    (number,), {"field": "日期", "value": m.group(0)},
                ))  # fmt: skip
    return found


def _date_problem(year: int, month: int, day: int, plan_year: int | None) -> str | None:
    try:
        date(year, month, day)
    except ValueError:
        return "不是有效的日期（月份应为 1–12，日应在该月的天数之内）"
    if plan_year and not plan_year - PLAN_DATE_PAST_YEARS <= year <= plan_year + PLAN_DATE_FUTURE_YEARS:
        return f"与计划年度 {plan_year} 年相距过远（应在 {plan_year - PLAN_DATE_PAST_YEARS}–{plan_year + PLAN_DATE_FUTURE_YEARS} 年之间）"
    return None


def _printable(value: str) -> str:
    shown = "".join("�" if control_characters(c) else c for c in value)
    return shown if len(shown) <= 40 else shown[:40] + "…"


def _shown(value: Decimal) -> str:
    if not value.is_finite():
        return str(value)
    if value.adjusted() >= 15:
        with localcontext() as wide:  # 9e99999999 is past the default context's exponent: no overflow
            wide.Emax, wide.Emin = MAX_EMAX, MIN_EMIN
            return f"{value:.3E}"
    if value.adjusted() < -15:
        return str(value)
    return format(value.normalize(), "f")


def _years_from(day: date, years: int) -> date:
    year = min(max(day.year + years, 1), 9999)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)
