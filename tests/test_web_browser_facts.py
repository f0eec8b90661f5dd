"""A missing fact gate met from the parcel page in a real browser (Debian's Chromium through Playwright): the
gate says to use the page's own form, a malformed and an implausible area are refused in Chinese with nothing
saved, then the form fills the missing facts and the gate is met. Screenshots go to ``$LANDRESERVE_SCREENSHOTS``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actors import acting
from landreserve.domain.register import ParcelFacts, Source
from landreserve.services import register
from test_web_browser import _chromium, _login, _served, shot

CODE = "BC-TEST2026001"


@pytest.fixture(scope="module")
def site(tmp_path_factory, sqlite_template):
    with _served(tmp_path_factory, sqlite_template, "browser-facts") as site:
        facts = ParcelFacts(CODE, "巴楚镇测试路1号", Decimal("12000"), "住宅用地", "巴楚镇", stock=True)
        register.add_parcel(acting(site.ctx, "reserve_center"), facts)  # no source, no condition
        yield site


@pytest.fixture(scope="module")
def browser(site):
    with _chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def _version(site) -> int:
    return register.get_parcel(site.ctx, CODE).row_version


def test_a_missing_fact_gate_is_met_with_the_page_form(site, page):
    _login(page, site)
    page.goto(f"{site.url}/parcels/{CODE}")
    gates = page.locator("#gates")
    missing = gates.locator("li.missing:has-text('地块属性：土地来源')").first
    assert "补填或修改属性" in missing.inner_text()
    assert "landreserve parcel update" not in page.inner_text("body")
    assert (
        page.locator("details#facts-edit").get_attribute("open") is not None
    )  # open while facts are missing
    shot(page, "facts-1-missing")
    version = _version(site)

    form = page.locator("#facts-form")
    form.locator("input[name=area_m2]").fill("1.2万")
    form.locator("select[name=source]").select_option("purchased")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=面积“1.2万”不是数字")
    shot(page, "facts-2-malformed")
    assert _version(site) == version  # nothing saved: the source chosen with it neither

    page.click("#back")  # back to the parcel's page to correct the entry
    page.wait_for_url(f"{site.url}/parcels/{CODE}")
    page.locator("#facts-form input[name=area_m2]").fill("900000000")
    page.locator("#facts-form button[type=submit]").click()
    page.wait_for_selector("text=不合常理")
    shot(page, "facts-3-implausible")
    assert _version(site) == version

    page.goto(f"{site.url}/parcels/{CODE}")
    form = page.locator("#facts-form")
    form.locator("select[name=source]").select_option("purchased")
    form.locator("select[name=condition]").select_option("idle")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=地块属性已保存")
    assert page.locator("#gates li.met:has-text('地块属性：土地来源')").count() >= 1
    assert page.locator("#gates li.met:has-text('地块属性：闲置/低效或正常利用')").count() >= 1
    assert page.locator("#gates li.missing:has-text('地块属性')").count() == 0
    assert page.locator("#timeline li:has-text('修改地块属性')").count() == 1
    assert page.locator("details#facts-edit").get_attribute("open") is None  # nothing missing any more
    shot(page, "facts-4-met")
    facts = register.get_parcel(site.ctx, CODE).facts
    assert (facts.source, facts.condition.value, facts.area_m2) == (
        Source.PURCHASED,
        "idle",
        Decimal("12000"),
    )
