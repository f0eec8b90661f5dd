"""How ``landreserve parcel show`` presents a parcel: its facts, the gates of each next state, its timeline
(in Chinese), or the same as JSON (with the stable English codes)."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table

from ..domain.actors import DEPARTMENTS
from ..domain.evidence import EVIDENCE_LABELS, EvidenceKind
from ..domain.lifecycle import STATE_LABELS, SUPPLY_METHOD_LABELS, State
from ..domain.register import CONDITION_LABELS, SOURCE_LABELS, stock_label
from .lazy import lazy

register = lazy("landreserve.services.register")

#: what the register's history actions mean, for the timeline
ACTIONS = {
    "parcel.create_from_plan": "按计划登记（拟收储）",
    "parcel.add": "逐宗登记（拟收储）",
    "parcel.update": "修改属性",
    "parcel.evidence": "登记证据",
}


def action_label(action: str) -> str:
    """``parcel.transition.in_reserve`` → ``状态变更：入库储备``; unknown actions as they are."""
    prefix = "parcel.transition."
    if action.startswith(prefix) and action[len(prefix) :] in State.__members__.values():
        return f"状态变更：{STATE_LABELS[State(action[len(prefix) :])]}"
    return ACTIONS.get(action, action)


def _evidence_label(evidence: dict) -> str:
    kind = evidence.get("kind")
    name = EVIDENCE_LABELS[EvidenceKind(kind)] if kind in EvidenceKind.__members__.values() else kind
    return f"{name}：{evidence.get('ref')}"


def heading(view: register.ParcelView) -> str:
    """``地块 BC-CB2026006：入库储备（自 2026-03-01，版本 8）``."""
    return f"地块 {view.facts.code}：{view.state_label}（自 {view.state_since}，版本 {view.row_version}）"


def facts_table(view: register.ParcelView) -> Table:
    f = view.facts
    table = Table()
    table.add_column("属性")
    table.add_column("值")
    rows = [
        ("土地坐落", f.location or "未填"),
        ("面积", f"{f.area_m2} ㎡" if f.area_m2 is not None else "未填"),
        ("用途", f.land_use or "未填"),
        ("区域", f.zone or "未填"),
        ("来源", SOURCE_LABELS[f.source] if f.source else "未填"),
        ("存量/新增", stock_label(f.stock)),
        ("利用状况", CONDITION_LABELS[f.condition] if f.condition else "未填"),
        ("列入现行计划", "是" if view.in_plan else "否"),
    ]
    if view.supply:
        s = view.supply
        method = SUPPLY_METHOD_LABELS[s.method] if s.method else ""
        rows.append(("供应", f"{method} {s.on} 合同 {s.contract_no} 价款 {s.price} 元"))
    if view.withdrawn_reason:
        rows.append(("调出原因", view.withdrawn_reason))
    for name, value in rows:
        table.add_row(name, value)
    return table


def gates_table(view: register.ParcelView) -> Table:
    table = Table(title="下一步可转入的状态及其条件")
    for column in ("目标状态", "条件", "状态", "证据 / 缺少什么"):
        table.add_column(column)
    for target, statuses in view.gates.items():
        for g in statuses:
            mark = "[green]已满足[/]" if g.satisfied else "[red]缺少[/]"
            detail = (
                f"{g.evidence.ref}（{g.evidence.on}，{g.evidence.confirmed_by}）" if g.evidence else g.note
            )
            table.add_row(STATE_LABELS[target], g.gate.label, mark, detail)
    return table


def timeline_table(view: register.ParcelView) -> Table:
    table = Table(title="时间线（历史记录）")
    for column in ("序号", "时间（UTC）", "操作人", "操作", "证据"):
        table.add_column(column)
    for e in view.timeline:
        refs = "；".join(_evidence_label(x) for x in e.evidence or [] if isinstance(x, dict))
        who = f"{e.actor}（{DEPARTMENTS.get(e.department, e.department)}）"
        when = datetime.fromisoformat(e.at).isoformat(sep=" ", timespec="seconds")
        table.add_row(str(e.seq), when, who, action_label(e.action), refs)
    return table


def view_json(view: register.ParcelView) -> dict:
    return {
        "facts": view.facts.to_dict(), "state": view.state.value, "state_label": view.state_label,
        "state_since": view.state_since.isoformat(), "row_version": view.row_version, "in_plan": view.in_plan,
        "supply": view.supply.to_dict() if view.supply else None, "withdrawn_reason": view.withdrawn_reason,
        "evidence": [e.to_dict() for e in view.evidence],
        "gates": {t.value: [{"key": g.gate.key, "label": g.gate.label, "satisfied": g.satisfied, "note": g.note}
                            for g in gs] for t, gs in view.gates.items()},
        "timeline": [e.to_dict() for e in view.timeline],
    }  # fmt: skip
