"""Reading stated quantities into structure: totals, breakdown items, shares, parcel counts.

A mixin of the plan-text reader (``plan_text._Reader``). Each quantity is named by the words before
it (``labels.local_label``); ``labels.area_role``/``money_role`` decide whether the name is a total or
an item (money, shares and counts: ``money_shares``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from landreserve.domain.landuse import is_class_name
from landreserve.domain.plans import Dimension, Evidence, Measure, PlanKind, TotalKind
from landreserve.domain.units import Quantity

from . import labels
from .adjustments import apply_adjustments
from .changes import sentence_changes
from .clauses import LineContext, Stated, group_stated, paren_opened, sentence_spans
from .completions import sentence_completions
from .money_shares import MoneySharesCounts
from .respectively import apply_respectively
from .structure import ItemDraft, TotalDraft, is_sub_use
from .unit_prices import line_unit_prices

#: words presenting a list as only a part of its total (其中/包括/含 tie the list, but say nothing of
#: its completeness: they introduce complete and partial lists alike)
_PARTIAL_CUES = re.compile(r"主要|部分|重点|以下几")
_LIST_ETC = re.compile(r"^\s*(?:\))?\s*等")
_SUM_WORDS = re.compile(r"^(?:合计|总计|共计|小计|以上合计|上述合计)$")
#: a clause that only sums: ``，共计30公顷``, ``，合计为30公顷`` (the filler words leave its label empty)
_SUM_CLAUSE = re.compile(r"\s*[,;]\s*(?:以上|上述)?(?:共计|合计|总计)\s*(?:为|约)?\s*$")
_ENDS_WITH_SUM = re.compile(r"(?:合计|总计|小计)(?:总?面积|用地面积|土地面积)?$")
#: a sum naming the whole place or all its parts (``全市合计``, ``两区合计``, ``总计``): never one item's parts
_WHOLE_SUM = re.compile(
    r"全(?:市|县|区|省|镇|乡|州|盟|旗)|[两三四五六七八九十各]+(?:区|县|镇|片区)|市域|县域|总计"
)
#: ``住宅用地中保障性住房用地…``: the parts of an item named before 中
_NAMED_PARENT = re.compile(
    r"([^\s,;。:()、]{2,12}?用地)(?:计划)?(?:供应|储备|出让|收储)?(?:计划)?(?:总量|总面积|面积|总规模|规模)?中"
)
#: a label that is only the plan's verb (``计划供应``), and the topic of its clause (``商服用地方面,``)
_VERB_ONLY = re.compile(r"^(?:计划|拟|预计)?(?:供应|储备|出让|收储|供地)(?:面积|规模)?$")
_TOPIC = re.compile(r"([^\s\d,;。:()、]{2,16}?)方面\s*,")
#: the next sentence opening with 其中 right after the quantity: ``…约66公顷。其中，…``
_NEXT_SENTENCE_PARTS = re.compile(r"\s*\)?\s*[。.!]\s*其中")
#: a sentence opening with the name of an item stated before: ``市级项目中,德城区辖内规模2684.29亩…``
_WHOLE_NAME = rf"(?:[^\s\d,;。:()、]|{labels.PLACE_PARENS.pattern}){{2,12}}?"
_NAMED_WHOLE = re.compile(rf"\s*({_WHOLE_NAME})中\s*[,:]")
#: the plan's verb or noun after an item's name: ``中心城区供地中``, ``市本级储备土地中``
_ITEM_TAIL = re.compile(r"(?:计划)?(?:供地|供应|储备|出让|收储)?(?:土地|用地)?(?:总量|总面积|面积|规模)?$")
_STOCK_KINDS = (TotalKind.STOCK, TotalKind.NEW)
#: totals of land held or reserved, which a 其中 may split by how ready the land is
_HELD_KINDS = (TotalKind.RESERVE, TotalKind.CARRIED_OVER, TotalKind.OTHER, TotalKind.STOCK, TotalKind.NEW)
#: where supplied land comes from (结转 / 新增 / 存量 储备土地): parts of the supply a 其中 splits
_SUPPLY_SOURCES = (TotalKind.CARRIED_OVER, TotalKind.NEW, TotalKind.STOCK)
#: what the words of a state of readiness make of a figure on their own (可供应 → supply, 已完成… → done)
_READY_KINDS = (TotalKind.SUPPLY, TotalKind.DEVELOPMENT, TotalKind.OTHER)
#: how ready held land is (可供应 / 需前期开发 / 已完成前期开发): a state of a part, not the plan's supply
#: or development total
_READINESS = re.compile(
    r"^(?:已)?(?:完成前期开发|具备供应条件)?(?:的|并|且|,)?(?:可(?:直接)?(?:供应|供地|出让))"
    r"|^(?:尚)?(?:需|需要|待|未)(?:进行|实施|完成)?(?:前期)?开发|^已(?:完成|实施)前期开发"
)
#: the plan's verb right before a supply mode word: ``计划出让…``, ``拟划拨…`` (no part named 出让/划拨)
_PLANNED_VERB = re.compile(r"(?:计划|拟|将|预计)\s*$")
_RATE_WORDS = re.compile(r"每(?:亩|公顷|平方米|宗|户|人)|单价|均价|标准")
#: what may stand before a quantity named after its number: ``含1163亩安置房、130亩保障性租赁住房``
_LIST_INTRO = re.compile(r"\s*(?:[(,、;:]\s*)*(?:其中|含|包括|包含|另有|另)?\s*[:：]?\s*")
#: the name right after a quantity's unit, up to the next separator (no digits in it)
_NAME_AFTER = re.compile(r"([^\d\s,;。:()、.%]{2,14}?)(?=[、,;。)]|$)")
#: words that list the parts of a total once more, another way: ``…，具体为：历下区…``
_LISTED_AGAIN = re.compile(r"具体为|具体是|具体如下|分区域看|按区域分|分区看")
#: parenthesised text (what stands inside never reaches out: ``住宅用地20公顷（其中…），工业用地…``)
_CLOSED_PARENS = re.compile(r"\([^()]*\)")
#: a sentence that opens by splitting the total of the sentence before: ``其中：…``, ``具体为：…``
_CONTINUES = re.compile(r"^\s*(?:其中|具体为|具体是|具体如下|分别是|分别为|包括)")
#: a quantity whose parts follow it: ``…504.12公顷中，…``, ``…4660亩，其中：…``
_WHOLE_OF_PARTS = re.compile(r"\s*\)?\s*(?:中\s*[,:]|[,:;]?\s*其中)")
#: a sibling right after a quantity, in the same enumeration: ``…0.1606公顷、林地0.287公顷``
_ENUMERATED = re.compile(r"\s*\)?\s*、\s*[^\d,;。:()、]{1,16}?\s*(?:约|为|计)?\s*\d")
#: the next clause naming another use (of another place) with its figure: ``城东片区住宅用地25公顷,城西工业园
#: 工业用地40公顷``: a list of items, the first no whole of the rest (其中/含/包括 would make it one)
_NEXT_PLACE_USE = re.compile(
    r"\s*\)?\s*[,;]\s*(?!其中|含|包括|包含)[^\d,;。:()、]{1,16}?用地[^\d,;。:()、]{0,6}?\s*(?:约|为|计)?\s*\d"
)
#: a label naming last year (``上年供地``, ``去年全市供应``), not the carried-over land (上年度末结转)
_LAST_YEAR = re.compile(r"(?:去年|上年(?!度?末)|上一年)(?!.{0,4}结转)(?!.{0,6}(?:增长|增加|减少|下降))")
#: a sentence opening with another year than the plan's: ``上年度供应土地中，…``, ``去年全市…``, ``2023年…``
_OTHER_YEAR_OPENING = re.compile(
    r"\s*(?:在|据统计,?)?(?:(20\d{2})\s*年(?!\d)|去年|上年(?!度?末)|上一年|前一年)(?!.{0,3}结转)"
)
#: 包括 right after a quantity: the list that follows is what that quantity holds
_ITS_CONTENTS = re.compile(r"\s*\)?\s*[,:]?\s*(?:包括|包含)")
#: the name heading a list item: ``城区片区：…``
_LIST_HEAD = re.compile(r"^\s*([^\d:,;。()]{2,16}?)\s*:")
#: the year heading a list item of a rolling plan: ``（一）2026年：储备土地…``
_YEAR_HEAD = re.compile(r"^\s*(20\d{2})\s*年度?\s*:")


class Statements(MoneySharesCounts):
    """Statement reading for the plan-text reader."""

    def _statements(self, line, clean, norm, amounts, start, broken: set[int], serial) -> None:
        stated = group_stated(norm, amounts)
        ctx = LineContext(line, clean, norm, sentence_spans(norm), start, broken)
        self.structure.sentence_at = None
        if getattr(self, "list_child", None) is not None:
            ctx.parent = self.list_child  # a sub-item of the list head above
        self._label(ctx, stated)
        stated = apply_respectively(norm, stated, start)
        apply_adjustments(norm, stated)
        ctx.measured = {s.sentence for s in stated if s.quantity in (Quantity.AREA, Quantity.MONEY)}
        sources = _sources_sentences(ctx)
        prose_parcels = self._prose_parcels(line, clean, norm, stated, serial)
        for i, m in enumerate(stated):
            previous = stated[i - 1] if i and stated[i - 1].sentence == m.sentence else None
            if m.sentence in sources and previous is None:  # ``资金来源：…``: a split of its own
                self.structure.close_breakdown()
            if m in prose_parcels:
                continue
            if m.plain:
                self._figures(m, ctx.line, ctx.clean, ctx.norm, m.label)
                continue
            if m.amounts[0].per:  # a rate (万元/亩) is stated, but is no part of any total
                label = f"{m.label or '单价'}（每{m.amounts[0].per}）"
                self._figures(m, ctx.line, ctx.clean, ctx.norm, label)
            elif m.quantity is Quantity.MONEY and _RATE_WORDS.search(m.label):
                self._figures(m, ctx.line, ctx.clean, ctx.norm, m.label)
            elif m.quantity is Quantity.AREA:
                self.structure.sentence_at = (ctx.line, getattr(self, "piece", 0), m.sentence)
                self._area(ctx, m)
            elif m.quantity is Quantity.MONEY:
                self.structure.sentence_at = (ctx.line, getattr(self, "piece", 0), m.sentence)
                self._money(ctx, m, previous)
            elif m.quantity is Quantity.SHARE:
                self._share(ctx, m, previous)
        for m in stated:
            if m.quantity is Quantity.COUNT:
                self._count(ctx, m, stated)
        self.previous_line = (self.structure.content.get(ctx.line), ctx.norm.rstrip())
        self.doc.unit_prices.extend(line_unit_prices(norm, stated))
        for k in sorted({m.sentence for m in stated}):
            in_sentence = [m for m in stated if m.sentence == k]
            self.doc.changes.extend(sentence_changes(norm, in_sentence, self.doc.year))
            if any(m.quantity is Quantity.SHARE for m in in_sentence):
                here = {id(f) for m in in_sentence for f in m.figures}
                earlier = [f for f in self.doc.figures[-80:] if id(f) not in here]  # the plan is stated near
                self.doc.completions.extend(sentence_completions(norm, in_sentence, earlier, self.doc.year))

    def _label(self, ctx: LineContext, stated: list[Stated]) -> None:
        """Name every quantity; a bare ``面积`` takes the name of the clause (or count) before it."""
        self._name_each(ctx, stated)
        head = _LIST_HEAD.match(ctx.norm[ctx.start :]) if ctx.start else None
        if head and stated and stated[0].start > ctx.start + head.end() - 1:
            first = stated[0]  # ``（1）城区片区：供应土地85.20公顷``: the list item names the quantity
            role = labels.area_role(first.label, self.section, self.rolling)
            if labels.is_generic(first.label) or role.what == "total":
                old, first.label = first.label, head.group(1)
                for m in stated[1:]:  # ``城区片区：储备土地2宗，面积5.00公顷``: the area named by the count
                    if m.sentence == first.sentence and m.label == old:
                        m.label = first.label
        year = _YEAR_HEAD.match(ctx.norm[ctx.start :]) if self.rolling else None
        if year and stated and labels.year_of_label(stated[0].label) is None:
            if labels.area_role(stated[0].label, self.section, False).what == "item":
                # 2026年：住宅用地…: parts of that year (of no total when its area is not stated)
                name = f"{year.group(1)}年"
                ctx.parent = self.structure.find_item(name) or ItemDraft(name, ctx.line)
            else:
                stated[0].label = f"{year.group(1)}年{stated[0].label}"

    def _name_each(self, ctx: LineContext, stated: list[Stated]) -> None:
        named_after = -1  # end of the name written after the previous quantity (``含1163亩安置房、…``)
        for i, m in enumerate(stated):
            same = i and stated[i - 1].sentence == m.sentence
            floor = stated[i - 1].end if same else max(ctx.start, ctx.spans[m.sentence][0])
            floor = max(floor, named_after) if same else floor
            m.label = labels.local_label(ctx.norm, floor, m.start)
            topic = _topic(ctx, m, floor) if _VERB_ONLY.match(m.label) else None
            if topic:
                m.label = topic + m.label  # 商服用地方面,计划供应200.29公顷: the use is the topic
            after = _NAME_AFTER.match(ctx.norm, m.end) if m.quantity is not Quantity.COUNT else None
            if after and _LIST_INTRO.fullmatch(ctx.norm[floor : m.start]):
                m.label, named_after = after.group(1), after.end(1)  # 含1163亩安置房: named after the number
                continue
            if not labels.is_generic(m.label) or _SUM_WORDS.match(m.label):
                continue
            if "计" in ctx.norm[floor : m.start] and _SUM_CLAUSE.match(ctx.norm, floor, m.start):
                m.label = "合计"  # …、城南片区10公顷，共计30公顷: the sum of the parts before it
                continue
            count = _count_before(ctx.norm, stated, i) if same else None
            if count is not None and m.quantity is not Quantity.COUNT:
                m.label = count.label
            else:
                m.label = labels.label_before(ctx.norm, floor, m.start) or m.label

    # -- areas ------------------------------------------------------------------------------
    def _area(self, ctx: LineContext, m: Stated) -> None:
        m.label = without_place(m.label, self.doc.jurisdiction)
        if _ENDS_WITH_SUM.search(m.label) and self._stated_sum(ctx, m):
            return
        fresh = bool(self.section_line) and not self.structure.has_total_since(self.section_line)
        role = labels.area_role(m.label, self.section, self.rolling, fresh)
        if role.overlapping:
            self._figures(m, ctx.line, ctx.clean, ctx.norm, m.label)
            return
        role = self._continued(ctx, m, role)
        if (
            role.what == "item"
            and labels.SUPPLY_MODE_WORDS.match(role.name)
            and _PLANNED_VERB.search(
                ctx.norm,
                max(ctx.start, ctx.spans[m.sentence][0]),
                max(ctx.norm.rfind(m.label, 0, m.start), 0),
            )
        ):  # 全年计划出让经营性用地80.0公顷: 出让 is the plan's verb, the figure the whole supply
            role = labels.Role("total", kind=TotalKind.SUPPLY, name=labels.TOTAL_LABELS[TotalKind.SUPPLY])
        if role.scoped and (_ENUMERATED.match(ctx.norm, m.end) or _NEXT_PLACE_USE.match(ctx.norm, m.end)):
            # 包括晋安区鼓山镇园中村园地0.1606公顷、林地0.287公顷…: the first of a list, no whole of the rest
            role = labels.Role("item", dimension=Dimension.USE, name=m.label)
        parent, intro_from = self._parent_of(ctx, m, role)
        if parent is not None and role.kind in _STOCK_KINDS:
            role = labels.Role("item", dimension=Dimension.STOCK, name=role.name)
        elif parent is not None and role.what != "item":
            # a part no name places: one more part of the kind already listed under its parent
            # (甲县…，乙县…，丙市…), else a use
            role = labels.Role("item", dimension=self._parts_dimension(parent), name=m.label)
        if role.year is None and self.doc.year and _LAST_YEAR.match(m.label) and not self.rolling:
            role = replace(role, year=self.doc.year - 1)  # 上年供地1000公顷: last year's, not this plan's
        stated_year = role.year
        if role.year is not None and not self.rolling and role.year in (self.doc.year, None):
            role = labels.Role(role.what, role.kind, role.dimension, role.name)  # the plan's own year
        if role.what == "plain" and parent is None:
            role = self._role_by_其中(ctx, m, role)
        if role.kind in _STOCK_KINDS and self._splits_section_total(ctx, m):
            role = labels.Role("item", dimension=Dimension.STOCK, name=role.name)
        elif role.what == "total" and self._part_of_sentence_total(ctx, m, role):
            role = labels.Role("item", dimension=Dimension.OTHER, name=m.label)
        if role.what == "total":
            name = self._total_label(role)
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, name)
            m.owner = self.structure.add_total(role.kind, name, Measure(tuple(figures)), ctx.line, role.year)
            ctx.totals[m.sentence] = (m.owner, m.end)
            self.structure.last_stated = (m.owner, ctx.line)
        elif role.what == "item" and parent is None and self._restated(ctx, m, role):
            return
        elif role.what == "item":
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, role.name)
            item = ItemDraft(role.name, ctx.line, area=Measure(tuple(figures)))
            year = stated_year or _year_of_list(ctx, m) or self._year_opening(ctx, m)
            item.year = None if self.rolling else year
            m.owner = self._add_item(ctx, m, role.dimension, item, parent=parent, intro_from=intro_from)
            ctx.last[m.sentence] = (item, m.end)
            ctx.ends[m.end] = item
            if parent is not None:
                ctx.parents[id(item)] = parent
                held = ctx.nested.get(m.sentence)
                ctx.nested[m.sentence] = (parent, held[1] + 1 if held and held[0] is parent else 1)
            self.structure.last_stated = (item, ctx.line)
            if parent is None:
                self.note_top_item(ctx, m)
                ctx.items[m.sentence] = (item, m.end, role.dimension)
        else:
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, m.label or self.section_title or "面积")
            if len(figures) > 1:
                self.doc.measures.append(Measure(tuple(figures)))

    def _named_item(self, name: str) -> ItemDraft | None:
        """The item a sentence opening ``X中，`` names: ``各县(市)区中`` → 各县市区, ``中心城区供地中`` → 中心城区
        (the item named with the plan's verb or noun after it)."""
        name = labels.without_place_parens(name)
        found = self.structure.find_item(name)
        short = _ITEM_TAIL.sub("", name)
        if found is None and short and short != name:
            found = self.structure.find_item(short)
        return found

    def _parts_dimension(self, parent: ItemDraft) -> Dimension:
        """The dimension of the parts of ``parent`` read so far (``Dimension.USE`` when none)."""
        split = next(
            (b for b in reversed(self.structure.breakdowns) if b.parent_item is parent and b.items), None
        )
        return split.dimension if split is not None else Dimension.USE

    def note_top_item(self, ctx: LineContext, m: Stated) -> None:
        """Count a top-level item of its sentence (a 其中 sentence after a one-item sentence splits it)."""
        ctx.parts_in[m.sentence] = ctx.parts_in.get(m.sentence, 0) + 1
        key = (ctx.line, getattr(self, "piece", 0), m.sentence)
        self.structure.sentence_items[key] = self.structure.sentence_items.get(key, 0) + 1
        self.structure.last_sentence = key

    def _role_by_其中(self, ctx: LineContext, m: Stated, role: labels.Role) -> labels.Role:
        """A quantity the words do not place: a part when it follows a total and 其中 in its sentence
        (``…40宗，面积4660亩，其中：县域9宗，面积1011亩``) or in a clause before it (``；市本级…``), the
        whole when 其中 follows it."""
        total = listed_total(ctx, m)
        if total is not None:
            return labels.Role("item", dimension=Dimension.OTHER, name=m.label or "分项")
        carried = self._carried_list(ctx, m) if m.label else None
        if carried is not None:  # one more line of a list of parts going on from the lines before
            split = self.structure.open.get(("near", id(carried[0]), False, "", carried[1]))
            dimension = split.dimension if split is not None else Dimension.OTHER
            return labels.Role("item", dimension=dimension, name=m.label)
        if labels.CHANGE_WORDS.search(m.label):
            return role  # 比去年多出200公顷。其中…: the parts are of this year's figure, not of the change
        if (
            _WHOLE_OF_PARTS.match(ctx.norm, m.end) or _NEXT_SENTENCE_PARTS.match(ctx.norm, m.end)
        ) and m.label:
            # …包括城市更新项目约66公顷。其中，住宅用地39公顷…: the parts of that figure, not of the plan
            return labels.Role("total", kind=TotalKind.OTHER, name=m.label)
        return role

    def _restated(self, ctx: LineContext, m: Stated, role: labels.Role) -> bool:
        """An item named again with the same figure in a later sentence (``…住宅用地504.12公顷…。济南住宅用地
        计划供应504.12公顷中，…``) is the same item restated: what follows may be its parts."""
        current = self.structure.current
        same = [i for i in (current.items if current else []) if i.name == role.name and i.line != ctx.line]
        first = m.amounts[0]
        for item in same:
            if item.area is not None and (item.area.primary.value, item.area.primary.unit) == (
                first.value,
                first.unit,
            ):
                self._figures(m, ctx.line, ctx.clean, ctx.norm, role.name)
                ctx.items[m.sentence] = (item, m.end, role.dimension)
                ctx.last[m.sentence] = (item, m.end)
                m.owner = item
                return True
        return False

    def _continued(self, ctx: LineContext, m: Stated, role: labels.Role) -> labels.Role:
        """``…，工业用地45.22公顷，其他用地24.00公顷``: an unknown use continues the open use list."""
        current = self.structure.current
        if role.what != "plain" or current is None or current.dimension is not Dimension.USE:
            return role
        if current.items and current.items[-1].line == ctx.line and m.label.endswith("用地"):
            return labels.Role("item", dimension=Dimension.USE, name=m.label)
        return role

    def _stated_sum(self, ctx: LineContext, m: Stated) -> bool:
        """``合计30.00公顷`` after the items of a split (its total) or after the parcel list (the list's own)."""
        current = self.structure.current
        last_parcel = self.doc.parcels[-1].line if self.doc.parcels else None
        if (
            last_parcel is not None
            and ctx.line - last_parcel <= 2
            and (current is None or current.line < last_parcel)
        ):
            figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, "地块清单合计")
            self.structure.table_total(Measure(tuple(figures)))
            return True
        if current is None or not current.items:
            return False
        words = ctx.norm[max(ctx.spans[m.sentence][0], m.start - 12) : m.start]  # 全市 is no filler here
        if current.parent_item is not None and _WHOLE_SUM.search(words):
            # 甲区…，其中住宅…；乙区…，其中…。全市合计200公顷: the sum of the places, not of 乙区's parts
            holder = next((b for b in self.structure.breakdowns if current.parent_item in b.items), None)
            if holder is None:
                return False
            current = self.structure.current = holder
        figures = self._figures(m, ctx.line, ctx.clean, ctx.norm, f"{current.title}合计")
        m.owner = self.structure.sum_of_open_breakdown(Measure(tuple(figures)), ctx.line)
        return True

    def _add_item(
        self, ctx, m: Stated, dimension: Dimension, item: ItemDraft, money=False, parent=None, intro_from=None
    ):
        exhaustive = self._exhaustive(ctx, m, intro_from)
        totals = ctx.fund_totals if money else ctx.totals
        near, start = totals.get(m.sentence, (None,))[0], m.sentence
        if near is None and not money:
            near, start = continued(ctx, m)
        if near is None and parent is None:
            near, start = listed(ctx, m)
        if near is None and parent is None and not money:
            near = self._whole_named_first(ctx, m, item)
        carried = self._carried_list(ctx, m) if near is None and parent is None and not money else None
        # the parts of one total listed in one sentence (or run of clauses) are one split; a later
        # sentence listing them again another way (具体为：各区…) is another split of the same total
        again = [x.end() for x in _LISTED_AGAIN.finditer(ctx.norm, ctx.spans[m.sentence][0], m.start)]
        self.structure.list_key = (ctx.line, getattr(self, "piece", 0), start, again[-1] if again else 0)
        if carried is not None:
            near, self.structure.list_key = carried
        if near is not None and parent is None and not money:
            self.list_carry = (self.structure.content.get(ctx.line), near, self.structure.list_key)
        s, e = ctx.spans[m.sentence]
        self.structure.named = named_total(ctx.norm[max(s, ctx.start) : m.start]) or share_of_named_total(
            ctx.norm[m.end : e]
        )
        try:
            return self.structure.add_item(
                dimension, item, ctx.line, self.section, self.section_title, exhaustive, money, near, parent
            )
        finally:
            self.structure.named = None

    def _carried_list(self, ctx: LineContext, m: Stated) -> tuple | None:
        """A list of parts going on across lines: a line opening with 其中 right after a line that ended
        by stating a total (``…共13宗、54.5公顷。`` / ``其中,城北片区6宗、26.2公顷;``), and each next line of
        that list while the line before it ended with ``；`` — the (total, list key) it goes on with."""
        if any(k <= m.sentence for k in ctx.totals):
            return None  # a total stated on this line: its own parts
        same_line = getattr(self, "line_carry", None)
        if same_line is not None and same_line[0] == (ctx.line, getattr(self, "piece", 0)):
            return same_line[1]
        if m.sentence != 0 and any(k < m.sentence for k in ctx.items):
            return None
        found = self._carry_from_line_before(ctx, m)
        if found is not None:
            self.line_carry = ((ctx.line, getattr(self, "piece", 0)), found)
        return found

    def _carry_from_line_before(self, ctx: LineContext, m: Stated) -> tuple | None:
        here = self.structure.content.get(ctx.line)
        opening = ctx.norm[ctx.start : m.start]
        previous = getattr(self, "previous_line", None)
        if here is None or previous is None or previous[0] != here - 1:
            return None
        carry = getattr(self, "list_carry", None)
        if carry is not None and carry[0] == here - 1 and previous[1].endswith(";"):
            return carry[1], carry[2]
        last = self.structure.last_stated
        if (
            re.match(r"\s*其中\s*[,:]", opening)
            and last is not None
            and isinstance(last[0], TotalDraft)
            and self.structure.content.get(last[1]) == here - 1
            and last[0].kind is not TotalKind.FUNDS
        ):
            return last[0], (ctx.line, getattr(self, "piece", 0), m.sentence, 0)
        return None

    def _year_opening(self, ctx: LineContext, m: Stated) -> int | None:
        """The other year a sentence opens with (``上年度供应土地中，…``, ``2023年，…``): its parts split no
        total of the plan's own year; ``-1`` when that year is not known."""
        opening = _OTHER_YEAR_OPENING.match(ctx.norm, max(ctx.start, ctx.spans[m.sentence][0]))
        if opening is None:
            return None
        if opening.group(1):
            return int(opening.group(1))
        return self.doc.year - 1 if self.doc.year else -1

    def _whole_named_first(self, ctx: LineContext, m: Stated, item: ItemDraft):
        """The total a sentence opening with its name and 中 splits: ``储备土地中，城北片区180亩…`` splits the
        reserve, not the supply stated last (``计划供应土地260亩``)."""
        opening = _NAMED_WHOLE.match(ctx.norm, max(ctx.start, ctx.spans[m.sentence][0]))
        if opening is None or opening.end() > m.start or self._named_item(opening.group(1)):
            return None
        kind = next((k for k, words in _NAMED_KINDS if words.search(opening.group(1))), None)
        if kind is None or kind is TotalKind.FUNDS:
            return None
        return self.structure.latest_of(kind, item.year)

    def _parent_of(
        self, ctx: LineContext, m: Stated, role: labels.Role
    ) -> tuple[ItemDraft | None, int | None]:
        """The item an area is a part of, and where the words introducing the parts begin.

        ``住宅用地中保障性住房用地8.65公顷`` names its parent; ``2026年…45.57公顷，其中住宅用地…``
        makes the uses parts of the year stated before them in the sentence.
        """
        parent = ctx.parent
        if isinstance(parent, ItemDraft) and role.what in ("item", "plain") and parent.area is not None:
            return parent, ctx.start
        sentence_start = max(ctx.start, ctx.spans[m.sentence][0])
        named = _NAMED_PARENT.search(ctx.norm, sentence_start, m.start)
        if named and m.label.endswith("用地"):
            parent = self.structure.find_item(named.group(1))
            if parent is not None and parent.area is not None:
                return parent, named.end()
        opening = _NAMED_WHOLE.match(ctx.norm, sentence_start)
        if opening and role.what in ("item", "plain") and opening.end() <= m.start:
            parent = self._named_item(opening.group(1))
            if parent is not None and (parent.money if m.quantity is Quantity.MONEY else parent.area):
                return parent, opening.end()
        before = ctx.items.get(m.sentence)
        whole = ctx.totals.get(m.sentence)
        if before and whole and whole[1] > before[1] and "其中" in ctx.norm[whole[1] : m.start]:
            # 住宅用地由40公顷调整为50公顷，调整后储备规模110公顷，其中住宅用地50公顷…: the 其中 after the
            # total splits the total, not the item stated before it
            before = None
        last = ctx.last.get(m.sentence)
        if role.what in ("item", "plain"):
            inside = self._parent_in_parenthesis(ctx, m, sentence_start, last)
            if inside is not None:
                return inside
        if last and role.what in ("item", "plain") and _WHOLE_OF_PARTS.match(ctx.norm, last[1]):
            return last[0], last[1]  # 住宅用地504.12公顷中，商品住宅…: parts of the item before
        if (
            before
            and (role.what in ("item", "plain") or role.kind in _STOCK_KINDS)
            and (
                "其中" in _CLOSED_PARENS.sub("", ctx.norm[before[1] : m.start])
                or _WHOLE_OF_PARTS.match(ctx.norm, before[1])
            )
        ):
            return before[0], before[1]  # 城区30.00公顷，其中老城片区…: the parts of the item before
        if before and role.what in ("item", "plain") and _ITS_CONTENTS.match(ctx.norm, before[1]):
            return before[0], before[1]  # 集体土地3.10公顷，包括耕地…: what that item holds
        opener = self._item_before_其中(ctx, m, role)
        if opener is not None:
            return opener, ctx.spans[m.sentence][0]
        if (
            before
            and role.what == "item"
            and re.search(r"其中|含|包括", ctx.norm[before[1] : m.start])
            and is_sub_use(before[0].name, role.name)
        ):  # 住宅用地45.67公顷，其中商品住房用地…/（含保障性住房用地…）: kinds of housing, parts of 住宅用地
            return before[0], before[1]
        carried = _parent_across_clauses(ctx, m, role)
        if carried is not None:
            return carried, ctx.spans[m.sentence][0]
        return None, None

    def _item_before_其中(self, ctx: LineContext, m: Stated, role: labels.Role) -> ItemDraft | None:
        """A sentence opening with 其中 right after a sentence (or line) that stated an item — not a total
        — lists that item's parts: ``（一）住宅用地20.00公顷。其中，商品住房用地…``."""
        if role.what not in ("item", "plain") and role.kind not in _STOCK_KINDS:
            return None
        s = ctx.spans[m.sentence][0]
        if not re.match(r"\s*其中", ctx.norm[max(s, ctx.start) : m.start]):
            return None
        if m.sentence in ctx.openers:
            return ctx.openers[m.sentence]
        ctx.openers[m.sentence] = None
        last = self.structure.last_stated
        measure = "money" if m.quantity is Quantity.MONEY else "area"
        if last is None or not isinstance(last[0], ItemDraft) or getattr(last[0], measure) is None:
            return None
        if self.structure.sentence_items.get(self.structure.last_sentence, 0) != 1:
            return None  # ``上半年…，下半年…。其中第一季度…``: 其中 splits what the sentence before split
        earlier = [k for k in range(m.sentence) if k in ctx.items or k in ctx.totals]
        if earlier and (max(earlier) in ctx.totals):
            return None
        read = (ctx.items, ctx.money_items, ctx.totals, ctx.fund_totals, ctx.last)
        if m.sentence - 1 in ctx.measured and not any(m.sentence - 1 in held for held in read):
            return None  # ``…批次建设用地审批了9174.58公顷。其中，…``: the parts of the figure just before
        previous_line = self.structure.content.get(ctx.line, 0) - self.structure.content.get(last[1], 0)
        ctx.openers[m.sentence] = last[0] if previous_line <= 1 else None
        return ctx.openers[m.sentence]

    def _parent_in_parenthesis(self, ctx: LineContext, m: Stated, start: int, last) -> tuple | None:
        """A quantity inside a parenthesis opened right after an item is a part of that item
        (``农用地380.0864公顷(耕地338.3729公顷)``); after 含/其中 inside the same parenthesis, a part of the
        item before it there (``市本级…3579亩(居住3517亩;含1163亩安置房…)``: 安置房 is a part of 居住)."""
        opened = paren_opened(ctx.norm, start, m.start)
        if opened is None:
            return None
        if last is not None and last[1] > opened:
            between = ctx.norm[last[1] : m.start].removeprefix(getattr(last[0], "name", ""))
            if re.search(r"含|其中|包括", between):
                return last[0], last[1]
            sibling = ctx.parents.get(id(last[0]))
            if re.match(r"\s*[、,，和及与]", between) and sibling is not None:
                return sibling, last[1]  # ``含1163亩安置房、130亩保障性租赁住房``: the list of 含 goes on
        head = ctx.norm[:opened].rstrip()
        owner = ctx.ends.get(len(head))
        return (owner, opened) if owner is not None else None

    def _part_of_sentence_total(self, ctx: LineContext, m: Stated, role: labels.Role) -> bool:
        """``结转…18.60公顷，其中已入库储备土地12.40公顷``: a part of the total before it, not a total."""
        if m.sentence in ctx.totals:
            total, end = ctx.totals[m.sentence]
            if "其中" in ctx.norm[end : m.start] and (
                role.kind is total.kind
                or role.kind is TotalKind.RESERVE
                # 供应储备土地120公顷，其中上年度结转储备土地50公顷…: where the supplied land comes from
                or (total.kind is TotalKind.SUPPLY and role.kind in _SUPPLY_SOURCES)
            ):
                return True
        if role.kind not in _READY_KINDS or not _READINESS.match(m.label):
            return False
        # 储备土地136宗…，其中可供应土地48宗…；需前期开发土地88宗…: how ready the held land is, parts of it
        held = listed_total(ctx, m) or _continued_total(ctx, m)
        return isinstance(held, TotalDraft) and held.kind in _HELD_KINDS

    def _splits_section_total(self, ctx: LineContext, m: Stated) -> bool:
        """``二、本年度新增储备土地`` then ``储备土地15.60公顷，其中存量土地…，新增土地…``: 存量/新增 split
        the section's total (新增储备 or 结转), they are no totals of their own."""
        total, end = ctx.totals.get(m.sentence, (None, 0))
        if total is None or total.kind not in (TotalKind.NEW, TotalKind.CARRIED_OVER):
            return False
        return "其中" in ctx.norm[end : m.start]

    def _total_label(self, role: labels.Role) -> str:
        name = role.name
        if role.kind is TotalKind.RESERVE and self.doc.kind is not PlanKind.ANNUAL_RESERVE:
            name = "储备规模"
        return f"{role.year}年{name.removeprefix('年度')}" if role.year and self.rolling else name

    def _exhaustive(self, ctx: LineContext, m: Stated, intro_from: int | None = None) -> bool | Evidence:
        """``True``, or the cue that the list is only a part (主要/部分/…等) or lost a part (an
        unreadable number in its sentence)."""
        s, _e = ctx.spans[m.sentence]
        intro = ctx.norm[intro_from if intro_from is not None else max(s, ctx.start) : m.start]
        after = ctx.norm[m.end : m.end + 3]
        if m.sentence in ctx.broken:
            return Evidence("cut", ctx.line, "分项中有无法读取的数字")
        cue = _PARTIAL_CUES.search(intro) or _LIST_ETC.match(after)
        if cue:
            return Evidence("partial", ctx.line, f"原文写“{cue.group().strip(') ')}”，所列只是一部分")
        return True


