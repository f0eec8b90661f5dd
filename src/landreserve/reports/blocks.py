"""A report as a sequence of blocks (title, heading, paragraph, table, chart): one text, written to Word and
to PDF alike, so both say exactly the same."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    indent: bool = True
    align: str = "justify"  # justify | right | center
    small: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: the rows that are totals (bold)
    total_rows: tuple[int, ...] = ()
    #: columns aligned right (figures)
    numeric: tuple[int, ...] = ()
    note: str = ""
    #: columns kept on one line (codes, dates, states); the others wrap
    nowrap: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart drawn by ``reports.charts``: ``kind`` bar|grouped|pie, ``series`` name → values by label."""

    caption: str
    kind: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str = ""


#: a list longer than this is written one line per row instead of as a table: PDF engines lay out a table
#: cell by cell (WeasyPrint: ~12 s per 1,000 rows of 9 cells, ~1.7 s per 1,000 lines)
TABLE_ROWS = 300


def rows_or_lines(table: Table) -> list:
    """``table`` itself when short; else its caption and one line per row (cells joined by full-width
    spaces, the header named once), so a 10,000-parcel list renders in seconds."""
    if len(table.rows) <= TABLE_ROWS:
        return [table]
    head = Paragraph(
        f"{table.caption}（共{len(table.rows)}行；各行依次为：{'、'.join(table.header)}）", indent=False
    )
    return [head, *(Paragraph("　".join(r), indent=False, small=True) for r in table.rows)]


Block = Title | Heading | Paragraph | Table | Chart


def head_paragraphs(head) -> list[Paragraph]:
    """The history chain's head (``domain.reports.chain_head.ChainHead``) as the report's last, small line."""
    return [] if head is None else [Paragraph(head.text, indent=False, small=True)]


@dataclass(frozen=True)
class Document:
    """What a report says: its title (also the PDF title), its blocks, and a footer line."""

    title: str
    blocks: tuple[Block, ...]
    footer: str = ""
    landscape: bool = False
    meta: dict = field(default_factory=dict)

    def text_lines(self) -> list[str]:
        """The document's text, one line per paragraph or table row (cells joined by a tab)."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Title):
                lines += [block.text, *block.subtitle]
            elif isinstance(block, Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines += [block.caption, "\t".join(block.header), *("\t".join(r) for r in block.rows)]
                if block.note:
                    lines.append(block.note)
            elif isinstance(block, Chart):
                lines.append(block.caption)
        return lines
