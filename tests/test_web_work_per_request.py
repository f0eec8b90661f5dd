"""The work a request costs, counted (not timed): the SQL statements of the main pages once their results are
kept, and how the map is rebuilt after writes — not at all after a write elsewhere, one parcel's properties
after a register write, whole after a boundary import. A regression guard: a page that starts reading more
per request, or a map rebuilt for a write it does not show, fails here."""

from __future__ import annotations

import gc
import gzip
import json
import zlib
from contextlib import contextmanager

from sqlalchemy import event

from actors import acting
from landreserve.services import accounts, geometry, map_data, register

#: statements that only open or end a transaction (SQLite's BEGIN is sent as a statement, PostgreSQL's is not)
_FRAMING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def counted(engine):
    """The SQL statements the engine sends inside the block (transaction framing left out)."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_FRAMING):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


#: page → statements per request once its results are kept (the session with its account and the data
#: version are one statement; then what the page itself must read fresh)
MAIN_PAGES = {
    "/": 1,  # the dashboard is kept until the data changes
    "/parcels": 1,  # the list is kept as rendered until the data changes (the page around it is not)
    "/api/v1/parcels": 1,  # kept as sent
    "/map": 2,  # the constraint layers
    "/api/v1/map/parcels.geojson": 1,
    "/api/v1/map/parcels.geojson?bbox=78.5,39.7,78.6,39.8&zoom=14&limit=3000": 1,
    "/parcels/BC-CB2026003": 8,  # parcel, evidence, plan, timeline; documents; money; boundary
}


def test_the_main_pages_read_a_fixed_number_of_statements(demo_web):
    client = demo_web.login("reserve_center")
    for path in MAIN_PAGES:
        assert client.get(path).status_code == 200, path  # the first request fills what is kept
    found = {}
    for path in MAIN_PAGES:
        with counted(demo_web.ctx.engine) as seen:
            assert client.get(path).status_code == 200, path
        found[path] = len(seen)
        if path != "/":
            assert "history_entries" in seen[0] and "web_sessions" in seen[0], seen  # one statement for both
    assert found == MAIN_PAGES


def _rows(page: str) -> str:
    """The list part of a parcel list page (what is kept as rendered)."""
    return page[page.index('<form method="get"') : page.index("</main>")]


def test_a_list_is_kept_as_rendered_until_the_data_changes(demo_web):
    """A list asked again with the data unchanged reads no list statement and renders nothing again; after a
    write the next answer reads and renders once more, and shows the new value (page and JSON alike)."""
    client = demo_web.login("reserve_center")
    rendered = demo_web.app.state.rendered
    lists = ("/parcels?sort=area", "/api/v1/parcels?sort=area")
    first = {path: client.get(path).text for path in lists}
    computed = rendered.computed
    for path in lists:
        with counted(demo_web.ctx.engine) as seen:
            again = client.get(path)
        assert again.status_code == 200 and len(seen) == 1, seen  # the session with the data version only
        assert (
            _rows(again.text) == _rows(first[path])
            if path.startswith("/parcels")
            else again.text == first[path]
        )
    assert rendered.computed == computed

    register.update_parcel(
        acting(demo_web.ctx, "reserve_center"), "BC-CB2026009", {"location": "阿阿测试坐落路1号"}
    )
    for path in lists:
        with counted(demo_web.ctx.engine) as seen:
            after = client.get(path)
        assert any("reserve_parcels" in statement for statement in seen), seen  # read again
        if path.startswith("/api"):
            items = {item["code"]: item for item in after.json()["items"]}
            assert items["BC-CB2026009"]["location"] == "阿阿测试坐落路1号"
        else:
            assert "阿阿测试坐落路1号" in _rows(after.text) and "阿阿测试坐落路1号" not in first[path]
    assert (
        rendered.computed == computed + 4
    )  # each list rendered once more, and its gzip bytes made once more
    with counted(demo_web.ctx.engine) as seen:
        assert client.get(lists[1]).status_code == 200
    assert len(seen) == 1 and rendered.computed == computed + 4


def test_the_kept_rows_carry_no_account(demo_web):
    """The kept list part is the same for every account; the page around it is each account's own (its name,
    its menu, its CSRF token)."""
    center, it = demo_web.login("reserve_center"), demo_web.login("it")
    mine, theirs = center.get("/parcels?zone=巴楚镇"), it.get("/parcels?zone=巴楚镇")
    assert _rows(mine.text) == _rows(theirs.text) and "BC-CB2026" in _rows(mine.text)
    assert center.csrf in mine.text and it.csrf not in mine.text
    assert it.csrf in theirs.text and center.csrf not in theirs.text
    assert "用户管理" in theirs.text and "用户管理" not in mine.text  # the IT department manages accounts


class _CountingCompressor:
    def __init__(self, compressor, fed: list[int]):
        self.compressor, self.fed = compressor, fed

    def compress(self, data: bytes) -> bytes:
        self.fed.append(len(data))
        return self.compressor.compress(data)

    def flush(self, *mode: int) -> bytes:
        return self.compressor.flush(*mode)


@contextmanager
def compressed(monkeypatch):
    """The bytes handed to zlib's compressors inside the block (the gzip middleware's and the application's:
    the server runs in a thread of this process)."""
    fed: list[int] = []
    original = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *a, **k: _CountingCompressor(original(*a, **k), fed))
    try:
        yield fed
    finally:
        monkeypatch.setattr(zlib, "compressobj", original)


def test_a_kept_list_is_compressed_once_not_on_every_request(demo_web, monkeypatch):
    """The list's JSON and the list part of its page are gzipped once per data version: a repeated request
    compresses nothing of the JSON and only the page around the list (its account, menu, CSRF token), where the
    middleware compressed the whole page every time. Decompressed, the answers are the pages byte for byte."""
    client = demo_web.login("reserve_center")
    paths = ("/parcels?sort=area", "/api/v1/parcels?sort=area")
    for path in paths:
        assert client.get(path).status_code == 200  # kept, compressed once
    for path in paths:
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        with compressed(monkeypatch) as fed:
            sent = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert plain.headers.get("content-encoding") is None and sent.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in sent.headers["vary"]
        assert sent.content == plain.content and len(plain.content) > 1024  # httpx decoded it
        assert gzip.decompress(_raw(client, path)) == plain.content  # one member, its CRC and length right
        page_around = (
            len(plain.content) - len(_rows(plain.text).encode()) if path.startswith("/parcels") else 0
        )
        assert sum(fed) <= page_around + 200, (path, fed, len(plain.content))


def _raw(client, path: str) -> bytes:
    """The bytes sent for ``path`` to a client that accepts gzip, not decoded."""
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["content-encoding"] == "gzip"
        return b"".join(response.iter_raw())


def test_each_request_sees_the_writes_before_it(demo_web):
    """The data version is read with each request's session: a write made before it is seen."""
    client = demo_web.login("reserve_center")
    before = client.get("/api/v1/dashboard").json()["data_version"]
    register.update_parcel(acting(demo_web.ctx, "reserve_center"), "BC-CB2026004", {"zone": "巴楚镇"})
    assert client.get("/api/v1/dashboard").json()["data_version"] == before + 1


