"""Money, shares and parcel counts stated in a line: funds totals and parts, shares of an item, counts.

A mixin of the statement reader (``statements.Statements``): a money amount after an area item is that
item's money; a share belongs to the quantity before it in its sentence unless it names its own thing
(``其中住宅用地占52%``, ``较上年增长12.5%``); a parcel count (宗) belongs to the area stated with it.
"""

from __future__ import annotations

import re

from landreserve.domain.plans import Dimension, Measure, TotalKind
from landreserve.domain.units import Quantity

from . import labels
from .clauses import LineContext, Stated, paren_opened
from .structure import ItemDraft, TotalDraft

_RATIO_WORDS = re.compile(r"率|密度|系数")
#: the name of a price of land or of a deposit (起始价, 成交价, 出让价款, 竞买保证金) or of income
_PRICE_NAME = re.compile(r"(?<!造)价|保证金")


def is_price(label: str) -> bool:
    """Whether an amount so named is what land sells for (or a deposit, or income): no funds of a plan."""
    if "补偿" in label:
        return False  # 补偿价款: compensation paid, funds of the plan
    return bool(_PRICE_NAME.search(label) or labels.INCOME_WORDS.search(label))


class MoneySharesCounts:
    """Money, share and count reading for the statement reader."""

    # -- money ------------------------------------------------------------------------------
    def _money(self, ctx: LineContext, m: Stated, previous: Stated | None) -> None:
        if (
            previous is not None
            and isinstance(previous.owner, ItemDraft)
            and previous.quantity is Quantity.AREA
        ):
            if is_price(m.label):  # 住宅用地10公顷，起始价1.8亿元: what the land sells for, not its funds
                self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{previous.owner.name}{m.label}")
                return
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{previous.owner.name}资金")
            previous.owner.money = Measure(tuple(figures))
            return
        year = labels.year_of_label(m.label)
        if year and self.rolling and self.structure.has_total(TotalKind.FUNDS):
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{year}年资金")
            item = ItemDraft(f"{year}年", ctx.line, money=Measure(tuple(figures)))
            m.owner = self._add_item(ctx, m, Dimension.YEAR, item, money=True)
            return
        role = self._money_role(ctx, m)
        whole = not self.structure.has_total(TotalKind.FUNDS) and _whole_of_parts(ctx, m)
        if role.what == "item" and whole:
            role = labels.Role("total", kind=TotalKind.FUNDS, name=role.name)  # X亿元，其中…: the whole
        name = role.name or m.label or "资金"
        figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, name)
        if role.what == "plain" and m.label and _whole_of_parts(ctx, m):
            # 实际支出2.85亿元，其中征收补偿…: the parts split what was spent, not the funds planned
            m.owner = self.structure.add_total(
                TotalKind.OTHER, m.label, Measure(tuple(figures)), ctx.line, None
            )
            ctx.funds[m.sentence] = m.end
            ctx.fund_totals[m.sentence] = (m.owner, m.end)
        elif role.what == "total":
            m.owner = self.structure.add_total(TotalKind.FUNDS, name, Measure(tuple(figures)), ctx.line, None)
            ctx.funds[m.sentence] = m.end
            ctx.fund_totals[m.sentence] = (m.owner, m.end)
        elif role.what == "item":
            item = ItemDraft(role.name, ctx.line, money=Measure(tuple(figures)))
            parent = self._money_parent(ctx, m)
            m.owner = self._add_item(ctx, m, Dimension.FUNDS_USE, item, money=True, parent=parent)
            ctx.last[m.sentence] = (item, m.end)
            ctx.ends[m.end] = item
            if parent is not None:
                ctx.parents[id(item)] = parent
            else:
                self.note_top_item(ctx, m)
                ctx.money_items[m.sentence] = (item, m.end)
            self.structure.last_stated = (item, ctx.line)

    def _money_parent(self, ctx: LineContext, m: Stated) -> ItemDraft | None:
        """The money item this one is a part of: inside the parenthesis after it (``征收补偿2.5亿元（含安置
        补偿0.8亿元）``), after 含/其中 following it (``征收补偿2.5亿元，含安置补偿0.8亿元``), or the item
        whose list of parts this line is (``1.征收补偿2.5亿元：`` then indented lines)."""
        if isinstance(ctx.parent, ItemDraft) and ctx.parent.money is not None:
            return ctx.parent
        opener = self._item_before_其中(ctx, m, labels.Role("item"))
        if opener is not None:
            return opener
        start = max(ctx.start, ctx.spans[m.sentence][0])
        opened = paren_opened(ctx.norm, start, m.start)
        if opened is not None:
            owner = ctx.ends.get(len(ctx.norm[:opened].rstrip()))
            if isinstance(owner, ItemDraft) and owner.money is not None:
                return owner
        top = ctx.money_items.get(m.sentence)
        if top is not None and re.search(r"含|其中", _CLOSED.sub("", ctx.norm[top[1] : m.start])):
            return top[0]  # 征收补偿2.5亿元，含安置补偿0.8亿元、…: parts of the item before
        last = ctx.last.get(m.sentence)
        if last is not None and isinstance(last[0], ItemDraft) and last[0].money is not None:
            between = ctx.norm[last[1] : m.start]
            sibling = ctx.parents.get(id(last[0]))
            if sibling is not None and re.match(r"\s*[、和及与]", between.removeprefix(last[0].name)):
                return sibling
        return None

    def _money_role(self, ctx: LineContext, m: Stated) -> labels.Role:
        """The role of a money amount; after ``资金需求3.5亿元，其中`` every amount of the sentence is a
        part, whatever its name; one in a later sentence of the line (``；偿还债券本息1.2亿元``) is
        not, unless it says 其中 itself."""
        role = labels.money_role(m.label, self.section, self.structure.has_total(TotalKind.FUNDS))
        if labels.INCOME_WORDS.search(m.label) and role.what != "total":
            income = ctx.fund_totals.get(m.sentence)
            if (
                income is not None
                and income[0].kind is TotalKind.OTHER
                and labels.INCOME_WORDS.search(income[0].label)
                and "其中" in ctx.norm[income[1] : m.start]
            ):  # 出让收入12.36亿元，其中住宅用地出让收入86500万元…: the parts of the income
                return labels.Role("item", dimension=Dimension.FUNDS_USE, name=m.label)
            return role
        if role.what == "total":
            return role
        listed = [s for s in ctx.funds if "其中" in ctx.norm[ctx.funds[s] : m.start]]
        if m.sentence in listed:
            return labels.Role("item", dimension=Dimension.FUNDS_USE, name=m.label or "资金")
        sentence_start = max(ctx.start, ctx.spans[m.sentence][0])
        sources = labels.FUNDS_SOURCES.match(ctx.norm, sentence_start)
        if listed and not sources and "其中" not in ctx.norm[sentence_start : m.start]:
            from .statements import listed_total  # the statement reader's rule of where a 其中 list ends

            if listed_total(ctx, m, Dimension.FUNDS_USE) is not None:
                return labels.Role("item", dimension=Dimension.FUNDS_USE, name=m.label or "资金")
            return labels.Role("plain", name=m.label)
        return role

    # -- shares and counts ------------------------------------------------------------------
    def _share(self, ctx: LineContext, m: Stated, previous: Stated | None) -> None:
        """A % belongs to the quantity before it (``…31.61公顷，占…66.43%``) unless it names its own
        thing (``其中住宅用地占52%``, ``较上年增长12.5%``)."""
        owner = previous.owner if previous is not None else None
        if previous is not None:
            owner = _owner_before_parenthesis(ctx, previous.end, m.start) or owner
        own_words = m.label and not re.match(r"(?:仅|只|约|均|共)?(?:占|比例|比重)", m.label)
        if isinstance(owner, ItemDraft) and owner.share is None and not own_words:
            owner.share = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{owner.name}占比")[0]
            m.owner = owner
            return
        if isinstance(owner, TotalDraft) and not own_words:
            figure = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{owner.label}占比")[0]
            if owner.share is None and owner.kind in (TotalKind.STOCK, TotalKind.NEW, TotalKind.CARRIED_OVER):
                owner.share = (
                    figure  # 存量土地388.62公顷，占总量的28.22%: its share in the split of the scale
                )
            return
        is_share = bool(re.search(r"占|比例|比重", m.label))
        if (
            is_share
            and re.match(r"(?:仅|只|约)?占", m.label)
            and not re.sub(r"^(?:仅|只|约)?占", "", m.label).startswith("比")
        ):
            # …480公顷，占供应总量的20.4%，…占全市住房需求的95%: a share of another base, named by no part
            self._figures(m, ctx.line, ctx.clean, ctx.norm, m.label)
            return
        name = re.sub(r"(?:占比|比例|比重|占)+.*$", "", m.label) or m.label
        label = (f"{name}占比" if name else "占比") if is_share or not name else name
        figure = self._figures(m, ctx.line, ctx.clean, ctx.norm, label)[0]
        if not is_share and _RATIO_WORDS.search(name):
            return  # 绿地率, 建筑密度, 完成率: a ratio of the thing itself, not its share of a total
        item = self.structure.find_item(name) if name else None
        role = labels.area_role(name, self.section, self.rolling)
        if item is not None and item.share is None:
            item.share, m.owner = figure, item
        elif role.what == "item" and name:
            m.owner = self._add_item(ctx, m, role.dimension, ItemDraft(role.name, ctx.line, share=figure))

    def _count(self, ctx: LineContext, m: Stated, stated: list[Stated]) -> None:
        owner = count_owner(m, stated) or self._count_total(ctx, m)
        taken = isinstance(owner, (ItemDraft, TotalDraft)) and owner.count is not None
        label = f"{m.label}宗数" if taken and not labels.is_generic(m.label) else count_label(owner, m.label)
        figure = self._figures(m, ctx.line, ctx.clean, ctx.norm, label)[0]
        if isinstance(owner, (ItemDraft, TotalDraft)) and owner.count is None:
            owner.count = figure
        elif owner is None:
            self.structure.pending_count(figure)

    def _count_total(self, ctx: LineContext, m: Stated):
        """The total a count stated without an area belongs to: the total near it already holding the same
        count (``共179块地。…今年将供应179块土地``: said again, no count of another total), else the latest
        total of the kind its words name (供应…), else the latest total near it without a count."""
        near = [
            t
            for t in reversed(self.structure.totals)
            if ctx.line - t.line <= 3 and t.kind is not TotalKind.FUNDS
        ]
        value = m.amounts[0].value
        again = next((t for t in near if t.count is not None and t.count.value == value), None)
        if again is not None:
            return again
        role = labels.area_role(m.label, self.section, self.rolling)
        if role.what == "total" and role.kind not in (None, TotalKind.OTHER):
            named = next((t for t in near if t.kind is role.kind), None)
            if named is not None:
                return named if named.count is None else None
        return self.structure.recent_total(ctx.line)


