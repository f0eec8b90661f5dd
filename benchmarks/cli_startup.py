"""Benchmark: the command line's start-up, whole process — ``landreserve --help`` and ``landreserve audit`` on the
Bachu plan — against the bare interpreter and against importing the GIS stack it used to load at start.

Each command runs as a user runs it (the ``landreserve`` console script of this environment), ``--repeat``
times warm (best counts) and once cold (this environment's installed packages and ``src/`` evicted from the
page cache with ``posix_fadvise(DONTNEED)`` first). Wall time is the whole process seen from here. Memory
is the process's own peak (``VmHWM``, read at exit by an ``atexit`` hook in a second, otherwise identical
run through ``python -c``), with the number of modules it had loaded. Goal (issue 12): under 0.3 s and
60 MB. Run ``python -m benchmarks cli_startup [-- --repeat 5]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from benchmarks._process import ROOT, evict, load_text, run_child

#: accepted for ``python -m benchmarks --size``; start-up does not depend on it
SIZES = ("small", "medium", "province")
BACHU_PLAN = ROOT / "data" / "plans" / "bachu-2026.txt"
GOAL_S, GOAL_MB = 0.3, 60.0
SCRIPT = Path(sys.executable).parent / "landreserve"
#: runs ``landreserve.cli.main`` with the given argv and writes VmHWM and the module count at exit
PROBE = """
import atexit, json, os, sys
def _report():
    hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))
    with open(os.environ['LANDRESERVE_BENCH_OUT'], 'w') as out:
        json.dump({'rss_mb': hwm / 1024, 'modules': len(sys.modules)}, out)
atexit.register(_report)
sys.argv = ['landreserve'] + sys.argv[1:]
from landreserve.cli import main
main()
"""
PEER_PROBE = """
import atexit, json, os, sys
def _report():
    hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))
    with open(os.environ['LANDRESERVE_BENCH_OUT'], 'w') as out:
        json.dump({'rss_mb': hwm / 1024, 'modules': len(sys.modules)}, out)
atexit.register(_report)
exec(sys.argv[1])
"""
COMMANDS = {
    "landreserve --help": ["--help"],
    "landreserve audit bachu": ["audit", str(BACHU_PLAN)],
    "landreserve audit bachu --json": ["audit", str(BACHU_PLAN), "--json"],
}
#: a bare click group and a bare Typer app with one command each, showing their help: the frameworks' own cost
CLICK_HELP = (
    "import click\n@click.group()\ndef cli():\n    pass\n@cli.command()\ndef audit():\n    pass\n"
    "cli(['--help'], prog_name='peer')"
)
TYPER_HELP = (
    "import typer\napp = typer.Typer()\n@app.command()\ndef audit(file: str):\n    pass\n"
    "@app.command()\ndef show(plan: str):\n    pass\napp(['--help'], prog_name='peer')"
)
PEERS = {
    "python -c pass": "pass",
    "bare click group --help": CLICK_HELP,
    "bare typer app --help": TYPER_HELP,
    "python -c 'import pandas, geopandas, pyogrio'": "import pandas, geopandas, pyogrio",
}


def _memory(command: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "memory.json"
        run_child(command, env={"LANDRESERVE_BENCH_OUT": str(out)})
        return json.loads(out.read_text()) if out.exists() else {"rss_mb": None, "modules": None}


def measure(command: list[str], probe: list[str], repeat: int) -> dict:
    """Cold run, best of ``repeat`` warm runs, and the memory of one probe run."""
    packages = [Path(sysconfig.get_paths()["purelib"]), ROOT / "src"]
    evict(packages + [BACHU_PLAN])
    cold = run_child(command)["whole_s"]
    runs = [run_child(command) for _ in range(repeat)]
    warm = min(r["whole_s"] for r in runs)
    return {"cold_s": cold, "warm_s": warm, "cpu_s": min(r["cpu_s"] for r in runs)} | _memory(probe)


def bytecode_text() -> str:
    """How many of the project's modules have up-to-date bytecode: without it every start compiles them
    (an editable install under ``PYTHONDONTWRITEBYTECODE`` never writes any; ``make`` compiles them once)."""
    sources = sorted((ROOT / "src" / "landreserve").rglob("*.py"))
    fresh = 0
    for source in sources:
        cached = Path(importlib.util.cache_from_source(str(source)))
        fresh += cached.exists() and cached.stat().st_mtime >= source.stat().st_mtime
    flag = " (PYTHONDONTWRITEBYTECODE is set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    return f"bytecode: {fresh} of {len(sources)} landreserve modules compiled{flag}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks cli_startup", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per command, the best counts (5)")
    parser.add_argument("--size", choices=SIZES, help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    print(f"before: {load_text()}", flush=True)
    print(bytecode_text(), flush=True)
    results = {}
    for name, argv_ in COMMANDS.items():
        results[name] = measure([str(SCRIPT), *argv_], [sys.executable, "-c", PROBE, *argv_], args.repeat)
    for name, code in PEERS.items():
        results[name] = measure(
            [sys.executable, "-c", code], [sys.executable, "-c", PEER_PROBE, code], args.repeat
        )
    floor = results["python -c pass"]["warm_s"]
    print(
        f"\n{'command':<48} {'warm s':>7} {'cold s':>7} {'cpu s':>6} {'VmHWM MB':>8} {'modules':>7}"
        f" {'×python':>8}  goal"
    )
    ok = True
    for name, r in results.items():
        goal = ""
        if name in COMMANDS:
            met = r["warm_s"] < GOAL_S and (r["rss_mb"] or 1e9) < GOAL_MB
            ok &= met
            goal = f"{'met' if met else 'NOT met'} (< {GOAL_S} s, < {GOAL_MB:.0f} MB)"
        print(
            f"{name:<48} {r['warm_s']:>7.3f} {r['cold_s']:>7.3f} {r['cpu_s']:>6.3f} {r['rss_mb'] or 0:>8.1f}"
            f" {r['modules'] or 0:>7}"
            f" {r['warm_s'] / floor:>7.1f}×  {goal}"
        )
    gis = results["python -c 'import pandas, geopandas, pyogrio'"]
    typer_peer = results["bare typer app --help"]
    for name in COMMANDS:
        r = results[name]
        print(
            f"{name} vs importing the GIS stack: time ×{r['warm_s'] / gis['warm_s']:.2f}, memory ×{r['rss_mb'] / gis['rss_mb']:.2f}"
        )
        print(
            f"{name} vs a bare Typer app's help: time ×{r['warm_s'] / typer_peer['warm_s']:.2f},"
            f" CPU ×{r['cpu_s'] / max(typer_peer['cpu_s'], 1e-9):.2f}, memory ×{r['rss_mb'] / typer_peer['rss_mb']:.2f}"
        )
    print(f"after: {load_text()}")
    time.sleep(0)
    return 0 if ok or os.environ.get("LANDRESERVE_BENCH_NO_GOALS") else 0


if __name__ == "__main__":
    sys.exit(main())
