"""Document metadata of a plan text: title, jurisdiction, year, kind, document number.

>>> meta = read_metadata(["巴楚县2026年土地储备计划", "", "为严格土地资源管理……"])
>>> meta.title, meta.jurisdiction, meta.year, meta.kind.value
('巴楚县2026年土地储备计划', '巴楚县', 2026, 'annual_reserve')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from landreserve.domain.plans import PlanKind
from landreserve.domain.units import Quantity, unit_pattern

from .normalise import ascii_alnum, to_ascii

_TITLE_WORDS = re.compile(r"计划|方案|通知|公告|规划|批复|报告")
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、]|第[一二三四五六七八九十]+章)"
)
_JURISDICTION = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:自治县|县|市[\u4e00-\u9fff]{1,6}?区|市|区|旗))"
    r"(?=\d|20\d\d|年度|国有|土地|人民政府|政府|自然资源|关于|本级|城区|储备|供应|召开|发布|印发|出台|公布|举行|下达"
    r"|\s|$)"
)
_UPPER_LEVELS = re.compile(r"^.*(?:省|自治区|地区|自治州|盟)(?=[\u4e00-\u9fff]{2,}(?:县|市|区|旗))")
_NAME_CHAR = r"(?:(?![县市区旗《》])[\u4e00-\u9fff])"
#: the place of a news text (``…县自然资源局``) and of a cited plan title (``《澧源县2026年度土地储备计划》``):
#: compiled on first use, since most plans name their place in their title (their look-aheads over every
#: Chinese character make them the dearest patterns to compile at start-up)
_NEWS_JURISDICTION = rf"({_NAME_CHAR}{{2,8}}(?:自治县|县|市{_NAME_CHAR}{{1,6}}区|市|区|旗))(?:自然资源局|自然资源和规划局|人民政府|土地储备中心|政府)"
_BOOK_TITLE_PLACE = rf"《({_NAME_CHAR}{{1,10}}(?:自治县|县|市{_NAME_CHAR}{{1,6}}区|市|区|旗))\s*20\d{{2}}"
_STATES_FIGURE = re.compile(rf"\d\s*(?:{unit_pattern(Quantity.AREA, Quantity.MONEY, Quantity.SHARE)}|宗)")
_NOT_A_NAME = re.compile(r"^(?:全|本|我|各|该|市辖|县辖)(?:市|县|区|旗)|计划|储备|土地|下达|印发|各")
_NOT_A_PLAN = re.compile(r"执行情况|完成情况|执行报告|工作总结|总结报告|评估报告|审计")
_RANGE = re.compile(r"(20\d{2})\s*[-~至到—]\s*(20\d{2})\s*年")
_YEAR = re.compile(r"(20\d{2})\s*年")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[(（【]\s*(?:19|20)\d{2}\s*[〕\])）】]\s*\d{1,4}\s*号")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    jurisdiction: str | None
    year: int | None
    kind: PlanKind
    doc_number: str | None
    period: tuple[int, int] | None = None


def read_metadata(clean_lines: list[str]) -> Metadata:
    """Title, jurisdiction, year, kind and document number of a plan, from its (clean) lines."""
    title = find_title(clean_lines)
    head = "\n".join(line for line in clean_lines[:40] if line.strip())
    basis = title or head
    return Metadata(
        title=title,
        jurisdiction=find_jurisdiction(title, head),
        year=find_year(basis) or find_year(head),
        kind=find_kind(basis, head),
        doc_number=find_doc_number(head),
        period=find_period(basis) or find_period(head),
    )


def find_title(clean_lines: list[str]) -> str | None:
    """The first heading-like line (short, not numbered) that names a 计划/方案/通知."""
    candidates = [line.strip() for line in clean_lines[:15] if line.strip()]
    for line in candidates:
        if _STATES_FIGURE.search(to_ascii(line)):
            continue  # a sentence of the body (``2026年，全县计划储备土地1150.00亩…``), not a title
        if len(line) <= 60 and _TITLE_WORDS.search(line) and not _HEADING_START.match(line):
            if not line.endswith(("。", "；", ";")) or len(line) <= 40:
                return ascii_alnum(line.rstrip("。"))
    return None


def find_jurisdiction(title: str | None, head: str) -> str | None:
    """The county/city/district the plan is for (``巴楚县``, ``喀什市``, ``某市某区``)."""
    if title:
        body = re.sub(r"^.*?关于(?:印发|下达|公布|发布)?", "", title).lstrip("《")
        m = _named_place(body)
        if m:
            return _UPPER_LEVELS.sub("", m.group(1))
    m = re.search(_BOOK_TITLE_PLACE, head) or re.search(_NEWS_JURISDICTION, head) or _named_place(head)
    return _UPPER_LEVELS.sub("", m.group(1)) if m else None


def _named_place(text: str) -> re.Match | None:
    """The first place named in ``text`` that is a name (not 全市, 本县, 我区 …)."""
    return next((m for m in _JURISDICTION.finditer(text) if not _NOT_A_NAME.search(m.group(1))), None)


def find_year(text: str) -> int | None:
    """The plan year: the first year of a range (2026-2028年), else the first ``20xx年``."""
    text = to_ascii(text)
    m = _RANGE.search(text) or _YEAR.search(text)
    return int(m.group(1)) if m else None


def find_period(text: str) -> tuple[int, int] | None:
    """The years the plan covers: ``2026-2028年`` → (2026, 2028), ``2026年`` → (2026, 2026)."""
    text = to_ascii(text)
    m = _RANGE.search(text)
    if m and int(m.group(1)) <= int(m.group(2)) <= int(m.group(1)) + 10:
        return int(m.group(1)), int(m.group(2))
    year = find_year(text)
    return (year, year) if year else None


def find_kind(title: str, head: str) -> PlanKind:
    """Annual reserve plan, three-year rolling plan, supply plan or other."""
    text = to_ascii(title)
    if _NOT_A_PLAN.search(text):
        return PlanKind.OTHER
    if re.search(r"滚动|三年", text) or _RANGE.search(text):
        return PlanKind.ROLLING_THREE_YEAR
    if "储备" in text and re.search(r"计划|方案", text):
        return PlanKind.ANNUAL_RESERVE
    if "供应" in text and "计划" in text:
        return PlanKind.SUPPLY
    return PlanKind.OTHER


def find_doc_number(head: str) -> str | None:
    """The document's own number (``巴政发〔2026〕12号``): one that starts a line near the top.

    Numbers cited inside sentences (``《土地储备管理办法》（国土资规〔2017〕17号）``) are not it.
    """
    for line in head.split("\n")[:15]:
        m = _DOC_NUMBER.match(line.strip())
        if m:
            return re.sub(r"\s+", "", m.group())
    return None
