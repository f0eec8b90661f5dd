"""The money of one register parcel: the ledger entries booked on it and their net totals by kind
(allocated, paid by category, income). Read-only; reversals count against what they reverse."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from ..domain.funds.ledger import Category
from ..domain.register import normalise_code
from ..storage.db import reading
from ..storage.funds_tables import FundEntryRow
from .context import Context
from .ledger import EntryView, entry_view

ZERO = Decimal(0)


@dataclass(frozen=True)
class ParcelMoney:
    code: str
    entries: list[EntryView]
    #: entry kind → net amount (reversals subtracted)
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    #: payment category label → net amount paid
    paid_by_category: dict[str, Decimal] = field(default_factory=dict)

    @property
    def paid(self) -> Decimal:
        return self.by_kind.get("pay", ZERO)


def parcel_money(ctx: Context, code: str) -> ParcelMoney:
    code = normalise_code(code)
    with reading(ctx.engine) as session:
        rows = list(
            session.scalars(
                select(FundEntryRow).where(FundEntryRow.parcel_code == code).order_by(FundEntryRow.id)
            )
        )
        entries = [entry_view(r) for r in rows]
    # a reversal carries the parcel of the entry it reverses, so both are among the rows
    originals = {r.id: r for r in rows}
    by_kind: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    for r in rows:
        original = originals.get(r.reverses_id) if r.kind == "reversal" else None
        kind, category, sign = (original.kind, original.category, -1) if original else (r.kind, r.category, 1)
        by_kind[kind] = by_kind.get(kind, ZERO) + sign * r.amount
        if kind == "pay" and category:
            label = Category(category).label
            paid[label] = paid.get(label, ZERO) + sign * r.amount
    return ParcelMoney(code, entries, by_kind, paid)
