"""The history log as a list (操作记录): the newest entries first, optionally of one kind of record or one
department, one page at a time. Read-only; the chain itself is verified by ``history.verify``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..domain.actors import DEPARTMENTS
from ..domain.history import ChainEntry
from ..errors import InputError
from ..storage.db import reading
from ..storage.history_tables import HistoryEntryRow
from .context import Context
from .history import _entry

#: entity types shown in the filter, with their Chinese names
ENTITY_LABELS = {
    "parcel": "储备地块",
    "plan_version": "计划版本",
    "plan_adjustment": "计划调整",
    "parcel_geometry": "地块边界",
    "map_layer": "约束图层",
    "fund_source": "资金来源",
    "fund_project": "资金项目",
    "fund_entry": "资金分录",
    "account": "用户账号",
}


@dataclass(frozen=True)
class LogPage:
    entries: list[ChainEntry]
    #: seq to ask for with ``before`` to see the next (older) page; ``None`` on the last page
    older: int | None


def entries(
    ctx: Context,
    *,
    entity_type: str | None = None,
    department: str | None = None,
    before: int | None = None,
    limit: int = 100,
) -> LogPage:
    """The newest ``limit`` entries (older than ``before`` when given) matching the filters."""
    if department and department not in DEPARTMENTS:
        raise InputError(f"部门“{department}”无效，可选：{'、'.join(DEPARTMENTS)}", code="input.department")
    if not 1 <= limit <= 1000:
        raise InputError("每页条数应在 1 到 1000 之间", code="input.limit")
    query = select(HistoryEntryRow).order_by(HistoryEntryRow.seq.desc()).limit(limit + 1)
    if entity_type:
        query = query.where(HistoryEntryRow.entity_type == entity_type)
    if department:
        query = query.where(HistoryEntryRow.department == department)
    if before is not None:
        query = query.where(HistoryEntryRow.seq < before)
    with reading(ctx.engine) as session:
        rows = list(session.scalars(query))
    shown = [_entry(r) for r in rows[:limit]]
    return LogPage(shown, shown[-1].seq if len(rows) > limit else None)
