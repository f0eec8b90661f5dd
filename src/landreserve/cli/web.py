"""``landreserve serve`` (the web application) and ``landreserve user …`` (accounts)."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from ..domain.actors import DEPARTMENTS
from ..errors import InputError
from . import app
from .common import console, context, handled

user_app = typer.Typer(
    help="用户账号：建立第一个系统管理员、开设和停用账号、重置密码。", no_args_is_help=True
)
app.add_typer(user_app, name="user")


@app.command("serve")
def serve_command(
    host: Annotated[
        str, typer.Option("--host", help="监听地址（默认只在本机 127.0.0.1；反向代理之后保持默认）")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="工作进程数（生产环境可设为 CPU 核数）")] = 1,
) -> None:
    """启动网页应用（uvicorn）：各部门的工作页面、公开页和 JSON 接口（/docs 为接口文档）。"""
    import uvicorn

    from ..settings import Settings
    from ..web.config import WebSettings

    with handled():
        settings = Settings.from_env()
        web = WebSettings.from_env(settings)  # refuses a default secret in production before listening
    console.print(
        f"landreserve 网页应用：http://{host}:{port}{web.root_path}/  （接口文档 {web.root_path}/docs；Ctrl+C 停止）"
    )
    uvicorn.run(
        "landreserve.web.asgi:app", host=host, port=port, workers=workers, proxy_headers=True,
        forwarded_allow_ips=web.trusted_proxies, root_path=web.root_path, log_level="info", access_log=False,
    )  # fmt: skip


def _password(prompt_text: str, given: str | None) -> str:
    if given:
        return given
    first = getpass.getpass(f"{prompt_text}：")
    if first != getpass.getpass("再输入一次："):
        raise InputError("两次输入的密码不一致", code="account.password_mismatch")
    return first


@user_app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Argument(help="管理员用户名，如 admin")],
    name: Annotated[str, typer.Option("--name", help="管理员姓名")] = "系统管理员",
    password: Annotated[
        str | None, typer.Option("--password", help="密码（不给则交互输入；勿写入脚本）")
    ] = None,
) -> None:
    """建立本系统的第一个系统管理员账号（信息中心）；已有管理员时拒绝。"""
    from ..services import accounts

    with handled():
        ctx = context(os.environ.get("USER") or "system", "it")
        view = accounts.create_first_admin(ctx, username, name, _password("管理员密码", password))
    console.print(
        f"已建立系统管理员 {view.username}（{view.display_name}）。用它登录网页，在“用户管理”中为各部门开设账号。"
    )


@user_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="用户名")],
    department: Annotated[
        str,
        typer.Option("--department", help="部门：" + "、".join(f"{k} {v}" for k, v in DEPARTMENTS.items())),
    ],
    name: Annotated[str, typer.Option("--name", help="使用人姓名")],
    password: Annotated[str | None, typer.Option("--password", help="初始密码（首次登录须修改）")] = None,
    by: Annotated[str | None, typer.Option("--user", help="操作人（系统管理员）姓名")] = None,
) -> None:
    """开设一个部门账号（须以信息中心身份：LANDRESERVE_DEPARTMENT=it 或由管理员在网页中办理）。"""
    from ..services import accounts

    with handled():
        ctx = context(by, os.environ.get("LANDRESERVE_DEPARTMENT"))
        view = accounts.create_account(ctx, username, name, department, _password("初始密码", password))
    console.print(
        f"已开设账号 {view.username}（{view.display_name}，{view.department_name}），首次登录须修改密码。"
    )


@user_app.command("list")
def list_users() -> None:
    """全部账号：用户名、姓名、部门、是否停用、最近登录。"""
    from ..services import accounts

    with handled():
        views = accounts.list_accounts(context())
    for v in views:
        flags = "，".join(x for x in ("演示账号" if v.is_demo else "", "已停用" if not v.active else "") if x)
        console.print(
            f"{v.username}\t{v.display_name}\t{v.department_name}\t{flags or '正常'}\t最近登录 {v.last_login_at or '—'}",
            highlight=False,
        )


@app.command("demo")
def demo_command(
    plan: Annotated[str, typer.Option("--plan", help="演示用的计划文件")] = "data/plans/bachu-2026.txt",
) -> None:
    """建立演示环境（只建一次）：巴楚县计划及其地块、每个部门一个演示账号（密码只在此时显示一次）。生产环境拒绝。"""
    from pathlib import Path

    from ..services import demo

    with handled():
        ctx = context("landreserve demo", "it")
        result = demo.setup(ctx, Path(plan))
    if not result.created:
        console.print(
            "演示环境已建立过（演示账号的密码只在首次建立时显示）。忘记密码：删除 var/ 后重新运行 make run。"
        )
        return
    console.print(
        "[bold]已建立演示环境[/]：巴楚县2026年土地储备计划（已导入、演示批准并公开），13 宗地块已登记并有演示界址。"
    )
    console.print("[bold yellow]演示账号（仅供试用，密码只显示这一次）：[/]")
    for department, (username, display, password) in result.passwords.items():
        console.print(
            f"  {DEPARTMENTS[department]:<12}\t用户名 {username:<14}\t密码 {password}\t（{display}）",
            highlight=False,
        )
