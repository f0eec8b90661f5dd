"""Budget lines of the government-fund budget (政府性基金预算) per project and year, against actual payments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..findings import Finding, Severity
from .ledger import Category
from .money import ZERO, format_yuan

#: (project, year, category or None for all categories)
BudgetKey = tuple[str, int, Category | None]


@dataclass(frozen=True)
class BudgetLine:
    project: str
    year: int
    category: Category | None
    amount: Decimal
    document: str


@dataclass(frozen=True)
class BudgetRow:
    """One line of the budget-against-actual table."""

    project: str
    year: int
    category: Category | None
    budget: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        return self.budget - self.actual

    @property
    def execution(self) -> Fraction | None:
        """Actual ÷ budget (预算执行率), ``None`` without a budget."""
        return Fraction(self.actual) / Fraction(self.budget) if self.budget else None

    @property
    def category_label(self) -> str:
        return self.category.label if self.category else "合计"


def actual_for(actuals: Mapping[tuple[str, int, Category], Decimal], key: BudgetKey) -> Decimal:
    """Actual payments of a project in a year, of one category or (``None``) of all."""
    project, year, category = key
    return sum(
        (v for (p, y, c), v in actuals.items() if p == project and y == year and category in (None, c)), ZERO
    )


def compare(lines: list[BudgetLine], actuals: Mapping[tuple[str, int, Category], Decimal]) -> list[BudgetRow]:
    """Budget against actual: one row per budget line, plus one per payment with no budget line that covers it."""
    rows = [BudgetRow(x.project, x.year, x.category, x.amount, actual_for(actuals, _key(x))) for x in lines]
    covered = {_key(x) for x in lines}
    for (project, year, category), value in sorted(actuals.items()):
        if (project, year, category) not in covered and (project, year, None) not in covered:
            rows.append(BudgetRow(project, year, category, ZERO, value))
    return sorted(rows, key=lambda r: (r.project, r.year, r.category is not None, r.category or ""))


def _key(line: BudgetLine) -> BudgetKey:
    return (line.project, line.year, line.category)


def budget_findings(rows: list[BudgetRow]) -> list[Finding]:
    """Payments beyond their budget line, or without any budget line."""
    findings = []
    for row in rows:
        if row.actual <= row.budget:
            continue
        what = "无预算安排" if row.budget == 0 else f"超出预算 {format_yuan(row.actual - row.budget)} 元"
        findings.append(
            Finding(
                code="funds.budget_exceeded" if row.budget else "funds.budget_missing",
                severity=Severity.WARNING,
                message=(
                    f"项目 {row.project} {row.year} 年{row.category_label}：预算 {format_yuan(row.budget)} 元，"
                    f"实际支出 {format_yuan(row.actual)} 元，{what}；请调整预算或核实支出"
                ),
                values={"budget": str(row.budget), "actual": str(row.actual)},
            )
        )
    return findings
