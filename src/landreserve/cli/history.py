"""``landreserve verify-log``: recompute the hash chain of the history log."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import IntegrityError
from . import app
from .common import console, context, handled
from .lazy import lazy

history = lazy("landreserve.services.history")


@app.command("verify-log")
def verify_log(
    anchor: Annotated[
        str | None, typer.Option("--anchor", help="外部保存的 序号:哈希（上次输出的末条），检测末尾被删改")
    ] = None,
) -> None:
    """重算历史记录的哈希链，报告第一条被改动、删除、插入或调换的记录。"""
    with handled():
        result = history.verify(context(), history.parse_anchor(anchor))
        if result.broken:
            b = result.broken
            raise IntegrityError(
                f"历史记录已被篡改：第 {b.seq} 条（按序第 {b.position} 条）{b.reason}。请保全数据库并追查。",
                code="history.broken",
            )
        console.print(f"历史记录完整：共 {result.count} 条，哈希链无断裂。")
        if result.head_seq:
            console.print(f"末条（请另行保存，供下次 --anchor 核对）：{result.head_seq}:{result.head_hash}")
