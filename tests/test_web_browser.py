"""The application in a real browser (Playwright driving Debian's Chromium, never a downloaded browser):
the reserve center logs in and walks dashboard → plan → parcel (records evidence with a file) → map → the
public page; screenshots of each page go to ``$LANDRESERVE_SCREENSHOTS`` (default /tmp/landreserve-screens).

Skipped without /usr/bin/chromium, unless ``LANDRESERVE_REQUIRE_BROWSER=1`` (CI), where it fails instead.
One server and one browser for the module, on SQLite (the pages are the same on both backends; the
backends are covered by the HTTP tests)."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="module")
def site(tmp_path_factory, sqlite_template):
    _need_browser()
    from landreserve.services import demo
    from landreserve.storage.db import make_engine

    folder = tmp_path_factory.mktemp("browser")
    shutil.copy(sqlite_template, folder / "db.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'db.sqlite3'}")
    site, server = site_for(engine, folder)
    demo.setup(site.ctx, BACHU)
    yield site
    server.stop()
    engine.dispose()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


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


def _view(page, loads: int) -> dict:
    """The map's state once its ``loads``-th view has been drawn (the count of answers, not a time)."""
    page.wait_for_selector(f"#map[data-loads='{loads}']", state="attached")
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
    near = _view(page, 1)
    assert int(near["zoom"]) == 17
    in_view = _same_as_the_api(site, near)
    assert 1 <= int(near["loaded"]) < 13  # the focused parcel and its neighbours, not the county
    assert "BC-CB2026004" in {f["properties"]["code"] for f in in_view["features"]}
    page.wait_for_selector(".leaflet-popup-content:has-text('BC-CB2026004')")
    shot(page, "8-map-focus")
    loads = 1
    while int(near["loaded"]) < 13:  # zooming out brings the others into view, one view at a time
        page.click(".leaflet-control-zoom-out")
        loads += 1
        near = _view(page, loads)
        _same_as_the_api(site, near)
        assert loads < 8, near
    assert "视野内地块 13 宗" in page.inner_text("#map-status")
    assert not page.errors, page.errors


@pytest.fixture(scope="module")
def county(tmp_path_factory, sqlite_template):
    """A county of 10,000 boundaries (the synthetic county of the benchmarks) behind its own site."""
    _need_browser()
    from benchmarks.map_geojson import county_boundaries

    from landreserve.storage.db import make_engine

    folder = tmp_path_factory.mktemp("county")
    shutil.copy(sqlite_template, folder / "db.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'db.sqlite3'}")
    county_boundaries(engine, 10_000)
    site, server = site_for(engine, folder)
    yield site
    for client in site.clients:
        client.close()
    server.stop()
    engine.dispose()


def _vertices(data: dict) -> int:
    def count(c):
        return 1 if isinstance(c[0], (int, float)) else sum(count(x) for x in c)

    return sum(count(f["geometry"]["coordinates"]) for f in data["features"])


def test_a_county_of_10000_parcels_is_drawn_a_view_at_a_time(county, page):
    _login(page, county)
    page.goto(f"{county.url}/map")
    whole = _view(page, 1)
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
    loads, view = 1, whole
    for _ in range(4):
        page.click(".leaflet-control-zoom-in")
        loads += 1
        view = _view(page, loads)
        _same_as_the_api(county, view)
    assert int(view["zoom"]) == int(whole["zoom"]) + 4
    assert int(view["loaded"]) == int(view["total"]) < 3000  # close up: every parcel in view, none left out
    assert not page.errors, page.errors
