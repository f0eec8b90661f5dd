"""The fast path for ordinary parcel rows (``importers.fast_rows``) changes no reading.

Every plan document we have — the test corpus, the sample plans, the Bachu plan, synthetic plans of the
benchmark in both layouts, the real published documents of ``../shared/corpus/real`` (read in place,
skipped only where absent) — and damaged copies of them (full-width, traditional characters, rows and
numbers broken in seeded ways, the evaluation's perturbations) is read with the fast path on and off: the
documents (every figure with its provenance, parcel, total, split, section, reading finding), the audit
findings and any refusal must be identical.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks import evaluate
from benchmarks.plan_import import generate_plan

from landreserve.domain.audit import audit_plan
from landreserve.errors import InputError
from landreserve.importers import fast_rows, parse_plan_text, read_plan_bytes
from plan_samples import SAMPLES

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
REAL = evaluate.DEFAULT_FOLDER


def _reading(read) -> str:
    """Everything a reading gives, as text: the document (dataclass repr: all fields, nested), the audit."""
    try:
        doc = read()
    except InputError as exc:
        return f"refused {exc.code}: {exc}"
    return repr(doc) + "\n" + repr(audit_plan(doc))


def _both(read, monkeypatch) -> tuple[str, str]:
    monkeypatch.setattr(fast_rows, "ENABLED", True)
    fast = _reading(read)
    monkeypatch.setattr(fast_rows, "ENABLED", False)
    general = _reading(read)
    return fast, general


def _assert_same(name: str, read, monkeypatch) -> None:
    fast, general = _both(read, monkeypatch)
    if fast != general:
        at = next(i for i, (a, b) in enumerate(zip(fast, general, strict=False)) if a != b)
        at = min(at, len(fast), len(general))
        pytest.fail(
            f"{name}: fast {fast[max(0, at - 300) : at + 300]!r}\n general {general[max(0, at - 300) : at + 300]!r}"
        )


# -- damage --------------------------------------------------------------------------------------------
_FULL_WIDTH = {ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789.,:;()%-"}


def _full_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


#: what a row of a table (or a prose parcel line) may suffer in conversion or typing
_ROW_DAMAGE = (
    lambda r: re.sub(r"(\d)\.(\d)", r"\1..\2", r, count=1),  # a doubled point
    lambda r: re.sub(r"(\d)\.(\d)", r"\1.\2.", r, count=1),  # a second point
    lambda r: re.sub(r"(\d)(\d)\.", r"\1,\2.", r, count=1),  # a wrong thousands comma
    lambda r: re.sub(r"(\d)(\.\d+)", r"\1\2公顷", r, count=1),  # a unit in the cell
    lambda r: re.sub(r"(\d\.\d+)", r"\1(约12.34亩)", r, count=1),  # a conversion in the cell
    lambda r: re.sub(r"(\d\.\d+)", r"约\1", r, count=1),  # a qualifier
    lambda r: re.sub(r"(\d\.\d+)", r"\1左右", r, count=1),
    lambda r: re.sub(r"(\d)(\d)", r"\1 \2", r, count=1),  # a space in a number
    lambda r: re.sub(r"0", "O", r, count=1),  # a letter for a digit
    lambda r: r.replace("\t", "\t\t", 1),  # a cell too many
    lambda r: r.replace("\t", "", 1),  # a cell too few
    lambda r: r.rsplit("\t", 1)[0] if "\t" in r else r[: len(r) // 2],  # cut short
    lambda r: r.replace("\t", "  "),  # cells split by spaces
    lambda r: r.replace("-", "－"),  # a full-width hyphen in a code
    lambda r: re.sub(r"^\d+", "", r),  # no serial (an indented sub-row)
    lambda r: re.sub(r"^\d+", "其中：", r),  # a 其中 sub-row
    lambda r: re.sub(r"^\d+", "（1）", r),
    lambda r: re.sub(r"^(\d+)", r"\1.", r),
    lambda r: r + "结转",  # carried over
    lambda r: r.replace("路", "路上年度结转", 1),
    lambda r: re.sub(r"20(\d\d)", r"20\g<1>0", r, count=1),
    lambda r: re.sub(r"20(\d\d)", "2019", r, count=1),  # a code of an earlier year
    lambda r: r.replace("侧", "侧" + "、规划道路以南" * 8, 1),  # a long line (its sentence, not the line)
    lambda r: r.replace("用地", "", 1),  # an unknown use
    lambda r: r.replace("住宅用地", "居住用地").replace("商服用地", "商业用地"),
    lambda r: r.replace("用地", "用地（工业）", 1),
    lambda r: re.sub(r"\d+\.\d+", "0.0000", r, count=1),  # a zero parcel
    lambda r: re.sub(r"\d+\.\d+", "99999.9999", r, count=1),  # an outlier
    lambda r: re.sub(r"\d+\.\d+", "", r, count=1),  # no area
    lambda r: r.replace("\t", "\t小计\t", 1),
    lambda r: "合计\t" + r,
    lambda r: "一\t城区",  # a group row
    lambda r: r.replace("SL", "sl", 1),
    lambda r: r.replace("SL-", "GB/T ", 1),
    lambda r: r + "\t",
    lambda r: " " + r + " ",
    lambda r: r.replace("，", "，面积：1.5亩，", 1),  # a second area on a prose line
    lambda r: r.replace("，", "；", 1),
    lambda r: r.replace("公顷", "亩"),
    lambda r: r.replace("公顷", "平方米"),
    lambda r: r.replace("面积：", "面积（公顷）：").replace("公顷；", "；"),
    lambda r: r.replace("地块编号：", "", 1),
    lambda r: r.replace("土地坐落", "位置", 1),
    lambda r: r.replace("土地坐落：", "", 1),
    lambda r: r.replace("，", "，用途：住宅用地，", 1),
    lambda r: r.replace("SL-CB", "SL-CB2027001、SL-CB", 1),  # two codes
    lambda r: r.replace("；", "。其中新增1.0000公顷；", 1),
    lambda r: r.replace("2027", "２０２７", 1),
    lambda r: r.replace("县", "縣", 1),
    lambda r: r + "[bookmark: _GoBack]",
    lambda r: r.replace("路", "&nbsp;路", 1),
    lambda r: r.replace("\t", "|") if "\t" in r else r,
    lambda r: r.replace("地块编号：", "宗地编号:", 1),
    lambda r: r.replace("侧", "侧（续储）", 1),
    lambda r: r.replace("路", "路小计", 1),  # a total word inside a cell
    lambda r: r.replace("路", "路合 计", 1),
    lambda r: r.replace("\tSL", "\t其中：SL", 1),  # a sub-row marked in the code cell
    lambda r: r.replace("\tSL", "\t其他SL", 1),
    lambda r: r.replace("\t", " \t", 1),  # blank space around cells
    lambda r: r.replace("\t", "\t ", 2),
    lambda r: r.replace("\t", "\u3000\t", 3),
    lambda r: r.replace("路", "路3亩", 1),  # a figure in the place
    lambda r: r.replace("路", "路三宗", 1),
    lambda r: r.replace("路", "路5%", 1),
    lambda r: r.replace("侧", "侧编号A123", 1),  # a second code key
    lambda r: r.replace("路", "路.", 1),
    lambda r: r.replace("路", "路用途为住宅", 1),
    lambda r: r.replace("路", "路单位：公顷", 1),
    lambda r: r.replace("SL-", "SL-m2", 1),
    lambda r: r.replace("\tSL", "\t其中SL", 1),
    lambda r: r.replace("侧", "侧." + "、规划道路以南" * 8, 1),
    lambda r: r.replace("侧", "侧编号：A123，" + "、规划道路以南" * 8, 1),
)


def _damaged(text: str, seed: str, share: float = 0.15) -> str:
    """``text`` with about ``share`` of its lines with a digit broken in one of the ``_ROW_DAMAGE`` ways."""
    rng = random.Random(seed)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.search(r"\d", line) and rng.random() < share:
            lines[i] = rng.choice(_ROW_DAMAGE)(line)
    return "\n".join(lines)


def _every_damage(text: str) -> Iterator[tuple[str, str]]:
    """Each damage applied to every row of ``text`` that has a digit (a long list: the fast path's rows)."""
    for k, damage in enumerate(_ROW_DAMAGE):
        lines = text.split("\n")
        rows = [i for i, line in enumerate(lines) if re.match(r"^\d+[\t.]", line)]
        for i in rows[1::3]:  # every third row, the first left as it is (the table's first row)
            lines[i] = damage(lines[i])
        yield f"damage {k}", "\n".join(lines)


# -- documents -----------------------------------------------------------------------------------------
def _corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html"))


def _real_files() -> list[Path]:
    return sorted(REAL.glob("*.txt")) if REAL.is_dir() else []


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.stem)
def test_corpus_documents_read_the_same(path, monkeypatch):
    data = path.read_bytes()
    _assert_same(path.name, lambda: read_plan_bytes(data, path.name), monkeypatch)
    if path.suffix == ".txt":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        for name, changed in [
            ("full-width", _full_width(text)),
            ("traditional", _traditional(text)),
            *((f"damaged {k}", _damaged(text, f"{path.stem}-{k}", 0.3)) for k in range(3)),
        ]:
            _assert_same(f"{path.name} {name}", lambda t=changed: parse_plan_text(t, path.name), monkeypatch)


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_sample_plans_read_the_same(key, monkeypatch):
    text = SAMPLES[key]
    _assert_same(key, lambda: parse_plan_text(text, f"{key}.txt"), monkeypatch)
    for k in range(3):
        changed = _damaged(text, f"{key}-{k}", 0.4)
        _assert_same(f"{key} damaged {k}", lambda t=changed: parse_plan_text(t, f"{key}.txt"), monkeypatch)


