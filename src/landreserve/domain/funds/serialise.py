"""The JSON shapes of the funds reports (``--json`` of ``funds balance / cashflow / sensitivity / coverage /
bond schedule``): plain dicts, every amount and ratio a string (exact decimals, never a float), keys
documented in the README (资金与专项债券) and kept stable — ``tests/test_funds_json.py`` pins them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .balance import Balance, BreakEven, ratio_text
from .bonds import BondTerms, schedule
from .money import ZERO, format_ratio


def balance_json(result: Balance) -> dict[str, Any]:
    """One balance (a project or a bond under one scenario)."""
    return {
        "subject": result.subject,
        "scenario": {"key": result.scenario.key, "label": result.scenario.label},
        "expected_income": str(result.expected_income),
        "income_within_term": str(result.income_within_term),
        "principal": str(result.principal),
        "interest": str(result.interest),
        "debt_service": str(result.debt_service),
        "issue_costs": str(result.issue_costs),
        "ratio": None if result.ratio is None else format_ratio(result.ratio, 8),
        "ratio_shown": ratio_text(result.ratio, result.bound),
        "bound": str(result.bound),
        "below_bound": result.below_bound,
        "surplus": str(result.surplus),
        "bonds": [
            {
                "bond": a.code,
                "maturity": a.maturity.isoformat(),
                "principal": str(a.principal),
                "interest": str(a.interest),
                "debt_service": str(a.debt_service),
                "allocated": str(a.allocated),
                "shortfall": str(a.shortfall),
            }
            for a in result.bonds
        ],
        "cash_flow": [
            {
                "year": r.year,
                "interest": str(r.interest),
                "principal": str(r.principal),
                "issue_costs": str(r.issue_costs),
                "income": str(r.income),
                "net": str(r.net),
                "cumulative": str(r.cumulative),
            }
            for r in result.cash_flow
        ],
        "findings": [f.to_dict() for f in result.findings],
    }


def _text(value) -> str | None:
    return None if value is None else str(value)


def sensitivity_json(results: list[Balance], break_even: Sequence[BreakEven] = ()) -> dict[str, Any]:
    return {
        "subject": results[0].subject,
        "bound": str(results[0].bound),
        "scenarios": [balance_json(r) for r in results],
        "break_even": [
            {
                "use": b.use,
                "area_within_term": str(b.area_within_term),
                "current_price": _text(b.current_price),
                "price_for_one": _text(b.price_for_one),
                "price_for_bound": _text(b.price_for_bound),
            }
            for b in break_even
        ],
    }


def schedule_json(terms: BondTerms) -> dict[str, Any]:
    """A bond's repayment schedule under its terms (``called`` says whether the N+M call is exercised)."""
    rows = schedule(terms)
    return {
        "bond": terms.code,
        "amount": str(terms.amount),
        "issue_date": terms.issue_date.isoformat(),
        "term": terms.term_text,
        "called": terms.called,
        "maturity": terms.maturity.isoformat(),
        "coupon_percent": str(terms.coupon_percent),
        "repayment": terms.repayment.value,
        "interest_frequency": terms.interest_frequency.value,
        "issue_cost": str(terms.issue_cost),
        "instalments": [
            {
                "number": r.number,
                "due_date": r.due_date.isoformat(),
                "interest": str(r.interest),
                "principal": str(r.principal),
                "early_principal": str(r.early),
                "total": str(r.total),
                "outstanding_after": str(r.outstanding_after),
            }
            for r in rows
        ],
        "totals": {
            "interest": str(sum((r.interest for r in rows), ZERO)),
            "principal": str(sum((r.principal for r in rows), ZERO)),
        },
    }
