"""Cookies, CSRF and HTTP headers of the web application.

- The session cookie holds a random token signed with ``LANDRESERVE_SECRET_KEY`` (itsdangerous); the
  server keeps only its SHA-256 (``services.accounts``). HttpOnly, SameSite=Lax, Secure in production.
- CSRF: every unsafe request of a logged-in user must carry the session's token, as the form field
  ``csrf_token`` or the header ``X-CSRF-Token`` (htmx sends it from ``hx-headers`` on ``<body>``). The
  login form, made before there is a session, uses a signed double-submit cookie instead.
- Headers: a Content-Security-Policy without inline scripts, no framing, no MIME sniffing.
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, TimestampSigner

SESSION_COOKIE = "lr_session"
LOGIN_CSRF_COOKIE = "lr_login"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Signer:
    def __init__(self, secret: str, max_age_seconds: int):
        self._session = TimestampSigner(secret, salt="landreserve.session")
        self._login = TimestampSigner(secret, salt="landreserve.login-csrf")
        self.max_age = max_age_seconds

    def sign_session(self, token: str) -> str:
        return self._session.sign(token).decode("ascii")

    def session_token(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return self._session.unsign(cookie, max_age=self.max_age).decode("ascii")
        except (BadSignature, UnicodeDecodeError, ValueError):
            return None

    def new_login_token(self) -> tuple[str, str]:
        """(value for the form, signed value for the cookie)."""
        token = secrets.token_urlsafe(24)
        return token, self._login.sign(token).decode("ascii")

    def login_token_ok(self, cookie: str | None, submitted: str | None) -> bool:
        if not cookie or not submitted:
            return False
        try:
            expected = self._login.unsign(cookie, max_age=3600).decode("ascii")
        except (BadSignature, UnicodeDecodeError, ValueError):
            return False
        return hmac.compare_digest(expected, submitted)


def same_token(expected: str, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(expected.encode(), (submitted or "").encode())


def content_security_policy(extra_img: tuple[str, ...] = (), docs: bool = False) -> str:
    img = " ".join(("'self'", "data:", "blob:", *extra_img))
    script = "'self' 'unsafe-inline'" if docs else "'self'"
    style = "'self' 'unsafe-inline'" if docs else "'self'"
    return (
        f"default-src 'self'; script-src {script}; style-src {style}; img-src {img}; connect-src 'self'; "
        "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
