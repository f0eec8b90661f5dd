"""Plans through the web: upload and audit with the findings beside the text (the duplicated parcels
highlighted) before accepting, import, approval by the government only, publication, registration,
an adjustment proposed by the reserve center and approved by the government — each write in the history
with the account and its department."""

from __future__ import annotations

import re

from sqlalchemy import select

from landreserve.services import history
from landreserve.storage.db import reading
from landreserve.storage.plan_tables import PlanVersionRow


def upload(client, path):
    return client.post("/plans/upload", files={"file": (path.name, path.read_bytes(), "text/plain")},
                       data={"csrf_token": client.csrf})  # fmt: skip


def statuses(site) -> list[str]:
    with reading(site.ctx.engine) as s:
        return list(s.scalars(select(PlanVersionRow.status).order_by(PlanVersionRow.id)))


def test_upload_shows_findings_beside_the_text_before_anything_is_stored(web, bachu_plan_path):
    center = web.login("reserve_center")
    before = web.history_count()
    preview = upload(center, bachu_plan_path)
    assert preview.status_code == 200 and statuses(web) == [] and web.history_count() == before
    html = preview.text
    assert "parcels.duplicate" in html and "尚未保存" in html
    # the lines of the duplicated parcels (BC2025CB011 = BC-CB2026009, BC2025CB001 = BC-CB2026001) are marked as errors
    marked = dict(
        re.findall(
            r'<span class="line" id="L(\d+)"><span class="no">\d+</span><mark class="cited cited-error" data-severity="error">([^<]*)</mark>',
            html,
        )
    )
    assert any("BC2025CB011" in text for text in marked.values())
    assert any("BC2025CB001" in text for text in marked.values())
    assert any("BC－CB2026009" in text for text in marked.values())
    token = re.search(r'action="/plans/upload/([^/]+)/accept"', html).group(1)
    accepted = center.post(f"/plans/upload/{token}/accept", data={"csrf_token": center.csrf})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/plans/1?version=1&imported=1"
    assert statuses(web) == ["imported"]
    with reading(web.ctx.engine) as s:
        [entry] = history.timeline(s, "plan_version", 1)
    assert (
        entry.action == "plan.import"
        and entry.department == "reserve_center"
        and "u-reserve-center" in entry.actor
    )
    again = center.post(f"/plans/upload/{token}/accept", data={"csrf_token": center.csrf})
    assert again.status_code == 404 and "已失效" in again.text  # a staged upload is used once


def test_another_account_cannot_accept_someone_elses_upload(web, bachu_plan_path):
    center, bureau = web.login("reserve_center"), web.login("natural_resources")
    token = re.search(r'action="/plans/upload/([^/]+)/accept"', upload(center, bachu_plan_path).text).group(1)
    refused = bureau.post(f"/plans/upload/{token}/accept", data={"csrf_token": bureau.csrf})
    assert refused.status_code == 404 and statuses(web) == []


def test_only_the_government_approves_and_approval_makes_the_version_current(web, bachu_plan_path):
    center, government = web.api_login("reserve_center"), web.api_login("government")
    files = {"file": ("bachu-2026.txt", bachu_plan_path.read_bytes(), "text/plain")}
    imported = center.post("/api/v1/plans", files=files).json()
    body = {
        "approval_no": "巴政函〔2026〕1号",
        "approved_on": "2026-02-01",
        "approving_body": "巴楚县人民政府",
    }
    before = web.history_count()
    refused = center.post(f"/api/v1/plan-versions/{imported['version_id']}/approve", json=body)
    assert refused.status_code == 403 and "只限县人民政府" in refused.json()["error"]["message"]
    assert statuses(web) == ["imported"] and web.history_count() == before
    page = web.login("government")
    form = page.get("/plans/1").text
    assert 'action="/plan-versions/1/approve"' in form
    assert 'action="/plan-versions/1/approve"' not in web.login("reserve_center").get("/plans/1").text
    approved = government.post(f"/api/v1/plan-versions/{imported['version_id']}/approve", json=body)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # publication by the natural resources bureau; registration by the reserve center
    bureau = web.api_login("natural_resources")
    assert bureau.post("/api/v1/plan-versions/1/publish", json={}).json()["published"] is True
    assert bureau.post("/api/v1/plan-versions/1/register", json={}).status_code == 403
    registered = center.post("/api/v1/plan-versions/1/register", json={"on": "2026-02-02"}).json()
    assert len(registered["created"]) == 13 and registered["skipped"] == []


