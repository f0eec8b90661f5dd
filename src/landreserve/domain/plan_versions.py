"""Versions of a plan: applying an adjustment to a parcel list, and the diff of two versions.

Indicators of a version are computed from its parcel list: total area, parcel count, stock and new area,
area by land use and by zone. A parcel whose use, zone or stock is not known counts under ``未注明``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ..errors import InputError, RuleViolation
from .register import FACT_LABELS, ParcelFacts, normalise_code, parse_fact_values

UNKNOWN = "未注明"

#: fields of a version parcel that an adjustment may change, with their Chinese names
PARCEL_FIELDS = FACT_LABELS


#: a parcel as a plan version lists it, with what is known of it: the same facts the register keeps
VersionParcel = ParcelFacts


@dataclass(frozen=True)
class Approval:
    """The approval of a version: 批准文号, date, approving body."""

    approval_no: str
    approved_on: date
    approving_body: str

    @classmethod
    def checked(
        cls, approval_no: str | None, approved_on: date | None, approving_body: str | None
    ) -> Approval:
        """An approval with all three parts, or ``RuleViolation`` naming the missing ones."""
        names = {"批准文号": approval_no, "批准日期": approved_on, "批准机关": approving_body}
        missing = [name for name, value in names.items() if value is None or not str(value).strip()]
        if missing:
            raise RuleViolation(
                f"批准记录不完整：缺少{'、'.join(missing)}，请补齐批准文号、批准日期和批准机关",
                reasons=[f"缺少{name}" for name in missing],
                code="plan.approval_missing",
            )
        assert approval_no and approved_on and approving_body
        return cls(approval_no.strip(), approved_on, approving_body.strip())


def parse_parcel_values(values: Mapping[str, object]) -> dict:
    """Parse user-given parcel fields (``area_m2``, ``stock``, ``source`` … in Chinese or English)."""
    return parse_fact_values({k: v for k, v in values.items() if k != "code"})


def _code_of(item: Mapping[str, object] | str) -> str:
    raw = item if isinstance(item, str) else str(item.get("code") or "")
    code = normalise_code(raw)
    if not code:
        raise InputError(
            f"调整项“{item}”缺少地块编号，请写成 code=地块编号,字段=值（如 code=BC-CB2026012,area_m2=15000）",
            code="input.code",
        )
    return code


def apply_adjustment(
    parcels: Sequence[VersionParcel],
    add: Iterable[Mapping[str, object]] = (),
    remove: Iterable[str] = (),
    change: Iterable[Mapping[str, object]] = (),
) -> list[VersionParcel]:
    """The parcel list after removing, changing and adding parcels; every problem is named at once."""
    by_code = {p.code: p for p in parcels}
    problems: list[str] = []
    for code in map(_code_of, remove):
        if by_code.pop(code, None) is None:
            problems.append(f"调出的地块 {code} 不在该版本计划中")
    for item in change:
        code = _code_of(item)
        if code not in by_code:
            problems.append(f"变更的地块 {code} 不在该版本计划中")
            continue
        by_code[code] = replace(by_code[code], **parse_parcel_values(item))
    for item in add:
        code = _code_of(item)
        if code in by_code:
            problems.append(f"新增的地块 {code} 已在该版本计划中，请改用“变更”")
            continue
        new = VersionParcel(code=code, **parse_parcel_values(item))
        if new.area_m2 is None:
            problems.append(f"新增的地块 {code} 须写明面积（area_m2，平方米）")
        by_code[code] = new
    if problems:
        raise RuleViolation(
            f"计划调整无法应用（{len(problems)} 处问题，见下），请核对地块编号后重新提交",
            reasons=problems,
            code="plan.adjustment_invalid",
        )
    return list(by_code.values())


@dataclass(frozen=True)
class Indicators:
    """The indicators of a parcel list; areas in ㎡."""

    total_area: Decimal
    parcel_count: int
    stock_area: Decimal
    new_area: Decimal
    unknown_stock_area: Decimal
    by_use: dict[str, Decimal]
    by_zone: dict[str, Decimal]


def _sum_by(parcels: Sequence[VersionParcel], key) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for p in parcels:
        name = key(p) or UNKNOWN
        totals[name] = totals.get(name, Decimal(0)) + (p.area_m2 or Decimal(0))
    return dict(sorted(totals.items()))


def indicators(parcels: Sequence[VersionParcel]) -> Indicators:
    """Total area, count, stock/new area, and area by use and by zone."""
    area = lambda ps: sum((p.area_m2 or Decimal(0) for p in ps), Decimal(0))  # noqa: E731
    return Indicators(
        total_area=area(parcels),
        parcel_count=len(parcels),
        stock_area=area([p for p in parcels if p.stock is True]),
        new_area=area([p for p in parcels if p.stock is False]),
        unknown_stock_area=area([p for p in parcels if p.stock is None]),
        by_use=_sum_by(parcels, lambda p: p.land_use),
        by_zone=_sum_by(parcels, lambda p: p.zone),
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class ParcelChange:
    code: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class IndicatorMove:
    """How one indicator moved: ``name`` like ``total_area`` or ``by_use``, ``group`` the use or zone."""

    name: str
    label: str
    group: str | None
    old: Decimal
    new: Decimal

    @property
    def delta(self) -> Decimal:
        return self.new - self.old


@dataclass(frozen=True)
class VersionDiff:
    added: tuple[VersionParcel, ...]
    removed: tuple[VersionParcel, ...]
    changed: tuple[ParcelChange, ...]
    indicators: tuple[IndicatorMove, ...] = field(default=())

    @property
    def moved(self) -> tuple[IndicatorMove, ...]:
        return tuple(m for m in self.indicators if m.delta != 0)


def _changes(old: VersionParcel, new: VersionParcel) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, label, getattr(old, name), getattr(new, name))
        for name, label in PARCEL_FIELDS.items()
        if getattr(old, name) != getattr(new, name)
    )


def _indicator_moves(old: Indicators, new: Indicators) -> list[IndicatorMove]:
    moves = [
        IndicatorMove("total_area", "储备总面积（㎡）", None, old.total_area, new.total_area),
        IndicatorMove(
            "parcel_count", "地块数（宗）", None, Decimal(old.parcel_count), Decimal(new.parcel_count)
        ),
        IndicatorMove("stock_area", "存量土地面积（㎡）", None, old.stock_area, new.stock_area),
        IndicatorMove("new_area", "新增土地面积（㎡）", None, old.new_area, new.new_area),
        IndicatorMove(
            "unknown_stock_area",
            "未注明存量/新增的面积（㎡）",
            None,
            old.unknown_stock_area,
            new.unknown_stock_area,
        ),
    ]
    for name, label, a, b in (
        ("by_use", "按用途面积（㎡）", old.by_use, new.by_use),
        ("by_zone", "按区域面积（㎡）", old.by_zone, new.by_zone),
    ):
        for group in sorted(set(a) | set(b)):
            moves.append(
                IndicatorMove(name, label, group, a.get(group, Decimal(0)), b.get(group, Decimal(0)))
            )
    return moves


def diff(old: Sequence[VersionParcel], new: Sequence[VersionParcel]) -> VersionDiff:
    """Parcels added, removed and changed (field by field) from ``old`` to ``new``, and every indicator.

    Examples
    --------
    >>> a = [VersionParcel("A", area_m2=Decimal(100), land_use="住宅用地")]
    >>> b = [VersionParcel("A", area_m2=Decimal(120), land_use="住宅用地"), VersionParcel("B", area_m2=Decimal(5))]
    >>> d = diff(a, b)
    >>> [p.code for p in d.added], d.changed[0].changes[0].new, d.indicators[0].delta
    (['B'], Decimal('120'), Decimal('25'))
    """
    old_by, new_by = {p.code: p for p in old}, {p.code: p for p in new}
    changed = [
        ParcelChange(code, ch)
        for code in old_by
        if code in new_by and (ch := _changes(old_by[code], new_by[code]))
    ]
    return VersionDiff(
        added=tuple(p for c, p in new_by.items() if c not in old_by),
        removed=tuple(p for c, p in old_by.items() if c not in new_by),
        changed=tuple(changed),
        indicators=tuple(_indicator_moves(indicators(old), indicators(new))),
    )
