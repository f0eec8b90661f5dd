"""Benchmark: the storage half of a plan import (``services.plans.import_plan`` with the file already read and
audited), by work counted rather than by wall time, which a shared machine stretches.

For each layout of the synthetic 10,000-parcel plan (``benchmarks.plan_import.generate_plan``) and each
database (SQLite always; PostgreSQL when ``--postgres URL`` names an empty database it may recreate the
``public`` schema of), the plan is read and audited once, then imported ``--repeat`` times into a fresh,
migrated database, one engine per run as ``landreserve import`` has (a first import, not counted, configures
the ORM once for the process). Printed per case: the CPU seconds of the process for the storage half
(``time.process_time``, best of the runs), the SQL statements of one import, the rows the history entry's
batches record, and the Python calls of one import (cProfile, functions and built-ins: one more run under the
profiler), in all and per parcel.
Run: ``python -m benchmarks plan_storage [-- --repeat 5 --layouts table,prose --postgres URL]``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from benchmarks.plan_import import LAYOUTS, generate_plan


def _fresh_engine(url: str | None, folder: Path, run: int):
    from sqlalchemy import text

    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import upgrade

    if url is None:
        engine = make_engine(f"sqlite:///{folder / f'storage-{run}.sqlite3'}")
    else:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine


def _rows_recorded(engine) -> int:
    from sqlalchemy import select

    from landreserve.storage.history_tables import HistoryEntryRow

    with engine.connect() as connection:
        digests = connection.scalars(select(HistoryEntryRow.digests).order_by(HistoryEntryRow.seq)).all()[-1]
    return sum(last - first + 1 for batches in digests.values() for b in batches for first, last in b["ids"])


def measure(path: Path, url: str | None, repeat: int, folder: Path) -> dict:
    """CPU seconds (best of ``repeat``), statements and calls per row of storing the plan at ``path``."""
    from sqlalchemy import event

    from landreserve.services import plans
    from landreserve.services.context import Context

    report = plans.audit_file(path)
    audit_file, plans.audit_file = (
        plans.audit_file,
        lambda *_args, **_kwargs: report,
    )  # read once, not measured
    try:
        warm = _fresh_engine(url, folder, -1)
        plans.import_plan(Context(engine=warm), path)
        warm.dispose()
        best, statements = float("inf"), 0
        for run in range(repeat + 1):
            engine = _fresh_engine(url, folder, run)
            seen: list[str] = []
            event.listen(engine, "before_cursor_execute", lambda *args, seen=seen: seen.append(args[2]))
            profile = cProfile.Profile() if run == repeat else None
            started = time.process_time()
            if profile is None:
                plans.import_plan(Context(engine=engine), path)
            else:
                profile.runcall(plans.import_plan, Context(engine=engine), path)
            cpu = time.process_time() - started
            if profile is None:
                best, statements = min(best, cpu), len(seen)
            else:
                calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
                rows = _rows_recorded(engine)
            engine.dispose()
    finally:
        plans.audit_file = audit_file
    return {"cpu_s": best, "statements": statements, "rows": rows, "calls": calls}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks plan_storage")
    parser.add_argument("--parcels", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (the best is printed)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument(
        "--postgres", help="URL of an empty PostgreSQL database (its public schema is recreated)"
    )
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="landreserve-storage-"))
    backends = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    print("layout | backend | storage CPU s (best) | statements | rows | Python calls | per parcel")
    for layout in args.layouts.split(","):
        plan = generate_plan(folder / f"plan-{layout}.txt", args.parcels, layout=layout)
        for name, url in backends:
            m = measure(plan.path, url, args.repeat, folder)
            print(
                f"{layout} | {name} | {m['cpu_s']:.4f} | {m['statements']} | {m['rows']} | {m['calls']} | "
                f"{m['calls'] / args.parcels:.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
