"""Shapefiles: attributes decoded strictly (``.cpg``, else GBK — or UTF-8 when the bytes are valid UTF-8),
and GBK with short field names on writing (``SHAPEFILE_FIELDS``, documented in the README).

A DBF stores bytes; GDAL's own recoding would turn bytes of an unknown encoding into silent garbage, so the
file is read as Latin-1 (bytes kept as they are) and decoded here. Bytes that do not decode raise an
``InputError`` naming feature, field and bytes.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from ..errors import InputError
from .crs import epsg_of
from .features import Feature, FeatureSet
from .ogr import ogr_features, ogr_read, plain_value, shapes

#: export attribute → Shapefile field (≤ 10 bytes); the README documents this table
SHAPEFILE_FIELDS: dict[str, str] = {
    "地块编号": "DKBH",
    "地块名称": "DKMC",
    "用途": "YT",
    "地类编码": "DLBM",
    "计算面积_平方米": "JSMJ_M2",
    "计算面积_公顷": "JSMJ_HA",
    "计算面积_亩": "JSMJ_MU",
    "申报面积_公顷": "SBMJ_HA",
    "面积计算坐标系": "JSMJ_EPSG",
    "来源": "LY",
}
#: .cpg spellings of GBK (ArcGIS writes a code page number, others a name)
_GBK_NAMES = {"gbk", "936", "cp936", "ansi 936", "gb2312", "gb18030", "euc-cn"}


def shapefile_encoding(path: Path) -> tuple[str | None, str | None]:
    """(Python codec, .cpg text) from the ``.cpg`` beside ``path``; (None, None) when there is none."""
    cpg = path.with_suffix(".cpg")
    if not cpg.exists():
        cpg = path.with_suffix(".CPG")
    if not cpg.exists():
        return None, None
    declared = cpg.read_text(encoding="ascii", errors="replace").strip()
    key = declared.lower()
    if key in _GBK_NAMES:
        return "gb18030", declared
    if key in ("utf-8", "utf8", "65001"):
        return "utf-8", declared
    try:
        return codecs.lookup(declared).name, declared
    except LookupError as exc:
        raise InputError(
            f"{cpg.name} 声明的编码“{declared}”无法识别；请改为 GBK 或 UTF-8。", code="shapefile.encoding"
        ) from exc


def read_shapefile(path: Path) -> FeatureSet:
    """Read a Shapefile with strictly decoded attributes (see the module doc)."""
    codec, declared = shapefile_encoding(path)
    meta, wkbs, data = ogr_read(path, encoding="latin1")
    raw_names = [str(n) for n in meta["fields"]]
    columns = [list(col) for col in data]
    notes: list[str] = []
    if codec is None:
        codec = _guess_without_cpg(raw_names, columns)
        notes.append(f"{path.name} 没有 .cpg 文件，属性按 {'UTF-8' if codec == 'utf-8' else 'GBK'} 读取。")
    names = [_field_name(n.encode("latin1"), codec, path, notes) for n in raw_names]
    decoded = [
        [_decode_value(v, codec, path, name, i) for i, v in enumerate(col)]
        for name, col in zip(names, columns, strict=True)
    ]
    result = FeatureSet(path, ogr_features(shapes(wkbs), names, decoded), fields=names, notes=notes)
    result.encoding = "utf-8" if codec == "utf-8" else "gbk" if codec == "gb18030" else codec
    result.declared_crs = meta.get("crs")
    result.declared_epsg = epsg_of(result.declared_crs)
    return result


def _guess_without_cpg(names: list[str], columns: list[list[Any]]) -> str:
    texts = [n.encode("latin1") for n in names]
    texts += [v.encode("latin1") for col in columns for v in col if isinstance(v, str)]
    if any(max(t, default=0) > 0x7F for t in texts):
        try:
            for t in texts:
                t.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return "gb18030"


def _field_name(data: bytes, codec: str, path: Path, notes: list[str]) -> str:
    """A DBF field name; one cut inside its last character (10-byte limit) keeps the whole characters."""
    try:
        return data.decode(codec).rstrip()
    except UnicodeDecodeError as exc:
        cut = exc.reason in ("unexpected end of data", "incomplete multibyte sequence") and exc.end == len(
            data
        )
        if not cut:
            return _decode(data, codec, path, "字段名", "")
        name = data[: exc.start].decode(codec)
        notes.append(f"{path.name} 的字段名“{name}”在第10字节处截断了半个汉字，已去掉残缺部分。")
        return name


def _decode_value(value: Any, codec: str, path: Path, field: str, index: int) -> Any:
    if not isinstance(value, str):
        return plain_value(value)
    return _decode(value.encode("latin1"), codec, path, f"第{index + 1}个要素的字段“{field}”", value)


def _decode(data: bytes, codec: str, path: Path, where: str, _raw: str) -> str:
    try:
        return data.decode(codec).rstrip()
    except UnicodeDecodeError as exc:
        raise undecodable_text(path, f"{where} 的内容", data, codec) from exc


def undecodable_text(path: Path, what: str, data: bytes, codec: str, again: str = "导入") -> InputError:
    """Text of a Shapefile that is not in the encoding its ``.cpg`` declares (or, without one, in GBK):
    refused (never read as mojibake), naming the file, the ``.cpg`` and the bytes — with their GBK reading
    when they are GBK, the usual case of a ``.cpg`` that says UTF-8 over a GBK file."""
    cpg = next((c for c in (path.with_suffix(".cpg"), path.with_suffix(".CPG")) if c.exists()), None)
    shown = "GBK" if codec in ("gb18030", "gbk") else codec.upper() if codec.startswith("utf") else codec
    as_gbk = _gbk_reading(data) if shown != "GBK" else None
    hint = f"，按 GBK 读作“{as_gbk}”" if as_gbk else ""
    if cpg is None:
        return InputError(
            f"{path.name} {what}不是有效的 {shown} 文字（字节 {data[:24].hex(' ')}{hint}）；为免乱码已停止读取。"
            f"请确认文件编码，并在 {path.with_suffix('.cpg').name} 中写明（如 GBK 或 UTF-8）。",
            code="shapefile.encoding",
        )
    fix = (
        f"文件是 GBK 编码，请把 {cpg.name} 的内容改为 GBK"
        if as_gbk
        else f"请把 {cpg.name} 改为文件实际的编码"
    )
    return InputError(
        f"{path.name} {what}不是 {cpg.name} 声明的 {shown} 文字（字节 {data[:24].hex(' ')}{hint}）；"
        f"为免乱码已停止读取，什么也没有保存。{fix}（或删去 {cpg.name}，由系统按 GBK/UTF-8 判断），再重新{again}。",
        code="shapefile.encoding",
        details={"file": path.name, "cpg": cpg.name, "declared": shown},
    )


def _gbk_reading(data: bytes) -> str | None:
    """``data`` read as GBK when every byte is GBK and the text is printable, else ``None``."""
    try:
        text = data.decode("gbk").rstrip()
    except UnicodeDecodeError:
        return None
    return text[:20] if text.isprintable() and any(ord(c) > 0x7F for c in text) else None


def check_declared_text(path: Path) -> None:
    """Every text of the ``.dbf`` beside ``path`` is in the encoding its ``.cpg`` declares, else the
    :func:`undecodable_text` refusal (a layer read for its shapes only is still refused: GDAL would decode
    its text by the ``.cpg``, and a wrong ``.cpg`` is a wrong file). Without a ``.cpg`` nothing is checked.

    One pass over the file's bytes (each text column decoded as a whole, values joined by NUL, which no
    multi-byte sequence can swallow), so a layer of a million features costs one read of its ``.dbf``.
    A layer that is no shapefile has no ``.cpg`` of its own: nothing is checked.
    """
    if path.suffix.lower() != ".shp":
        return
    codec, _ = shapefile_encoding(path)
    dbf = next((d for d in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if d.exists()), None)
    if codec is None or dbf is None:
        return
    import numpy as np  # only where a layer is read

    with dbf.open("rb") as file:
        head = file.read(32)
        if len(head) < 32:
            return  # GDAL reports a damaged .dbf itself
        records, header = int.from_bytes(head[4:8], "little"), int.from_bytes(head[8:10], "little")
        width = int.from_bytes(head[10:12], "little")
        fields = _dbf_fields(head + file.read(max(0, header - 32)))
    if not fields or width <= 0 or records <= 0 or dbf.stat().st_size < header + records * width:
        return  # a header GDAL cannot read either: its own error names the file
    rows = np.memmap(dbf, dtype=np.uint8, mode="r", offset=header, shape=(records, width))
    for name, offset, length in fields:
        try:
            name.decode(codec)
        except UnicodeDecodeError as exc:
            raise undecodable_text(path, "的字段名", name, codec, again="检查") from exc
        column = rows[:, offset : offset + length]
        if not (column >= 0x80).any():
            continue  # ASCII only: every encoding reads it alike
        joined = np.concatenate([column, np.zeros((records, 1), dtype=np.uint8)], axis=1).tobytes()
        try:
            joined.decode(codec)
        except UnicodeDecodeError as exc:
            row = exc.start // (length + 1)
            value = column[row].tobytes().rstrip(b" \x00")
            shown = name.decode(codec, errors="replace")
            what = f"第{row + 1}个要素的字段“{shown}”的内容"
            raise undecodable_text(path, what, value, codec, again="检查") from exc


def _dbf_fields(header: bytes) -> list[tuple[bytes, int, int]]:
    """(name, offset in the record, length) of each character field of a dBase header."""
    fields, offset = [], 1  # each record starts with its deletion flag
    for start in range(32, len(header) - 31, 32):
        if header[start] == 0x0D:
            break
        name, kind, length = (
            header[start : start + 11].split(b"\x00")[0],
            header[start + 11 : start + 12],
            header[start + 16],
        )
        if kind in (b"C", b"c"):
            fields.append((name, offset, length))
        offset += length
    return fields


def shapefile_field_names(names: list[str]) -> dict[str, str]:
    """Short DBF field names: the documented ones, else the name cut to 10 GBK bytes and made unique."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        short = SHAPEFILE_FIELDS.get(name) or _cut_gbk(name, 10)
        stem, n = short, 1
        while short.upper() in used:
            n += 1
            short = _cut_gbk(stem, 10 - len(str(n)) - 1) + f"_{n}"
        used.add(short.upper())
        mapping[name] = short
    return mapping


def _cut_gbk(text: str, limit: int) -> str:
    out = ""
    for char in text:
        if len((out + char).encode("gb18030")) > limit:
            break
        out += char
    return out


def check_gbk(features: list[Feature], names: list[str]) -> None:
    for i, feature in enumerate(features):
        for name in names:
            value = feature.attributes.get(name)
            try:
                f"{name}{'' if value is None else value}".encode("gbk")
            except UnicodeEncodeError as exc:
                raise InputError(
                    f"第{i + 1}个地块的字段“{name}”的值“{value}”含有 GBK 无法表示的字符“{exc.object[exc.start : exc.end]}”，"
                    "Shapefile 只能用 GBK 保存；请改用 GeoPackage 导出或修改该值。",
                    code="shapefile.encoding",
                ) from exc
