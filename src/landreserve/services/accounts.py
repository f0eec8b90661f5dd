"""User accounts and their sessions: argon2id password hashes, login throttling, server-side sessions.

An account acts for one department (its permissions, ``domain.permissions``). Creating, disabling and
resetting accounts is the administrator's (信息中心); every change of an account is written to the
hash-chained history (never the password or its hash). Sessions are rows keyed by the SHA-256 of a
random token that only the browser's cookie holds: a login always starts a new session (no fixation),
logout and a password change end sessions, and an idle or old session expires.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.actors import DEPARTMENTS, Actor
from ..domain.permissions import Permission, require
from ..errors import ConflictError, InputError, LandReserveError, NotFoundError
from ..storage.db import read_connection, transaction
from ..storage.history_tables import HistoryEntryRow
from ..storage.web_tables import AccountRow, LoginAttemptRow, WebSessionRow
from . import history
from .clock import utc_now
from .context import Context

#: argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane: ~0.1 s on the county's server);
#: hashes made with other parameters are re-hashed at the next login (``check_needs_rehash``)
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
#: a hash of a random password: verified against when the user does not exist (same time either way)
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 10
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class LoginRefused(LandReserveError):
    """Wrong name or password, a disabled account — one message for all, so names cannot be probed."""

    code = "auth.failed"


class LoginThrottled(LandReserveError):
    """Too many failed attempts for this name or from this address: wait before trying again."""

    code = "auth.throttled"


@dataclass(frozen=True)
class Throttle:
    """Failed logins allowed within ``window`` per user name and per address before a pause."""

    per_user: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class AccountView:
    id: int
    username: str
    display_name: str
    department: str
    is_demo: bool
    active: bool
    must_change_password: bool
    created_at: datetime
    last_login_at: datetime | None

    @property
    def department_name(self) -> str:
        return DEPARTMENTS[self.department]

    @property
    def actor(self) -> Actor:
        """The account as the actor of the use cases (its history entries name it and its department)."""
        return Actor(f"{self.display_name}（{self.username}）", self.department)


@dataclass(frozen=True)
class SessionView:
    account: AccountView
    csrf_token: str
    expires_at: datetime


def _view(row: AccountRow) -> AccountView:
    return AccountView(
        row.id, row.username, row.display_name, row.department, row.is_demo, row.active,
        row.must_change_password, row.created_at, row.last_login_at,
    )  # fmt: skip


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not (3 <= len(name) <= 60) or not set(name) <= USERNAME_CHARS:
        raise InputError(
            f"用户名“{username}”无效：3～60 个字符，只用小写字母、数字和 . _ -（如 zhangsan、cz.wang）",
            code="account.username",
            details={"field": "username"},
        )
    return name


def check_password(password: str, username: str) -> None:
    """Refuse passwords that are short, all one character, or the user name."""
    problems = []
    if len(password or "") < MIN_PASSWORD_LENGTH:
        problems.append(f"至少 {MIN_PASSWORD_LENGTH} 个字符")
    if password and len(set(password)) < 4:
        problems.append("不能由一两个字符重复组成")
    if password and normalise_username(username) in password.lower():
        problems.append("不能包含用户名")
    if problems:
        raise InputError(
            "密码不符合要求：" + "；".join(problems) + "。请另选一个（建议用几个词组成的长句）",
            code="account.password_weak",
            details={"field": "password"},
        )


def _check_department(department: str) -> None:
    if department not in DEPARTMENTS:
        known = "、".join(f"{k}（{v}）" for k, v in DEPARTMENTS.items())
        raise InputError(
            f"未知部门“{department}”，可选：{known}",
            code="account.department",
            details={"field": "department"},
        )


def _account(session: Session, username: str) -> AccountRow:
    row = session.scalar(select(AccountRow).where(AccountRow.username == normalise_username(username)))
    if row is None:
        raise NotFoundError(f"没有用户名为“{username}”的账号", code="account.not_found")
    return row


def _insert_account(
    session: Session, ctx: Context, username: str, display_name: str, department: str, password: str,
    *, is_demo: bool = False, must_change: bool = True,
) -> AccountRow:  # fmt: skip
    name = check_username(username)
    _check_department(department)
    check_password(password, name)
    if not (display_name or "").strip():
        raise InputError(
            "请填写账号使用人的姓名", code="account.display_name", details={"field": "display_name"}
        )
    if session.scalar(select(AccountRow.id).where(AccountRow.username == name)) is not None:
        raise ConflictError(f"用户名“{name}”已被使用，请换一个", code="account.exists")
    now = utc_now()
    row = AccountRow(
        username=name, display_name=plausibility.text(display_name.strip(), "姓名", 100), department=department,
        password_hash=HASHER.hash(password), is_demo=is_demo, active=True, must_change_password=must_change,
        created_at=now, created_by=ctx.actor.name, password_changed_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    history.record(
        session, ctx.actor, "account", name, "account.create", None,
        {"display_name": row.display_name, "department": department, "is_demo": is_demo},
    )  # fmt: skip
    return row


def create_account(
    ctx: Context, username: str, display_name: str, department: str, password: str,
    *, is_demo: bool = False, must_change: bool = True,
) -> AccountView:  # fmt: skip
    """Create an account (the administrator's work). ``must_change``: the user sets a new password at
    the first login (the administrator never knows the password in use)."""
    require(ctx.actor, Permission.ACCOUNTS_MANAGE)
    with transaction(ctx.engine) as session:
        return _view(
            _insert_account(
                session,
                ctx,
                username,
                display_name,
                department,
                password,
                is_demo=is_demo,
                must_change=must_change,
            )
        )


def create_first_admin(ctx: Context, username: str, display_name: str, password: str) -> AccountView:
    """Create the first administrator (信息中心) of an installation; refused once any administrator exists.

    Run from the server's shell (``landreserve user create-admin``): whoever can run it can read the
    database anyway. The history names the operating-system user as the actor.
    """
    actor = Actor(ctx.actor.name, "it")
    with transaction(ctx.engine) as session:
        existing = session.scalar(
            select(func.count())
            .select_from(AccountRow)
            .where(AccountRow.department == "it", AccountRow.active)
        )
        if existing:
            raise ConflictError(
                "已有系统管理员账号；其他账号请由管理员在“用户管理”中建立（或 landreserve user add）",
                code="account.admin_exists",
            )
        row = _insert_account(
            session, Context(ctx.engine, ctx.settings, actor), username, display_name, "it", password,
            must_change=False,
        )  # fmt: skip
        return _view(row)


def list_accounts(ctx: Context) -> list[AccountView]:
    with transaction(ctx.engine) as session:
        rows = session.scalars(select(AccountRow).order_by(AccountRow.department, AccountRow.username))
        return [_view(r) for r in rows]


def get_account(ctx: Context, username: str) -> AccountView:
    with transaction(ctx.engine) as session:
        return _view(_account(session, username))


def set_active(ctx: Context, username: str, active: bool) -> AccountView:
    """Disable (or enable again) an account; disabling ends its sessions at once."""
    require(ctx.actor, Permission.ACCOUNTS_MANAGE)
    with transaction(ctx.engine) as session:
        row = _account(session, username)
        if not active and row.department == "it" and _other_active_admins(session, row.id) == 0:
            raise ConflictError("不能停用最后一个系统管理员账号", code="account.last_admin")
        before = {"active": row.active}
        row.active = active
        if not active:
            session.execute(delete(WebSessionRow).where(WebSessionRow.account_id == row.id))
        history.record(session, ctx.actor, "account", row.username, "account.activate" if active else
                       "account.disable", before, {"active": active})  # fmt: skip
        return _view(row)


def _other_active_admins(session: Session, account_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(AccountRow)
        .where(AccountRow.department == "it", AccountRow.active, AccountRow.id != account_id)
    )


def reset_password(ctx: Context, username: str, new_password: str) -> AccountView:
    """Set a new password (the administrator's work); the user must change it at the next login."""
    require(ctx.actor, Permission.ACCOUNTS_MANAGE)
    with transaction(ctx.engine) as session:
        row = _account(session, username)
        check_password(new_password, row.username)
        _set_password(session, row, new_password, must_change=True)
        history.record(session, ctx.actor, "account", row.username, "account.reset_password", None,
                       {"must_change_password": True})  # fmt: skip
        return _view(row)


def change_own_password(ctx: Context, username: str, old_password: str, new_password: str) -> AccountView:
    """The user changes their own password (the old one is required); every other session ends."""
    require(ctx.actor, Permission.ACCOUNT_SELF)
    with transaction(ctx.engine) as session:
        row = _account(session, username)
        if not _verify(row.password_hash, old_password):
            raise InputError("原密码不正确", code="account.old_password", details={"field": "old_password"})
        check_password(new_password, row.username)
        if new_password == old_password:
            raise InputError(
                "新密码不能与原密码相同", code="account.password_same", details={"field": "password"}
            )
        _set_password(session, row, new_password, must_change=False)
        history.record(
            session, ctx.actor, "account", row.username, "account.password", None, {"changed": True}
        )
        return _view(row)


def _set_password(session: Session, row: AccountRow, password: str, *, must_change: bool) -> None:
    row.password_hash = HASHER.hash(password)
    row.password_changed_at = utc_now()
    row.must_change_password = must_change
    session.execute(delete(WebSessionRow).where(WebSessionRow.account_id == row.id))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- login and sessions -------------------------------------------------------------------------------


def _failures(session: Session, since: datetime, **where) -> int:
    query = (
        select(func.count())
        .select_from(LoginAttemptRow)
        .where(LoginAttemptRow.at >= since, LoginAttemptRow.success.is_(False))
    )
    for column, value in where.items():
        query = query.where(getattr(LoginAttemptRow, column) == value)
    return session.scalar(query)


def authenticate(
    ctx: Context, username: str, password: str, remote_addr: str | None, throttle: Throttle = Throttle()
) -> AccountView:
    """Check a login. Refused (``LoginThrottled``) after ``throttle.per_user`` failures for this name or
    ``throttle.per_address`` from this address within the window — even with the right password; every
    attempt is recorded. A wrong name and a wrong password get the same ``LoginRefused``."""
    name = normalise_username(username)[:60]
    now = utc_now()
    since = now - throttle.window
    with transaction(ctx.engine) as session:
        throttled = _failures(session, since, username=name) >= throttle.per_user or bool(
            remote_addr and _failures(session, since, remote_addr=remote_addr) >= throttle.per_address
        )
        row = None if throttled else session.scalar(select(AccountRow).where(AccountRow.username == name))
        ok = not throttled and _verify(row.password_hash if row else _DUMMY_HASH, password or "")
        ok = ok and row is not None and row.active
        session.add(LoginAttemptRow(username=name, remote_addr=remote_addr, at=now, success=ok))
        if ok:
            if HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = HASHER.hash(password)
            row.last_login_at = now
            return _view(row)
    if throttled:
        minutes = int(throttle.window.total_seconds() // 60)
        raise LoginThrottled(
            f"登录失败次数过多，已暂停登录：请 {minutes} 分钟后再试；忘记密码请联系系统管理员（信息中心）",
            details={"retry_after_seconds": int(throttle.window.total_seconds())},
        )
    raise LoginRefused("用户名或密码不正确，或账号已停用")


def token_id(token: str) -> str:
    """The key a session is stored under: the SHA-256 of its token (a stolen table holds no token)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start_session(
    ctx: Context, account: AccountView, *, lifetime: timedelta, remote_addr: str | None,
    user_agent: str | None, replaces: str | None = None,
) -> tuple[str, SessionView]:  # fmt: skip
    """A new session for a logged-in account: (token for the cookie, session). ``replaces`` — the token of
    the session the browser came with — is ended, so a token planted before the login is worthless."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    row = WebSessionRow(
        id=token_id(token), account_id=account.id, csrf_token=secrets.token_urlsafe(32), created_at=now,
        last_seen_at=now, expires_at=now + lifetime, remote_addr=remote_addr,
        user_agent=(user_agent or "")[:300] or None,
    )  # fmt: skip
    with transaction(ctx.engine) as session:
        if replaces:
            session.execute(delete(WebSessionRow).where(WebSessionRow.id == token_id(replaces)))
        session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
        session.add(row)
    return token, SessionView(account, row.csrf_token, row.expires_at)


#: a session with its account, and the head of the history log (the data version), in one statement: every
#: logged-in request reads it, so it is plain Core (no ORM objects) and compiled once
_SESSION = (
    select(
        WebSessionRow.csrf_token, WebSessionRow.expires_at, WebSessionRow.last_seen_at, AccountRow.id,
        AccountRow.username, AccountRow.display_name, AccountRow.department, AccountRow.is_demo, AccountRow.active,
        AccountRow.must_change_password, AccountRow.created_at, AccountRow.last_login_at,
        select(func.max(HistoryEntryRow.seq)).scalar_subquery().label("head"),
    )
    .join_from(WebSessionRow, AccountRow, AccountRow.id == WebSessionRow.account_id)
    .where(WebSessionRow.id == bindparam("key"))
)  # fmt: skip


def session_for(ctx: Context, token: str, *, idle: timedelta) -> SessionView | None:
    """The live session of a token (``None`` when unknown, expired, idle too long or its account disabled)."""
    return session_and_head(ctx, token, idle=idle)[0]


def session_and_head(ctx: Context, token: str, *, idle: timedelta) -> tuple[SessionView | None, int | None]:
    """:func:`session_for` and the head of the history log read with it (``None`` for an unknown token).

    One read-only statement, without the write lock; ``last_seen_at`` is written at most once a minute, so
    reading pages does not queue behind writers."""
    now = utc_now()
    key = token_id(token)
    with read_connection(ctx.engine) as connection:
        row = connection.execute(_SESSION, {"key": key}).first()
    if row is None:
        return None, None
    account = AccountView(
        row.id, row.username, row.display_name, row.department, row.is_demo, row.active,
        row.must_change_password, row.created_at, row.last_login_at,
    )  # fmt: skip
    head = row.head or 0
    if row.expires_at <= now or row.last_seen_at + idle <= now or not row.active:
        end_session(ctx, token)
        return None, head
    if now - row.last_seen_at > timedelta(minutes=1):
        with transaction(ctx.engine) as session:
            session.execute(update(WebSessionRow).where(WebSessionRow.id == key).values(last_seen_at=now))
    return SessionView(account, row.csrf_token, row.expires_at), head


def end_session(ctx: Context, token: str) -> None:
    with transaction(ctx.engine) as session:
        session.execute(delete(WebSessionRow).where(WebSessionRow.id == token_id(token)))
