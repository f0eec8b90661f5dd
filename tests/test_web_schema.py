"""The OpenAPI schema against the running application (schemathesis, in process, as the reserve center
over the demonstration data): for generated requests to every API operation, no server error, no status
code the schema does not document, and every documented body matches its schema.

Bounded: a few examples per operation, SQLite only (the handlers are the same on both backends)."""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from starlette.testclient import TestClient

from landreserve.services import demo
from landreserve.settings import Settings
from landreserve.storage.db import make_engine
from landreserve.web.app import create_app
from web_support import BACHU, PASSWORD, make_accounts, username, web_settings


@pytest.fixture(scope="module")
def api(tmp_path_factory, sqlite_template):
    from landreserve.domain.actors import Actor
    from landreserve.services.context import Context

    folder = tmp_path_factory.mktemp("schema")
    shutil.copy(sqlite_template, folder / "db.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'db.sqlite3'}")
    settings_ = Settings(database_url=str(engine.url), files_dir=str(folder / "files"))
    ctx = Context(engine=engine, settings=settings_, actor=Actor("测试", "it"))
    demo.setup(ctx, BACHU)
    make_accounts(ctx)
    app = create_app(settings_, engine, web_settings(), migrate=False)
    client = TestClient(app)
    login = client.post("/api/v1/login", json={"username": username("reserve_center"), "password": PASSWORD})
    yield app, login.json()["csrf_token"], client.cookies.get("lr_session")
    engine.dispose()


def test_no_server_error_and_no_undocumented_response(api):
    app, csrf, cookie = api
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app).exclude(
        path_regex="login|logout|password"
    )
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    failures, operations, calls = [], 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=6, suppress_health_check=list(HealthCheck), deadline=None, derandomize=True,
                  database=None)  # fmt: skip
        def run(case):
            calls.append(case.operation.label)
            case.call_and_validate(
                headers={"X-CSRF-Token": csrf}, cookies={"lr_session": cookie}, checks=checks
            )

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - every failing operation is reported together
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert operations >= 20 and len(calls) >= 2 * operations  # requests really were made
    assert not failures, "\n\n".join(failures)
