"""The map (一张图), the funds pages and the public page over the demonstration data: GeoJSON in lon/lat
with ETags and a bounding box, constraint layers, local basemap tiles; bonds, coverage and sensitivity, a
payment recorded by finance only; the public page without login showing the published plan and hiding
everything internal; no page loading anything from another host; /docs served offline."""

from __future__ import annotations

import re
import sqlite3
from html.parser import HTMLParser
from urllib.parse import urlparse

from sqlalchemy import func, select

from landreserve.storage.db import reading
from landreserve.storage.funds_tables import FundEntryRow
from landreserve.web.app import create_app
from web_support import Server, Site, web_settings


def test_map_data_is_lonlat_geojson_with_etag_and_bbox(demo_web):
    client = demo_web.login("development_reform")
    page = client.get("/map").text
    assert 'data-parcels="/api/v1/map/parcels.geojson"' in page and "城镇开发边界（演示）" in page
    assert "/static/leaflet/leaflet.js" in page and "/static/app/map.js" in page
    r = client.get("/api/v1/map/parcels.geojson", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    assert r.headers.get("content-encoding") == "gzip"
    features = r.json()["features"]
    assert len(features) == 13
    for f in features:
        lon, lat = f["geometry"]["coordinates"][0][0]
        assert 78.5 < lon < 78.6 and 39.7 < lat < 39.8  # Bachu town, not Gauss-Krüger metres
        assert set(f["properties"]) == {"code", "location", "area_m2", "land_use", "zone", "state", "state_label",
                                        "registered"}  # fmt: skip
    again = client.get("/api/v1/map/parcels.geojson", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    west_edge = {
        f["properties"]["code"]: min(x for x, _ in f["geometry"]["coordinates"][0]) for f in features
    }
    east = client.get("/api/v1/map/parcels.geojson", params={"bbox": "78.5615,39.7,78.6,39.8"}).json()[
        "features"
    ]
    assert (
        {f["properties"]["code"] for f in east} == {c for c, x in west_edge.items() if x >= 78.5615} != set()
    )
    one = client.get("/api/v1/map/parcels.geojson", params={"code": "BC-CB2026006"}).json()["features"]
    assert [f["properties"]["state"] for f in one] == ["in_reserve"]
    bad = client.get("/api/v1/map/parcels.geojson", params={"bbox": "1,2,3"})
    assert bad.status_code == 422 and "bbox" in bad.json()["error"]["message"]
    outside = client.get("/api/v1/map/parcels.geojson", params={"bbox": "200,0,201,1"})
    assert outside.status_code == 422 and "最小经度" in outside.json()["error"]["message"]
    layers = client.get("/api/v1/map/layers").json()
    assert [(x["name"], x["rule"]) for x in layers] == [("城镇开发边界（演示）", "must_lie_within"),
                                                      ("永久基本农田（演示）", "must_not_intersect")]  # fmt: skip
    shapes = client.get(f"/api/v1/map/layers/{layers[0]['id']}.geojson").json()["features"]
    assert shapes[0]["properties"]["label"] == "城镇开发边界（演示）"
    assert (
        demo_web.client().get("/api/v1/map/parcels.geojson").status_code == 401
    )  # internal data needs login


def test_funds_pages_and_a_payment_by_finance_only(demo_web):
    page = demo_web.login("development_reform").get("/funds").text
    assert "BC-ZXZQ-2026-01（演示）" in page and "7,500.00" in page  # the bond, 7500 万元
    assert "收入下降20%" in page and "覆盖倍数" in page and "<svg" in page
    ledger = demo_web.login("finance")
    form = ledger.get("/funds/ledger").text
    assert 'action="/funds/payments"' in form and "演示：补偿协议 BC006-1" in form
    data = {"csrf_token": ledger.csrf, "parcel": "BC-CB2026006", "category": "compensation", "amount": "1,000,000.00",
            "document": "补偿协议 BC006-2"}  # fmt: skip
    with reading(demo_web.ctx.engine) as s:
        before = s.scalar(select(func.count()).select_from(FundEntryRow))
    center = demo_web.login("reserve_center")
    assert 'action="/funds/payments"' not in center.get("/funds/ledger").text
    refused = center.post("/funds/payments", data={**data, "csrf_token": center.csrf})
    assert refused.status_code == 403 and "只限财政局" in refused.text
    paid = ledger.post("/funds/payments", data=data)
    assert paid.status_code == 303
    shown = ledger.get(paid.headers["location"]).text
    assert "已记账" in shown and "补偿协议 BC006-2" in shown and "1,000,000.00" in shown
    with reading(demo_web.ctx.engine) as s:
        assert s.scalar(select(func.count()).select_from(FundEntryRow)) == before + 1
    bad = ledger.post("/funds/payments", data={**data, "amount": "一百万"})
    assert bad.status_code == 422 and "金额“一百万”无法识别" in bad.text


INTERNAL = (
    "800.00", "8,000,000", "万元", "补偿协议", "演示-title_clear", "证据", "证明文件", "审核", "parcels.duplicate",
    "演示·", "测试员", "u-reserve-center", "demo-", "csrf", "/parcels/", "/funds", "资金", "财政局", "储备中心",
)  # fmt: skip


def test_the_public_page_shows_the_history_head_verify_log_accepts(demo_web):
    from landreserve.services import history  # noqa: PLC0415

    html = demo_web.client().get("/public").text
    seq, digest, _at = history.head(demo_web.ctx)
    assert f"verify-log --anchor {seq}:{digest}" in html and f"第 {seq} 条" in html
    assert history.verify(demo_web.ctx, (seq, digest)).ok


def test_the_public_page_shows_the_published_plan_and_nothing_internal(demo_web):
    anonymous = demo_web.client()
    page = anonymous.get("/public")
    assert page.status_code == 200
    html = page.text
    assert "巴楚县2026年土地储备计划" in html and "公开日期 2026-02-10" in html
    assert "BC-CB2026006" in html and "入库储备" in html and "迎宾南路东侧" in html and "<svg" in html
    assert 'data-parcels="/api/v1/public/parcels.geojson"' in html
    leaked = [word for word in INTERNAL if word in html]
    assert not leaked, leaked
    # the same for a logged-in visitor: the page renders as nobody
    staff = demo_web.login("reserve_center").get("/public").text
    assert "测试员" not in staff and "csrf" not in staff
    for url in ("/api/v1/public/parcels.geojson", "/api/v1/public/plans"):
        text = anonymous.get(url).text
        assert "BC-CB2026006" in text
        assert not [
            w for w in ("8000000", "补偿", "演示-", "演示·", "finding", "evidence", "registered") if w in text
        ]
    props = anonymous.get("/api/v1/public/parcels.geojson").json()["features"][0]["properties"]
    assert set(props) == {"code", "location", "area_m2", "land_use", "state", "state_label"}


def _foreign(html: str, host: str) -> list[str]:
    urls = re.findall(r"""https?://[^\s"'<>)]+""", html)
    return [u for u in urls if urlparse(u).hostname not in (host, "127.0.0.1", "localhost", "www.w3.org")]


def test_no_page_loads_anything_from_another_host_and_docs_work_offline(demo_web):
    host = urlparse(demo_web.url).hostname
    client = demo_web.login("it")
    pages = ["/", "/plans", "/plans/1", "/parcels", "/parcels/BC-CB2026006", "/map", "/funds", "/funds/ledger",
             "/plans/adjustments", "/plans/upload", "/docs", "/redoc"]  # fmt: skip
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        assert not _foreign(r.text, host), (url, _foreign(r.text, host))
    assert not _foreign(demo_web.client().get("/public").text, host)
    docs = client.get("/docs").text
    scripts = re.findall(r'src="([^"]+)"', docs) + re.findall(r'href="([^"]+\.css)"', docs)
    assert scripts and all(s.startswith("/static/docs/") for s in scripts), scripts
    for asset in scripts:
        assert client.get(asset).status_code == 200, asset
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/parcels", "/api/v1/map/parcels.geojson", "/api/v1/public/plans"} <= set(schema["paths"])


def test_local_tiles_are_served_for_the_tiles_basemap(demo_web, tmp_path):
    mbtiles = tmp_path / "county.mbtiles"
    with sqlite3.connect(mbtiles) as con:
        con.execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)"
        )
        con.execute(
            "INSERT INTO tiles VALUES (3, 5, 2, ?)", (b"\x89PNG tile",)
        )  # TMS row 2 = XYZ row 5 at z=3
    app = create_app(demo_web.ctx.settings, demo_web.ctx.engine, web_settings(basemap="tiles", tiles=str(mbtiles)),
                     migrate=False)  # fmt: skip
    server = Server(app)
    try:
        site = Site(server.url, demo_web.ctx, app)
        page = site.login("housing").get("/map").text
        assert "/tiles/{z}/{x}/{y}.png" in page.replace("&#34;", '"') and "底图：本地瓦片" in page
        anonymous = site.client()
        assert anonymous.get("/tiles/3/5/5.png").content == b"\x89PNG tile"
        assert anonymous.get("/tiles/3/5/4.png").status_code == 204
        for client in site.clients:
            client.close()
    finally:
        server.stop()
    assert demo_web.client().get("/tiles/3/5/5.png").status_code == 404  # basemap none: no tiles


