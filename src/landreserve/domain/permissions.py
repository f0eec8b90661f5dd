"""Who may do what: the permissions of each department (pure rules; the services check them on every write).

Every department reads everything internal; writes are split by the departments' work under the plan's
"unified dispatch": the reserve center (土地储备中心) keeps the register and moves parcels, the natural
resources bureau (自然资源局) compiles, maps and publishes the plan, finance (财政局) keeps the money, the
county government (县人民政府) approves plans and their adjustments, and the information centre's
administrator (信息中心) manages the accounts. 住建局, 发改委 and 商工信局 read and follow what waits for them.

``history_permission`` maps every action written to the hash-chained history to the permission it needs:
``services.history.record`` refuses an entry whose actor lacks it, so no write can slip past a check.
"""

from __future__ import annotations

from enum import StrEnum

from ..errors import PermissionDenied
from .actors import DEPARTMENTS, Actor


class Permission(StrEnum):
    PLAN_IMPORT = "plan.import"
    PLAN_APPROVE = "plan.approve"
    PLAN_PUBLISH = "plan.publish"
    ADJUSTMENT_PROPOSE = "plan.adjustment.propose"
    ADJUSTMENT_APPROVE = "plan.adjustment.approve"
    PARCEL_REGISTER = "parcel.register"
    PARCEL_EDIT = "parcel.edit"
    PARCEL_EVIDENCE = "parcel.evidence"
    PARCEL_TRANSITION = "parcel.transition"
    GEOMETRY_IMPORT = "geometry.import"
    FUNDS_SOURCE = "funds.source"
    FUNDS_PROJECT = "funds.project"
    FUNDS_BUDGET = "funds.budget"
    FUNDS_LEDGER = "funds.ledger"
    ACCOUNTS_MANAGE = "accounts.manage"
    #: change one's own password (every account)
    ACCOUNT_SELF = "account.self"


PERMISSION_LABELS = {
    Permission.PLAN_IMPORT: "导入储备计划",
    Permission.PLAN_APPROVE: "批准储备计划",
    Permission.PLAN_PUBLISH: "向社会公开储备计划",
    Permission.ADJUSTMENT_PROPOSE: "提出计划调整",
    Permission.ADJUSTMENT_APPROVE: "批准计划调整",
    Permission.PARCEL_REGISTER: "登记储备地块",
    Permission.PARCEL_EDIT: "修改地块属性",
    Permission.PARCEL_EVIDENCE: "登记地块证据和证明文件",
    Permission.PARCEL_TRANSITION: "办理地块状态变更（入库、开发、管护、供应、调出）",
    Permission.GEOMETRY_IMPORT: "导入地块边界和约束图层",
    Permission.FUNDS_SOURCE: "登记专项债券和财政资金来源",
    Permission.FUNDS_PROJECT: "建立和修改资金项目、预期单价",
    Permission.FUNDS_BUDGET: "编制资金预算",
    Permission.FUNDS_LEDGER: "资金记账（分配、调剂、支付、收入、还本付息、冲销）",
    Permission.ACCOUNTS_MANAGE: "管理用户账号",
    Permission.ACCOUNT_SELF: "修改本人密码",
}

_EVERYONE = frozenset({Permission.ACCOUNT_SELF})

#: department → what it may write (everything else it may only read)
GRANTS: dict[str, frozenset[Permission]] = {
    "reserve_center": _EVERYONE
    | {
        Permission.PLAN_IMPORT,
        Permission.PLAN_PUBLISH,
        Permission.ADJUSTMENT_PROPOSE,
        Permission.PARCEL_REGISTER,
        Permission.PARCEL_EDIT,
        Permission.PARCEL_EVIDENCE,
        Permission.PARCEL_TRANSITION,
        Permission.GEOMETRY_IMPORT,
        Permission.FUNDS_PROJECT,
    },
    "natural_resources": _EVERYONE
    | {
        Permission.PLAN_IMPORT,
        Permission.PLAN_PUBLISH,
        Permission.ADJUSTMENT_PROPOSE,
        Permission.PARCEL_EVIDENCE,
        Permission.GEOMETRY_IMPORT,
    },
    "finance": _EVERYONE
    | {
        Permission.FUNDS_SOURCE,
        Permission.FUNDS_PROJECT,
        Permission.FUNDS_BUDGET,
        Permission.FUNDS_LEDGER,
    },
    "housing": _EVERYONE,
    "development_reform": _EVERYONE,
    "commerce_industry": _EVERYONE,
    "government": _EVERYONE | {Permission.PLAN_APPROVE, Permission.ADJUSTMENT_APPROVE},
    "it": _EVERYONE | {Permission.ACCOUNTS_MANAGE},
}

