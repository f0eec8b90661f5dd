"""Special-bond terms and their repayment schedules.

Conventions (stated so that a spreadsheet can reproduce every figure):

- interest of a period = outstanding principal at the start of the period × coupon rate ÷ periods per
  year, rounded half-up to the 分 (each payment separately);
- principal is repaid on anniversaries of the issue date (the yearly interest dates), in one of these ways:

  * *bullet* (到期一次还本): the whole principal on the last interest date;
  * *amortising* (分年等额还本): equal yearly parts, each rounded down to the 分, the last taking the rest;
  * *shares* (按约定比例还本): stated percentages of the principal in stated years of the term (e.g. 20 % in
    years 3 and 4, 60 % in year 5; they add up to 100 %), each rounded down to the 分, the last stated year
    taking the rest;

- *callable* ``N+M`` (e.g. ``5+2``): the term is N+M years and the issuer may redeem after N years. The call
  is a scenario: exercised (``called``), all principal still outstanding is repaid on the N-th anniversary
  and the bond ends there; not exercised, the schedule runs its N+M years;
- *partial early repayment* (提前偿还部分本金): an amount repaid on an interest date, on top of what is due
  then; it lowers the interest of later periods and reduces the later scheduled parts, the latest first;
- *issue costs* (发行费用) are paid once in the issue year; they are part of the cash flow, not of the
  principal and interest (本息) that the coverage ratio compares with the income;
- payment dates are the issue date plus whole periods of 12 or 6 months (a 31st becomes the month's end).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from ...errors import InputError
from .money import ZERO, format_yuan, money, round_fen


class Repayment(StrEnum):
    BULLET = "bullet"
    AMORTISING = "amortising"
    SHARES = "shares"

    @property
    def label(self) -> str:
        return {"bullet": "到期一次还本", "amortising": "分年等额还本", "shares": "按约定比例分年还本"}[
            self.value
        ]


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
class Prepayment:
    """A partial early repayment of principal on an interest date."""

    on: date
    amount: Decimal


@dataclass(frozen=True)
class BondTerms:
    """The terms of one special bond (or of the part of it that finances one project).

    ``coupon_percent`` is the yearly coupon in percent (``Decimal("3")`` = 3 %). ``shares`` are
    (year of the term, percent of the principal) pairs for :attr:`Repayment.SHARES`.
    ``call_after_years`` is the N of an ``N+M`` callable bond (``term_years`` = N+M); ``called`` says
    whether the call is exercised (a scenario). ``issue_cost`` is in 元.
    """

    code: str
    amount: Decimal
    issue_date: date
    term_years: int
    coupon_percent: Decimal
    repayment: Repayment = Repayment.BULLET
    interest_frequency: InterestFrequency = InterestFrequency.YEARLY
    shares: tuple[tuple[int, Decimal], ...] = ()
    call_after_years: int | None = None
    called: bool = False
    prepayments: tuple[Prepayment, ...] = ()
    issue_cost: Decimal = ZERO

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
        self._check_shares()
        self._check_call()
        money(self.issue_cost)
        if self.issue_cost < 0 or self.issue_cost >= self.amount:
            raise InputError(
                f"债券 {self.code} 的发行费用 {self.issue_cost} 元不合理（应为零或小于债券金额的正数）",
                code="funds.bond_issue_cost",
            )
        for p in self.prepayments:
            money(p.amount)
            if p.amount <= 0:
                raise InputError(
                    f"债券 {self.code} 在 {p.on} 提前偿还的本金必须大于零，收到 {p.amount} 元",
                    code="funds.bond_prepayment",
                )

    def _check_shares(self) -> None:
        if self.repayment is not Repayment.SHARES:
            if self.shares:
                raise InputError(
                    f"债券 {self.code} 写了还本比例，但还本方式是“{self.repayment.label}”；"
                    "按比例还本请用 --repayment shares",
                    code="funds.bond_shares",
                )
            return
        years = [y for y, _ in self.shares]
        bad = [y for y in years if not 1 <= y <= self.term_years]
        total = sum((p for _, p in self.shares), Decimal(0))
        if not self.shares or bad or len(set(years)) != len(years) or any(p <= 0 for _, p in self.shares):
            raise InputError(
                f"债券 {self.code} 的还本比例无效：每个年度（1–{self.term_years}）只能写一次，比例须大于零"
                + (f"；超出期限的年度：{'、'.join(map(str, bad))}" if bad else ""),
                code="funds.bond_shares",
            )
        if total != 100:
            raise InputError(
                f"债券 {self.code} 的还本比例合计 {total}%，应为 100%；请核对各年比例",
                code="funds.bond_shares",
            )

    def _check_call(self) -> None:
        if self.call_after_years is None:
            if self.called:
                raise InputError(
                    f"债券 {self.code} 没有提前赎回条款（N+M），不能按行权计算", code="funds.bond_call"
                )
            return
        if not 1 <= self.call_after_years < self.term_years:
            raise InputError(
                f"债券 {self.code} 的提前赎回年限 {self.call_after_years} 年无效，应在 1 到期限 {self.term_years} 年之间"
                "（如 5+2：期限 7 年，第 5 年末可赎回）",
                code="funds.bond_call",
            )

    @property
    def years_run(self) -> int:
        """Years the bond runs under these terms: N when the N+M call is exercised, else the term."""
        return self.call_after_years if self.called and self.call_after_years else self.term_years

    @property
    def periods(self) -> int:
        return self.years_run * self.interest_frequency.periods_per_year

    @property
    def maturity(self) -> date:
        return add_months(self.issue_date, 12 * self.years_run)

    @property
    def term_text(self) -> str:
        """``'7年'`` or ``'5+2年'``."""
        if self.call_after_years:
            return f"{self.call_after_years}+{self.term_years - self.call_after_years}年"
        return f"{self.term_years}年"

    def with_amount(self, amount: Decimal) -> BondTerms:
        """The same terms for another principal (a project's share of the bond); issue costs and early
        repayments are taken in proportion (rounded down to the 分)."""
        if amount == self.amount:
            return self
        share = Fraction(amount) / Fraction(self.amount)
        prepayments = tuple(
            Prepayment(p.on, _floor_fen(Fraction(p.amount) * share)) for p in self.prepayments
        )
        return replace(
            self,
            amount=amount,
            issue_cost=_floor_fen(Fraction(self.issue_cost) * share),
            prepayments=tuple(p for p in prepayments if p.amount > 0),
        )

    def with_rate_shift(self, points: Decimal) -> BondTerms:
        """The same terms with the coupon moved by ``points`` percentage points."""
        return replace(self, coupon_percent=self.coupon_percent + points) if points else self

    def with_coupon(self, percent: Decimal) -> BondTerms:
        return replace(self, coupon_percent=percent)

    def with_call(self, called: bool) -> BondTerms:
        """The call exercised or not (terms without a call stay as they are)."""
        return replace(self, called=called) if self.call_after_years else self


@dataclass(frozen=True)
class Instalment:
    """One payment date of a schedule."""

    number: int
    due_date: date
    interest: Decimal
    principal: Decimal
    outstanding_after: Decimal
    #: the part of ``principal`` repaid early (提前偿还), beyond what was scheduled
    early: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the end of a shorter month."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def _floor_fen(value: Fraction) -> Decimal:
    return Decimal(value * 100 // 1).scaleb(-2).quantize(Decimal("0.01"))


def principal_parts(amount: Decimal, years: int) -> list[Decimal]:
    """Equal yearly principal parts rounded down to the 分; the last part takes the remainder."""
    part = Decimal(Fraction(amount) * 100 // years).scaleb(-2)
    return [part] * (years - 1) + [amount - part * (years - 1)]


def scheduled_parts(terms: BondTerms) -> dict[int, Decimal]:
    """Year of the term (1-based) → principal due on that anniversary, before any call or early repayment."""
    if terms.repayment is Repayment.BULLET:
        return {terms.term_years: terms.amount}
    if terms.repayment is Repayment.AMORTISING:
        return dict(enumerate(principal_parts(terms.amount, terms.term_years), start=1))
    stated = sorted(terms.shares)
    parts = {y: _floor_fen(Fraction(terms.amount) * Fraction(p) / 100) for y, p in stated[:-1]}
    parts[stated[-1][0]] = terms.amount - sum(parts.values(), ZERO)
    return parts


def _period_of(terms: BondTerms, day: date) -> int:
    """The interest period a prepayment on ``day`` falls on; refused before issue, on or after maturity
    (or the exercised call), or between interest dates."""
    per_year = terms.interest_frequency.periods_per_year
    if day <= terms.issue_date:
        raise InputError(
            f"债券 {terms.code} 提前偿还日期 {day} 不晚于发行日 {terms.issue_date}：债券发行之后才能提前偿还，请核对日期",
            code="funds.bond_prepayment",
            details={
                "field": "提前偿还日期",
                "value": day.isoformat(),
                "issue_date": terms.issue_date.isoformat(),
            },
        )
    if day >= terms.maturity:
        raise InputError(
            f"债券 {terms.code} 提前偿还日期 {day} 不早于到期日 {terms.maturity}：到期日偿还的是应还本金，"
            "不是提前偿还；提前偿还须在到期日之前的付息日进行，请核对日期",
            code="funds.bond_prepayment",
            details={
                "field": "提前偿还日期",
                "value": day.isoformat(),
                "maturity": terms.maturity.isoformat(),
            },
        )
    for number in range(1, terms.periods + 1):
        if add_months(terms.issue_date, number * 12 // per_year) == day:
            return number
    first = add_months(terms.issue_date, 12 // per_year)
    raise InputError(
        f"债券 {terms.code} 提前偿还日期 {day} 不是付息日（付息日为 {first} 起每 {12 // per_year} 个月，"
        f"至 {terms.maturity}）；提前偿还须在付息日进行，请核对日期",
        code="funds.bond_prepayment",
    )


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
    parts = scheduled_parts(terms)
    due_at = {year * per_year: part for year, part in parts.items()}  # period number → scheduled principal
    if terms.years_run < terms.term_years:  # the call exercised: everything left falls due at year N
        last = terms.periods
        due_at = {n: v for n, v in due_at.items() if n < last} | {
            last: sum((v for n, v in due_at.items() if n >= last), ZERO)
        }
    early: dict[int, Decimal] = {}
    for p in sorted(terms.prepayments, key=lambda p: p.on):
        number = _period_of(terms, p.on)
        _reduce_later(terms, due_at, number, p)
        early[number] = early.get(number, ZERO) + p.amount
    outstanding = terms.amount
    rows = []
    for number in range(1, terms.periods + 1):
        interest = round_fen(Fraction(outstanding) * rate)
        extra = early.get(number, ZERO)
        principal = due_at.get(number, ZERO) + extra
        outstanding -= principal
        due = add_months(terms.issue_date, number * 12 // per_year)
        rows.append(Instalment(number, due, interest, principal, outstanding, extra))
    return tuple(rows)


def _reduce_later(terms: BondTerms, due_at: dict[int, Decimal], number: int, p: Prepayment) -> None:
    """Take an early repayment at period ``number`` off the scheduled parts after it, the latest first."""
    later = sorted((n for n in due_at if n > number), reverse=True)
    left = sum((due_at[n] for n in later), ZERO)
    if p.amount > left:
        raise InputError(
            f"债券 {terms.code} 在 {p.on} 提前偿还 {format_yuan(p.amount)} 元，超过此后尚未到期的本金 "
            f"{format_yuan(left)} 元；请核对金额",
            code="funds.bond_prepayment",
        )
    rest = p.amount
    for n in later:
        take = min(rest, due_at[n])
        due_at[n] -= take
        rest -= take


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


_TERM = re.compile(r"^(\d+)(?:\+(\d+))?年?$")


def parse_term(text: str | int) -> tuple[int, int | None]:
    """``"7"`` → (7, None); ``"5+2"`` → (7, 5): the term in years and the N of an N+M call."""
    cleaned = unicodedata.normalize("NFKC", str(text)).replace(" ", "")
    match = _TERM.match(cleaned)
    if not match:
        raise InputError(
            f"期限“{text}”无法识别，请写成年数（如 7）或 N+M（如 5+2：期限 7 年，第 5 年末可提前赎回）",
            code="funds.bond_term",
        )
    first, second = int(match.group(1)), match.group(2)
    return (first, None) if second is None else (first + int(second), first)


def parse_shares(text: str) -> tuple[tuple[int, Decimal], ...]:
    """``"3:20,4:20,5:60"`` (year of the term : percent) → ((3, 20), (4, 20), (5, 60))."""
    cleaned = unicodedata.normalize("NFKC", text).replace(" ", "").replace("%", "").replace("，", ",")
    result = []
    for item in filter(None, cleaned.split(",")):
        year, sep, share = item.partition(":")
        if not sep or not year.isdigit() or not re.fullmatch(r"\d+(\.\d+)?", share):
            raise InputError(
                f"还本比例“{text}”中的“{item}”无法识别，请写成 年度:比例，如 3:20,4:20,5:60（第3、4年各20%，第5年60%）",
                code="funds.bond_shares",
            )
        result.append((int(year), Decimal(share)))
    return tuple(result)


def format_shares(shares: tuple[tuple[int, Decimal], ...]) -> str:
    return ",".join(f"{y}:{p}" for y, p in shares)
