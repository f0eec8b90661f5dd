"""Read-only use cases of funds: book positions of projects and bonds, balance (coverage, cash flow,
sensitivity), budget against actual, and the reconciliation of the books."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..domain.findings import Finding
from ..domain.funds import balance as fb
from ..domain.funds import reconcile as fr
from ..domain.funds.budget import BudgetLine, BudgetRow, budget_findings, compare
from ..domain.funds.ledger import Account, AccountKind, Category, Posting, SourceKind
from ..domain.funds.money import ZERO
from ..errors import NotFoundError, RuleViolation
from ..storage.db import reading
from ..storage.funds_tables import (
    FundBudgetLineRow,
    FundEntryRow,
    FundPostingRow,
    FundProjectRow,
    FundSourceRow,
)
from .context import Context
from .funds import (
    bond_terms,
    current_prices,
    get_project,
    get_source,
    load_balances,
    net_total,
    project_bond_codes,
    project_bonds,
    project_terms,
)
from .ledger import source_amounts


@dataclass(frozen=True)
class ParcelPosition:
    parcel: str
    paid: dict[Category, Decimal]
    available: Decimal
    income: Decimal

    @property
    def paid_total(self) -> Decimal:
        return sum(self.paid.values(), ZERO)

    @property
    def placed(self) -> Decimal:
        """Money put on the parcel: paid plus still available."""
        return self.paid_total + self.available


@dataclass(frozen=True)
class ProjectPosition:
    project: str
    source: str
    financing: Decimal
    pool: Decimal
    parcels: tuple[ParcelPosition, ...]
    reserve: Decimal
    #: money of this (fiscal) source put into the project's repayment reserve (``funds topup``)
    to_reserve: Decimal = ZERO

    @property
    def allocated(self) -> Decimal:
        return self.pool + sum((p.placed for p in self.parcels), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((p.paid_total for p in self.parcels), ZERO)

    @property
    def available(self) -> Decimal:
        return self.pool + sum((p.available for p in self.parcels), ZERO)

    @property
    def income(self) -> Decimal:
        return sum((p.income for p in self.parcels), ZERO)


@dataclass(frozen=True)
class SourcePosition:
    code: str
    kind: SourceKind
    amount: Decimal
    unallocated: Decimal
    outstanding: Decimal
    interest_paid: Decimal
    projects: tuple[ProjectPosition, ...] = field(default_factory=tuple)
    #: fiscal money of this source put into projects' repayment reserves (``funds topup``)
    to_reserve: Decimal = ZERO

    @property
    def allocated(self) -> Decimal:
        return sum((p.allocated for p in self.projects), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((p.paid for p in self.projects), ZERO)

    @property
    def principal_repaid(self) -> Decimal:
        return self.amount - self.outstanding

    @property
    def reserve(self) -> Decimal:
        return sum((p.reserve for p in self.projects), ZERO)

    @property
    def income(self) -> Decimal:
        return sum((p.income for p in self.projects), ZERO)


def _project_position(
    balances: dict[Account, Decimal], source: str, project: FundProjectRow
) -> ProjectPosition:
    def get(kind: AccountKind, parcel: str = "", category: str = "") -> Decimal:
        return balances.get(Account(kind, source, project.code, parcel, category), ZERO)

    own = {link.bond.code: link.financing for link in project_bonds(project)}
    parcels = []
    for row in project.parcels:
        code = row.parcel_code
        paid = {c: get(AccountKind.PARCEL_COST, code, c.value) for c in Category}
        paid = {c: v for c, v in paid.items() if v}
        income = -get(AccountKind.SALE_INCOME, code) if source in own else ZERO
        parcels.append(ParcelPosition(code, paid, get(AccountKind.PARCEL_FUNDS, code), income))
    reserve = get(AccountKind.REPAYMENT_RESERVE) if source in own else ZERO
    return ProjectPosition(
        project.code, source, own.get(source, ZERO), get(AccountKind.PROJECT_POOL), tuple(parcels), reserve
    )


def _source_position(
    session: Session, source: FundSourceRow, projects: list[FundProjectRow]
) -> SourcePosition:
    balances = load_balances(session, {source.code})
    funding = balances.get(Account(AccountKind.FUNDING, source.code), ZERO)
    positions = tuple(
        _project_position(balances, source.code, p)
        for p in projects
        if source.code in project_bond_codes(p) or any(a.project == p.code for a in balances)
    )
    return SourcePosition(
        source.code,
        SourceKind(source.kind),
        source.amount,
        balances.get(Account(AccountKind.SOURCE_CASH, source.code), ZERO),
        -funding if source.kind == SourceKind.SPECIAL_BOND else ZERO,
        balances.get(Account(AccountKind.INTEREST, source.code), ZERO),
        positions,
        net_total(session, "topup", FundEntryRow.source_code == source.code),
    )


def _all_projects(session: Session) -> list[FundProjectRow]:
    query = select(FundProjectRow).options(selectinload(FundProjectRow.parcels)).order_by(FundProjectRow.code)
    return list(session.scalars(query))


def source_position(ctx: Context, code: str) -> SourcePosition:
    """The books of one source (a bond or fiscal funds): raised, unallocated, per project and parcel."""
    with reading(ctx.engine) as session:
        return _source_position(session, get_source(session, code), _all_projects(session))


def project_positions(ctx: Context, code: str) -> list[ProjectPosition]:
    """The books of one project, one position per source that put money into it (its bond first)."""
    with reading(ctx.engine) as session:
        project = get_project(session, code)
        bonds = project_bond_codes(project)
        sources = bonds + sorted(
            set(
                session.scalars(
                    select(FundEntryRow.source_code).where(FundEntryRow.project_code == project.code)
                )
            )
            - set(bonds)
        )
        return [
            replace(
                _project_position(load_balances(session, {s}), s, project),
                to_reserve=net_total(
                    session, "topup", FundEntryRow.source_code == s, FundEntryRow.project_code == project.code
                ),
            )
            for s in sources
        ]


# --- balance ----------------------------------------------------------------------------------------


def parcel_incomes(
    session: Session, project: FundProjectRow, share: Fraction = Fraction(1)
) -> list[fb.ParcelIncome]:
    prices = current_prices(session, project.id)
    result = []
    for row in project.parcels:
        price = prices.get(row.use or "")
        result.append(
            fb.ParcelIncome(
                row.parcel_code,
                row.area_m2,
                row.use,
                price.price_per_m2 if price else None,
                price.basis if price else None,
                row.supply_year,
                share,
            )
        )
    return result


def _scenario(key: str) -> fb.Scenario:
    for scenario in fb.ALL_SCENARIOS:
        if scenario.key == key:
            return scenario
    known = "、".join(f"{s.key}（{s.label}）" for s in fb.ALL_SCENARIOS)
    raise NotFoundError(f"情景 {key} 不存在；可选：{known}", code="funds.scenario_not_found")


def _subject(session: Session, subject: str):
    """(label, bond terms, parcels) of a project (its part of each of its bonds) or of a whole bond.

    A bond's balance counts the income of the projects it finances; of a project that several bonds
    finance, the bond's part of the project's financing (pro rata), since the project's own balance is
    where that income is allocated to its bonds in repayment order.
    """
    project = session.scalar(select(FundProjectRow).where(FundProjectRow.code == subject.strip()))
    if project is not None:
        return f"项目 {project.code}", project_terms(project), parcel_incomes(session, project)
    source = get_source(session, subject)
    terms = bond_terms(source)
    if terms is None:
        raise RuleViolation(f"{source.code} 不是专项债券，没有本息可平衡", code="funds.not_a_bond")
    parcels = []
    for project in session.scalars(select(FundProjectRow).order_by(FundProjectRow.code)):
        links = {link.bond.code: link.financing for link in project_bonds(project)}
        if source.code in links:
            share = Fraction(links[source.code]) / Fraction(sum(links.values(), ZERO))
            parcels += parcel_incomes(session, project, share)
    return f"专项债券 {source.code}", terms, parcels


def balance(ctx: Context, subject: str, scenario: str = "base") -> fb.Balance:
    """Coverage ratio and cash flow of a project (its share of the bond) or of a bond, under a scenario."""
    with reading(ctx.engine) as session:
        label, terms, parcels = _subject(session, subject)
        return fb.balance(label, terms, parcels, ctx.settings.coverage_bound, _scenario(scenario))


def sensitivity(ctx: Context, subject: str) -> list[fb.Balance]:
    """The balance of a project or bond under every scenario (income −10/−20/−30 %, delays, rate +1 pt)."""
    with reading(ctx.engine) as session:
        label, terms, parcels = _subject(session, subject)
        return fb.sensitivity(label, terms, parcels, ctx.settings.coverage_bound)


def break_even(ctx: Context, subject: str) -> list[fb.BreakEven]:
    """Per use, the expected price at which the base ratio of a project or bond reaches 1.0 and the bound."""
    with reading(ctx.engine) as session:
        _label, terms, parcels = _subject(session, subject)
        return fb.break_even(terms, parcels, ctx.settings.coverage_bound)


def coverage(ctx: Context) -> list[fb.Balance]:
    """The base balance of every project (in code order)."""
    with reading(ctx.engine) as session:
        codes = list(session.scalars(select(FundProjectRow.code).order_by(FundProjectRow.code)))
    return [balance(ctx, code) for code in codes]


def coverage_findings(ctx: Context) -> list[Finding]:
    """A finding for every project whose base coverage ratio is below the bound (or that lacks data)."""
    return [f for result in coverage(ctx) for f in result.findings]


# --- budget -----------------------------------------------------------------------------------------


def budget_vs_actual(
    ctx: Context, *, project: str | None = None, year: int | None = None
) -> tuple[list[BudgetRow], list[Finding]]:
    """Budget lines (newest revision of each) against actual payments (net of reversals) by year and category."""
    with reading(ctx.engine) as session:
        lines = _budget_lines(session)
        actuals = _actual_payments(session)
    lines = [x for x in lines if (project in (None, x.project)) and (year in (None, x.year))]
    actuals = {k: v for k, v in actuals.items() if (project in (None, k[0])) and (year in (None, k[1]))}
    rows = compare(lines, actuals)
    return rows, budget_findings(rows)


def _budget_lines(session: Session) -> list[BudgetLine]:
    rows = session.execute(
        select(FundBudgetLineRow, FundProjectRow.code)
        .join(FundProjectRow, FundProjectRow.id == FundBudgetLineRow.project_id)
        .order_by(FundBudgetLineRow.revision)
    ).all()
    newest = {(code, r.year, r.category): (r, code) for r, code in rows}
    return [
        BudgetLine(code, r.year, Category(r.category) if r.category else None, r.amount, r.document)
        for r, code in newest.values()
    ]


def _actual_payments(session: Session) -> dict[tuple[str, int, Category], Decimal]:
    entries = list(session.scalars(select(FundEntryRow).order_by(FundEntryRow.id)))
    kinds = {e.id: e.kind for e in entries}
    actuals: dict[tuple[str, int, Category], Decimal] = defaultdict(lambda: ZERO)
    for e in entries:
        sign = (
            1 if e.kind == "pay" else -1 if e.kind == "reversal" and kinds.get(e.reverses_id) == "pay" else 0
        )
        if sign:
            actuals[(e.project_code, e.value_date.year, Category(e.category))] += sign * e.amount
    return dict(actuals)


# --- reconciliation ---------------------------------------------------------------------------------


def reconcile(ctx: Context) -> list[fr.Check]:
    """Every check of the books (see ``domain.funds.reconcile``), from the stored entries and postings."""
    with reading(ctx.engine) as session:
        entries = list(session.scalars(select(FundEntryRow).order_by(FundEntryRow.id)))
        postings: dict[int, list[Posting]] = defaultdict(list)
        query = (
            select(FundPostingRow).options(selectinload(FundPostingRow.account)).order_by(FundPostingRow.id)
        )
        for row in session.scalars(query):
            postings[row.entry_id].append(Posting(Account.from_key(row.account.key), row.amount))
        records = [
            fr.EntryRecord(
                e.id,
                e.kind,
                e.amount,
                e.source_code,
                e.project_code,
                e.parcel_code,
                tuple(postings[e.id]),
                e.reverses_id,
            )
            for e in entries
        ]
        return fr.reconcile(records, source_amounts(session))
