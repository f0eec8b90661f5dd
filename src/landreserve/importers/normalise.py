"""Text normalisation of plan lines: conversion noise removal, full-width → ASCII, codes, content hash.

Two forms of a line are used by the parser:

- the *clean* line: the source line with conversion noise removed (``[bookmark: _GoBack]``, image
  placeholders, site navigation, HTML remnants), kept in the document's own characters for quoting;
- the *normalised* line: the clean line mapped character by character (same length, same indices) to
  ASCII digits and punctuation (``４７．５８`` → ``47.58``, ``，：；（）％`` → ``,:;()%``), which is what
  the number and heading recognisers read.

>>> to_ascii("４７．５８公顷（７１３．６３亩）")
'47.58公顷(713.63亩)'
>>> normalise_code("BC－CB 2026001")
'BC-CB2026001'
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache

#: characters that all mean "hyphen" inside a parcel code (full-width, dashes, minus signs)
# the one parcel-code normaliser lives in the domain (domain.codes); re-exported for the readers
from landreserve.domain.codes import HYPHENS
from landreserve.domain.codes import normalise_code as normalise_code

from . import traditional

_ASCII_TABLE: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_ASCII_TABLE.update({0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: " "})
_ASCII_TABLE.update({ord(c): "-" for c in HYPHENS})
_ASCII_TABLE.update({ord("“"): '"', ord("”"): '"', ord("‘"): "'", ord("’"): "'", ord("﹪"): "%"})

#: inline conversion noise: Word bookmarks, image placeholders, web-page widgets, HTML tags
_INLINE_NOISE = re.compile(
    r"\[bookmark:[^\]]*\]"
    r"|\[image:[^\]]*\]"
    r"|\[图片[^\]]*\]"
    r"|【\s*字体\s*[:：]?\s*大\s*中\s*小\s*】"
    r"|【\s*(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部)\s*】"
    r"|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)

#: pinyin inserted after characters by some mirrors (``發(fā)布``, ``區(qū)``): always with a tone mark
_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]"
)

#: whole lines that are site navigation or page furniture, not plan content
_NOISE_LINE = re.compile(
    r"^(?:"
    r"首页\s*[>＞»›/]"
    r"|(?:当前位置|您的位置|您现在的位置|您所在的位置)\s*[:：]"
    r"|打印本页|关闭窗口|分享到|扫一扫|字号\s*[:：]|上一篇|下一篇|相关链接|返回顶部"
    r"|(?:图片|image)\s*\d*$"
    r"|第\s*\d{1,4}\s*页\s*(?:[,，/／]?\s*共\s*\d{1,4}\s*页)?\s*$"  # page furniture of a converted PDF/Word file
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页\s*$"
    r"|[-—–－]\s*\d{1,4}\s*[-—–－]\s*$"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?\s*$"
    r")",
    re.IGNORECASE,
)

_SPACES = re.compile(r"\s+")


#: a character ``to_ascii`` changes (searched first: a line without one, most table rows, stays as it is)
_TO_MAP = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ASCII_TABLE)) + "]")


def to_ascii(text: str) -> str:
    """Map full-width digits, letters and punctuation to ASCII, one character for one (same length)."""
    found = set(_TO_MAP.findall(text))
    if len(found) > 6:
        return text.translate(_ASCII_TABLE)
    # a few kinds of character to map (``，：；`` of a prose line): replacing each is quicker than
    # ``translate``, which looks every character up; no character is mapped to one that is mapped again
    for char in found:
        text = text.replace(char, _ASCII_TABLE[ord(char)])
    return text


_ALNUM_TABLE = {
    code: chr(code - 0xFEE0)
    for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}


def ascii_alnum(text: str) -> str:
    """Full-width digits and Latin letters to ASCII, punctuation kept (for titles and places)."""
    return text if text.isascii() else text.translate(_ALNUM_TABLE)


def clean_line(line: str) -> str:
    """Remove conversion noise from one source line; a line that is only noise becomes ``""``."""
    if "&" in line:
        line = html.unescape(line).replace("\xa0", " ")
    if "[" in line or "【" in line or "<" in line:  # what every kind of inline noise starts with
        line = _INLINE_NOISE.sub("", line)
    if "(" in line or "（" in line:
        line = _PINYIN.sub("", line)
    line = simplified(line)
    stripped = line.strip()
    if not stripped or _NOISE_LINE.match(stripped):
        return ""
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return _markdown_row(stripped)
    return line.rstrip()


#: a markdown table's separator row: ``| --- | :---: | ---: |``
_MARKDOWN_RULE = re.compile(r"^\s*:?-{3,}:?\s*$")


def _markdown_row(row: str) -> str:
    """A markdown table row (``| 用途 | 面积 |``) as the tab-separated cells every table reader knows;
    the separator row under the header carries nothing and becomes ``""``."""
    cells = [c.strip() for c in row[1:-1].split("|")]
    if all(_MARKDOWN_RULE.match(c) for c in cells):
        return ""
    return "\t".join(cells)


@cache
def _converter():
    """OpenCC's traditional → simplified converter (loaded once, on first use)."""
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _c_convert():
    """OpenCC's C method behind ``_converter().convert``, bound to the converter: the Python wrapper
    ``OpenCC.convert`` only encodes the text and passes its length, which ``simplified`` does itself (one
    call less per line)."""
    import opencc

    return super(opencc.OpenCC, _converter()).convert


def simplified(text: str) -> str:
    """Traditional characters as simplified ones (``公頃`` → ``公顷``, ``畝`` → ``亩``), same length.

    Mirrors of news sites serve plans in traditional characters; the reader knows the simplified
    words only. OpenCC converts phrases; where a phrase changes the length of the line, the line is
    converted character by character instead, so positions stay those of the line as written. A line
    holding no character that a changing key of OpenCC's dictionaries holds is copied by OpenCC: it is
    not given to it (``traditional``).
    """
    if text.isascii() or not traditional.may_change(text):
        return text
    data = text.encode("utf-8")
    converted = _c_convert()(data, len(data))  # = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)


def hash_line(norm: str) -> str:
    """The form of a normalised line that enters the content hash (whitespace collapsed)."""
    # ``str.split`` cuts at the whitespace ``\s`` matches (both ask Py_UNICODE_ISSPACE): the same as
    # ``_SPACES.sub(" ", norm).strip()``, without a regex per line
    return " ".join(norm.split())


def content_sha256(norm_lines: list[str]) -> str:
    """SHA-256 of the non-empty normalised lines: independent of encoding, width and blank lines."""
    body = "\n".join(h for h in (hash_line(n) for n in norm_lines) if h)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
