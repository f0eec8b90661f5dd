"""The application in a real browser (Playwright driving Debian's Chromium, never a downloaded browser):
the reserve center logs in and walks dashboard → plan → parcel (records evidence with a file) → map → the
public page; screenshots of each page go to ``$LANDRESERVE_SCREENSHOTS`` (default /tmp/landreserve-screens).

Skipped without /usr/bin/chromium, unless ``LANDRESERVE_REQUIRE_BROWSER=1`` (CI), where it fails instead.
One server and one browser for the module, on SQLite (the pages are the same on both backends; the
backends are covered by the HTTP tests)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from web_support import BACHU, PASSWORD, site_for, username

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip
SHOTS = Path(os.environ.get("LANDRESERVE_SCREENSHOTS", "/tmp/landreserve-screens"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _need_browser():
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            problem = f"playwright not installed: {exc}"
    if problem:
        if os.environ.get("LANDRESERVE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required (LANDRESERVE_REQUIRE_BROWSER=1) but {problem}")
        pytest.skip(problem)


@contextmanager
def _served(tmp_path_factory, sqlite_template, name: str, fill=None):
    """A site over its own copy of the migrated template database; ``fill(engine)`` runs before it is served."""
    _need_browser()
    from landreserve.storage.db import make_engine

    folder = tmp_path_factory.mktemp(name)
    shutil.copy(sqlite_template, folder / "db.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'db.sqlite3'}")
    if fill is not None:
        fill(engine)
    site, server = site_for(engine, folder)
    try:
        yield site
    finally:
        for client in site.clients:
            client.close()
        server.stop()
        engine.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory, sqlite_template):
    from landreserve.services import demo

    with _served(tmp_path_factory, sqlite_template, "browser") as site:
        demo.setup(site.ctx, BACHU)
        yield site


@contextmanager
def _chromium():
    """Debian's Chromium driven by Playwright, headless (shared by the browser test modules)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def browser(site):
    with _chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None,
    )
    tab.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.errors = errors
    yield tab
    context.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_reserve_center_walks_dashboard_plan_parcel_map(site, page, tmp_path):
    page.goto(f"{site.url}/")
    assert "/login" in page.url
    page.fill("input[name=username]", username("reserve_center"))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/")
    assert "工作台" in page.title() and page.locator(".kpi").count() >= 4
    assert page.locator("svg.chart").count() >= 3
    shot(page, "1-dashboard")

    page.click("text=巴楚县2026年土地储备计划")
    page.wait_for_selector("h1:has-text('第1版')")
    shot(page, "2-plan")

    page.goto(f"{site.url}/parcels?sort=area&desc=1")
    assert page.locator("#parcel-list tbody tr").count() == 13
    shot(page, "3-parcels")
    page.click("a:has-text('BC-CB2026004')")
    page.wait_for_selector("#gates")
    page.wait_for_selector("#map[data-loaded='1']")
    evidence = tmp_path / "产权证明.pdf"
    evidence.write_bytes(PDF)
    if page.locator("details:has(#evidence-form)").get_attribute("open") is None:
        page.click("summary:has-text('登记证据')")
    form = page.locator("#evidence-form")
    form.locator("select[name=kind]").select_option("title_clear")
    form.locator("input[name=ref]").fill("巴不动产权第0004号")
    form.locator("input[name=file]").set_input_files(str(evidence))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=证据已登记")
    assert page.locator("#documents a:has-text('产权证明.pdf')").count() == 1
    assert page.locator("#gates li.met:has-text('产权清晰')").count() >= 1
    shot(page, "4-parcel")

    page.goto(f"{site.url}/map")
    page.wait_for_selector("#map[data-loaded='13']")
    page.check("input.layer-switch >> nth=0")
    page.wait_for_selector("#map[data-layers-shown='1']")
    assert page.locator("#legend .legend-item").count() >= 2
    assert "地块 13 宗" in page.inner_text("#map-status")
    shot(page, "5-map")
    page.check("input[name=color][value=use]")
    assert "住宅用地" in page.inner_text("#legend")

    page.click("nav.mainnav >> text=资金与债券")
    page.wait_for_selector("table.sensitivity")
    assert "收入下降20%" in page.inner_text("#projects")
    shot(page, "7-funds")
    assert not page.errors, page.errors


