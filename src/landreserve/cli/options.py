"""Options the register and funds commands share: the acting user, JSON output and the effective date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ..domain.actors import DEPARTMENTS
from ..domain.evidence import parse_date

UserOpt = Annotated[str | None, typer.Option("--user", help="操作人姓名（默认取 LANDRESERVE_USER）")]
DeptOpt = Annotated[
    str | None,
    typer.Option(
        "--department",
        help="操作人所在部门代码（默认取 LANDRESERVE_DEPARTMENT）："
        + "、".join(f"{key} {name}" for key, name in DEPARTMENTS.items()),
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="日期 YYYY-MM-DD，如 2026-03-01：业务发生或变更生效之日（默认今天）"),
]


def option_date(value: str | None, field: str = "--date") -> date | None:
    """The date given as option ``field`` (``None`` when not given); ``InputError`` naming the option."""
    return parse_date(value, field) if value else None
