"""The boundary-point coordinate exchange format of land surveys (界址点坐标交换格式): read and write.

A file has a ``[属性描述]`` header (``坐标系=``, ``几度分带=``, ``带号=``, ``计量单位=``…) and a
``[地块坐标]`` section: one line per parcel
``点数,面积(公顷),地块编号,地块名称,图形属性,图幅号,用途,地类编码,@`` followed by its points
``J1,圈号,X,Y``. **X is the northing and Y the easting** (the reverse of GIS x/y), Y may carry the zone
prefix; ring 1 is the outer ring, other rings are holes (a ring outside every earlier ring starts another
part); rings may be closed or not. Files are GBK (most survey software) or UTF-8.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from .crs import GaussKrugerZone, easting_prefix
from .features import Feature, FeatureSet, RawRing, polygon_from_rings

HEADER_SECTION = "属性描述"
PARCEL_SECTION = "地块坐标"
#: attribute names of a parcel line, in file order after 点数 and 面积
PARCEL_FIELDS = ("地块编号", "地块名称", "图形属性", "图幅号", "用途", "地类编码")
AREA_FIELD = "面积(公顷)"
_SECTION = re.compile(r"^\s*[\[【［]\s*(\S+?)\s*[\]】］]\s*$")
_SEPARATORS = str.maketrans({"，": ",", "＝": "=", "：": "="})


def decode(data: bytes, source_name: str) -> tuple[str, str]:
    """Decode a text file as UTF-8 (with or without BOM) or else GBK (GB18030); return (text, encoding).

    Bytes valid in neither raise ``InputError`` naming the line, never a garbled text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", source_name), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _strict(data, "gb18030", source_name), "gbk"


def _strict(data: bytes, encoding: str, source_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{source_name} 第{line}行含有既非 UTF-8 也非 GBK 的字节（{data[exc.start : exc.end + 3]!r}），"
            "无法可靠识别文字；请用原软件另存为 GBK 或 UTF-8 后重试。",
            code="boundary.encoding",
        ) from exc


def read_boundary_points(path: Path) -> FeatureSet:
    """Read a boundary-point file into features (x=easting, y=northing, as written, prefix kept).

    Parameters
    ----------
    path : Path
        The ``.txt`` file.

    Returns
    -------
    FeatureSet
        One feature per parcel with its attributes, ``面积(公顷)`` as written, its rings as written
        (``raw_rings``) and the header in ``header``; ``declared_epsg`` from ``带号`` (prefix from the data).
    """
    text, encoding = decode(path.read_bytes(), path.name)
    header, blocks, notes = _split(text.splitlines(), path.name)
    features = [_feature(block, path.name, notes) for block in blocks]
    result = FeatureSet(path=path, features=features, encoding=encoding, header=header, notes=notes)
    result.fields = ["点数", AREA_FIELD, *PARCEL_FIELDS]
    result.declared_crs, result.declared_epsg = _declared_crs(header, features, path.name)
    return result


def _split(
    lines: list[str], name: str
) -> tuple[dict[str, str], list[list[tuple[int, list[str]]]], list[str]]:
    header: dict[str, str] = {}
    blocks: list[list[tuple[int, list[str]]]] = []
    section = None
    for number, raw in enumerate(lines, start=1):
        line = raw.translate(_SEPARATORS).strip()
        if not line:
            continue
        match = _SECTION.match(line)
        if match:
            section = match.group(1)
            continue
        if section == HEADER_SECTION:
            key, _, value = line.partition("=")
            header[key.strip()] = value.strip()
        elif section == PARCEL_SECTION:
            _add_line(blocks, number, [part.strip() for part in line.split(",")], name)
        else:
            raise InputError(
                f"{name} 第{number}行“{raw.strip()}”不在 [属性描述] 或 [地块坐标] 节中；请检查文件格式。",
                code="boundary.format",
            )
    if not blocks:
        raise InputError(f"{name} 中没有 [地块坐标] 地块；请检查文件格式。", code="boundary.empty")
    return header, blocks, []


