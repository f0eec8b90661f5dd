"""The ring-fenced double-entry ledger: accounts, permitted uses, and the rules every entry must pass.

Every transaction is a set of postings (debit positive, credit negative) that sums to zero. Accounts:

==================  =====================================================  ======
kind                meaning                                                 side
==================  =====================================================  ======
funding             money raised by a source (bond debt / appropriation)    credit
source_cash         raised, not yet allocated to a project                  debit ≥ 0
project_pool        allocated to a project, not yet to one of its parcels   debit ≥ 0
parcel_funds        allocated to a parcel, not yet spent                    debit ≥ 0
parcel_cost         spent on a parcel, per permitted category               debit
sale_income         land-sale revenue (土地出让收入) of a parcel             credit
repayment_reserve   income or fiscal top-up held to repay the bond          debit ≥ 0
interest            interest paid on a bond                                 debit
==================  =====================================================  ======

Nothing is deleted or changed: a correction is a reversing entry (the same postings negated) that
names the original. The functions here build postings and refuse, with a Chinese ``RuleViolation``,
whatever would break the ring-fence; they read balances handed to them and do no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ...errors import InputError, RuleViolation
from .money import ZERO, format_yuan


class AccountKind(StrEnum):
    FUNDING = "funding"
    SOURCE_CASH = "source_cash"
    PROJECT_POOL = "project_pool"
    PARCEL_FUNDS = "parcel_funds"
    PARCEL_COST = "parcel_cost"
    SALE_INCOME = "sale_income"
    REPAYMENT_RESERVE = "repayment_reserve"
    INTEREST = "interest"


ACCOUNT_LABELS = {
    AccountKind.FUNDING: "资金来源",
    AccountKind.SOURCE_CASH: "未分配资金",
    AccountKind.PROJECT_POOL: "项目待分配资金",
    AccountKind.PARCEL_FUNDS: "地块可用资金",
    AccountKind.PARCEL_COST: "地块支出",
    AccountKind.SALE_INCOME: "土地出让收入",
    AccountKind.REPAYMENT_RESERVE: "偿债资金",
    AccountKind.INTEREST: "利息支出",
}

#: accounts that hold money and can never go below zero
NON_NEGATIVE = frozenset(
    {
        AccountKind.SOURCE_CASH,
        AccountKind.PROJECT_POOL,
        AccountKind.PARCEL_FUNDS,
        AccountKind.REPAYMENT_RESERVE,
    }
)


class SourceKind(StrEnum):
    SPECIAL_BOND = "special_bond"
    LAND_SALE_REVENUE = "land_sale_revenue"
    LAND_REVENUE_FUND = "land_revenue_fund"
    OTHER_FISCAL = "other_fiscal"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    SourceKind.SPECIAL_BOND: "土地储备专项债券",
    SourceKind.LAND_SALE_REVENUE: "土地出让收入",
    SourceKind.LAND_REVENUE_FUND: "国有土地收益基金",
    SourceKind.OTHER_FISCAL: "其他经批准的财政资金",
}


class Category(StrEnum):
    """Payment categories: the permitted uses of land-reserve funds, and known uses that are refused."""

    COMPENSATION = "compensation"
    DEMOLITION = "demolition"
    PRELIMINARY_DEVELOPMENT = "preliminary_development"
    LEGACY_LOANS = "legacy_loans"
    SURVEY_CUSTODY = "survey_custody"
    OTHER_APPROVED = "other_approved"
    RUNNING_COSTS = "running_costs"
    STAFF_COSTS = "staff_costs"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def permitted(self) -> bool:
        return self in PERMITTED


CATEGORY_LABELS = {
    Category.COMPENSATION: "征地拆迁补偿",
    Category.DEMOLITION: "拆除",
    Category.PRELIMINARY_DEVELOPMENT: "前期开发",
    Category.LEGACY_LOANS: "以前年度土地储备贷款利息和本金",
    Category.SURVEY_CUSTODY: "测绘/登记/评估/管护",
    Category.OTHER_APPROVED: "其他经批准的支出",
    Category.RUNNING_COSTS: "机构日常运行经费",
    Category.STAFF_COSTS: "人员经费",
}

PERMITTED = (
    Category.COMPENSATION,
    Category.DEMOLITION,
    Category.PRELIMINARY_DEVELOPMENT,
    Category.LEGACY_LOANS,
    Category.SURVEY_CUSTODY,
    Category.OTHER_APPROVED,
)

#: other spellings users write, mapped to a category
CATEGORY_ALIASES = {
    "征收补偿": Category.COMPENSATION,
    "收购补偿": Category.COMPENSATION,
    "土地补偿": Category.COMPENSATION,
    "安置补助": Category.COMPENSATION,
    "安置补偿": Category.COMPENSATION,
    "地上附着物和青苗补偿": Category.COMPENSATION,
    "青苗补偿": Category.COMPENSATION,
    "拆迁补偿": Category.COMPENSATION,
    "地上附着物拆除": Category.DEMOLITION,
    "拆除费": Category.DEMOLITION,
    "前期开发费": Category.PRELIMINARY_DEVELOPMENT,
    "贷款利息和本金": Category.LEGACY_LOANS,
    "测绘": Category.SURVEY_CUSTODY,
    "登记": Category.SURVEY_CUSTODY,
    "评估": Category.SURVEY_CUSTODY,
    "管护": Category.SURVEY_CUSTODY,
    "日常运行经费": Category.RUNNING_COSTS,
    "运行经费": Category.RUNNING_COSTS,
    "办公经费": Category.RUNNING_COSTS,
    "工资": Category.STAFF_COSTS,
}


def parse_category(text: str) -> Category:
    """A category from its key, its Chinese label or a known alias; ``InputError`` when unknown."""
    value = text.strip()
    for category in Category:
        if value in (category.value, category.label):
            return category
    if value in CATEGORY_ALIASES:
        return CATEGORY_ALIASES[value]
    allowed = "、".join(c.label for c in PERMITTED)
    raise InputError(f"支出类别“{text}”无法识别。允许的类别：{allowed}", code="funds.category_unknown")


@dataclass(frozen=True, order=True)
class Account:
    """One ledger account, identified by its kind and the source / project / parcel / category it belongs to."""

    kind: AccountKind
    source: str = ""
    project: str = ""
    parcel: str = ""
    category: str = ""

    @property
    def key(self) -> str:
        return "|".join((self.kind.value, self.source, self.project, self.parcel, self.category))

    @classmethod
    def from_key(cls, key: str) -> Account:
        kind, source, project, parcel, category = key.split("|")
        return cls(AccountKind(kind), source, project, parcel, category)

    @property
    def label(self) -> str:
        parts = [p for p in (self.source, self.project, self.parcel) if p]
        if self.category:
            parts.append(Category(self.category).label)
        return f"{ACCOUNT_LABELS[self.kind]}（{' / '.join(parts)}）"


@dataclass(frozen=True)
class Posting:
    account: Account
    amount: Decimal  # debit positive, credit negative


@dataclass(frozen=True)
class SourceRef:
    """What the rules need to know about a fund source."""

    code: str
    kind: SourceKind
    amount: Decimal

    @property
    def is_bond(self) -> bool:
        return self.kind is SourceKind.SPECIAL_BOND


@dataclass(frozen=True)
class ProjectRef:
    """What the rules need to know about a project: its bonds with the part of each that finances it (the
    first is ``bond``; ``financing`` is the total), and its parcels."""

    code: str
    bond: str
    financing: Decimal
    parcels: frozenset[str] = field(default_factory=frozenset)
    #: (bond code, financing) of every bond of the project, in the project's order
    bonds: tuple[tuple[str, Decimal], ...] = ()

    def __post_init__(self) -> None:
        if not self.bonds:
            object.__setattr__(self, "bonds", ((self.bond, self.financing),))

    @property
    def bond_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.bonds)

    def financing_of(self, bond: str) -> Decimal:
        return next((amount for code, amount in self.bonds if code == bond), ZERO)

    @property
    def bonds_text(self) -> str:
        return "、".join(self.bond_codes)


Balances = Mapping[Account, Decimal]


def balance_of(balances: Balances, account: Account) -> Decimal:
    return balances.get(account, ZERO)


def check_balanced(postings: Iterable[Posting], what: str = "分录") -> None:
    """Refuse a set of postings whose debits and credits differ."""
    postings = list(postings)
    debit = sum((p.amount for p in postings if p.amount > 0), ZERO)
    credit = -sum((p.amount for p in postings if p.amount < 0), ZERO)
    if debit != credit or not postings:
        raise RuleViolation(
            f"{what}借贷不平衡：借方合计 {format_yuan(debit)} 元，贷方合计 {format_yuan(credit)} 元，"
            f"差额 {format_yuan(debit - credit)} 元；请更正分录使借贷相等",
            reasons=[f"{p.account.label}：{format_yuan(p.amount)} 元" for p in postings],
            code="funds.unbalanced",
        )


def check_non_negative(postings: Iterable[Posting], balances: Balances) -> None:
    """Refuse postings after which an account that holds money would be below zero."""
    after: dict[Account, Decimal] = {}
    for posting in postings:
        after[posting.account] = (
            after.get(posting.account, balance_of(balances, posting.account)) + posting.amount
        )
    short = {a: v for a, v in after.items() if a.kind in NON_NEGATIVE and v < 0}
    if short:
        reasons = [f"{a.label} 记账后为 {format_yuan(v)} 元" for a, v in sorted(short.items())]
        raise RuleViolation(
            "记账后资金余额为负，已拒绝：" + "；".join(reasons) + "。请先冲销或调整依赖这笔资金的后续分录",
            reasons=reasons,
            code="funds.negative_balance",
        )


def raise_funds(source: SourceRef, amount: Decimal) -> list[Posting]:
    """Money raised by a source: the bond's proceeds, or an appropriation of fiscal funds."""
    return [
        Posting(Account(AccountKind.SOURCE_CASH, source.code), amount),
        Posting(Account(AccountKind.FUNDING, source.code), -amount),
    ]


