"""Land-use names of plan texts mapped to GB/T 21010-2017 and the 2023 用地用海分类 codes.

Plans name uses freely (``工矿仓储及物流用地``, ``商办``, ``居住``, ``商住``). ``match_land_use`` finds
the known keywords in a name (longest first), maps each to codes of both schemes and merges them.
A name is *ambiguous* when it does not determine a single first-level class of GB/T 21010-2017
(``商住`` → 05 商服 or 07 住宅) or when its keyword is vague by nature (``综合``, ``经营性``); the
``note`` then names the candidate classes, in Chinese.

>>> match_land_use("住宅用地").gb2017, match_land_use("住宅用地").gb2023
(('07',), ('07',))
>>> match_land_use("商住用地").ambiguous
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .plans import LandUseMatch

__all__ = ["LandUseMatch", "match_land_use", "GB2017_NAMES", "GB2023_NAMES"]

#: GB/T 21010-2017 《土地利用现状分类》 (classes used by reserve plans)
GB2017_NAMES: dict[str, str] = {
    "01": "耕地",
    "02": "园地",
    "03": "林地",
    "04": "草地",
    "05": "商服用地",
    "0501": "零售商业用地",
    "0502": "批发市场用地",
    "0503": "餐饮用地",
    "0504": "旅馆用地",
    "0505": "商务金融用地",
    "0506": "娱乐用地",
    "0507": "其他商服用地",
    "06": "工矿仓储用地",
    "0601": "工业用地",
    "0602": "采矿用地",
    "0603": "盐田",
    "0604": "仓储用地",
    "07": "住宅用地",
    "0701": "城镇住宅用地",
    "0702": "农村宅基地",
    "08": "公共管理与公共服务用地",
    "0801": "机关团体用地",
    "0802": "新闻出版用地",
    "0803": "教育用地",
    "0804": "科研用地",
    "0805": "医疗卫生用地",
    "0806": "社会福利用地",
    "0807": "文化设施用地",
    "0808": "体育用地",
    "0809": "公用设施用地",
    "0810": "公园与绿地",
    "09": "特殊用地",
    "10": "交通运输用地",
    "1001": "铁路用地",
    "1003": "公路用地",
    "1004": "城镇村道路用地",
    "1005": "交通服务场站用地",
    "1007": "机场用地",
    "1008": "港口码头用地",
    "11": "水域及水利设施用地",
    "1109": "水工建筑用地",
    "12": "其他土地",
    "1201": "空闲地",
}

#: 2023 《国土空间调查、规划、用途管制用地用海分类指南》
GB2023_NAMES: dict[str, str] = {
    "01": "耕地",
    "02": "园地",
    "03": "林地",
    "04": "草地",
    "05": "湿地",
    "06": "农业设施建设用地",
    "07": "居住用地",
    "0701": "城镇住宅用地",
    "0703": "农村宅基地",
    "08": "公共管理与公共服务用地",
    "0801": "机关团体用地",
    "0802": "科研用地",
    "0803": "文化用地",
    "0804": "教育用地",
    "0805": "体育用地",
    "0806": "医疗卫生用地",
    "0807": "社会福利用地",
    "09": "商业服务业用地",
    "0901": "商业用地",
    "0902": "商务金融用地",
    "0903": "娱乐康体用地",
    "10": "工矿用地",
    "1001": "工业用地",
    "1002": "采矿用地",
    "1003": "盐田",
    "11": "仓储用地",
    "1101": "物流仓储用地",
    "1102": "储备库用地",
    "12": "交通运输用地",
    "1201": "铁路用地",
    "1202": "公路用地",
    "1203": "机场用地",
    "1204": "港口码头用地",
    "1207": "城镇村道路用地",
    "1208": "交通场站用地",
    "13": "公用设施用地",
    "1311": "水工设施用地",
    "14": "绿地与开敞空间用地",
    "1401": "公园绿地",
    "1402": "防护绿地",
    "1403": "广场用地",
    "15": "特殊用地",
    "16": "留白用地",
    "17": "陆地水域",
    "23": "其他土地",
    "2301": "空闲地",
}


@dataclass(frozen=True)
class _Rule:
    """One keyword: its codes in both schemes; ``vague`` keywords are ambiguous by nature."""

    gb2017: tuple[str, ...]
    gb2023: tuple[str, ...]
    vague: bool = False
    note: str = ""


_ALL_AGRI = ("01", "02", "03", "04")

#: keyword (normalised, without the 用地 suffix) → rule; matched longest first
_RULES: dict[str, _Rule] = {
    # 工矿仓储
    "工矿仓储及物流": _Rule(("06",), ("10", "11")),
    "工矿仓储物流": _Rule(("06",), ("10", "11")),
    "工矿仓储": _Rule(("06",), ("10", "11")),
    "工矿": _Rule(("0601", "0602"), ("10",)),
    "工业": _Rule(("0601",), ("1001",)),
    "采矿": _Rule(("0602",), ("1002",)),
    "盐田": _Rule(("0603",), ("1003",)),
    "物流仓储": _Rule(("0604",), ("1101",)),
    "仓储物流": _Rule(("0604",), ("1101",)),
    "物流": _Rule(("0604",), ("1101",)),
    "仓储": _Rule(("0604",), ("11",)),
    "储备库": _Rule(("0604",), ("1102",)),
    "产业": _Rule(("0601", "0604"), ("10", "11"), vague=True, note="“产业用地”可指工业用地或仓储物流用地"),
    # 商服
    "商业服务业设施": _Rule(("05",), ("09",)),
    "商业服务业": _Rule(("05",), ("09",)),
    "商服": _Rule(("05",), ("09",)),
    "商业": _Rule(("05",), ("09",)),
    "商办": _Rule(("05",), ("09",)),
    "商业办公": _Rule(("05",), ("09",)),
    "零售": _Rule(("0501",), ("0901",)),
    "批发": _Rule(("0502",), ("0901",)),
    "餐饮": _Rule(("0503",), ("0901",)),
    "旅馆": _Rule(("0504",), ("0901",)),
    "酒店": _Rule(("0504",), ("0901",)),
    "商务金融": _Rule(("0505",), ("0902",)),
    "商务办公": _Rule(("0505",), ("0902",)),
    "商务": _Rule(("0505",), ("0902",)),
    "金融": _Rule(("0505",), ("0902",)),
    "娱乐": _Rule(("0506",), ("0903",)),
    "办公": _Rule(
        ("0505", "0801"), ("0902", "0801"), vague=True, note="“办公用地”可指商务办公或机关团体办公"
    ),
    # 住宅
    "城镇住宅": _Rule(("0701",), ("0701",)),
    "农村宅基地": _Rule(("0702",), ("0703",)),
    "宅基地": _Rule(("0702",), ("0703",)),
    "农村住宅": _Rule(("0702",), ("0703",)),
    "保障性住房": _Rule(("0701",), ("0701",)),
    "保障房": _Rule(("0701",), ("0701",)),
    "安置房": _Rule(("0701",), ("0701",)),
    "棚改安置": _Rule(("0701",), ("0701",)),
    "安置住房": _Rule(("0701",), ("0701",)),
    "商品住房": _Rule(("0701",), ("0701",)),
    "住宅": _Rule(("07",), ("07",)),
    "居住": _Rule(("07",), ("07",)),
    "住房": _Rule(("07",), ("07",)),
    "商住": _Rule(("05", "07"), ("07", "09")),
    "综合": _Rule(("05", "07"), ("07", "09"), vague=True, note="“综合用地”未写明用途，常指商业与住宅混合"),
    "混合": _Rule(("05", "07"), ("07", "09"), vague=True, note="“混合用地”未写明各用途的比例"),
    "经营性": _Rule(
        ("05", "06", "07"),
        ("07", "09", "10", "11"),
        vague=True,
        note="“经营性用地”泛指商服、工矿仓储、住宅等",
    ),
    # 公共管理与公共服务
    "公共管理与公共服务设施": _Rule(("08",), ("08",)),
    "公共管理与公共服务": _Rule(("08",), ("08",)),
    "公共管理和公共服务": _Rule(("08",), ("08",)),
    "公共服务设施": _Rule(("08",), ("08",)),
    "公共服务": _Rule(("08",), ("08",)),
    "公共管理": _Rule(("08",), ("08",)),
    "公益": _Rule(("08",), ("08",)),
    "机关团体": _Rule(("0801",), ("0801",)),
    "行政办公": _Rule(("0801",), ("0801",)),
    "科教": _Rule(("0803", "0804"), ("0802", "0804")),
    "文体": _Rule(("0807", "0808"), ("0803", "0805")),
    "教育": _Rule(("0803",), ("0804",)),
    "学校": _Rule(("0803",), ("0804",)),
    "科研": _Rule(("0804",), ("0802",)),
    "医疗卫生": _Rule(("0805",), ("0806",)),
    "医疗": _Rule(("0805",), ("0806",)),
    "社会福利": _Rule(("0806",), ("0807",)),
    "养老": _Rule(("0806",), ("0807",)),
    "文化": _Rule(("0807",), ("0803",)),
    "体育": _Rule(("0808",), ("0805",)),
    "公用设施": _Rule(("0809",), ("13",)),
    "市政": _Rule(("0809",), ("13",)),
    "基础设施": _Rule(
        ("0809", "10"), ("12", "13"), vague=True, note="“基础设施用地”可指公用设施用地或交通运输用地"
    ),
    "公园与绿地": _Rule(("0810",), ("14",)),
    "绿地与开敞空间": _Rule(("0810",), ("14",)),
    "绿地与广场": _Rule(("0810",), ("14",)),
    "防护绿地": _Rule(("0810",), ("1402",)),
    "公园": _Rule(("0810",), ("1401",)),
    "绿地": _Rule(("0810",), ("14",)),
    "广场": _Rule(("0810",), ("1403",)),
    # 交通、特殊、水利、其他
    "交通运输": _Rule(("10",), ("12",)),
    "道路与交通设施": _Rule(("10",), ("12",)),
    "交通": _Rule(("10",), ("12",)),
    "城镇村道路": _Rule(("1004",), ("1207",)),
    "道路": _Rule(("1004",), ("1207",)),
    "公路": _Rule(("1003",), ("1202",)),
    "铁路": _Rule(("1001",), ("1201",)),
    "机场": _Rule(("1007",), ("1203",)),
    "港口码头": _Rule(("1008",), ("1204",)),
    "交通服务场站": _Rule(("1005",), ("1208",)),
    "交通场站": _Rule(("1005",), ("1208",)),
    "停车场": _Rule(("1005",), ("1208",)),
    "特殊": _Rule(("09",), ("15",)),
    "军事": _Rule(("09",), ("15",)),
    "殡葬": _Rule(("09",), ("15",)),
    "宗教": _Rule(("09",), ("15",)),
    "水域及水利设施": _Rule(("11",), ("17", "1311")),
    "水利设施": _Rule(("1109",), ("1311",)),
    "水工": _Rule(("1109",), ("1311",)),
    "留白": _Rule((), ("16",)),
    "空闲地": _Rule(("1201",), ("2301",)),
    "其他土地": _Rule(("12",), ("23",)),
    "未利用地": _Rule(("12",), ("23",)),
    "耕地": _Rule(("01",), ("01",)),
    "园地": _Rule(("02",), ("02",)),
    "林地": _Rule(("03",), ("03",)),
    "草地": _Rule(("04",), ("04",)),
    "湿地": _Rule((), ("05",)),
    "农用地": _Rule(_ALL_AGRI, _ALL_AGRI),
    "建设用地": _Rule(
        (), (), vague=True, note="“建设用地”是大类，包含商服、工矿仓储、住宅、公共服务、交通等多个一级类"
    ),
}

_KEYWORDS = sorted(_RULES, key=len, reverse=True)
_NOISE = re.compile(r"[\s\u3000]+")


def _normalise(name: str) -> str:
    """Full-width to ASCII, no spaces: ``" 商服用地 "`` → ``"商服用地"``."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name))


