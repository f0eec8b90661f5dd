"""``landreserve verify-log``: recompute the hash chain of the history log and compare the current tables
with what it implies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import IntegrityError
from . import app
from .common import console, context, handled
from .lazy import lazy

history = lazy("landreserve.services.history")

#: rows named by default when many differ (``--all`` names every one)
SHOWN_DIFFERENCES = 100


def _anchors(anchor: str | None) -> tuple[list | None, Path | None]:
    """``--anchor`` is either ``序号:哈希`` or the path of an anchor file (read when it exists)."""
    if not anchor:
        return None, None
    if ":" in anchor and not Path(anchor).exists() and anchor.split(":", 1)[0].strip().isdigit():
        return [history.parse_anchor(anchor)], None
    path = Path(anchor)
    if path.is_dir():
        from ..errors import InputError

        raise InputError(
            f"锚点文件“{path}”是一个文件夹：请给出文件路径，如 历史链头.txt", code="input.anchor"
        )
    return (history.read_anchor_file(path) if path.exists() else []), path


@app.command("verify-log")
def verify_log(
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            help="外部保存的链头：“序号:哈希”，或锚点文件的路径（逐条核对文件中公布过的链头，核对无误后把本次链头追加到文件末尾）",
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="列出全部不符的行（默认最多列出 100 行）")] = False,
) -> None:
    """重算历史记录的哈希链，重放历史并与各现状表逐行核对，报告被改动、删除、插入或调换的记录和行。"""
    with handled():
        anchors, path = _anchors(anchor)
        result = history.verify(context(), anchors)
        problems = []
        if result.broken:
            b = result.broken
            problems.append(f"历史记录已被篡改：第 {b.seq} 条（按序第 {b.position} 条）{b.reason}")
        if result.differences:
            shown = result.differences if show_all else result.differences[:SHOWN_DIFFERENCES]
            for difference in shown:
                console.print(f"不符：{difference.message}", highlight=False, soft_wrap=True)
            if len(shown) < len(result.differences):
                console.print(f"……另有 {len(result.differences) - len(shown)} 行不符（用 --all 全部列出）")
            problems.append(f"现状表中有 {len(result.differences)} 行与历史记录不符（见上）")
        if problems:
            raise IntegrityError("；".join(problems) + "。请保全数据库并追查。", code="history.broken")
        console.print(f"历史记录完整：共 {result.count} 条，哈希链无断裂，各现状表与历史记录一致。")
        if result.head_seq:
            console.print(f"末条（请另行保存，供下次 --anchor 核对）：{result.head_seq}:{result.head_hash}")
        if path is not None and history.append_anchor(path, result):
            console.print(f"已把本次链头追加到锚点文件“{path}”：请把该文件另行保存或打印在年报中。")
