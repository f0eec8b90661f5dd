"""Facts of a parcel in the reserve register: source, stock or new land, use, zone, area, idle/inefficient."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from enum import StrEnum

from ..errors import InputError
from . import plausibility
from .codes import normalise_code as normalise_code  # the one code normaliser, re-exported
from .landuse import match_land_use
from .numbers import plain_decimal


class Source(StrEnum):
    """How the land is acquired (重点储备范围)."""

    RECOVERED = "recovered"
    PURCHASED = "purchased"
    PREEMPTION = "preemption"
    EXPROPRIATED = "expropriated"
    OTHER_LAWFUL = "other_lawful"


SOURCE_LABELS = {
    Source.RECOVERED: "依法收回",
    Source.PURCHASED: "收购",
    Source.PREEMPTION: "优先购买权",
    Source.EXPROPRIATED: "已完成农用地转用和征收",
    Source.OTHER_LAWFUL: "其他依法取得",
}


class Condition(StrEnum):
    """Whether the land was idle (闲置) or inefficiently used (低效) before acquisition."""

    NORMAL = "normal"
    IDLE = "idle"
    INEFFICIENT = "inefficient"


CONDITION_LABELS = {
    Condition.NORMAL: "正常利用",
    Condition.IDLE: "闲置土地",
    Condition.INEFFICIENT: "低效用地",
}

#: the facts a parcel needs before it can enter the reserve, with their Chinese names
REQUIRED_FACTS = {
    "source": "土地来源（重点储备范围）",
    "stock": "存量或新增",
    "area_m2": "面积",
    "land_use": "用途",
    "zone": "区域",
    "condition": "闲置/低效或正常利用",
}

_TRUE = {"true", "1", "yes", "y", "是", "存量", "stock"}
_FALSE = {"false", "0", "no", "n", "否", "新增", "new"}


def parse_source(value: str | Source | None) -> Source | None:
    """Read a source given as its English value or its Chinese name; ``InputError`` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, Source):
        return value
    text = value.strip()
    for source, label in SOURCE_LABELS.items():
        if text in (source.value, label):
            return source
    known = "、".join(f"{label}（{s.value}）" for s, label in SOURCE_LABELS.items())
    raise InputError(f"土地来源“{value}”无法识别，可选：{known}", code="input.source")


def parse_condition(value: str | Condition | None) -> Condition | None:
    """Read idle/inefficient given as English value or Chinese (闲置/低效/正常)."""
    if value is None or value == "":
        return None
    if isinstance(value, Condition):
        return value
    text = value.strip()
    for condition, label in CONDITION_LABELS.items():
        if text in (condition.value, label, label[:2]):
            return condition
    raise InputError(
        f"利用状况“{value}”无法识别，请填 闲置（idle）、低效（inefficient）或 正常（normal）",
        code="input.condition",
    )


def parse_stock(value: str | bool | None) -> bool | None:
    """Read stock (存量, True) or new (新增, False)."""
    if value is None or value == "" or isinstance(value, bool):
        return value if isinstance(value, bool) else None
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"存量/新增“{value}”无法识别，请填“存量”或“新增”（stock/new）", code="input.stock")