def test_the_public_page_without_login(site, page):
    page.goto(f"{site.url}/public")
    assert page.locator("table.public-parcels tbody tr").count() == 13
    page.wait_for_selector("#map[data-loaded='13']")
    text = page.inner_text("body")
    assert "巴楚县2026年土地储备计划" in text and "工作人员登录" in text
    assert "万元" not in text and "演示·" not in text and "证据" not in text
    shot(page, "6-public")
    assert not page.errors, page.errors


def _login(page, site, department="reserve_center"):
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", username(department))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/")


def _view(page, after: int) -> dict:
    """The map's state once a view drawn after its ``after``-th load has settled: not moving, no load
    waiting or in flight (``data-idle``, a state the page sets, not a time). Waiting for the load count to
    equal an exact number could be overtaken: the focused parcel's popup pans the map into view, which is a
    load of its own, and a count that went past the number waited for never comes back to it."""
    page.wait_for_function(
        "n => { const m = document.getElementById('map'); return m && Number(m.dataset.loads || 0) > n"
        " && m.dataset.idle === '1'; }",
        arg=after,
    )
    return page.eval_on_selector("#map", "m => ({...m.dataset})")


def _same_as_the_api(site, view: dict) -> dict:
    """The API's answer for the view the browser asked for: the browser drew exactly those features."""
    client = site.login("reserve_center")
    data = client.get("/api/v1/map/parcels.geojson",
                      params={"bbox": view["bbox"], "zoom": view["zoom"], "limit": 3000}).json()  # fmt: skip
    assert int(view["loaded"]) == data["shown"] == len(data["features"]) == int(view["drawn"])
    assert int(view["total"]) == data["total"]
    return data


def test_the_map_loads_only_the_parcels_in_view(site, page):
    _login(page, site)
    page.goto(f"{site.url}/map?focus=BC-CB2026004")
    near = _view(page, 0)
    assert int(near["zoom"]) == 17
    in_view = _same_as_the_api(site, near)
    assert 1 <= int(near["loaded"]) < 13  # the focused parcel and its neighbours, not the county
    assert "BC-CB2026004" in {f["properties"]["code"] for f in in_view["features"]}
    page.wait_for_selector(".leaflet-popup-content:has-text('BC-CB2026004')")
    shot(page, "8-map-focus")
    # the window resized (as a late layout does on a busy machine): the map loads its new view unasked, and
    # the waits below still find the view each click asks for
    page.set_viewport_size({"width": 1280, "height": 860})
    near = _view(page, int(near["loads"]))
    clicks = 0
    while int(near["loaded"]) < 13:  # zooming out brings the others into view, one view at a time
        page.click(".leaflet-control-zoom-out")
        clicks += 1
        zoom, near = int(near["zoom"]), _view(page, int(near["loads"]))
        assert int(near["zoom"]) == zoom - 1, near  # the view drawn is the one the click asked for
        _same_as_the_api(site, near)
        assert clicks < 8, near
    assert "视野内地块 13 宗" in page.inner_text("#map-status")
    assert not page.errors, page.errors


@pytest.fixture(scope="module")
def county(tmp_path_factory, sqlite_template):
    """A county of 10,000 boundaries (the synthetic county of the benchmarks) behind its own site."""
    from benchmarks.map_geojson import county_boundaries

    with _served(tmp_path_factory, sqlite_template, "county", lambda e: county_boundaries(e, 10_000)) as site:
        yield site


def _vertices(data: dict) -> int:
    def count(c):
        return 1 if isinstance(c[0], (int, float)) else sum(count(x) for x in c)

    return sum(count(f["geometry"]["coordinates"]) for f in data["features"])


