"""Charts drawn on the server as SVG (no chart library, no script): horizontal bars, paired bars (plan
against reality) and a two-part ring. Text is drawn by the browser in its CJK font; every value is also
written as text beside its bar, so a chart never hides a number."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

PALETTE = ("#0b5394", "#e69138", "#6aa84f", "#a64d79", "#3d85c6", "#cc0000", "#674ea7", "#45818e", "#bf9000")
ROW = 28
LABEL_WIDTH = 150
BAR_WIDTH = 360
VALUE_WIDTH = 130


def _number(value: Decimal | float | int, places: int = 2) -> str:
    return f"{Decimal(value):,.{places}f}"


def bars(items: Sequence[tuple[str, Decimal]], unit: str, *, title: str, places: int = 2) -> Markup:
    """One horizontal bar per item, longest = the largest value; the value and unit at the bar's end."""
    if not items:
        return Markup('<p class="muted">暂无数据</p>')
    top = max((Decimal(v) for _, v in items), default=Decimal(0)) or Decimal(1)
    height = ROW * len(items) + 10
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * ROW
        length = float(Decimal(value) / top) * BAR_WIDTH
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{max(length, 1):.1f}" height="{ROW - 10}" fill="{colour}">'
            f"<title>{escape(label)}：{_number(value, places)} {escape(unit)}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 17}">{_number(value, places)} {escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def paired_bars(
    items: Sequence[tuple[str, Decimal, Decimal]], unit: str, *, title: str, names: tuple[str, str]
) -> Markup:
    """For each item two bars, e.g. 计划 and 实际, on one scale, with a legend."""
    if not items:
        return Markup('<p class="muted">暂无数据</p>')
    top = max((max(Decimal(a), Decimal(b)) for _, a, b in items), default=Decimal(0)) or Decimal(1)
    row = ROW * 2
    height = row * len(items) + 36
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    colours = ("#9fc5e8", "#0b5394")
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for k, name in enumerate(names):
        x = LABEL_WIDTH + k * 110
        parts.append(f'<rect x="{x}" y="6" width="14" height="12" fill="{colours[k]}"/>'
                     f'<text x="{x + 20}" y="17">{escape(name)}</text>')  # fmt: skip
    for i, (label, first, second) in enumerate(items):
        y = 30 + i * row
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 26}" text-anchor="end">{escape(_short(label))}</text>'
        )
        for k, value in enumerate((first, second)):
            length = float(Decimal(value) / top) * BAR_WIDTH
            by = y + 2 + k * (ROW - 4)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{by}" width="{max(length, 1):.1f}" height="{ROW - 10}" fill="{colours[k]}">'
                f"<title>{escape(label)} {escape(names[k])}：{_number(value)} {escape(unit)}</title></rect>"
                f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{by + 13}">{_number(value)} {escape(unit)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def ring(parts_: Sequence[tuple[str, Decimal]], unit: str, *, title: str) -> Markup:
    """A ring of the parts of a whole with their shares written beside it."""
    total = sum((Decimal(v) for _, v in parts_), Decimal(0))
    if total <= 0:
        return Markup('<p class="muted">暂无数据</p>')
    import math

    cx, cy, r, width = 80, 80, 60, 26
    out = [
        f'<svg class="chart" viewBox="0 0 460 {max(170, 30 * len(parts_) + 20)}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    angle = -math.pi / 2
    for i, (label, value) in enumerate(parts_):
        share = float(Decimal(value) / total)
        colour = PALETTE[i % len(PALETTE)]
        if share >= 0.9999:
            out.append(
                f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{colour}" stroke-width="{width}"/>'
            )
        elif share > 0:
            end = angle + share * 2 * math.pi
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
            large = 1 if share > 0.5 else 0
            out.append(
                f'<path d="M {x1:.2f} {y1:.2f} A {r} {r} 0 {large} 1 {x2:.2f} {y2:.2f}" fill="none" '
                f'stroke="{colour}" stroke-width="{width}"><title>{escape(label)}</title></path>'
            )
            angle = end
        y = 24 + i * 30
        out.append(
            f'<rect x="180" y="{y - 11}" width="14" height="14" fill="{colour}"/>'
            f'<text x="200" y="{y}">{escape(_short(label, 12))}：{_number(value)} {escape(unit)}（{share * 100:.2f}%）</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def _short(label: str, limit: int = 10) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
