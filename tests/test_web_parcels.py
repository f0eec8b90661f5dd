"""Parcels through the web: the list (filters, sort, pages, a search string that looks like SQL), the
parcel page (facts, gates of the next step, timeline, evidence, documents, money, boundary), evidence with a
file recorded by the reserve center and the parcel moved on, documents checked (forged type, path in the
name) and refused to other departments — nothing stored when refused."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import func, select

from landreserve.storage.db import reading
from landreserve.storage.register_tables import EvidenceRow, ReserveParcelRow
from landreserve.storage.web_tables import EvidenceFileRow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def codes_in(html: str) -> list[str]:
    return re.findall(r'<td class="nowrap"><a href="/parcels/([^"]+)">', html)


def count(site, table) -> int:
    with reading(site.ctx.engine) as s:
        return s.scalar(select(func.count()).select_from(table))


def test_the_list_filters_sorts_and_pages(demo_web):
    reader = demo_web.login("housing")  # every department reads
    all_codes = codes_in(reader.get("/parcels").text)
    assert len(all_codes) == 13 and all_codes == sorted(all_codes)
    by_area = reader.get("/parcels", params={"sort": "area", "desc": 1}).text
    assert codes_in(by_area)[:2] == [
        "BC-CB2026007",
        "BC-CB2026006",
    ]  # 9.8530 ha, 9.1896 ha (numbers, not text)
    held = reader.get("/parcels", params={"state": "in_reserve"}).text
    assert "BC-CB2026006" in codes_in(held) and "BC-CB2026001" not in codes_in(held)
    industrial = reader.get("/parcels", params={"use": "工矿仓储用地"}).text
    assert sorted(codes_in(industrial)) == ["BC-CB2026001", "BC2025CB001"]
    assert codes_in(reader.get("/parcels", params={"q": "迎宾南路东侧、文化路"}).text) == ["BC-CB2026002"]
    assert len(codes_in(reader.get("/parcels", params={"q": "cb2026"}).text)) == 11  # case-insensitive
    api = demo_web.api_login("housing")
    page = api.get("/api/v1/parcels", params={"per_page": 5, "page": 3, "sort": "code"}).json()
    assert page["total"] == 13 and page["pages"] == 3 and len(page["items"]) == 3
    for hostile in ("' OR 1=1 --", "%", "_", "BC%' UNION SELECT password_hash FROM accounts --"):
        shown = api.get("/api/v1/parcels", params={"q": hostile})
        assert shown.status_code == 200 and shown.json()["total"] == 0, hostile
    assert count(demo_web, ReserveParcelRow) == 13
    assert "共 0 宗" in reader.get("/parcels", params={"q": "' OR ''='"}).text
    bad = reader.get("/parcels", params={"state": "bogus"})
    assert bad.status_code == 422 and "状态“bogus”无法识别" in bad.text
    assert api.get("/api/v1/parcels", params={"sort": "password"}).status_code == 422


def test_the_parcel_page_shows_facts_gates_timeline_money_and_boundary(demo_web):
    page = demo_web.login("finance").get("/parcels/BC-CB2026006").text
    assert "入库储备" in page and "巴楚县" in page
    assert "转为“前期开发”" in page and "前期开发实施方案" in page  # the next step and what it needs
    assert "依已批准计划登记（拟收储）" in page and "状态变更为“入库储备”" in page  # the timeline
    assert "800.00" in page and "征地拆迁补偿" in page  # 8,000,000 元 paid = 800.00 万元
    assert 'data-parcels="/api/v1/map/parcels.geojson?code=BC-CB2026006"' in page
    # finance reads it all but is offered no register forms
    assert 'action="/parcels/BC-CB2026006/transition"' not in page and "evidence-form" not in page
    planned = demo_web.login("reserve_center").get("/parcels/BC-CB2026001").text
    assert "缺 " in planned and "产权清晰" in planned
    # the page says what to do with its own form, not the command line's key=value syntax
    assert "请在下方“登记证据”中选证据类型“产权清晰”" in planned and "kind=title_clear" not in planned
    assert "请在本栏的“调出原因”中写明原因" in planned and "--reason" not in planned
    assert 'action="/parcels/BC-CB2026001/transition"' in planned and "evidence-form" in planned


def test_the_center_records_evidence_with_files_and_moves_the_parcel_into_the_reserve(demo_web):
    center = demo_web.login("reserve_center")
    code = "BC-CB2026002"
    kinds = [
        "title_clear",
        "no_seizure",
        "no_mortgage",
        "no_guarantee",
        "compensation_settled",
        "registration",
    ]
    for i, kind in enumerate(kinds):
        files = {"file": (f"证明{i}.pdf", PDF + str(i).encode(), "application/pdf")} if i < 2 else None
        r = center.post(f"/parcels/{code}/evidence", data={"csrf_token": center.csrf, "kind": kind, "ref": f"R-{i}",
                        "on": "2026-03-01", "confirmed_by": "储备中心经办人"}, files=files or {"file": ("", b"")})  # fmt: skip
        assert r.status_code == 303, r.text
    refused = center.post(f"/parcels/{code}/transition", data={"csrf_token": center.csrf, "target": "in_reserve",
                                                                "on": "2026-03-02"})  # fmt: skip
    assert refused.status_code == 422 and "风险排查" in refused.text  # the missing gates are named
    for risk in demo_web.ctx.settings.risk_checks:
        center.post(f"/parcels/{code}/evidence", data={"csrf_token": center.csrf, "kind": "risk_check",
                    "subject": risk, "ref": f"RC-{risk}", "on": "2026-03-01", "confirmed_by": "经办人"})  # fmt: skip
    moved = center.post(f"/parcels/{code}/transition", data={"csrf_token": center.csrf, "target": "in_reserve",
                                                              "on": "2026-03-02"})  # fmt: skip
    assert moved.status_code == 303
    page = center.get(moved.headers["location"]).text
    assert "状态已变更为“入库储备”" in page and "证明0.pdf" in page and "证明1.pdf" in page
    link = re.search(r'href="(/documents/\d+)" download>证明1.pdf', page).group(1)
    download = demo_web.login("housing").get(link)
    assert download.content == PDF + b"1" and download.headers["content-type"] == "application/pdf"
    assert "attachment" in download.headers["content-disposition"]
    stored = Path(demo_web.ctx.settings.files_dir)
    digest = hashlib.sha256(PDF + b"1").hexdigest()
    assert (stored / digest[:2] / digest).read_bytes() == PDF + b"1"


def test_documents_are_checked_and_refused_to_other_departments(demo_web):
    code = "BC-CB2026003"
    before = (count(demo_web, EvidenceFileRow), count(demo_web, EvidenceRow), demo_web.history_count())
    center = demo_web.api_login("reserve_center")
    forged = center.post(
        f"/api/v1/parcels/{code}/documents", files={"file": ("scan.pdf", b"MZ\x90\x00 not a pdf")}
    )
    assert forged.status_code == 422 and "不是可接受的证明文件类型" in forged.json()["error"]["message"]
    renamed = center.post(f"/api/v1/parcels/{code}/documents", files={"file": ("photo.png", PDF)})
    assert renamed.status_code == 422 and "扩展名" in renamed.json()["error"]["message"]
    finance = demo_web.api_login("finance")
    other = finance.post(f"/api/v1/parcels/{code}/documents", files={"file": ("a.pdf", PDF)})
    assert other.status_code == 403 and "无权登记地块证据" in other.json()["error"]["message"]
    page = demo_web.login("finance")
    form = page.post(f"/parcels/{code}/evidence", data={"csrf_token": page.csrf, "kind": "title_clear", "ref": "X",
                     "on": "2026-03-01", "confirmed_by": "财政"}, files={"file": ("a.pdf", PDF)})  # fmt: skip
    assert form.status_code == 403
    assert (
        count(demo_web, EvidenceFileRow),
        count(demo_web, EvidenceRow),
        demo_web.history_count(),
    ) == before
    kept = {p.name for p in Path(demo_web.ctx.settings.files_dir).rglob("*") if p.is_file()}
    sneaky = center.post(f"/api/v1/parcels/{code}/documents", files={"file": ("../../etc/cron.d/x.pdf", PDF)})
    assert sneaky.status_code == 201 and sneaky.json()["file_name"] == "x.pdf"
    files = {p.name for p in Path(demo_web.ctx.settings.files_dir).rglob("*") if p.is_file()}
    assert files - kept <= {hashlib.sha256(PDF).hexdigest()} and hashlib.sha256(PDF).hexdigest() in files


def test_the_current_list_is_exported_whole_as_xlsx_and_csv(demo_web):
    import csv
    import io

    from openpyxl import load_workbook

    reader = demo_web.login("housing")  # a department that only reads may export
    filters = {"state": "planned", "sort": "area", "desc": 1}
    listed = reader.get("/api/v1/parcels", params={**filters, "per_page": 5}).json()
    page = reader.get("/parcels", params=filters).text
    assert 'href="/parcels/export.xlsx?state=planned&amp;sort=area&amp;desc=1"' in page
    every = [i["code"] for p in (1, 2, 3) for i in reader.get(
        "/api/v1/parcels", params={**filters, "per_page": 5, "page": p}).json()["items"]]  # fmt: skip
    assert len(every) == listed["total"] >= 6  # more than one page: the export takes every page

    sheet = reader.get("/parcels/export.csv", params=filters)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert (
        "attachment" in sheet.headers["content-disposition"]
        and "%E5%82%A8" in sheet.headers["content-disposition"]
    )
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "地块编号", "土地坐落"]
    assert [r[1] for r in rows[1:]] == every  # the same parcels in the same order
    assert {r[-1] for r in rows[1:]} == {"拟收储"}

    book = load_workbook(io.BytesIO(reader.get("/parcels/export.xlsx", params=filters).content))
    codes = [c.value for c in book.worksheets[0]["B"] if c.value and str(c.value).startswith("BC")]
    assert codes == every
    assert "筛选：状态“拟收储”" in " ".join(str(c.value) for c in book.worksheets[0]["A"][:3] if c.value)

    assert reader.get("/parcels/export.pdf").status_code in (404, 422)
    assert demo_web.client().get("/parcels/export.csv").status_code in (303, 401)  # login needed
    api = demo_web.api_login("housing")
    assert (
        api.get("/api/v1/parcels/export.csv", params={"q": "' OR 1=1 --"})
        .content.decode("utf-8-sig")
        .count("\r\n")
        == 1
    )  # a search string stays text: the header only


def _facts_form(client, code: str, **fields) -> httpx.Response:
    """The parcel page's form of facts as a browser sends it: every field as shown, with ``fields`` changed."""
    page = client.get(f"/parcels/{code}").text
    form = page[page.index('id="facts-form"') : page.index("</form>", page.index('id="facts-form"'))]
    data = dict(re.findall(r'<input (?:type="hidden" )?name="([a-z_0-9]+)" value="([^"]*)"', form))
    for name in ("stock", "source", "condition"):
        chosen = re.search(rf'<select name="{name}">.*?<option (?:value="([^"]*)" )?selected>([^<]*)<', form)
        data[name] = chosen.group(1) if chosen.group(1) is not None else chosen.group(2)
    data.update(fields)
    return client.post(f"/parcels/{code}/facts", data=data)