def test_the_bachu_plan_reads_the_same(monkeypatch):
    path = REPO / "data" / "plans" / "bachu-2026.txt"
    data = path.read_bytes()
    _assert_same(path.name, lambda: read_plan_bytes(data, path.name), monkeypatch)
    text = data.decode("utf-8")
    for name, changed in [("full-width", _full_width(text)), ("traditional", _traditional(text))]:
        _assert_same(f"bachu {name}", lambda t=changed: parse_plan_text(t, path.name), monkeypatch)


@pytest.mark.parametrize("layout", ["table", "prose"])
def test_synthetic_plans_read_the_same_whole_and_damaged(layout, tmp_path, monkeypatch):
    # past 999 parcels: a serial of four digits is no list marker (``1000.地块编号…`` has none)
    long = generate_plan(tmp_path / f"{layout}-long.txt", 1_200, seed=5, layout=layout).path.read_text(
        "utf-8"
    )
    _assert_same(f"synthetic {layout} long", lambda: parse_plan_text(long, "plan.txt"), monkeypatch)
    plan = generate_plan(tmp_path / f"{layout}.txt", 120, seed=11, layout=layout)
    text = plan.path.read_text(encoding="utf-8")
    _assert_same(f"synthetic {layout}", lambda: parse_plan_text(text, "plan.txt"), monkeypatch)
    variants = [
        *_every_damage(text),
        ("full-width", _full_width(text)),
        ("traditional", _traditional(text)),
        *((f"damaged {k}", _damaged(text, f"{layout}-{k}", 0.3)) for k in range(6)),
    ]
    for name, changed in variants:
        _assert_same(
            f"synthetic {layout} {name}", lambda t=changed: parse_plan_text(t, "plan.txt"), monkeypatch
        )


