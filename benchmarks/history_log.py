"""Benchmark: ``landreserve verify-log`` on a big history (default 100,000 entries), against a well-known peer
over the same tables in the same run: ``sqlite3 DB .dump TABLES | sha256sum`` (whole process) and SQLite's own
reading of every row with ``hashlib.sha256`` over it (in-process), cold (the database file evicted from the page
cache) and warm. Prints seconds, entries per second and the ratio to the peer, and the time per entry at a tenth
of the size and at the full size (linear: the same per entry).

The history is written through the program (``register.record_evidence``: a parcel's evidence, its row
fingerprints, the chain entry), 2,000 entries per transaction, on 1,000 parcels. Run
``python -m benchmarks history_log [--size small|medium] [-- --entries N --folder DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path

from benchmarks._process import evict, run_child

SIZES = ("small", "medium", "province")
ENTRIES = {"small": 10_000, "medium": 100_000, "province": 100_000}
PARCELS = 1_000
BATCH = 2_000
#: the tables verify-log reads for this history (the log itself and the current-state tables it wrote)
TABLES = ("history_entries", "reserve_parcels", "reserve_evidence")
VERIFY = """
import json, sys, time
started = time.perf_counter()
from landreserve.services.context import open_context
from landreserve.services.history import verify
result = verify(open_context(migrate=False))
print(json.dumps({"entries": result.count, "ok": result.ok, "work_s": time.perf_counter() - started}))
"""


def build(path: Path, entries: int) -> None:
    """A SQLite database with ``entries`` history entries written through the program."""
    from landreserve.domain.actors import Actor
    from landreserve.domain.evidence import Evidence, EvidenceKind
    from landreserve.domain.register import ParcelFacts
    from landreserve.services import register
    from landreserve.services.context import Context
    from landreserve.settings import Settings
    from landreserve.storage.db import make_engine, transaction
    from landreserve.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    ctx = Context(
        engine=engine, settings=Settings(database_url=str(engine.url)), actor=Actor("张三", "reserve_center")
    )
    written = 0
    with transaction(engine) as session:  # the parcels themselves: one entry each, as parcel add writes them
        for i in range(min(PARCELS, entries)):
            facts = ParcelFacts(f"BC-B{i:05d}", f"测试路{i}号", Decimal(10_000 + i))
            register._insert(
                session, ctx, register._new_row(ctx, facts, date(2026, 1, 5), None), "parcel.add"
            )
            written += 1
    while written < entries:
        with transaction(engine) as session:
            for _ in range(min(BATCH, entries - written)):
                code = f"BC-B{written % PARCELS:05d}"
                evidence = Evidence(EvidenceKind.TITLE_CLEAR, f"调查表-{written}", date(2026, 2, 1), "李四")
                register.record_evidence(session, ctx, code, [evidence], None)
                written += 1
    engine.dispose()


def peer_dump(path: Path) -> float:
    """Whole process: ``sqlite3 DB .dump TABLES | sha256sum``."""
    started = time.perf_counter()
    dump = subprocess.Popen(["sqlite3", str(path), f".dump {' '.join(TABLES)}"], stdout=subprocess.PIPE)
    digest = subprocess.run(["sha256sum"], stdin=dump.stdout, capture_output=True, check=True)
    dump.wait()
    assert digest.stdout
    return time.perf_counter() - started


def peer_rows(path: Path) -> float:
    """In-process: every row of the same tables read by SQLite and hashed with SHA-256."""
    started = time.perf_counter()
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as conn:
        for table in TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):  # noqa: S608 - fixed names
                digest.update(repr(row).encode())
    return time.perf_counter() - started


def ours_in_process(path: Path) -> tuple[float, int]:
    from landreserve.services.context import Context
    from landreserve.services.history import verify
    from landreserve.settings import Settings
    from landreserve.storage.db import make_engine

    engine = make_engine(f"sqlite:///{path}")
    started = time.perf_counter()
    result = verify(Context(engine=engine, settings=Settings(database_url=str(engine.url)), actor=None))
    elapsed = time.perf_counter() - started
    engine.dispose()
    assert result.ok, result
    return elapsed, result.count


def ours_whole(path: Path) -> float:
    report = run_child([sys.executable, "-c", VERIFY], env={"LANDRESERVE_DATABASE_URL": f"sqlite:///{path}"})
    assert report.get("ok"), report
    return report["whole_s"]


def measure(path: Path) -> dict:
    files = [path, path.with_name(path.name + "-wal")]
    out = {}
    for name, run in (("verify_whole", ours_whole), ("peer_dump_sha256sum", peer_dump)):
        evict(files)
        cold = run(path)
        out[name] = {"cold_s": cold, "warm_s": min(run(path) for _ in range(2))}
    for name, run in (
        ("verify_in_process", lambda p: ours_in_process(p)[0]),
        ("peer_rows_sha256", peer_rows),
    ):
        evict(files)
        cold = run(path)
        out[name] = {"cold_s": cold, "warm_s": min(run(path) for _ in range(2))}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks history_log", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--entries", type=int, default=None)
    parser.add_argument("--folder", type=Path, default=Path("var/bench-history"))
    args = parser.parse_args(argv)
    entries = args.entries or ENTRIES[args.size]
    args.folder.mkdir(parents=True, exist_ok=True)
    results = {}
    for n in (entries // 10, entries):
        path = args.folder / f"history-{n}.sqlite3"
        if not path.exists():
            started = time.perf_counter()
            build(path, n)
            print(f"built {n:,} entries in {time.perf_counter() - started:.1f} s ({path})", flush=True)
        results[n] = measure(path)
    full, part = results[entries], results[entries // 10]
    print(f"\nverify-log over {entries:,} history entries (SQLite), seconds (cold / warm best of 2):")
    for name, t in full.items():
        print(
            f"  {name:22} {t['cold_s']:7.2f} / {t['warm_s']:7.2f}   {entries / t['warm_s']:10,.0f} entries/s"
        )
    whole = full["verify_whole"]["warm_s"] / full["peer_dump_sha256sum"]["warm_s"]
    inproc = full["verify_in_process"]["warm_s"] / full["peer_rows_sha256"]["warm_s"]
    print(f"  ratio whole process   verify-log / (sqlite3 .dump | sha256sum) = {whole:.1f}×")
    print(f"  ratio in-process      verify() / (rows read + sha256)          = {inproc:.1f}×")
    per = {n: r["verify_in_process"]["warm_s"] / n * 1e6 for n, r in results.items()}
    small = entries // 10
    print(
        f"  per entry (in-process, warm): {small:,}: {per[small]:.1f} µs, {entries:,}: {per[entries]:.1f} µs "
        f"(ratio {per[entries] / per[small]:.2f}; linear ≈ 1)"
    )
    print(
        json.dumps(
            {"entries": entries, "results": {str(k): v for k, v in results.items()}, "part": sorted(part)}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