assert set(GRANTS) == set(DEPARTMENTS), "every department needs its grants"


def allowed(department: str, permission: Permission) -> bool:
    return permission in GRANTS.get(department, frozenset())


def departments_with(permission: Permission) -> list[str]:
    """Keys of the departments that hold ``permission``, in the order of ``DEPARTMENTS``."""
    return [d for d in DEPARTMENTS if allowed(d, permission)]


def require(actor: Actor, permission: Permission) -> None:
    """Raise ``PermissionDenied`` (Chinese, naming who may) unless the actor's department holds it."""
    if allowed(actor.department, permission):
        return
    who = "、".join(DEPARTMENTS[d] for d in departments_with(permission)) or "任何部门"
    raise PermissionDenied(
        f"{actor.name}（{actor.department_name}）无权{PERMISSION_LABELS[permission]}：此操作只限{who}办理。"
        "本次什么也没有保存；如确需办理，请由相应部门的账号操作。",
        details={
            "permission": permission.value,
            "department": actor.department,
            "allowed": departments_with(permission),
        },
    )


#: (entity type, action) of history entries → the permission the writer needs; ``*`` ends a prefix
_HISTORY_ACTIONS: tuple[tuple[str, str, Permission], ...] = (
    ("plan_version", "plan.import", Permission.PLAN_IMPORT),
    ("plan_version", "plan.approve", Permission.PLAN_APPROVE),
    ("plan_version", "plan.adjust", Permission.ADJUSTMENT_APPROVE),
    ("plan_version", "plan.publish", Permission.PLAN_PUBLISH),
    ("plan_version", "plan.unpublish", Permission.PLAN_PUBLISH),
    ("plan_adjustment", "plan.adjustment.propose", Permission.ADJUSTMENT_PROPOSE),
    ("plan_adjustment", "plan.adjustment.withdraw", Permission.ADJUSTMENT_PROPOSE),
    ("plan_adjustment", "plan.adjustment.reject", Permission.ADJUSTMENT_APPROVE),
    ("plan_adjustment", "plan.adjustment.approve", Permission.ADJUSTMENT_APPROVE),
    ("parcel", "parcel.create_from_plan", Permission.PARCEL_REGISTER),
    ("parcel", "parcel.add", Permission.PARCEL_REGISTER),
    ("parcel", "parcel.update", Permission.PARCEL_EDIT),
    ("parcel", "parcel.evidence", Permission.PARCEL_EVIDENCE),
    ("parcel", "parcel.document", Permission.PARCEL_EVIDENCE),
    ("parcel", "parcel.transition.*", Permission.PARCEL_TRANSITION),
    ("parcel_geometry", "geometry.*", Permission.GEOMETRY_IMPORT),
    ("map_layer", "map_layer.*", Permission.GEOMETRY_IMPORT),
    ("fund_source", "funds.*", Permission.FUNDS_SOURCE),
    ("fund_entry", "funds.raise", Permission.FUNDS_SOURCE),
    ("fund_project", "funds.*", Permission.FUNDS_PROJECT),
    ("fund_project_parcel", "funds.*", Permission.FUNDS_PROJECT),
    ("fund_price", "funds.*", Permission.FUNDS_PROJECT),
    ("fund_budget_line", "funds.*", Permission.FUNDS_BUDGET),
    ("fund_entry", "funds.*", Permission.FUNDS_LEDGER),
    ("account", "account.password", Permission.ACCOUNT_SELF),
    ("account", "account.*", Permission.ACCOUNTS_MANAGE),
    # other money records (new kinds of funds entries) are the finance bureau's ledger by default
    ("fund_*", "funds.*", Permission.FUNDS_LEDGER),
)


def _matches(pattern: str, value: str) -> bool:
    return value.startswith(pattern[:-1]) if pattern.endswith("*") else value == pattern


def history_permission(entity_type: str, action: str) -> Permission | None:
    """The permission a history entry ``(entity_type, action)`` needs; ``None`` when no rule names it."""
    for entity, act, permission in _HISTORY_ACTIONS:
        if _matches(entity, entity_type) and _matches(act, action):
            return permission
    return None


def require_for_history(actor: Actor, entity_type: str, action: str) -> None:
    """The check behind every history entry: the actor must hold the action's permission; an action
    no rule names is refused (deny by default — add it to ``_HISTORY_ACTIONS``)."""
    permission = history_permission(entity_type, action)
    if permission is None:
        raise PermissionDenied(
            f"操作“{action}”（{entity_type}）没有登记所需权限，已拒绝（程序问题，请报告）。本次什么也没有保存。",
            code="permission.unmapped",
            details={"entity_type": entity_type, "action": action},
        )
    require(actor, permission)
