"""Plan text from a saved web page (``.html``/``.htm``): the visible text, one line per block.

Scripts and styles are dropped; paragraphs, line breaks, list items, headings and table rows end a
line; table cells are joined by a tab (so parcel tables read like ``.docx`` tables). Line numbers of
a web page are the non-empty lines of this extracted text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 table thead tbody section article ul ol title hr dd dt blockquote pre".split()
)
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def looks_like_html(text: str) -> bool:
    """Whether decoded text is an HTML page rather than plain text."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:2000].lower()


def web_page_lines(text: str) -> list[str]:
    """The visible lines of an HTML page."""
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    lines = (line.strip(" ") for line in "".join(parser.parts).split("\n"))
    return [line for line in lines if line.strip()]


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.cells_in_row = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "tr":
            self.parts.append("\n")
            self.cells_in_row = 0
        elif tag in ("td", "th"):
            if self.cells_in_row:
                self.parts.append("\t")
            self.cells_in_row += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS and tag not in ("td", "th"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(_SPACES.sub(" ", data))