def _keywords_in(text: str) -> list[str]:
    """Keywords found in ``text``, longest first, never two on overlapping characters."""
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for key in _KEYWORDS:
        start = text.find(key)
        while start >= 0:
            span = range(start, start + len(key))
            if not any(taken[i] for i in span):
                for i in span:
                    taken[i] = True
                found.append((start, key))
            start = text.find(key, start + 1)
    return [key for _, key in sorted(found)]


def _merge(codes: list[str]) -> tuple[str, ...]:
    """Distinct codes in order, dropping a code whose parent class is also present."""
    distinct = list(dict.fromkeys(codes))
    kept = [c for c in distinct if not any(p != c and c.startswith(p) for p in distinct)]
    return tuple(sorted(kept))


def _first_level(codes: tuple[str, ...]) -> set[str]:
    return {c[:2] for c in codes}


def _describe(codes: tuple[str, ...], names: dict[str, str]) -> str:
    return "、".join(f"{c} {names.get(c, '')}".strip() for c in codes)


def _candidates_note(name: str, gb2017: tuple[str, ...], gb2023: tuple[str, ...]) -> str:
    parts = []
    if gb2017:
        parts.append(f"GB/T 21010-2017 {_describe(gb2017, GB2017_NAMES)}")
    if gb2023:
        parts.append(f"2023用地用海分类 {_describe(gb2023, GB2023_NAMES)}")
    return f"“{name}”可对应多个地类：" + "；".join(parts) + "。请写明具体用途或各用途面积"


