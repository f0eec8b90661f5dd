"""Staff of each department for the tests: the services check the acting department on every write
(``domain.permissions``), so a test acts as the department whose work it does."""

from __future__ import annotations

from dataclasses import replace

from landreserve.domain.actors import Actor
from landreserve.services.context import Context

STAFF = {
    "reserve_center": Actor("张三", "reserve_center"),
    "natural_resources": Actor("李四", "natural_resources"),
    "finance": Actor("王会计", "finance"),
    "housing": Actor("赵工", "housing"),
    "development_reform": Actor("钱科长", "development_reform"),
    "commerce_industry": Actor("孙科长", "commerce_industry"),
    "government": Actor("县政府办公室", "government"),
    "it": Actor("系统管理员", "it"),
}


def acting(ctx: Context, department: str) -> Context:
    """The same database and settings, acting as ``department``'s staff member."""
    return replace(ctx, actor=STAFF[department])
