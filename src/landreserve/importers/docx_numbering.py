"""Word automatic numbering (``numbering.xml``): the ``一、`` ``（一）`` ``1.`` a paragraph shows but its text lacks.

A paragraph numbered by Word carries ``w:numPr`` (directly or through its style); the marker is made
from the level's ``w:lvlText`` (``%1、``, ``（%1）``) and ``w:numFmt`` (decimal, chineseCounting,
decimalEnclosedCircle …), counting per list and level as Word does (a level restarts after a
higher one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int


@dataclass
class Numbering:
    """Numbering definitions of one document and the running counters."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → ilvl → level
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def parse(cls, numbering_xml: bytes | None, styles_xml: bytes | None) -> Numbering:
        numbering = cls()
        if numbering_xml:
            numbering._read_numbering(ElementTree.fromstring(numbering_xml))
        if styles_xml:
            numbering._read_styles(ElementTree.fromstring(styles_xml))
        return numbering

    def _read_numbering(self, root: ElementTree.Element) -> None:
        abstract = {a.get(f"{W}abstractNumId"): _levels(a) for a in root.findall(f"{W}abstractNum")}
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None and ref.get(f"{W}val") in abstract:
                self.levels[num.get(f"{W}numId", "")] = abstract[ref.get(f"{W}val")]

    def _read_styles(self, root: ElementTree.Element) -> None:
        for style in root.findall(f"{W}style"):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id, ilvl = _num_pr(num_pr)
                if num_id:
                    self.style_num[style.get(f"{W}styleId", "")] = (num_id, ilvl)

    def marker(self, paragraph: ElementTree.Element) -> str:
        """The number Word shows before ``paragraph`` (``""`` when it is not numbered)."""
        num_id, ilvl = self._numbering_of(paragraph)
        level = self.levels.get(num_id or "", {}).get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = level.text
        for k in range(ilvl, -1, -1):
            fmt = self.levels[num_id].get(k, level).fmt
            text = text.replace(f"%{k + 1}", _format(counters.get(k, 1), fmt))
        return text

    def _numbering_of(self, paragraph: ElementTree.Element) -> tuple[str | None, int]:
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            return _num_pr(num_pr)
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in self.style_num:
            return self.style_num[style.get(f"{W}val")]
        return None, 0


def _levels(abstract: ElementTree.Element) -> dict[int, Level]:
    levels = {}
    for lvl in abstract.findall(f"{W}lvl"):
        fmt = lvl.find(f"{W}numFmt")
        text = lvl.find(f"{W}lvlText")
        start = lvl.find(f"{W}start")
        levels[int(lvl.get(f"{W}ilvl", "0"))] = Level(
            fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
            text.get(f"{W}val", "") if text is not None else "",
            int(start.get(f"{W}val", "1")) if start is not None else 1,
        )
    return levels


def _num_pr(num_pr: ElementTree.Element) -> tuple[str | None, int]:
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    value = num_id.get(f"{W}val") if num_id is not None else None
    return (None if value in (None, "0") else value), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0


def _format(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "chineseLegalSimplified",
    ):
        return chinese(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def chinese(n: int) -> str:
    """``1`` → ``一``, ``12`` → ``十二``, ``20`` → ``二十`` (up to 99)."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + ("" if ones == 0 else _CN[ones])
