"""Plan sources: a file or uploaded bytes → text lines (UTF-8 with/without BOM, GBK/GB18030, .docx).

Refused with an ``InputError`` naming the file: a missing file (``plan.not_found``), one that cannot
be opened (``plan.unreadable``), an empty one
(``plan.empty``), one larger than ``MAX_PLAN_BYTES`` — refused by its size before anything is read
(``plan.too_large``) —, binary content such as images, PDF or old ``.doc`` (``plan.binary``), text in
no supported encoding, including UTF-16 without BOM (``plan.encoding``), and a ``.docx`` that is not a
zip or not a Word document (``plan.not_docx``).

A saved web page (``.html``) is read as its visible text (see ``web_page``).

Line numbers of a ``.docx``: the body is read in document order; every paragraph is one line (a manual
line break inside a paragraph starts a new line) and every table row is one line, its cells joined by a
tab. Line *n* is the *n*-th such line, so a document made of the text's lines has the text's numbers.
Word's automatic numbering (``一、`` ``（一）`` ``1.`` made by the list, not typed) is put back in front
of the paragraph's text (``docx_numbering``).
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from landreserve.errors import InputError

from .docx_numbering import Numbering
from .web_page import looks_like_html, web_page_lines

#: files larger than this are refused unread (a published plan is a few hundred kB at most)
MAX_PLAN_BYTES = 32 * 1024 * 1024
#: largest uncompressed ``word/document.xml`` accepted (guards against zip bombs)
MAX_DOCX_XML_BYTES = 8 * MAX_PLAN_BYTES

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文档"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文档（.doc/.xls），请另存为 .docx"),
    (b"\x7fELF", "可执行程序"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"BM", "BMP 图片"),
    (b"{\\rtf", "RTF 文档，请在 Word/WPS 中另存为 .docx"),
)


def _error(code: str, message: str, name: str, **details) -> InputError:
    return InputError(message, code=code, details={"file": name, **details})


def read_source(path: str | Path) -> tuple[list[str], str]:
    """Read the lines of the plan file at ``path``; returns ``(lines, name)``.

    The size is checked with ``stat`` first, so an oversized file is refused without being read.
    """
    p = Path(path)
    name = p.name or str(path)
    if not p.is_file():
        raise _error("plan.not_found", f"找不到计划文件“{path}”（不存在或不是普通文件），请检查路径。", name)
    try:
        size = p.stat().st_size
        _check_size(size, name)
        with p.open("rb") as f:
            data = f.read(size + 1)  # a buffer of the file's size, not of the limit
            if len(data) > size:  # the file grew since stat: read on, up to just past the limit
                data += f.read(MAX_PLAN_BYTES + 1 - len(data))
    except OSError as exc:
        raise _error(
            "plan.unreadable",
            f"无法读取计划文件“{name}”（{exc.strerror or exc}），请检查文件权限或是否被占用。",
            name,
        ) from None
    _check_size(len(data), name)
    return lines_of(data, name), name


def _check_size(size: int, name: str) -> None:
    if size > MAX_PLAN_BYTES:
        raise _error(
            "plan.too_large",
            f"文件“{name}”太大（{size:,} 字节，上限 {MAX_PLAN_BYTES:,} 字节），不像一份计划文本，未读取。"
            "请确认选对了文件；附件中的图件、影像请不要一并导入。",
            name,
            size=str(size),
        )


def lines_of(data: bytes, name: str) -> list[str]:
    """Text lines of a plan given as bytes (``.docx`` by name or zip signature, else text)."""
    _check_size(len(data), name)
    if not data.strip():
        raise _error(
            "plan.empty", f"文件“{name}”是空的，没有任何内容。请检查是否选错了文件或文件未保存完整。", name
        )
    if name.lower().endswith(".docx") or data.startswith(b"PK\x03\x04"):
        return docx_lines(data, name)
    text = decode_text(data, name)
    if name.lower().endswith((".html", ".htm")) or looks_like_html(text):
        return web_page_lines(text)
    return text.splitlines()


def decode_text(data: bytes, name: str) -> str:
    """Decode plan text: UTF-8 (BOM optional), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(data, codec, name)
    _refuse_binary(data, name)
    try:
        return _plausible(data.decode("utf-8"), data, name)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _encoding_error(name, f"第 {exc.start + 1} 字节处无法按 UTF-8 或 GBK/GB18030 解码") from None
    if not _mostly_common_chinese(text):
        raise _encoding_error(name, "按 GBK/GB18030 解码得到的多为生僻字，编码多半不对")
    return _plausible(text, data, name)


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _encoding_error(name, f"带 {codec} 标记，但第 {exc.start + 1} 字节处无法解码") from None


def _encoding_error(name: str, why: str) -> InputError:
    return _error(
        "plan.encoding",
        f"文件“{name}”的文字编码无法识别（{why}）。支持 UTF-8、GBK/GB18030 文本和 .docx；"
        "请用文本编辑器将文件另存为 UTF-8 后重新导入。",
        name,
    )


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise _binary_error(name, kind)
    head = data[:4096]
    if b"\x00" in head:
        if _looks_like_utf16(head):
            raise _encoding_error(name, "看起来是没有字节顺序标记（BOM）的 UTF-16")
        raise _binary_error(name, "含有 NUL 字节")


