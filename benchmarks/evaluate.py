"""Evaluate the importer and auditor on a folder of real documents with hand-checked expectations.

``python -m benchmarks evaluate [FOLDER] [--perturb] [--json FILE] [--quiet]`` (``make eval``). FOLDER
defaults to ``../shared/corpus/real``; it holds ``*.txt`` documents and an ``expectations.json`` giving
each document's verdict (must_clean / must_error / unclear) and, for must_error, the errors a truthful
auditor reports. Per document it prints the verdict, what we found and how long it took; in total the
false errors on correct documents, the real errors found, crashes and the time.

``--perturb`` also measures recall on injected errors: every relation the folder's README marks as
checked (✓ lines: a sum of parts against a stated total, a share, a 公顷↔亩 conversion, a count) is
broken once per figure — a part made larger, the total smaller, a share or a conversion shifted far
beyond its rounding — and the audit of the changed text must raise an error citing the changed line.

The documents are data: they are read from the folder, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

BENCHMARK = False  # not part of ``make bench``: it measures truth, not speed (``make eval``)

#: ../shared/corpus/real beside the checkout (as CI has it), or the folder LANDRESERVE_REAL_CORPUS names
DEFAULT_FOLDER = Path(
    os.environ.get("LANDRESERVE_REAL_CORPUS")
    or Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"
)
_STATED = re.compile(r"stated(?: total)?\s*([\d.]+)")


@dataclass
class Outcome:
    """What the audit of one document gave, against its expectation."""

    key: str
    verdict: str
    errors: list[dict] = field(default_factory=list)
    warnings: int = 0
    crash: str | None = None
    seconds: float = 0.0
    missing: list[str] = field(default_factory=list)  # expected errors not named by any finding
    extra: list[dict] = field(default_factory=list)  # errors in a must_error document naming none expected
    refused: str | None = None  # the importer's own clear refusal (InputError), e.g. a text without figures
    has_figures: bool = True  # the expectation lists figures (a truncated page may have none)

    @property
    def judged_right(self) -> bool:
        if self.crash:
            return False
        if self.refused:  # "not found", not 0: right only where the text really holds no figures
            return self.verdict != "must_error" and not self.has_figures
        if self.verdict == "must_clean":
            return not self.errors
        if self.verdict == "must_error":
            return bool(self.errors) and not self.missing
        return True

    @property
    def status(self) -> str:
        if self.crash:
            return "CRASH"
        if self.refused:
            return "refused (ok)" if self.judged_right else "REFUSED"
        if self.verdict == "must_clean":
            return "ok" if not self.errors else "FALSE ERROR"
        if self.verdict == "must_error":
            if not self.errors:
                return "MISSED"
            return "ok" if not self.missing else "PARTLY"
        return "ok (no verdict)"


def audit_text(text: str, name: str) -> list:
    """The findings of the auditor on ``text`` (an exception propagates: that is a crash)."""
    from landreserve.domain.audit import audit_plan
    from landreserve.importers import parse_plan_text

    return audit_plan(parse_plan_text(text, name))


def audit_file(path: Path) -> list:
    from landreserve.domain.audit import audit_plan
    from landreserve.importers import read_plan

    return audit_plan(read_plan(path))


def evaluate_document(folder: Path, key: str, expected: dict) -> Outcome:
    from landreserve.errors import InputError

    outcome = Outcome(key, expected["verdict"], has_figures=bool(expected.get("figures", [None])))
    started = time.perf_counter()
    try:
        findings = audit_file(folder / expected["file"])
    except InputError as exc:  # a clear refusal in Chinese, not a crash
        outcome.refused = f"{exc.code}: {exc}" if hasattr(exc, "code") else str(exc)
        outcome.seconds = time.perf_counter() - started
        return outcome
    except Exception as exc:  # noqa: BLE001 - a crash is what we count
        outcome.crash = f"{type(exc).__name__}: {exc}"
        outcome.seconds = time.perf_counter() - started
        return outcome
    outcome.seconds = time.perf_counter() - started
    outcome.errors = [f.to_dict() for f in findings if f.severity.value == "error"]
    outcome.warnings = sum(1 for f in findings if f.severity.value == "warning")
    if outcome.verdict == "must_error":
        wanted = expected.get("errors", [])
        outcome.missing = [e for e in wanted if not _named(e, outcome.errors)]
        outcome.extra = [f for f in outcome.errors if not any(_named(e, [f]) for e in wanted)]
    return outcome


def _named(expected_error: str, errors: list[dict]) -> bool:
    """Whether an error finding names the stated figure of ``expected_error`` (its ``stated N``)."""
    stated = _STATED.findall(expected_error)
    if not stated:
        return bool(errors)
    wanted = {_plain(v) for v in stated}
    for e in errors:
        found = {
            _plain(v)
            for v in re.findall(r"\d+(?:\.\d+)?", e["message"] + " " + " ".join(e["values"].values()))
        }
        if wanted & found:
            return True
    return False


def _plain(value: str) -> str:
    return format(Decimal(value.rstrip(".")).normalize(), "f")


# -- perturbations ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Perturbation:
    """One figure of a checked relation changed beyond its rounding."""

    key: str
    relation: str
    value: str  # as written in the document (ASCII digits)
    new_value: str


def checked_relations(readme: str) -> dict[str, list[str]]:
    """The ✓ check lines of each document section of the folder's README (key → lines)."""
    found: dict[str, list[str]] = {}
    key = None
    for line in readme.splitlines():
        head = re.match(r"^### (\d+)\b", line)
        if head:
            key = head.group(1)
            found[key] = []
        elif key and line.strip().startswith("* ✓"):
            found[key].append(line.strip()[3:].strip())
    return found


