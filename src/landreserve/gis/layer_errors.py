"""A damaged or foreign layer file, as the one ``InputError`` that names it (never a traceback).

GDAL (through pyogrio), Arrow and PROJ each raise their own exceptions when a layer file is truncated, has
a broken ``.prj`` or bytes that are no text: ``CRSError`` from a ``.prj`` cut short, a plain ``OSError``
from a FlatGeobuf cut short, ``ArrowException`` from a ``.dbf`` whose text cannot be wrapped,
``ProjError`` from a CRS that cannot be transformed. :func:`reading_layer` turns those into
``gis.layer_unreadable``; anything else (a program error) passes unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from landreserve.errors import InputError

#: packages whose exceptions mean "this file cannot be read as a layer"
_READERS = ("pyogrio", "pyproj", "pyarrow")


def from_reader(exc: BaseException) -> bool:
    """Whether ``exc`` is a file-reading failure of GDAL, Arrow or PROJ (not a program error)."""
    if isinstance(exc, OSError | UnicodeDecodeError):
        return True
    return type(exc).__module__.partition(".")[0] in _READERS


def unreadable_layer(path: str | Path, exc: BaseException) -> InputError:
    """The message for a layer file that GDAL, Arrow or PROJ cannot read."""
    if isinstance(exc, UnicodeDecodeError) and Path(path).suffix.lower() == ".shp":
        from .shapefiles import undecodable_text  # a .cpg that names the wrong encoding, said as such

        data = exc.object[exc.start : exc.end + 8]
        error = undecodable_text(Path(path), "的字段名或属性文字", data, exc.encoding, again="检查")
        return InputError(error.message, code="gis.layer_unreadable", details=error.details)
    if isinstance(exc, PermissionError):
        why = "没有读取权限"
    elif isinstance(exc, UnicodeDecodeError):
        why = "文字不是有效的编码"
    elif "CRS" in type(exc).__name__ or "Proj" in type(exc).__name__:
        why = f"坐标系定义（如 .prj）无效或无法换算：{exc}"
    else:
        why = f"文件损坏、不完整或格式不符：{type(exc).__name__}: {exc}"
    return InputError(
        f"无法读取图层文件 {path}（{why}）。请确认文件完整且格式受支持：在 GIS 软件中打开检查，或重新导出后再试。",
        code="gis.layer_unreadable",
    )


@contextmanager
def reading_layer(path: str | Path) -> Iterator[None]:
    """Inside: a reading failure of the layer file ``path`` becomes :func:`unreadable_layer`."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - narrowed by from_reader; the rest is re-raised as it is
        if not from_reader(exc):
            raise
        raise unreadable_layer(path, exc) from exc
