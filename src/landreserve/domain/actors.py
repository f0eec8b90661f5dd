"""Who acts: a user and the department they act for (recorded with every change)."""

from __future__ import annotations

from dataclasses import dataclass

#: departments of a county that use the system (see docs: domain, "Who uses it")
DEPARTMENTS = {
    "reserve_center": "土地储备中心",
    "natural_resources": "自然资源局",
    "finance": "财政局",
    "housing": "住房和城乡建设局",
    "development_reform": "发展和改革委员会",
    "commerce_industry": "商务和工业信息化局",
    "government": "县人民政府",
    "it": "信息中心",
}


@dataclass(frozen=True)
class Actor:
    """A person acting for a department. ``department`` is a key of ``DEPARTMENTS``."""

    name: str
    department: str = "reserve_center"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("操作人姓名不能为空")
        if self.department not in DEPARTMENTS:
            known = "、".join(f"{k}（{v}）" for k, v in DEPARTMENTS.items())
            raise ValueError(f"未知部门“{self.department}”，可选：{known}")

    @property
    def department_name(self) -> str:
        return DEPARTMENTS[self.department]
