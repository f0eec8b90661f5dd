"""Property tests for nested splits (issue 8): a use with its sub-uses, a zone with sub-zones, funds with
their 含 sub-items, written in every layout a county uses.

Values are drawn unrounded (hundredths of ㎡, whole 元); a parent is the exact sum of its sub-items (or
more, when the sub-items are only some of it); every written figure is rounded half-up as a county would
publish it. Such a document is consistent by construction → no ERROR. Then one figure is moved beyond
what rounding can explain, and only where the text proves it wrong: made larger, so that its level
exceeds its parent (a sub-item over its item, a top item over the total, the total under its items); or
made smaller where a 合计 row or shares adding to exactly 100 % prove the level complete → an ERROR whose
lines include the moved figure's line.

Black-box: only ``parse_plan_text`` and ``audit_plan``; the slack is computed here from the written
values alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import ceil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text

NESTED = settings(max_examples=30, deadline=None, derandomize=True)

#: per kind: the top items with the sub-items they may have
NAMES = {
    "use": [
        ("住宅用地", ("商品住房用地", "保障性住房用地", "安置住房用地")),
        ("商服用地", ("零售商业用地", "商务金融用地")),
        ("工业用地", ("一类工业用地", "二类工业用地")),
        ("公共管理与公共服务用地", ("教育用地", "医疗卫生用地")),
    ],
    "zone": [
        ("城区", ("老城片区", "新城片区", "滨河片区")),
        ("工业园区", ("园区东片区", "园区西片区")),
        ("乡镇片区", ("城南镇", "河西乡")),
    ],
    "funds": [
        ("征收补偿", ("安置补偿", "青苗及地上物补偿")),
        ("前期开发", ("道路建设", "场地平整")),
        ("土地收购", ("收购补偿", "交易税费")),
    ],
}
HEADINGS = {"use": "二、储备结构", "zone": "二、空间布局", "funds": "二、资金安排"}
TABLE_HEADS = {"use": "用途\t面积（{u}）", "zone": "区域\t面积（{u}）", "funds": "资金用途\t金额（{u}）"}
#: base units (㎡ or 元) per written unit
FACTOR = {"公顷": Fraction(10000), "亿元": Fraction(10**8), "万元": Fraction(10**4)}
AREA_UNITS = [("公顷", 2), ("公顷", 4)]
MONEY_UNITS = [("亿元", 2), ("亿元", 4), ("万元", 0), ("万元", 2)]
LAYOUTS = ("sentence", "qizhong_sentences", "parentheses", "list", "table")
LIST_SUBS = ("indent2", "indent_fullwidth", "num_paren", "num_circled", "indent_num")
TABLE_SUBS = ("qizhong", "indent2", "indent_fullwidth", "qizhong_first")
CIRCLED = "①②③④⑤"
CN = "一二三四五六"


@dataclass(frozen=True)
class Top:
    name: str
    value: Fraction  # base units, unrounded
    subs: tuple[tuple[str, Fraction], ...]


@dataclass(frozen=True)
class Split:
    """A nested split as a county writes it."""

    kind: str
    layout: str
    unit: str
    decimals: int
    total_decimals: int
    tops: tuple[Top, ...]
    style: str = ""  # sub-item style of lists and tables
    one_line: bool = False  # 其中 sentences on the item's line
    cue: str = "其中"  # the word that opens the sub-items in parentheses
    ascii: bool = False  # half-width punctuation in the parentheses layout
    shares: bool = False
    heji: bool = False

    @property
    def total(self) -> Fraction:
        return sum((t.value for t in self.tops), Fraction(0))


def rounded(value: Fraction, unit: str, decimals: int) -> str:
    """``value`` (base units) in ``unit``, rounded half-up to ``decimals`` as a county would write it."""
    exact = value / FACTOR[unit]
    d = Decimal(exact.numerator) / Decimal(exact.denominator)
    return str(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _share(value: Fraction, whole: Fraction) -> str:
    exact = value * 100 / whole
    d = Decimal(exact.numerator) / Decimal(exact.denominator)
    return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def written(s: Split) -> dict[str, str]:
    """Every figure of the split as written: ``total``, ``heji``, ``top{i}``, ``sub{i}_{j}``, ``s_…`` shares."""
    w = {"total": rounded(s.total, s.unit, s.total_decimals)}
    if s.heji:
        w["heji"] = rounded(s.total, s.unit, s.decimals)
    for i, top in enumerate(s.tops):
        w[f"top{i}"] = rounded(top.value, s.unit, s.decimals)
        w[f"s_top{i}"] = _share(top.value, s.total)
        for j, (_name, value) in enumerate(top.subs):
            w[f"sub{i}_{j}"] = rounded(value, s.unit, s.decimals)
            w[f"s_sub{i}_{j}"] = _share(value, s.total)
    return w


# --- writing ------------------------------------------------------------------------------------------


class Writer:
    """Lines of a document, remembering the line of every figure."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.line_of: dict[str, int] = {}

    def add(self, text: str, *keys: str) -> None:
        self.lines.append(text)
        for key in keys:
            self.line_of[key] = len(self.lines)

    def extend_last(self, text: str, *keys: str) -> None:
        self.lines[-1] += text
        for key in keys:
            self.line_of[key] = len(self.lines)


