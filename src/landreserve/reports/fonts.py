"""The Chinese fonts of the reports: Noto Sans SC and Noto Serif SC (OFL) from the ``pylopdf-fonts-zh-cn``
wheel — embedded in every PDF and used for the charts, so nothing depends on the fonts of the machine."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SANS = "Noto Sans SC"
SERIF = "Noto Serif SC"
#: the font names a Word document asks for (Word substitutes what the reader's machine has)
WORD_BODY = "宋体"
WORD_HEADING = "黑体"


@cache
def paths() -> dict[str, Path]:
    """Font family → file of the installed font package."""
    import pylopdf_fonts_zh_cn as fonts

    return {SANS: Path(fonts.sans_path()), SERIF: Path(fonts.serif_path())}
