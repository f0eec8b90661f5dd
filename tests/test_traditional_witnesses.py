"""The witness test of ``importers.traditional`` against the dictionaries OpenCC actually converts with.

The changing keys (a key whose first value differs from it) are read from the installed dictionary files
themselves, with OpenCC's own export tool (``opencc_dict``, shipped in the package), for every dictionary
that ``t2s.json`` names. Each must hold a witness character: then a line without one holds no changing key
and OpenCC copies it unchanged. Every character that is no witness is also converted, to see it copied.

Run as a script (``python tests/test_traditional_witnesses.py``) it prints the module's constants made
from the installed dictionaries (after an OpenCC upgrade changed their digests).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from landreserve.importers import normalise, traditional

ROOT = Path(__file__).resolve().parent.parent


def _share() -> Path:
    folder = traditional.share_dir()
    assert folder is not None and folder.is_dir(), "OpenCC's dictionaries are not installed"
    return folder


def config_files() -> list[str]:
    """``t2s.json`` and every dictionary file it names (normalisation and conversion chain)."""
    names: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                names.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((_share() / "t2s.json").read_text(encoding="utf-8")))
    return ["t2s.json", *dict.fromkeys(names)]


def _export(name: str) -> dict[str, str]:
    """The keys of one ``.ocd2`` dictionary and the first of each key's values (what OpenCC writes)."""
    clib = _share().parent.parent
    tool = clib / "bin" / "opencc_dict"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dict.txt"
        env = {**os.environ, "LD_LIBRARY_PATH": str(clib / "lib64")}
        subprocess.run(
            [str(tool), "-i", str(_share() / name), "-o", str(out), "-f", "ocd2", "-t", "text"],
            check=True,
            env=env,
            capture_output=True,
        )
        entries = {}
        for line in out.read_text(encoding="utf-8").splitlines():
            key, _tab, values = line.partition("\t")
            entries[key] = values.split(" ")[0]
    return entries


@cache
def changing_keys() -> frozenset[str]:
    """Every key of the dictionaries of ``t2s.json`` whose value differs from it."""
    keys: set[str] = set()
    for name in config_files()[1:]:
        keys |= {k for k, v in _export(name).items() if k and k != v}
    return frozenset(keys)


def witness_chars(keys: frozenset[str]) -> set[str]:
    """Each one-character changing key, and for a phrase holding none of them its character least often
    written in the repository's sample plans (a choice of speed only: any character of it would do)."""
    single = {k for k in keys if len(k) == 1}
    text = (ROOT / "tests" / "plan_samples.py").read_text(encoding="utf-8")
    text += "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "plans").glob("*.txt")))
    seen = Counter(text)
    chosen = set(single)
    for key in sorted(keys):
        if len(key) > 1 and not single.intersection(key):
            chosen.add(min(key, key=lambda c: (seen[c], c)))
    return chosen


def bmp_chars(chars: set[str]) -> str:
    """The characters of the plane of two-byte forms, in order (the astral planes are always converted)."""
    return "".join(sorted(c for c in chars if ord(c) < 0x10000))


def dictionary_digests() -> dict[str, str]:
    return {name: hashlib.sha256((_share() / name).read_bytes()).hexdigest() for name in config_files()}


def test_the_digests_are_those_of_the_installed_dictionaries():
    # another OpenCC version: run this file as a script and put its output into importers/traditional.py
    assert traditional.DICTIONARY_SHA256 == dictionary_digests()
    assert traditional.witnesses() is not None  # so the reader skips OpenCC here, as the tests read it


def test_every_changing_key_holds_a_witness():
    assert traditional.witnesses() is not None
    keys = changing_keys()
    assert len(keys) > 5000  # the dictionaries were read (5,470 changing keys in OpenCC 1.4.2)
    missing = sorted(k for k in keys if not traditional.may_change(k))
    assert missing == []


def test_opencc_copies_every_character_that_is_no_witness():
    assert traditional.witnesses() is not None
    plain = [chr(c) for c in range(1, 0x10000) if not traditional.may_change(chr(c))]
    assert len(plain) > 50_000
    convert = normalise._converter().convert
    for start in range(0, len(plain), 2000):
        chunk = "".join(plain[start : start + 2000])
        assert convert(chunk) == chunk


@pytest.mark.parametrize(
    "text",
    [
        "",
        "公顷",
        "公頃",
        "示例县经12路北侧",
        "藉口",
        "a\ud800",
        "示例\U00020000",
        "\uffff",
        "\ue000\U0010ffff",
    ],
)
def test_the_set_and_the_pattern_ask_the_same(text):
    found = traditional.witnesses()
    assert found is not None
    assert found.by_set(text) == found.by_pattern(text)


def test_the_set_and_the_pattern_agree_on_every_character():
    found = traditional.witnesses()
    assert found is not None
    by_set = [c for c in range(0x110000) if found.by_set(chr(c))]
    assert by_set == [c for c in range(0x110000) if found.by_pattern(chr(c))]


def test_astral_characters_and_lone_surrogates_always_go_to_opencc():
    # the astral planes' witnesses are not listed; a lone surrogate must fail in the UTF-8 encoding as it did
    assert traditional.may_change("示例\U00020000") and traditional.may_change("a\ud800")
    assert not traditional.may_change("示例县经12路北侧") and not traditional.may_change("")


@pytest.mark.parametrize(
    "line",
    [
        "计划储备土地47.58公顷",
        "示例县经12路北侧、纬3路东侧",
        "公頃",
        "面積：4.0254公頃；",
        "以免藉口",
        "反覆",
        "𠀀公頃",
    ],
)
def test_simplified_is_opencc_on_every_line(line):
    converted = normalise._converter().convert(line)
    expected = converted if len(converted) == len(line) else None
    if expected is None:
        expected = "".join(s if len(s := normalise._converter().convert(c)) == 1 else c for c in line)
    assert normalise.simplified(line) == expected
    assert traditional.may_change(line) or normalise.simplified(line) == line


if __name__ == "__main__":
    keys = changing_keys()
    print(f"# {len(keys)} changing keys", file=sys.stderr)
    body = bmp_chars(witness_chars(keys))
    print("WITNESSES = (")
    for start in range(0, len(body), 100):
        print(f'    "{body[start : start + 100]}"')
    print(")")
    print(f"DICTIONARY_SHA256 = {json.dumps(dictionary_digests(), indent=4)}")