def _features(client) -> dict[str, dict]:
    answer = client.get("/api/v1/map/parcels.geojson")
    assert answer.status_code == 200
    return {f["properties"]["code"]: f for f in answer.json()["features"]}


def test_the_map_is_rebuilt_only_for_what_a_write_changed(demo_web, tmp_path):
    client = demo_web.login("development_reform")
    ctx = demo_web.ctx
    first = client.get("/api/v1/map/parcels.geojson")
    builds = dict(map_data.BUILDS)

    # a write the map does not show (an account): the same map, the same ETag (the browser keeps its copy)
    accounts.create_account(acting(ctx, "it"), "map-test", "地图测试员", "housing", "Ditu-Ceshi-2026-x")
    again = client.get("/api/v1/map/parcels.geojson", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert dict(map_data.BUILDS) == builds

    # a register write: only that parcel's properties are read again, and the map equals a whole rebuild
    register.update_parcel(acting(ctx, "reserve_center"), "BC-CB2026003", {"zone": "色力布亚镇"})
    features = _features(client)
    assert features["BC-CB2026003"]["properties"]["zone"] == "色力布亚镇"
    assert map_data.BUILDS["parcels"] == builds.get("parcels", 0)
    assert map_data.BUILDS["parcel_features"] == builds.get("parcel_features", 0) + 1
    whole = {f["properties"]["code"]: f for f in json.loads(map_data.parcel_map(ctx).geojson())["features"]}
    assert features == whole
    builds = dict(map_data.BUILDS)  # (the comparison built one)

    # simplified views kept for other parcels stay; the changed one is simplified again with its new properties
    low = client.get("/api/v1/map/parcels.geojson", params={"zoom": 12}).json()["features"]
    register.update_parcel(acting(ctx, "reserve_center"), "BC-CB2026003", {"zone": "巴楚镇"})
    lower = client.get("/api/v1/map/parcels.geojson", params={"zoom": 12}).json()["features"]
    assert [f["properties"]["zone"] for f in lower if f["properties"]["code"] == "BC-CB2026003"] == ["巴楚镇"]
    assert [f for f in lower if f["properties"]["code"] != "BC-CB2026003"] == [
        f for f in low if f["properties"]["code"] != "BC-CB2026003"
    ]
    assert map_data.BUILDS["parcels"] == builds["parcels"]

    # a boundary import: built whole, with the moved boundary
    moved = features["BC-CB2026005"]
    ring = [[x + 0.001, y] for x, y in moved["geometry"]["coordinates"][0]]
    path = tmp_path / "moved.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"地块编号": "BC-CB2026005"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    ]}, ensure_ascii=False), "utf-8")  # fmt: skip
    geometry.import_boundaries(acting(ctx, "natural_resources"), path)
    after = _features(client)
    assert map_data.BUILDS["parcels"] == builds["parcels"] + 1
    assert (
        after["BC-CB2026005"]["geometry"]["coordinates"][0][0][0] > moved["geometry"]["coordinates"][0][0][0]
    )


def test_the_public_map_is_kept_across_writes_it_does_not_show(demo_web):
    anonymous = demo_web.client()
    first = anonymous.get("/api/v1/public/parcels.geojson")
    assert first.status_code == 200
    builds = map_data.BUILDS["public"]
    accounts.create_account(acting(demo_web.ctx, "it"), "public-map-test", "公开页测试员", "housing",
                            "Gongkai-Ceshi-2026-y")  # fmt: skip
    again = anonymous.get("/api/v1/public/parcels.geojson", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and map_data.BUILDS["public"] == builds
    register.update_parcel(acting(demo_web.ctx, "reserve_center"), "BC-CB2026007", {"zone": "巴楚镇"})
    assert anonymous.get("/api/v1/public/parcels.geojson").status_code == 200
    assert map_data.BUILDS["public"] == builds + 1  # the register may change what the public sees


def test_the_server_process_keeps_what_it_holds_out_of_the_collectors_sight(engine, tmp_path):
    """A full garbage collection walks every object the process holds (with a county's map kept, one took
    0.3 s, and a request that met it waited as long): the served application freezes what it keeps."""
    from landreserve.settings import Settings
    from landreserve.web.app import create_app
    from web_support import web_settings

    settings = Settings(database_url=str(engine.url), files_dir=str(tmp_path / "files"))
    gc.unfreeze()
    try:
        create_app(settings, engine, web_settings(), migrate=False)
        assert (
            gc.get_freeze_count() == 0
        )  # tests and tools make many applications: they leave the collector be
        app = create_app(settings, engine, web_settings(settle_gc=True), migrate=False)
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        app.state.maps["parcels"].at(app.state.context, 1)  # a map built: what it holds is frozen with it
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
