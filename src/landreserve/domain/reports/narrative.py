"""The narrative sections of a plan document (指导思想, 制定原则, 重点储备范围, 保障措施 …): text a county
writes and edits, kept apart from the figures, which are always filled from the data.

``Narrative.from_lines`` takes them from a plan document's text (the published plan, or a generated one a
user edited); ``Narrative.default`` gives neutral texts for a plan that has none. ``to_text`` writes the
sections in the same shape, so that a user can edit the file and give it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: section key → heading (the order of the published plan)
SECTIONS = {
    "preamble": "前言",
    "guiding": "指导思想",
    "principles": "制定原则",
    "scope": "重点储备范围",
    "funds_source": "资金来源",
    "funds_management": "资金管理",
    "funds_uses": "支出方向",
    "safeguards": "保障措施",
    "attachment": "附件",
}
#: key of a zone's description in the spatial layout (储备地块空间布局)
LAYOUT_PREFIX = "layout:"

_TOP = re.compile(r"^\s*([一二三四五六七八九十]+)[、.．]\s*(.+?)\s*$")
_SUB = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十\d]+)\s*[)）]\s*(.+?)\s*$")
_ITEM = re.compile(r"^\s*(\d+)\s*[.．、]\s*(.+?)\s*$")
_LAYOUT = re.compile(r"^(?P<zone>[^（(：:]{1,30}?)\s*[（(][^）)]*[）)]\s*[：:]\s*(?P<text>.*)$")
_FUNDS_ITEM = re.compile(r"^(资金总量|资金管理|支出方向|资金来源)\s*[：:]\s*(.*)$")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_EDITED = re.compile(r"^【(?P<key>[^】]+)】\s*$")

_TOP_KEYS = (("指导思想", "guiding"), ("原则", "principles"), ("范围", "scope"), ("保障", "safeguards"))


def _top_key(title: str) -> str | None:
    return next((key for word, key in _TOP_KEYS if word in title), None)


@dataclass(frozen=True)
class Narrative:
    """Section key → text (paragraphs separated by line breaks). Missing keys are filled by ``default``."""

    texts: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str, fallback: str = "") -> str:
        return self.texts.get(key) or fallback

    def paragraphs(self, key: str) -> list[str]:
        return [p.strip() for p in self.get(key).split("\n") if p.strip()]

    def layout(self, zone: str) -> str:
        return self.get(LAYOUT_PREFIX + zone)

    def merged(self, other: Narrative) -> Narrative:
        """These texts, with ``other``'s where these have none."""
        return Narrative({**dict(other.texts), **{k: v for k, v in self.texts.items() if v}})

    @classmethod
    def default(cls, jurisdiction: str, year: int | None) -> Narrative:
        place, when = jurisdiction or "本县", f"{year}年度" if year else "本年度"
        return cls(
            {
                "preamble": (
                    f"为加强土地市场调控，优化土地资源配置，规范土地储备运作，促进土地节约集约利用，根据"
                    f"《中华人民共和国土地管理法》《土地储备管理办法》及相关规定，结合{place}实际，制定本计划。"
                ),
                "guiding": (
                    "以习近平新时代中国特色社会主义思想为指导，合理确定土地储备规模，优先保障重点产业项目、"
                    f"民生工程和基础设施项目用地需求，为{place}经济社会高质量发展提供土地资源支撑。"
                ),
                "principles": "\n".join(
                    (
                        "（一）依据规划，统筹安排。以国土空间规划为引领，以项目需求为目标，合理确定计划指标。",
                        "（二）产权清晰，净地收储。入库储备土地产权清晰、无查封、无抵押、无担保，确保净地储备。",
                        "（三）供储结合，规模适度。结合国有建设用地供应计划，合理确定土地储备规模。",
                        "（四）储备计划适当调整。计划调整须履行报批手续，经批准后实施。",
                        "（五）坚持节约集约用地。优先储备国有存量建设用地、闲置土地和低效用地。",
                    )
                ),
                "scope": (
                    f"{place}{when}土地储备计划重点储备范围包括依法收回的国有土地、收购的土地、行使优先购买权取得的土地、"
                    "已办理农用地转用、征收批准手续并完成征收的土地以及其他依法取得的土地。"
                ),
                "funds_source": "资金来源按经批准的土地储备资金安排。",
                "funds_management": "土地储备资金专款专用，实行封闭管理，确保项目融资收益平衡。",
                "funds_uses": "用于土地收购补偿、地上附着物拆除、地块前期开发。",
                "safeguards": "\n".join(
                    (
                        "（一）坚守政策红线。土地收储坚持依法依规，严格执行征地、拆迁补偿安置等政策规定。",
                        "（二）建立信息公开机制。土地储备计划经县人民政府批准后及时向社会公开，接受社会监督。",
                        "（三）建立土地储备资金保障制度。土地储备资金纳入政府性基金预算管理，确保收储资金需求。",
                    )
                ),
                "attachment": f"附件：{place}{when}土地储备计划拟实施的土地资产项目地块清单。",
            }
        )

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Narrative:
        """The narrative sections of a plan document's lines (published layout, or the ``to_text`` layout)."""
        lines = [_BOOKMARK.sub("", line).strip() for line in lines]
        if any(_EDITED.match(line) for line in lines):
            return cls._from_edited(lines)
        texts: dict[str, list[str]] = {}
        key: str | None = "preamble"
        seen_title = False
        for line in lines:
            if not line:
                continue
            top = _TOP.match(line)
            if top:
                key = _top_key(top.group(2))
                if key is None and "计划指标" in top.group(2):
                    key = "indicators"
                continue
            if not seen_title:
                seen_title = True
                if key == "preamble" and "计划" in line and len(line) < 40:
                    continue  # the title
            if line.startswith("附件"):
                texts["attachment"] = [line]
                continue
            if key == "indicators":
                cls._indicator_line(line, texts)
            elif key is not None:
                texts.setdefault(key, []).append(line)
        return cls({k: "\n".join(v) for k, v in texts.items()})

    @staticmethod
    def _indicator_line(line: str, texts: dict[str, list[str]]) -> None:
        if _SUB.match(line):
            return
        item = _ITEM.match(line)
        body = item.group(2) if item else line
        funds = _FUNDS_ITEM.match(body)
        if funds:
            name, rest = funds.groups()
            if name == "资金总量":  # "0.75亿元，全部为…": the amount is data, the rest is text
                rest = re.sub(r"^[^，,]*[，,]\s*", "", rest, count=1) if re.search(r"[，,]", rest) else ""
                name = "资金来源"
            key = {"资金来源": "funds_source", "资金管理": "funds_management", "支出方向": "funds_uses"}[name]
            texts[key] = [rest.strip()] if rest.strip() else []
            return
        layout = _LAYOUT.match(body)
        if layout and "地块编号" not in body:
            texts[LAYOUT_PREFIX + layout.group("zone").strip()] = [layout.group("text").strip()]

    @classmethod
    def _from_edited(cls, lines: list[str]) -> Narrative:
        texts: dict[str, list[str]] = {}
        key: str | None = None
        for line in lines:
            edited = _EDITED.match(line)
            if edited:
                key = _key_of(edited.group("key"))
                texts.setdefault(key, [])
            elif key is not None and line:
                texts[key].append(line)
        return cls({k: "\n".join(v) for k, v in texts.items()})

    def to_text(self, zones: Iterable[str] = ()) -> str:
        """The sections as an editable text file: ``【指导思想】`` then its paragraphs, one section after another."""
        out = []
        keys = list(SECTIONS) + [LAYOUT_PREFIX + z for z in zones]
        keys += sorted(k for k in self.texts if k not in keys)
        for key in keys:
            heading = SECTIONS.get(key) or f"空间布局：{key.removeprefix(LAYOUT_PREFIX)}"
            out += [f"【{heading}】", *self.paragraphs(key), ""]
        return "\n".join(out)


def _key_of(heading: str) -> str:
    for key, name in SECTIONS.items():
        if heading == name:
            return key
    return LAYOUT_PREFIX + heading.removeprefix("空间布局：").strip()
