"""A whole plan on one line (pasted from a web page), cut back into its headings and their text.

A long line holding two or more heading markers (``一、`` ``（二）`` ``第一部分``) after a space or a
sentence end is cut before each marker, and a short heading title followed by a space is cut from the
text after it (``一、储备规模 2026年全县…``). The pieces keep the line number of the source line.
"""

from __future__ import annotations

import re

_MIN_LENGTH = 80
_MARKER = re.compile(
    r"(?<=[\s。;!?])(?=第[一二三四五六七八九十]{1,3}(?:部分|章|节)|[一二三四五六七八九十]{1,3}、"
    r"|\([一二三四五六七八九十]{1,3}\))"
)
_SHORT_TITLE = re.compile(
    r"(?:第[一二三四五六七八九十]{1,3}(?:部分|章|节)|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))"
    r"\s*[^\s\d,;。:]{2,15}(?=\s+\S)"
)


def pieces(clean: str, norm: str) -> list[tuple[str, str]]:
    """``(clean, norm)`` pieces of one line: the line itself unless it holds a whole plan."""
    if len(norm) < _MIN_LENGTH:
        return [(clean, norm)]
    cuts = [m.start() for m in _MARKER.finditer(norm) if m.start() > 0]
    if len(cuts) < 2:
        return [(clean, norm)]
    out = []
    for start, end in zip([0, *cuts], [*cuts, len(norm)], strict=True):
        title = _SHORT_TITLE.match(norm, start, end)
        bounds = [(start, title.end()), (title.end(), end)] if title else [(start, end)]
        out.extend((clean[s:e].strip(), norm[s:e].strip()) for s, e in bounds)
    return [(c, n) for c, n in out if n]
