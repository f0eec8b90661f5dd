"""The gzip stream of a page spliced from pieces (``web.compression``): the page before the kept part and after
it compressed per request, the part compressed once. Whatever the pieces, it is one gzip member that
decompresses to the whole page (CRC-32 and length checked), as a browser's strict decoder reads it."""

from __future__ import annotations

import gzip
import struct
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.web.compression import GZIP_HEADER, gzipped, raw_deflate

#: page-like bytes: repeated markup, Chinese text, numbers (so the compressor finds matches), or anything
PIECES = st.one_of(
    st.lists(
        st.sampled_from(["<tr><td>", "巴楚县", "地块", "</td></tr>\n", "BC-CB2026", "0123"]), max_size=3000
    ).map(lambda words: "".join(words).encode()),
    st.binary(max_size=5000),
)


def _spliced(before: bytes, part: bytes, after: bytes) -> bytes:
    body = before + part + after
    trailer = struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF)
    return GZIP_HEADER + raw_deflate(before) + raw_deflate(part) + raw_deflate(after, last=True) + trailer


@settings(max_examples=60, deadline=None, derandomize=True)
@given(PIECES, PIECES, PIECES)
def test_a_spliced_page_decompresses_to_the_whole_page(before, part, after):
    packed = _spliced(before, part, after)
    assert gzip.decompress(packed) == before + part + after
    strict = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert strict.decompress(packed) == before + part + after and strict.eof and not strict.unused_data


def test_the_header_is_zlibs_own_and_a_whole_answer_is_the_middlewares_bytes():
    body = "巴楚县储备地块清单".encode() * 200
    assert gzipped(body)[:10] == GZIP_HEADER and gzip.decompress(gzipped(body)) == body
    compressor = zlib.compressobj(
        5, zlib.DEFLATED, 16 + zlib.MAX_WBITS
    )  # what GZipMiddleware does at level 5
    assert gzipped(body) == compressor.compress(body) + compressor.flush()
