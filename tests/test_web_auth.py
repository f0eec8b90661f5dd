"""Logging in and staying safe: argon2id hashes, signed HttpOnly SameSite cookies, a new session at every
login (no fixation), CSRF on every write, throttled logins, no open redirect, a production secret."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from landreserve.settings import Settings
from landreserve.storage.db import reading
from landreserve.storage.web_tables import AccountRow, WebSessionRow
from landreserve.web.config import ConfigurationError, WebSettings
from web_support import PASSWORD, username


def _login_form(client):
    page = client.get("/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_passwords_are_stored_as_argon2id_hashes_only(web):
    with reading(web.ctx.engine) as s:
        hashes = list(s.scalars(select(AccountRow.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_login_sets_a_signed_httponly_samesite_cookie_and_pages_need_it(web):
    anonymous = web.client()
    page = anonymous.get("/plans/adjustments?status=pending")
    assert (
        page.status_code == 303
        and page.headers["location"] == "/login?next=/plans/adjustments%3Fstatus%3Dpending"
    )
    assert anonymous.get("/api/v1/me").json()["error"]["code"] == "auth.required"
    client = web.client()
    token = _login_form(client)
    response = client.post(
        "/login", data={"username": username("finance"), "password": PASSWORD, "csrf_token": token}
    )
    cookie = response.headers["set-cookie"]
    assert "lr_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    me = client.get("/api/v1/me").json()
    assert me["account"]["department"] == "finance" and me["account"]["department_name"] == "财政局"
    forged = web.client()
    forged.cookies.set("lr_session", client.cookies["lr_session"][:-3] + "abc")
    assert forged.get("/api/v1/me").status_code == 401


def test_wrong_name_and_wrong_password_get_the_same_refusal(web):
    client = web.client()
    answers = []
    for name, password in ((username("finance"), "wrong-password-1"), ("nobody-here", PASSWORD)):
        response = client.post(
            "/login", data={"username": name, "password": password, "csrf_token": _login_form(client)}
        )
        answers.append((response.status_code, re.search(r'role="alert">([^<]+)<', response.text).group(1)))
    assert answers[0] == answers[1] == (401, "用户名或密码不正确，或账号已停用")


def test_logins_are_throttled_after_five_failures_even_with_the_right_password(web):
    client = web.client()
    for _ in range(5):
        r = client.post(
            "/api/v1/login", json={"username": username("government"), "password": "not-the-password"}
        )
        assert r.status_code == 401
    refused = client.post("/api/v1/login", json={"username": username("government"), "password": PASSWORD})
    assert refused.status_code == 429 and "登录失败次数过多" in refused.json()["error"]["message"]
    assert int(refused.headers["retry-after"]) == 900
    # another account is not affected
    assert (
        client.post("/api/v1/login", json={"username": username("finance"), "password": PASSWORD}).status_code
        == 200
    )


def test_session_fixation_a_token_planted_before_login_never_becomes_the_victims_session(web):
    attacker = web.api_login("housing")
    planted = attacker.cookies["lr_session"]
    victim = web.client()
    token = _login_form(victim)
    victim.cookies.set("lr_session", planted)
    assert (
        victim.get("/api/v1/me").json()["account"]["department"] == "housing"
    )  # the planted session works …
    response = victim.post(
        "/login", data={"username": username("finance"), "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    fresh = response.cookies["lr_session"]
    assert fresh != planted
    logged_in = web.client()
    logged_in.cookies.set("lr_session", fresh)
    assert logged_in.get("/api/v1/me").json()["account"]["department"] == "finance"
    # … but the attacker's token is now dead, never the victim's session
    replay = web.client()
    replay.cookies.set("lr_session", planted)
    assert replay.get("/api/v1/me").status_code == 401
    with reading(web.ctx.engine) as s:
        assert s.scalar(select(WebSessionRow.account_id).where(WebSessionRow.id.is_not(None))) is not None


def test_logout_ends_the_session_on_the_server(web):
    client = web.login("reserve_center")
    cookie = client.cookies["lr_session"]
    assert client.post("/logout", data={"csrf_token": client.csrf}).status_code == 303
    again = web.client()
    again.cookies.set("lr_session", cookie)
    assert again.get("/api/v1/me").status_code == 401


def test_an_ended_session_says_so_in_chinese_and_saves_nothing(web):
    client = web.login("finance")
    cookie, csrf = client.cookies["lr_session"], client.csrf
    client.post("/logout", data={"csrf_token": csrf})
    stale = web.client()
    stale.cookies.set("lr_session", cookie)
    page = stale.get("/parcels", params={"state": "planned"})
    assert page.status_code == 303 and page.headers["location"].endswith("&expired=1")
    assert "next=/parcels%3Fstate%3Dplanned" in page.headers["location"]
    login = stale.get(page.headers["location"]).text
    assert "登录已失效" in login and "没有保存" in login
    api = stale.get("/api/v1/me")
    assert api.status_code == 401 and api.json()["error"]["code"] == "auth.expired"
    assert "请重新登录" in api.json()["error"]["message"]
    before = web.history_count()
    write = stale.post("/funds/payments", data={"csrf_token": csrf, "parcel": "X", "category": "compensation",
                                                "amount": "1", "document": "D"})  # fmt: skip
    assert (
        write.status_code == 303
        and "expired=1" in write.headers["location"]
        and web.history_count() == before
    )
    fresh = web.client()  # never logged in: asked to log in, not told of an expiry
    assert "expired" not in fresh.get("/parcels").headers["location"]


def test_a_write_without_the_csrf_token_is_refused_and_changes_nothing(web, bachu_plan_path):
    client = web.login("reserve_center")
    before = web.history_count()
    files = {"file": ("bachu-2026.txt", bachu_plan_path.read_bytes(), "text/plain")}
    for headers, data in (({}, {}), ({"X-CSRF-Token": "not-the-token"}, {}), ({}, {"csrf_token": "x" * 43})):
        refused = client.post("/api/v1/plans", files=files, headers=headers, data=data)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.csrf"
    assert web.history_count() == before
    page = client.post("/plans/upload", files=files)
    assert page.status_code == 403 and "安全令牌" in page.text
    ok = client.post("/api/v1/plans", files=files, headers={"X-CSRF-Token": client.csrf})
    assert ok.status_code == 201 and ok.json()["created"] is True
    assert web.history_count() == before + 1


def test_a_changed_password_ends_every_session_and_the_old_password(web):
    first, second = web.api_login("housing"), web.api_login("housing")
    new = "Zhujian-Xin-Mima-2027"
    r = first.post("/api/v1/me/password", json={"old_password": PASSWORD, "new_password": new})
    assert r.status_code == 204
    assert second.get("/api/v1/me").status_code == 401 and first.get("/api/v1/me").status_code == 401
    client = web.client()
    assert (
        client.post("/api/v1/login", json={"username": username("housing"), "password": PASSWORD}).status_code
        == 401
    )
    assert (
        client.post("/api/v1/login", json={"username": username("housing"), "password": new}).status_code
        == 200
    )
    weak = client.post("/api/v1/me/password", headers={"X-CSRF-Token": client.get("/api/v1/me").json()["csrf_token"]},
                       json={"old_password": new, "new_password": "aaaaaaaaaaaa"})  # fmt: skip
    assert weak.status_code == 422 and "密码不符合要求" in weak.json()["error"]["message"]


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_never_redirects_off_site(web, target):
    client = web.client()
    token = _login_form(client)
    r = client.post(
        "/login", data={"username": username("it"), "password": PASSWORD, "csrf_token": token, "next": target}
    )
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_pages_carry_a_strict_content_security_policy(web):
    client = web.login("it")
    headers = client.get("/").headers
    assert (
        "script-src 'self';" in headers["content-security-policy"]
        and "unsafe-inline" not in headers["content-security-policy"]
    )
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize("secret", [None, "changeme", "short-secret", "a" * 40])
def test_production_refuses_to_start_with_a_default_secret(monkeypatch, secret):
    monkeypatch.setenv("LANDRESERVE_ENVIRONMENT", "production")
    if secret is None:
        monkeypatch.delenv("LANDRESERVE_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("LANDRESERVE_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="生产环境.*拒绝启动"):
        WebSettings.from_env(Settings.from_env())
    monkeypatch.setenv("LANDRESERVE_SECRET_KEY", "kR3u9-ZxQ2_pL8mW4vB7nT1yH6cJ0dF5gS")
    web = WebSettings.from_env(Settings.from_env())
    assert web.cookie_secure is True  # production cookies are sent over HTTPS only
