"""The web application under test: served by a real uvicorn on a loopback port (real HTTP, real sockets),
over the test's database (SQLite or PostgreSQL), with one account per department.

``web`` (a fixture) gives a ``Site``: ``site.login(department)`` returns an ``httpx.Client`` logged in as that
department's account (its ``csrf`` attribute holds the session's CSRF token).
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from landreserve.domain.actors import DEPARTMENTS, Actor
from landreserve.services import accounts
from landreserve.services.clock import utc_now
from landreserve.services.context import Context
from landreserve.settings import Settings
from landreserve.storage.db import reading, transaction
from landreserve.storage.history_tables import HistoryEntryRow
from landreserve.storage.web_tables import AccountRow
from landreserve.web.app import create_app
from landreserve.web.config import WebSettings

PASSWORD = "Gu0tu-Chubei-2026"  # every test account's password
SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def web_settings(**changes) -> WebSettings:
    values = dict(
        secret_key=SECRET, cookie_secure=False, session_lifetime=timedelta(hours=12),
        session_idle=timedelta(hours=2), login_max_failures=5, basemap="none", tiles=None, tianditu_key=None,
        map_center=(78.55, 39.79), trusted_proxies="127.0.0.1", root_path="",
    )  # fmt: skip
    values.update(changes)
    return WebSettings(**values)


def username(department: str) -> str:
    return f"u-{department.replace('_', '-')}"


class _Servers:
    """The uvicorn servers of this test process. Each listens on ``SOCKETS`` loopback ports and hands a request
    to the application of the site holding the port it came in on (``scope["server"]``): sites come and go with
    their tests (each with its own application over its own database), the servers stay. A new server is
    started only when every port is held, so a whole run starts one or two (``started`` counts them)."""

    SOCKETS = 4

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.apps: dict[int, object] = {}
        self.free: list[int] = []
        self.running: list[tuple[uvicorn.Server, threading.Thread]] = []
        self.started = 0  # servers
        self.leased = 0  # sites served

    async def dispatch(self, scope, receive, send):
        app = self.apps.get(scope["server"][1]) if scope.get("server") else None
        if app is None:  # a port no site holds (a leftover connection): refuse like a closed site
            if scope["type"] == "http":
                await send({"type": "http.response.start", "status": 503, "headers": []})
                await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)

    def lease(self, app) -> int:
        with self.lock:
            if not self.free:
                self._start()
            port = self.free.pop()
            self.apps[port] = app
            self.leased += 1
            return port

    def release(self, port: int) -> None:
        with self.lock:
            self.apps.pop(port, None)
            self.free.append(port)

    def _start(self) -> None:
        sockets = []
        for _ in range(self.SOCKETS):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        server = uvicorn.Server(
            uvicorn.Config(
                self.dispatch, interface="asgi3", log_level="warning", lifespan="off", access_log=False
            )
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, daemon=True)
        thread.start()
        for _ in range(2000):  # waits for the flag, not for a time: the loop ends when the server is up
            if server.started:
                break
            thread.join(0.01)
        assert server.started, "uvicorn did not start"
        self.started += 1
        self.running.append((server, thread))
        self.free.extend(s.getsockname()[1] for s in sockets)

    def stop_all(self) -> None:
        for server, thread in self.running:
            server.should_exit = True
            thread.join(10)
        self.running.clear()


SERVERS = _Servers()


def pytest_terminal_summary(terminalreporter):
    if SERVERS.leased:
        terminalreporter.write_line(
            f"web: {SERVERS.leased} sites served by {SERVERS.started} uvicorn server(s)"
        )


def pytest_unconfigure(config):
    SERVERS.stop_all()


class Server:
    """``app`` served by real uvicorn on a loopback port of its own (real HTTP, real sockets) until ``stop()``."""

    def __init__(self, app):
        self.port = SERVERS.lease(app)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        SERVERS.release(self.port)


@dataclass
class Site:
    url: str
    ctx: Context
    app: object
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, **kwargs) -> httpx.Client:
        client = httpx.Client(base_url=self.url, follow_redirects=False, timeout=60, **kwargs)
        self.clients.append(client)
        return client

    def login(self, department: str, password: str = PASSWORD) -> httpx.Client:
        """A client logged in through the login form (the way a browser does it)."""
        client = self.client()
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = client.post(
            "/login",
            data={"username": username(department), "password": password, "csrf_token": token, "next": "/"},
        )
        assert response.status_code == 303, response.text
        client.csrf = csrf_of(client)
        return client

    def api_login(self, department: str) -> httpx.Client:
        client = self.client()
        response = client.post("/api/v1/login", json={"username": username(department), "password": PASSWORD})
        assert response.status_code == 200, response.text
        client.csrf = response.json()["csrf_token"]
        client.headers["X-CSRF-Token"] = client.csrf
        return client

    def history_count(self) -> int:
        with reading(self.ctx.engine) as session:
            return session.scalar(select(func.count()).select_from(HistoryEntryRow))


def csrf_of(client: httpx.Client) -> str:
    page = client.get("/account/password")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


_HASH: list[str] = []


def make_accounts(ctx: Context) -> None:
    """One account per department, all with ``PASSWORD`` (hashed once per test run: the rows are written
    directly, as a fixture; creating accounts through the service is tested in test_web_admin)."""
    if not _HASH:
        _HASH.append(accounts.HASHER.hash(PASSWORD))
    now = utc_now()
    with transaction(ctx.engine) as session:
        for department, label in DEPARTMENTS.items():
            session.add(AccountRow(
                username=username(department), display_name=f"{label}测试员", department=department,
                password_hash=_HASH[0], is_demo=False, active=True, must_change_password=False, created_at=now,
                created_by="测试", password_changed_at=now,
            ))  # fmt: skip


def site_for(engine, tmp_path: Path, **web_changes):
    settings = Settings(database_url=str(engine.url), files_dir=str(tmp_path / "files"))
    ctx = Context(engine=engine, settings=settings, actor=Actor("测试", "it"))
    make_accounts(ctx)
    app = create_app(settings, engine, web_settings(**web_changes), migrate=False)
    server = Server(app)
    return Site(server.url, ctx, app), server


@pytest.fixture
def web(engine, tmp_path):
    site, server = site_for(engine, tmp_path)
    yield site
    for client in site.clients:
        client.close()
    server.stop()


BACHU = Path(__file__).resolve().parent.parent / "data" / "plans" / "bachu-2026.txt"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_web(request, tmp_path_factory):
    """A site over the demonstration data of ``make run``, shared by the tests of one module (built once per
    backend; the tests of such a module touch different parcels): the Bachu plan approved and published, its
    13 parcels registered with boundaries, two constraint layers, a bond, a project, one parcel in the reserve."""
    from conftest import _truncate_all
    from landreserve.services import demo
    from landreserve.storage.db import make_engine

    folder = tmp_path_factory.mktemp("demo-web")
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), folder / "demo.sqlite3")
        engine = make_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
    else:
        engine = make_engine(request.getfixturevalue("postgres_url"))
        _truncate_all(engine)
    site, server = site_for(engine, folder)
    demo.setup(site.ctx, BACHU)
    yield site
    for client in site.clients:
        client.close()
    server.stop()
    engine.dispose()
