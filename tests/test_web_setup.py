"""Setting the web application up: assets pinned from their wheels, settings documented, the first
administrator, the demonstration of ``make run`` (once, marked, refused in production)."""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.services import demo
from landreserve.storage.db import reading
from landreserve.storage.geometry_tables import ParcelGeometryRow
from landreserve.storage.register_tables import ReserveParcelRow
from landreserve.storage.web_tables import AccountRow
from landreserve.web import assets
from landreserve.web.config import WEB_ENV_VARS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

#: the exact files the pages load: wheel, version, SHA-256 (a changed file fails this test)
PINNED = {
    "leaflet/leaflet.js": ("django-js-lib-leaflet", "1.9.4.1", "Leaflet 1.9.4",
                           "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a"),
    "leaflet/leaflet.css": ("django-js-lib-leaflet", "1.9.4.1", ".leaflet-pane",
                            "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6"),
    "htmx/htmx.min.js": ("django-js-lib-htmx", "2.0.3.1", 'version:"2.0.3"',
                         "491955cd1810747d7d7b9ccb936400afb760e06d25d53e4572b64b6563b2784e"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PINNED))
def test_front_end_files_come_from_their_wheels_at_the_pinned_version(name):
    wheel, version, marker, digest = PINNED[name]
    assert importlib.metadata.version(wheel) == version
    prefix, file_name = name.split("/", 1)
    data = (assets.packaged_folder(prefix) / file_name).read_bytes()
    assert marker.encode() in data[:200_000] and hashlib.sha256(data).hexdigest() == digest
    assert set(assets.FILES) == set(PINNED)


def test_no_page_or_script_loads_anything_from_outside():
    for path in [*(Path(assets.OWN).rglob("*")), *(Path(assets.OWN).parent / "templates").rglob("*.html")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "cdn" not in text.lower() and "unpkg" not in text and "jsdelivr" not in text, path


def test_every_web_setting_is_documented():
    missing = [var for var in WEB_ENV_VARS if f"`{var}`" not in README]
    assert not missing, f"web settings not documented in README.md: {missing}"


def cli(engine, *args, env=None):
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "COLUMNS": "200", **(env or {})})
    return runner.invoke(app, list(args))


def test_the_first_administrator_is_created_once(engine):
    made = cli(
        engine,
        "user",
        "create-admin",
        "admin",
        "--name",
        "信息中心管理员",
        "--password",
        "Xinxi-Zhongxin-2026",
    )
    assert made.exit_code == 0 and "已建立系统管理员 admin" in made.stdout
    again = cli(engine, "user", "create-admin", "admin2", "--password", "Xinxi-Zhongxin-2026")
    assert again.exit_code == 1 and "已有系统管理员账号" in again.stderr
    weak = cli(engine, "user", "add", "cz-wang", "--department", "finance", "--name", "王会计", "--password", "123",
               env={"LANDRESERVE_DEPARTMENT": "it"})  # fmt: skip
    assert weak.exit_code == 2 and "密码不符合要求" in weak.stderr
    refused = cli(engine, "user", "add", "cz-wang", "--department", "finance", "--name", "王会计", "--password",
                  "Caizheng-Ju-2026", env={"LANDRESERVE_DEPARTMENT": "finance"})  # fmt: skip
    assert refused.exit_code == 1 and "无权管理用户账号" in refused.stderr
    added = cli(engine, "user", "add", "cz-wang", "--department", "finance", "--name", "王会计", "--password",
                "Caizheng-Ju-2026", env={"LANDRESERVE_DEPARTMENT": "it"})  # fmt: skip
    assert added.exit_code == 0 and "首次登录须修改密码" in added.stdout
    listed = cli(engine, "user", "list")
    assert "cz-wang" in listed.stdout and "财政局" in listed.stdout


def test_the_demo_is_built_once_marked_and_refused_in_production(engine, bachu_plan_path, tmp_path):
    env = {"LANDRESERVE_FILES_DIR": str(tmp_path / "files")}
    refused = cli(
        engine, "demo", "--plan", str(bachu_plan_path), env={**env, "LANDRESERVE_ENVIRONMENT": "production"}
    )
    assert refused.exit_code == 1 and "生产环境不能建立演示数据" in refused.stderr
    first = cli(engine, "demo", "--plan", str(bachu_plan_path), env=env)
    assert first.exit_code == 0, first.stdout + first.stderr
    printed = [line for line in first.stdout.splitlines() if "用户名 demo-" in line]
    assert len(printed) == len(demo.DEMO_ACCOUNTS) and all("密码 " in line for line in printed)
    with reading(engine) as s:
        accounts = list(s.scalars(select(AccountRow)))
        assert all(a.is_demo and a.display_name.startswith("演示") for a in accounts) and len(accounts) == 8
        assert s.scalar(select(func.count()).select_from(ReserveParcelRow)) == 13
        assert s.scalar(select(func.count()).select_from(ParcelGeometryRow)) == 13
        names = set(s.scalars(select(ParcelGeometryRow.source_name)))
    assert names == {"巴楚县储备地块-演示界址（示意，非实测）.geojson"}
    second = cli(engine, "demo", "--plan", str(bachu_plan_path), env=env)
    assert second.exit_code == 0 and "已建立过" in second.stdout and "密码 " not in second.stdout


def test_sites_share_the_test_servers_and_each_answers_from_its_own_database(web, tmp_path, sqlite_template):
    """The test servers are started once per run (not per test); each site keeps its own port, application and
    database: logging in on one site opens a session in its database only."""
    import shutil

    from sqlalchemy import func, select

    from landreserve.storage.db import make_engine, reading
    from landreserve.storage.web_tables import WebSessionRow
    from web_support import SERVERS, site_for

    def sessions(engine) -> int:
        with reading(engine) as s:
            return s.scalar(select(func.count()).select_from(WebSessionRow))

    shutil.copy(sqlite_template, tmp_path / "other.sqlite3")
    other_engine = make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    started, leased = SERVERS.started, SERVERS.leased
    other, server = site_for(other_engine, tmp_path)
    try:
        assert other.url != web.url and SERVERS.leased == leased + 1
        assert SERVERS.started - started <= 1  # at most one more server, only when every port was held
        before = sessions(web.ctx.engine), sessions(other_engine)
        other.login("finance")
        assert (sessions(web.ctx.engine), sessions(other_engine)) == (before[0], before[1] + 1)
        web.login("finance")
        assert (sessions(web.ctx.engine), sessions(other_engine)) == (before[0] + 1, before[1] + 1)
    finally:
        for client in other.clients:
            client.close()
        server.stop()
        other_engine.dispose()