@pytest.mark.skipif(not _real_files(), reason=f"{REAL} not present")
def test_real_documents_read_the_same_as_published_and_damaged(monkeypatch):
    for path in _real_files():
        data = path.read_bytes()
        _assert_same(path.name, lambda d=data, n=path.name: read_plan_bytes(d, n), monkeypatch)
        text = data.decode("utf-8", errors="replace")
        for name, changed in [
            ("full-width", _full_width(text)),
            ("traditional", _traditional(text)),
            ("damaged", _damaged(text, path.stem, 0.3)),
        ]:
            _assert_same(
                f"{path.name} {name}", lambda t=changed, n=path.name: parse_plan_text(t, n), monkeypatch
            )


@pytest.mark.skipif(not (REAL / "expectations.json").exists(), reason=f"{REAL} not present")
def test_real_documents_read_the_same_under_the_evaluations_perturbations(monkeypatch):
    expectations = json.loads((REAL / "expectations.json").read_text(encoding="utf-8"))
    relations = evaluate.checked_relations((REAL / "README.md").read_text(encoding="utf-8"))
    tried = 0
    for key, expected in sorted(expectations.items()):
        text = (REAL / expected["file"]).read_text(encoding="utf-8")
        for relation in relations.get(key, []):
            for p in evaluate.perturbations(key, relation):
                applied = evaluate.apply(text, p)
                if applied is not None:
                    tried += 1
                    name = f"{key} {p.value}→{p.new_value}"
                    _assert_same(
                        name, lambda t=applied[0], n=expected["file"]: parse_plan_text(t, n), monkeypatch
                    )
    assert tried >= 100


