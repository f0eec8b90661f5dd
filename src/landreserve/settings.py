"""One typed settings object, read from the environment (``LANDRESERVE_*``).

Every value is checked when it is read: a value that is not a number, or out of its range, is an
``InputError`` naming the variable and the allowed range — never a traceback, never silently ignored.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .domain.limits import MAX_PARCEL_AREA_HA
from .errors import InputError

DEFAULT_RISK_CHECKS = ("土壤污染", "文物保护", "压覆矿产", "洪涝风险", "地质灾害")
ENVIRONMENTS = ("development", "production")


def _default_database_url() -> str:
    path = Path(os.environ.get("LANDRESERVE_DATA_DIR", "var")) / "landreserve.sqlite3"
    return f"sqlite:///{path}"


def _default_cache_dir() -> Path:
    if os.environ.get("LANDRESERVE_CACHE_DIR"):
        return Path(os.environ["LANDRESERVE_CACHE_DIR"])
    return Path(os.environ.get("LANDRESERVE_DATA_DIR", "var")) / "cache"


def _default_files_dir() -> str:
    return str(Path(os.environ.get("LANDRESERVE_DATA_DIR", "var")) / "files")


def _env(name: str, default: str) -> str:
    return os.environ.get(f"LANDRESERVE_{name}", default)


def _list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.replace("，", ",").split(",") if part.strip())


def _invalid(name: str, value: object, expected: str) -> InputError:
    return InputError(
        f"设置 LANDRESERVE_{name.upper()} 的值“{value}”无效：{expected}。请改正这个环境变量后重试",
        code="settings.invalid",
        details={"setting": f"LANDRESERVE_{name.upper()}", "value": str(value)},
    )


def _number(name: str, text: str, kind: type) -> int | Decimal:
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    try:
        value = int(cleaned) if kind is int else Decimal(cleaned)
    except (ValueError, InvalidOperation):
        raise _invalid(name, text, "应为整数" if kind is int else "应为数字") from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise _invalid(name, text, "应为有限的数字")
    return value


#: field → (lowest, highest) allowed value, and what it is in Chinese
RANGES: dict[str, tuple[Decimal, Decimal, str]] = {
    "temporary_use_max_years": (Decimal(1), Decimal(20), "年"),
    "coverage_bound": (Decimal(1), Decimal(10), "倍"),
    "area_tolerance": (Decimal(0), Decimal("0.5"), "（相对值，0.01 即 1%）"),
    "busy_timeout": (Decimal(0), Decimal(600), "秒"),
    "date_past_years": (Decimal(1), Decimal(200), "年"),
    "date_future_years": (Decimal(0), Decimal(50), "年"),
    "max_parcel_area_ha": (Decimal("0.01"), Decimal(1_000_000), "公顷"),
    "upload_max_mb": (Decimal(1), Decimal(1024), "MiB"),
}
INTEGER_FIELDS = ("temporary_use_max_years", "date_past_years", "date_future_years", "upload_max_mb")


@dataclass(frozen=True)
class Settings:
    """Settings of one installation.

    Every field can be set by an environment variable ``LANDRESERVE_<FIELD NAME IN CAPITALS>``;
    the README lists them all (a test checks that it does).
    """

    database_url: str = field(default_factory=_default_database_url)
    environment: str = "development"
    #: risk checks that must be cleared before a parcel enters the reserve (comma separated)
    risk_checks: tuple[str, ...] = DEFAULT_RISK_CHECKS
    #: longest allowed custody lease / temporary use, in years
    temporary_use_max_years: int = 2
    #: lowest acceptable coverage ratio (本息覆盖倍数) of a bond-financed project
    coverage_bound: Decimal = Decimal("1.2")
    #: relative tolerance between a boundary's computed area and the declared area
    area_tolerance: Decimal = Decimal("0.01")
    #: where spatial indexes built for layer files without one are kept (safe to delete; rebuilt on demand)
    cache_dir: Path = field(default_factory=_default_cache_dir)
    #: seconds a command waits for another command's write lock (SQLite) before it gives up
    busy_timeout: Decimal = Decimal(10)
    #: a date given by a user may lie at most this many years before today …
    date_past_years: int = 50
    #: … and at most this many years after today
    date_future_years: int = 5
    #: the largest area one parcel can have, in hectares (a county parcel, not a county)
    max_parcel_area_ha: Decimal = MAX_PARCEL_AREA_HA

    #: folder of uploaded evidence files (stored by SHA-256, never overwritten)
    files_dir: str = field(default_factory=_default_files_dir)
    #: largest accepted upload (evidence file, plan document, map layer), in MiB
    upload_max_mb: int = 20

    def __post_init__(self) -> None:
        for name, (low, high, unit) in RANGES.items():
            value = getattr(self, name)
            if isinstance(value, float | bool) or not isinstance(value, int | Decimal):
                raise _invalid(name, value, "应为数字")
            if not low <= value <= high:
                raise _invalid(name, value, f"应在 {low}–{high} {unit}之间")
        if self.environment not in ENVIRONMENTS:
            raise _invalid("environment", self.environment, "应为 development 或 production")
        for check in self.risk_checks:
            if len(check) > 100 or any(unicodedata.category(c).startswith("C") for c in check):
                raise _invalid(
                    "risk_checks", check, "每项风险排查名称不超过 100 字、不含控制字符，以逗号分隔"
                )

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from ``LANDRESERVE_*`` environment variables (``InputError`` naming a bad one)."""
        base = cls()
        values: dict[str, object] = {
            "database_url": _env("DATABASE_URL", base.database_url).strip(),
            "environment": _env("ENVIRONMENT", base.environment).strip(),
            "risk_checks": _list(_env("RISK_CHECKS", ",".join(base.risk_checks))),
        }
        for name in RANGES:
            kind = int if name in INTEGER_FIELDS else Decimal
            values[name] = _number(name, _env(name.upper(), str(getattr(base, name))), kind)
        values["files_dir"] = _env("FILES_DIR", base.files_dir)
        values["cache_dir"] = Path(_env("CACHE_DIR", str(base.cache_dir)))
        return cls(**values)  # type: ignore[arg-type]


SETTINGS_ENV_VARS = (
    *(f"LANDRESERVE_{f.name.upper()}" for f in fields(Settings)),
    "LANDRESERVE_DATA_DIR",
    "LANDRESERVE_DEBUG",
)
