"""What every benchmark measures the same way: a child process's own peak memory, whole-process wall time,
and a cold page cache.

- ``peak_rss_mb()``: ``VmHWM`` of ``/proc/self/status``, read by the child itself at its end. The parent's
  ``ru_maxrss`` of a child is no use: ``subprocess`` starts children with ``vfork`` + ``exec``, and the
  child's peak then starts at the parent's.
- ``run_child(command)``: run a command, time it whole from the parent (interpreter start, imports,
  reading the files, the work, exit) and return its last JSON line, with the child's CPU seconds
  (user + system, from ``RUSAGE_CHILDREN``), which the load of a shared machine does not stretch.
- ``evict(paths)``: drop the files' pages from the page cache (``posix_fadvise(POSIX_FADV_DONTNEED)``
  after a ``sync``), so that the next run reads them from the disk; ``resident_share(paths)`` tells how
  much of them is still cached (``mincore``), to show that the eviction worked.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import mmap
import os
import resource
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ("small", "medium", "province")


def peak_rss_mb() -> float:
    """This process's own peak resident memory (MB), from ``VmHWM`` where Linux gives it."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(command: list[str], env: dict | None = None, timeout: float = 3600) -> dict:
    """Run ``command`` in a fresh process; its last stdout line (JSON) plus ``whole_s``, the wall time of the
    whole process as seen from here. ``{"error": …}`` when it failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout
    )
    whole = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the child (user + system): what a shared machine's load does not stretch
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1], "whole_s": whole, "cpu_s": cpu}
    lines = done.stdout.strip().splitlines()
    report = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return report | {"whole_s": whole, "cpu_s": cpu, "returncode": done.returncode}


def component_paths(path: Path) -> list[Path]:
    """The file and its sidecars (a Shapefile's ``.shx`` ``.dbf`` ``.prj`` ``.qix`` …)."""
    if path.suffix.lower() == ".shp":
        return sorted(p for p in path.parent.glob(path.stem + ".*") if p.is_file())
    return [path] if path.exists() else []


def _files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file())
        else:
            files.extend(component_paths(path))
    return files


def evict(paths: Iterable[Path]) -> None:
    """Drop the pages of these files (and folders' files) from the page cache.

    Dirty pages are not dropped, so everything is written out first — with one ``sync``: an ``fsync``
    per file of an environment's ~20,000 package files took a minute here.
    """
    os.sync()
    for path in _files(paths):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def resident_share(paths: Iterable[Path]) -> float:
    """Share (0–1) of the files' pages that sit in the page cache (``mincore``)."""
    page = mmap.PAGESIZE
    resident = total = 0
    for path in _files(paths):
        size = path.stat().st_size
        if size == 0:
            continue
        pages = (size + page - 1) // page
        vector = (ctypes.c_ubyte * pages)()
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY) as view:
            mapped = (ctypes.c_char * size).from_buffer(view)
            try:
                failed = _libc.mincore(
                    ctypes.c_void_p(ctypes.addressof(mapped)), ctypes.c_size_t(size), vector
                )
            finally:
                del mapped
        if failed == 0:
            resident += sum(v & 1 for v in vector)
            total += pages
    return resident / total if total else 0.0


def warm(paths: Iterable[Path]) -> None:
    """Read the files once so that their pages are in the cache."""
    for path in _files(paths):
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass


def load_text() -> str:
    """The machine's load average (1, 5, 15 min) and CPU count, for the notes."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"