def test_an_adjustment_is_proposed_by_the_center_and_approved_by_the_government(web, bachu_plan_path):
    center, government = web.api_login("reserve_center"), web.api_login("government")
    files = {"file": ("bachu-2026.txt", bachu_plan_path.read_bytes(), "text/plain")}
    center.post("/api/v1/plans", files=files)
    approval = {
        "approval_no": "巴政函〔2026〕1号",
        "approved_on": "2026-02-01",
        "approving_body": "巴楚县人民政府",
    }
    government.post("/api/v1/plan-versions/1/approve", json=approval)
    page = web.login("reserve_center")
    proposed = page.post("/plan-versions/1/adjust", data={
        "csrf_token": page.csrf, "remove": ["BC2025CB011", "BC2025CB001"], "reason": "与本年度地块重复列入，调出",
        "add_code_0": "BC-CB2026012", "add_area_m2_0": "15000", "add_land_use_0": "商服用地", "add_zone_0": "巴楚镇",
        "add_stock_0": "存量",
    })  # fmt: skip
    assert proposed.status_code == 303
    [pending] = center.get("/api/v1/adjustments", params={"status": "pending"}).json()
    assert pending["remove"] == ["BC2025CB011", "BC2025CB001"] and pending["add"][0]["code"] == "BC-CB2026012"
    assert statuses(web) == ["approved"]  # nothing changes before the decision
    decision = {
        **approval,
        "approval_no": "巴政函〔2026〕35号",
        "approved_on": "2026-06-18",
        "row_version": pending["row_version"],
    }
    assert center.post(f"/api/v1/adjustments/{pending['id']}/approve", json=decision).status_code == 403
    gov_page = web.login("government")
    listing = gov_page.get("/plans/adjustments").text
    assert f'action="/adjustments/{pending["id"]}/approve"' in listing
    approved = government.post(f"/api/v1/adjustments/{pending['id']}/approve", json=decision)
    assert approved.status_code == 200 and approved.json()["version"] == 2
    assert statuses(web) == ["superseded", "approved"]
    diff = center.get("/api/v1/plan-versions/1/diff/2").json()
    assert [p["code"] for p in diff["added"]] == ["BC-CB2026012"]
    assert sorted(p["code"] for p in diff["removed"]) == ["BC2025CB001", "BC2025CB011"]
    twice = government.post(f"/api/v1/adjustments/{pending['id']}/approve", json=decision)
    assert twice.status_code == 422 and "不能再处理" in twice.json()["error"]["message"]
    with reading(web.ctx.engine) as s:
        actions = [(e.action, e.department) for e in history.timeline(s, "plan_adjustment", pending["id"])]
        adjusted = history.timeline(s, "plan_version", 2)
    assert actions == [
        ("plan.adjustment.propose", "reserve_center"),
        ("plan.adjustment.approve", "government"),
    ]
    assert [(e.action, e.department) for e in adjusted] == [("plan.adjust", "government")]
    shown = page.get("/plans/1/diff?old=1&new=2")
    assert shown.status_code == 200 and "BC-CB2026012" in shown.text


def test_an_unreadable_upload_is_refused_with_a_chinese_message_and_nothing_is_kept(web):
    center = web.api_login("reserve_center")
    for name, data, expected in (
        ("plan.pdf", b"%PDF-1.4 binary", "不是可读取的计划文件"),
        ("plan.txt", b"", "空"),
        ("plan.txt", "这里没有数字".encode(), "没有找到任何计划内容"),
    ):
        r = center.post("/api/v1/plans", files={"file": (name, data, "application/octet-stream")})
        assert r.status_code == 422 and expected in r.json()["error"]["message"], r.text
    assert statuses(web) == []


def test_a_word_upload_damaged_inside_is_refused_with_422_and_nothing_is_kept(web):
    """Found by fuzzing: a bit flip in the deflated document.xml gave zlib.error (a 500 before the fix)."""
    from test_import_sources import _deflated_docx

    center = web.api_login("reserve_center")
    data = _deflated_docx("word/document.xml", lambda c: b"\x00" * len(c))
    for url in ("/api/v1/plans/audit", "/api/v1/plans"):
        r = center.post(url, files={"file": ("计划.docx", data, "application/octet-stream")})
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "plan.not_docx" and "计划.docx" in r.json()["error"]["message"]
    assert statuses(web) == []
