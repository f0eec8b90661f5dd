"""``landreserve doctor``: what an installation needs, checked without changing anything.

The settings, the web application's settings in production, the files folder, the database (reachable, its
schema up to date — never migrated here), the history chain replayed against the tables, the fonts of the
PDF reports and, on PostgreSQL, the tools the backups need. Each check is ``ok``, ``warning`` or ``error``
with a Chinese message that says what to do.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import LandReserveError
from ..settings import Settings

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    message: str

    def to_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "message": self.message}


def run(load: Callable[[], Settings] = Settings.from_env) -> list[Check]:
    """Every check, in order; later checks that need an earlier one's result are left out when it failed."""
    try:
        settings = load()
    except LandReserveError as error:
        return [Check("设置", ERROR, error.message)]
    checks = [Check("设置", OK, "LANDRESERVE_* 设置均可读取且在允许范围内"), _environment(settings)]
    checks += [_files(settings), *_database(settings)]
    checks.append(_fonts())
    return checks


def _environment(settings: Settings) -> Check:
    if settings.environment != "production":
        return Check("运行环境", WARNING, "开发环境（LANDRESERVE_ENVIRONMENT=development）：网页密钥自动生成。"
                     "正式使用请设为 production，并设置 LANDRESERVE_SECRET_KEY")  # fmt: skip
    from ..web.config import WebSettings

    try:
        WebSettings.from_env(settings)
    except LandReserveError as error:
        return Check("运行环境", ERROR, f"生产环境的网页设置有误：{error.message}")
    return Check("运行环境", OK, "生产环境：网页密钥和地图设置有效")


def _files(settings: Settings) -> Check:
    folder = Path(settings.files_dir)
    if folder.is_dir():
        if os.access(folder, os.W_OK | os.X_OK):
            return Check("文件目录", OK, f"证明文件目录“{folder}”存在且可写")
        return Check(
            "文件目录", ERROR, f"证明文件目录“{folder}”不可写：请检查目录权限（设置 LANDRESERVE_FILES_DIR）"
        )
    if folder.exists():
        return Check("文件目录", ERROR, f"“{folder}”不是目录（设置 LANDRESERVE_FILES_DIR）：请改正")
    parent = next((p for p in folder.parents if p.exists()), None)
    if parent is not None and os.access(parent, os.W_OK | os.X_OK):
        return Check("文件目录", WARNING, f"证明文件目录“{folder}”尚不存在，第一次上传时建立")
    return Check(
        "文件目录", ERROR, f"证明文件目录“{folder}”不存在且无法建立：请建立它或改正 LANDRESERVE_FILES_DIR"
    )


def _database(settings: Settings) -> list[Check]:
    from ..storage import db_errors
    from ..storage.db import make_engine

    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        return [Check("数据库连接", ERROR, f"数据库文件“{missing}”不存在：请在正确的文件夹中运行，或设置 "
                      "LANDRESERVE_DATABASE_URL；新装请运行 landreserve db upgrade")]  # fmt: skip
    try:
        engine = make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as error:  # noqa: BLE001 - every failure becomes the Chinese message of db_errors
        shown = (
            error
            if isinstance(error, LandReserveError)
            else db_errors.translate(error, settings.database_url)
        )
        return [Check("数据库连接", ERROR, shown.message)]
    try:
        where = db_errors.shown_url(engine.url)
        checks = [Check("数据库连接", OK, f"可以连接 {where}")]
        schema = _schema(engine)
        checks.append(schema)
        if schema.status == OK:
            checks.append(_history(engine, settings))
        if engine.url.get_backend_name() == "postgresql":
            checks.append(_tools())
        return checks
    finally:
        engine.dispose()


def _missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file the URL names when it does not exist (the check must not create it)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - a bad URL is reported by make_engine
        return None
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return None if Path(name).exists() else Path(name)


def _schema(engine) -> Check:
    from ..storage.migrate import current_heads, script_heads, unknown_revisions

    current, known = current_heads(engine), script_heads()
    if current == known:
        return Check("数据库结构", OK, "已是最新结构")
    if not current:
        return Check("数据库结构", ERROR, "数据库尚未建立：请运行 landreserve db upgrade")
    if unknown_revisions(current):
        return Check(
            "数据库结构", ERROR, "数据库结构比本程序新（由更新版本的 landreserve 建立）：请升级 landreserve"
        )
    return Check(
        "数据库结构",
        ERROR,
        "数据库结构需要升级：请先备份（landreserve db backup），再运行 landreserve db upgrade",
    )


def _history(engine, settings: Settings) -> Check:
    from .context import Context
    from .history import verify

    result = verify(Context(engine=engine, settings=settings, actor=None))
    if result.broken is not None:
        return Check("历史记录", ERROR, f"哈希链在第 {result.broken.seq} 条处不一致：{result.broken.reason}。"
                     "记录可能被改动：请运行 landreserve verify-log 查看，并报告信息中心")  # fmt: skip
    if result.differences:
        return Check("历史记录", ERROR, f"有 {len(result.differences)} 行数据与历史记录不符（绕过本系统改动过）："
                     "请运行 landreserve verify-log 查看是哪些行")  # fmt: skip
    if result.head_seq is None:
        return Check("历史记录", OK, "历史记录为空（尚无任何操作）")
    return Check(
        "历史记录",
        OK,
        f"共 {result.count} 条，哈希链完整，各表与历史记录一致；链头 {result.head_seq}:{result.head_hash}",
    )


def _fonts() -> Check:
    try:
        from ..reports.fonts import paths

        found = paths()
    except ImportError:
        return Check(
            "PDF 字体",
            ERROR,
            "缺少中文字体包 pylopdf-fonts-zh-cn：请重新安装 landreserve（pip install -e .）",
        )
    missing = [f"{family}（{path}）" for family, path in found.items() if not path.is_file()]
    if missing:
        return Check("PDF 字体", ERROR, f"字体文件缺失：{'、'.join(missing)}。请重新安装 pylopdf-fonts-zh-cn")
    return Check("PDF 字体", OK, f"思源字体齐全：{'、'.join(found)}")


def _tools() -> Check:
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        return Check("备份工具", WARNING, f"PATH 中没有 {'、'.join(missing)}，landreserve db backup/restore 不能使用："
                     "请安装与服务器同版本的 PostgreSQL 客户端（apt install postgresql-client）")  # fmt: skip
    return Check("备份工具", OK, "pg_dump、pg_restore 可用（landreserve db backup/restore）")