def render(s: Split, w: dict[str, str]) -> tuple[str, dict[str, int]]:
    """The document text, and the line of every figure key."""
    out = Writer()
    out.add("某县2026年度土地储备计划")
    out.add("一、储备规模")
    if s.kind == "funds":
        out.add("本年度计划储备土地45.57公顷。")
        out.add(HEADINGS[s.kind])
        intro = f"资金需求总量{w['total']}{s.unit}，"
        if s.layout in ("sentence", "parentheses"):
            out.add(intro + "其中", "total")
        else:
            out.add(intro + ("具体如下：" if s.layout == "table" else "其中："), "total")
            out.add("")
    else:
        out.add(f"本年度计划储备土地{w['total']}{s.unit}。", "total")
        out.add(HEADINGS[s.kind])
        out.add("")
    BODIES[s.layout](s, w, out)
    if out.lines[-1] == "":
        out.lines.pop()
    return "\n".join(out.lines), out.line_of


def _fig(s: Split, w: dict[str, str], key: str) -> str:
    return f"{w[key]}{s.unit}"


def _sentence(s: Split, w: dict[str, str], out: Writer) -> None:
    cue = "含" if s.kind == "funds" else "其中"
    keys, parts = [], []
    for i, top in enumerate(s.tops):
        part = f"{top.name}{_fig(s, w, f'top{i}')}"
        keys.append(f"top{i}")
        if top.subs:
            subs = [f"{name}{_fig(s, w, f'sub{i}_{j}')}" for j, (name, _v) in enumerate(top.subs)]
            part += f"，{cue}" + "、".join(subs)
            keys += [f"sub{i}_{j}" for j in range(len(top.subs))]
        parts.append(part)
    out.extend_last("；".join(parts) + "。", *keys)


def _qizhong_sentences(s: Split, w: dict[str, str], out: Writer) -> None:
    for i, top in enumerate(s.tops):
        out.extend_last(f"（{CN[i]}）{top.name}{_fig(s, w, f'top{i}')}。", f"top{i}")
        if top.subs:
            if not s.one_line:
                out.add("")
            subs = [f"{name}{_fig(s, w, f'sub{i}_{j}')}" for j, (name, _v) in enumerate(top.subs)]
            out.extend_last("其中，" + "，".join(subs) + "。", *(f"sub{i}_{j}" for j in range(len(top.subs))))
        if not s.one_line:
            out.add("")
    if s.one_line and out.lines[-1] != "":
        out.add("")


def _parentheses(s: Split, w: dict[str, str], out: Writer) -> None:
    open_, close, comma, semi, dun = ("(", ")", ",", ";", ",") if s.ascii else ("（", "）", "，", "；", "、")
    keys, parts = [], []
    for i, top in enumerate(s.tops):
        part = f"{top.name}{_fig(s, w, f'top{i}')}"
        keys.append(f"top{i}")
        if top.subs:
            subs = [f"{name}{_fig(s, w, f'sub{i}_{j}')}" for j, (name, _v) in enumerate(top.subs)]
            part += f"{open_}{s.cue}{dun.join(subs)}{close}"
            keys += [f"sub{i}_{j}" for j in range(len(top.subs))]
        if s.shares:
            part += f"{comma}占总量的{w[f's_top{i}']}%"
            keys.append(f"s_top{i}")
        parts.append(part)
    out.extend_last((semi if s.shares else comma).join(parts) + "。", *keys)


def _list(s: Split, w: dict[str, str], out: Writer) -> None:
    last = len(s.tops) - 1
    for i, top in enumerate(s.tops):
        marker = f"{i + 1}." if s.kind != "zone" else f"（{CN[i]}）"
        end = "。" if i == last and not top.subs else "；"
        if top.subs:
            cue = "，其中：" if s.style in ("indent2", "indent_fullwidth") else "："
            out.extend_last(f"{marker}{top.name}{_fig(s, w, f'top{i}')}{cue}", f"top{i}")
            for j, (name, _v) in enumerate(top.subs):
                sub_end = "。" if i == last and j == len(top.subs) - 1 else "；"
                out.add(
                    f"{_list_prefix(s.style, j)}{name}{_fig(s, w, f'sub{i}_{j}')}{sub_end}", f"sub{i}_{j}"
                )
            out.add("")
        else:
            out.extend_last(f"{marker}{top.name}{_fig(s, w, f'top{i}')}{end}", f"top{i}")
            out.add("")


