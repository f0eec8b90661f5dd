"""Colours of the map (一张图) and its legend: parcels by state or by land use, constraint layers by rule.
One table, used by the internal map and the public page alike (passed to ``static/app/map.js`` as data)."""

from __future__ import annotations

from ..domain.lifecycle import STATE_LABELS, State

STATE_COLORS = {
    State.PLANNED.value: "#f2b134",
    State.IN_RESERVE.value: "#2f7ed8",
    State.DEVELOPING.value: "#8e44ad",
    State.CUSTODY.value: "#16a085",
    State.SUPPLIED.value: "#7f8c8d",
    State.WITHDRAWN.value: "#c0392b",
    "unregistered": "#bdc3c7",
}
STATE_NAMES = {
    **{s.value: label for s, label in STATE_LABELS.items()},
    "unregistered": "未登记入库 / 计划收储",
}

#: land uses of 国土空间调查、规划、用途管制用地用海分类 as plans name them; others take the fallback
USE_COLORS = {
    "住宅用地": "#f7d54a",
    "商服用地": "#e8544e",
    "商业服务业用地": "#e8544e",
    "工矿仓储用地": "#9b6a3c",
    "工矿用地": "#9b6a3c",
    "仓储用地": "#b08a5a",
    "公共管理与公共服务用地": "#e07bb5",
    "交通运输用地": "#8c8c8c",
    "公用设施用地": "#3aa3c9",
    "绿地与开敞空间用地": "#4caf50",
    "未注明": "#d0d0d0",
}
USE_FALLBACK = "#a0a0ff"
LAYER_COLORS = {"must_not_intersect": "#d35400", "must_lie_within": "#27ae60", "reference": "#34495e"}


def style_data() -> dict:
    """What ``map.js`` needs to colour and label (JSON in a ``data-style`` attribute)."""
    return {
        "state": STATE_COLORS,
        "state_names": STATE_NAMES,
        "use": USE_COLORS,
        "use_fallback": USE_FALLBACK,
        "layer": LAYER_COLORS,
    }
