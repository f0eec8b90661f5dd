"""``verify-log`` does linear work in the length of the history (counted, not timed): twice the entries cost
at most a little over twice the Python function calls, and the same number of SQL statements. The benchmark
``python -m benchmarks history_log`` measures the time on 100,000 entries against ``sqlite3 .dump | sha256sum``."""

from __future__ import annotations

import cProfile
import pstats
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import event

from landreserve.domain.actors import Actor
from landreserve.domain.evidence import Evidence, EvidenceKind
from landreserve.domain.register import ParcelFacts
from landreserve.services import history, register
from landreserve.storage.db import transaction


def grow(ctx, first: int, last: int) -> None:
    """Entries ``first``…``last`` of a history: evidence on 10 parcels, written through the program."""
    with transaction(ctx.engine) as session:
        for i in range(first, last):
            evidence = Evidence(EvidenceKind.TITLE_CLEAR, f"调查表-{i}", date(2026, 2, 1), "李四")
            register.record_evidence(session, ctx, f"BC-L{i % 10:02d}", [evidence], None)


def work(ctx) -> tuple[int, int]:
    """(Python function calls, SQL statements) of one verification."""
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(ctx.engine, "before_cursor_execute", listener)
    profile = cProfile.Profile()
    try:
        result = profile.runcall(history.verify, ctx)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", listener)
    assert result.ok, result
    return pstats.Stats(profile).total_calls, len(statements)


def test_verify_does_linear_work(ctx):
    center = replace(ctx, actor=Actor("张三", "reserve_center"))
    for i in range(10):
        register.add_parcel(center, ParcelFacts(f"BC-L{i:02d}", f"测试路{i}号", Decimal(10_000)))
    grow(center, 0, 50)
    calls_n, statements_n = work(ctx)
    grow(center, 50, 110)  # 60 → 120 entries
    calls_2n, statements_2n = work(ctx)
    assert statements_2n == statements_n
    assert calls_2n <= 2.2 * calls_n, (calls_n, calls_2n)
