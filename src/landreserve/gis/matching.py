"""Features matched to parcel codes by an attribute; unmatched features and parcels listed, never dropped.

Codes are compared in the importer's canonical form (``BC－CB2026001`` = ``BC-CB2026001``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import InputError
from ..importers.normalise import normalise_code
from .features import Feature

#: attribute names that hold the parcel code, in order of preference
CODE_FIELDS = (
    "地块编号",
    "DKBH",
    "地块代码",
    "宗地编号",
    "ZDBH",
    "编号",
    "BH",
    "code",
    "CODE",
    "parcel_code",
)
#: a value that looks like a parcel code: letters and at least four digits
_CODE_LIKE = re.compile(r"^(?=.*[A-Z])(?=(?:.*\d){4,})[A-Z0-9-]+$")


@dataclass
class Unmatched:
    """A feature that could not be given a parcel code, and why (Chinese)."""

    feature: Feature
    reason: str


@dataclass
class Matching:
    """The outcome of matching: ``matched`` code → feature, and everything that did not match."""

    code_field: str
    matched: dict[str, Feature] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    unmatched_features: list[Unmatched] = field(default_factory=list)
    duplicates: dict[str, list[Feature]] = field(default_factory=dict)
    #: codes known from the plans that got no feature
    parcels_without_feature: list[str] = field(default_factory=list)
    #: matched codes that no plan lists
    not_in_plans: list[str] = field(default_factory=list)


def choose_code_field(fields: list[str], requested: str | None, source_name: str) -> str:
    """The attribute that holds parcel codes: the requested one (must exist) or the one known name present."""
    if requested:
        if requested not in fields:
            raise InputError(
                f"{source_name} 没有字段“{requested}”；可用字段：{'、'.join(fields) or '（无）'}。",
                code="geometry.code_field",
            )
        return requested
    present = [name for name in CODE_FIELDS if name in fields]
    if not present:
        raise InputError(
            f"{source_name} 中找不到地块编号字段（{'、'.join(CODE_FIELDS[:5])}…）；"
            f"请用 --code-field 指明，可用字段：{'、'.join(fields) or '（无）'}。",
            code="geometry.code_field",
        )
    return present[0]


def match_features(features: Iterable[Feature], code_field: str, known_codes: Iterable[str] = ()) -> Matching:
    """Give each feature its parcel code from ``code_field``.

    Parameters
    ----------
    features : iterable of Feature
    code_field : str
        The attribute to read; a list value (DXF texts) matches when exactly one item is a known code,
        or, without known codes, exactly one item looks like a code.
    known_codes : iterable of str
        Parcel codes of the stored plans (any spelling); used to list parcels without feature and
        features whose code no plan lists.
    """
    known = {normalise_code(c) for c in known_codes}
    result = Matching(code_field)
    for feature in features:
        code, reason = _code_of(feature.attributes.get(code_field), known)
        if code is None:
            result.unmatched_features.append(Unmatched(feature, reason))
        elif code in result.matched or code in result.duplicates:
            result.duplicates.setdefault(code, [result.matched.pop(code)] if code in result.matched else [])
            result.duplicates[code].append(feature)
        else:
            result.matched[code] = feature
            result.written[code] = _written(feature.attributes.get(code_field), code)
    for code, dupes in result.duplicates.items():
        places = "、".join(f.place for f in dupes)
        for feature in dupes:
            result.unmatched_features.append(
                Unmatched(feature, f"编号 {code} 在文件中出现 {len(dupes)} 次（{places}）")
            )
    if known:
        result.parcels_without_feature = sorted(known - set(result.matched) - set(result.duplicates))
        result.not_in_plans = sorted(set(result.matched) - known)
    return result


def _code_of(value, known: set[str]) -> tuple[str | None, str]:
    if isinstance(value, list | tuple):
        return _code_from_texts([str(v) for v in value], known)
    if value is None or not str(value).strip():
        return None, "编号字段为空"
    return normalise_code(str(value)), ""


def _code_from_texts(texts: list[str], known: set[str]) -> tuple[str | None, str]:
    codes = [normalise_code(t) for t in texts]
    hits = [c for c in codes if c in known] or [c for c in codes if _CODE_LIKE.match(c)]
    hits = list(dict.fromkeys(hits))
    if len(hits) == 1:
        return hits[0], ""
    if not hits:
        return None, f"图形内的文字（{'、'.join(texts) or '无'}）中没有地块编号"
    return None, f"图形内有多个编号（{'、'.join(hits)}），无法确定"


def _written(value, code: str) -> str:
    if isinstance(value, list | tuple):
        return next((str(v) for v in value if normalise_code(str(v)) == code), code)
    return str(value).strip()