def perturbations(key: str, relation: str) -> list[Perturbation]:
    """The changes that break ``relation`` (a README ✓ line), each beyond any rounding."""
    sums = re.search(r"sum\(([^)]*)\)\s*=\s*[\d.]+\s*vs stated\s*([\d.]+)", relation)
    if sums:
        parts, total = sums.group(1).split("+"), sums.group(2)
        whole = Decimal(total)
        out = [Perturbation(key, relation, p, _shift(p, whole / 5 + Decimal(1))) for p in parts]
        out.append(Perturbation(key, relation, total, _shift(total, -(whole / 3) - Decimal(1))))
        return out
    conversion = re.search(r"([\d.]+) (?:ha|km2).*vs stated\s*([\d.]+)", relation)
    if conversion:
        stated = conversion.group(2)
        return [Perturbation(key, relation, stated, _shift(stated, Decimal(stated) / 10 + Decimal(1)))]
    share = re.search(r"= [\d.]+% vs stated\s*([\d.]+)%", relation)
    if share:
        stated = share.group(1)
        return [Perturbation(key, relation, stated, _shift(stated, Decimal(5)))]
    count = re.search(r"^[^:]*:\s*(\d+) == (\d+)\s*$", relation)
    if count:
        return [Perturbation(key, relation, count.group(2), str(int(count.group(2)) + 3))]
    return []


def _shift(value: str, by: Decimal) -> str:
    decimals = len(value.split(".")[1]) if "." in value else 0
    new = (Decimal(value) + by).quantize(Decimal(1).scaleb(-decimals))
    return format(max(new, Decimal(1).scaleb(-decimals)), "f")


def apply(text: str, p: Perturbation) -> tuple[str, list[int]] | None:
    """The text with every occurrence of the value (as a whole number) replaced, and the lines changed."""
    pattern = re.compile(rf"(?<![\d.]){re.escape(p.value)}(?![\d]|\.\d)")
    lines, changed = text.split("\n"), []
    for i, line in enumerate(lines):
        if pattern.search(line):
            lines[i] = pattern.sub(p.new_value, line)
            changed.append(i + 1)
    return ("\n".join(lines), changed) if changed else None


