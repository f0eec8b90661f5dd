"""Benchmark: spatial checks straight from the files — ours against GeoPandas (sjoin, overlay) and PostGIS.

On the deterministic synthetic county of :mod:`benchmarks.synthetic_county` (all GeoPackages, EPSG:4535):

- ``farmland``: 10,000 reserve parcels × 1,000,000 farmland polygons — the area of each parcel on farmland;
- ``redline``:  the same parcels × a dozen huge red-line polygons with holes;
- ``self``:     overlaps among 100,000 reserve parcels — every overlapping pair with its area.

Contenders, each in its own Python process (so that its peak RSS is its own — ``VmHWM``, as
``ru_maxrss`` inherits the parent's peak across ``vfork`` + ``exec``):

- ``ours``: ``landreserve.gis.constraints.layer_areas`` / ``landreserve.gis.overlaps.overlap_pairs``;
- ``geopandas-sjoin``: ``read_file`` (pyogrio, Arrow) + ``sjoin(predicate="intersects")`` + vectorised
  ``intersection().area`` + group sums;
- ``geopandas-overlay``: ``read_file`` + ``overlay(how="intersection")`` + group sums;
- ``postgis``: the files loaded into PostGIS (binary COPY of EWKB into UNLOGGED tables, GiST indexes,
  ANALYZE; red line also ``ST_Subdivide``-d), then one tuned query (``ST_Intersects`` join,
  ``ST_ContainsProperly`` shortcuts, parallel workers as the server allows). Load and query times are
  reported separately; its memory is the client's only (the server's is not measured).

Wall time runs from opening the files to the per-parcel (or per-pair) result, imports excluded (shown
apart), best of ``--repeat`` runs (PostGIS: files loaded once, query repeated); the Python heap peak
comes from one more run under ``tracemalloc``. All results
are checked against ours: per-parcel areas (and per-pair areas for ``self``) must agree within 1e-9 of
the parcel's area. The file pages are read once before the runs so every contender starts warm.

Run ``python -m benchmarks.spatial`` (full size) or ``python -m benchmarks.spatial --small`` (1,000 ×
50,000, self-overlap on 10,000); ``--cases``/``--contenders`` pick a subset. PostGIS: the local server at
127.0.0.1:5432 (user ``postgres``, trust) gets a database ``landreserve_bench``; when the extension is
missing the benchmark installs ``postgresql-<major>-postgis-3`` with apt-get (root only), and otherwise
skips PostGIS with a message saying what to install.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from benchmarks.spatial_postgis import postgis_drop, postgis_prepare
from benchmarks.spatial_results import canonical_pairs, per_parcel

CASES = ("farmland", "redline", "self")
CONTENDERS = ("ours", "geopandas-sjoin", "geopandas-overlay", "postgis")
REL_TOLERANCE = 1e-9
SRID = 4535


# --- the contenders (run in the child process) -------------------------------------------------------


def ours_layer(parcels_path: Path, layer_path: Path) -> np.ndarray:
    from landreserve.gis.constraints import layer_areas
    from landreserve.gis.layers import open_layer, read_all

    _, parcels, _ = read_all(open_layer(parcels_path))
    return layer_areas(parcels, layer_path, f"EPSG:{SRID}").intersect_m2


def ours_self(parcels_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from landreserve.gis.layers import open_layer, read_all
    from landreserve.gis.overlaps import overlap_pairs

    _, parcels, _ = read_all(open_layer(parcels_path))
    return overlap_pairs(parcels)


def _read_gdf(path: Path):
    import geopandas

    return geopandas.read_file(path, engine="pyogrio", use_arrow=True)


def geopandas_sjoin_layer(parcels_path: Path, layer_path: Path) -> np.ndarray:
    import geopandas

    parcels, layer = _read_gdf(parcels_path), _read_gdf(layer_path)
    pairs = geopandas.sjoin(parcels, layer, predicate="intersects", how="inner")
    left = pairs.index.to_numpy()
    right = pairs["index_right"].to_numpy()
    shared = parcels.geometry.values[left].intersection(layer.geometry.values[right]).area
    return per_parcel(left, shared, len(parcels))


def geopandas_overlay_layer(parcels_path: Path, layer_path: Path) -> np.ndarray:
    import geopandas

    parcels, layer = _read_gdf(parcels_path), _read_gdf(layer_path)
    parcels["parcel_row"] = np.arange(len(parcels))
    pieces = geopandas.overlay(parcels[["parcel_row", "geometry"]], layer[["geometry"]], how="intersection")
    return per_parcel(pieces["parcel_row"].to_numpy(), pieces.geometry.area.to_numpy(), len(parcels))


def geopandas_sjoin_self(parcels_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import geopandas

    parcels = _read_gdf(parcels_path)
    pairs = geopandas.sjoin(parcels, parcels, predicate="intersects", how="inner")
    i, j = pairs.index.to_numpy(), pairs["index_right"].to_numpy()
    keep = i < j
    geoms = parcels.geometry.values
    shared = geoms[i[keep]].intersection(geoms[j[keep]]).area
    return canonical_pairs(i[keep], j[keep], shared)


def geopandas_overlay_self(parcels_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import geopandas

    parcels = _read_gdf(parcels_path)
    parcels["row"] = np.arange(len(parcels))
    pieces = geopandas.overlay(parcels[["row", "geometry"]], parcels[["row", "geometry"]], how="intersection")
    return canonical_pairs(
        pieces["row_1"].to_numpy(), pieces["row_2"].to_numpy(), pieces.geometry.area.to_numpy()
    )


# --- PostGIS --------------------------------------------------------------------------------------------


def _work(contender: str, case: str, parcels: Path, layer: Path | None):
    """The whole work of a contender as a function (reading the files included) and its extra timings."""
    if contender == "postgis":
        query, loaded = postgis_prepare(case, parcels, layer)
        return query, {"load_seconds": loaded}
    table = {
        ("ours", False): lambda: ours_layer(parcels, layer),
        ("ours", True): lambda: ours_self(parcels),
        ("geopandas-sjoin", False): lambda: geopandas_sjoin_layer(parcels, layer),
        ("geopandas-sjoin", True): lambda: geopandas_sjoin_self(parcels),
        ("geopandas-overlay", False): lambda: geopandas_overlay_layer(parcels, layer),
        ("geopandas-overlay", True): lambda: geopandas_overlay_self(parcels),
    }
    return table[(contender, case == "self")], {}


def _imports(contender: str) -> None:
    if contender == "ours":
        import landreserve.gis.constraints  # noqa: F401
        import landreserve.gis.overlaps  # noqa: F401
    elif contender.startswith("geopandas"):
        import geopandas  # noqa: F401
    else:
        import psycopg  # noqa: F401
        import pyogrio.raw  # noqa: F401
        import shapely  # noqa: F401


def peak_rss_mb() -> float:
    """This process's own peak resident memory.

    ``VmHWM`` of ``/proc/self/status`` where it exists: ``ru_maxrss`` keeps the parent's peak across
    ``vfork`` + ``exec`` (as ``subprocess`` starts children), so it would show the orchestrator's memory.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(
    contender: str, case: str, parcels: Path, layer: Path | None, out: Path, repeat: int, trace: bool
) -> None:
    """Run one contender ``repeat`` times, save its result to ``out`` (.npz), print its measurements (JSON).

    For PostGIS the files are loaded once and the query repeated.
    """
    started = time.perf_counter()
    _imports(contender)
    imported = time.perf_counter()
    work, extra = _work(contender, case, parcels, layer)
    runs = []
    for _ in range(repeat):
        run_started = time.perf_counter()
        result = work()
        runs.append(time.perf_counter() - run_started)
    rss_mb = peak_rss_mb()
    if contender == "postgis":
        postgis_drop()
    heap_mb = None
    if trace and contender != "postgis":
        tracemalloc.start()
        work()
        heap_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    arrays = dict(zip(("i", "j", "area"), result, strict=True)) if case == "self" else {"area": result}
    np.savez(out, **arrays)
    report = {"import_seconds": imported - started, "seconds": min(runs), "runs": runs, "rss_mb": rss_mb}
    print(json.dumps(report | {"heap_mb": heap_mb} | extra))