#: words that introduce a split of a named total: ``按季度安排储备规模：``, ``资金构成``
_SPLIT_WORDS = re.compile(r"按|分为|分解|安排|划分|其中|包括|分别|构成|结构|分布|组成")
_NAMED_KINDS: tuple[tuple[TotalKind, re.Pattern[str]], ...] = (
    (TotalKind.FUNDS, re.compile(r"资金|经费|投资")),
    (TotalKind.SUPPLY, re.compile(r"供应|供地|出让")),
    (TotalKind.STOCK, re.compile(r"存量")),
    (TotalKind.NEW, re.compile(r"新增")),
    (TotalKind.CARRIED_OVER, re.compile(r"结转")),
    (TotalKind.RESERVE, re.compile(r"储备规模|储备总|储备土地|计划储备|收储规模|储备用地")),
)


def named_total(intro: str) -> TotalKind | None:
    """The total the words before a split's first item name (``按季度安排储备规模：`` → the reserve)."""
    if not _SPLIT_WORDS.search(intro):
        return None
    return next((kind for kind, words in _NAMED_KINDS if words.search(intro)), None)


#: a share stated of a named total right after the item: ``…591.17公顷,占供地总量的42.92%``
_SHARE_OF = re.compile(r"^\s*(?:\([^()]*\))?\s*,?\s*占(?:了)?([^,;。\d]{0,12}?)(?:总量|总规模|总面积)")