def allocated_to_project(balances: Balances, source: str, project: str) -> Decimal:
    """Everything of ``source`` allocated to ``project``: its pool, its parcels' funds and costs."""
    kinds = (AccountKind.PROJECT_POOL, AccountKind.PARCEL_FUNDS, AccountKind.PARCEL_COST)
    return sum(
        (v for a, v in balances.items() if a.kind in kinds and a.source == source and a.project == project),
        ZERO,
    )


def allocate(
    source: SourceRef, project: ProjectRef, parcel: str | None, amount: Decimal, balances: Balances
) -> list[Posting]:
    """Allocate money of a source to a project (its pool) or to one of its parcels."""
    _require_own_bond(source, project, f"不能向其分配 {format_yuan(amount)} 元")
    _require_parcel(source, project, parcel, amount)
    cash = balance_of(balances, Account(AccountKind.SOURCE_CASH, source.code))
    if amount > cash:
        raise RuleViolation(
            f"分配 {format_yuan(amount)} 元超过{source.kind.label} {source.code} 的未分配余额 "
            f"{format_yuan(cash)} 元（来源总额 {format_yuan(source.amount)} 元）；请减少分配金额",
            code="funds.allocation_exceeds_source",
        )
    if source.is_bond:
        _check_financing(source, project, amount, balances)
    target = (
        Account(AccountKind.PARCEL_FUNDS, source.code, project.code, parcel)
        if parcel
        else Account(AccountKind.PROJECT_POOL, source.code, project.code)
    )
    return [Posting(target, amount), Posting(Account(AccountKind.SOURCE_CASH, source.code), -amount)]


