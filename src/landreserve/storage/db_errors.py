"""What the database drivers raise, as Chinese errors that name the setting and never show SQL.

``translate(exc, url)`` maps a SQLAlchemy / driver / Alembic exception to a ``LandReserveError``:
the server down or unknown, a database that does not exist, a bad URL, a file that is no SQLite
database, the write lock held by another command (``DatabaseBusyError``), a value too long for its
column, a schema newer than this program. The statement and its parameters are never part of the
message (SQLAlchemy puts them into ``str(exc)``; only the driver's own first line is kept, as detail).
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from ..errors import DatabaseBusyError, DatabaseError, InputError, LandReserveError

SETTING = "LANDRESERVE_DATABASE_URL"
BUSY_SETTING = "LANDRESERVE_BUSY_TIMEOUT"


def shown_url(url: str | URL | None) -> str:
    """The URL as it may be shown: without its password."""
    if url is None:
        return "（未设置）"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as given, it has no password part
        return str(url)


def _driver_text(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0][:300] if text else type(orig).__name__


def bad_url(url: str, reason: str) -> InputError:
    return InputError(
        f"设置 {SETTING} 的值“{shown_url(url)}”不是可用的数据库地址：{reason}。"
        "应写成 sqlite:///路径/landreserve.sqlite3（绝对路径用四个斜杠）或 postgresql://用户@主机:端口/库名",
        code="database.bad_url",
        details={"setting": SETTING},
    )


def busy(what: str = "") -> DatabaseBusyError:
    return DatabaseBusyError(
        f"数据库正忙：另一项操作正在写入{what}，等待超时（{BUSY_SETTING}），本次未写入任何数据。请稍后重试。",
        details={"setting": BUSY_SETTING},
    )


def _operational(text: str, where: str) -> LandReserveError:
    lower = text.lower()
    if "database is locked" in lower or "database table is locked" in lower or "busy" in lower:
        return busy()
    if "does not exist" in lower and "database" in lower:
        return DatabaseError(
            f"数据库 {where} 不存在：请先创建它（createdb），或改正设置 {SETTING}",
            code="database.missing",
            details={"setting": SETTING},
        )
    if "password authentication failed" in lower or "no password supplied" in lower:
        return DatabaseError(
            f"数据库 {where} 拒绝登录：用户名或密码不对。密码请放在 PGPASSWORD 或 ~/.pgpass 中，用户名见设置 {SETTING}",
            code="database.login",
            details={"setting": SETTING},
        )
    if "role" in lower and "does not exist" in lower:
        return DatabaseError(
            f"数据库 {where} 中没有这个用户：请创建（createuser）或改正设置 {SETTING} 中的用户名",
            code="database.login",
            details={"setting": SETTING},
        )
    if "unable to open database file" in lower:
        return DatabaseError(
            f"无法打开 SQLite 数据库文件 {where}：路径是文件夹、文件夹不可写或磁盘已满。请检查设置 {SETTING}"
            "（或 LANDRESERVE_DATA_DIR）",
            code="database.unavailable",
            details={"setting": SETTING},
        )
    if "readonly database" in lower or "read-only" in lower:
        return DatabaseError(
            f"数据库 {where} 只读，无法写入：请检查文件权限或数据库用户的权限（{SETTING}）",
            code="database.read_only",
            details={"setting": SETTING},
        )
    if "disk" in lower and ("full" in lower or "i/o" in lower):
        return DatabaseError(
            f"数据库 {where} 写入磁盘失败（磁盘已满或读写错误），本次未写入任何数据；请检查磁盘后重试",
            code="database.disk",
            details={"setting": SETTING},
        )
    if "malformed" in lower or "not a database" in lower:
        return DatabaseError(
            f"文件 {where} 不是 SQLite 数据库或已损坏：请改正设置 {SETTING}，或从备份恢复",
            code="database.not_a_database",
            details={"setting": SETTING},
        )
    return DatabaseError(
        f"无法连接数据库 {where}：服务器未启动、地址或端口有误，或网络不通。请检查数据库服务器和设置 {SETTING}"
        f"（数据库返回：{text}）",
        code="database.unavailable",
        details={"setting": SETTING},
    )


def translate(exc: BaseException, url: str | URL | None = None) -> LandReserveError:
    """The Chinese error for a database failure ``exc`` on the database at ``url``."""
    if isinstance(exc, LandReserveError):
        return exc
    where = shown_url(url)
    text = _driver_text(exc)
    if isinstance(exc, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
        return bad_url(str(url), "无法识别（只支持 SQLite 和 PostgreSQL）")
    if isinstance(exc, sa_exc.DataError):
        lower = text.lower()
        if "too long" in lower:
            return InputError(
                "输入的文字超过了数据库允许的长度，本次未写入任何数据：请缩短后重试",
                code="input.too_long",
            )
        if "out of range" in lower or "overflow" in lower:
            return InputError(
                "输入的数值超出了数据库允许的范围，本次未写入任何数据：请核对数值", code="input.out_of_range"
            )
        return InputError(f"输入的值不能存入数据库（{text}），本次未写入任何数据", code="input.invalid")
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return _operational(text, where)
    if isinstance(exc, sa_exc.ProgrammingError) and (
        "does not exist" in text.lower() or "no such table" in text.lower()
    ):
        return DatabaseError(
            f"数据库 {where} 的结构不完整（缺少表或列）：请运行 landreserve db upgrade，或检查设置 {SETTING} 是否指向本系统的数据库",
            code="database.schema",
            details={"setting": SETTING},
        )
    if isinstance(exc, sa_exc.OperationalError) or "no such table" in text.lower():
        return _operational(text, where)
    if isinstance(exc, sa_exc.IntegrityError):
        return DatabaseError(
            f"数据库拒绝了这次写入（数据完整性约束），本次未写入任何数据：{text}",
            code="database.integrity",
        )
    if isinstance(exc, sa_exc.DBAPIError):
        lower = text.lower()
        if "not a database" in lower or "malformed" in lower or "locked" in lower:
            return _operational(text, where)
        return DatabaseError(
            f"数据库 {where} 拒绝了这次操作，本次未写入任何数据（数据库返回：{text}）",
            code="database.refused",
            details={"setting": SETTING},
        )
    if isinstance(exc, sa_exc.SQLAlchemyError):
        return DatabaseError(
            f"数据库 {where} 操作失败（{type(exc).__name__}），本次未写入任何数据；请检查设置 {SETTING}",
            code="database.error",
            details={"setting": SETTING},
        )
    return DatabaseError(f"数据库 {where} 操作失败：{text}", details={"setting": SETTING})