def _add_line(blocks: list, number: int, parts: list[str], name: str) -> None:
    if parts[-1] == "@" or (len(parts) > 1 and parts[-1] == "" and parts[-2] == "@"):
        blocks.append([(number, parts)])
        return
    if not blocks:
        raise InputError(
            f"{name} 第{number}行“{','.join(parts)}”：[地块坐标] 的第一行应是以 @ 结尾的地块行。",
            code="boundary.format",
        )
    if len(parts) != 4:
        raise InputError(
            f"{name} 第{number}行“{','.join(parts)}”：界址点行应为“点号,圈号,X,Y”四项，实际{len(parts)}项。",
            code="boundary.point",
        )
    blocks[-1].append((number, parts))


def _feature(block: list[tuple[int, list[str]]], name: str, notes: list[str]) -> Feature:
    (line, parts), points = block[0], block[1:]
    attributes = _parcel_attributes(line, parts, name, notes)
    rings: dict[int, list[tuple[int, tuple[float, float]]]] = {}
    for number, (_point, ring, x, y) in points:
        rings.setdefault(_int(ring, number, "圈号", name), []).append(
            (number, _coordinate(x, y, number, name))
        )
    declared = attributes.pop("点数")
    if declared is not None and declared != len(points):
        notes.append(
            f"{name} 第{line}行：地块 {attributes['地块编号']} 声明点数 {declared}，实际读到 {len(points)} 个点。"
        )
    raw = tuple(
        RawRing(n, tuple(p for _, p in pts), tuple(ln for ln, _ in pts)) for n, pts in sorted(rings.items())
    )
    geometry = polygon_from_rings([list(r.points) for r in raw])
    return Feature(geometry, attributes, f"第{line}行", raw)


def _parcel_attributes(line: int, parts: list[str], name: str, notes: list[str]) -> dict:
    values = parts[: parts.index("@")]
    if len(values) < 3:
        raise InputError(
            f"{name} 第{line}行“{','.join(parts)}”：地块行至少要有 点数,面积(公顷),地块编号。",
            code="boundary.parcel",
        )
    attributes: dict = {"点数": _int(values[0], line, "点数", name) if values[0] else None}
    area = values[1]
    if area:
        try:
            number = Decimal(area)
        except InvalidOperation:
            number = None
        if number is not None and (not number.is_finite() or number <= 0):
            raise InputError(
                f"{name} 第{line}行：面积字段（第2项，{AREA_FIELD}）为“{area}”，面积必须大于零；"
                "请在原文件中改正，或留空（面积按图形计算）。",
                code="boundary.parcel",
            )
        if number is None:
            # the area is optional: a placeholder (DKMC, 空, -) or a wrong value does not hide the boundary
            notes.append(
                f"{name} 第{line}行：面积字段（第2项，{AREA_FIELD}）为“{area}”，不是大于零的数字，已忽略；"
                "边界照常读取，面积按图形计算。请在原文件中改正或留空。"
            )
            area = ""
    attributes[AREA_FIELD] = area or None
    for key, value in zip(PARCEL_FIELDS, values[2:], strict=False):
        attributes[key] = value or None
    for key in PARCEL_FIELDS[len(values) - 2 :]:
        attributes.setdefault(key, None)
    return attributes