def _require_own_bond(source: SourceRef, project: ProjectRef, refused: str) -> None:
    """Bond money goes only to the projects the bond finances (专款专用)."""
    if source.is_bond and source.code not in project.bond_codes:
        raise RuleViolation(
            f"专项债券 {source.code} 不为项目 {project.code} 融资（该项目的债券为 {project.bonds_text}），{refused}；"
            "专项债券资金只能用于其对应项目，请改用该项目的债券或核对项目",
            code="funds.ring_fence",
        )


def _check_financing(source: SourceRef, project: ProjectRef, amount: Decimal, balances: Balances) -> None:
    already = allocated_to_project(balances, source.code, project.code)
    financing = project.financing_of(source.code)
    if already + amount > financing:
        raise RuleViolation(
            f"项目 {project.code} 的专项债券 {source.code} 融资额为 {format_yuan(financing)} 元，"
            f"已分配 {format_yuan(already)} 元，再分配 {format_yuan(amount)} 元将超出；请减少分配金额",
            code="funds.allocation_exceeds_financing",
        )


def _require_parcel(source: SourceRef, project: ProjectRef, parcel: str | None, amount: Decimal) -> None:
    if parcel and parcel not in project.parcels:
        inside = "、".join(sorted(project.parcels)) or "无"
        raise RuleViolation(
            f"地块 {parcel} 不属于项目 {project.code}（{source.kind.label} {source.code}），"
            f"不能向其安排 {format_yuan(amount)} 元；资金封闭管理，只能用于本项目地块：{inside}",
            code="funds.ring_fence",
        )


