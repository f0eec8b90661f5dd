"""``landreserve db``: create or upgrade the database schema, back it up and restore it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..settings import Settings
from . import app
from .common import console, handled
from .lazy import lazy

db = lazy("landreserve.storage.db")
migrate = lazy("landreserve.storage.migrate")
db_errors = lazy("landreserve.storage.db_errors")
backup = lazy("landreserve.storage.backup")

db_app = typer.Typer(help="数据库维护。", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库升级到最新结构（新库则创建）。"""
    with handled():
        settings = Settings.from_env()
        engine = db.make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
        migrated = migrate.upgrade(engine)
        state = "已升级到最新结构" if migrated else "已是最新结构"
        console.print(f"数据库{state}：{db_errors.shown_url(engine.url)}")


@db_app.command("backup")
def db_backup(
    file: Annotated[
        Path, typer.Argument(help="备份文件（不能已存在）：SQLite 为数据库副本，PostgreSQL 为 pg_dump 格式")
    ],
) -> None:
    """备份整个数据库（SQLite 用其在线备份接口，PostgreSQL 用 pg_dump）；运行中也可备份。"""
    with handled():
        settings = Settings.from_env()
        engine = db.make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
        result = backup.backup(engine, file)
        head = history_head(engine)
        console.print(
            f"已备份数据库 {db_errors.shown_url(engine.url)} 到“{result.path}”（{result.size:,} 字节）。"
        )
        if head:
            console.print(
                f"备份时历史记录链头：{head}（恢复后可用 landreserve verify-log --anchor {head} 核对）"
            )


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="landreserve db backup 写出的备份文件")],
    yes: Annotated[bool, typer.Option("--yes", help="确认用备份替换当前数据库的全部内容")] = False,
) -> None:
    """用备份替换当前数据库的全部内容（先停止网页服务；须加 --yes 确认）。"""
    with handled():
        settings = Settings.from_env()
        engine = db.make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
        if not yes:
            raise InputError(
                f"恢复会用“{file}”替换数据库 {db_errors.shown_url(engine.url)} 的全部内容，此后的修改都会丢失。"
                "请先停止网页服务并备份当前数据库（landreserve db backup），确认后加 --yes 重新运行",
                code="backup.confirm",
            )
        backup.restore(engine, file)
        head = history_head(engine)
        console.print(f"已从“{file}”恢复数据库 {db_errors.shown_url(engine.url)}。")
        if head:
            console.print(
                f"恢复后的历史记录链头：{head}。请运行 landreserve db upgrade 和 landreserve verify-log 核对"
            )


def history_head(engine) -> str | None:
    """``SEQ:HASH`` of the database's last history entry (``None`` when the log is empty)."""
    from sqlalchemy import select

    from ..storage.history_tables import HistoryEntryRow

    with engine.connect() as conn:
        row = conn.execute(
            select(HistoryEntryRow.seq, HistoryEntryRow.hash).order_by(HistoryEntryRow.seq.desc()).limit(1)
        ).first()
    engine.dispose()
    return f"{row.seq}:{row.hash}" if row else None


doctor = lazy("landreserve.services.doctor")
SYMBOLS = {"ok": "✓", "warning": "！", "error": "✗"}
STATUS_WORDS = {"ok": "正常", "warning": "注意", "error": "错误"}


@app.command("doctor")
def doctor_command(
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出各项检查")] = False,
) -> None:
    """检查安装：设置、文件目录、数据库连接与结构、历史记录链、PDF 字体、备份工具（只检查，不修改）。"""
    with handled(as_json):
        checks = doctor.run()
        errors = sum(1 for c in checks if c.status == "error")
        warnings = sum(1 for c in checks if c.status == "warning")
        if as_json:
            print(json.dumps({"checks": [c.to_dict() for c in checks], "errors": errors, "warnings": warnings},
                             ensure_ascii=False, indent=2))  # fmt: skip
        else:
            for c in checks:
                console.print(
                    f"{SYMBOLS[c.status]} {c.name}（{STATUS_WORDS[c.status]}）：{c.message}", markup=False
                )
            verdict = (
                "有错误，须先处理" if errors else "可以使用" if not warnings else "可以使用，但请看注意事项"
            )
            console.print(f"检查结论：{verdict}（错误 {errors} 项，注意 {warnings} 项）")
        if errors:
            raise typer.Exit(1)
