"""The one parcel-code normaliser (``domain.codes``): its quick path takes the same codes to the same form."""

from __future__ import annotations

import re
import sys

import pytest

from landreserve.domain.codes import normalise_code

_SPACES = re.compile(r"\s+")


def test_every_blank_space_but_the_space_itself_is_unprintable():
    # normalise_code leaves out its whitespace regex for a printable code without " ": this is why
    blank = [chr(c) for c in range(sys.maxunicode + 1) if _SPACES.fullmatch(chr(c))]
    assert " " in blank and len(blank) > 20
    assert [c for c in blank if c != " " and c.isprintable()] == []


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("SL-CB2027001", "SL-CB2027001"),
        ("bc－cb 2026001", "BC-CB2026001"),
        ("ＢＣ—ＣＢ２０２６００１", "BC-CB2026001"),
        ("BC\tCB\u3000001", "BCCB001"),
        ("-A1-", "A1"),
        ("a\u2028b\xa0c", "ABC"),
        ("示例\u200b地块", "示例\u200b地块"),  # a zero-width space is no blank space for \s
    ],
)
def test_codes_are_normalised(written, code):
    assert normalise_code(written) == code