def transfer(
    source: SourceRef,
    project: ProjectRef,
    from_parcel: str,
    to_parcel: str,
    amount: Decimal,
    balances: Balances,
) -> list[Posting]:
    """Move unspent money between two parcels of the same project (调剂); never out of the project."""
    for parcel in (from_parcel, to_parcel):
        _require_parcel(source, project, parcel, amount)
    origin = Account(AccountKind.PARCEL_FUNDS, source.code, project.code, from_parcel)
    available = balance_of(balances, origin)
    if amount > available:
        raise RuleViolation(
            f"地块 {from_parcel}（项目 {project.code}，{source.code}）可用资金 {format_yuan(available)} 元，"
            f"不足以调出 {format_yuan(amount)} 元；请减少调剂金额",
            code="funds.payment_exceeds_allocation",
        )
    target = Account(AccountKind.PARCEL_FUNDS, source.code, project.code, to_parcel)
    return [Posting(target, amount), Posting(origin, -amount)]


def check_category(category: Category, source: str, project: str, parcel: str, amount: Decimal) -> None:
    """Refuse a payment category that is not a permitted use of land-reserve funds."""
    if not category.permitted:
        allowed = "、".join(c.label for c in PERMITTED)
        raise RuleViolation(
            f"“{category.label}”不是土地储备资金的允许用途，不能从 {source} 向项目 {project} 地块 {parcel} "
            f"支付 {format_yuan(amount)} 元；允许的用途：{allowed}",
            code="funds.category_not_permitted",
        )


def pay(
    source: SourceRef,
    project: ProjectRef,
    parcel: str,
    category: Category,
    amount: Decimal,
    balances: Balances,
) -> list[Posting]:
    """A payment for a parcel: from the parcel's funds first, then from the project's pool."""
    check_category(category, source.code, project.code, parcel, amount)
    _require_own_bond(
        source, project, f"不能向地块 {parcel} 支付 {format_yuan(amount)} 元（{category.label}）"
    )
    _require_parcel(source, project, parcel, amount)
    own = Account(AccountKind.PARCEL_FUNDS, source.code, project.code, parcel)
    pool = Account(AccountKind.PROJECT_POOL, source.code, project.code)
    available_own, available_pool = balance_of(balances, own), balance_of(balances, pool)
    if amount > available_own + available_pool:
        raise RuleViolation(
            f"支付 {format_yuan(amount)} 元（{category.label}）超过已分配资金：{source.code} 分配给项目 "
            f"{project.code} 地块 {parcel} 的可用余额 {format_yuan(available_own)} 元，项目待分配余额 "
            f"{format_yuan(available_pool)} 元，合计 {format_yuan(available_own + available_pool)} 元；请先分配资金",
            code="funds.payment_exceeds_allocation",
        )
    from_own = min(amount, available_own)
    postings = [
        Posting(Account(AccountKind.PARCEL_COST, source.code, project.code, parcel, category.value), amount)
    ]
    if from_own:
        postings.append(Posting(own, -from_own))
    if amount - from_own:
        postings.append(Posting(pool, -(amount - from_own)))
    return postings


