"""Sentences of one line and the quantities stated in them (a quantity may be given in two units).

Positions index the *normalised* line; the clean line has the same length, so a span taken from one
quotes the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from landreserve.domain.plans import Figure
from landreserve.domain.units import Quantity

from . import numbers, parcels

#: sentence ends; an ASCII ``.`` ends one unless it is a decimal point (``47.58``)
SENTENCE_END = re.compile(r"[。;!?]|\.(?!\d)")
_PAIR_BETWEEN = re.compile(r"^\s*(?:[(/]|,?\s*(?:折合|合|即|约合|约))\s*(?:约|合|折合|即|约合)?\s*$")
_PARENS = re.compile(r"[()]")
#: a line up to this length is quoted whole as the text of its figures
SHORT_LINE = 60


@dataclass
class Stated:
    """One stated quantity (``47.58公顷（713.63亩）``): its amounts, sentence, label and what it became."""

    amounts: list[numbers.Amount]
    sentence: int
    end: int
    label: str = ""
    figures: list[Figure] = field(default_factory=list)
    owner: object | None = None  # the TotalDraft or ItemDraft it was assigned to
    plain: bool = False  # a figure only, whatever its name (a ``分别`` list that cannot be paired)

    @property
    def start(self) -> int:
        return self.amounts[0].start

    @property
    def quantity(self) -> Quantity:
        return self.amounts[0].quantity


@dataclass
class LineContext:
    """One line being read: its text in both forms, sentences, and totals stated so far."""

    line: int
    clean: str
    norm: str
    spans: list[tuple[int, int]]
    start: int  # after a heading/list marker
    broken: set[int]  # sentences holding an unreadable number
    totals: dict[int, tuple[object, int]] = field(default_factory=dict)  # sentence → (total, its end)
    items: dict[int, tuple[object, int, object]] = field(
        default_factory=dict
    )  # sentence → (item, end, dimension)
    funds: dict[int, int] = field(default_factory=dict)  # sentence of a funds total → its end
    #: sentence → (item, end) of the last item read in it, nested or not (``农用地380.08公顷(耕地…)``)
    last: dict[int, tuple[object, int]] = field(default_factory=dict)
    #: end position → the item whose quantity ends there (a parenthesis right after it holds its parts)
    ends: dict[int, object] = field(default_factory=dict)
    #: id of an item → the item it is a part of (read on this line)
    parents: dict[int, object] = field(default_factory=dict)
    #: sentence opening with 其中 → the item of the sentence before whose parts it lists (None: none)
    openers: dict[int, object] = field(default_factory=dict)
    #: sentence of a total → the dimension of the first part listed after it (``其中征收补偿…``)
    parts_in: dict[int, int] = field(default_factory=dict)  # sentence → top-level parts stated in it
    money_items: dict[int, tuple[object, int]] = field(default_factory=dict)  # sentence → last top money item
    fund_totals: dict[int, tuple[object, int]] = field(default_factory=dict)  # sentence → (funds total, end)
    parent: object | None = None  # the item the line's items are parts of (``2026年：住宅用地…``)
    #: sentences holding an area or amount (whatever it was read as)
    measured: set[int] = field(default_factory=set)
    #: sentence → (parent, number of its parts stated in the sentence) of the nested parts read in it
    nested: dict[int, tuple[object, int]] = field(default_factory=dict)


def sentence_spans(norm: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a line, split at 。；;!? — a ``;`` inside parentheses closed later on the
    line (``市本级31宗(居住29宗;含7宗安置房)``) separates the parts of one parenthesis, not sentences."""
    spans, start = [], 0
    closes = _closing_positions(norm)
    for m in SENTENCE_END.finditer(norm):
        if m.group() == ";" and closes and _inside(closes, m.start()):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(norm)))
    return spans


def _closing_positions(norm: str) -> list[tuple[int, int]]:
    """(open, close) positions of the balanced parentheses of a line (none when it has none)."""
    if "(" not in norm:
        return []
    pairs, stack = [], []
    for m in _PARENS.finditer(norm):
        if m.group() == "(":
            stack.append(m.start())
        elif stack:
            pairs.append((stack.pop(), m.start()))
    return pairs


def _inside(pairs: list[tuple[int, int]], pos: int) -> bool:
    return any(o < pos < c for o, c in pairs)


def paren_opened(norm: str, start: int, pos: int) -> int | None:
    """Where the parenthesis still open at ``pos`` (opened after ``start``) opened, if one is."""
    opened: list[int] = []
    for i in range(start, pos):
        ch = norm[i]
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            opened.pop()
    return opened[-1] if opened else None


def sentence_index(spans: list[tuple[int, int]], pos: int) -> int:
    """Index of the sentence holding ``pos``."""
    for i, (s, e) in enumerate(spans):
        if s <= pos <= e:
            return i
    return len(spans) - 1


def sentence_text(clean: str, norm: str, pos: int) -> str:
    """The sentence of ``clean`` around ``pos`` (the whole line when it is short)."""
    if len(clean.strip()) <= SHORT_LINE:
        return clean.strip()
    s, e = next(((s, e) for s, e in sentence_spans(norm) if s <= pos <= e), (0, len(norm)))
    return clean[s:e].strip()


def group_stated(norm: str, amounts: list[numbers.Amount]) -> list[Stated]:
    """Group amounts stated together in two units (``47.58公顷（713.63亩）``) into one quantity each."""
    stated: list[Stated] = []
    for q in amounts:
        last = stated[-1] if stated else None
        if last and len(last.amounts) == 1 and _paired(norm, last.amounts[0], q):
            last.amounts.append(q)
            close = re.match(r"\s*\)", norm[q.end :])
            last.end = q.end + (close.end() if close else 0)
            continue
        stated.append(Stated([q], 0, q.end))
    spans = sentence_spans(norm)
    for s in stated:
        s.sentence = sentence_index(spans, s.start)
    return stated


def _paired(norm: str, a: numbers.Amount, b: numbers.Amount) -> bool:
    if a.quantity is not b.quantity or a.quantity not in (Quantity.AREA, Quantity.MONEY) or a.unit == b.unit:
        return False
    return bool(_PAIR_BETWEEN.match(norm[a.end : b.start]))


def field_text(clean: str, norm: str, name: str) -> str | None:
    """The value of a ``key：value`` field of the line (``土地坐落：…``) in the clean text."""
    span = parcels.field_value(norm, name)
    return clean[span[0] : span[1]].strip() or None if span else None


def clean_slice(clean: str, norm: str, part: str) -> str:
    """The text of ``clean`` at the place where ``part`` (normalised) occurs."""
    if not part:
        return ""
    i = norm.find(part)
    return clean[i : i + len(part)].strip() if i >= 0 else part


def span_text(clean: str, span: tuple[int, int] | None) -> str:
    return clean[span[0] : span[1]].strip() if span else ""