def test_a_county_of_10000_parcels_is_drawn_a_view_at_a_time(county, page):
    _login(page, county)
    page.goto(f"{county.url}/map")
    whole = _view(page, 0)
    answer = _same_as_the_api(county, whole)
    assert int(whole["total"]) == 10_000 and int(whole["loaded"]) == 3000  # the largest 3,000 of the county
    assert "显示面积最大的 3000 宗" in page.inner_text("#map-status")
    client = county.login("reserve_center")
    full = client.get("/api/v1/map/parcels.geojson", params={"bbox": whole["bbox"], "limit": 3000}).json()
    assert {f["properties"]["code"] for f in full["features"]} == {
        f["properties"]["code"] for f in answer["features"]
    }
    assert _vertices(answer) < _vertices(full) * 0.7  # simplified to a pixel at the county's zoom level
    shot(page, "9-map-county")
    view = whole
    for _ in range(4):
        page.click(".leaflet-control-zoom-in")
        zoom, view = int(view["zoom"]), _view(page, int(view["loads"]))
        assert int(view["zoom"]) == zoom + 1, view
        _same_as_the_api(county, view)
    assert int(view["zoom"]) == int(whole["zoom"]) + 4
    assert int(view["loaded"]) == int(view["total"]) < 3000  # close up: every parcel in view, none left out
    assert not page.errors, page.errors


# --- the departments' flows, each checked on the page and in the database ------------------------------


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, sqlite_template):
    """A site with accounts and nothing else (the plan is uploaded through the browser)."""
    with _served(tmp_path_factory, sqlite_template, "fresh") as site:
        yield site


def _rows(site, query):
    from landreserve.storage.db import reading

    with reading(site.ctx.engine) as session:
        return session.execute(query).all()


def _history(site, action: str):
    from sqlalchemy import select

    from landreserve.storage.history_tables import HistoryEntryRow as H

    return _rows(site, select(H.department, H.actor, H.entity_id).where(H.action == action).order_by(H.seq))


def _last_entry(site) -> tuple[str, str, str]:
    from sqlalchemy import select

    from landreserve.storage.history_tables import HistoryEntryRow as H

    [row] = _rows(site, select(H.department, H.actor, H.action).order_by(H.seq.desc()).limit(1))
    return row.department, row.actor.split("（")[0].split(" ")[0].split("(")[0], row.action


def test_a_plan_is_uploaded_its_findings_shown_then_the_government_approves_it(fresh, page, browser):
    from sqlalchemy import func, select

    from landreserve.storage.plan_tables import PlanFindingRow, PlanVersionRow

    _login(page, fresh, "reserve_center")
    page.goto(f"{fresh.url}/plans/upload")
    page.set_input_files("input[name=file]", str(BACHU))
    page.click("button:has-text('上传并审核')")
    page.wait_for_selector("#findings")
    assert _rows(fresh, select(PlanVersionRow.id)) == []  # nothing stored before the center accepts
    errors = page.locator("#findings li.error[data-code='parcels.duplicate']").count()
    assert errors >= 2 and page.locator("mark.cited-error").count() >= 2
    shown = page.locator("#findings li").count()
    page.locator("#findings li.error a").first.click()  # a finding's line link goes to the cited line
    assert "#L" in page.url
    shot(page, "10-plan-findings")
    page.click("#accept-import")
    page.wait_for_selector("text=已导入并保存")
    [(version_id, status)] = _rows(fresh, select(PlanVersionRow.id, PlanVersionRow.status))
    assert status == "imported"
    stored = _rows(fresh, select(func.count()).select_from(PlanFindingRow))[0][0]
    assert stored == shown  # every finding shown is kept with the version
    assert page.locator("#approve").count() == 0  # the center may not approve

    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    try:
        gov = context.new_page()
        gov.set_default_timeout(15_000)
        _login(gov, fresh, "government")
        gov.goto(f"{fresh.url}/plans/1?version={version_id}")
        form = gov.locator("#approve form")
        form.locator("input[name=approval_no]").fill("巴政函〔2026〕7号")
        form.locator("input[name=approved_on]").fill("2026-02-01")
        form.locator("button[type=submit]").click()
        gov.wait_for_selector(".badge:has-text('已批准（现行）')")
        assert "巴政函〔2026〕7号" in gov.inner_text("main")
        shot(gov, "11-plan-approved")
    finally:
        context.close()
    [(status, number, body)] = _rows(fresh, select(PlanVersionRow.status, PlanVersionRow.approval_no,
                                                   PlanVersionRow.approving_body))  # fmt: skip
    assert (status, number, body) == ("approved", "巴政函〔2026〕7号", "巴楚县人民政府")
    assert [d for d, _, _ in _history(fresh, "plan.approve")] == ["government"]
    assert not page.errors, page.errors