def _parcel_row(site, code: str) -> ReserveParcelRow:
    with reading(site.ctx.engine) as s:
        return s.scalars(select(ReserveParcelRow).where(ReserveParcelRow.code == code)).one()


def test_the_facts_form_saves_only_what_changed_with_the_command_line_rules(demo_web):
    code, center = "BC-CB2026009", demo_web.login("reserve_center")
    before, history = _parcel_row(demo_web, code), demo_web.history_count()
    for fields, message in (
        (
            {"area_m2": "4,0254", "zone": "新区"},
            "面积“4,0254”不是数字",
        ),  # malformed: nothing saved, the zone neither
        ({"area_m2": "-5"}, "必须大于零"),
        ({"area_m2": "1000000000000"}, "不合常理"),  # implausible (LANDRESERVE_MAX_PARCEL_AREA_HA)
        ({"area_m2": "1e12"}, "不用指数"),  # no plain number (domain.numbers)
        ({"area_m2": "0.0001"}, "至少 1 平方米"),  # a grain of sand (plausibility.MIN_PARCEL_AREA_M2)
        ({"area_m2": "0." + "0" * 40 + "1"}, "至少 1 平方米"),
        ({"land_use": "好地"}, "不是 GB/T 21010-2017"),
        ({"stock": "一半"}, "存量/新增“一半”无法识别"),
        ({}, "没有改动"),  # the form sent back as shown: not a change
    ):
        refused = _facts_form(center, code, **fields)
        assert refused.status_code == 422 and message in refused.text, (fields, refused.text[-600:])
        assert "Traceback" not in refused.text
    assert (
        demo_web.history_count() == history and _parcel_row(demo_web, code).row_version == before.row_version
    )

    saved = _facts_form(center, code, zone="色力布亚镇", area_m2="40254.5", condition="inefficient")
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=facts")
    after = _parcel_row(demo_web, code)
    assert (after.zone, after.area_m2, after.condition) == ("色力布亚镇", Decimal("40254.5"), "inefficient")
    assert (after.location, after.land_use, after.source, after.stock) == (
        before.location, before.land_use, before.source, before.stock
    )  # fmt: skip
    assert demo_web.history_count() == history + 1
    page = center.get(saved.headers["location"]).text
    assert "地块属性已保存" in page and "修改地块属性" in page  # the timeline names the change

    stale = center.post(f"/parcels/{code}/facts", data={"csrf_token": center.csrf, "row_version": before.row_version,
                                                        "zone": "巴楚镇"})  # fmt: skip
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    assert _parcel_row(demo_web, code).zone == "色力布亚镇"


