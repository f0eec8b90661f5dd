"""The body of a Word document (``.docx``) as text lines: paragraphs and table rows, in document order.

Every paragraph is one line (a manual line break inside a paragraph starts a new line) and every table row is
one line, its cells joined by a tab; Word's automatic numbering is put back in front of the paragraph's text
(``docx_numbering``). Imported by ``sources`` for Word files only (zipfile and an XML parser are not needed
for text).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree import ElementTree

from landreserve.errors import InputError

from .docx_numbering import Numbering
from .sources import MAX_PLAN_BYTES, refusal

#: largest uncompressed ``word/document.xml`` accepted (guards against zip bombs)
MAX_DOCX_XML_BYTES = 8 * MAX_PLAN_BYTES

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

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
            raise refusal(
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
    return refusal(
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
