"""A report ``Document`` as PDF: a Jinja2 HTML template rendered by WeasyPrint, with Noto Serif SC / Noto
Sans SC embedded (subset), page numbers (第 N 页 共 M 页), tables whose header repeats on each page and
SVG charts."""

from __future__ import annotations

import base64
from functools import cache

from . import charts
from .blocks import Chart, Document, Heading, Paragraph, Table, Title
from .fonts import SANS, SERIF, paths

KINDS = {Title: "title", Heading: "heading", Paragraph: "paragraph", Table: "table", Chart: "chart"}


@cache
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("landreserve.reports", "templates"), autoescape=select_autoescape()
    )
    return env.get_template("report.html")


def _svg_uri(chart: Chart) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(charts.render(chart, "svg")).decode("ascii")


def html(doc: Document) -> str:
    """The HTML WeasyPrint renders (also useful to look at in a browser)."""
    blocks = [
        {"kind": KINDS[type(b)], "block": b, "svg": _svg_uri(b) if isinstance(b, Chart) else None}
        for b in doc.blocks
    ]
    fonts = {name: path.as_uri() for name, path in paths().items()}
    return _template().render(doc=doc, blocks=blocks, fonts=fonts, serif=SERIF, sans=SANS)


def pdf_bytes(doc: Document) -> bytes:
    """The document as PDF bytes."""
    from weasyprint import HTML

    return HTML(string=html(doc), base_url=".").write_pdf()