def _binary_error(name: str, kind: str) -> InputError:
    return _error(
        "plan.binary",
        f"文件“{name}”不是可读取的计划文本（{kind}）。请提供 UTF-8/GBK 文本、Word（.docx）文档或保存的网页（.html）。",
        name,
    )


def _looks_like_utf16(head: bytes) -> bool:
    """Whether bytes with NULs decode as UTF-16 (either byte order) to readable text."""
    head = head[: len(head) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        readable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
        if readable * 10 >= len(text) * 9 and _mostly_common_chinese(text):
            return True
    return False


def _mostly_common_chinese(text: str) -> bool:
    """Real GBK text uses GB2312 characters almost only; random bytes decode to rare ones."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common * 10 >= len(wide) * 8


def _plausible(text: str, data: bytes, name: str) -> str:
    """Refuse decoded text that is mostly control characters (binary that happens to decode)."""
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls * 20 > max(1, len(sample)):
        raise _binary_error(name, "含有大量控制字符")
    return text


#: what reading a damaged zip package raises: a bad header or CRC, a bit flip in a deflated part (``zlib.error``),
#: a part cut short (``EOFError``), a compression zipfile does not know (``NotImplementedError``), broken XML
PACKAGE_DAMAGE = (
    ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, RuntimeError,
    ValueError,
)  # fmt: skip


def docx_lines(data: bytes, name: str) -> list[str]:
    """Lines of a ``.docx``: paragraphs and table rows of the body, in document order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise _not_docx(name, "不是 zip 格式（.docx 实际上是一个 zip 包）") from None
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError:
            raise _not_docx(name, "是 zip 包，但其中没有 word/document.xml，不是 Word 文档") from None
        if info.file_size > MAX_DOCX_XML_BYTES:
            raise _error(
                "plan.too_large", f"文件“{name}”解压后的正文过大（{info.file_size:,} 字节），未读取。", name
            )
        try:
            root = ElementTree.fromstring(archive.read(info))
            numbering = Numbering.parse(
                _part(archive, "word/numbering.xml"), _part(archive, "word/styles.xml")
            )
        except PACKAGE_DAMAGE as exc:
            raise _not_docx(name, f"正文 XML 已损坏（{exc}）") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise _not_docx(name, "正文 XML 中没有 body 元素")
    lines: list[str] = []
    _block_lines(body, lines, numbering)
    return lines


def _part(archive: zipfile.ZipFile, part: str) -> bytes | None:
    """A small part of the package (numbering, styles), if present."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        return None
    return archive.read(info) if info.file_size <= MAX_PLAN_BYTES else None


def _not_docx(name: str, why: str) -> InputError:
    return _error(
        "plan.not_docx",
        f"文件“{name}”无法作为 Word 文档读取：{why}。请在 Word/WPS 中打开并另存为 .docx，或另存为 UTF-8 文本后导入。",
        name,
    )


def _block_lines(parent: ElementTree.Element, lines: list[str], numbering: Numbering) -> None:
    for child in parent:
        if child.tag == f"{_W}p":
            text = _paragraph_text(child)
            marker = numbering.marker(child) if text.strip() else ""
            lines.extend((_indent(child) + marker + text).split("\n"))
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                lines.append("\t".join(_row_cells(row)))
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                _block_lines(content, lines, numbering)


def _paragraph_text(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _row_cells(row: ElementTree.Element) -> list[str]:
    """Cell texts of a table row; a cell merged across columns (gridSpan) keeps the columns aligned."""
    cells = []
    for cell in row.findall(f"{_W}tc"):
        cells.append(_cell_text(cell))
        span = cell.find(f"{_W}tcPr/{_W}gridSpan")
        extra = (
            int(span.get(f"{_W}val", "1")) - 1
            if span is not None and span.get(f"{_W}val", "").isdigit()
            else 0
        )
        cells.extend([""] * min(extra, 50))
    return cells


def _cell_text(cell: ElementTree.Element) -> str:
    paragraphs = [(p, _paragraph_text(p).replace("\n", " ")) for p in cell.iter(f"{_W}p")]
    texts = [t.strip() for _p, t in paragraphs if t.strip()]
    first = next(((p, t) for p, t in paragraphs if t.strip()), None)
    if first is None:
        return ""
    typed = first[1][: len(first[1]) - len(first[1].lstrip(" \u3000"))]  # spaces typed before the text
    return _indent(first[0]) + typed + " ".join(texts)


#: twips of one full-width character at a common body size (21 pt ≈ one CJK character of 小四)
_TWIPS_PER_CHARACTER = 420


def _indent(p: ElementTree.Element) -> str:
    """A paragraph's left indentation (Word's format, not typed spaces) as full-width spaces, so the
    reader sees the sub-items of a list or a table indented as they look on the page."""
    ind = p.find(f"{_W}pPr/{_W}ind")
    if ind is None:
        return ""
    chars = ind.get(f"{_W}leftChars") or ind.get(f"{_W}startChars")
    if chars and chars.lstrip("-").isdigit():
        return "\u3000" * max(0, min(int(chars) // 100, 8))
    twips = ind.get(f"{_W}left") or ind.get(f"{_W}start")
    if twips and twips.lstrip("-").isdigit():
        return "\u3000" * max(0, min(round(int(twips) / _TWIPS_PER_CHARACTER), 8))
    return ""
