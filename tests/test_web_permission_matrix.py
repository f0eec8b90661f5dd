"""Every write endpoint × every department (and no login): refused with 403 exactly where the department
lacks the permission (checked in the service layer, before anything is read), never refused where it holds
it, 401 / a redirect to the login page without a session — and no refused request writes anything.

The requests aim at records that do not exist (plan version 999999, parcel NOPE-1 …) wherever the route
allows it, so an allowed department gets its 404/422 without changing the demonstration data; the routes
that read a record before calling the service use a real one whose write leaves nothing to do. A test also
checks that the matrix names every write route of the application, so a new one cannot be forgotten."""

from __future__ import annotations

import pytest
from starlette.routing import Route

from landreserve.domain.actors import DEPARTMENTS
from landreserve.domain.permissions import Permission, allowed
from landreserve.web.routers import ROUTERS

P = Permission
APPROVAL = {
    "approval_no": "巴政函〔2026〕99号",
    "approved_on": "2026-06-01",
    "approving_body": "巴楚县人民政府",
}
EVIDENCE = {"kind": "title_clear", "ref": "R-1", "on": "2026-03-01", "confirmed_by": "经办人"}
PDF = ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")

#: (path as routed, path requested, permission, request keyword arguments)
MATRIX = [
    ("/api/v1/plans/audit", "/api/v1/plans/audit", P.PLAN_IMPORT, {"files": {"file": ("p.txt", b"")}}),
    ("/api/v1/plans", "/api/v1/plans", P.PLAN_IMPORT, {"files": {"file": ("p.txt", b"")}}),
    ("/api/v1/plan-versions/{version_id}/approve", "/api/v1/plan-versions/999999/approve", P.PLAN_APPROVE,
     {"json": APPROVAL}),
    ("/api/v1/plan-versions/{version_id}/publish", "/api/v1/plan-versions/999999/publish", P.PLAN_PUBLISH,
     {"json": {}}),
    ("/api/v1/plan-versions/{version_id}/unpublish", "/api/v1/plan-versions/999999/unpublish", P.PLAN_PUBLISH,
     {"json": {}}),
    ("/api/v1/plan-versions/{version_id}/register", "/api/v1/plan-versions/1/register", P.PARCEL_REGISTER,
     {"json": {}}),
    ("/api/v1/plan-versions/{version_id}/adjustments", "/api/v1/plan-versions/999999/adjustments",
     P.ADJUSTMENT_PROPOSE, {"json": {"reason": "测试"}}),
    ("/api/v1/adjustments/{adjustment_id}/approve", "/api/v1/adjustments/999999/approve", P.ADJUSTMENT_APPROVE,
     {"json": APPROVAL}),
    ("/api/v1/adjustments/{adjustment_id}/reject", "/api/v1/adjustments/999999/reject", P.ADJUSTMENT_APPROVE,
     {"json": {"note": "退回"}}),
    ("/api/v1/adjustments/{adjustment_id}/withdraw", "/api/v1/adjustments/999999/withdraw", P.ADJUSTMENT_PROPOSE,
     {"json": {}}),
    ("/api/v1/parcels/{code}/transition", "/api/v1/parcels/NOPE-1/transition", P.PARCEL_TRANSITION,
     {"json": {"target": "in_reserve"}}),
    ("/api/v1/parcels/{code}/documents", "/api/v1/parcels/NOPE-1/documents", P.PARCEL_EVIDENCE,
     {"files": {"file": PDF}}),
    ("/plans/upload", "/plans/upload", P.PLAN_IMPORT, {"files": {"file": ("p.txt", b"")}}),
    ("/plans/upload/{token}/accept", "/plans/upload/nope/accept", P.PLAN_IMPORT, {"data": {}}),
    ("/plan-versions/{version_id}/approve", "/plan-versions/999999/approve", P.PLAN_APPROVE, {"data": APPROVAL}),
    ("/plan-versions/{version_id}/publish", "/plan-versions/999999/publish", P.PLAN_PUBLISH, {"data": {}}),
    ("/plan-versions/{version_id}/unpublish", "/plan-versions/999999/unpublish", P.PLAN_PUBLISH,
     {"data": {"note": "撤下"}}),
    ("/plan-versions/{version_id}/register", "/plan-versions/1/register", P.PARCEL_REGISTER, {"data": {}}),
    ("/plan-versions/{version_id}/adjust", "/plan-versions/999999/adjust", P.ADJUSTMENT_PROPOSE,
     {"data": {"reason": "测试"}}),
    ("/adjustments/{adjustment_id}/approve", "/adjustments/999999/approve", P.ADJUSTMENT_APPROVE, {"data": APPROVAL}),
    ("/adjustments/{adjustment_id}/reject", "/adjustments/999999/reject", P.ADJUSTMENT_APPROVE,
     {"data": {"note": "退回"}}),
    ("/adjustments/{adjustment_id}/withdraw", "/adjustments/999999/withdraw", P.ADJUSTMENT_PROPOSE, {"data": {}}),
    ("/parcels/{code}/evidence", "/parcels/NOPE-1/evidence", P.PARCEL_EVIDENCE, {"data": EVIDENCE}),
    ("/parcels/{code}/documents", "/parcels/NOPE-1/documents", P.PARCEL_EVIDENCE, {"files": {"file": PDF}}),
    ("/parcels/{code}/transition", "/parcels/NOPE-1/transition", P.PARCEL_TRANSITION,
     {"data": {"target": "in_reserve"}}),
    ("/parcels/{code}/facts", "/parcels/NOPE-1/facts", P.PARCEL_EDIT, {"data": {"zone": "新区"}}),
    ("/funds/payments", "/funds/payments", P.FUNDS_LEDGER,
     {"data": {"parcel": "NOPE-1", "category": "compensation", "amount": "1", "document": "凭证"}}),
    ("/admin/accounts", "/admin/accounts", P.ACCOUNTS_MANAGE,
     {"data": {"username": "!!", "display_name": "x", "department": "finance", "password": "Abcdefgh-12345"}}),
    ("/admin/accounts/{username}/active", "/admin/accounts/nobody/active", P.ACCOUNTS_MANAGE, {"data": {"active": "0"}}),
    ("/admin/accounts/{username}/password", "/admin/accounts/nobody/password", P.ACCOUNTS_MANAGE,
     {"data": {"password": "Abcdefgh-12345"}}),
]  # fmt: skip
#: writes every account may do for itself
SELF_SERVICE = {
    "/login",
    "/logout",
    "/account/password",
    "/api/v1/login",
    "/api/v1/logout",
    "/api/v1/me/password",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def test_the_matrix_names_every_write_route():
    routes = {
        r.path for router in ROUTERS for r in router.routes if isinstance(r, Route) and r.methods & UNSAFE
    }
    assert routes - SELF_SERVICE == {m[0] for m in MATRIX}, routes - SELF_SERVICE ^ {m[0] for m in MATRIX}


@pytest.mark.parametrize("demo_web", ["sqlite"], indirect=True)
def test_every_write_is_refused_exactly_where_the_department_lacks_the_permission(demo_web):
    before = demo_web.history_count()
    anonymous = demo_web.client()
    clients = {d: demo_web.api_login(d) for d in DEPARTMENTS}
    wrong = []
    for _, path, permission, kwargs in MATRIX:
        answer = anonymous.post(path, **kwargs)
        expected = 401 if path.startswith("/api/") else 303
        if answer.status_code != expected:
            wrong.append(("anonymous", path, answer.status_code))
        for department, client in clients.items():
            answer = client.post(path, **kwargs)
            if allowed(department, permission):
                ok = answer.status_code != 403 and answer.status_code < 500
            else:
                ok = answer.status_code == 403 and ("无权" in answer.text)
            if not ok:
                wrong.append((department, path, answer.status_code, answer.text[:120]))
    assert not wrong, wrong
    assert demo_web.history_count() == before  # nothing refused (nor any allowed no-op) was written