def test_the_history_page_lists_the_chain_newest_first_and_verifies_it(demo_web):
    page = demo_web.login("housing").get("/history").text
    assert "哈希链校验完整" in page and "导入计划" in page and "状态变更为“入库储备”" in page
    seqs = [int(s) for s in re.findall(r"<tr><td>(\d+)</td>", page)]
    assert seqs == sorted(seqs, reverse=True) and seqs
    only = demo_web.login("housing").get("/history", params={"kind": "map_layer"}).text
    assert only.count("导入约束图层") == 2 and "导入计划" not in only
    assert demo_web.login("housing").get("/history", params={"department": "nowhere"}).status_code == 422


def test_the_administrator_manages_accounts_and_no_one_else(demo_web):
    admin = demo_web.login("it")
    assert "演示账号" in admin.get("/admin/accounts").text
    new = {"csrf_token": admin.csrf, "username": "cz-li", "display_name": "李会计", "department": "finance",
           "password": "Chushi-Mima-2026"}  # fmt: skip
    other = demo_web.login("housing")
    assert other.get("/admin/accounts").status_code == 403
    assert other.post("/admin/accounts", data={**new, "csrf_token": other.csrf}).status_code == 403
    created = admin.post("/admin/accounts", data=new)
    assert created.status_code == 303 and "已开设账号 cz-li" in admin.get(created.headers["location"]).text
    assert "待修改初始密码" in admin.get("/admin/accounts").text
    off = admin.post("/admin/accounts/cz-li/active", data={"csrf_token": admin.csrf, "active": "0"})
    assert off.status_code == 303 and "已停用账号 cz-li" in admin.get(off.headers["location"]).text