def share_of_named_total(after: str) -> TotalKind | None:
    """The total a share right after an item names (``,占供地总量的42.92%`` → the supply total): the words
    tie the item to that total as much as a split's heading does."""
    share = _SHARE_OF.match(after)
    if share is None:
        return None
    return next((kind for kind, words in _NAMED_KINDS if words.search(share.group(1))), None)


def _count_before(norm: str, stated: list[Stated], i: int) -> Stated | None:
    """The count that names ``stated[i]`` (``共18宗（其中结转5宗…），面积…``): the one just before it in
    its sentence, passing over counts inside parentheses closed before it."""
    m = stated[i]
    for j in range(i - 1, -1, -1):
        before = stated[j]
        between = norm[before.end : m.start]
        if before.sentence != m.sentence or before.quantity is not Quantity.COUNT:
            return None
        if between.count(")") <= between.count("("):
            return before
    return None


#: a sentence announcing what the funds are used for (资金用途：…): after the sources, a split of its own
_FUNDS_USES = re.compile(r"\s*(?:资金|经费)(?:用途|使用|支出)(?:方向|安排|计划)?\s*[:,]")


def _sources_sentences(ctx: LineContext) -> set[int]:
    """Sentences that open with 资金来源/筹措… (or 资金用途：…): their money is a split of its own, not
    more parts of the split before."""
    return {
        i
        for i, (s, _e) in enumerate(ctx.spans)
        if labels.FUNDS_SOURCES.match(ctx.norm, max(s, ctx.start))
        or _FUNDS_USES.match(ctx.norm, max(s, ctx.start))
    }


