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
from pathlib import Path

from landreserve.errors import InputError

#: files larger than this are refused unread (a published plan is a few hundred kB at most)
MAX_PLAN_BYTES = 32 * 1024 * 1024
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


def refusal(code: str, message: str, name: str, **details) -> InputError:
    """The ``InputError`` refusing the plan file ``name`` (its name in ``details``)."""
    return InputError(message, code=code, details={"file": name, **details})


def read_source(path: str | Path) -> tuple[list[str], str]:
    """Read the lines of the plan file at ``path``; returns ``(lines, name)``.

    The size is checked with ``stat`` first, so an oversized file is refused without being read.
    """
    p = Path(path)
    name = p.name or str(path)
    if not p.is_file():
        raise refusal("plan.not_found", f"找不到计划文件“{path}”（不存在或不是普通文件），请检查路径。", name)
    try:
        size = p.stat().st_size
        _check_size(size, name)
        with p.open("rb") as f:
            data = f.read(size + 1)  # a buffer of the file's size, not of the limit
            if len(data) > size:  # the file grew since stat: read on, up to just past the limit
                data += f.read(MAX_PLAN_BYTES + 1 - len(data))
    except OSError as exc:
        raise refusal(
            "plan.unreadable",
            f"无法读取计划文件“{name}”（{exc.strerror or exc}），请检查文件权限或是否被占用。",
            name,
        ) from None
    _check_size(len(data), name)
    return lines_of(data, name), name


def _check_size(size: int, name: str) -> None:
    if size > MAX_PLAN_BYTES:
        raise refusal(
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
        raise refusal(
            "plan.empty", f"文件“{name}”是空的，没有任何内容。请检查是否选错了文件或文件未保存完整。", name
        )
    if name.lower().endswith(".docx") or data.startswith(b"PK\x03\x04"):
        from .docx_body import docx_lines  # zipfile and an XML parser, for Word files only

        return docx_lines(data, name)
    text = decode_text(data, name)
    if name.lower().endswith((".html", ".htm")) or looks_like_html(text):
        from .web_page import web_page_lines  # an HTML parser, for web pages only

        return web_page_lines(text)
    return text.splitlines()


def looks_like_html(text: str) -> bool:
    """Whether decoded text is an HTML page rather than plain text."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:2000].lower()


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
    return refusal(
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
    return refusal(
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