def parse_area(value: str | Decimal | None) -> Decimal | None:
    """Read an area in ㎡ (a positive decimal; typed text must be a plain number, ``domain.numbers``)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        area = value
    else:
        try:
            area = plain_decimal(str(value), "面积", "40254（平方米）", signed=True)  # a sign: "必须大于零"
        except InputError as exc:
            raise InputError(
                f"{exc.message}；面积以平方米填写", code="input.area", details=exc.details
            ) from None
    if not area.is_finite() or area <= 0:
        raise InputError(f"面积“{value}”必须大于零，请以平方米填写，例如 40254", code="input.area")
    return area


@dataclass(frozen=True)
class ParcelFacts:
    """What the rules need to know about a parcel. Unknown facts are ``None``.

    ``area_m2`` is in ㎡; ``stock`` is True for 存量 land, False for 新增.
    """

    code: str
    location: str | None = None
    area_m2: Decimal | None = None
    land_use: str | None = None
    zone: str | None = None
    source: Source | None = None
    stock: bool | None = None
    condition: Condition | None = None

    def __post_init__(self) -> None:
        if not self.code or not normalise_code(self.code):
            raise InputError("地块编号不能为空，请填写计划中的编号，如 BC-CB2026001", code="input.code")

    @property
    def idle_or_inefficient(self) -> bool:
        return self.condition in (Condition.IDLE, Condition.INEFFICIENT)

    def missing(self) -> list[str]:
        """Chinese names of the facts that are still unknown but needed to enter the reserve."""
        return [label for name, label in REQUIRED_FACTS.items() if getattr(self, name) in (None, "")]

    def with_changes(self, changes: Mapping[str, object]) -> ParcelFacts:
        """A copy with ``changes`` applied (values parsed as from user input)."""
        return replace(self, **parse_fact_values(changes))

    def to_dict(self) -> dict:
        data = asdict(self)
        data["area_m2"] = None if self.area_m2 is None else str(self.area_m2)
        data["source"] = self.source.value if self.source else None
        data["condition"] = self.condition.value if self.condition else None
        return data


#: the facts a user may set, with their Chinese names (plan versions list the same fields of a parcel)
FACT_LABELS = {
    "location": "土地坐落",
    "area_m2": "面积（㎡）",
    "land_use": "用途",
    "zone": "区域",
    "stock": "存量/新增",
    "condition": "闲置/低效",
    "source": "来源",
}
FACT_FIELDS = tuple(FACT_LABELS)


def _short_text(field: str, max_length: int):
    def parse(value: object) -> str | None:
        if value is None:
            return None
        return plausibility.text(str(value).strip(), FACT_LABELS[field], max_length) or None

    return parse


def parse_land_use(value: object) -> str | None:
    """A land use named as in GB/T 21010-2017 or the 2023 用地用海分类 (any spelling ``match_land_use``
    knows), or an explicit ``其他……`` keeping the text; anything else is refused naming the value."""
    text = _short_text("land_use", 100)(value)
    if text is None or text.startswith("其他") or match_land_use(text).known:
        return text
    raise InputError(
        f"用途“{text}”不是 GB/T 21010-2017 或 2023 用地用海分类中的地类：请填写规范的地类名称（如 住宅用地、"
        f"商服用地、工矿仓储用地、公共管理与公共服务用地），确实无法归类的请写“其他（{text}）”",
        code="input.land_use",
        details={"field": "land_use", "value": text},
    )


_PARSERS = {
    "location": _short_text("location", 500),
    "land_use": parse_land_use,
    "zone": _short_text("zone", 100),
    "area_m2": parse_area,
    "source": parse_source,
    "stock": parse_stock,
    "condition": parse_condition,
}


def parse_fact_values(values: Mapping[str, object]) -> dict:
    """Parse user-given fact values by field name; unknown fields are an ``InputError``."""
    parsed = {}
    for name, value in values.items():
        if name not in FACT_FIELDS:
            known = "、".join(f"{key}（{label}）" for key, label in FACT_LABELS.items())
            raise InputError(f"未知的地块属性“{name}”，请改用：{known}", code="input.field")
        parser = _PARSERS.get(name)
        parsed[name] = (
            parser(value)  # each parser checks its own input
            if parser
            else (str(value).strip() or None if value is not None else None)
        )
    return parsed


def facts_from(code: str, values: Mapping[str, object]) -> ParcelFacts:
    """Build facts for ``code`` from user-given values (Chinese or English spellings)."""
    return ParcelFacts(code=normalise_code(code), **parse_fact_values(values))


def stock_label(stock: bool | None) -> str:
    return "未注明" if stock is None else ("存量" if stock else "新增")
