"""Run the benchmarks: ``python -m benchmarks [name ...] [-- options passed to each]``.

Every module ``benchmarks/<name>.py`` that defines ``main(argv: list[str] | None = None)`` is a benchmark;
without names all of them run, in alphabetical order. A helper module with a ``main`` of its own (a data
generator) opts out of the full run with ``BENCHMARK = False``; it still runs when named.
Exit code 1 when one of them failed, 2 for an unknown name.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent


def module_names() -> list[str]:
    """Names of the modules in ``benchmarks/`` (not starting with ``_``), sorted."""
    return sorted(m.name for m in pkgutil.iter_modules([str(PACKAGE)]) if not m.name.startswith("_"))


def load(name: str, *, named: bool) -> ModuleType | None:
    """The benchmark module ``name``, or ``None`` when it has no ``main`` (or opts out and was not named)."""
    module = importlib.import_module(f"benchmarks.{name}")
    if not callable(getattr(module, "main", None)):
        return None
    return module if named or getattr(module, "BENCHMARK", True) else None


def split_argv(argv: list[str]) -> tuple[list[str], list[str]]:
    """``["a", "b", "--", "-x"]`` → ``(["a", "b"], ["-x"])``."""
    if "--" in argv:
        at = argv.index("--")
        return argv[:at], argv[at + 1 :]
    return argv, []


def run(name: str, module: ModuleType, options: list[str]) -> bool:
    """Run one benchmark; ``True`` when it finished without an exception or a non-zero result."""
    print(f"\n=== benchmark {name} ===", flush=True)
    started = time.perf_counter()
    try:
        outcome = module.main(list(options))
    except Exception:  # noqa: BLE001 - one failing benchmark must not hide the others
        traceback.print_exc()
        outcome = 1
    print(f"=== {name}: {time.perf_counter() - started:.1f} s ===", flush=True)
    return not outcome


def main(argv: list[str] | None = None) -> int:
    names, options = split_argv(sys.argv[1:] if argv is None else argv)
    known = module_names()
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"未知的基准测试：{', '.join(unknown)}；可用：{', '.join(known)}", file=sys.stderr)
        return 2
    selected = [(n, load(n, named=bool(names))) for n in (names or known)]
    runnable = [(n, m) for n, m in selected if m is not None]
    if names and len(runnable) < len(selected):
        print(f"这些模块没有 main()：{', '.join(n for n, m in selected if m is None)}", file=sys.stderr)
        return 2
    failed = [n for n, m in runnable if not run(n, m, options)]
    if failed:
        print(f"失败的基准测试：{', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
