"""What the spatial benchmark prints for one case: each contender's medians, ours against PostGIS pair by
pair (with the load at each sample), and whether ours meets the bars of issue 12 (time at or under the
PostGIS query's, memory under the case's limit)."""

from __future__ import annotations


def _fmt(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(a, b) -> str:
    return f"×{a / b:.2f}" if a is not None and b else "—"


def _times(ratios: list[float]) -> str:
    return " ".join(f"×{r:.2f}" for r in ratios) or "—"


def notes(name: str, r: dict) -> str:
    note = r.get("agreement", "")
    if r.get("prepare_s") is not None and name == "postgis":
        note += f"; query only — loaded once in {r['prepare_s']:.1f} s; VmHWM is the client's"
    elif r.get("loaded_for") and name == "postgis":
        note += f"; query only — the data loaded for {r['loaded_for']}; VmHWM is the client's"
    work = r.get("work")
    if r.get("processes"):
        started = r["rss_mb"] - r["own_mb"]
        note += f"; VmHWM = this process {r['own_mb']:.0f} MB + {r['processes']} it started {started:.0f} MB"
    if work:
        note += (
            f"; pairs: {work['candidates']:,} box candidates, {work['meeting']:,} meeting, "
            f"{work['intersections']:,} intersected, {work['contained']:,} by containment"
        )
    if r.get("cached_before_cold", 0) > 0.01:
        note += f"; {r['cached_before_cold']:.0%} still in the page cache before a cold run"
    if name == "postgis":
        note += f"; {r.get('in_buffers_before_cold', 0):.0%} in shared buffers before a cold run"
    if name == "ours" and r.get("prepare_mb"):
        note += f"; index build {r['prepare_mb']:.0f} MB"
    return note


def print_case(case: str, title: str, reports: dict[str, dict], memory_bar_mb: float) -> None:
    from benchmarks.spatial_pairs import median, pair_ratios

    print(f"\n## {case}: {title}", flush=True)
    print(
        f"{'contender':<18} {'index/load':>10} {'cold whole':>10} {'cold work':>9} {'warm whole':>10}"
        f" {'warm work':>9} {'warm CPU':>8} {'import s':>8} {'VmHWM MB':>8} {'runs':>4} {'load':>9}"
        f" {'warm ×ours':>10}"
        "  agreement / notes"
    )
    ours = reports.get("ours", {})
    for name, r in reports.items():
        if "error" in r:
            print(f"{name:<18} failed: {r['error']}")
            continue
        loads = f"{r['loads'][0]:.1f}–{r['loads'][1]:.1f}"
        print(
            f"{name:<18} {_fmt(r.get('prepare_s')):>10} {r['cold_whole']:>10.3f} {r['cold_work']:>9.3f}"
            f" {r['warm_whole']:>10.3f} {r['warm_work']:>9.3f} {r['warm_cpu']:>8.2f} {r['import_s']:>8.2f}"
            f" {r['rss_mb']:>8,.0f}"
            f" {r['n']:>4} {loads:>9} {_ratio(r['warm_whole'], ours.get('warm_whole')):>10}  {notes(name, r)}"
        )
    postgis = reports.get("postgis", {})
    if "samples" in ours and "samples" in postgis:
        a, b = ours["samples"], postgis["samples"]
        medians = {}
        for temperature in ("cold", "warm"):
            for key, label in (("whole_s", "whole process"), ("work_s", "in-process")):
                ratios = pair_ratios(a, b, temperature, key)
                medians[(temperature, key)] = median(ratios)
                print(
                    f"ours ÷ PostGIS, {temperature} {label}: median {_fmt(median(ratios))} of {_times(ratios)}"
                )
        for temperature in ("cold", "warm"):
            ratios = pair_ratios(a, b, temperature, "cpu_s")
            print(
                f"ours ÷ PostGIS, {temperature} CPU seconds (ours: its process and those it started; PostGIS: "
                f"client + server backend + parallel workers): median {_fmt(median(ratios))} of {_times(ratios)}"
            )
        for k in sorted({s["round"] for s in a}):
            pairs = []
            for temperature in ("cold", "warm"):
                mine = [s for s in a if s["round"] == k and s["temperature"] == temperature]
                theirs = [s for s in b if s["round"] == k and s["temperature"] == temperature]
                if mine and theirs and "error" not in mine[0] and "error" not in theirs[0]:
                    m, t = mine[0], theirs[0]
                    pairs.append(
                        f"{temperature} ours {m['whole_s']:.2f} s (load {m['load']:.1f}) · PostGIS "
                        f"{t['whole_s']:.2f} s (load {t['load']:.1f}) {_ratio(m['whole_s'], t['whole_s'])}"
                    )
            print(f"  round {k + 1}: " + "; ".join(pairs))
        time_ok = all(v is not None and v <= 1.0 for v in medians.values())
        memory_ok = ours["rss_mb"] < memory_bar_mb
        print(
            f"bar (issue 12): time at or under PostGIS (medians, cold and warm, whole and in-process) "
            f"{'met' if time_ok else 'NOT MET'}; memory {ours['rss_mb']:,.0f} MB under {memory_bar_mb:,.0f} MB "
            f"{'met' if memory_ok else 'NOT MET'}"
        )
    for name in ("geopandas-sjoin", "geopandas-best", "geopandas-overlay"):
        r = reports.get(name, {})
        if ours.get("warm_work") and r.get("warm_work"):
            print(
                f"{name} ÷ ours: in-process warm {_ratio(r['warm_work'], ours['warm_work'])}, "
                f"whole warm {_ratio(r['warm_whole'], ours['warm_whole'])}, "
                f"memory {_ratio(r['rss_mb'], ours['rss_mb'])}"
            )
