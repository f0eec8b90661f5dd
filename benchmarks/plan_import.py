"""Benchmark: read + audit, and import into SQLite, a synthetic 10,000-parcel plan; compare with re / pandas.

The plan is generated deterministically (seeded) in the shape of the Bachu plan: scale in 公顷 and 亩,
stock land, structure by use with shares, layout by zone, a parcel list, funds. All its figures hold
together (derived from exact ㎡ and rounded half-up), so a correct auditor reports no error on it.

Each phase runs in a fresh Python process so that its peak memory is its own (``VmHWM`` of
``/proc/self/status``, read by the child — not ``ru_maxrss``, which after ``vfork`` + ``exec`` starts at the
parent's peak and printed the same 205 MB for every phase):

- ``audit``:  ``services.plans.audit_file`` (read the file, build the document, audit it);
- ``import``: ``services.plans.import_plan`` into a fresh, migrated SQLite file (read + audit + store);
- ``re``:     peer of read + audit, the parcel rows and the stated total extracted with ``re`` and summed
  exactly;
- ``pandas``: peer of read + audit, the tab table read by ``pandas.read_csv`` (told where it starts), the
  prose lines by ``read_csv`` + ``Series.str.extract``;
- ``sqlite3``: peer of the import, the ``re`` rows stored with ``sqlite3`` executemany in one transaction;
- ``to_sql``: peer of the import, the ``pandas`` rows stored with ``DataFrame.to_sql``.

Each layout of the parcels is measured (``--layouts``: ``prose`` lines ``地块编号：…，面积：…公顷；``, a
``table`` of tab-separated rows). Wall time is the best of ``--repeat`` runs without tracing, beside the
CPU seconds of that run (which the load of a shared machine does not stretch); the Python heap peak is
measured in one more run under ``tracemalloc``. Beside these in-process figures, ``whole s`` is the wall
time of the whole process (interpreter start, imports, one run, exit) as the parent sees it, best of
``--repeat`` processes, with its CPU seconds, and ``cold s`` one more whole process after the plan, the
installed packages and ``src/`` were evicted from the page cache (``posix_fadvise(DONTNEED)``);
``landreserve audit`` on the plan is also run as a user runs it (the console script).
Run: ``python -m benchmarks plan_import [-- --parcels 10000 --repeat 3 --layouts prose,table]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("audit", "import", "re", "pandas", "sqlite3", "to_sql")
LAYOUTS = ("prose", "table")
#: accepted for ``python -m benchmarks --size``
SIZES = ("small", "medium", "province")
USES = (("工矿仓储用地", "工业园区"), ("商服用地", "城区"), ("住宅用地", "城区"))
#: the parcel row as the baselines see it (the same rows landreserve must find)
PARCEL_ROW = r"地块编号：(?P<code>[^，]+)，土地坐落：(?P<location>[^，]+)，面积：(?P<area>\d+\.\d+)公顷"
#: the same row in the tab table: serial, code, location, area (ha), use
TABLE_ROW = r"^\d+\t(?P<code>[^\t]+)\t(?P<location>[^\t]+)\t(?P<area>\d+\.\d+)\t(?P<use>[^\t]*)$"
TABLE_HEADER = "序号\t地块编号\t土地坐落\t面积（公顷）\t用途"
PEER_TABLE = "CREATE TABLE parcels (line INTEGER, code TEXT, location TEXT, area_m2 TEXT, use TEXT)"


# --- the synthetic plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticPlan:
    """What was written: the number of parcels and their exact total (㎡)."""

    path: Path
    parcels: int
    total_m2: int
    lines: int
    size_bytes: int


def _round(value: Decimal, places: str = "0.01") -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _ha(m2: int) -> str:
    return _round(Decimal(m2) / 10000)


def _mu(m2: int) -> str:
    return _round(Decimal(m2) * 15 / 10000)


def _share(part: int, whole: int) -> str:
    return _round(Decimal(part) * 100 / whole)


def generate_plan(
    path: Path, parcels: int = 10_000, seed: int = 2026, layout: str = "prose"
) -> SyntheticPlan:
    """Write a consistent synthetic annual reserve plan with ``parcels`` parcel lines to ``path``.

    ``layout``: ``prose`` (one ``地块编号：…，土地坐落：…，面积：…公顷；`` line per parcel) or ``table`` (a
    tab-separated table ``序号 地块编号 土地坐落 面积（公顷） 用途`` closed by its 合计 row, as a ``.docx``
    table or a spreadsheet pasted into text gives it).
    """
    rng = random.Random(seed)
    rows = [
        (rng.randrange(3_000, 60_000), rng.randrange(len(USES)), rng.random() < 0.8) for _ in range(parcels)
    ]
    total = sum(area for area, _, _ in rows)
    stock = sum(area for area, _, is_stock in rows if is_stock)
    by_use = [sum(a for a, u, _ in rows if u == i) for i in range(len(USES))]
    by_zone = {"城区": by_use[1] + by_use[2], "工业园区": by_use[0]}
    structure = "；".join(
        f"{name}{_ha(by_use[i])}公顷，占计划储备土地面积的{_share(by_use[i], total)}%"
        for i, (name, _) in enumerate(USES)
    )
    lines = [
        "示例县2027年土地储备计划",
        "为规范土地储备运作，根据《土地储备管理办法》及相关规定，结合示例县实际，制定本计划。",
        "一、计划指标",
        "（一）年度储备规模",
        f"本年度计划储备土地{_ha(total)}公顷（{_mu(total)}亩）。其中：存量土地{_ha(stock)}公顷（{_mu(stock)}亩）。",
        "（二）年度土地储备结构",
        f"示例县土地储备总量中{structure}。",
        "（三）储备地块空间布局",
        f"1.城区（{_ha(by_zone['城区'])}公顷）：以商服用地和住宅用地为主。",
        f"2.工业园区（{_ha(by_zone['工业园区'])}公顷）：全部为工矿仓储用地。",
        "（四）储备地块明细",
    ]
    if layout == "table":
        lines.append("序号\t地块编号\t土地坐落\t面积（公顷）\t用途")
    for i, (area, use, _stock) in enumerate(rows, start=1):
        location = f"示例县经{i % 97 + 1}路北侧、纬{i // 97 + 1}路东侧"
        area_ha = _round(Decimal(area) / 10000, "0.0001")
        if layout == "table":
            lines.append(f"{i}\tSL-CB2027{i:05d}\t{location}\t{area_ha}\t{USES[use][0]}")
        else:
            lines.append(f"{i}.地块编号：SL-CB2027{i:05d}，土地坐落：{location}，面积：{area_ha}公顷；")
    if layout == "table":
        lines.append(f"合计\t\t\t{_round(Decimal(total) / 10000, '0.0001')}\t")
    lines += [
        "（五）年度资金使用规模",
        f"1.资金总量：{_round(Decimal(total) * 150 / 100_000_000)}亿元，全部为申请地方政府专项债券资金。",
        "2.支出方向：主要用于土地收购补偿、地上附着物拆除、地块前期开发等。",
    ]
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return SyntheticPlan(path, parcels, total, len(lines), len(text.encode("utf-8")))


# --- the phases (each in its own process) --------------------------------------------------------------


def _landreserve_audit(path: Path) -> dict:
    # the two halves of services.plans.audit_file, timed apart, run as it runs them (the cyclic garbage
    # collector paused: tests/test_collector.py checks that audit_file pauses it)
    from landreserve.domain.audit import audit_plan
    from landreserve.importers import read_plan
    from landreserve.services import collector

    with collector.paused():
        started = time.perf_counter()
        document = read_plan(path)
        read = time.perf_counter()
        findings = audit_plan(document)
        audited = time.perf_counter()
    areas = [p.area_m2 for p in document.parcels if p.area_m2 is not None]
    outcome = _outcome(len(document.parcels), sum(areas, Decimal(0)), findings)
    return outcome | {"elapsed": audited - started, "read_s": read - started, "audit_s": audited - read}


def _landreserve_import(path: Path, database: Path) -> dict:
    from landreserve.services.context import Context
    from landreserve.services.plans import import_plan
    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    started = time.perf_counter()
    result = import_plan(Context(engine=engine), path)
    elapsed = time.perf_counter() - started
    engine.dispose()
    database.unlink()
    parcels = result.report.document.parcels
    outcome = _outcome(len(parcels), sum((p.area_m2 or 0 for p in parcels), Decimal(0)), result.findings)
    return outcome | {"elapsed": elapsed}


def _outcome(parcels: int, total_m2: Decimal, findings: list) -> dict:
    severities: dict[str, int] = {}
    for f in findings:
        severities[f.severity.value] = severities.get(f.severity.value, 0) + 1
    errors = [
        f"{f.code} @ {list(f.lines)[:3]}: {f.message[:120]}" for f in findings if f.severity.value == "error"
    ]
    return {
        "parcels": parcels,
        "total_m2": format(total_m2.normalize(), "f"),
        "findings": severities,
        "errors": errors[:5],
    }


def _peer_rows(text: str) -> list[tuple[str, str, Decimal, str]]:
    """(code, location, area ㎡, use) of every parcel row, found with ``re`` (prose lines or table rows)."""
    if TABLE_HEADER in text:
        rows = re.finditer(TABLE_ROW, text, re.MULTILINE)
        return [(m["code"], m["location"], Decimal(m["area"]) * 10000, m["use"]) for m in rows]
    return [(m["code"], m["location"], Decimal(m["area"]) * 10000, "") for m in re.finditer(PARCEL_ROW, text)]


def _regex_baseline(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    areas = [area for _code, _location, area, _use in _peer_rows(text)]
    stated = re.search(r"计划储备土地(\d+\.\d+)公顷", text)
    total = sum(areas, Decimal(0))
    ok = stated is not None and abs(total / 10000 - Decimal(stated.group(1))) <= Decimal("0.005")
    return {
        "parcels": len(areas),
        "total_m2": format(total.normalize(), "f"),
        "findings": {} if ok else {"error": 1},
    }


def _pandas_frame(path: Path):
    """The parcel rows as a DataFrame (code, location, area, use) and the stated scale, read by pandas: the
    tab table straight with ``read_csv`` (told where it starts and how long it is — more than the reader
    is told), the prose lines with ``read_csv`` + ``Series.str.extract``."""
    import pandas as pd

    text = path.read_text(encoding="utf-8")
    stated = re.search(r"计划储备土地(\d+\.\d+)公顷", text)
    if TABLE_HEADER in text:
        lines = text.splitlines()
        start = lines.index(TABLE_HEADER)
        count = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("合计")) - start - 1
        frame = pd.read_csv(path, sep="\t", skiprows=start, nrows=count, dtype=str, encoding="utf-8")
        frame.columns = ["serial", "code", "location", "area", "use"]
        return frame[["code", "location", "area", "use"]], stated
    lines = pd.read_csv(path, sep="\t", header=None, names=["line"], dtype=str, quoting=3, encoding="utf-8")
    frame = lines["line"].str.extract(PARCEL_ROW).dropna()
    frame["use"] = ""
    return frame, stated


def _pandas_baseline(path: Path) -> dict:
    rows, stated = _pandas_frame(path)
    areas = rows["area"].map(Decimal) * 10000
    total = sum(areas, Decimal(0))
    ok = stated is not None and abs(total / 10000 - Decimal(stated.group(1))) <= Decimal("0.005")
    return {
        "parcels": len(rows),
        "total_m2": format(total.normalize(), "f"),
        "findings": {} if ok else {"error": 1},
    }


def _sqlite3_baseline(path: Path, database: Path) -> dict:
    """Peer of the import: the rows found with ``re``, stored with ``sqlite3`` executemany in one transaction."""
    import sqlite3

    rows = _peer_rows(path.read_text(encoding="utf-8"))
    connection = sqlite3.connect(database)
    with connection:
        connection.execute(PEER_TABLE)
        connection.executemany(
            "INSERT INTO parcels VALUES (?, ?, ?, ?, ?)",
            [(i, code, place, str(area), use) for i, (code, place, area, use) in enumerate(rows)],
        )
    stored = connection.execute("SELECT count(*) FROM parcels").fetchone()[0]
    connection.close()
    database.unlink()
    return {"parcels": stored, "total_m2": format(sum(r[2] for r in rows).normalize(), "f"), "findings": {}}


def _to_sql_baseline(path: Path, database: Path) -> dict:
    """Peer of the import: the rows read by pandas, stored with ``DataFrame.to_sql`` (one transaction)."""
    import sqlite3

    rows, _stated = _pandas_frame(path)
    rows = rows.assign(area_m2=(rows["area"].map(Decimal) * 10000).map(str))
    connection = sqlite3.connect(database)
    with connection:
        rows[["code", "location", "area_m2", "use"]].to_sql("parcels", connection, index_label="line")
    stored = connection.execute("SELECT count(*) FROM parcels").fetchone()[0]
    connection.close()
    database.unlink()
    total = sum(rows["area"].map(Decimal) * 10000, Decimal(0))
    return {"parcels": stored, "total_m2": format(total.normalize(), "f"), "findings": {}}


def _work(phase: str, path: Path, scratch: Path) -> Callable[[int], dict]:
    if phase == "audit":
        return lambda _run: _landreserve_audit(path)
    if phase == "import":
        return lambda run: _landreserve_import(path, scratch / f"import-{run}.sqlite3")
    if phase == "re":
        return lambda _run: _regex_baseline(path)
    if phase == "sqlite3":
        return lambda run: _sqlite3_baseline(path, scratch / f"peer-{run}.sqlite3")
    if phase == "to_sql":
        return lambda run: _to_sql_baseline(path, scratch / f"to-sql-{run}.sqlite3")
    return lambda _run: _pandas_baseline(path)


def _max_rss_mib() -> float:
    from benchmarks._process import peak_rss_mb

    return peak_rss_mb()


def measure_phase(phase: str, path: Path, repeat: int, whole: bool = False) -> dict:
    """Run one phase ``repeat`` times (best wall time, RSS high-water mark), then once under tracemalloc.

    ``whole``: one run only, no tracing (the parent times the whole process).
    """
    work = _work(phase, path, path.parent)
    if whole:
        work(0)
        return {"rss_peak_mib": _max_rss_mib()}
    if phase in ("audit", "import"):
        import landreserve.services.plans  # noqa: F401 - imports are not part of the measured work
    elif phase in ("pandas", "to_sql"):
        import pandas  # noqa: F401
    rss_before = _max_rss_mib()
    runs = []
    for run in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        outcome = work(run)
        outcome["elapsed"] = outcome.get("elapsed", time.perf_counter() - started)
        outcome["cpu_s"] = time.process_time() - cpu
        runs.append(outcome)
    rss_after = _max_rss_mib()
    outcome = min(runs, key=lambda r: r["elapsed"])
    outcome["cpu_s"] = min(r["cpu_s"] for r in runs)
    tracemalloc.start()
    work(repeat)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return outcome | {
        "phase": phase,
        "wall_s": outcome.pop("elapsed"),
        "traced_peak_mib": peak / 2**20,
        "rss_before_mib": rss_before,
        "rss_peak_mib": rss_after,
    }


PACKAGES = [Path(sysconfig.get_paths()["purelib"]), ROOT / "src"]


def _run_phase_process(phase: str, path: Path, repeat: int) -> dict:
    from benchmarks._process import evict, run_child

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "benchmarks.plan_import", "--phase", phase, "--file", str(path)]
    done = subprocess.run(
        command + ["--repeat", str(repeat)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    wholes = [run_child(command + ["--whole"], env=env) for _ in range(repeat)]
    report["whole_s"] = min(w["whole_s"] for w in wholes)
    report["whole_cpu_s"] = min(w["cpu_s"] for w in wholes)
    report["whole_rss_mib"] = max(w.get("rss_peak_mib", 0.0) for w in wholes)
    evict([path, *PACKAGES])  # cold: the plan, the installed packages and src/ read from the disk again
    report["cold_s"] = run_child(command + ["--whole"], env=env)["whole_s"]
    return report


def _run_cli_audit(path: Path, repeat: int) -> dict:
    """``landreserve audit PLAN --json`` as a user runs it: whole-process wall time, best of ``repeat``."""
    from benchmarks._process import run_child

    script = str(Path(sys.executable).parent / "landreserve")
    runs = [run_child([script, "audit", str(path), "--json"]) for _ in range(repeat)]
    return {
        "whole_s": min(r["whole_s"] for r in runs),
        "cpu_s": min(r["cpu_s"] for r in runs),
        "returncode": runs[0].get("returncode"),
    }


# --- report ----------------------------------------------------------------------------------------------

LABELS = {
    "audit": "landreserve read+audit",
    "import": "landreserve import (SQLite)",
    "re": "peer re + Decimal",
    "pandas": "peer pandas.read_csv",
    "sqlite3": "peer re + sqlite3 executemany",
    "to_sql": "peer pandas read_csv + to_sql",
}
#: which peer each of ours is compared with
PEERS = {"audit": ("re", "pandas"), "import": ("sqlite3", "to_sql")}


def _print_report(plan: SyntheticPlan, results: dict[str, dict], repeat: int) -> None:
    print(
        f"synthetic plan: {plan.parcels:,} parcels, {plan.lines:,} lines, {plan.size_bytes / 2**20:.2f} MiB, "
        f"total {Decimal(plan.total_m2) / 10000} ha; wall = best of {repeat}"
    )
    header = (
        f"{'phase':34} {'wall s':>7} {'cpu s':>6} {'whole s':>8} {'whole cpu':>9} {'cold s':>7}"
        f" {'py heap MiB':>11} {'VmHWM MiB':>10} {'growth MiB':>10} {'whole VmHWM':>11}"
    )
    print(header)
    print("-" * len(header))
    for phase, r in results.items():
        growth = r["rss_peak_mib"] - r["rss_before_mib"]
        print(
            f"{LABELS[phase]:34} {r['wall_s']:7.3f} {r['cpu_s']:6.3f} {r['whole_s']:8.3f} {r['whole_cpu_s']:9.3f}"
            f" {r['cold_s']:7.3f} {r['traced_peak_mib']:11.1f} {r['rss_peak_mib']:10.1f} {growth:10.1f}"
            f" {r['whole_rss_mib']:11.1f}"
        )
    if "read_s" in results.get("audit", {}):
        r = results["audit"]
        print(f"landreserve read+audit = read {r['read_s']:.3f} s + audit {r['audit_s']:.3f} s")
    for phase, r in results.items():
        status = (
            "OK" if r["parcels"] == plan.parcels and Decimal(r["total_m2"]) == plan.total_m2 else "MISMATCH"
        )
        print(
            f"{LABELS[phase]:34} parcels {r['parcels']:,}, sum {r['total_m2']} ㎡ [{status}], findings {r['findings']}"
        )
        for line in r.get("errors", []):
            print(f"    error finding on a consistent plan: {line}")
    _print_ratios(results)


def _print_ratios(results: dict[str, dict]) -> None:
    for ours, peers in PEERS.items():
        for peer in peers:
            if ours in results and peer in results:
                a, b = results[ours], results[peer]
                print(
                    f"ratio {ours}/{peer}: wall x{a['wall_s'] / b['wall_s']:.1f}, "
                    f"cpu x{a['cpu_s'] / max(b['cpu_s'], 1e-9):.1f}, "
                    f"whole process x{a['whole_s'] / b['whole_s']:.1f}, cold x{a['cold_s'] / b['cold_s']:.1f}, "
                    f"py heap x{a['traced_peak_mib'] / max(b['traced_peak_mib'], 1e-9):.1f}, "
                    f"VmHWM x{a['rss_peak_mib'] / max(b['rss_peak_mib'], 1e-9):.1f}"
                )


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks plan_import", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--parcels", type=int, default=10_000, help="parcel lines in the synthetic plan")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per phase (best is reported)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--phases", default=",".join(PHASES), help="comma separated subset of " + ",".join(PHASES)
    )
    parser.add_argument(
        "--layouts", default=",".join(LAYOUTS), help="parcel layouts to measure: prose lines, a tab table"
    )
    parser.add_argument("--keep", type=Path, help="also write the synthetic plan to this path")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)  # internal: one phase, JSON out
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", choices=SIZES, help="small: 2,000 parcels; medium and province: --parcels")
    args = parser.parse_args(argv)
    if args.size == "small":
        args.parcels = min(args.parcels, 2_000)
    return args


def main(argv: list[str] | None = None) -> int:
    """Generate the plan, measure every phase in its own process, print the table and the ratios."""
    args = _arguments(argv)
    if args.phase:
        print(json.dumps(measure_phase(args.phase, args.file, args.repeat, args.whole)))
        return 0
    from benchmarks._process import load_text

    print(f"before: {load_text()}", flush=True)
    for layout in [x for x in args.layouts.split(",") if x]:
        with tempfile.TemporaryDirectory(prefix="landreserve-bench-") as scratch:
            plan = generate_plan(Path(scratch) / f"synthetic-{layout}.txt", args.parcels, args.seed, layout)
            if args.keep:
                args.keep.write_bytes(plan.path.read_bytes())
            phases = [p for p in args.phases.split(",") if p]
            results = {p: _run_phase_process(p, plan.path, args.repeat) for p in phases}
            cli = _run_cli_audit(plan.path, args.repeat)
        print(f"\n--- parcels as {layout} ({load_text()}) ---")
        _print_report(plan, results, args.repeat)
        print(
            f"landreserve audit --json (console script, whole process): {cli['whole_s']:.3f} s"
            f" ({cli['cpu_s']:.3f} s CPU), exit code {cli['returncode']}"
            + (
                f"; ×{cli['whole_s'] / results['pandas']['whole_s']:.1f} the pandas peer's whole process"
                if "pandas" in results
                else ""
            )
        )
    print(f"after: {load_text()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