def _int(text: str, line: int, what: str, name: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise InputError(f"{name} 第{line}行：{what}“{text}”不是整数。", code="boundary.point") from exc


def _coordinate(x: str, y: str, line: int, name: str) -> tuple[float, float]:
    """File X (northing), Y (easting) → (easting, northing)."""
    try:
        northing, easting = float(x), float(y)
    except ValueError as exc:
        raise InputError(f"{name} 第{line}行：坐标“{x},{y}”不是数字。", code="boundary.point") from exc
    if not (math.isfinite(northing) and math.isfinite(easting)):
        raise InputError(
            f"{name} 第{line}行：坐标“{x},{y}”不是有限的数字（NaN 或无穷大）；请改正该界址点。",
            code="boundary.point",
        )
    return (easting, northing)


def _declared_crs(
    header: dict[str, str], features: list[Feature], name: str
) -> tuple[str | None, int | None]:
    system = header.get("坐标系", "")
    written = "，".join(f"{k}={header[k]}" for k in ("坐标系", "几度分带", "带号") if header.get(k)) or None
    if re.search(r"西安|北京|1980|1954|80|54", system) and "2000" not in system:
        raise InputError(
            f"{name}：坐标系“{system}”不是 CGCS2000；本系统只接受 2000国家大地坐标系，请先转换坐标。",
            code="crs.unsupported",
        )
    band_width = header.get("几度分带", "3").strip() or "3"
    if band_width not in ("3", "3度"):
        raise InputError(
            f"{name}：几度分带={band_width}，本系统只支持3度带；请提供3度带坐标或用 GIS 软件换带。",
            code="crs.unsupported",
        )
    unit = header.get("计量单位", "米")
    if unit and unit not in ("米", "m", "M"):
        raise InputError(f"{name}：计量单位“{unit}”不是米；请提供以米为单位的坐标。", code="boundary.unit")
    band = header.get("带号", "").strip()
    if not band:
        return written, None
    if not band.isdigit():
        raise InputError(f"{name}：带号“{band}”不是整数。", code="crs.zone_out_of_range")
    # prefixed when a coordinate carries the band as its millions (in either column, so that swapped X/Y
    # are reported as swapped, not as a zone-4 prefix taken from a northing of 4 404 300)
    zone = GaussKrugerZone(int(band))
    prefixed = any(easting_prefix(v) == zone.number for f in features if f.bounds for v in f.bounds[:2])
    return written, zone.with_prefix(prefixed).epsg


def write_boundary_points(
    path: Path,
    features: list[Feature],
    *,
    zone: GaussKrugerZone,
    encoding: str = "gbk",
    producer: str = "",
    precision: str = "0.001",
) -> None:
    """Write features (geometry in ``zone``'s own coordinates) as a boundary-point file.

    Each ring is written closed, rings numbered from 1 (each part's shell, then its holes), point names
    J1, J2, … across the parcel (a closing point repeats its ring's first name). Attributes are taken
    by the names of ``PARCEL_FIELDS`` and ``面积(公顷)``.
    """
    lines = [
        f"[{HEADER_SECTION}]",
        "格式版本号=1.01版本",
        f"数据产生单位={producer}",
        f"数据产生日期={date.today().isoformat()}",
        "坐标系=2000国家大地坐标系",
        "几度分带=3",
        "投影类型=高斯克吕格",
        "计量单位=米",
        f"带号={zone.number}",
        f"精度={precision}",
        "转换参数=,,,,,,",
        f"[{PARCEL_SECTION}]",
    ]
    for feature in features:
        lines.extend(_parcel_lines(feature))
    path.write_text("\n".join(lines) + "\n", encoding=encoding)


def _parcel_lines(feature: Feature) -> list[str]:
    points: list[str] = []
    counter = 0
    for number, ring in enumerate(_rings(feature.geometry), start=1):
        first = counter + 1
        for index, (x, y) in enumerate(ring[:-1]):
            counter += 1
            points.append(f"J{counter},{number},{_fmt(y)},{_fmt(x)}")
            if index == 0:
                closing = f"J{first},{number},{_fmt(y)},{_fmt(x)}"
        points.append(closing)
    attrs = feature.attributes
    values = [str(len(points)), str(attrs.get(AREA_FIELD) or "")]
    values += ["" if attrs.get(k) is None else str(attrs[k]).replace(",", "，") for k in PARCEL_FIELDS]
    return [",".join([*values, "@"]), *points]


def _rings(geometry: BaseGeometry | None) -> list[list[tuple[float, float]]]:
    rings: list[list[tuple[float, float]]] = []
    for polygon in shapely.get_parts(geometry) if geometry is not None else []:
        for ring in [polygon.exterior, *polygon.interiors]:
            rings.append([(float(x), float(y)) for x, y in ring.coords])
    return rings


def _fmt(value: float) -> str:
    """The shortest text that reads back as the same float, with at least three decimals."""
    text = repr(value)
    decimals = len(text.partition(".")[2]) if "." in text and "e" not in text else 0
    return f"{value:.{max(3, decimals)}f}"
