"""Run the benchmarks: ``python -m benchmarks [name ...] [--size small|medium|province] [-- options passed to each]``.

Every module ``benchmarks/<name>.py`` that defines ``main(argv: list[str] | None = None)`` is a benchmark;
without names all of them run, in alphabetical order. A helper module with a ``main`` of its own (a data
generator) opts out of the full run with ``BENCHMARK = False``; it still runs when named.
``--size`` is passed on to every benchmark that takes it (a module with ``SIZES``): ``small`` fits in a few
minutes, ``medium`` (the default) is the issue's county scale (10,000 parcels × 1,000,000 polygons),
``province`` the province scale (100,000 × 1,000,000, self-overlap on 1,000,000).
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
SIZES = ("small", "medium", "province")


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


def own_options(names: list[str]) -> tuple[list[str], str | None]:
    """``names`` without ``--size X`` / ``--size=X``, and X (``None`` when not given)."""
    rest, size, k = [], None, 0
    while k < len(names):
        if names[k] == "--size" and k + 1 < len(names):
            size, k = names[k + 1], k + 2
            continue
        if names[k].startswith("--size="):
            size = names[k].split("=", 1)[1]
        else:
            rest.append(names[k])
        k += 1
    return rest, size


def main(argv: list[str] | None = None) -> int:
    names, options = split_argv(sys.argv[1:] if argv is None else argv)
    if "-h" in names or "--help" in names:
        print(__doc__)
        print(f"benchmarks: {', '.join(n for n in module_names() if load(n, named=False))}")
        return 0
    names, size = own_options(names)
    if size is not None and size not in SIZES:
        print(f"未知的规模 {size}；可用：{', '.join(SIZES)}", file=sys.stderr)
        return 2
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
    sized = ["--size", size] if size else []
    failed = [n for n, m in runnable if not run(n, m, (sized if hasattr(m, "SIZES") else []) + options)]
    if failed:
        print(f"失败的基准测试：{', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