# --- parent: orchestrate, compare, print ---------------------------------------------------------------


def run_contender(
    contender: str, case: str, parcels: Path, layer: Path | None, repeat: int, trace: bool
) -> dict:
    """Run one contender in a fresh Python process; its measurements and its result arrays."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.npz"
        command = [sys.executable, "-m", "benchmarks.spatial", "--child", contender, case, str(parcels)]
        command += [str(layer or "-"), str(out), "--repeat", str(repeat)] + (
            ["--tracemalloc"] if trace else []
        )
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent
        )
        if done.returncode != 0:
            return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
        report = json.loads(done.stdout.strip().splitlines()[-1])
        with np.load(out) as data:
            report["result"] = {k: data[k] for k in data.files}
    return report


def parcel_areas(path: Path) -> np.ndarray:
    import shapely

    from landreserve.gis.layers import open_layer, read_all

    return shapely.area(read_all(open_layer(path))[1])


def disagreement(reference: dict, other: dict, own_areas: np.ndarray, case: str) -> float:
    """Largest difference between two results, relative to the parcel's (the smaller parcel's) area."""
    if case != "self":
        return float(np.max(np.abs(reference["area"] - other["area"]) / own_areas, initial=0.0))
    pairs = {}
    for side, result in ((0, reference), (1, other)):
        for i, j, a in zip(result["i"].tolist(), result["j"].tolist(), result["area"].tolist(), strict=True):
            pairs.setdefault((i, j), [0.0, 0.0])[side] = a
    return max(
        (abs(a - b) / min(own_areas[i], own_areas[j]) for (i, j), (a, b) in pairs.items()),
        default=0.0,
    )


def warm(paths: list[Path]) -> None:
    """Read every file once so that all contenders find its pages in the cache."""
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass


def _fmt(value, digits=2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def print_case(case: str, title: str, reports: dict[str, dict]) -> None:
    print(f"\n## {case}: {title}")
    header = f"{'contender':<18} {'time s':>8} {'import s':>8} {'peak RSS MB':>11} {'py heap MB':>10}"
    print(header + f" {'time ×ours':>10} {'RSS ×ours':>9}  agreement / notes")
    ours = reports.get("ours", {})
    for name, r in reports.items():
        if "error" in r:
            print(f"{name:<18} failed: {r['error']}")
            continue
        seconds = r["seconds"]
        ratio = seconds / ours["seconds"] if ours.get("seconds") else None
        rss_ratio = r["rss_mb"] / ours["rss_mb"] if ours.get("rss_mb") else None
        note = r.get("agreement", "")
        if "load_seconds" in r:
            note += f"; query only — load {r['load_seconds']:.1f} s; RSS is the client's"
        print(
            f"{name:<18} {seconds:>8.3f} {r['import_seconds']:>8.2f} {r['rss_mb']:>11,.0f} {_fmt(r['heap_mb'], 1):>10}"
            f" {_fmt(ratio):>10} {_fmt(rss_ratio):>9}  {note}"
        )


def run_case(case: str, county, self_parcels: Path, contenders: list[str], repeat: int, trace: bool) -> bool:
    parcels = self_parcels if case == "self" else county.parcels
    layer = {"farmland": county.farmland, "redline": county.redline, "self": None}[case]
    own = parcel_areas(parcels)
    title = f"{len(own):,} parcels" + (f" × {layer.name}" if layer else " against each other")
    reports = {name: run_contender(name, case, parcels, layer, repeat, trace) for name in contenders}
    agree = all("error" not in r for r in reports.values())
    reference = reports.get("ours", {}).get("result")
    for name, r in reports.items():
        if "result" not in r or reference is None:
            continue
        worst = disagreement(reference, r["result"], own, case)
        ok = worst <= REL_TOLERANCE
        agree &= ok
        r["agreement"] = (
            "reference" if name == "ours" else f"{'agree' if ok else 'DISAGREE'} (max rel {worst:.1e})"
        )
    print_case(case, title, reports)
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="1,000 × 50,000; self-overlap on 10,000 parcels")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma separated, of {', '.join(CASES)}")
    parser.add_argument("--contenders", default=",".join(CONTENDERS), help=f"of {', '.join(CONTENDERS)}")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per contender, the best counts (default 3)"
    )
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the extra, traced run")
    parser.add_argument(
        "--child", nargs=5, metavar=("CONTENDER", "CASE", "PARCELS", "LAYER", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    if args.child:
        contender, case, parcels, layer, out = args.child
        layer_path = None if layer == "-" else Path(layer)
        child(contender, case, Path(parcels), layer_path, Path(out), max(1, args.repeat), args.tracemalloc)
        return 0
    from benchmarks import synthetic_county

    n_parcels, n_farmland, n_self = (1_000, 50_000, 10_000) if args.small else (10_000, 1_000_000, 100_000)
    county = synthetic_county.build(n_parcels, n_farmland)
    self_parcels = synthetic_county.build(n_self, n_farmland).parcels
    warm([county.parcels, county.farmland, county.redline, self_parcels])
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (2 cores shared)")
    cases = [c for c in args.cases.split(",") if c]
    contenders = [c for c in args.contenders.split(",") if c]
    trace = not args.no_tracemalloc
    agree = all(
        [run_case(case, county, self_parcels, contenders, max(1, args.repeat), trace) for case in cases]
    )
    print(f"\nload average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