def evaluate_perturbations(folder: Path, expectations: dict) -> tuple[int, int, list[str]]:
    """(caught, tried, misses): each checked relation of every must_clean document broken once per figure."""
    readme = (folder / "README.md").read_text(encoding="utf-8")
    relations = checked_relations(readme)
    caught = tried = 0
    misses = []
    for key, expected in sorted(expectations.items()):
        if expected["verdict"] != "must_clean":
            continue
        text = (folder / expected["file"]).read_text(encoding="utf-8")
        for relation in relations.get(key, []):
            for p in perturbations(key, relation):
                applied = apply(text, p)
                if applied is None:
                    continue
                changed_text, changed_lines = applied
                tried += 1
                try:
                    findings = audit_text(changed_text, expected["file"])
                except Exception as exc:  # noqa: BLE001
                    misses.append(f"{key}: {p.value}→{p.new_value} CRASH {exc}")
                    continue
                errors = [f for f in findings if f.severity.value == "error"]
                if any(set(f.lines) & set(changed_lines) for f in errors):
                    caught += 1
                else:
                    misses.append(f"{key}: {p.value}→{p.new_value} in “{relation[:70]}”")
    return caught, tried, misses


# -- report ----------------------------------------------------------------------------------------
def summary(outcomes: list[Outcome]) -> dict:
    clean = [o for o in outcomes if o.verdict == "must_clean"]
    wrong = [o for o in outcomes if o.verdict == "must_error"]
    return {
        "documents": len(outcomes),
        "judged_right": sum(o.judged_right for o in outcomes),
        "must_clean": len(clean),
        "must_clean_with_false_errors": sum(1 for o in clean if o.errors),
        "false_errors": sum(len(o.errors) for o in clean),
        "must_error": len(wrong),
        "must_error_found": sum(1 for o in wrong if o.errors and not o.missing),
        "expected_errors_missing": sum(len(o.missing) for o in wrong),
        "unexpected_errors_in_must_error": sum(len(o.extra) for o in wrong),
        "refused": sum(1 for o in outcomes if o.refused),
        # not judged (the verdict is unclear), but each such error deserves a look: a new rule's false alarm
        "errors_in_unclear": sum(len(o.errors) for o in outcomes if o.verdict == "unclear"),
        "crashes": sum(1 for o in outcomes if o.crash),
        "seconds": round(sum(o.seconds for o in outcomes), 3),
    }


def print_outcome(o: Outcome, quiet: bool) -> None:
    print(
        f"{o.key:>5} {o.verdict:<10} {o.status:<15} errors={len(o.errors)} warnings={o.warnings} {o.seconds:.3f}s"
    )
    if quiet:
        return
    for e in o.errors:
        print(f"        ✗ {e['code']} lines {e['lines']}: {e['message'][:150]}")
    for m in o.missing:
        print(f"        missing: {m}")
    for e in o.extra:
        print(f"        unexpected: {e['code']} lines {e['lines']}")
    if o.crash or o.refused:
        print(f"        {o.crash or o.refused}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    parser.add_argument("--perturb", action="store_true", help="also measure recall on injected errors")
    parser.add_argument("--json", dest="json_out", help="write the outcomes as JSON to this file")
    parser.add_argument("--quiet", action="store_true", help="one line per document")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    expectations = json.loads((folder / "expectations.json").read_text(encoding="utf-8"))
    outcomes = [evaluate_document(folder, k, e) for k, e in sorted(expectations.items())]
    for o in outcomes:
        print_outcome(o, args.quiet)
    totals = summary(outcomes)
    if args.perturb:
        caught, tried, misses = evaluate_perturbations(folder, expectations)
        totals["perturbations"] = tried
        totals["perturbations_caught"] = caught
        for m in misses:
            print(f"  perturbation missed: {m}")
    print(json.dumps(totals, ensure_ascii=False))
    if args.json_out:
        data = {"totals": totals, "documents": [o.__dict__ for o in outcomes]}
        Path(args.json_out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if totals["judged_right"] == totals["documents"] else 1


if __name__ == "__main__":
    sys.exit(main())
