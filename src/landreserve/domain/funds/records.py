"""Project records as published (专项债券项目实施方案 / 融资与收益平衡方案): the figures the record states,
recomputed beside them, with a Chinese finding for every disagreement.

A record states its financing plan (bonds with their terms, other funds), a cost estimate by category,
the expected income with its basis — area × price per use, a price rule with its inputs (e.g. the lower
of two appraisals × 98 %), or a stated total — and the coverage ratio (本息覆盖倍数). Published figures
are rounded: a stated figure stands for every value that rounds to it (``2.61`` for [2.605, 2.615),
``1234.57万元`` for ±50 元), so a correctly rounded record gets no finding, and every comparison is made
on the unrounded recomputed value.

When the stated ratio is not reproduced, the record usually rests on another coupon (an assumed rate
before issue) or another income; the check reports the range of one common coupon for all the bonds
(and the range of the income at the stated coupons) that reproduces the stated figure. The interest of
a schedule is linear in the coupon (the principal parts do not depend on it), so the range is solved
exactly, then confirmed on the schedules as paid (each payment rounded to the 分).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from ..findings import Finding, Severity
from .balance import ratio_text
from .bonds import BondTerms, schedule
from .ledger import CATEGORY_ALIASES, Category
from .money import ZERO, format_ratio, format_yuan, round_fen, round_fraction


@dataclass(frozen=True)
class Stated:
    """A figure as the record writes it: its value and half the step of its last written digit."""

    value: Decimal
    half_step: Decimal = ZERO
    text: str = ""

    @property
    def low(self) -> Fraction:
        return Fraction(self.value) - Fraction(self.half_step)

    @property
    def high(self) -> Fraction:
        return Fraction(self.value) + Fraction(self.half_step)

    def admits(self, value: Fraction | Decimal) -> bool:
        """Whether ``value`` rounds to the stated figure (half-up: the upper end is excluded)."""
        v = Fraction(value)
        if not self.half_step:
            return v == Fraction(self.value)
        return self.low <= v < self.high

    def shown(self) -> str:
        return self.text or str(self.value)


class PriceRuleKind(StrEnum):
    LOWER_OF = "lower_of"
    HIGHER_OF = "higher_of"
    AVERAGE_OF = "average_of"

    @property
    def label(self) -> str:
        return {"lower_of": "较低者", "higher_of": "较高者", "average_of": "平均值"}[self.value]


@dataclass(frozen=True)
class PriceRule:
    """A price per ㎡ derived from appraisals (元/㎡): the lower/higher/average of them × ``percent`` %."""

    kind: PriceRuleKind
    inputs: tuple[Decimal, ...]
    percent: Decimal = Decimal(100)

    def price(self) -> Fraction:
        values = [Fraction(v) for v in self.inputs]
        if self.kind is PriceRuleKind.LOWER_OF:
            base = min(values)
        elif self.kind is PriceRuleKind.HIGHER_OF:
            base = max(values)
        else:
            base = Fraction(sum(values, Fraction(0))) / len(values)
        return Fraction(base) * Fraction(self.percent) / 100

    @property
    def text(self) -> str:
        inputs = "、".join(str(v) for v in self.inputs)
        tail = f" × {self.percent}%" if self.percent != 100 else ""
        return f"{inputs} 元/㎡ 的{self.kind.label}{tail}"


class IncomeBasis(StrEnum):
    AREA_PRICE = "area_price"
    PRICE_RULE = "price_rule"
    STATED = "stated"

    @property
    def label(self) -> str:
        return {"area_price": "面积 × 单价", "price_rule": "面积 × 价格规则", "stated": "直接给出的金额"}[
            self.value
        ]


@dataclass(frozen=True)
class IncomeItem:
    """One line of expected income: a use or parcel, its basis and (optionally) the amount the record states."""

    name: str
    basis: IncomeBasis
    area_m2: Decimal | None = None
    price_per_m2: Decimal | None = None
    rule: PriceRule | None = None
    stated: Stated | None = None
    year: int | None = None
    row: int | None = None

    def price(self) -> Fraction | None:
        if self.basis is IncomeBasis.PRICE_RULE and self.rule is not None:
            return self.rule.price()
        return Fraction(self.price_per_m2) if self.price_per_m2 is not None else None

    def computed(self) -> Decimal | None:
        """area × price rounded to the 分; ``None`` for a stated total (nothing to compute)."""
        price = self.price()
        if self.basis is IncomeBasis.STATED or price is None or self.area_m2 is None:
            return None
        return round_fen(Fraction(self.area_m2) * price)

    def amount(self) -> Decimal:
        """The income this line contributes: computed where the record gives the basis, else as stated."""
        computed = self.computed()
        if computed is not None:
            return computed
        return self.stated.value if self.stated else ZERO


@dataclass(frozen=True)
class FinancingItem:
    """One source of the financing plan: a bond (with its terms) or other funds (fiscal, own funds)."""

    name: str
    amount: Decimal
    terms: BondTerms | None = None
    row: int | None = None


@dataclass(frozen=True)
class CostItem:
    category: str
    amount: Stated
    row: int | None = None


@dataclass(frozen=True)
class ProjectRecord:
    """A project record as published (all amounts in 元)."""

    project: str
    name: str | None = None
    financing: tuple[FinancingItem, ...] = ()
    stated_investment: Stated | None = None
    costs: tuple[CostItem, ...] = ()
    stated_cost_total: Stated | None = None
    income: tuple[IncomeItem, ...] = ()
    stated_income: Stated | None = None
    stated_ratio: Stated | None = None
    source_name: str = ""

    @property
    def bonds(self) -> list[BondTerms]:
        return [f.terms for f in self.financing if f.terms is not None]


@dataclass(frozen=True)
class Range:
    """An interval of values (coupon in %, or income in 元); a ``None`` upper end is open."""

    low: Fraction
    high: Fraction | None


@dataclass(frozen=True)
class RecordCheck:
    """The recomputation of a record beside its stated figures."""

    record: ProjectRecord
    financing_total: Decimal
    bond_principal: Decimal
    interest: Decimal
    cost_total: Decimal
    income_total: Decimal
    income_within_term: Decimal
    ratio: Fraction | None
    bound: Decimal
    coupon_range: Range | None = None
    coupon_points: tuple[Decimal, Decimal] | None = None
    income_range: Range | None = None
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def debt_service(self) -> Decimal:
        return self.bond_principal + self.interest

    @property
    def self_contradictory(self) -> bool:
        return any(f.code.startswith("record.self_contradictory") for f in self.findings)


def category_of(text: str) -> Category | None:
    value = text.strip()
    for category in Category:
        if value in (category.value, category.label):
            return category
    return CATEGORY_ALIASES.get(value)


def _debt(bonds: list[BondTerms]) -> tuple[Decimal, Decimal]:
    principal = interest = ZERO
    for t in bonds:
        for row in schedule(t):
            principal += row.principal
            interest += row.interest
    return principal, interest


def _unrounded_interest_per_percent(bonds: list[BondTerms]) -> Fraction:
    """Interest of all bonds per 1 % of coupon, before rounding (Σ outstanding ÷ periods per year ÷ 100)."""
    total = Fraction(0)
    for t in bonds:
        rows = schedule(t.with_coupon(Decimal(0)))
        per_year = t.interest_frequency.periods_per_year
        outstanding = Fraction(t.amount)
        for row in rows:
            total += Fraction(outstanding) / per_year / 100
            outstanding -= Fraction(row.principal)
    return total


def check_record(record: ProjectRecord, bound: Decimal) -> RecordCheck:
    """Recompute every figure of ``record`` and compare it with what the record states."""
    bonds = record.bonds
    financing_total = sum((f.amount for f in record.financing), ZERO)
    cost_total = sum((c.amount.value for c in record.costs), ZERO)
    income_total = sum((i.amount() for i in record.income), ZERO)
    principal, interest = _debt(bonds) if bonds else (ZERO, ZERO)
    last = max((t.maturity.year for t in bonds), default=None)
    within = sum(
        (i.amount() for i in record.income if last is None or i.year is None or i.year <= last), ZERO
    )
    ratio = Fraction(within) / Fraction(principal + interest) if bonds and principal + interest else None
    result = RecordCheck(
        record, financing_total, principal, interest, cost_total, income_total, within, ratio, bound
    )
    findings: list[Finding] = []
    findings += _financing_findings(result)
    findings += _cost_findings(result)
    findings += _income_findings(result)
    result = _ratio_check(result, findings)
    return replace(result, findings=tuple(findings))


def _finding(code: str, severity: Severity, message: str, rows=(), **values: str) -> Finding:
    return Finding(code, severity, message, tuple(r for r in rows if r), dict(values))


def _financing_findings(r: RecordCheck) -> list[Finding]:
    stated = r.record.stated_investment
    if stated is None or stated.admits(r.financing_total):
        return []
    parts = "、".join(f"{f.name} {format_yuan(f.amount)}" for f in r.record.financing)
    return [
        _finding(
            "record.financing_mismatch",
            Severity.ERROR,
            f"融资计划各项之和 {format_yuan(r.financing_total)} 元（{parts}）与所写项目总投资 "
            f"{stated.shown()}（{format_yuan(stated.value)} 元）不符，差 {format_yuan(r.financing_total - stated.value)} 元",
            [f.row for f in r.record.financing],
            computed=str(r.financing_total),
            stated=str(stated.value),
        )
    ]


def _cost_findings(r: RecordCheck) -> list[Finding]:
    findings = []
    record = r.record
    for item in record.costs:
        category = category_of(item.category)
        if category is not None and not category.permitted:
            findings.append(
                _finding(
                    "record.cost_not_permitted",
                    Severity.ERROR,
                    f"成本估算中的“{item.category}”{item.amount.shown()} 不是土地储备资金的允许用途，"
                    "不能由专项债券安排",
                    [item.row],
                    category=item.category,
                )
            )
    if record.stated_cost_total is not None and record.costs:
        low = sum((c.amount.low for c in record.costs), Fraction(0))
        high = sum((c.amount.high for c in record.costs), Fraction(0))
        total = record.stated_cost_total
        if high < total.low or low > total.high or (not total.half_step and r.cost_total != total.value):
            findings.append(
                _finding(
                    "record.cost_sum_mismatch",
                    Severity.ERROR,
                    f"成本估算各项之和 {format_yuan(r.cost_total)} 元与所写合计 {total.shown()}"
                    f"（{format_yuan(total.value)} 元）不符，超出四舍五入误差",
                    [c.row for c in record.costs],
                    computed=str(r.cost_total),
                    stated=str(total.value),
                )
            )
    cost = (
        record.stated_cost_total.value
        if record.stated_cost_total
        else (r.cost_total if record.costs else None)
    )
    if cost is not None and record.financing and cost != r.financing_total:
        findings.append(
            _finding(
                "record.cost_financing_mismatch",
                Severity.WARNING,
                f"成本估算 {format_yuan(cost)} 元与融资计划合计 {format_yuan(r.financing_total)} 元不等"
                f"（差 {format_yuan(r.financing_total - cost)} 元）：资金来源应与资金需求一致，请核对",
                computed=str(r.financing_total),
                stated=str(cost),
            )
        )
    return findings


def _income_findings(r: RecordCheck) -> list[Finding]:
    findings = []
    for item in r.record.income:
        computed = item.computed()
        if computed is None or item.stated is None or item.stated.admits(computed):
            continue
        price = item.price()
        assert price is not None  # computed, so it has a price
        basis = item.rule.text if item.rule is not None else f"{item.price_per_m2} 元/㎡"
        findings.append(
            _finding(
                "record.income_item_mismatch",
                Severity.ERROR,
                f"预期收入“{item.name}”：{item.area_m2} ㎡ × {format(round_fraction(price, 6).normalize(), 'f')} 元/㎡"
                f"（{basis}）= {format_yuan(computed)} 元，与所写 {item.stated.shown()}（{format_yuan(item.stated.value)} 元）"
                f"不符，差 {format_yuan(computed - item.stated.value)} 元",
                [item.row],
                computed=str(computed),
                stated=str(item.stated.value),
            )
        )
    stated = r.record.stated_income
    if stated is not None and r.record.income:
        low = sum((_item_low(i) for i in r.record.income), Fraction(0))
        high = sum((_item_high(i) for i in r.record.income), Fraction(0))
        if (
            high < stated.low
            or low > stated.high
            or (not stated.half_step and r.income_total != stated.value)
        ):
            findings.append(
                _finding(
                    "record.income_total_mismatch",
                    Severity.ERROR,
                    f"预期收入各项之和 {format_yuan(r.income_total)} 元与所写预期收入合计 {stated.shown()}"
                    f"（{format_yuan(stated.value)} 元）不符，差 {format_yuan(r.income_total - stated.value)} 元",
                    [i.row for i in r.record.income],
                    computed=str(r.income_total),
                    stated=str(stated.value),
                )
            )
    capital = r.record.stated_investment.value if r.record.stated_investment else r.financing_total
    income = stated.value if stated is not None else (r.income_total if r.record.income else None)
    if income is not None and capital and income == capital:
        findings.append(
            _finding(
                "record.self_contradictory.income_equals_capital",
                Severity.ERROR,
                f"记录自相矛盾：预期收入 {format_yuan(income)} 元与融资总额（项目总投资）{format_yuan(capital)} 元完全相同，"
                "收入恰好等于本金就付不了任何利息，本息覆盖倍数不可能大于 1；疑为把总投资填成了收入，请核对原始方案",
                income=str(income),
                capital=str(capital),
            )
        )
    return findings


def _item_low(item: IncomeItem) -> Fraction:
    computed = item.computed()
    return Fraction(computed) if computed is not None else (item.stated.low if item.stated else Fraction(0))


def _item_high(item: IncomeItem) -> Fraction:
    computed = item.computed()
    return Fraction(computed) if computed is not None else (item.stated.high if item.stated else Fraction(0))


def _ratio_check(r: RecordCheck, findings: list[Finding]) -> RecordCheck:
    bonds, stated = r.record.bonds, r.record.stated_ratio
    if r.ratio is not None and r.ratio < Fraction(r.bound):
        severity = Severity.ERROR if r.ratio < 1 else Severity.WARNING
        findings.append(
            _finding(
                "record.coverage_below_bound",
                severity,
                f"按记录的融资计划和预期收入重算，本息覆盖倍数 {ratio_text(r.ratio, r.bound)}，低于要求的 {r.bound}："
                f"期内收入 {format_yuan(r.income_within_term)} 元，本息合计 {format_yuan(r.debt_service)} 元",
                ratio=format_ratio(r.ratio, 8),
                bound=str(r.bound),
            )
        )
    if stated is None or r.ratio is None:
        return r
    if stated.value < r.bound:
        findings.append(
            _finding(
                "record.stated_ratio_below_bound",
                Severity.WARNING,
                f"记录所写本息覆盖倍数 {stated.shown()} 本身低于要求的 {r.bound}",
                stated=str(stated.value),
            )
        )
    if stated.admits(r.ratio):
        return r
    coupon, points = coupon_range(bonds, Fraction(r.income_within_term), stated, r.bound)
    low, high = Fraction(stated.low), Fraction(stated.high)
    service = Fraction(r.debt_service)
    income = Range(low * service, high * service)
    r = replace(r, coupon_range=coupon, coupon_points=points, income_range=income)
    income_text = (
        f"在现有票面利率下，期内收入须在 {format_yuan(round_fen(low * service))} 元至 {format_yuan(round_fen(high * service))} 元"
        f"之间（现为 {format_yuan(r.income_within_term)} 元）"
    )
    coupons = ", ".join(f"{t.code} {t.coupon_percent}%" for t in bonds)
    base = (
        f"记录所写本息覆盖倍数 {stated.shown()}，按记录的融资计划（{coupons}）和预期收入重算为 "
        f"{format_ratio(r.ratio, 6)}（期内收入 {format_yuan(r.income_within_term)} 元 ÷ 本息合计 "
        f"{format_yuan(r.debt_service)} 元），四舍五入后不等于 {stated.shown()}"
    )
    if coupon is None:
        findings.append(
            _finding(
                "record.self_contradictory.ratio_unreachable",
                Severity.ERROR,
                f"记录自相矛盾：{base}；且没有任何不低于 0 的票面利率能得到 {stated.shown()}"
                f"（利率为 0 时最高只有 {format_ratio(Fraction(r.income_within_term) / Fraction(r.bond_principal), 6)}）；"
                f"{income_text}",
                ratio=format_ratio(r.ratio, 8),
                stated=str(stated.value),
            )
        )
        return r
    findings.append(
        _finding(
            "record.ratio_mismatch",
            Severity.ERROR,
            f"{base}；若各期债券票面利率均为 {_range_text(coupon)}，可得到 {stated.shown()}"
            + (
                f"（按 0.01 个百分点：{points[0]}%–{points[1]}%）"
                if points
                else "（没有 0.01 个百分点的利率恰好落在其中）"
            )
            + f"；或{income_text}",
            ratio=format_ratio(r.ratio, 8),
            stated=str(stated.value),
            coupon_low=format_ratio(coupon.low, 6),
            coupon_high=format_ratio(coupon.high, 6) if coupon.high is not None else "",
        )
    )
    return r


def _range_text(r: Range) -> str:
    low = format(round_fraction(r.low, 4).normalize(), "f")
    high = format(round_fraction(r.high, 4).normalize(), "f") + "%" if r.high is not None else "以上"
    return f"{low}%–{high}"


def coupon_range(
    bonds: list[BondTerms], income: Fraction, stated: Stated, bound: Decimal
) -> tuple[Range | None, tuple[Decimal, Decimal] | None]:
    """The coupons c ≥ 0 (one for all bonds, in %) whose ratio rounds to ``stated``: exact on unrounded
    interest, then the coupons in whole basis points whose schedules as paid give it (``None`` if none)."""
    principal = sum((Fraction(t.amount) for t in bonds), Fraction(0))
    per_percent = _unrounded_interest_per_percent(bonds)
    low, high = stated.low, stated.high
    if per_percent == 0 or high <= 0:
        return None, None
    # ratio(c) = income ÷ (principal + c·k) ∈ [low, high)  ⇔  c ∈ (income/high − P, income/low − P] ÷ k
    c_min = (Fraction(income) / high - principal) / per_percent
    c_max = (Fraction(income) / low - principal) / per_percent if low > 0 else None
    if c_max is not None and c_max < 0:
        return None, None
    found = Range(max(c_min, Fraction(0)), c_max)
    points = _basis_points(bonds, income, stated, found)
    return found, points


def _basis_points(bonds, income: Fraction, stated: Stated, found: Range) -> tuple[Decimal, Decimal] | None:
    start = int(found.low * 100) - 1
    stop = int(found.high * 100) + 2 if found.high is not None else start + 2000
    hits = []
    for bp in range(max(start, 0), min(stop, 10000)):
        coupon = Decimal(bp).scaleb(-2)
        principal, interest = _debt([t.with_coupon(coupon) for t in bonds])
        if stated.admits(Fraction(income) / Fraction(principal + interest)):
            hits.append(coupon)
    return (hits[0], hits[-1]) if hits else None


# --- the stored form (canonical JSON, decimals as strings) ---------------------------------------------


def _stated_json(s: Stated | None) -> dict | None:
    return None if s is None else {"value": str(s.value), "half_step": str(s.half_step), "text": s.text}


def _stated_from(d: dict | None) -> Stated | None:
    return None if d is None else _stated_value(d)


def _stated_value(d: dict) -> Stated:
    return Stated(Decimal(d["value"]), Decimal(d["half_step"]), d["text"])


def _terms_json(t: BondTerms) -> dict:
    return {
        "code": t.code, "amount": str(t.amount), "issue_date": t.issue_date.isoformat(),
        "term_years": t.term_years, "call_after_years": t.call_after_years,
        "coupon_percent": str(t.coupon_percent), "repayment": t.repayment.value,
        "interest_frequency": t.interest_frequency.value,
        "shares": [[y, str(p)] for y, p in t.shares], "issue_cost": str(t.issue_cost),
    }  # fmt: skip


def _terms_from(d: dict) -> BondTerms:
    from datetime import date

    from .bonds import InterestFrequency, Repayment

    return BondTerms(
        d["code"], Decimal(d["amount"]), date.fromisoformat(d["issue_date"]), d["term_years"],
        Decimal(d["coupon_percent"]), Repayment(d["repayment"]), InterestFrequency(d["interest_frequency"]),
        shares=tuple((y, Decimal(p)) for y, p in d["shares"]), call_after_years=d["call_after_years"],
        issue_cost=Decimal(d["issue_cost"]),
    )  # fmt: skip


def record_to_json(record: ProjectRecord) -> dict:
    """The record as stored (and shown by ``--json``): every figure as written and as read."""
    return {
        "project": record.project,
        "name": record.name,
        "source_name": record.source_name,
        "investment": _stated_json(record.stated_investment),
        "financing": [
            {
                "name": f.name,
                "amount": str(f.amount),
                "row": f.row,
                "bond": _terms_json(f.terms) if f.terms else None,
            }
            for f in record.financing
        ],  # fmt: skip
        "costs": [
            {"category": c.category, "amount": _stated_json(c.amount), "row": c.row} for c in record.costs
        ],
        "cost_total": _stated_json(record.stated_cost_total),
        "income": [
            {
                "name": i.name,
                "basis": i.basis.value,
                "area_m2": None if i.area_m2 is None else str(i.area_m2),
                "price_per_m2": None if i.price_per_m2 is None else str(i.price_per_m2),
                "rule": None
                if i.rule is None
                else {
                    "kind": i.rule.kind.value,
                    "inputs": [str(v) for v in i.rule.inputs],
                    "percent": str(i.rule.percent),
                },
                "stated": _stated_json(i.stated),
                "year": i.year,
                "row": i.row,
            }
            for i in record.income
        ],  # fmt: skip
        "income_total": _stated_json(record.stated_income),
        "ratio": _stated_json(record.stated_ratio),
    }


def record_from_json(d: dict) -> ProjectRecord:
    def dec(v):
        return None if v is None else Decimal(v)

    income = tuple(
        IncomeItem(
            i["name"], IncomeBasis(i["basis"]), dec(i["area_m2"]), dec(i["price_per_m2"]),
            None if i["rule"] is None else PriceRule(
                PriceRuleKind(i["rule"]["kind"]), tuple(Decimal(v) for v in i["rule"]["inputs"]),
                Decimal(i["rule"]["percent"]),
            ),
            _stated_from(i["stated"]), i["year"], i["row"],
        )
        for i in d["income"]
    )  # fmt: skip
    return ProjectRecord(
        d["project"], d["name"],
        tuple(FinancingItem(f["name"], Decimal(f["amount"]), _terms_from(f["bond"]) if f["bond"] else None, f["row"])
              for f in d["financing"]),
        _stated_from(d["investment"]),
        tuple(CostItem(c["category"], _stated_value(c["amount"]), c["row"]) for c in d["costs"]),
        _stated_from(d["cost_total"]), income, _stated_from(d["income_total"]), _stated_from(d["ratio"]),
        d["source_name"],
    )  # fmt: skip


def check_json(check: RecordCheck) -> dict:
    """The recomputation beside the stated figures (``funds project import/record --json``)."""

    def rng(r: Range | None) -> dict | None:
        if r is None:
            return None
        return {
            "low": format_ratio(r.low, 6),
            "high": None if r.high is None else format_ratio(r.high, 6),
        }

    record = check.record
    return {
        "project": record.project,
        "record": record_to_json(record),
        "computed": {
            "financing_total": str(check.financing_total),
            "bond_principal": str(check.bond_principal),
            "interest": str(check.interest),
            "debt_service": str(check.debt_service),
            "cost_total": str(check.cost_total),
            "income_total": str(check.income_total),
            "income_within_term": str(check.income_within_term),
            "ratio": None if check.ratio is None else format_ratio(check.ratio, 8),
            "ratio_shown": ratio_text(check.ratio, check.bound),
            "income_items": [
                {
                    "name": i.name,
                    "computed": None if i.computed() is None else str(i.computed()),
                    "price_per_m2": None if i.price() is None else format_ratio(i.price(), 6),
                }
                for i in record.income
            ],  # fmt: skip
        },
        "bound": str(check.bound),
        "coupon_range_percent": rng(check.coupon_range),
        "coupon_points_percent": None
        if check.coupon_points is None
        else {"low": str(check.coupon_points[0]), "high": str(check.coupon_points[1])},
        "income_range": None
        if check.income_range is None
        else {
            "low": str(round_fen(check.income_range.low)),
            "high": str(round_fen(check.income_range.high or check.income_range.low)),
        },
        "self_contradictory": check.self_contradictory,
        "findings": [f.to_dict() for f in check.findings],
    }