#: a sentence opening with the words that announce the parts of a whole: ``其中，`` or ``市级项目中，``
_OPENS_PARTS = re.compile(rf"\s*(?:其中|{_WHOLE_NAME}中)\s*[,:]")


def _topic(ctx: LineContext, m: Stated, floor: int) -> str | None:
    """The land use a bare ``计划供应…`` speaks of: the topic of its clause (``商服用地方面,``), or the
    subject of the sentence just before when that sentence states no figure (``城镇住宅用地是主力。``)."""
    topic = _TOPIC.search(ctx.norm, floor, m.start)
    if topic and labels.USE_WORDS.search(topic.group(1)):
        return topic.group(1)
    k = m.sentence
    if k == 0 or (k - 1) in ctx.measured or not _VERB_ONLY.match(ctx.norm[floor : m.start].strip(" ,")):
        return None
    subject = _SUBJECT_USE.match(ctx.norm, max(ctx.start, ctx.spans[k - 1][0]), ctx.spans[k - 1][1])
    return subject.group(1) if subject and labels.USE_WORDS.search(subject.group(1)) else None


#: a sentence whose subject is a land use: ``从土地的用途结构来看,城镇住宅用地是主力``
_SUBJECT_USE = re.compile(r"(?:[^。;]*,)?\s*([^\s\d,;。:()、]{2,12}?用地)(?:仍然?)?(?:是|为)")