_CLOSED = re.compile(r"\([^()]*\)")


def _whole_of_parts(ctx: LineContext, m: Stated) -> bool:
    """``…资金28,650万元，其中…``: the amount 其中 follows is the whole of the parts after it."""
    return bool(re.match(r"\s*[,:;]?\s*其中", ctx.norm[m.end :]))


def _owner_before_parenthesis(ctx: LineContext, start: int, end: int):
    """The item right before a parenthesis that closes between ``start`` and ``end``: ``住宅用地12.5公顷（其中
    商品住宅…），占总量的20.35%`` — the share is 住宅用地's, not that of the last part in the parenthesis."""
    close = ctx.norm.find(")", start, end)
    if close < 0:
        return None
    depth = 0
    for i in range(close, -1, -1):
        ch = ctx.norm[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                return ctx.ends.get(len(ctx.norm[:i].rstrip()))
    return None


def count_owner(m: Stated, stated: list[Stated]):
    """The total or item a parcel count belongs to: the area stated with it in its sentence."""
    same = [x for x in stated if x.sentence == m.sentence and x.quantity is Quantity.AREA and x.owner]
    before = [x for x in same if x.start < m.start]
    after = [x for x in same if x.start > m.start]
    if after and not labels.is_generic(m.label) and after[0].label == m.label:
        return after[0].owner
    if before:
        return before[-1].owner
    if after and any(
        x.quantity is Quantity.COUNT and x.sentence == m.sentence and m.start < x.start < after[0].start
        for x in stated
    ):  # 供应土地3宗，其中住宅用地2宗、10公顷: the area after another count is that count's, not this one's
        return None
    return after[0].owner if after else None


def count_label(owner, label: str) -> str:
    """``储备地块宗数``, ``供应地块宗数``, ``住宅用地宗数`` …"""
    if isinstance(owner, ItemDraft):
        return f"{owner.name}宗数"
    if isinstance(owner, TotalDraft):
        special = {TotalKind.SUPPLY: "供应地块宗数", TotalKind.RESERVE: "储备地块宗数"}
        return special.get(owner.kind, f"{owner.label}宗数")
    return f"{label}宗数" if label and not labels.is_generic(label) else "宗数"
