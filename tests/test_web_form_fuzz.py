"""Malformed fields through every write route of the web application (forms and JSON API), on SQLite and
PostgreSQL, over real HTTP (hypothesis, derandomized, a few examples per field so it cannot flake): a number
that is no plain number (NaN, Infinity, 1e400, 9e99999999, ``1,5``, ``1_000``), an impossible or implausible
date (2026-02-30, 1900, 3000), a text with control characters or far too long, a wrong JSON type, no CSRF
token, an empty, disguised or oversized upload. Each is refused with a 4xx whose Chinese message names the
field — never a 500 — and the database (rows and history entries) and the stored files are as before."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from landreserve.storage.db import reading
from landreserve.web.routers.parcels import fact_form_values

BOUNDED = settings(
    max_examples=4, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
TABLES = ("history_entries", "reserve_evidence", "evidence_files", "fund_entries", "plan_adjustments", "accounts",
          "plans", "plan_versions", "plan_publications", "reserve_parcel_events")  # fmt: skip
PARCEL = "BC-CB2026005"  # 拟收储 in the demonstration data
FUNDED = "BC-CB2026006"  # in the reserve, with a compensation payment

#: numbers no field may take: not plain decimals, or past every plausible limit
BAD_NUMBERS = st.sampled_from(
    ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "1e400", "9e99999999", "1,5", "1_000", "0x10", "一百",
     "1.2.3", "--5", "5-", "1/2", "1" + "0" * 30, "²", "12 34 5,6"]
) | st.builds("{}{}".format, st.integers(1, 999), st.sampled_from(["e5", "E+400", ",5", "_0", ".", "..5", "%"]))  # fmt: skip
#: dates that are no calendar date, or lie far outside the plausible window
BAD_DATES = st.sampled_from(
    ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "1900-01-01", "3000-01-01", "0001-01-01",
     "9999-12-31", "26-5-1", "2026/05/01", "2026年5月1日x", "NaN", "today", "2026-05-01\x00"]
) | st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(1000, 1950) | st.integers(2040, 9999),
              st.integers(1, 12), st.integers(1, 28))  # fmt: skip
#: texts with a control character (NUL breaks PostgreSQL) or far longer than any field
BAD_TEXTS = st.builds(
    "{}{}{}".format,
    st.text("编号地块ABC-12", min_size=1, max_size=4),
    st.sampled_from(["\x00", "\x07", "\x1b", "\u202e", "\ufeff", "\x0b"]),
    st.text("编号", min_size=1, max_size=3),
) | st.just("字" * 5000)
#: free texts (reasons, notes) may hold line breaks, but no other control character
BAD_NOTES = st.builds(
    "{}{}{}".format, st.text("原因", min_size=1, max_size=3), st.sampled_from(["\x00", "\x07", "\x1b"]),
    st.text("说明", min_size=1, max_size=3),
) | st.just("因" * 5000)  # fmt: skip
KINDS = {"number": BAD_NUMBERS, "date": BAD_DATES, "text": BAD_TEXTS, "note": BAD_NOTES}

EVIDENCE = {"kind": "title_clear", "ref": "R-1", "on": "2026-03-01", "confirmed_by": "经办人"}
APPROVAL = {
    "approval_no": "巴政函〔2026〕99号",
    "approved_on": "2026-06-01",
    "approving_body": "巴楚县人民政府",
}
SUPPLY = {
    "target": "supplied",
    "method": "出让",
    "contract_no": "HT-1",
    "price": "100",
    "supply_on": "2026-05-01",
}
PAYMENT = {
    "parcel": FUNDED,
    "category": "compensation",
    "amount": "1",
    "document": "凭证-1",
    "on": "2026-03-02",
}
ADJUST = {"reason": "调整", "area:" + PARCEL: "12000", "add_code_0": "BC-XZ2026001", "add_area_m2_0": "5000"}

#: (department, path, form fields, the field mutated, its kind, what the message must name)
FORMS = [
    ("reserve_center", f"/parcels/{PARCEL}/facts", "facts", "area_m2", "number", "面积"),
    ("reserve_center", f"/parcels/{PARCEL}/facts", "facts", "location", "text", "坐落"),
    ("reserve_center", f"/parcels/{PARCEL}/facts", "facts", "zone", "text", "区域"),
    ("reserve_center", f"/parcels/{PARCEL}/evidence", EVIDENCE, "on", "date", "日期"),
    ("reserve_center", f"/parcels/{PARCEL}/evidence", {**EVIDENCE, "kind": "temporary_use", "end": "2027-01-01"},
     "start", "date", "日期"),
    ("reserve_center", f"/parcels/{PARCEL}/evidence", EVIDENCE, "ref", "text", "文件编号"),
    ("reserve_center", f"/parcels/{PARCEL}/evidence", EVIDENCE, "confirmed_by", "text", "确认人"),
    ("reserve_center", f"/parcels/{PARCEL}/transition", SUPPLY, "price", "number", "价款"),
    ("reserve_center", f"/parcels/{PARCEL}/transition", SUPPLY, "supply_on", "date", "供应日期"),
    ("reserve_center", f"/parcels/{PARCEL}/transition", SUPPLY, "on", "date", "生效日期"),
    ("reserve_center", f"/parcels/{PARCEL}/transition", SUPPLY, "contract_no", "text", "合同"),
    ("reserve_center", f"/parcels/{PARCEL}/transition", {"target": "withdrawn"}, "reason", "note", "原因"),
    ("reserve_center", "/plan-versions/1/register", {}, "on", "date", "登记日期"),
    ("reserve_center", "/plan-versions/1/publish", {}, "note", "note", "说明"),
    ("reserve_center", "/plan-versions/1/adjust", ADJUST, "area:" + PARCEL, "number", "面积"),
    ("reserve_center", "/plan-versions/1/adjust", ADJUST, "add_area_m2_0", "number", "面积"),
    ("reserve_center", "/plan-versions/1/adjust", ADJUST, "add_code_0", "text", "编号"),
    ("reserve_center", "/plan-versions/1/adjust", ADJUST, "reason", "note", "原因"),
    ("government", "/plan-versions/999999/approve", APPROVAL, "approved_on", "date", "批准日期"),
    ("government", "/plan-versions/999999/approve", APPROVAL, "approval_no", "text", "批准文号"),
    ("government", "/adjustments/999999/approve", APPROVAL, "approving_body", "text", "批准机关"),
    ("government", "/adjustments/999999/reject", {}, "note", "note", "理由"),
    ("finance", "/funds/payments", PAYMENT, "amount", "number", "金额"),
    ("finance", "/funds/payments", PAYMENT, "on", "date", "支付日期"),
    ("finance", "/funds/payments", PAYMENT, "document", "text", "凭证"),
    ("finance", "/funds/payments", PAYMENT, "memo", "note", "摘要"),
    ("it", "/admin/accounts", {"username": "new-user", "display_name": "新用户", "department": "finance",
                               "password": "Abcdefgh-12345"}, "display_name", "text", "姓名"),
]  # fmt: skip


def counts(site) -> tuple[int, ...]:
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES)
    with reading(site.ctx.engine) as session:
        rows = dict(session.execute(text(query)).all())
    stored = [p for p in Path(site.ctx.settings.files_dir).rglob("*") if "staging" not in p.parts]
    return (*(rows[t] for t in TABLES), len(stored))  # documents kept (a staged plan is no document)


def message(response) -> str:
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()["error"]["message"]
    found = re.search(r'<div class="error" role="alert">\s*<p>(.*?)</p>', response.text, re.S)
    return html.unescape(found.group(1)) if found else ""


def chinese(text_: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text_)


def refused(site, response, names: tuple[str, ...], before) -> None:
    """A 4xx with a Chinese message naming one of ``names``, and nothing written."""
    shown = message(response)
    assert 400 <= response.status_code < 500, (response.status_code, shown or response.text[:300])
    assert chinese(shown) and any(n in shown for n in names), (names, shown)
    assert counts(site) == before, shown


@pytest.fixture(scope="module")
def clients(demo_web):
    return {d: demo_web.login(d) for d in ("reserve_center", "government", "finance", "it")}


def _form(site, base, path) -> dict:
    if base != "facts":
        return dict(base)
    from landreserve.services import register

    return fact_form_values(register.get_parcel(site.ctx, path.split("/")[2]).facts)


@pytest.mark.parametrize(("department", "path", "base", "field", "kind", "name"), FORMS,
                         ids=[f"{f[1]}:{f[3]}" for f in FORMS])  # fmt: skip
def test_a_malformed_form_field_is_refused_naming_it(
    demo_web, clients, department, path, base, field, kind, name
):
    client = clients[department]

    @BOUNDED
    @given(value=KINDS[kind])
    def check(value):
        before = counts(demo_web)
        data = {**_form(demo_web, base, path), field: value, "csrf_token": client.csrf}
        refused(demo_web, client.post(path, data=data), (name,), before)

    check()


#: (department, path, JSON body, the keys leading to the field mutated, its kind, names the message may use)
APIS = [
    ("reserve_center", f"/api/v1/parcels/{PARCEL}/transition", {"target": "supplied", "supply": {
        "method": "出让", "on": "2026-05-01", "contract_no": "HT-1", "price": "100"}}, ("supply", "price"), "number",
     ("price", "价款")),
    ("reserve_center", f"/api/v1/parcels/{PARCEL}/transition", {"target": "in_reserve"}, ("on",), "date",
     ("on", "生效日期")),
    ("reserve_center", f"/api/v1/parcels/{PARCEL}/transition", {"target": "in_reserve", "evidence": [
        {"kind": "title_clear", "ref": "R", "date": "2026-03-01", "by": "经办人"}]}, ("evidence", 0, "date"), "date",
     ("date", "日期")),
    ("reserve_center", f"/api/v1/parcels/{PARCEL}/transition", {"target": "in_reserve", "evidence": [
        {"kind": "title_clear", "ref": "R", "date": "2026-03-01", "by": "经办人"}]}, ("evidence", 0, "ref"), "text",
     ("ref", "文件编号")),
    ("reserve_center", "/api/v1/plan-versions/1/adjustments", {"add": [{"code": "BC-XZ2026001", "area_m2": "5000"}],
     "reason": "调整"}, ("add", 0, "area_m2"), "number", ("area_m2", "面积")),
    ("reserve_center", "/api/v1/plan-versions/1/adjustments", {"change": [{"code": PARCEL, "area_m2": "12000"}],
     "reason": "调整"}, ("change", 0, "area_m2"), "number", ("area_m2", "面积")),
    ("reserve_center", "/api/v1/plan-versions/1/adjustments", {"add": [{"code": "BC-XZ2026001", "area_m2": "5000"}],
     "reason": "调整"}, ("add", 0, "code"), "text", ("code", "编号")),
    ("reserve_center", "/api/v1/plan-versions/1/adjustments", {"remove": ["BC-CB2026004"], "reason": "调整"},
     ("reason",), "note", ("reason", "原因")),
    ("reserve_center", "/api/v1/plan-versions/1/publish", {}, ("on",), "date", ("on", "日期")),
    ("reserve_center", "/api/v1/plan-versions/1/register", {}, ("on",), "date", ("on", "登记日期")),
    ("government", "/api/v1/plan-versions/999999/approve", APPROVAL, ("approved_on",), "date",
     ("approved_on", "批准日期")),
    ("government", "/api/v1/adjustments/999999/reject", {"note": "退回"}, ("note",), "note", ("note", "理由")),
]  # fmt: skip
#: values of another JSON type than the field's, for every field
WRONG_TYPES = st.sampled_from([None, 0, -1, 10**30, 1e308, True, [], {}, [1], {"a": 1}])


def _with(body, keys, value):
    body = copy.deepcopy(body)
    target = body
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return body


@pytest.fixture(scope="module")
def api_clients(demo_web):
    return {d: demo_web.api_login(d) for d in ("reserve_center", "government")}


@pytest.mark.parametrize(("department", "path", "body", "keys", "kind", "names"), APIS,
                         ids=[f"{a[1]}:{'.'.join(map(str, a[3]))}" for a in APIS])  # fmt: skip
def test_a_malformed_json_field_is_refused_naming_it(
    demo_web, api_clients, department, path, body, keys, kind, names
):
    client = api_clients[department]

    @BOUNDED
    @given(value=KINDS[kind] | WRONG_TYPES)
    def check(value):
        if value is None and keys[-1] in ("on",):
            return  # an optional date left out: the default (today)
        before = counts(demo_web)
        refused(demo_web, client.post(path, json=_with(body, keys, value)), names, before)

    check()


def test_a_json_body_that_is_no_json_object_is_refused(demo_web, api_clients):
    client = api_clients["reserve_center"]
    before = counts(demo_web)
    for content in (
        b"",
        b"{",
        b"[]",
        b"null",
        b'{"target": NaN}',
        b"\xff\xfe",
        b'{"target": "in_reserve"' + b" " * 10,
    ):
        answer = client.post(f"/api/v1/parcels/{PARCEL}/transition", content=content,
                             headers={"content-type": "application/json"})  # fmt: skip
        assert 400 <= answer.status_code < 500 and chinese(message(answer)), (content, answer.text[:200])
    assert counts(demo_web) == before


@pytest.mark.parametrize("path", sorted({f[1] for f in FORMS}))
def test_a_form_without_its_csrf_token_is_refused(demo_web, clients, path):
    department = next(f[0] for f in FORMS if f[1] == path)
    client = clients[department]
    base = next(f[2] for f in FORMS if f[1] == path)
    before = counts(demo_web)
    for token in (None, "", "x" * 43, client.csrf[:-1]):
        data = _form(demo_web, base, path) | ({} if token is None else {"csrf_token": token})
        answer = client.post(path, data=data)
        assert answer.status_code == 403 and "CSRF" in message(answer), answer.text[:300]
    assert counts(demo_web) == before


def test_the_account_switch_takes_only_0_or_1(demo_web, clients):
    client = clients["it"]
    before = counts(demo_web)
    for value in ("2", "-1", "2147483648", "NaN", "", "是"):
        answer = client.post(
            "/admin/accounts/u-housing/active", data={"active": value, "csrf_token": client.csrf}
        )
        refused(demo_web, answer, ("active", "启用", "停用"), before)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("route", ["form", "api"])
def test_a_bad_document_upload_is_refused_naming_the_file(demo_web, clients, api_clients, route):
    client = clients["reserve_center"] if route == "form" else api_clients["reserve_center"]
    path = f"/parcels/{PARCEL}/documents" if route == "form" else f"/api/v1/parcels/{PARCEL}/documents"
    extra = {"csrf_token": client.csrf} if route == "form" else {}
    max_mb = demo_web.ctx.settings.upload_max_mb
    cases = [
        ("空.pdf", b"", {}, ("空.pdf",)),
        ("合同.pdf", b"MZ\x90\x00" + b"\x00" * 200, {}, ("合同.pdf",)),  # a program named .pdf
        ("合同.pdf", PDF, {"ref": "R\x00-1"}, ("文件编号",)),
        ("合同.pdf", PDF, {"kind": "不存在的类型"}, ("证据类型",)),
        ("大.pdf", PDF + b"0" * ((max_mb + 1) * 1024 * 1024), {}, ("上传",)),
    ]
    before = counts(demo_web)
    for name, data, fields, names in cases:
        answer = client.post(path, files={"file": (name, data, "application/pdf")}, data={**extra, **fields})
        refused(demo_web, answer, names, before)


@BOUNDED
@given(damage=st.tuples(st.floats(0, 1), st.sampled_from(["cut", "ff", "zero", "nul"])))
def test_a_damaged_plan_upload_is_audited_or_refused_naming_the_file(
    demo_web, api_clients, bachu_plan_path, damage
):
    from tests.test_mutated_inputs_fuzz import _plan_docx, damaged

    client = api_clients["reserve_center"]
    before = counts(demo_web)
    for name, data in (("计划.txt", bachu_plan_path.read_bytes()), ("计划.docx", _plan_docx())):
        answer = client.post("/api/v1/plans/audit", files={"file": (name, damaged(data, damage))})
        if answer.status_code != 200:
            refused(demo_web, answer, (name,), before)
    assert counts(demo_web) == before
