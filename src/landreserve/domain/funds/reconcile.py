"""Reconciliation: prove the books from the stored entries, each check with the figures behind it.

The checks compare figures derived in independent ways: the postings (what was booked on each account)
against the entry headers (the amount, source, project and parcel each entry states), so a posting
written outside the service layer, lost or altered shows up as a mismatch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .ledger import NON_NEGATIVE, Account, AccountKind, Posting, SourceRef
from .money import ZERO, format_yuan


@dataclass(frozen=True)
class EntryRecord:
    """A stored entry as the reconciliation reads it."""

    number: int
    kind: str
    amount: Decimal
    source: str
    project: str
    parcel: str
    postings: tuple[Posting, ...]
    reverses: int | None = None


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    details: tuple[str, ...] = field(default_factory=tuple)


def effective_headers(entries: list[EntryRecord]) -> list[tuple[EntryRecord, int]]:
    """Each non-reversal entry with sign +1, and each reversal as its original with sign −1."""
    by_number = {e.number: e for e in entries}
    result = []
    for entry in entries:
        if entry.reverses is None:
            result.append((entry, 1))
        elif entry.reverses in by_number:
            result.append((by_number[entry.reverses], -1))
    return result


def header_totals(entries: list[EntryRecord], kind: str) -> dict[tuple[str, str], Decimal]:
    """(source, project) → net header amount of the entries of ``kind`` (reversals subtracted)."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for entry, sign in effective_headers(entries):
        if entry.kind == kind:
            totals[(entry.source, entry.project)] += sign * entry.amount
    return dict(totals)


def account_balances(entries: list[EntryRecord]) -> dict[Account, Decimal]:
    balances: dict[Account, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        for posting in entry.postings:
            balances[posting.account] += posting.amount
    return dict(balances)


def check_entries_balance(entries: list[EntryRecord]) -> Check:
    bad = [(e.number, sum((p.amount for p in e.postings), ZERO)) for e in entries]
    bad = [(n, d) for n, d in bad if d != 0]
    details = [f"分录 {len(entries)} 笔，借贷不平衡 {len(bad)} 笔"]
    details += [f"分录 #{n} 借贷差额 {format_yuan(d)} 元" for n, d in bad]
    return Check("每笔分录借贷平衡", not bad, tuple(details))


def check_trial_balance(balances: Mapping[Account, Decimal]) -> Check:
    debit = sum((v for v in balances.values() if v > 0), ZERO)
    credit = -sum((v for v in balances.values() if v < 0), ZERO)
    negative = [(a, v) for a, v in sorted(balances.items()) if a.kind in NON_NEGATIVE and v < 0]
    details = [
        f"账户 {len(balances)} 个，借方余额合计 {format_yuan(debit)} 元，贷方余额合计 {format_yuan(credit)} 元"
    ]
    details += [f"{a.label} 余额为负：{format_yuan(v)} 元" for a, v in negative]
    return Check("总账试算平衡、资金账户无负数", debit == credit and not negative, tuple(details))


def check_allocations(entries: list[EntryRecord], sources: Mapping[str, SourceRef]) -> Check:
    allocated: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (source_code, _project), value in header_totals(entries, "allocate").items():
        allocated[source_code] += value
    details, ok = [], True
    for code, source in sorted(sources.items()):
        value = allocated.get(code, ZERO)
        fine = value <= source.amount
        ok &= fine
        details.append(
            f"{source.kind.label} {code}：金额 {format_yuan(source.amount)} 元，已分配 {format_yuan(value)} 元"
            + ("" if fine else f"，超出 {format_yuan(value - source.amount)} 元")
        )
    return Check("分配不超过来源金额", ok, tuple(details))


def check_payments(entries: list[EntryRecord]) -> Check:
    allocated, paid = header_totals(entries, "allocate"), header_totals(entries, "pay")
    details, ok = [], True
    for key in sorted(set(allocated) | set(paid)):
        a, p = allocated.get(key, ZERO), paid.get(key, ZERO)
        fine = p <= a
        ok &= fine
        details.append(
            f"{key[0]} → 项目 {key[1]}：已分配 {format_yuan(a)} 元，已支付 {format_yuan(p)} 元"
            + ("" if fine else f"，超付 {format_yuan(p - a)} 元")
        )
    return Check("支付不超过分配", ok, tuple(details))


def check_cost_levels(entries: list[EntryRecord], balances: Mapping[Account, Decimal]) -> Check:
    """Per-parcel cost accounts, summed per project, against payment headers per project, against each
    source's spending derived from its money accounts (raised − unspent; fiscal money put into a
    repayment reserve counts as spent by its source)."""
    parcel_costs: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for account, value in balances.items():
        if account.kind is AccountKind.PARCEL_COST:
            parcel_costs[(account.source, account.project)] += value
    paid, topped_up = header_totals(entries, "pay"), header_totals(entries, "topup")
    details, ok = [], True
    for source in sorted({s for s, _ in parcel_costs} | {s for s, _ in paid} | {s for s, _ in topped_up}):
        projects = sorted({p for s, p in parcel_costs if s == source} | {p for s, p in paid if s == source})
        for project in projects:
            a, b = parcel_costs.get((source, project), ZERO), paid.get((source, project), ZERO)
            ok &= a == b
            details.append(
                f"{source} 项目 {project}：地块支出合计 {format_yuan(a)} 元，项目支付合计 {format_yuan(b)} 元"
            )
        derived = _spent_from_money_accounts(entries, balances, source)
        total = sum((paid.get((source, p), ZERO) for p in projects), ZERO)
        to_reserve = sum((v for (s, _p), v in topped_up.items() if s == source), ZERO)
        ok &= derived == total + to_reserve
        details.append(
            f"{source}：各项目支付合计 {format_yuan(total)} 元"
            + (f"，补充偿债资金 {format_yuan(to_reserve)} 元" if to_reserve else "")
            + f"，来源资金减少额 {format_yuan(derived)} 元"
        )
    return Check("地块支出合计 = 项目支出合计 = 来源支出合计", ok, tuple(details))


def _spent_from_money_accounts(
    entries: list[EntryRecord], balances: Mapping[Account, Decimal], source: str
) -> Decimal:
    """Raised − still unspent (unallocated cash, project pools, parcel funds), from account balances.

    The funding account's credit is the money raised less principal repaid, so repayments are added back.
    """
    funding = Account(AccountKind.FUNDING, source)
    kinds = {e.number: e.kind for e in entries}
    repaid = sum(
        (
            p.amount
            for e in entries
            if kinds.get(e.reverses if e.reverses is not None else e.number) == "repay"
            for p in e.postings
            if p.account == funding
        ),
        ZERO,
    )
    raised = -balances.get(funding, ZERO) + repaid
    unspent_kinds = (AccountKind.SOURCE_CASH, AccountKind.PROJECT_POOL, AccountKind.PARCEL_FUNDS)
    unspent = sum((v for a, v in balances.items() if a.kind in unspent_kinds and a.source == source), ZERO)
    return raised - unspent


def reconcile(entries: list[EntryRecord], sources: Mapping[str, SourceRef]) -> list[Check]:
    """Every check of the books, in the order they are reported."""
    balances = account_balances(entries)
    return [
        check_entries_balance(entries),
        check_trial_balance(balances),
        check_allocations(entries, sources),
        check_payments(entries),
        check_cost_levels(entries, balances),
    ]
