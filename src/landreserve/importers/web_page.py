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
#: the most characters a table cell holding a name or a number has (a longer one, or one with a full stop, is
#: a page's layout cell)
_SHORT_CELL = 40


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
        self.column = 0  # column of the next cell of the row
        self.extra = 0  # empty cells still owed by a colspan
        self.down: dict[int, int] = {}  # column → rows a rowspan still covers below
        self.active: set[int] = set()  # columns of this row filled by a rowspan above
        self.cells: list[int] = []  # where each open cell's text begins in ``parts`` (nested tables nest)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "tr":
            self._start_row()
        elif tag in ("td", "th"):
            self._start_cell(dict(attrs))
            self.cells.append(len(self.parts))
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def _start_row(self) -> None:
        """A new row: the rowspans of the row before move one row down."""
        for c in self.active:
            self.down[c] -= 1
            if self.down[c] <= 0:
                del self.down[c]
        self.active = set(self.down)
        self.parts.append("\n")
        self.column, self.extra = 0, 0

    def _start_cell(self, attrs: dict) -> None:
        """Tabs for the cells before this one: colspans owed and columns a rowspan above fills."""
        self.column += self.extra
        self.parts.append("\t" * self.extra)
        while self.column in self.active:
            self.parts.append("\t" if self.column else "")
            self.column += 1
        if self.column:
            self.parts.append("\t")
        span, rows = _count(attrs.get("colspan")), _count(attrs.get("rowspan"))
        for c in range(self.column, self.column + span):
            if rows > 1:
                self.down[c] = rows - 1
        self.column += 1
        self.extra = span - 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def _end_cell(self) -> None:
        """A short cell's paragraphs and line breaks (``面积<br>（公顷）``, ``<p>5.20</p>``, as Word writes its
        cells) are one cell: its lines are joined by a space, so the row stays one line. A long cell (a page
        laid out in a table, a cell holding a sentence) keeps its lines."""
        if not self.cells:
            return
        start = self.cells.pop()
        text = "".join(self.parts[start:])
        if "\n" in text and "\t" not in text and "。" not in text and len(text.strip()) <= _SHORT_CELL:
            joined = " ".join(piece.strip() for piece in text.split("\n") if piece.strip())
            self.parts[start:] = [joined]

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(_SPACES.sub(" ", data))


def _count(value: str | None) -> int:
    """A colspan/rowspan attribute as a count (1 when absent or unreadable, at most 50)."""
    return min(int(value), 50) if value and value.strip().isdigit() and int(value) > 0 else 1
