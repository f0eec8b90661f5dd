"""Plan sources: the same plan as GBK, GB18030, ASCII punctuation, full-width digits and .docx; bad input."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.errors import InputError
from landreserve.importers import MAX_PLAN_BYTES, read_plan, read_plan_bytes

ASCII_PUNCTUATION = str.maketrans(
    {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "％": "%", "－": "-", "“": '"', "”": '"'}
)
FULL_WIDTH_DIGITS = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ".": "．"})


@pytest.fixture(scope="module")
def bachu_text(bachu_plan_path) -> str:
    return bachu_plan_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bachu(bachu_plan_path):
    return read_plan(bachu_plan_path)


def figures_of(doc, with_lines=True):
    return [(f.label, f.value, f.unit, f.qualifier) + ((f.line,) if with_lines else ()) for f in doc.figures]


def parcels_of(doc, with_lines=True):
    return [
        (p.code, p.location, p.area_m2, p.carried_over, p.serial) + ((p.line,) if with_lines else ())
        for p in doc.parcels
    ]


def structure_of(doc):
    totals = [(t.kind, [(f.value, f.unit) for f in t.measure.figures]) for t in doc.totals]
    breakdowns = [
        (
            b.dimension,
            b.exhaustive,
            b.total.kind if b.total else None,
            [(i.name, i.area.primary.value) for i in b.items],
        )
        for b in doc.breakdowns
    ]
    return totals, breakdowns, (doc.title, doc.jurisdiction, doc.year, doc.kind)


def assert_same_plan(doc, reference, with_lines=True):
    assert figures_of(doc, with_lines) == figures_of(reference, with_lines)
    assert parcels_of(doc, with_lines) == parcels_of(reference, with_lines)
    assert structure_of(doc) == structure_of(reference)
    assert doc.problems == []


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_other_encodings_give_the_same_plan(tmp_path, bachu_text, bachu, encoding):
    path = tmp_path / f"bachu-{encoding}.txt"
    path.write_bytes(bachu_text.encode(encoding))
    doc = read_plan(path)
    assert_same_plan(doc, bachu)
    assert doc.content_sha256 == bachu.content_sha256


def test_ascii_punctuation_gives_the_same_plan(tmp_path, bachu_text, bachu):
    text = bachu_text.translate(ASCII_PUNCTUATION)
    assert "，" not in text and "％" not in text
    path = tmp_path / "bachu-ascii.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_plan(path)
    assert_same_plan(doc, bachu)
    assert doc.content_sha256 == bachu.content_sha256


def test_full_width_digits_give_the_same_plan(tmp_path, bachu_text, bachu):
    text = bachu_text.translate(FULL_WIDTH_DIGITS)
    assert "47.58" not in text and "４７．５８" in text
    path = tmp_path / "bachu-fullwidth.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_plan(path)
    assert_same_plan(doc, bachu)
    assert doc.content_sha256 == bachu.content_sha256


def test_crlf_and_blank_lines_do_not_change_the_hash(bachu_text, bachu):
    crlf = read_plan_bytes(bachu_text.replace("\n", "\r\n").encode("utf-8"), "bachu.txt")
    assert_same_plan(crlf, bachu)
    assert crlf.content_sha256 == bachu.content_sha256
    spaced = read_plan_bytes(bachu_text.replace("\n", "\n\n").encode("utf-8"), "bachu.txt")
    assert spaced.content_sha256 == bachu.content_sha256
    changed = read_plan_bytes(bachu_text.replace("47.58", "47.59").encode("utf-8"), "bachu.txt")
    assert changed.content_sha256 != bachu.content_sha256


def _docx_bytes(paragraphs, table_at=None, rows=()):
    document = docx.Document()
    for i, text in enumerate(paragraphs):
        if i == table_at:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_give_the_same_plan(tmp_path, bachu_text, bachu):
    path = tmp_path / "bachu.docx"
    path.write_bytes(_docx_bytes(bachu_text.splitlines()))
    doc = read_plan(path)
    assert_same_plan(doc, bachu)
    assert doc.content_sha256 == bachu.content_sha256
    assert doc.source == "bachu.docx"


def test_docx_with_a_parcel_table_gives_the_same_figures_and_parcels(tmp_path, bachu_text, bachu):
    lines = bachu_text.splitlines()
    header = ("序号", "地块编号", "土地坐落", "面积（公顷）")
    rows = [header] + [
        (str(p.serial), p.code_as_written, p.location, p.area.primary.value) for p in bachu.parcels
    ]
    paragraphs = lines[:22] + lines[35:]  # lines 23-35 (the parcel list) become the table
    path = tmp_path / "bachu-table.docx"
    path.write_bytes(_docx_bytes(paragraphs, table_at=22, rows=rows))
    doc = read_plan(path)
    assert_same_plan(doc, bachu, with_lines=False)
    # the header row is line 23, the parcels lines 24-36; everything after moves one line down
    assert [p.line for p in doc.parcels] == list(range(24, 37))
    assert doc.parcels[0].code_as_written == "BC－CB2026001"
    assert doc.total(bachu.totals[-1].kind).measure.line == 38
    assert doc.parcels_total is not None and doc.parcels_total.kind is bachu.parcels_total.kind


def test_read_plan_bytes_reads_text_and_docx(bachu_text, bachu):
    assert_same_plan(read_plan_bytes(bachu_text.encode("gbk"), "巴楚.txt"), bachu)
    assert_same_plan(read_plan_bytes(_docx_bytes(bachu_text.splitlines()), "巴楚.docx"), bachu)


def test_saved_web_page_gives_the_same_figures(tmp_path, bachu_text, bachu):
    body = "".join(f"<p>{line}</p>\n" for line in bachu_text.splitlines() if line.strip())
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="gbk"><title>巴楚县</title><script>var x="9.99公顷";</script>'
        f'</head>\n<body><div class="nav">首页 &gt; 政务公开</div>\n{body}<p>打印本页 关闭窗口</p></body></html>'
    )
    path = tmp_path / "bachu.html"
    path.write_bytes(page.encode("gbk"))
    doc = read_plan(path)
    assert_same_plan(doc, bachu, with_lines=False)
    assert doc.content_sha256 == bachu.content_sha256  # same visible lines, noise removed
    # visible lines: navigation (1), title (2), then the non-empty lines of the text (its blank line 2 dropped)
    assert doc.figures[0].line == 16 and doc.parcels[0].line == 23


def test_web_page_table_rows_are_parcel_rows():
    page = (
        "<html><body><p>某县2026年土地储备计划</p><table>"
        "<tr><th>序号</th><th>地块编号</th><th>土地坐落</th><th>面积（公顷）</th></tr>"
        "<tr><td>1</td><td>A－2026－01</td><td>人民路北侧</td><td>1.50</td></tr></table></body></html>"
    )
    doc = read_plan_bytes(page.encode("utf-8"), "plan.htm")
    assert [(p.code, p.location, p.area.primary.value, p.line) for p in doc.parcels] == [
        ("A-2026-01", "人民路北侧", "1.50", 3)
    ]


# -- bad input --------------------------------------------------------------------------------
def _refused(path_or_bytes, name=None) -> InputError:
    with pytest.raises(InputError) as info:
        if name is None:
            read_plan(path_or_bytes)
        else:
            read_plan_bytes(path_or_bytes, name)
    return info.value


def test_empty_file(tmp_path):
    path = tmp_path / "空计划.txt"
    path.write_bytes(b"")
    error = _refused(path)
    assert error.code == "plan.empty" and "空计划.txt" in error.message
    path.write_bytes(b" \r\n\t\n")
    assert _refused(path).code == "plan.empty"


def test_binary_png(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    error = _refused(path)
    assert error.code == "plan.binary" and "scan.png" in error.message


def _random_bytes(seed: int, low: int, high: int, size: int = 4000) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, high) for _ in range(size))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)),
        ("plan.rtf", b"{\\rtf1\\ansi 47.58}"),
    ],
)
def test_other_document_formats_are_refused_with_advice(name, data):
    error = _refused(data, name)
    assert error.code == "plan.binary" and name in error.message


def test_binary_with_nul_bytes(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(_random_bytes(7, 0, 256))
    error = _refused(path)
    assert error.code in ("plan.binary", "plan.encoding") and "blob.txt" in error.message


def test_huge_file_is_refused_by_size_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    try:
        error = _refused(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "plan.too_large" and "huge.txt" in error.message
    assert peak < 1024 * 1024  # nothing of the 200 MB was read
    assert error.details["size"] == str(200 * 1024 * 1024)


def test_oversized_bytes_are_refused():
    assert _refused(b"a" * (MAX_PLAN_BYTES + 1), "big.txt").code == "plan.too_large"


def test_utf16_without_bom_is_a_wrong_encoding(tmp_path, bachu_text):
    path = tmp_path / "utf16.txt"
    path.write_bytes(bachu_text.encode("utf-16-le"))
    error = _refused(path)
    assert error.code == "plan.encoding" and "utf16.txt" in error.message and "UTF-16" in error.message


def test_utf16_with_bom_is_read(tmp_path, bachu_text, bachu):
    path = tmp_path / "utf16bom.txt"
    path.write_bytes(bachu_text.encode("utf-16"))
    assert_same_plan(read_plan(path), bachu)


def test_random_high_bytes_are_a_wrong_encoding(tmp_path):
    path = tmp_path / "乱码.txt"
    path.write_bytes(_random_bytes(3, 0x80, 0x100))
    error = _refused(path)
    assert error.code == "plan.encoding" and "乱码.txt" in error.message


def test_latin1_text_is_a_wrong_encoding():
    data = "Plan d'aménagement foncier: 47,58 hectares réservés à l'été ÿ".encode("latin-1") * 20
    assert _refused(data, "plan-fr.txt").code == "plan.encoding"


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("巴楚县2026年土地储备计划 计划储备土地47.58公顷", encoding="utf-8")
    error = _refused(path)
    assert error.code == "plan.not_docx" and "fake.docx" in error.message


def test_zip_that_is_not_a_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    path = tmp_path / "archive.docx"
    path.write_bytes(buffer.getvalue())
    error = _refused(path)
    assert error.code == "plan.not_docx" and "archive.docx" in error.message


def test_docx_with_broken_xml(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    error = _refused(buffer.getvalue(), "broken.docx")
    assert error.code == "plan.not_docx" and "broken.docx" in error.message


def test_text_without_plan_content(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于开展2026年植树活动的通知\n请各单位于3月12日前报名。\n", encoding="utf-8")
    error = _refused(path)
    assert error.code == "plan.no_content" and "notice.txt" in error.message


def test_missing_file(tmp_path):
    error = _refused(tmp_path / "nowhere.txt")
    assert error.code == "plan.not_found" and "nowhere.txt" in error.message
    assert _refused(tmp_path).code == "plan.not_found"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["p.txt", "p.docx", "p.html", "p"]))
def test_any_bytes_give_a_plan_or_an_input_error(data, name):
    try:
        doc = read_plan_bytes(data, name)
    except InputError as error:
        assert error.code.startswith("plan.") and name in error.message
    else:
        assert not [p for p in doc.problems if p.code == "text.unreadable_line"]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_any_text_in_a_supported_encoding_gives_a_plan_or_no_content(text, encoding):
    try:
        read_plan_bytes(text.encode(encoding), "p.txt")
    except InputError as error:
        assert error.code in ("plan.empty", "plan.no_content", "plan.binary", "plan.encoding")


def _numbered_docx(paragraphs: list[tuple[int | None, str]]) -> bytes:
    """A .docx whose headings are numbered by Word (一、 / （一）), not typed: (level or None, text)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in paragraphs:
        paragraph = document.add_paragraph(text)
        if level is not None:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_automatic_numbering_is_read_as_headings():
    data = _numbered_docx(
        [
            (None, "某县2026年土地储备计划"),
            (0, "计划指标"),
            (1, "年度储备规模"),
            (None, "本年度计划储备土地47.58公顷（713.63亩）。"),
            (1, "储备结构"),
            (2, "住宅用地31.61公顷"),
            (2, "商服用地15.97公顷"),
            (0, "保障措施"),
        ]
    )
    doc = read_plan_bytes(data, "numbered.docx")
    got = [(s.number, s.level, s.title, s.line, s.template_key) for s in doc.sections]
    assert got == [
        ("一、", 1, "计划指标", 2, None),
        ("（一）", 2, "年度储备规模", 3, "scale"),
        ("（二）", 2, "储备结构", 5, "structure"),
        ("二、", 1, "保障措施", 8, None),
    ]
    (use,) = doc.breakdowns
    assert [(i.name, i.line) for i in use.items] == [("住宅用地", 6), ("商服用地", 7)]
    text = "某县2026年土地储备计划\n一、计划指标\n（一）年度储备规模\n本年度计划储备土地47.58公顷（713.63亩）。\n（二）储备结构\n1.住宅用地31.61公顷\n2.商服用地15.97公顷\n二、保障措施\n"
    assert doc.content_sha256 == read_plan_bytes(text.encode("utf-8"), "typed.txt").content_sha256


