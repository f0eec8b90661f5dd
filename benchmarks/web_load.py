"""Benchmark ``web_load``: the web application under concurrent load, against a bare peer in the same run.

A county is built in a fresh database (SQLite file, or PostgreSQL with ``--backend postgresql``): the
demonstration data of ``make run`` (the Bachu plan, its 13 parcels, bonds) plus N registered parcels with
boundaries (default 10,000; the synthetic county of ``map_geojson``). The application is started the way
``landreserve serve`` starts it (uvicorn, one worker, in its own process) and an administrator logs in; then
every URL below is loaded for ``--seconds`` with ``--connections`` concurrent connections, loopback only:

- ``/`` the dashboard, ``/parcels`` the parcel list page (50 rows), ``/api/v1/parcels`` its JSON,
  ``/api/v1/map/parcels.geojson`` a town-sized map view (bbox, zoom 14, limit 3,000, as map.js asks);
- the **peer**: a bare Starlette application under the same uvicorn settings, in its own process, answering
  the same paths with the same bytes (taken from our answers before the run) — what the server and the
  framework cost without the application's work — and ``/static`` one file through Starlette's StaticFiles.

The load comes from ``wrk`` (Debian package ``wrk``) when installed, otherwise from a Python client
(httpx, one thread per connection; then the client competes with the servers for the 2 cores, and the
figures are lower for both sides). Prints requests per second, p50/p99 latency and the server process's CPU
milliseconds per request (from /proc: unlike latency it barely depends on what else the machine runs) per
URL, and the ratios peer req/s ÷ ours and our CPU ÷ the peer's (> 1: the peer is faster; it does no work,
so it is the ceiling).

``python -m benchmarks web_load [-- --parcels 10000 --seconds 5 --connections 8 --backend sqlite]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BACHU = REPO / "data" / "plans" / "bachu-2026.txt"
USER, PASSWORD = "bench-admin", "Bench-Mima-2026-load"
SECRET = "benchmark-secret-0123456789-abcdefghijklmnop"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "landreserve_bench_web"


def _register(engine, n: int) -> None:
    """``n`` synthetic boundaries and, for each, a registered parcel (rows written directly)."""
    from sqlalchemy import select

    from benchmarks.map_geojson import county_boundaries
    from landreserve.services.clock import utc_now
    from landreserve.storage.db import transaction
    from landreserve.storage.geometry_tables import ParcelGeometryRow
    from landreserve.storage.register_tables import ReserveParcelRow

    county_boundaries(engine, n)
    uses, states = (
        ("住宅用地", "工业用地", "商服用地", "公共管理与公共服务用地"),
        ("planned", "in_reserve", "developing"),
    )
    now = utc_now()
    with transaction(engine) as session:
        rows = session.execute(select(ParcelGeometryRow.code, ParcelGeometryRow.area_m2)).all()
        known = set(session.scalars(select(ReserveParcelRow.code)))
        for i, (code, area) in enumerate(rows):
            if code in known:  # the demonstration's own parcels
                continue
            session.add(ReserveParcelRow(
                code=code, location=f"示例镇{i % 12 + 1}号路", area_m2=area, land_use=uses[i % 4],
                zone=f"示例镇{i % 12 + 1}", source="purchased", stock=bool(i % 2), condition=None,
                state=states[i % 3], state_since=date(2026, 3, 1), created_at=now, created_by="benchmark",
                row_version=1,
            ))  # fmt: skip


def build(folder: Path, n: int, backend: str) -> str:
    """The database URL of a fresh county: demonstration data, N parcels, one administrator."""
    from sqlalchemy import text

    from landreserve.domain.actors import Actor
    from landreserve.services import accounts, demo
    from landreserve.services.context import Context
    from landreserve.settings import Settings
    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import upgrade

    if backend == "sqlite":
        url = f"sqlite:///{folder / 'county.sqlite3'}"
    else:
        server = make_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
        server.dispose()
        url = PG_SERVER.rsplit("/", 1)[0] + "/" + PG_DATABASE
    engine = make_engine(url)
    upgrade(engine)
    ctx = Context(engine=engine, settings=Settings(database_url=url, files_dir=str(folder / "files")),
                  actor=Actor("benchmark", "it"))  # fmt: skip
    demo.setup(ctx, BACHU)
    _register(engine, n)
    accounts.create_account(ctx, USER, "压测管理员", "it", PASSWORD, must_change=False)
    engine.dispose()
    return url


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(command: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(600):  # until the port answers (or the process has died)
        if process.poll() is not None:
            raise RuntimeError(f"server did not start: {process.stderr.read()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start within 60 s")


def start_ours(url: str, folder: Path) -> tuple[subprocess.Popen, int]:
    port = _port()
    env = dict(os.environ, LANDRESERVE_DATABASE_URL=url, LANDRESERVE_SECRET_KEY=SECRET, LANDRESERVE_COOKIE_SECURE="0",
               LANDRESERVE_FILES_DIR=str(folder / "files"), LANDRESERVE_CACHE_DIR=str(folder / "cache"))  # fmt: skip
    command = [str(Path(sys.executable).with_name("landreserve")), "serve", "--port", str(port)]
    return _serve(command, env, port), port


PEER = textwrap.dedent(
    """
    import json, sys
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    bodies = json.load(open(sys.argv[1]))
    def answer(path, kind, body):
        data = body.encode()
        async def endpoint(request):
            return Response(data, media_type=kind)
        return Route(path, endpoint)
    routes = [answer(p, kind, body) for p, (kind, body) in bodies.items()]
    routes.append(Mount("/static", StaticFiles(directory=sys.argv[2])))
    app = Starlette(routes=routes)
    if sys.argv[4:] == ["gzip"]:  # as ours answers a browser: compressed (the same middleware, its defaults)
        from starlette.middleware.gzip import GZipMiddleware
        app.add_middleware(GZipMiddleware)
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning", access_log=False)
    """
)


def start_peer(bodies: dict[str, tuple[str, str]], folder: Path, gzip: bool) -> tuple[subprocess.Popen, int]:
    port = _port()
    (folder / "peer-bodies.json").write_text(json.dumps(bodies, ensure_ascii=False), encoding="utf-8")
    (folder / "peer-static").mkdir(exist_ok=True)
    (folder / "peer-static" / "list.json").write_text(bodies["/api/v1/parcels"][1], encoding="utf-8")
    (folder / "peer.py").write_text(PEER, encoding="utf-8")
    command = [sys.executable, str(folder / "peer.py"), str(folder / "peer-bodies.json"),
               str(folder / "peer-static"), str(port), *(["gzip"] if gzip else [])]  # fmt: skip
    return _serve(command, dict(os.environ), port), port


def login(base: str) -> str:
    """The session cookie of the administrator (``name=value``)."""
    import httpx

    with httpx.Client(base_url=base, timeout=60) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = client.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token, "next": "/"}
        )
        assert done.status_code == 303, done.text
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (``/proc``): per request, it does not depend on how much
    of the machine other work takes, as latency does."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measured(load, process: subprocess.Popen, url: str, cookie: str, seconds: int, connections: int) -> dict:
    """The load's figures, with the server's CPU milliseconds per answered request."""
    before = cpu_seconds(process.pid)
    figures = load(url, cookie, seconds, connections)
    figures["cpu_ms"] = (cpu_seconds(process.pid) - before) * 1000 / max(1, figures["requests"])
    return figures


#: whether the load asks for gzip (``--gzip``), as a browser does
ACCEPT_GZIP = False


def _wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-H", f"Cookie: {cookie}",
         *(["-H", "Accept-Encoding: gzip"] if ACCEPT_GZIP else []), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = done.stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"), "p99": ms("99"),
            "errors": int(errors.group(1)) if errors else 0,
            "requests": int(re.search(r"(\d+) requests in", out).group(1))}  # fmt: skip


def _python_client(url: str, cookie: str, seconds: int, connections: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        headers = {"Cookie": cookie, "Accept-Encoding": "gzip" if ACCEPT_GZIP else "identity"}
        with httpx.Client(headers=headers, timeout=60) as client:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                status = client.get(url).status_code
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took * 1000)
                    errors[0] += status >= 400

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"rps": len(latencies) / seconds, "p50": statistics.median(latencies),
            "p99": latencies[int(len(latencies) * 0.99) - 1], "errors": errors[0], "requests": len(latencies)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks web_load")
    parser.add_argument("--parcels", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--gzip", action="store_true", help="ask for gzip as a browser does (peer: GZipMiddleware)"
    )
    args = parser.parse_args(argv)
    global ACCEPT_GZIP
    ACCEPT_GZIP = args.gzip
    load = _wrk if shutil.which("wrk") else _python_client
    print(f"web_load: {args.parcels} parcels on {args.backend}, {args.connections} connections × {args.seconds} s per "
          f"URL, client {'wrk' if load is _wrk else 'Python httpx (wrk not installed)'}, {'gzip' if args.gzip else 'no compression'}; load {os.getloadavg()[0]:.1f}")  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="landreserve-load-"))
    processes: list[subprocess.Popen] = []
    try:
        started = time.perf_counter()
        url = build(folder, args.parcels, args.backend)
        print(f"  county built in {time.perf_counter() - started:.1f} s")
        ours, port = start_ours(url, folder)
        processes.append(ours)
        base = f"http://127.0.0.1:{port}"
        cookie = login(base)
        import httpx

        from landreserve.gis.crs import transformer

        # a town of 5 km in the middle of the synthetic county (EPSG:4535, centre 450000, 4360000)
        cx, cy = transformer(4535, 4326).transform(450_000.0, 4_360_000.0)
        half = 2.5 / 111
        town = f"{cx - half:.6f},{cy - half:.6f},{cx + half:.6f},{cy + half:.6f}"
        paths = {
            "/": "text/html; charset=utf-8",
            "/parcels": "text/html; charset=utf-8",
            "/api/v1/parcels": "application/json",
            f"/api/v1/map/parcels.geojson?bbox={town}&zoom=14&limit=3000": "application/geo+json",
        }
        bodies: dict[str, tuple[str, str]] = {}
        with httpx.Client(base_url=base, headers={"Cookie": cookie}, timeout=120) as client:
            first: dict[str, float] = {}
            for path, kind in paths.items():
                start = time.perf_counter()
                answer = client.get(path)  # the first, cold answer (it fills the caches)
                first[path] = (time.perf_counter() - start) * 1000
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                bodies[path.split("?")[0]] = (kind, answer.text)
            features = len(client.get(list(paths)[3]).json()["features"])
        peer, peer_port = start_peer(bodies, folder, args.gzip)
        processes.append(peer)
        print(f"  {'URL':58s} {'cold ms':>8s} {'ours req/s':>10s} {'p50 ms':>8s} {'p99 ms':>8s} {'CPU ms':>7s} | "
              f"{'peer req/s':>10s} {'p50':>7s} {'p99':>7s} {'CPU ms':>7s} | ratio req/s, CPU")  # fmt: skip
        for path in [*paths, "/static/list.json"]:
            if path.startswith("/static"):
                peer_only = _measured(load, peer, f"http://127.0.0.1:{peer_port}{path}", "x=1", args.seconds,
                                      args.connections)  # fmt: skip
                print(f"  {path:58s} {'':>8s} {'—':>10s} {'':>8s} {'':>8s} {'':>7s} | {peer_only['rps']:10.0f} "
                      f"{peer_only['p50']:7.2f} {peer_only['p99']:7.2f} {peer_only['cpu_ms']:7.2f} |  (the parcel list "
                      "JSON as a static file)")  # fmt: skip
                continue
            mine = _measured(load, ours, base + path, cookie, args.seconds, args.connections)
            theirs = _measured(load, peer, f"http://127.0.0.1:{peer_port}{path.split('?')[0]}", cookie, args.seconds,
                               args.connections)  # fmt: skip
            size = len(bodies[path.split("?")[0]][1].encode()) / 1000
            label = path if len(path) <= 40 else path[:37] + "…"
            extra = f", {features} features" if "geojson" in path else ""
            label = f"{label} ({size:.0f} kB{extra})"
            print(f"  {label:58s} {first[path]:8.1f} {mine['rps']:10.0f} {mine['p50']:8.2f} {mine['p99']:8.2f} {mine['cpu_ms']:7.2f} | "
                  f"{theirs['rps']:10.0f} {theirs['p50']:7.2f} {theirs['p99']:7.2f} {theirs['cpu_ms']:7.2f} | "
                  f"{theirs['rps'] / mine['rps']:5.1f}, {mine['cpu_ms'] / max(theirs['cpu_ms'], 1e-9):5.1f}"
                  + (f"  ({mine['errors']} errors)" if mine["errors"] else ""))  # fmt: skip
        print(
            f"  (ratio = peer req/s ÷ ours, and our server CPU per request ÷ the peer's: the CPU figures hold on a"
            f" busy machine, latency does not; load after the run {os.getloadavg()[0]:.1f})"
        )
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)
        if args.backend == "postgresql":
            from sqlalchemy import text

            from landreserve.storage.db import make_engine

            server = make_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            server.dispose()
    return 0


if __name__ == "__main__":
    main()
