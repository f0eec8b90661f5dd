"""Heading and list markers of plan texts (``一、`` ``（一）`` ``1.`` ``（2）`` ``①`` ``第一章``) and the
sections of the national plan template they name.

Levels are fixed by style: ``第X章`` 1, ``一、`` 1 (2 under chapters), ``（一）`` 2, ``1.``/``1、`` 3,
``（1）`` 4, ``①`` 5 — except that a ``（2）`` continuing a ``（一）`` sequence (Bachu mixes the two
styles) takes the level of ``（一）``. Numbered lines that carry figures or a parcel code are list
items, not headings.

>>> marker_of("(2) 年度土地储备结构").style
'paren_arabic'
>>> template_key("储备地块空间布局")
'layout'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import chinese_numeral

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN = "一二三四五六七八九十百零〇两"

#: (style, regex on the normalised line); the number is group 1
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^\s*第([{_CN}\d]+)[章篇]\s*")),
    ("cn", re.compile(rf"^\s*([{_CN}]+)\s*[、.]\s*")),
    ("paren_cn", re.compile(rf"^\s*[(]\s*([{_CN}]+)\s*[)]\s*")),
    ("arabic", re.compile(r"^\s*(\d{1,3})\s*(?:[、]|\.(?!\d))\s*")),
    ("paren_arabic", re.compile(r"^\s*[(]\s*(\d{1,3})\s*[)]\s*")),
    ("circled", re.compile(rf"^\s*([{_CIRCLED}])\s*")),
)
_BASE_LEVEL = {"chapter": 1, "cn": 1, "paren_cn": 2, "arabic": 3, "paren_arabic": 4, "circled": 5}

#: template sections in the order they are tried (more specific names first)
_TEMPLATE_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("carried_over", re.compile(r"结转|续储")),
    ("new", re.compile(r"新增")),
    ("development", re.compile(r"前期开发")),
    ("custody", re.compile(r"管护|临时利用")),
    ("supply", re.compile(r"供应(?:计划|规模|安排|总量|地块|指标)|土地供应|出让计划")),
    ("funds", re.compile(r"资金(?:需求|使用|总量|规模|计划|安排|测算|来源|预算)|资金$|融资(?:计划|安排)")),
    ("parcels", re.compile(r"地块(?:明细|清单|一览|列表|表)|明细表|地块情况|储备地块$")),
    ("layout", re.compile(r"空间布局|布局|区域分布|分布情况")),
    ("source", re.compile(r"收储方式|储备方式|储备来源|土地来源|来源构成|按来源|储备类型")),
    ("structure", re.compile(r"储备结构|用途结构|结构")),
    ("scale", re.compile(r"储备规模|储备总规模|储备总量|计划规模|年度规模|储备计划指标|总体规模")),
)


@dataclass(frozen=True)
class Marker:
    """A heading/list marker at the start of a normalised line."""

    style: str
    number: int
    written: str  # the marker as in the normalised line, e.g. ``(2)``
    end: int  # index where the rest of the line starts


def marker_level(marker: Marker) -> int:
    """The level a list marker's style stands for (``1.`` 3, ``（1）`` 4, ``①`` 5), before any folding."""
    return _BASE_LEVEL[marker.style]


def marker_of(norm: str) -> Marker | None:
    """The heading or list marker that starts ``norm``, if any."""
    for style, pattern in _MARKERS:
        m = pattern.match(norm)
        if m and m.end() < len(norm.rstrip()):
            number = _number(m.group(1))
            if number is not None:
                return Marker(style, number, m.group().strip(), m.end())
    return None


def _number(text: str) -> int | None:
    if text.isascii() and text.isdigit():
        return int(text)
    if text in _CIRCLED:
        return _CIRCLED.index(text) + 1
    return chinese_numeral(text)


def template_key(title: str) -> str | None:
    """The national-template section a heading title names (``scale``, ``parcels`` …), if any."""
    for key, pattern in _TEMPLATE_KEYS:
        if pattern.search(title):
            return key
    return None


#: what ends a heading's title: a full stop (an ASCII ``.`` that is no decimal point), colon, semicolon
TITLE_END = re.compile(r"[。:;]|\.(?!\d)")


def heading_title(clean_rest: str, norm_rest: str) -> str:
    """The title part of a heading line (clean text): up to the first full stop or colon."""
    end = TITLE_END.search(norm_rest)
    return clean_rest[: end.start() if end else len(clean_rest)].strip()


class LevelTracker:
    """Assigns levels to headings, folding ``（2）`` into a running ``（一）`` sequence."""

    def __init__(self) -> None:
        self.chapters = False
        self.last_number: dict[int, int] = {}

    def level(self, marker: Marker) -> int:
        if marker.style == "chapter":
            self.chapters = True
        level = _BASE_LEVEL[marker.style] + (1 if self.chapters and marker.style != "chapter" else 0)
        if marker.style == "paren_arabic":
            sibling = level - 2  # the level of （一）
            if self.last_number.get(sibling) == marker.number - 1 and level not in self.last_number:
                level = sibling
        self.last_number[level] = marker.number
        for deeper in [k for k in self.last_number if k > level]:
            del self.last_number[deeper]
        return level