def _deflated_docx(part: str, damage) -> bytes:
    """A Word package whose ``part`` is deflated and then damaged by ``damage(compressed bytes)``."""
    xml = "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
    xml += "<w:p><w:r><w:t>计划储备土地47.58公顷</w:t></w:r></w:p>" * 200 + "</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)
        archive.writestr("word/styles.xml", "<w:styles xmlns:w='x'/>" * 50)
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + info.compress_size] = damage(bytes(data[start : start + info.compress_size]))
    return bytes(data)


@pytest.mark.parametrize(
    "part, damage",
    [
        ("word/document.xml", lambda c: c[:2] + b"\xff" * 8 + c[10:]),  # zlib.error (invalid block type)
        ("word/document.xml", lambda c: b"\x00" * len(c)),  # zlib.error (invalid stored block lengths)
        ("word/styles.xml", lambda c: c[:2] + b"\xff" * 8 + c[10:]),
    ],
)
def test_docx_with_a_damaged_compressed_part_is_refused_by_name(part, damage):
    """Found by fuzzing: a bit flip inside a deflated part raised ``zlib.error``, a "program error" (exit 4)."""
    error = _refused(_deflated_docx(part, damage), "损坏.docx")
    assert error.code == "plan.not_docx" and "损坏.docx" in error.message