@pytest.mark.parametrize("layout", ["table", "prose"])
def test_the_fast_path_reads_the_plain_rows_of_a_long_list(layout, tmp_path, monkeypatch):
    """The comparison above compares something: nearly every row of a synthetic plan takes the fast path."""
    text = generate_plan(tmp_path / "plan.txt", 300, seed=3, layout=layout).path.read_text("utf-8")
    taken = []
    name = "table_row" if layout == "table" else "prose_line"
    original = getattr(fast_rows, name)

    def counted(*args):
        done = original(*args)
        taken.append(done)
        return done

    monkeypatch.setattr(fast_rows, name, counted)
    doc = parse_plan_text(text, "plan.txt")
    assert len(doc.parcels) == 300
    assert sum(taken) >= 299  # a table's first row goes the general way (it may be a row of units)


# -- the quick forms of helpers every line passes, against the forms they replace ---------------------
_ALPHABET = [
    *"０１９．，：；（）％－—“”　中国年1.,;: \t2",
    "\u00a0",
    "\u2002",
    "\u200b",
    "\uff5e",
    "\u3001",
    "\u0663",
    "²",
]


def _texts(seed: int, count: int = 20_000) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 12)))


def test_to_ascii_is_the_translation_it_replaces():
    from landreserve.importers.normalise import _ASCII_TABLE, to_ascii

    assert all(ord(target) not in _ASCII_TABLE for target in _ASCII_TABLE.values())  # no second mapping
    for text in _texts(1):
        assert to_ascii(text) == text.translate(_ASCII_TABLE), text


def test_hash_line_collapses_blank_space_as_the_regex_did():
    from landreserve.importers.normalise import hash_line

    for text in _texts(2):
        assert hash_line(text) == re.sub(r"\s+", " ", text).strip(), text


def test_the_end_of_a_line_is_tested_as_the_regex_did():
    from landreserve.importers.numbers import _LINE_END_DIGIT, _ends_in_digit

    for text in _texts(3):
        assert _ends_in_digit(text) == (_LINE_END_DIGIT.search(text) is not None), text


def test_decimals_of_plain_values_are_those_decimal_reads():
    from decimal import Decimal

    from landreserve.domain.audit.messages import decimals_of_value

    rng = random.Random(4)
    for _ in range(20_000):
        value = "".join(rng.choice("0123456789.") for _ in range(rng.randrange(1, 10)))
        if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+|\d+\.", value):
            assert decimals_of_value(value) == max(0, -int(Decimal(value).as_tuple().exponent)), value