def test_a_record_number_too_large_for_the_database_is_a_chinese_422(demo_web):
    huge = "99999999999999999999999"
    api, page = demo_web.api_login("reserve_center"), demo_web.login("reserve_center")
    for path in (f"/api/v1/plans/{huge}/versions", f"/api/v1/plans/{huge}", f"/api/v1/documents/{huge}",
                 f"/api/v1/plan-versions/1/diff/{huge}"):  # fmt: skip
        answer = api.get(path)
        assert answer.status_code == 422 and "输入无效" in answer.json()["error"]["message"], path
    assert api.post(f"/api/v1/plan-versions/{huge}/publish", json={}).status_code == 422
    assert page.get(f"/plans/{huge}").status_code == 422 and page.get(f"/documents/{huge}").status_code == 422


class _Controls(HTMLParser):
    """Form controls that a screen reader cannot name: not inside a <label>, no <label for>, no aria-label."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # open <label> elements
        self.labelled_ids: set[str] = set()
        self.controls: list[tuple[str, dict, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.depth += 1
            if a.get("for"):
                self.labelled_ids.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            self.controls.append((tag, a, self.depth > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.depth -= 1

    def unnamed(self) -> list[str]:
        return [f"<{t} name={a.get('name')}>" for t, a, inside in self.controls
                if not inside and a.get("id") not in self.labelled_ids and not a.get("aria-label")
                and not a.get("aria-labelledby")]  # fmt: skip


def test_every_form_control_has_a_label(demo_web):
    """Accessible forms: each input, select and textarea of the working pages is named by a label."""
    client = demo_web.login("it")
    center, finance, government = (demo_web.login(d) for d in ("reserve_center", "finance", "government"))
    pages = [(client, u) for u in ("/", "/plans", "/plans/1", "/parcels", "/map", "/funds", "/history",
                                   "/admin/accounts", "/account/password")]  # fmt: skip
    pages += [(center, "/parcels/BC-CB2026004"), (center, "/plans/upload"), (center, "/plan-versions/1/adjust"),
              (finance, "/funds/ledger"), (government, "/plans/adjustments"), (demo_web.client(), "/login"),
              (demo_web.client(), "/public")]  # fmt: skip
    problems, seen = {}, 0
    for who, url in pages:
        answer = who.get(url)
        assert answer.status_code == 200, url
        parser = _Controls()
        parser.feed(answer.text)
        seen += len(parser.controls)
        if parser.unnamed():
            problems[url] = parser.unnamed()
    # the pages' forms were found (filters, evidence, transitions, payment, accounts, login)
    assert seen >= 30
    assert not problems, problems