def _parent_across_clauses(ctx: LineContext, m: Stated, role: labels.Role):
    """The whole a clause after ``；`` goes on splitting: ``其中,市级项目…19个地块;区级项目…43个地块`` or
    ``市级项目中,德城区…7个地块;德州经济技术开发区…12个地块`` — when the sentence opened by announcing the
    parts and the clause before stated just one part of that whole (several parts separated by commas are
    a list the ``；`` ends). Two land uses of the same level are siblings, never whole and part."""
    k = m.sentence
    if role.what not in ("item", "plain") or k == 0 or k in ctx.items or k in ctx.totals:
        return None
    if ctx.norm[ctx.spans[k - 1][1] : ctx.spans[k][0]].strip() != ";":
        return None
    held = ctx.nested.get(k - 1)
    if held is None or held[1] != 1 or (k - 1) in ctx.items or (k - 1) in ctx.totals:
        return None
    first = k - 1
    while first > 0 and ctx.norm[ctx.spans[first - 1][1] : ctx.spans[first][0]].strip() == ";":
        first -= 1
    if not _OPENS_PARTS.match(ctx.norm, max(ctx.start, ctx.spans[first][0])):
        return None
    parent = held[0]
    if is_class_name(parent.name) and is_class_name(role.name) and not is_sub_use(parent.name, role.name):
        return None
    return parent


