"""Charts of the reports (matplotlib, Agg): SVG for PDF (text drawn as paths: no font needed to view it),
PNG for Word; Chinese labels in Noto Sans SC from the font package. Deterministic output (fixed hash salt,
no date in the metadata)."""

from __future__ import annotations

import io
from functools import cache

from .blocks import Chart
from .fonts import SANS, paths

COLOURS = ("#2f5d8a", "#d08c2f", "#5a9a5a", "#a64d4d", "#7a6aa8", "#4d9aa6", "#8a8a8a")


@cache
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font_manager.fontManager.addfont(str(paths()[SANS]))
    matplotlib.rcParams.update(
        {
            "font.family": SANS,
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "landreserve",
            "font.size": 9,
        }
    )
    return plt


def _draw(chart: Chart):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.0), dpi=150)
    if chart.kind == "pie":
        values = chart.series[0][1]
        if sum(values) > 0:
            ax.pie(values, labels=chart.labels, colors=COLOURS[: len(values)], autopct="%1.1f%%",
                   startangle=90, counterclock=False, textprops={"fontsize": 8})  # fmt: skip
        ax.axis("equal")
    else:
        n = len(chart.series)
        width = 0.8 / max(n, 1)
        for i, (name, values) in enumerate(chart.series):
            xs = [x + (i - (n - 1) / 2) * width for x in range(len(chart.labels))]
            ax.bar(xs, values, width, label=name, color=COLOURS[i % len(COLOURS)])
        ax.set_xticks(range(len(chart.labels)), chart.labels)
        ax.set_ylabel(chart.unit)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", linewidth=0.3)
        if n > 1:
            ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, 1.12), ncol=n)
    fig.tight_layout()
    return fig


def render(chart: Chart, fmt: str) -> bytes:
    """The chart as ``svg`` or ``png`` bytes."""
    plt = _pyplot()
    fig = _draw(chart)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, metadata=metadata)
    plt.close(fig)
    return buffer.getvalue()
