"""Regressions found by tests/test_web_form_fuzz.py, each named by what the old code did (both backends).

- ``9e99999999`` typed as an area, a supply price or a payment amount was a 500: ``Decimal`` read it, and
  the plausibility check overflowed the decimal context (``abs()`` and the message's formatting).
- A form number was read by ``Decimal`` after removing every comma: ``1,5`` became 15, ``1_000`` 1000, and
  ``NaN``/``Infinity``/exponents reached the services.
- An adjustment was proposed with an area of 1e400 ㎡ or 10²⁹ ㎡, or a new code holding a NUL: refused only
  (or never) when approved.
- Evidence references and confirmers, reasons, notes, payment documents and memos, document references and
  account names were stored with control characters (a NUL breaks PostgreSQL) and without a length bound; an
  account name of 5000 characters was cut to 100 silently.
- ``active=2147483648`` or ``-1`` enabled an account (any integer was read as true).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from tests.test_web_form_fuzz import counts, message

from landreserve.domain import plausibility
from landreserve.domain.funds.money import parse_amount
from landreserve.domain.numbers import plain_decimal
from landreserve.domain.register import parse_area
from landreserve.errors import InputError
from landreserve.storage.db import reading
from landreserve.storage.history_tables import HistoryEntryRow
from landreserve.storage.web_tables import PlanAdjustmentRow

PARCEL = "BC-CB2026005"


@pytest.mark.parametrize(
    "typed", ["9e99999999", "NaN", "Infinity", "1e400", "1,5", "1_000", "0x10", "²", "100²"]
)
def test_a_typed_area_is_a_plain_number(typed):
    with pytest.raises(InputError) as refused:
        parse_area(typed)
    assert refused.value.code == "input.area" and "面积" in refused.value.message


@pytest.mark.parametrize(("typed", "value"), [("１２３４５", "12345"), ("12,345.5", "12345.5"), (" 40254 ", "40254"),
                                              ("１，２３４", "1234")])  # fmt: skip
def test_full_width_digits_and_thousands_separators_read_as_written(typed, value):
    assert parse_area(typed) == Decimal(value) == plain_decimal(typed, "面积")


@pytest.mark.parametrize("typed", ["1,5", "12,34", "1,2345", "NaN", "9e99999999", "1_000"])
def test_an_amount_is_a_plain_number(typed):
    with pytest.raises(InputError) as refused:
        parse_amount(typed, field="金额")
    assert refused.value.code == "funds.amount_unreadable" and "金额" in refused.value.message


def test_a_huge_exponent_is_refused_without_overflow():
    huge = Decimal("9e99999999")
    for check in (lambda: plausibility.amount(huge, "金额"), lambda: plausibility.amount(Decimal("-9e99999999"), "金额"),
                  lambda: plausibility.Window(__import__("datetime").date(2026, 1, 1)).area_m2(huge, "面积")):  # fmt: skip
        with pytest.raises(InputError) as refused:
            check()
        assert "9.000E+99999999" in refused.value.message


def test_a_free_text_may_break_lines_but_holds_no_other_control_character():
    assert plausibility.note("第一行\n第二行\t完", "原因") == "第一行\n第二行\t完"
    for bad in ("a\x00b", "a\x1bb", "因" * (plausibility.MAX_NOTE_LENGTH + 1)):
        with pytest.raises(InputError):
            plausibility.note(bad, "原因")


@pytest.mark.parametrize(("department", "path", "data", "named"), [
    ("reserve_center", f"/parcels/{PARCEL}/transition",
     {"target": "supplied", "method": "出让", "contract_no": "HT-1", "price": "9e99999999", "supply_on": "2026-05-01"},
     "价款"),
    ("finance", "/funds/payments",
     {"parcel": "BC-CB2026006", "category": "compensation", "amount": "9e99999999", "document": "凭证"}, "金额"),
    ("finance", "/funds/payments",
     {"parcel": "BC-CB2026006", "category": "compensation", "amount": "1,5", "document": "凭证"}, "金额"),
    ("finance", "/funds/payments",
     {"parcel": "BC-CB2026006", "category": "compensation", "amount": "1", "document": "凭\x00证"}, "凭证"),
    ("reserve_center", f"/parcels/{PARCEL}/evidence",
     {"kind": "title_clear", "ref": "R\x00-1", "on": "2026-03-01", "confirmed_by": "经办人"}, "文件编号"),
    ("reserve_center", "/plan-versions/1/adjust", {"reason": "调整", f"area:{PARCEL}": "1e400"}, "面积"),
    ("reserve_center", "/plan-versions/1/adjust", {"reason": "调整", f"area:{PARCEL}": "1" + "0" * 29}, "面积"),
    ("reserve_center", "/plan-versions/1/adjust",
     {"reason": "调整", "add_code_0": "BC-\x00X", "add_area_m2_0": "5000"}, "编号"),
    ("reserve_center", "/plan-versions/1/adjust", {"reason": "调\x00整", f"area:{PARCEL}": "12000"}, "原因"),
    ("it", "/admin/accounts",
     {"username": "new-user", "display_name": "名" * 5000, "department": "finance", "password": "Abcdefgh-12345"},
     "姓名"),
    ("it", "/admin/accounts/u-housing/active", {"active": "2147483648"}, "启用"),
    ("it", "/admin/accounts/u-housing/active", {"active": "-1"}, "启用"),
])  # fmt: skip
def test_what_the_fuzzing_found_is_refused_naming_the_field(demo_web, department, path, data, named):
    client = demo_web.login(department)
    before = counts(demo_web)
    answer = client.post(path, data={**data, "csrf_token": client.csrf})
    assert 400 <= answer.status_code < 500 and named in message(answer), (
        answer.status_code,
        answer.text[:300],
    )
    assert counts(demo_web) == before


def test_an_adjustment_through_the_api_is_checked_when_proposed(demo_web):
    client = demo_web.api_login("reserve_center")
    with reading(demo_web.ctx.engine) as session:
        before = (session.scalar(select(func.count()).select_from(PlanAdjustmentRow)),
                  session.scalar(select(func.count()).select_from(HistoryEntryRow)))  # fmt: skip
    for body in ({"add": [{"code": "BC-XZ1", "area_m2": "1e400"}], "reason": "调整"},
                 {"add": [{"code": "BC-XZ1", "area_m2": 1e308}], "reason": "调整"},
                 {"change": [{"code": PARCEL, "area_m2": "9e99999999"}], "reason": "调整"},
                 {"add": [{"code": "BC-\u202eXZ1", "area_m2": "5000"}], "reason": "调整"},
                 {"remove": ["BC-CB2026004"], "reason": "调\x00整"}):  # fmt: skip
        answer = client.post("/api/v1/plan-versions/1/adjustments", json=body)
        assert answer.status_code == 422, (body, answer.text[:300])
    with reading(demo_web.ctx.engine) as session:
        assert before == (session.scalar(select(func.count()).select_from(PlanAdjustmentRow)),
                          session.scalar(select(func.count()).select_from(HistoryEntryRow)))  # fmt: skip