def _year_of_list(ctx: LineContext, m: Stated) -> int | None:
    """The year a part without one in its name takes from the list it stands in: that of the quantity
    before it in its sentence (or clause run joined by ``；``): ``2024年住宅用地120公顷，工业用地180公顷``."""
    k = m.sentence
    while k >= 0:
        held = [x for x in (ctx.totals.get(k), ctx.last.get(k)) if x is not None]
        if held:
            latest = max(held, key=lambda x: x[1])[0]
            return getattr(latest, "year", None)
        if k == 0 or ctx.norm[ctx.spans[k - 1][1] : ctx.spans[k][0]].strip() != ";":
            return None
        k -= 1
    return None


def without_place(label: str, jurisdiction: str | None) -> str:
    """A land use named with the plan's own place before it, without the place: ``济南住宅用地`` →
    ``住宅用地`` in 济南市's plan (``巴楚镇`` in 巴楚县's plan is a town, and stays)."""
    if not jurisdiction:
        return label
    for name in (jurisdiction, re.sub(r"(?:市|县|区|旗)$", "", jurisdiction)):
        rest = label[len(name) :]
        if len(name) >= 2 and label.startswith(name) and labels.USE_WORDS.match(rest):
            return rest
        if len(name) >= 2 and label.startswith(name) and labels.SCALE_TAIL.fullmatch(rest):
            return rest  # ``巴楚县储备规模``: the plan's own scale, not a zone's
    return label


