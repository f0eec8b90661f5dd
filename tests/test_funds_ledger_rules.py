"""The pure ledger and money rules: amount parsing, categories, and a property test that any sequence of
operations the rules accept keeps every entry balanced, every money account non-negative, and the
reconciliation green."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.funds import ledger as L
from landreserve.domain.funds import reconcile as R
from landreserve.domain.funds.money import format_wan, format_yuan, parse_amount, round_fen
from landreserve.errors import InputError, RuleViolation


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("0.75亿元", "75000000.00"),
        ("7,500万元", "75000000.00"),
        ("７５００万元", "75000000.00"),
        ("1234.5", "1234.50"),
        ("12.3456万元", "123456.00"),
        ("0.01", "0.01"),
        ("-3元", "-3.00"),
    ],
)
def test_amounts_are_read_exactly(text, yuan):
    assert parse_amount(text) == D(yuan)


@pytest.mark.parametrize("text", ["1.001", "0.123456789万元", "abc", "12 美元", "1e5"])
def test_amounts_finer_than_a_fen_or_unreadable_are_refused(text):
    with pytest.raises(InputError, match=text.replace(".", r"\.").split(" ")[0]):
        parse_amount(text)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_amounts_round_trip_through_text(cents):
    amount = D(cents).scaleb(-2)
    assert parse_amount(format_yuan(amount)) == amount
    assert parse_amount(f"{format_wan(amount)}万元".replace(",", "")) == amount
    assert round_fen(amount) == amount


def test_categories_by_label_key_or_alias():
    assert L.parse_category("征地拆迁补偿") is L.Category.COMPENSATION
    assert L.parse_category("青苗补偿") is L.Category.COMPENSATION
    assert L.parse_category("demolition") is L.Category.DEMOLITION
    assert L.parse_category("测绘/登记/评估/管护") is L.Category.SURVEY_CUSTODY
    assert not L.parse_category("机构日常运行经费").permitted and not L.parse_category("人员经费").permitted
    with pytest.raises(InputError, match="征地拆迁补偿、拆除、前期开发"):
        L.parse_category("招待费")


SOURCE = L.SourceRef("A", L.SourceKind.SPECIAL_BOND, D("1000.00"))
PROJECT = L.ProjectRef("P", "A", D("800.00"), frozenset({"X1", "X2", "X3"}))
PARCELS = ["X1", "X2", "X3", "Y9"]
money = st.integers(min_value=1, max_value=60000).map(lambda c: D(c).scaleb(-2))
operation = st.one_of(
    st.tuples(st.just("allocate"), st.sampled_from([None, *PARCELS]), money),
    st.tuples(st.just("pay"), st.sampled_from(PARCELS), money, st.sampled_from(list(L.Category))),
    st.tuples(st.just("transfer"), st.sampled_from(PARCELS), st.sampled_from(PARCELS), money),
    st.tuples(st.just("income"), st.sampled_from(PARCELS), money),
    st.tuples(st.just("repay"), money, money),
    st.tuples(st.just("reverse"), st.integers(0, 40)),
)


def _postings(op, balances, entries):
    kind = op[0]
    if kind == "allocate":
        return L.allocate(SOURCE, PROJECT, op[1], op[2], balances), op[2], op[1] or ""
    if kind == "pay":
        return L.pay(SOURCE, PROJECT, op[1], op[3], op[2], balances), op[2], op[1]
    if kind == "transfer":
        return L.transfer(SOURCE, PROJECT, op[1], op[2], op[3], balances), op[3], op[2]
    if kind == "income":
        return L.land_sale_income(PROJECT, op[1], op[2]), op[2], op[1]
    if kind == "repay":
        reserves = {a.project: v for a, v in balances.items() if a.kind is L.AccountKind.REPAYMENT_RESERVE}
        return L.repay(SOURCE, op[1], op[2], reserves, balances), op[1] + op[2], ""
    target = entries[op[1] % len(entries)]
    if target.kind in ("raise", "reversal") or any(e.reverses == target.number for e in entries):
        raise RuleViolation("not reversible")
    return L.reverse(target.postings), target.amount, target.parcel


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, max_size=40))
def test_accepted_operations_keep_the_books_sound(ops):
    """Two allocations first so that payments, moves and repayments have money to work with."""
    first = L.raise_funds(SOURCE, SOURCE.amount)
    entries = [R.EntryRecord(1, "raise", SOURCE.amount, "A", "", "", tuple(first))]
    balances = L.apply({}, first)
    for op in [("allocate", None, D("300.00")), ("allocate", "X1", D("100.00")), *ops]:
        try:
            postings, amount, parcel = _postings(op, balances, entries)
            L.check_balanced(postings)
            L.check_non_negative(postings, balances)
        except RuleViolation:
            continue
        reverses = entries[op[1] % len(entries)].number if op[0] == "reverse" else None
        kind = "reversal" if reverses else op[0]
        project = "" if kind == "repay" else "P"
        entries.append(
            R.EntryRecord(len(entries) + 1, kind, amount, "A", project, parcel, tuple(postings), reverses)
        )
        balances = L.apply(balances, postings)
    assert all(v >= 0 for a, v in balances.items() if a.kind in L.NON_NEGATIVE)
    assert not any(a.parcel == "Y9" for a in balances)  # never inside the ring-fence
    checks = R.reconcile(entries, {"A": SOURCE})
    assert all(c.ok for c in checks), [(c.name, c.details) for c in checks if not c.ok]
    assert L.allocated_to_project(balances, "A", "P") <= PROJECT.financing


@pytest.mark.parametrize("module", ["money", "bonds"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"landreserve.domain.funds.{module}"))
    assert result.attempted > 0 and result.failed == 0
