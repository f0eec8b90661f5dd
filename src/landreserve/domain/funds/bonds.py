"""Special-bond terms and their repayment schedules (bullet or amortising; interest yearly or half-yearly).

Conventions (stated so that a spreadsheet can reproduce every figure):

- interest of a period = outstanding principal at the start of the period × coupon rate ÷ periods per
  year, rounded half-up to the 分 (each payment separately);
- *bullet* (到期一次还本): the whole principal is repaid on the last interest date;
- *amortising* (分年等额还本): the principal is repaid in equal yearly parts on each anniversary of the
  issue date, each part rounded down to the 分, the last part taking the remainder;
- payment dates are the issue date plus whole periods of 12 or 6 months (a 31st becomes the month's end).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from ...errors import InputError
from .money import ZERO, money, round_fen


class Repayment(StrEnum):
    BULLET = "bullet"
    AMORTISING = "amortising"

    @property
    def label(self) -> str:
        return {"bullet": "到期一次还本", "amortising": "分年等额还本"}[self.value]


class InterestFrequency(StrEnum):
    YEARLY = "yearly"
    HALF_YEARLY = "half_yearly"

    @property
    def label(self) -> str:
        return {"yearly": "按年付息", "half_yearly": "按半年付息"}[self.value]

    @property
    def periods_per_year(self) -> int:
        return 1 if self is InterestFrequency.YEARLY else 2


@dataclass(frozen=True)
class BondTerms:
    """The terms of one special bond (or of the part of it that finances one project).

    ``coupon_percent`` is the yearly coupon in percent (``Decimal("3")`` = 3 %).
    """

    code: str
    amount: Decimal
    issue_date: date
    term_years: int
    coupon_percent: Decimal
    repayment: Repayment = Repayment.BULLET
    interest_frequency: InterestFrequency = InterestFrequency.YEARLY

    def __post_init__(self) -> None:
        money(self.amount)
        if self.amount <= 0:
            raise InputError(
                f"债券 {self.code} 的金额必须大于零，收到 {self.amount} 元", code="funds.bond_amount"
            )
        if not 1 <= self.term_years <= 50:
            raise InputError(
                f"债券 {self.code} 的期限 {self.term_years} 年不合理（应为 1–50 年）", code="funds.bond_term"
            )
        if isinstance(self.coupon_percent, float) or not Decimal(0) <= self.coupon_percent < 100:
            raise InputError(
                f"债券 {self.code} 的票面利率 {self.coupon_percent}% 不合理（应在 0–100 之间）",
                code="funds.bond_rate",
            )

    @property
    def periods(self) -> int:
        return self.term_years * self.interest_frequency.periods_per_year

    @property
    def maturity(self) -> date:
        return add_months(self.issue_date, 12 * self.term_years)

    def with_amount(self, amount: Decimal) -> BondTerms:
        """The same terms for another principal (a project's share of the bond)."""
        return replace(self, amount=amount)

    def with_rate_shift(self, points: Decimal) -> BondTerms:
        """The same terms with the coupon moved by ``points`` percentage points."""
        return replace(self, coupon_percent=self.coupon_percent + points)


@dataclass(frozen=True)
class Instalment:
    """One payment date of a schedule."""

    number: int
    due_date: date
    interest: Decimal
    principal: Decimal
    outstanding_after: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the end of a shorter month."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def principal_parts(amount: Decimal, years: int) -> list[Decimal]:
    """Equal yearly principal parts rounded down to the 分; the last part takes the remainder."""
    part = Decimal(Fraction(amount) * 100 // years).scaleb(-2)
    return [part] * (years - 1) + [amount - part * (years - 1)]


def schedule(terms: BondTerms) -> tuple[Instalment, ...]:
    """The repayment schedule of a bond: one instalment per interest date.

    Examples
    --------
    >>> t = BondTerms("B", Decimal("1000"), date(2026, 3, 1), 2, Decimal("3"))
    >>> [(i.due_date.isoformat(), str(i.interest), str(i.principal)) for i in schedule(t)]
    [('2027-03-01', '30.00', '0.00'), ('2028-03-01', '30.00', '1000.00')]
    """
    per_year = terms.interest_frequency.periods_per_year
    rate = Fraction(terms.coupon_percent) / 100 / per_year
    parts = principal_parts(terms.amount, terms.term_years)
    outstanding = terms.amount
    rows = []
    for number in range(1, terms.periods + 1):
        interest = round_fen(Fraction(outstanding) * rate)
        principal = _principal_due(terms, parts, number, outstanding)
        outstanding -= principal
        due = add_months(terms.issue_date, number * 12 // per_year)
        rows.append(Instalment(number, due, interest, principal, outstanding))
    return tuple(rows)


def _principal_due(terms: BondTerms, parts: list[Decimal], number: int, outstanding: Decimal) -> Decimal:
    per_year = terms.interest_frequency.periods_per_year
    if terms.repayment is Repayment.BULLET:
        return outstanding if number == terms.periods else ZERO
    return parts[number // per_year - 1] if number % per_year == 0 else ZERO


def debt_service(terms: BondTerms) -> tuple[Decimal, Decimal]:
    """(total principal, total interest) over the term."""
    rows = schedule(terms)
    return sum((r.principal for r in rows), ZERO), sum((r.interest for r in rows), ZERO)


def yearly_debt_service(terms: BondTerms) -> dict[int, tuple[Decimal, Decimal]]:
    """Calendar year → (interest, principal) due in that year."""
    years: dict[int, tuple[Decimal, Decimal]] = {}
    for row in schedule(terms):
        interest, principal = years.get(row.due_date.year, (ZERO, ZERO))
        years[row.due_date.year] = (interest + row.interest, principal + row.principal)
    return years
