"""Parcel codes in one canonical form, the one every part of the system compares and stores.

``BC－CB2026001``, ``bc-cb 2026001`` and ``ＢＣ—ＣＢ２０２６００１`` are one code: full-width characters
folded (NFKC), every dash one ASCII ``-``, no blank space, letters upper-case, no dash at either end.
"""

from __future__ import annotations

import re
import unicodedata

#: the dashes plans write between the parts of a code (full-width, em/en dashes, minus signs)
HYPHENS = "－—–‐‑‒―−﹣"
_TO_HYPHEN = {ord(c): "-" for c in HYPHENS}
_SPACES = re.compile(r"\s+")


def normalise_code(code: str) -> str:
    """The canonical form of a parcel code (see the module docstring).

    >>> normalise_code("bc－cb 2026001")
    'BC-CB2026001'
    """
    # ASCII is its own NFKC form and holds none of the hyphens
    folded = code if code.isascii() else unicodedata.normalize("NFKC", code).translate(_TO_HYPHEN)
    # every blank space but " " is unprintable (tests/test_codes.py checks every code point): a printable
    # code without " " has none to remove
    if " " in folded or not folded.isprintable():
        folded = _SPACES.sub("", folded)
    return folded.upper().strip("-")