def test_finance_records_a_payment_and_a_wrong_amount_is_refused(site, page):
    from decimal import Decimal

    from sqlalchemy import select

    from landreserve.storage.funds_tables import FundEntryRow as F

    before = _rows(site, select(F.id))
    _login(page, site, "finance")
    page.goto(f"{site.url}/funds/ledger")
    form = page.locator("form[action='/funds/payments']")
    form.locator("input[name=parcel]").fill("BC-CB2026006")
    form.locator("select[name=category]").select_option("compensation")
    form.locator("input[name=amount]").fill("1,250,000.00")
    form.locator("input[name=document]").fill("补偿协议 BC006-9")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已记账")
    assert "补偿协议 BC006-9" in page.inner_text("main") and "1,250,000.00" in page.inner_text("main")
    shot(page, "12-ledger")
    after = _rows(
        site,
        select(F.parcel_code, F.category, F.amount, F.document).where(F.id.not_in([i for (i,) in before])),
    )
    assert after == [("BC-CB2026006", "compensation", Decimal("1250000.00"), "补偿协议 BC006-9")]
    department, actor, action = _last_entry(site)
    assert (department, actor) == (
        "finance",
        "财政局测试员",
    ) and "pay" in action  # in the history, by finance

    form = page.locator("form[action='/funds/payments']")
    form.locator("input[name=parcel]").fill("BC-CB2026006")
    form.locator("input[name=amount]").fill("一百万")
    form.locator("input[name=document]").fill("补偿协议 BC006-10")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=金额“一百万”无法识别")
    assert len(_rows(site, select(F.id))) == len(before) + 1  # the refused payment wrote nothing
    page.errors[:] = [e for e in page.errors if not e.startswith("422 ")]  # the refusal itself
    assert not page.errors, page.errors


def _missing(page) -> int:
    card = page.locator(".gate-card:has(h3:has-text('转为“入库储备”'))")
    return card.locator("li.missing").count()


def test_a_parcel_moves_into_the_reserve_only_when_its_gates_are_met(site, page):
    from sqlalchemy import select

    from landreserve.storage.register_tables import ReserveParcelRow as R

    code = "BC-CB2026005"
    page.on("dialog", lambda dialog: dialog.accept())  # the form asks for confirmation
    _login(page, site, "reserve_center")
    page.goto(f"{site.url}/parcels/{code}")
    missing = _missing(page)
    assert missing >= 6
    # each missing gate says how to meet it with the evidence form below, not in the command line's syntax
    risk = site.ctx.settings.risk_checks[0]
    assert page.locator(f"#gates li.missing:has-text('选证据类型“风险排查”，对象填“{risk}”')").count() >= 1
    assert page.locator("#gates:has-text('kind=')").count() == 0
    shot(page, "13a-parcel-gates")
    page.click("button:has-text('办理：转为“入库储备”')")
    page.wait_for_selector("text=风险排查")  # the refusal names what is missing
    assert _rows(site, select(R.state).where(R.code == code)) == [("planned",)]
    page.errors[:] = [e for e in page.errors if not e.startswith("422 ")]
    page.goto(f"{site.url}/parcels/{code}")
    steps = [(k, "") for k in ("title_clear", "no_seizure", "no_mortgage", "no_guarantee", "compensation_settled",
                              "registration")] + [("risk_check", r) for r in site.ctx.settings.risk_checks]  # fmt: skip
    for n, (kind, subject) in enumerate(steps):
        if page.locator("details:has(#evidence-form)").get_attribute("open") is None:
            page.click("summary:has-text('登记证据')")
        form = page.locator("#evidence-form")
        form.locator("select[name=kind]").select_option(kind)
        form.locator("input[name=subject]").fill(subject)
        form.locator("input[name=ref]").fill(f"巴储证第{n:04d}号")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("text=证据已登记")
        now = _missing(page)
        assert now == missing - 1, (kind, now, missing)  # each piece of evidence meets one gate
        missing = now
    assert (
        missing == 0
        and page.locator(".gate-card:has-text('转为“入库储备”') .badge:has-text('条件齐备')").count() == 1
    )
    page.click("button:has-text('办理：转为“入库储备”')")
    page.wait_for_selector("text=状态已变更为“入库储备”")
    page.wait_for_selector("#map[data-loaded='1']")
    shot(page, "13-parcel-in-reserve")
    assert _rows(site, select(R.state).where(R.code == code)) == [("in_reserve",)]
    [(department, _, entity)] = _history(site, "parcel.transition.in_reserve")[-1:]
    assert (department, entity) == ("reserve_center", code)
    assert not page.errors, page.errors


