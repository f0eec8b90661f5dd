"""One typed settings object, read from the environment (``LANDRESERVE_*``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

DEFAULT_RISK_CHECKS = ("土壤污染", "文物保护", "压覆矿产", "洪涝风险", "地质灾害")


def _default_database_url() -> str:
    path = Path(os.environ.get("LANDRESERVE_DATA_DIR", "var")) / "landreserve.sqlite3"
    return f"sqlite:///{path}"


def _default_files_dir() -> str:
    return str(Path(os.environ.get("LANDRESERVE_DATA_DIR", "var")) / "files")


def _env(name: str, default: str) -> str:
    return os.environ.get(f"LANDRESERVE_{name}", default)


def _list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.replace("，", ",").split(",") if part.strip())


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
    #: folder of uploaded evidence files (stored by SHA-256, never overwritten)
    files_dir: str = field(default_factory=_default_files_dir)
    #: largest accepted upload (evidence file, plan document, map layer), in MiB
    upload_max_mb: int = 20

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from ``LANDRESERVE_*`` environment variables."""
        base = cls()
        return cls(
            database_url=_env("DATABASE_URL", base.database_url),
            environment=_env("ENVIRONMENT", base.environment),
            risk_checks=_list(_env("RISK_CHECKS", ",".join(base.risk_checks))),
            temporary_use_max_years=int(_env("TEMPORARY_USE_MAX_YEARS", str(base.temporary_use_max_years))),
            coverage_bound=Decimal(_env("COVERAGE_BOUND", str(base.coverage_bound))),
            area_tolerance=Decimal(_env("AREA_TOLERANCE", str(base.area_tolerance))),
            files_dir=_env("FILES_DIR", base.files_dir),
            upload_max_mb=int(_env("UPLOAD_MAX_MB", str(base.upload_max_mb))),
        )


SETTINGS_ENV_VARS = (
    "LANDRESERVE_DATABASE_URL",
    "LANDRESERVE_DATA_DIR",
    "LANDRESERVE_ENVIRONMENT",
    "LANDRESERVE_RISK_CHECKS",
    "LANDRESERVE_TEMPORARY_USE_MAX_YEARS",
    "LANDRESERVE_COVERAGE_BOUND",
    "LANDRESERVE_AREA_TOLERANCE",
    "LANDRESERVE_FILES_DIR",
    "LANDRESERVE_UPLOAD_MAX_MB",
)
