"""Short text columns checked before they are written, the same way on SQLite and PostgreSQL.

SQLite ignores the length of ``VARCHAR(n)``; PostgreSQL refuses a longer value with an error that shows
the whole INSERT. Before every flush, each new or changed value of a ``String(n)`` column is checked here
(``domain.plausibility.text``): at most ``n`` characters and no control characters, else an
``InputError`` naming the field and its limit — nothing is written.
"""

from __future__ import annotations

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from ..domain import plausibility

#: Chinese names of columns users fill in (other columns are named by ``table.column``)
LABELS = {
    "code": "编号",
    "parcel_code": "地块编号",
    "source_code": "资金来源编号",
    "project_code": "项目编号",
    "land_use": "用途",
    "use": "用途",
    "zone": "区域",
    "approval_no": "批准文号",
    "approving_body": "批准机关",
    "supply_contract_no": "合同编号",
    "subject": "证据事项",
    "confirmed_by": "确认人",
    "kind": "类型",
    "actor": "操作人",
    "created_by": "操作人",
    "recorded_by": "操作人",
    "department": "部门",
    "username": "用户名",
    "display_name": "姓名",
    "file_name": "文件名",
    "plan_key": "计划标识",
    "jurisdiction": "行政区",
    "category": "用途类别",
}


def field_name(table: str, column: str) -> str:
    label = LABELS.get(column)
    return f"{label}（{table}.{column}）" if label else f"{table}.{column}"


@event.listens_for(Session, "before_flush")
def _check_short_texts(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        state = inspect(obj)
        for column in table.columns:
            if not isinstance(column.type, String) or not column.type.length:
                continue
            attr = state.mapper.get_property_by_column(column).key
            if obj in session.dirty and not state.attrs[attr].history.has_changes():
                continue
            value = getattr(obj, attr, None)
            if isinstance(value, str):
                plausibility.text(value, field_name(table.name, column.name), column.type.length)