def is_class_name(name: str) -> bool:
    """Whether ``name`` is just a class of the tables (住宅用地, 农用地, 商服用地), not a narrower name that
    merely contains one (零售商业用地 holds 商业 but is one kind of it)."""
    plain = re.sub(r"(?:用地|土地)$", "", _normalise(name))
    return plain in _RULES or f"{plain}用地" in _RULES


@lru_cache(maxsize=4096)
def match_land_use(name: str) -> LandUseMatch:
    """Map a plan's land-use name to GB/T 21010-2017 and 2023 用地用海 codes.

    Parameters
    ----------
    name
        The name as written in the plan, e.g. ``"工矿仓储及物流用地"`` or ``"商住"``.

    Returns
    -------
    LandUseMatch
        Codes of both schemes (empty when the name is unknown); ``ambiguous`` with a Chinese ``note``
        naming the candidate classes when the name does not determine one class.

    Examples
    --------
    >>> m = match_land_use("工矿仓储及物流用地")
    >>> m.gb2017, m.gb2023, m.ambiguous
    (('06',), ('10', '11'), False)
    >>> match_land_use("商住").gb2017
    ('05', '07')
    >>> match_land_use("月球用地").known
    False
    """
    keys = _keywords_in(_normalise(name))
    if not keys:
        return LandUseMatch(name=name, note=f"“{name}”不能对应到GB/T 21010-2017或2023用地用海分类的地类")
    rules = [_RULES[k] for k in keys]
    gb2017 = _merge([c for r in rules for c in r.gb2017])
    gb2023 = _merge([c for r in rules for c in r.gb2023])
    vague = [r.note for r in rules if r.vague]
    spread = len(_first_level(gb2017) or _first_level(gb2023)) > 1
    if vague or spread:
        note = "；".join([*vague, _candidates_note(name, gb2017, gb2023)]) if (gb2017 or gb2023) else vague[0]
        return LandUseMatch(name=name, gb2017=gb2017, gb2023=gb2023, ambiguous=True, note=note)
    note = ""
    if len(_first_level(gb2023)) > 1:
        note = f"在2023用地用海分类中分属{_describe(gb2023, GB2023_NAMES)}"
    return LandUseMatch(name=name, gb2017=gb2017, gb2023=gb2023, note=note)