def _list_prefix(style: str, j: int) -> str:
    return {
        "indent2": "  ",
        "indent_fullwidth": "　　",
        "num_paren": f"（{j + 1}）",
        "num_circled": CIRCLED[j],
        "indent_num": f"  （{j + 1}）",
    }[style]


def _table(s: Split, w: dict[str, str], out: Writer) -> None:
    def row(name: str, key: str) -> str:
        return f"{name}\t{w[key]}" + (f"\t{w['s_' + key]}" if s.shares else "")

    out.extend_last(TABLE_HEADS[s.kind].format(u=s.unit) + ("\t占比（%）" if s.shares else ""))
    for i, top in enumerate(s.tops):
        out.add(row(top.name, f"top{i}"), f"top{i}", f"s_top{i}")
        for j, (name, _v) in enumerate(top.subs):
            out.add(row(_table_prefix(s.style, j) + name, f"sub{i}_{j}"), f"sub{i}_{j}", f"s_sub{i}_{j}")
    if s.heji:
        out.add(f"合计\t{w['heji']}" + ("\t100.00" if s.shares else ""), "heji")


def _table_prefix(style: str, j: int) -> str:
    if style == "qizhong_first":
        return "其中：" if j == 0 else "　　　"
    return {"qizhong": "其中：", "indent2": "  ", "indent_fullwidth": "　　"}[style]


BODIES = {
    "sentence": _sentence,
    "qizhong_sentences": _qizhong_sentences,
    "parentheses": _parentheses,
    "list": _list,
    "table": _table,
}


# --- generation ---------------------------------------------------------------------------------------


@st.composite
def nested_splits(draw, kind: str, layout: str) -> Split:
    unit, decimals = draw(st.sampled_from(MONEY_UNITS if kind == "funds" else AREA_UNITS))
    total_decimals = draw(st.sampled_from([d for u, d in (MONEY_UNITS + AREA_UNITS) if u == unit]))
    # hundredths of ㎡ (0.5–30 公顷) or whole 元 (0.05–5 亿元)
    amount = (
        st.integers(5_000_000, 500_000_000).map(Fraction)
        if kind == "funds"
        else st.integers(500_000, 30_000_000).map(lambda c: Fraction(c, 100))
    )
    names = NAMES[kind]
    n = draw(st.integers(2, len(names)))
    nested = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    nested[draw(st.integers(0, n - 1))] = True
    style = ""
    if layout == "list":
        style = draw(st.sampled_from(LIST_SUBS))
    elif layout == "table":
        style = draw(st.sampled_from(TABLE_SUBS))
    # a table's one 其中 row followed by an unmarked row: that row may continue the 其中 (real tables
    # often mark only the first sub-row) — no honest reader can tell, so the marked styles get two or more
    few = 2 if style in ("qizhong", "qizhong_first") else 1
    tops = []
    for (name, sub_names), has_subs in zip(names[:n], nested, strict=False):
        if not has_subs:
            tops.append(Top(name, draw(amount), ()))
            continue
        m = draw(st.integers(min(few, len(sub_names)), len(sub_names)))
        subs = tuple((sub_names[j], draw(amount)) for j in range(m))
        # one sub-item, or some of them, may be only part of the item: the rest is not named
        rest = draw(amount) if m == 1 or draw(st.booleans()) else Fraction(0)
        tops.append(Top(name, sum((v for _n, v in subs), rest), subs))
    shares = kind != "funds" and layout in ("parentheses", "table") and draw(st.booleans())
    heji = layout == "table" and (kind == "funds" or draw(st.booleans()))
    return Split(
        kind=kind,
        layout=layout,
        unit=unit,
        decimals=decimals,
        total_decimals=total_decimals,
        tops=tuple(tops),
        style=style,
        one_line=draw(st.booleans()),
        cue=draw(st.sampled_from(["其中", "含"])),
        ascii=draw(st.booleans()),
        shares=shares,
        heji=heji,
    )


def _errors(text: str) -> list:
    return [f for f in audit_plan(parse_plan_text(text, "x.txt")) if f.severity is Severity.ERROR]


