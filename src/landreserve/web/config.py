"""Settings of the web application, from ``LANDRESERVE_*`` environment variables (README: 设置).

In production (``LANDRESERVE_ENVIRONMENT=production``) the application refuses to start without a secret
of its own: ``LANDRESERVE_SECRET_KEY`` unset, shorter than 32 characters or a known placeholder. In
development an unset secret is generated once and kept in ``<data dir>/secret_key`` (mode 600).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from ..errors import InputError
from ..settings import Settings

#: placeholders that must never sign a production cookie
KNOWN_PLACEHOLDERS = {
    "",
    "changeme",
    "change-me",
    "secret",
    "development",
    "dev",
    "landreserve",
    "please-change-me",
}
MIN_SECRET_LENGTH = 32
BASEMAPS = ("none", "tiles", "tianditu")

WEB_ENV_VARS = (
    "LANDRESERVE_SECRET_KEY",
    "LANDRESERVE_COOKIE_SECURE",
    "LANDRESERVE_SESSION_HOURS",
    "LANDRESERVE_SESSION_IDLE_MINUTES",
    "LANDRESERVE_LOGIN_MAX_FAILURES",
    "LANDRESERVE_BASEMAP",
    "LANDRESERVE_TILES",
    "LANDRESERVE_TIANDITU_KEY",
    "LANDRESERVE_MAP_CENTER",
    "LANDRESERVE_TRUSTED_PROXIES",
    "LANDRESERVE_ROOT_PATH",
)


class ConfigurationError(InputError):
    code = "config.invalid"


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    cookie_secure: bool
    session_lifetime: timedelta
    session_idle: timedelta
    login_max_failures: int
    basemap: str
    tiles: str | None
    tianditu_key: str | None
    map_center: tuple[float, float]
    trusted_proxies: str
    root_path: str
    #: a server process (``web.asgi``): what it keeps is moved out of the garbage collector's sight
    #: (``app.settle``); tests and tools that make many applications leave it False
    settle_gc: bool = False
    #: templates checked for changes at every use; a server process (``web.asgi``) reads them once
    reload_templates: bool = True

    @classmethod
    def from_env(cls, settings: Settings) -> WebSettings:
        env = os.environ.get
        production = settings.environment == "production"
        secret = env("LANDRESERVE_SECRET_KEY", "")
        if production:
            check_production_secret(secret)
        elif not secret:
            secret = _development_secret(settings)
        basemap = env("LANDRESERVE_BASEMAP", "none").strip().lower()
        if basemap not in BASEMAPS:
            raise ConfigurationError(
                f"LANDRESERVE_BASEMAP=“{basemap}”无效，可选：none（空白底图，离线可用）、tiles（本地瓦片）、tianditu（天地图）"
            )
        tiles = env("LANDRESERVE_TILES") or None
        key = env("LANDRESERVE_TIANDITU_KEY") or None
        if basemap == "tiles" and not (tiles and Path(tiles).exists()):
            raise ConfigurationError(
                f"LANDRESERVE_BASEMAP=tiles 需要 LANDRESERVE_TILES 指向一个 .mbtiles 文件或 {{z}}/{{x}}/{{y}}.png 瓦片目录（现为“{tiles or '未设置'}”）"
            )
        if basemap == "tianditu" and not key:
            raise ConfigurationError(
                "LANDRESERVE_BASEMAP=tianditu 需要天地图密钥 LANDRESERVE_TIANDITU_KEY（在天地图网站申请）"
            )
        return cls(
            secret_key=secret,
            cookie_secure=_flag(env("LANDRESERVE_COOKIE_SECURE"), default=production),
            session_lifetime=timedelta(hours=_number("LANDRESERVE_SESSION_HOURS", "12")),
            session_idle=timedelta(minutes=_number("LANDRESERVE_SESSION_IDLE_MINUTES", "120")),
            login_max_failures=int(_number("LANDRESERVE_LOGIN_MAX_FAILURES", "5")),
            basemap=basemap,
            tiles=tiles,
            tianditu_key=key,
            map_center=_center(env("LANDRESERVE_MAP_CENTER", "78.55,39.79")),
            trusted_proxies=env("LANDRESERVE_TRUSTED_PROXIES", "127.0.0.1"),
            root_path=env("LANDRESERVE_ROOT_PATH", "").rstrip("/"),
        )


def check_production_secret(secret: str) -> None:
    """Refuse a missing, short or placeholder secret (``ConfigurationError``, Chinese, saying what to do)."""
    if (
        secret.strip().lower() in KNOWN_PLACEHOLDERS
        or len(secret) < MIN_SECRET_LENGTH
        or len(set(secret)) < 8
    ):
        raise ConfigurationError(
            "生产环境（LANDRESERVE_ENVIRONMENT=production）拒绝启动：LANDRESERVE_SECRET_KEY 未设置、过短或是默认值。"
            f"请设置至少 {MIN_SECRET_LENGTH} 个字符的随机密钥，例如："
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'",
            code="config.secret_key",
        )


def _development_secret(settings: Settings) -> str:
    folder = Path(os.environ.get("LANDRESERVE_DATA_DIR", "var"))
    path = folder / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret)
    return secret


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _number(name: str, default: str) -> float:
    value = os.environ.get(name, default)
    try:
        number = float(value)
    except ValueError:
        number = -1
    if number <= 0:
        raise ConfigurationError(f"{name}=“{value}”无效，请填写大于零的数")
    return number


def _center(value: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in value.replace("，", ",").split(","))
    except ValueError as exc:
        raise ConfigurationError(
            f"LANDRESERVE_MAP_CENTER=“{value}”无效，应为“经度,纬度”，如 78.55,39.79"
        ) from exc
    return lon, lat
