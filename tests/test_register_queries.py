"""``register.findings`` reads the register in a fixed number of queries, whatever the number of parcels
(counted on the engine, not timed): the evidence of every parcel in one query, not one per parcel."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import event

from landreserve.domain.actors import Actor
from landreserve.domain.evidence import Evidence, EvidenceKind
from landreserve.domain.register import ParcelFacts
from landreserve.services import register


@contextmanager
def counted(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add(ctx, first: int, last: int) -> None:
    for i in range(first, last):
        code = f"BC-Q{i:03d}"
        register.add_parcel(ctx, ParcelFacts(code, f"测试路{i}号", Decimal("10000")))
        register.add_evidence(
            ctx, code, [Evidence(EvidenceKind.TITLE_CLEAR, f"调查表-{i}", date(2026, 2, 1), "李四")]
        )


def test_findings_read_a_fixed_number_of_queries(ctx):
    center = replace(ctx, actor=Actor("张三", "reserve_center"))
    add(center, 0, 5)
    with counted(ctx.engine) as few:
        small = register.findings(ctx, date(2026, 6, 1))
    add(center, 5, 40)
    with counted(ctx.engine) as many:
        large = register.findings(ctx, date(2026, 6, 1))
    assert len(small) == 5 and len(large) == 40  # every parcel is planned and in no plan: one finding each
    assert len(many) == len(few) <= 6, many
