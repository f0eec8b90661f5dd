"""Labels of stated quantities and what they are: a total, a part of a split, a share, a parcel.

The label of a quantity is the name written just before it in its clause (``存量土地39.52公顷`` →
``存量土地``; ``巴楚镇（39.52公顷）`` → ``巴楚镇``), without verbs and fillers (``本年度计划…``, ``为``,
``约``). ``area_role``/``money_role`` then decide what the name stands for, from the name and the
template section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from landreserve.domain.plans import Dimension, TotalKind

#: separators that end a label when looking back from a number (normalised line); an ASCII ``.``
#: that is no decimal point ends a sentence too
_SEPARATORS = ",;。:()!?\t"
_SEPARATOR_RE = re.compile(r"[,;。:()!?\t]|\.(?!\d)")
_TRAILING_FILLER = re.compile(
    r"(?:[\s:=(]|\([^()]{1,6}\)|约为|约|大约|为|达到|达|共计|合计为|总计为|共|分别|是|有|不超过|控制在|不少于|不低于|至少|超过|近|逾|的)+$"
)
_LEADING_FILLER = re.compile(
    r"^(?:[\s、]|(?:首先|其次|再次|然后|最后)[为是,:]?|第[一二三四五六七八九十]+[是,:]|[一二三四五六七八九十]是|其中|主要|包括|包含|本年度|本年|全年|年度|今年|本计划|计划(?!完成)|含(?=[^,;。:()\d]{2,12}(?:用地|补偿|费|资金|房|住宅))|对|共|全县|全市|全区|另|和|及|以及|其余|剩余)+"
)
_SPLIT_AT_OF = re.compile(r"^.*(?:其中|总量中|规模中|面积中|总面积中|土地中|用地中|计划中|范围内)")
_GENERIC = re.compile(
    r"^(?:面积|总面积|用地面积|土地面积|占地面积|占地|宗地面积|规模|总规模|合计|总计|共计|小计|数量|金额|资金|约|为|共|计|)$"
)
_YEAR_LABEL = re.compile(r"^(20\d{2})年(?:度)?")

USE_WORDS = re.compile(
    r"住宅|居住|住房|安置房|保障房|商品房|安居工程|商服|商业|商务|商办|商住|工业|工矿|仓储|物流|公共管理|公共服务|公服|教育|医疗|交通|市政|公用设施"
    r"|绿地|科研|文化|体育|养老|混合|旅游|娱乐|批发|零售|餐饮|旅馆|金融|机关|特殊用地|水域|农村宅基地|经营性|产业用地"
)
ZONE_WORDS = re.compile(
    r"(?:(?<![全本我该])(?:镇|乡)|街道|园区|片区|新区|开发区|城区|(?<![全本我该满])城|组团|板块|功能区|产业园|工业园|经济区|示范区|区域|社区|村|场"
    r"|[^全本我各该]县|[^全本我各该]区|旗|市本级|县本级|区本级)$"
)
SOURCE_WORDS = re.compile(r"依法收回|收回|收购|优先购买|征收|转用|依法取得|置换|回购|闲置土地")
#: words after a zone naming what is reserved there (``东城区储备土地``)
_RESERVED_LAND = re.compile(r"(?:计划)?(?:储备|收储|供应)(?:国有建设)?(?:土地|用地)$")
#: how supplied land is handed over (出让 sale, 划拨 allocation …): parts of a supply total
SUPPLY_MODE_WORDS = re.compile(r"^(?:以)?(?:出让|划拨|租赁|作价出资|作价入股|协议出让|招拍挂)")

#: a change against another year (比上年增长, 同比减少, 较上年增加): neither a part nor a share
CHANGE_WORDS = re.compile(
    r"(?:比|较|同比|环比)[^,;。:()]{0,12}?(?:增加|减少|增长|下降|提高|降低|多|少|持平)"
    r"|同比|环比|增幅|降幅|增长率|增速"
)
#: a sentence naming where the funds come from (资金来源：…): a split of its own
FUNDS_SOURCES = re.compile(r"\s*(?:资金|经费)?(?:来源|筹措|筹集|渠道)")
#: land already held (库存储备土地120公顷): a stock of its own, not the plan's scale
_INVENTORY_WORDS = re.compile(r"库存|现有储备|储备库内|在库")
#: land added to or taken from a plan by an amendment (增补, 追加, 调减 …): an amount of its own, neither
#: the plan's total (that is the one 增补后/调整后) nor one of its parts
_AMENDMENT = re.compile(r"增补|追加|调增|调减|核减|调入|调出")
#: the land a measure or a work reaches (涉及, 覆盖): such areas may overlap, so they are no parts of a split
_COVERAGE = re.compile(r"(?:涉及|覆盖|惠及|影响)(?:面积|土地|用地)?$|^(?:其中)?(?:涉及|覆盖)")
#: kinds of preliminary works (前期开发): each may cover the same land as another
_WORKS = re.compile(r"道路|平整|通水|通电|通气|通讯|管网|围挡|围墙|拆除|清表|绿化|排水|供水|供电|供气")
#: money coming in (出让收入, 土地收益): no part of the funds a plan needs
INCOME_WORDS = re.compile(r"收入|收益|出让金|出让价款|成交价")
#: what was actually done (an execution report), not planned
_ACTUAL_WORDS = re.compile(r"实际|累计|(?<!计划)(?<!拟)完成(?!率)|已供应|已收储|已出让")

#: name of each total as a figure label
TOTAL_LABELS = {
    TotalKind.RESERVE: "年度储备规模",
    TotalKind.STOCK: "存量土地",
    TotalKind.NEW: "新增土地",
    TotalKind.CARRIED_OVER: "上年度末结转",
    TotalKind.SUPPLY: "供应规模",
    TotalKind.DEVELOPMENT: "前期开发",
    TotalKind.CUSTODY: "临时管护",
    TotalKind.FUNDS: "资金总量",
}

_KIND_WORDS: tuple[tuple[TotalKind, re.Pattern[str]], ...] = (
    (TotalKind.STOCK, re.compile(r"存量")),
    (TotalKind.NEW, re.compile(r"新增")),
    (TotalKind.CARRIED_OVER, re.compile(r"结转|续储|上年度")),
    (TotalKind.DEVELOPMENT, re.compile(r"前期开发")),
    (TotalKind.CUSTODY, re.compile(r"管护|临时利用")),
    (TotalKind.SUPPLY, re.compile(r"(?<!未)(?:供应|供地|出让(?!金|收入|价))")),
)
#: land classes of the surveys (一级类) that name a part as land uses do
LAND_CLASS_WORDS = re.compile(r"耕地|园地|林地|草地|湿地|城镇村|未利用地|农用地|水域")
#: words that make a name the whole (供应总量, 储备规模), not a part named with its verb (住宅用地供应)
_WHOLE_WORDS = re.compile(r"总|合计|规模|全部|各类|全市|全县|全区|全省|全国")
#: names of land in general, never one use among others: ``国有建设用地``, ``储备用地``
_GENERAL_LAND = re.compile(r"^(?:国有)?(?:建设用地|土地|储备用地|储备土地|用地)$")
#: verbs and fillers around a use named as a part: ``住宅用地计划供应``, ``工矿仓储用地供应``
_USE_VERBS = re.compile(r"(?:计划|拟)?(?:供应|供地|出让|储备|收储)(?:面积|量|规模)?$")
_PLACE_YEAR = re.compile(r"^[^\d]{0,12}?20\d{2}年度?")
#: a place before a use (``市辖区住宅用地``, ``市本级之外4区住宅用地``): another scope than the plan's
_SCOPE = re.compile(
    r"^(?:\d+个|市辖区|市本级|县本级|区本级|主城区|中心城区|[^全本我各该,]{1,6}?[区县](?![域]))"
)
_RESERVE_WORDS = re.compile(r"储备|收储|总规模|总面积|总量|规模")
_FUNDS_TOTAL_WORDS = re.compile(
    r"总量|总额|需求|需要|需投入|需筹集|合计|总计|总投资|共需|规模|^(?:计划)?(?:土地)?(?:储备)?(?:所需)?资金(?:安排)?$"
)
_SECTION_TOTAL = {
    "scale": TotalKind.RESERVE,
    "carried_over": TotalKind.CARRIED_OVER,
    "new": TotalKind.NEW,
    "development": TotalKind.DEVELOPMENT,
    "supply": TotalKind.SUPPLY,
    "custody": TotalKind.CUSTODY,
}


@dataclass(frozen=True)
class Role:
    """What a named quantity is: ``total`` (with ``kind``), ``item`` (with ``dimension``), or ``plain``."""

    what: str
    kind: TotalKind | None = None
    dimension: Dimension | None = None
    name: str = ""
    year: int | None = None
    #: a use of another scope than the plan's (``市辖区住宅用地``): a whole only where no sibling follows
    scoped: bool = False
    #: an area that may overlap the others stated with it (涉及…, a kind of works): never a part
    overlapping: bool = False


#: a quarter or half of the year (``第一季度``, ``一季度``, ``上半年``) naming its part of the total
_QUARTER = re.compile(r"^(?:第?[一二三四1-4]季度|[上下]半年)")


#: the kinds of place a name of places holds in parentheses: ``各县(市)区``, ``各县(市、区)``
PLACE_PARENS = re.compile(r"\((?:市|县|区|旗)(?:、(?:市|县|区|旗))*\)")


def without_place_parens(name: str) -> str:
    """``各县(市)区`` → ``各县市区``: the parentheses of a name of places are part of the name."""
    return PLACE_PARENS.sub(lambda m: m.group(0)[1:-1], name)


def local_label(norm: str, floor: int, start: int) -> str:
    """The name written before ``norm[start]``, not crossing ``floor`` (the end of the previous figure)."""
    left = _TRAILING_FILLER.sub("", without_place_parens(norm[floor:start]))
    cuts = [m.end() for m in _SEPARATOR_RE.finditer(left)]
    left = left[cuts[-1] :] if cuts else left
    left = _SPLIT_AT_OF.sub("", left)
    left = _LEADING_FILLER.sub("", left)
    return _TRAILING_FILLER.sub("", left).strip()


def is_generic(label: str) -> bool:
    """Whether a label names no thing (``面积``, ``合计``) and the name must come from earlier."""
    return bool(_GENERIC.match(label))


def year_of_label(label: str) -> int | None:
    m = _YEAR_LABEL.match(label)
    return int(m.group(1)) if m else None


def area_role(label: str, section: str | None, rolling: bool, fresh: bool = False) -> Role:
    """Role of an area quantity named ``label`` inside template section ``section``.

    ``fresh``: no total was stated yet in the section, so the first unnamed area of a section such as
    前期开发 or 供应 is that section's total (``计划对已入库的35公顷储备土地进行前期开发``).
    """
    year = year_of_label(label)
    rest = _YEAR_LABEL.sub("", label) if year else label
    if CHANGE_WORDS.search(rest):
        return Role("plain", name=rest)  # 比上年减少3.10公顷: a change, no part of any total
    if _COVERAGE.search(rest) or (section == "development" and _WORKS.search(rest)):
        # 道路建设涉及20公顷，场地平整涉及35公顷: works may cover the same land, they split nothing
        return Role("plain", name=rest, overlapping=True)
    if _INVENTORY_WORDS.search(rest):
        return Role("total", kind=TotalKind.OTHER, name=rest)  # land already in store, not this year's plan
    if _AMENDMENT.search(rest) and "后" not in rest:  # 增补储备地块25.6公顷: the change, not the plan
        return Role("total", kind=TotalKind.OTHER, name=rest)
    if _ACTUAL_WORDS.search(rest) and not SOURCE_WORDS.search(rest):
        return Role("total", kind=TotalKind.OTHER, name=rest)  # what was done (实际完成…), not planned
    if mode := SUPPLY_MODE_WORDS.match(rest):
        # 出让住宅用地20公顷: the use, named with the way it is supplied (出让经营性用地 is the whole supply)
        tail = rest[mode.end() :]
        use = _use_part(tail, section) if tail and not tail.startswith("经营性") else None
        if use is not None and use.what == "item":
            return replace(use, year=year)
        return Role("item", dimension=Dimension.OTHER, name=rest, year=year)
    if quarter := _QUARTER.match(rest):  # 第一季度计划储备12.35公顷: a part of the year's total
        return Role("item", dimension=Dimension.OTHER, name=quarter.group(0), year=year)
    if named_use := _use_part(rest, section):  # 住宅用地计划供应504.12公顷: the use, named with its verb
        return replace(named_use, year=year)
    for kind, words in _KIND_WORDS:
        if words.search(rest):
            return Role("total", kind=kind, name=TOTAL_LABELS[kind], year=year)
    if year and rolling:
        return Role("item", dimension=Dimension.YEAR, name=f"{year}年", year=year)
    named = _item_role(rest, section)
    if named:
        return replace(named, year=year)  # 2023年住宅用地…: a part of that year's total, not of another
    if _RESERVE_WORDS.search(rest) or (section in _SECTION_TOTAL and (not rest or fresh)):
        kind = _SECTION_TOTAL.get(section or "", TotalKind.RESERVE)
        return Role("total", kind=kind, name=TOTAL_LABELS[kind], year=year)
    if section == "structure" and rest:
        return Role("item", dimension=Dimension.USE, name=rest)
    if section == "layout" and rest:
        return Role("item", dimension=Dimension.ZONE, name=rest)
    return Role("plain", name=rest)


#: the closing part of a list of uses: ``其他用地供应3782.77公顷``, ``其它建设用地``
_OTHER_USE = re.compile(r"^其[他它](?:建设)?用地$")


def _use_part(rest: str, section: str | None) -> Role | None:
    """A land use (or land class) named with the verb of the plan (供应/储备/出让) is a part, not the
    supply or reserve total: ``工矿仓储用地供应3838.67公顷``. Stock, new and carried-over land keep their
    own totals; a name with 总/合计/规模 is the whole."""
    if _WHOLE_WORDS.search(rest) or SOURCE_WORDS.search(rest) or section == "layout":
        return None
    if any(words.search(rest) for kind, words in _KIND_WORDS if kind is not TotalKind.SUPPLY):
        return None
    name = _USE_VERBS.sub("", _PLACE_YEAR.sub("", rest)).strip()
    named_use = USE_WORDS.search(name) or LAND_CLASS_WORDS.search(name) or _OTHER_USE.match(name)
    if not name or not named_use or ZONE_WORDS.search(name) or _GENERAL_LAND.match(name):
        return None
    if _SCOPE.match(name):  # 市辖区住宅用地计划供应470.26公顷: the housing land of another scope, a whole
        return Role("total", kind=TotalKind.OTHER, name=name, scoped=True)
    if _RESERVED_LAND.search(name) and not USE_WORDS.search(name):
        return None
    return Role("item", dimension=Dimension.USE, name=name)


#: the words after a place that name its scale: ``德城区辖内规模``, ``市级项目地块规模``, ``城区储备面积``
SCALE_TAIL = re.compile(
    r"(?:辖内|范围内|境内|区域内)?(?:项目)?(?:地块)?(?:计划)?(?:储备|收储|出让|供应|供地)?(?:土地|用地)?总?(?:规模|面积)"
)
#: a level of government as the scope of a part: ``市级项目``, ``区级``, ``县本级``
_LEVEL = re.compile(r"^(?:省|市|州|县|区|旗|镇|乡)(?:级|本级)(?:项目)?$")


def _place_with_scale(rest: str) -> str | None:
    """The place (or level) of a label naming a place's scale: ``德城区辖内规模`` → ``德城区``,
    ``市级项目地块规模`` → ``市级项目``; ``None`` when the label names no place (``年度储备规模``)."""
    tail = re.search(SCALE_TAIL.pattern + "$", rest)
    if tail is None or tail.start() == 0:
        return None
    place = rest[: tail.start()]
    kept = "项目" if rest[tail.start() :].startswith("项目") and _LEVEL.match(place + "项目") else ""
    if ZONE_WORDS.search(place) or _LEVEL.match(place):
        return place + kept
    return None


def _item_role(rest: str, section: str | None) -> Role | None:
    if (place := _place_with_scale(rest)) is not None and len(place) <= 16:
        return Role("item", dimension=Dimension.ZONE, name=place)
    name = re.sub(r"^(?:储备|收储|计划|拟|安排)+", "", rest)
    place = _RESERVED_LAND.sub("", name)
    if place != name and ZONE_WORDS.search(place) and not USE_WORDS.search(place) and "本级" not in place:
        name = place  # ``东城区储备土地12宗，面积…``: the zone is 东城区
    elif name.endswith("地块") and ZONE_WORDS.search(name[:-2]) and not USE_WORDS.search(name):
        name = name[:-2]  # ``城区地块5宗、32.4公顷`` (several parcels, no parcel): the zone is 城区
    if SOURCE_WORDS.search(name) and section != "layout":
        return Role("item", dimension=Dimension.SOURCE, name=name)
    if USE_WORDS.search(name) and section != "layout" and not ZONE_WORDS.search(name):
        return Role("item", dimension=Dimension.USE, name=name)
    if ZONE_WORDS.search(name) and len(name) <= 16:
        return Role("item", dimension=Dimension.ZONE, name=name)
    if section == "layout" and name:
        return Role("item", dimension=Dimension.ZONE, name=name)
    return None


def money_role(label: str, section: str | None, have_funds_total: bool) -> Role:
    """Role of a money quantity: the funds total, or a part of it by source or use."""
    if _ACTUAL_WORDS.search(label) or CHANGE_WORDS.search(label) or INCOME_WORDS.search(label):
        return Role(
            "plain", name=label
        )  # what was spent or earned, not the planned funds  # 实际支出…: what was spent, no part of the planned funds
    if _FUNDS_TOTAL_WORDS.search(label) or (not label and not have_funds_total):
        return Role("total", kind=TotalKind.FUNDS, name=TOTAL_LABELS[TotalKind.FUNDS])
    if label and (section == "funds" or re.search(r"资金|补偿|费|债券|投资|支出|成本|基金", label)):
        return Role("item", dimension=Dimension.FUNDS_USE, name=label)
    return Role("plain", name=label)


def label_before(norm: str, floor: int, start: int, reach: int = 2) -> str:
    """The nearest non-generic name among the last ``reach`` clauses before ``start``.

    ``住宅用地，面积31.61公顷`` → ``住宅用地`` (the name stands one clause before the number).
    """
    segments = _SEPARATOR_RE.split(norm[floor:start])
    cleaned = [_LEADING_FILLER.sub("", _SPLIT_AT_OF.sub("", _TRAILING_FILLER.sub("", s))) for s in segments]
    cleaned = [_TRAILING_FILLER.sub("", c).strip() for c in cleaned if c.strip()]
    for c in reversed(cleaned[-reach:]):
        if not is_generic(c):
            return c
    return ""
