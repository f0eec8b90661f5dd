"""Prices per area stated in a sentence: ``面积307.5亩,交易起价98393.6万元,…,单价320万元/亩``.

Read after a sentence's quantities have become figures. A unit price is an amount per 亩 or 公顷 named a
price (单价, 起始单价, 出让单价 …). Left out: 楼面价 (per floor area), 均价/平均 (it may average the
parcels' own prices), 补偿标准 and other standards (no price of the land as a whole), caps (最高/最低/限价),
and a sentence speaking of a premium (溢价: two prices, one perhaps not stated). The rate is set against the
exact prices and areas written before it since the sentence's previous rate; a rate of one stage (起始,
成交) only against prices of that stage or of none.
"""

from __future__ import annotations

import re

from landreserve.domain.plans import UnitPrice
from landreserve.domain.units import Quantity

from . import labels
from .clauses import Stated, sentence_spans

_PRICE = re.compile(r"单价|地价|价格")
_NOT_THE_PRICE = re.compile(r"楼面|均|补偿|标准|租|保证金|最高|最低|限价|上限|下限|指导|基准|评估")
_PREMIUM = re.compile(r"溢价")
#: an amount that is a price of the land (起价, 成交价, 出让价款, 出让金 …; a deposit, 保证金, is none)
_PRICE_AMOUNT = re.compile(r"价|出让金")
_STAGES = (("start", re.compile(r"起|底价")), ("deal", re.compile(r"成交|竞得|落槌")))
_PER_AREA = frozenset({"亩", "公顷"})


def line_unit_prices(norm: str, stated: list[Stated]) -> list[UnitPrice]:
    """The unit prices of a line, sentence by sentence (its quantities ``stated`` have their figures)."""
    if not any(m.amounts[0].per for m in stated):
        return []
    spans, found = sentence_spans(norm), []
    for k in sorted({m.sentence for m in stated}):
        span = spans[k] if k < len(spans) else (0, len(norm))
        found.extend(sentence_unit_prices(norm, span, [m for m in stated if m.sentence == k]))
    return found


def sentence_unit_prices(norm: str, span: tuple[int, int], stated: list[Stated]) -> list[UnitPrice]:
    """The unit prices of the sentence ``norm[span]`` (its quantities ``stated``, in order)."""
    if _PREMIUM.search(norm, *span):
        return []
    found, since = [], 0
    for i, m in enumerate(stated):
        if m.quantity is not Quantity.MONEY or not m.amounts[0].per:
            continue
        before, since = stated[since:i], i + 1
        price = _unit_price(norm, span[0], m, before)
        if price is not None:
            found.append(price)
    return found


def _words(norm: str, floor: int, m: Stated) -> str:
    """The words written right before ``m`` (``起始价``), whatever name the reader gave it later."""
    return labels.local_label(norm, floor, m.start)


def _unit_price(norm: str, floor: int, m: Stated, before: list[Stated]) -> UnitPrice | None:
    per, figures = m.amounts[0].per, m.figures
    if per not in _PER_AREA or len(figures) != 1 or figures[0].qualifier:
        return None
    rate, words = figures[0], _words(norm, max([floor, *(s.end for s in before)]), m)
    if not _PRICE.search(words) or _NOT_THE_PRICE.search(words):
        return None
    stage = _stage(words)
    named = [(s, _words(norm, max([floor, *(b.end for b in before if b.end <= s.start)]), s)) for s in before]
    amounts = [
        f
        for s, said in named
        if s.quantity is Quantity.MONEY and not s.amounts[0].per
        for f in s.figures
        if _PRICE_AMOUNT.search(said) and (stage is None or _stage(said) in (None, stage))
    ]
    areas = [f for s in before if s.quantity is Quantity.AREA and not s.amounts[0].per for f in s.figures]
    if not areas or not amounts:
        return None
    if any(f.qualifier for f in (*amounts, *areas)):
        return None  # 约/以上: no pair can prove the rate wrong
    return UnitPrice(rate, per, tuple(amounts), tuple(areas))


def _stage(label: str) -> str | None:
    return next((name for name, words in _STAGES if words.search(label)), None)