def split_by_need(amount: Decimal, needs: Iterable[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Split money among bonds in repayment order: each takes what it still needs, the last also the rest.

    >>> split_by_need(Decimal("100"), [("A", Decimal("30")), ("B", Decimal("50"))])
    [('A', Decimal('30')), ('B', Decimal('70'))]
    """
    needs = list(needs)
    result, left = [], amount
    for index, (bond, need) in enumerate(needs):
        take = left if index == len(needs) - 1 else min(left, max(need, ZERO))
        if take > 0:
            result.append((bond, take))
            left -= take
    return result


def land_sale_income(
    project: ProjectRef, parcel: str, amount: Decimal, splits: list[tuple[str, Decimal]] | None = None
) -> list[Posting]:
    """Land-sale revenue of a supplied parcel, held in the project's reserve to repay its bonds; ``splits``
    says how much goes to the reserve of each bond (default: all to the first bond)."""
    if parcel not in project.parcels:
        raise RuleViolation(
            f"地块 {parcel} 不属于项目 {project.code}（专项债券 {project.bonds_text}），其出让收入 "
            f"{format_yuan(amount)} 元不能记入该项目；请核对地块编号或项目",
            code="funds.ring_fence",
        )
    postings = []
    for bond, part in _checked_splits(project, amount, splits):
        postings.append(Posting(Account(AccountKind.REPAYMENT_RESERVE, bond, project.code), part))
        postings.append(Posting(Account(AccountKind.SALE_INCOME, bond, project.code, parcel), -part))
    return postings


def _checked_splits(
    project: ProjectRef, amount: Decimal, splits: list[tuple[str, Decimal]] | None
) -> list[tuple[str, Decimal]]:
    splits = splits or [(project.bond, amount)]
    if sum((v for _, v in splits), ZERO) != amount or any(b not in project.bond_codes for b, _ in splits):
        raise RuleViolation(
            f"项目 {project.code} 的偿债资金分配与金额 {format_yuan(amount)} 元不符，或含有不为该项目融资的债券",
            code="funds.ring_fence",
        )
    return splits


def top_up_reserve(
    source: SourceRef,
    project: ProjectRef,
    amount: Decimal,
    balances: Balances,
    splits: list[tuple[str, Decimal]] | None = None,
) -> list[Posting]:
    """Fiscal funds (国有土地收益基金, other approved fiscal funds, land-sale revenue) put into a project's
    repayment reserve, e.g. when its bond falls due before its parcels are sold. A bond cannot repay a bond."""
    if source.is_bond:
        raise RuleViolation(
            f"{source.code} 是专项债券，不能用债券资金补充项目 {project.code} 的偿债资金 {format_yuan(amount)} 元"
            "（不得借新还旧）；请改用国有土地收益基金或其他经批准的财政资金",
            code="funds.topup_from_bond",
        )
    cash = balance_of(balances, Account(AccountKind.SOURCE_CASH, source.code))
    if amount > cash:
        raise RuleViolation(
            f"补充偿债资金 {format_yuan(amount)} 元超过{source.kind.label} {source.code} 的未分配余额 "
            f"{format_yuan(cash)} 元；请减少金额或先登记资金来源",
            code="funds.allocation_exceeds_source",
        )
    postings = [
        Posting(Account(AccountKind.REPAYMENT_RESERVE, bond, project.code), part)
        for bond, part in _checked_splits(project, amount, splits)
    ]
    return [*postings, Posting(Account(AccountKind.SOURCE_CASH, source.code), -amount)]


def outstanding_principal(balances: Balances, bond: str) -> Decimal:
    """Principal still owed on a bond: the credit balance of its funding account."""
    return -balance_of(balances, Account(AccountKind.FUNDING, bond))


def repay(
    bond: SourceRef,
    principal: Decimal,
    interest: Decimal,
    reserves: Mapping[str, Decimal],
    balances: Balances,
) -> list[Posting]:
    """Repay principal and pay interest of a bond from the repayment reserves of its projects (in code order)."""
    if not bond.is_bond:
        raise RuleViolation(
            f"{bond.code} 不是专项债券（{bond.kind.label}），没有本息可偿还", code="funds.not_a_bond"
        )
    owed = outstanding_principal(balances, bond.code)
    if principal > owed:
        raise RuleViolation(
            f"偿还本金 {format_yuan(principal)} 元超过专项债券 {bond.code} 的未偿本金 {format_yuan(owed)} 元；"
            "请核对本金（可按计划期次 --instalment 偿还）",
            code="funds.repayment_exceeds_principal",
        )
    total, held = principal + interest, sum(reserves.values(), ZERO)
    if total > held:
        raise RuleViolation(
            f"专项债券 {bond.code} 还本付息 {format_yuan(total)} 元（本金 {format_yuan(principal)}，利息 "
            f"{format_yuan(interest)}），其项目偿债资金仅 {format_yuan(held)} 元；请先登记土地出让收入，"
            "或用国有土地收益基金等财政资金补充偿债资金（landreserve funds topup）",
            code="funds.repayment_exceeds_reserve",
        )
    postings = []
    if principal:
        postings.append(Posting(Account(AccountKind.FUNDING, bond.code), principal))
    if interest:
        postings.append(Posting(Account(AccountKind.INTEREST, bond.code), interest))
    return postings + _draw_reserves(bond.code, total, reserves)


def _draw_reserves(bond: str, total: Decimal, reserves: Mapping[str, Decimal]) -> list[Posting]:
    postings, left = [], total
    for project in sorted(reserves):
        take = min(left, reserves[project])
        if take > 0:
            postings.append(Posting(Account(AccountKind.REPAYMENT_RESERVE, bond, project), -take))
            left -= take
    return postings


def reverse(postings: Iterable[Posting]) -> list[Posting]:
    """The reversing postings of an entry: the same accounts, amounts negated."""
    return [Posting(p.account, -p.amount) for p in postings]


def apply(balances: Balances, postings: Iterable[Posting]) -> dict[Account, Decimal]:
    """Balances after the postings (a new mapping)."""
    result = dict(balances)
    for posting in postings:
        result[posting.account] = result.get(posting.account, ZERO) + posting.amount
    return result