def _summary(text: str) -> list[tuple[str, str, tuple[int, ...], str]]:
    return [
        (f.severity.value, f.code, f.lines, f.message) for f in audit_plan(parse_plan_text(text, "x.txt"))
    ]


CASES = pytest.mark.parametrize(("kind", "layout"), [(k, la) for k in NAMES for la in LAYOUTS])


@CASES
def test_correctly_rounded_nested_splits_get_no_error(kind, layout):
    @NESTED
    @given(nested_splits(kind, layout))
    def check(split):
        text, _lines = render(split, written(split))
        assert _errors(text) == [], (text, _summary(text))

    check()


# --- perturbation ---------------------------------------------------------------------------------------


def _half(value: str) -> Decimal:
    """Half a unit of the last written digit."""
    exponent = Decimal(value).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent) / 2


def _unit_of(value: str) -> Decimal:
    """One unit of the last written digit (``0.01`` for ``"12.34"``)."""
    return Decimal(1).scaleb(Decimal(value).as_tuple().exponent)


def complete(s: Split, w: dict[str, str]) -> bool:
    """The text proves the top level complete: a 合计 row, or shares that add up to exactly 100 %."""
    return s.heji or (s.shares and sum(Decimal(w[f"s_top{i}"]) for i in range(len(s.tops))) == 100)


def moves(s: Split, w: dict[str, str]) -> list[tuple[str, int]]:
    """The (figure, direction) pairs whose change beyond rounding the text proves wrong."""
    found: list[tuple[str, int]] = [("total", -1)]
    if s.heji:
        found.append(("heji", -1))
    for i, top in enumerate(s.tops):
        found.append((f"top{i}", +1))
        found += [(f"sub{i}_{j}", +1) for j in range(len(top.subs))]
    if complete(s, w):
        found.append(("total", +1))
        found += [(f"top{i}", -1) for i in range(len(s.tops))]
    return [(key, sign) for key, sign in found if Decimal(w[key]) - delta(s, w, key, sign) > 0 or sign > 0]


def _level(s: Split, w: dict[str, str], key: str) -> tuple[list[str], list[str]]:
    """The figures of ``key``'s level and the parents they are compared with."""
    tops = [f"top{i}" for i in range(len(s.tops))]
    parents = ["total", "heji"] if s.heji else ["total"]
    if key.startswith("sub"):
        i = int(key[3:].split("_")[0])
        return [f"sub{i}_{j}" for j in range(len(s.tops[i].subs))], [f"top{i}"]
    return tops, parents


def delta(s: Split, w: dict[str, str], key: str, sign: int) -> Decimal:
    """How far ``key`` must move (in its unit, a multiple of its last digit) to be wrong beyond rounding.

    An excess is proven when the parts' lowest sum exceeds a parent's highest value; a shortfall (of a
    complete level) when the parts' highest sum stays below a parent's lowest value. The margin doubles
    the rounding slack so that no reading of the rounding can absorb the change.
    """
    members, parents = _level(s, w, key)
    parts = sum(Decimal(w[k]) for k in members)
    slack = sum(_half(w[k]) for k in members + parents)
    if key in parents:  # the parent moves against its parts
        gap = Decimal(w[key]) - parts if sign < 0 else parts - Decimal(w[key])
    elif sign > 0:
        gap = max(Decimal(w[p]) for p in parents) - parts
    else:
        gap = parts - min(Decimal(w[p]) for p in parents)
    needed = max(gap, Decimal(0)) + 2 * slack + _unit_of(w[key])
    unit = _unit_of(w[key])
    return Decimal(ceil(needed / unit)) * unit


@CASES
def test_one_figure_moved_where_the_text_proves_it_wrong_gets_an_error_on_its_line(kind, layout):
    @NESTED
    @given(nested_splits(kind, layout), st.data())
    def check(split, data):
        w = written(split)
        key, sign = data.draw(st.sampled_from(moves(split, w)), label="moved")
        unit, needed = _unit_of(w[key]), delta(split, w, key, sign)
        room = 50 if sign > 0 else min(50, int((Decimal(w[key]) - needed) / unit) - 1)
        extra = data.draw(st.integers(0, room), label="extra units") * unit
        moved = (Decimal(w[key]) + sign * (needed + extra)).quantize(Decimal(w[key]))
        changed = {**w, key: str(moved)}
        text, line_of = render(split, changed)
        naming = [f for f in _errors(text) if line_of[key] in f.lines]
        assert naming, open("/tmp/fail.txt", "a").write(repr(text) + repr(_summary(text)) + "\n") and (
            f"{key}: {w[key]} → {moved} on line {line_of[key]}",
            text,
            _summary(text),
        )

    check()
