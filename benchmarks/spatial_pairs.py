"""How the spatial benchmark samples two contenders fairly on a shared, loaded machine.

- ``run_tree(command)``: run a child process and time it whole (as ``_process.run_child``), and sample the
  peak resident memory (``VmHWM``) of every process it starts — worker processes, the ``forkserver`` — so
  that the reported memory is the child's own peak (which it reads itself at its end) plus each
  descendant's. ``VmHWM`` only grows, so a sample every 20 ms misses at most the last 20 ms of a process.
  Forked descendants share pages with their parent, so the sum is an upper bound of the memory used. A
  process still running its starter's command line (between ``vfork``/``fork`` and ``exec``, as when a
  library runs a helper program) shows its starter's memory and is not counted; the forkserver's workers
  are counted (they run the forkserver's command line, not the child's).
- Each child runs in a **session of its own** (``setsid``). Linux's scheduler (``sched_autogroup``, on
  here) shares the CPUs fairly between sessions first, then between the processes of a session; the
  PostgreSQL server has its own session, so a PostGIS query competes with the machine's other work as
  one session, and ours must too: left in the benchmark's session, it would also compete with whatever
  else runs there (the engineer's builds and tests), which the PostGIS query never meets. (A user's
  command runs in the user's own session as well.)
- ``interleave(run, names, files, rounds)``: rounds of one **cold** pair (every file of both contenders
  evicted from the page cache first) and one **warm** pair, each sample of one contender right beside the
  other's, the order within a pair alternating from round to round; the load average is recorded at each
  sample. A machine that gets busier during the run then slows both contenders alike, and
- ``pair_ratios`` / ``median``: the ratio of each pair (``a / b`` of the same round and temperature),
  whose median is the figure reported.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path

from benchmarks._process import ROOT, evict, resident_share

#: seconds between two samples of the descendants' memory
SAMPLE_SECONDS = 0.02
TEMPERATURES = ("cold", "warm")


def scheduler_text() -> str:
    """Whether the scheduler groups the CPU time by session (then every child runs in its own)."""
    try:
        on = Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return "sched_autogroup unknown; each run in a session of its own"
    return f"sched_autogroup {'on' if on else 'off'}; each run in a session of its own"


def children(pid: int) -> list[int]:
    """The direct children of process ``pid`` (Linux ``/proc/<pid>/task/<tid>/children``)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            found.extend(int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children …), not ``pid`` itself."""
    found, todo = [], children(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children(child))
    return found


def command_line(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def vmhwm_kb(pid: int) -> int | None:
    """Peak resident memory (kB) of a running process, ``None`` when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class TreeMemory:
    """Samples, in a thread, the peak memory of every descendant of a process while it runs."""

    def __init__(self, pid: int, command: list[str], interval: float = SAMPLE_SECONDS) -> None:
        self.pid = pid
        #: the child's command line as ``/proc/<pid>/cmdline`` shows it
        self.command = "".join(f"{part}\0" for part in command).encode()
        self.interval = interval
        #: highest ``VmHWM`` seen of each descendant (kB), by pid
        self.peaks: dict[int, int] = {}
        #: CPU seconds last seen of each descendant, by pid (worker processes of a forkserver are never
        #: reaped by the child, so its own rusage does not hold them)
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        for pid in descendants(self.pid):
            # a process started with vfork/fork + exec shows the memory of the one that started it until
            # its exec; with the starter's command line it is not counted yet
            if command_line(pid) == self.command:
                continue
            peak = vmhwm_kb(pid)
            if peak is not None and peak > self.peaks.get(pid, 0):
                self.peaks[pid] = peak
            used = cpu_seconds(pid)
            if used is not None and used > self.cpu.get(pid, 0.0):
                self.cpu[pid] = used

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    @property
    def total_mb(self) -> float:
        return sum(self.peaks.values()) / 1024


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a running process, ``None`` when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """Samples, in a thread, the CPU seconds of the PostgreSQL processes that serve one database: its
    backends (process title ``postgres: … <database> …``) and their parallel workers (``parallel worker
    for PID <backend>``), children of the postmaster ``postmaster``. The last sample of a process that
    ends misses at most 20 ms of it."""

    def __init__(self, postmaster: int, database: str, interval: float = SAMPLE_SECONDS) -> None:
        self.postmaster = postmaster
        self.database = f" {database} ".encode()
        self.interval = interval
        self.seconds: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> ServerCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def sample(self) -> None:
        backends = {pid for pid, title in self._titles() if self.database in title}
        workers = {
            pid
            for pid, title in self._titles()
            if b"parallel worker for PID " in title
            and int(title.split(b"parallel worker for PID ")[1].split()[0]) in backends | set(self.seconds)
        }
        for pid in backends | workers:
            used = cpu_seconds(pid)
            if used is not None:
                self.seconds[pid] = max(used, self.seconds.get(pid, 0.0))

    def _titles(self) -> list[tuple[int, bytes]]:
        titles = []
        for pid in children(self.postmaster):
            title = command_line(pid)
            if title:
                titles.append((pid, title.replace(b"\0", b" ")))
        return titles

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def run_tree(command: list[str], timeout: float = 7200, server: tuple[int, str] | None = None) -> dict:
    """Run ``command`` in a fresh process: its last stdout line (JSON) plus ``whole_s`` (wall time seen from
    here), ``cpu_s`` (its CPU seconds, and those of the PostgreSQL processes serving ``server`` =
    (postmaster pid, database) while it ran), ``descendants_mb`` (the sum of its descendants' peaks, sampled) and
    ``processes`` (how many descendants were seen). ``{"error": …}`` when it failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with (
        subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            start_new_session=True,  # its own scheduling group, as the PostgreSQL server has (see above)
        ) as child,
        TreeMemory(child.pid, command) as memory,
        ServerCpu(*server) if server else nullcontext() as serving,
    ):
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
        except BaseException:  # interrupted: the child, in a session of its own, would go on alone
            os.killpg(child.pid, signal.SIGKILL)
            raise
    whole = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    # the descendants' CPU, sampled: a helper program the child waited for is then counted twice (ms)
    cpu += sum(memory.cpu.values())
    if serving is not None:
        cpu += serving.total
    figures = {
        "whole_s": whole,
        "cpu_s": cpu,
        "descendants_mb": memory.total_mb,
        "processes": len(memory.peaks),
    }
    if child.returncode != 0:
        return {"error": (err.strip().splitlines() or ["?"])[-1]} | figures
    lines = out.strip().splitlines()
    report = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return report | figures | {"rss_mb": report.get("own_mb", 0.0) + memory.total_mb}


def interleave(
    run: Callable[[str], dict],
    names: tuple[str, str],
    files: dict[str, list[Path]],
    rounds: int,
    *,
    evict_files: Callable[[Iterable[Path]], None] = evict,
    cached_share: Callable[[Iterable[Path]], float] = resident_share,
    before_cold: dict[str, Callable[[], dict]] | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> dict[str, list[dict]]:
    """``rounds`` rounds of a cold pair then a warm pair of ``run(name)`` samples of both contenders.

    Before each cold pair the files of both contenders are evicted; the first contender of a pair is
    ``names[0]`` in even rounds, ``names[1]`` in odd ones. Each sample gets ``temperature``, ``round``,
    ``load`` (1-minute load average when it started) and, when cold, ``cached`` (share of its files still in
    the page cache just before it) and what ``before_cold[name]()``, called before the eviction, returned
    (the PostGIS contender flushes the server's shared buffers there, which may write pages out). Stops at the first failed sample (its
    report has ``error``).
    """
    samples: dict[str, list[dict]] = {name: [] for name in names}
    every = [f for name in names for f in files[name]]
    for k in range(rounds):
        order = names if k % 2 == 0 else names[::-1]
        for temperature in TEMPERATURES:
            prepared: dict[str, dict] = {}
            if temperature == "cold":
                # first what may write pages out (PostgreSQL writing back the buffers it drops), then evict
                prepared = {name: (before_cold or {}).get(name, dict)() for name in order}
                evict_files(every)
            for name in order:
                extra: dict = {"temperature": temperature, "round": k, "load": os.getloadavg()[0]}
                if temperature == "cold":
                    extra |= prepared[name] | {"cached": cached_share(files[name])}
                report = run(name) | extra
                samples[name].append(report)
                say(f"    round {k + 1} {temperature} {name}: {describe(report)}")
                if "error" in report:
                    return samples
    return samples


def describe(sample: dict) -> str:
    if "error" in sample:
        return f"failed: {sample['error']}"
    return (
        f"{sample['whole_s']:.2f} s whole, {sample['work_s']:.2f} s in-process, "
        f"{sample['rss_mb']:,.0f} MB, load {sample['load']:.2f}"
    )


def of(samples: list[dict], temperature: str, key: str) -> list[float]:
    """``key`` of the samples at ``temperature``, in round order."""
    return [s[key] for s in samples if s.get("temperature") == temperature and key in s]


def pair_ratios(a: list[dict], b: list[dict], temperature: str, key: str) -> list[float]:
    """``a / b`` of ``key`` for each round where both have a sample at ``temperature``."""
    mine = {s["round"]: s[key] for s in a if s.get("temperature") == temperature and key in s}
    theirs = {s["round"]: s[key] for s in b if s.get("temperature") == temperature and key in s}
    return [mine[r] / theirs[r] for r in sorted(mine) if r in theirs and theirs[r] > 0]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