def test_a_parcel_page_prints_its_record_without_the_controls(site, page):
    _login(page, site, "housing")
    page.goto(f"{site.url}/parcels/BC-CB2026006")
    page.wait_for_selector("#map[data-loaded='1']")
    assert page.locator("#print").is_visible() and not page.locator("#printed-by").is_visible()
    page.emulate_media(media="print")
    for hidden in ("header.topbar", "#print", "footer.foot", ".leaflet-control-zoom"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("#facts", "#gates", "#evidence", "#printed-by"):
        assert page.locator(shown).is_visible(), shown
    assert "打印" in page.inner_text("#printed-by") and "数据截至" in page.inner_text("#printed-by")
    assert page.locator("form:visible").count() == 0
    shot(page, "14-parcel-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert not page.errors, page.errors


@pytest.fixture(scope="module")
def outside_plan(tmp_path_factory, sqlite_template):
    """The demonstration county plus one parcel registered outside the approved plan (its own site, so the
    shared one keeps the plan's 13 parcels)."""
    from dataclasses import replace
    from decimal import Decimal

    from landreserve.domain.actors import Actor
    from landreserve.domain.register import Condition, ParcelFacts
    from landreserve.services import demo, register

    with _served(tmp_path_factory, sqlite_template, "outside-plan") as site:
        demo.setup(site.ctx, BACHU)
        facts = ParcelFacts("BC-JH2026901", "巴楚镇计划外地块", Decimal("12000"), "住宅用地", "巴楚镇",
                            condition=Condition.IDLE)  # fmt: skip
        register.add_parcel(replace(site.ctx, actor=Actor("测试", "reserve_center")), facts)
        yield site


def _box(locator) -> tuple[float, float, float, float]:
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    return box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_outside_the_plan_badge_keeps_clear_of_the_condition_row(outside_plan, page):
    """The badge 不在现行已批准计划中 is drawn with its own padding; its box must not reach into the 现状 row
    above it (it did by 4 px: the padding of a message box on an inline span)."""
    _login(page, outside_plan, "reserve_center")
    page.goto(f"{outside_plan.url}/parcels/BC-JH2026901")
    badge = page.locator("dl.facts dd .warn:has-text('不在现行已批准计划中')")
    condition_term = page.locator("dl.facts dt:text-is('现状')")
    condition = condition_term.locator("xpath=following-sibling::dd[1]")
    assert badge.count() == 1 and "闲置土地" in condition.inner_text()
    badge_box = _box(badge)
    for row in (condition_term, condition):
        assert not _overlap(badge_box, _box(row)), (badge_box, _box(row))
    plan_term = _box(page.locator("dl.facts dt:text-is('储备计划')"))
    assert not _overlap(badge_box, _box(page.locator("dl.facts dt:text-is('区域')")))
    assert plan_term[1] < badge_box[3] and badge_box[1] < plan_term[3]  # the badge is on the 储备计划 row
    shot(page, "14-parcel-outside-plan")
    assert not page.errors, page.errors