def test_a_fact_the_request_does_not_send_is_kept(demo_web):
    code, center = "BC-CB2026011", demo_web.login("reserve_center")
    before = _parcel_row(demo_web, code)
    assert before.location and before.area_m2 and before.land_use  # facts that a cleared field would lose
    saved = center.post(f"/parcels/{code}/facts", data={"csrf_token": center.csrf, "row_version": before.row_version,
                                                        "zone": "新区"})  # fmt: skip
    assert saved.status_code == 303, saved.text[-600:]
    after = _parcel_row(demo_web, code)
    assert after.zone == "新区"
    assert (after.location, after.area_m2, after.land_use, after.source, after.stock, after.condition) == (
        before.location, before.area_m2, before.land_use, before.source, before.stock, before.condition
    )  # fmt: skip
    emptied = _facts_form(center, code, zone="")  # a field sent empty is cleared
    assert emptied.status_code == 303 and _parcel_row(demo_web, code).zone is None


def test_only_the_reserve_center_edits_facts(demo_web):
    code = "BC-CB2026010"
    finance = demo_web.login("finance")
    assert 'id="facts-form"' not in finance.get(f"/parcels/{code}").text
    refused = finance.post(f"/parcels/{code}/facts", data={"csrf_token": finance.csrf, "zone": "新区"})
    assert refused.status_code == 403 and "修改地块属性" in refused.text
    assert _parcel_row(demo_web, code).zone != "新区"
    assert 'id="facts-form"' in demo_web.login("reserve_center").get(f"/parcels/{code}").text
