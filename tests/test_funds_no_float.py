"""Money never passes through a float: a static scan of every funds module, and run-time checks.

The scan parses each module of ``domain/funds/``, ``services/funds*.py``, ``services/ledger.py``,
``services/bonds.py``, ``storage/funds_tables.py`` and ``cli/funds*.py`` and fails on every way a Python
float can be *made* inside them:

1. a float literal (``0.5``, ``1e3``);
2. any use of the name ``float`` (``float(x)``, ``isinstance(x, float)`` is allowed only as a refusal
   guard, i.e. inside an ``isinstance`` call);
3. a floating-point column or type (``Float``, ``Double``, ``REAL``, ``FLOAT``, ``DOUBLE_PRECISION``);
4. true division ``/`` (and ``/=``) or a power ``**`` whose left operand is not provably exact. Only a
   call to ``Decimal(...)`` or ``Fraction(...)``, or another ``/``, ``*``, ``**``, ``+`` or ``-`` whose own
   left operand is provably exact, counts as exact. This is sound: ``Decimal`` and ``Fraction`` divided
   by an int stay exact, mixing them with each other raises ``TypeError``, and a float operand cannot
   exist by 1.–3. (``int / int`` and ``int ** -n`` are the only float-producing operators on ints, and
   both are caught here because an int operand is never a ``Decimal``/``Fraction`` call);
5. imports of ``math``, ``statistics``, ``numpy`` or ``random`` (float-returning libraries), and SQL
   aggregates ``func.sum`` / ``func.avg`` / ``func.total`` (SQLite would add the text-stored decimals as
   floats; sums are made in Python from ``Decimal`` values instead).

Floats arriving from outside (a caller passing ``0.1``) are refused at run time, tested below.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from landreserve.domain.funds.money import money, parse_amount, round_fen

SRC = Path(__file__).resolve().parent.parent / "src" / "landreserve"
MODULES = sorted(
    [
        *(SRC / "domain" / "funds").glob("*.py"),
        *(SRC / "services").glob("funds*.py"),
        SRC / "services" / "ledger.py",
        SRC / "services" / "bonds.py",
        SRC / "services" / "fund_records.py",
        SRC / "importers" / "fund_records.py",
        SRC / "storage" / "funds_tables.py",
        *(SRC / "cli").glob("funds*.py"),
    ]
)
FLOAT_TYPES = {"Float", "Double", "REAL", "FLOAT", "DOUBLE", "DOUBLE_PRECISION"}
FLOAT_MODULES = {"math", "statistics", "numpy", "random"}
SQL_AGGREGATES = {"sum", "avg", "total"}
EXACT_CALLS = {"Decimal", "Fraction"}


def _exact(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in EXACT_CALLS
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Mult | ast.Pow | ast.Add | ast.Sub):
        return _exact(node.left)
    return False


def _guard(parents: dict[ast.AST, ast.AST], node: ast.AST) -> bool:
    """``float`` used inside ``isinstance(...)``: a refusal of floats, not a conversion."""
    parent = parents.get(node)
    while isinstance(parent, ast.BinOp | ast.Tuple):
        parent = parents.get(parent)
    return (
        isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "isinstance"
    )


def float_problems(source: str) -> list[str]:
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    problems = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            problems.append(f"{line}: float literal {node.value!r}")
        elif isinstance(node, ast.Name) and node.id == "float" and not _guard(parents, node):
            problems.append(f"{line}: use of float")
        elif (
            isinstance(node, ast.Name | ast.Attribute)
            and (getattr(node, "id", None) or node.attr) in FLOAT_TYPES
        ):
            problems.append(f"{line}: floating-point column type")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Pow) and not _exact(node.left):
            problems.append(f"{line}: {type(node.op).__name__} of a value not provably Decimal/Fraction")
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Div):
            problems.append(f"{line}: /= (may produce a float)")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if getattr(node, "module", None) else [])
            problems += [f"{line}: imports {n}" for n in names if n.split(".")[0] in FLOAT_MODULES]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in SQL_AGGREGATES
            and isinstance(node.value, ast.Name)
            and node.value.id == "func"
        ):
            problems.append(f"{line}: SQL aggregate func.{node.attr} on stored decimals")
    return problems


def test_the_scan_covers_the_funds_modules():
    names = {p.name for p in MODULES}
    assert {"money.py", "bonds.py", "ledger.py", "balance.py", "budget.py", "reconcile.py"} <= names
    assert {"funds.py", "funds_reports.py", "funds_tables.py", "bonds.py"} <= names
    assert len([p for p in MODULES if p.parent.name == "cli"]) == 3  # funds, funds_sources, funds_reports


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_float_in_funds_code(path):
    assert float_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "x = 0.5",
        "y = float(a)",
        "c = Column(Float)",
        "r = a / 100",
        "r = total / count",
        "r = 10 ** -2",
        "a /= 3",
        "import math",
        "q = select(func.sum(Row.amount))",
        "r = (Decimal(a) + b) * c / d / e + f / g",
    ],
)
def test_the_scan_catches_each_way_to_make_a_float(snippet):
    assert float_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "r = Fraction(a) / 100 / n",
        "r = Decimal(a) / Decimal(b)",
        "s = Fraction(10) ** n",
        "ok = isinstance(v, float | bool)",
        "q = a // b",
    ],
)
def test_the_scan_accepts_exact_arithmetic(snippet):
    assert float_problems(snippet) == []


def test_money_refuses_floats_at_run_time():
    for call in (lambda: money(0.1), lambda: round_fen(0.1)):
        with pytest.raises(TypeError, match="浮点"):
            call()
    assert parse_amount("0.1") == Decimal("0.10") and parse_amount("0.1").as_tuple().exponent == -2
