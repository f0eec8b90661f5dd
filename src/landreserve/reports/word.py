"""A report ``Document`` as Word (.docx, python-docx): title, headings, justified paragraphs with a first-line
indent, tables with a header row, charts as PNG; A4, page numbers in the footer; reproducible bytes."""

from __future__ import annotations

import io
from datetime import date

from . import charts
from .archive import reproducible
from .blocks import Chart, Document, Heading, Paragraph, Table, Title
from .fonts import WORD_BODY, WORD_HEADING


def _font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _page_number(paragraph) -> None:
    """A PAGE field in the footer (Word fills it in)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for text in ("第 ", None, " 页"):
        run = paragraph.add_run(text or "")
        _font(run, WORD_BODY, 9)
        if text is None:
            for kind, value in (("begin", None), (None, "PAGE"), ("end", None)):
                if kind:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                else:
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = value
                run._element.append(element)


def _setup(document, landscape: bool, footer: str) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.4)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer:
        _font(paragraph.add_run(footer + "　"), WORD_BODY, 9)
    _page_number(paragraph)


def _normal_style(document) -> None:
    """Body text (宋体 12 pt, justified, 1.4 lines, first line indented) set once on the Normal style, so
    that a paragraph of a 10,000-parcel list costs one run, not a run with its own fonts."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = WORD_BODY, Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), WORD_BODY)
    body = document.styles.add_style(BODY, WD_STYLE_TYPE.PARAGRAPH)
    body.style_id = BODY_ID
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.line_spacing = 1.4
    body.paragraph_format.first_line_indent = Pt(24)


def _paragraph(document, block: Paragraph) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = document.add_paragraph(block.text)
    p._p.get_or_add_pPr().style = (
        BODY_ID  # the style by id: ``style=name`` searches the styles part each time
    )
    if block.align in ("right", "center"):
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if block.align == "right" else WD_ALIGN_PARAGRAPH.CENTER
    if not block.indent:
        p.paragraph_format.first_line_indent = Pt(0)
    if block.small:
        p.paragraph_format.line_spacing = 1.0
        p.runs[0].font.size = Pt(9)


def _table(document, block: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(caption.add_run(block.caption), WORD_HEADING, 10.5, bold=True)
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    columns = len(block.header)
    cells = table._cells  # once: ``table.cell(r, c)`` walks the whole table on every call
    for r, row in enumerate((block.header, *block.rows)):
        bold = r == 0 or (r - 1) in block.total_rows
        for c, text in enumerate(row):
            cell = cells[r * columns + c].paragraphs[0]
            if r > 0 and c in block.numeric:
                cell.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif r == 0:
                cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(cell.add_run(text), WORD_HEADING if r == 0 else WORD_BODY, 9, bold=bold)
    if block.note:
        _paragraph(document, Paragraph(block.note, indent=False))


def _chart(document, block: Chart) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document.add_picture(io.BytesIO(charts.render(block, "png")), width=Cm(15))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(caption.add_run(block.caption), WORD_BODY, 9)


def _title(document, block: Title) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(block.text), WORD_HEADING, 18, bold=True)
    for line in block.subtitle:
        s = document.add_paragraph()
        s.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(s.add_run(line), WORD_BODY, 11)


def _heading(document, block: Heading) -> None:
    p = document.add_paragraph()
    _font(p.add_run(block.text), WORD_HEADING, 14 if block.level == 1 else 12, bold=block.level == 1)


BODY = "正文"
BODY_ID = "Body"
RENDER = {Title: _title, Heading: _heading, Paragraph: _paragraph, Table: _table, Chart: _chart}


def docx_bytes(doc: Document, on: date) -> bytes:
    """The document as .docx bytes, dated ``on`` (core properties and zip entries) for reproducibility."""
    from datetime import datetime

    import docx

    document = docx.Document()
    _normal_style(document)
    _setup(document, doc.landscape, doc.footer)
    for block in doc.blocks:
        RENDER[type(block)](document, block)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = doc.title, "landreserve", "landreserve"
    props.created = props.modified = props.last_printed = datetime(on.year, on.month, on.day)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible(buffer.getvalue(), on)
