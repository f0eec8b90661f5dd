"""Two payments at the same moment that each fit but not together: exactly one is booked (the source row
is locked for the whole write on PostgreSQL; SQLite write transactions are serialised)."""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal as D

import pytest

from actors import STAFF
from funds_samples import BACHU_PARCELS, approve, insert_plan, row_counts
from landreserve.domain.funds.bonds import BondTerms
from landreserve.domain.funds.ledger import Category
from landreserve.errors import ConflictError, RuleViolation
from landreserve.services import bonds, funds, funds_reports, ledger
from landreserve.storage.funds_tables import FundSourceRow


@pytest.fixture
def actor():
    """The funds are kept by the finance bureau (domain.permissions)."""
    return STAFF["finance"]


def test_concurrent_payments_never_overspend(ctx):
    approve(ctx, insert_plan(ctx, BACHU_PARCELS))
    bonds.add_bond(ctx, BondTerms("A", D("1000"), date(2026, 3, 1), 3, D("3")), "协议")
    funds.add_project(ctx, "PA", "A", 1, ["BC-CB2026001", "BC-CB2026002"])
    ledger.allocate(ctx, "A", "PA", D("1000"), "分配")
    start, outcomes = threading.Barrier(4), []

    def pay(parcel: str) -> None:
        start.wait()
        try:
            ledger.pay(ctx, parcel, Category.COMPENSATION, D("600"), f"协议-{parcel}")
            outcomes.append("booked")
        except RuleViolation as refused:
            outcomes.append(refused.code)

    threads = [threading.Thread(target=pay, args=(p,)) for p in ("BC-CB2026001", "BC-CB2026002") * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked"] + ["funds.payment_exceeds_allocation"] * 3
    [position] = funds_reports.project_positions(ctx, "PA")
    assert (position.paid, position.available) == (D("600"), D("400"))
    assert all(check.ok for check in funds_reports.reconcile(ctx))


def test_a_code_taken_by_someone_else_meanwhile_is_a_conflict_and_nothing_is_written(ctx):
    """The second of two users registering one bond code passed the existence check before the first
    committed; the database's unique key stops it, and the user gets a Chinese conflict, not a crash."""
    bonds.add_bond(ctx, BondTerms("A", D("1000"), date(2026, 3, 1), 3, D("3")), "协议")
    before = row_counts(ctx)
    with pytest.raises(ConflictError, match="登记专项债券 A 时有他人同时登记了同一编号") as conflict:
        with funds.writing(ctx, "登记专项债券 A") as session:  # as add_bond writes, after its check passed
            session.add(FundSourceRow(code="A", kind="special_bond", amount=D("1000"), document="协议2",
                                      created_at=datetime(2026, 3, 1), created_by="王五"))  # fmt: skip
    assert conflict.value.code == "funds.concurrent_change"
    assert row_counts(ctx) == before