def listed_total(ctx: LineContext, m: Stated, dimension: Dimension | None = None):
    """The total of the 其中 list ``m`` stands in (see ``listed``)."""
    return listed(ctx, m)[0]


def listed(ctx: LineContext, m: Stated) -> tuple[object | None, int]:
    """The total whose 其中 list ``m`` stands in: in ``m``'s sentence, or in an earlier clause of the line
    that only ``；`` separates from it — after ``其中：``, whose colon announces a list running to the full
    stop (``其中：县域…；市本级…``), or after ``其中，`` when only one part stood before the ``；``
    (``其中征收补偿…，含…；前期开发…``); else the ``；`` ended the list."""
    k = m.sentence
    totals = ctx.fund_totals if m.quantity is Quantity.MONEY else ctx.totals
    while k >= 0:
        found = totals.get(k)
        if found is not None:
            end = m.start if k == m.sentence else ctx.spans[k][1]
            words = ctx.norm[found[1] : end].replace(" ", "")
            if k == m.sentence or "其中:" in words:
                return (found[0], k) if "其中" in words else (None, k)
            # 其中A…，含…；B…: one part before the ；, which then separates the parts; 其中A…，B…；C…: the
            # parts were separated by commas, and the ； ended their list
            one = ctx.parts_in.get(k, 0) == 1
            return (found[0], k) if one and "其中" in words else (None, k)
        if k == 0 or ctx.norm[ctx.spans[k - 1][1] : ctx.spans[k][0]].strip() not in (";",):
            return None, m.sentence
        k -= 1
    return None, m.sentence


def _continued_total(ctx: LineContext, m: Stated):
    """The total the sentence (or clause run) opening with 其中 splits (see ``continued``)."""
    return continued(ctx, m)[0]


def continued(ctx: LineContext, m: Stated) -> tuple[object | None, int]:
    """``…面积98.35公顷。其中：收回…``: a sentence opening with 其中 splits the total of the one before —
    and so do the clauses after it that only ``；`` separates (``其中城区…；工业园区…。``)."""
    k = m.sentence
    while not _CONTINUES.match(ctx.norm[ctx.spans[k][0] : m.start if k == m.sentence else ctx.spans[k][1]]):
        if k == 0 or ctx.norm[ctx.spans[k - 1][1] : ctx.spans[k][0]].strip() != ";" or k - 1 in ctx.totals:
            return None, m.sentence
        k -= 1
    earlier = [j for j in ctx.totals if j < k]
    return (ctx.totals[max(earlier)][0], k) if earlier else (None, m.sentence)
