"""Any GDAL vector file read raw through pyogrio: geometries as Shapely, attributes as plain Python values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from .features import Feature


def ogr_read(path: Path, **kwargs) -> tuple[dict, np.ndarray, list[np.ndarray]]:
    try:
        meta, _fids, geometry, field_data = pyogrio.raw.read(path, **kwargs)
    except (DataSourceError, DataLayerError) as exc:
        raise InputError(f"无法读取 {path.name}：{exc}", code="input.unreadable") from exc
    return meta, geometry, field_data


def shapes(wkbs: np.ndarray) -> list[BaseGeometry | None]:
    geoms = shapely.from_wkb(wkbs, on_invalid="ignore")
    return [None if g is None else shapely.force_2d(g) for g in geoms]


def ogr_features(geoms: list, names: list[str], columns: list[list[Any]]) -> list[Feature]:
    return [
        Feature(
            geom, {n: plain_value(col[i]) for n, col in zip(names, columns, strict=True)}, f"第{i + 1}个要素"
        )
        for i, geom in enumerate(geoms)
    ]


def plain_value(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value
