"""Benchmark: spatial checks straight from the files, every layer format, cold and warm — ours against
GeoPandas (naive and at its best) and PostGIS.

On the deterministic synthetic county of :mod:`benchmarks.synthetic_county` (EPSG:4535). Cases:

- ``farmland-<format>``: reserve parcels × farmland polygons — the area of each parcel on farmland — with
  the farmland layer as each format on its own: ``gpkg`` (with R-tree), ``gpkg-nortree``, ``shp`` (no
  index), ``shp-qix``, ``geojson``, ``fgb`` (packed R-tree);
- ``redline``: the same parcels × a dozen huge red-line polygons with holes (GeoPackage);
- ``self``: overlaps among the reserve parcels — every overlapping pair with its area (GeoPackage).

Sizes (``--size``): ``small`` 1,000 × 50,000, self-overlap on 10,000 (a few minutes); ``medium`` (default)
10,000 × 1,000,000, self-overlap on 100,000; ``province`` 100,000 × 1,000,000, self-overlap on 1,000,000
(cases ``farmland-gpkg`` and ``self`` only, unless ``--cases`` says otherwise).

Contenders, each run in fresh Python processes:

- ``ours``: ``landreserve.gis.constraints.layer_areas`` / ``landreserve.gis.overlaps.layer_overlap_pairs``.
  A layer without spatial index is first indexed into an empty layer cache, in a process of its own: that
  one-time cost is the ``index/load`` column, and the other runs use the cache;
- ``geopandas-sjoin``: ``read_file`` (pyogrio, Arrow, every column) + ``sjoin(predicate="intersects")`` +
  vectorised ``intersection().area`` + group sums — how GeoPandas is usually used;
- ``geopandas-best``: GeoPandas in its best form: ``columns=[]``, Arrow, ``bbox=`` the parcels' extent (GDAL
  uses the file's index where it has one), then ``sindex.query`` + vectorised areas. Reading only each
  parcel's R-tree candidates (``bbox=`` per batch, ``fids=``, ``where=``) was measured and is slower through
  GDAL (see :func:`best_candidates`);
- ``geopandas-overlay``: ``read_file`` + ``overlay(how="intersection")`` (``farmland-gpkg``, ``redline``,
  ``self``; not at province size);
- ``postgis``: the files loaded once into PostGIS (binary COPY of EWKB into UNLOGGED tables, GiST indexes,
  ANALYZE; red line ``ST_Subdivide``-d) in a process of its own (``index/load``), then the tuned query in
  fresh processes. The loaded farmland is the same whatever the file's format, so it is loaded once (from
  the GeoPackage) for every ``farmland-*`` case — but each case runs its own PostGIS samples, beside ours.
  Its memory is the client's; the server's is not measured.

**Ours and PostGIS interleaved** (:mod:`benchmarks.spatial_pairs`): ``--repeat`` rounds (default 3), each
a **cold** pair — every file both read (layer, parcels, our cache, PostGIS's relation files) evicted from
the page cache with ``posix_fadvise(DONTNEED)`` first (``mincore`` shows what is left) and, for PostGIS,
the server's shared buffers filled with another table's pages (``pg_prewarm``; ``pg_buffercache`` shows
what is left of the case's) — then a **warm** pair; within a pair one sample of ours right beside one of
PostGIS, who goes first alternating by round. The 1-minute load is recorded at each sample; the figure
reported is the **median of the per-pair ratios** ours ÷ PostGIS, so a machine that gets busier during the
run slows both alike. The GeoPandas contenders run one cold and one warm run each. Per run: ``whole``, the
wall time of the whole process seen by the parent (interpreter start, imports, reading, work, exit), and
``work``, the same run timed inside the process from opening the files to the result (imports excluded);
medians over the runs. ``VmHWM MB`` is the highest over the runs of the child's own peak resident memory
(``/proc/self/status``) plus the peak of every process it started (worker processes, their
``forkserver``), sampled by the parent every 20 ms. ``CPU`` is the run's CPU seconds, which the load does not
stretch: ours's process and every process it started; PostGIS's client plus the server's backend and parallel
workers that served it (sampled from ``/proc``; nothing else may use the benchmark database meanwhile). Ours also prints the work it did (box candidates,
meeting pairs, intersections, containments). Every result of every run is checked against ours: per-parcel
areas (and per-pair areas for ``self``) must agree within 1e-9 of the (smaller) parcel's area. The bars of
issue 12 are printed per case: ours at or under PostGIS (every median ratio ≤ 1) and memory under 300 MB
(layer checks of 10,000 parcels) or 1 GB (self-overlap, province size).

Run ``python -m benchmarks spatial -- --size small``; ``--cases``/``--contenders`` pick a subset.
PostGIS: the local server at 127.0.0.1:5432 (user ``postgres``, trust), database ``landreserve_bench``;
without the extension PostGIS is skipped with a message saying what to install.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

from benchmarks._process import load_text, peak_rss_mb, warm
from benchmarks.spatial_pairs import TEMPERATURES, interleave, median, of, run_tree, scheduler_text
from benchmarks.spatial_report import print_case
from benchmarks.spatial_results import canonical_pairs, per_parcel

FORMATS = ("gpkg", "gpkg-nortree", "shp", "shp-qix", "geojson", "fgb")
CASES = tuple(f"farmland-{f}" for f in FORMATS) + ("redline", "self")
CONTENDERS = ("ours", "geopandas-sjoin", "geopandas-best", "geopandas-overlay", "postgis")
#: (parcels, farmland polygons, parcels of the self-overlap case) by size
SIZES = {
    "small": (1_000, 50_000, 10_000),
    "medium": (10_000, 1_000_000, 100_000),
    "province": (100_000, 1_000_000, 1_000_000),
}
PROVINCE_CASES = ("farmland-gpkg", "self")
OVERLAY_CASES = ("farmland-gpkg", "redline", "self")
REL_TOLERANCE = 1e-9
SRID = 4535


# --- the contenders (run in the child process) -------------------------------------------------------


def ours_layer(parcels_path: Path, layer_path: Path, cache_dir: Path | None = None) -> np.ndarray:
    from landreserve.gis.constraints import layer_areas
    from landreserve.gis.layers import open_layer, read_all

    _, parcels, _ = read_all(open_layer(parcels_path))
    return layer_areas(parcels, layer_path, f"EPSG:{SRID}", cache_dir=cache_dir).intersect_m2


def ours_index(layer_path: Path, cache_dir: Path) -> float | None:
    """Build the layer's cache (nothing for an indexed GeoPackage); the seconds it took."""
    from landreserve.gis.layers import indexed_layer

    source = indexed_layer(layer_path, cache_dir=cache_dir)
    return source.cache.built_seconds if source.cache is not None else None


#: what ours did in this child (``OverlapWork`` of the self-overlap), for the report
WORK: dict = {}


def ours_self(parcels_path: Path, cache_dir: Path | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from dataclasses import asdict

    from landreserve.gis.overlaps import OverlapWork, layer_overlap_pairs

    work = OverlapWork()
    result = layer_overlap_pairs(parcels_path, cache_dir=cache_dir, work=work)
    WORK.update(asdict(work))
    return result


def _read_gdf(path: Path, **options):
    import geopandas

    return geopandas.read_file(path, engine="pyogrio", use_arrow=True, **options)


def geopandas_sjoin_layer(parcels_path: Path, layer_path: Path) -> np.ndarray:
    import geopandas

    parcels, layer = _read_gdf(parcels_path), _read_gdf(layer_path)
    pairs = geopandas.sjoin(parcels, layer, predicate="intersects", how="inner")
    left = pairs.index.to_numpy()
    right = pairs["index_right"].to_numpy()
    shared = parcels.geometry.values[left].intersection(layer.geometry.values[right]).area
    return per_parcel(left, shared, len(parcels))


def best_candidates(layer_path: Path, fmt: str, bounds: np.ndarray):
    """The layer's features GeoPandas at its best reads for parcels of these ``bounds``: no attributes
    (``columns=[]``), Arrow, and ``bbox=`` the parcels' extent, which GDAL searches with the file's spatial
    index where it has one (GeoPackage R-tree, FlatGeobuf, ``.qix``).

    Reading only each parcel's R-tree candidates was measured slower through GDAL (10,000 parcels ×
    1,000,000 polygons, GeoPackage): ``bbox=`` reads of Z-ordered batches of 200 / 20 / 5 parcels 20.5 /
    20.8 / 35.6 s (a read costs ~15 ms, and big batches' boxes cover most of the layer), ``fids=`` of the
    candidates over 100 s, ``where="fid IN (…)"`` over 10 minutes — against about 4 s for this one read.
    """
    import pyogrio

    del fmt  # the same read for every format; GDAL picks the index
    extent = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
    return pyogrio.read_dataframe(layer_path, bbox=extent, columns=[], use_arrow=True)


def geopandas_best_layer(parcels_path: Path, layer_path: Path, fmt: str = "gpkg") -> np.ndarray:
    parcels = _read_gdf(parcels_path, columns=[]).geometry.values
    layer = best_candidates(layer_path, fmt, parcels.bounds).geometry.values
    right, left = layer.sindex.query(parcels, predicate="intersects")[::-1]
    shared = parcels[left].intersection(layer[right]).area
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


def geopandas_best_self(parcels_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    geoms = _read_gdf(parcels_path, columns=[]).geometry.values
    i, j = geoms.sindex.query(geoms, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    return canonical_pairs(i, j, geoms[i].intersection(geoms[j]).area)


def geopandas_overlay_self(parcels_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import geopandas

    parcels = _read_gdf(parcels_path)
    parcels["row"] = np.arange(len(parcels))
    pieces = geopandas.overlay(parcels[["row", "geometry"]], parcels[["row", "geometry"]], how="intersection")
    return canonical_pairs(
        pieces["row_1"].to_numpy(), pieces["row_2"].to_numpy(), pieces.geometry.area.to_numpy()
    )


def _imports(contender: str) -> None:
    if contender.startswith("ours"):
        import landreserve.gis.constraints  # noqa: F401
        import landreserve.gis.overlaps  # noqa: F401
    elif contender.startswith("geopandas"):
        import geopandas  # noqa: F401
        import pyogrio  # noqa: F401
    else:  # the query needs the client only; the load also reads the files
        import psycopg  # noqa: F401

        if contender == "postgis-load":
            import pyogrio.raw  # noqa: F401
            import shapely  # noqa: F401


def _work(contender: str, case: str, parcels: Path, layer: Path | None, cache: Path | None):
    """The whole work of one run of a contender (reading the files included), as a function."""
    if contender == "postgis":
        from benchmarks.spatial_postgis import postgis_query

        return postgis_query(case)
    fmt = case.removeprefix("farmland-") if case.startswith("farmland-") else "gpkg"
    table = {
        ("ours", False): lambda: ours_layer(parcels, layer, cache),
        ("ours", True): lambda: ours_self(parcels, cache),
        ("geopandas-sjoin", False): lambda: geopandas_sjoin_layer(parcels, layer),
        ("geopandas-sjoin", True): lambda: geopandas_sjoin_self(parcels),
        ("geopandas-best", False): lambda: geopandas_best_layer(parcels, layer, fmt),
        ("geopandas-best", True): lambda: geopandas_best_self(parcels),
        ("geopandas-overlay", False): lambda: geopandas_overlay_layer(parcels, layer),
        ("geopandas-overlay", True): lambda: geopandas_overlay_self(parcels),
    }
    return table[(contender, case == "self")]


def child(
    contender: str, case: str, parcels: Path, layer: Path | None, out: Path, cache: Path | None
) -> None:
    """One run of one contender in this process: save its result to ``out`` (.npz), print its figures (JSON).

    ``ours-index`` builds the layer cache; ``postgis-load`` loads the files into PostGIS (kept for the runs).
    """
    started = time.perf_counter()
    _imports(contender)
    imported = time.perf_counter()
    report: dict = {"import_s": imported - started}
    if contender == "ours-index":
        built = ours_index(parcels if case == "self" else layer, cache)
        report["index_s"] = built
    elif contender == "postgis-load":
        from benchmarks.spatial_postgis import postgis_load_case

        report["load_s"] = postgis_load_case(case, parcels, layer)
    else:
        work = _work(contender, case, parcels, layer, cache)
        result = work()
        report["work_s"] = time.perf_counter() - imported
        arrays = dict(zip(("i", "j", "area"), result, strict=True)) if case == "self" else {"area": result}
        np.savez(out, **arrays)
    report["own_mb"] = peak_rss_mb()
    if WORK:  # the workers' own figures, beside the parent's sampling of every process this one started
        report["work"] = WORK
    print(json.dumps(report))


# --- parent: orchestrate, compare, print ---------------------------------------------------------------


def run_once(contender: str, case: str, parcels: Path, layer: Path | None, cache: Path | None) -> dict:
    """One run of ``contender`` in a fresh Python process: its figures and its result arrays (for PostGIS,
    the CPU seconds of the server's processes that served it are added to the client's)."""
    server = None
    if contender == "postgis":
        from benchmarks.spatial_postgis import PG_DATABASE, postmaster_pid

        pid = postmaster_pid()
        server = (pid, PG_DATABASE) if pid else None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.npz"
        command = [sys.executable, "-m", "benchmarks.spatial", "--child", contender, case, str(parcels)]
        command += [str(layer or "-"), str(out), str(cache or "-")]
        report = run_tree(command, server=server)
        if out.exists():
            with np.load(out) as data:
                report["result"] = {k: data[k] for k in data.files}
    return report


def files_read(
    contender: str, case: str, parcels: Path, layer: Path | None, cache: Path | None
) -> list[Path]:
    """The files a contender's run reads (to evict them before its cold run)."""
    if contender == "postgis":
        from benchmarks.spatial_postgis import relation_files

        return relation_files(case)
    files = [parcels] + ([layer] if layer else [])
    return files + ([cache] if contender == "ours" and cache else [])


def summary(samples: list[dict]) -> dict:
    """A contender's figures on one case from its samples: medians per temperature, the highest memory."""
    if not samples or "error" in samples[-1]:
        return samples[-1] if samples else {"error": "no sample"}
    figures = {
        f"{t}_{k}": median(of(samples, t, f"{k}_s")) for t in TEMPERATURES for k in ("whole", "work", "cpu")
    }
    loads = [s["load"] for s in samples]
    return figures | {
        "import_s": median([s["import_s"] for s in samples]),
        "rss_mb": max(s["rss_mb"] for s in samples),
        "own_mb": max(s["own_mb"] for s in samples),
        "processes": max(s["processes"] for s in samples),
        "cached_before_cold": max([s.get("cached", 0.0) for s in samples]),
        "in_buffers_before_cold": max([s.get("in_buffers", 0.0) for s in samples]),
        "loads": (min(loads), max(loads)),
        "n": len(of(samples, "warm", "whole_s")),
        "work": samples[-1].get("work"),
        "results": [s["result"] for s in samples if "result" in s],
        "samples": [{k: v for k, v in s.items() if k != "result"} for s in samples],
    }


def parcel_areas(path: Path) -> np.ndarray:
    import shapely

    from landreserve.gis.layers import open_layer, read_all

    return shapely.area(read_all(open_layer(path))[1])


def disagreement(reference: dict, other: dict, own_areas: np.ndarray, case: str) -> float:
    """Largest difference between two results, relative to the parcel's (the smaller parcel's) area."""
    if case != "self":
        return float(np.max(np.abs(reference["area"] - other["area"]) / own_areas, initial=0.0))
    n = np.int64(len(own_areas))
    keys = [r["i"].astype(np.int64) * n + r["j"].astype(np.int64) for r in (reference, other)]
    every = np.union1d(*keys)
    areas = []
    for key, result in zip(keys, (reference, other), strict=True):
        value = np.zeros(len(every))
        value[np.searchsorted(every, key)] = result["area"]
        areas.append(value)
    smaller = np.minimum(own_areas[every // n], own_areas[every % n])
    return float(np.max(np.abs(areas[0] - areas[1]) / smaller, initial=0.0))


def memory_bar(case: str, size: str) -> float:
    """The memory ours must stay under (MB): 300 for a layer check of 10,000 parcels, else 1 GB."""
    return 1000.0 if case == "self" or size == "province" else 300.0


def contenders_for(case: str, contenders: list[str], size: str) -> list[str]:
    return [
        c for c in contenders if c != "geopandas-overlay" or (case in OVERLAY_CASES and size != "province")
    ]


def postgis_ready(case: str, county, parcels: Path, layer: Path | None, state: dict) -> dict:
    """Load the case's data into PostGIS unless they are loaded already (every ``farmland-*`` case queries
    the same loaded farmland, loaded from the GeoPackage once); the load's figures, or its error."""
    key = "farmland" if case.startswith("farmland-") else case
    if state.get("loaded") == key:
        return {"load_s": None, "loaded_for": state["loaded_for"]}
    source = county.farmland if key == "farmland" else layer
    loaded = run_once("postgis-load", case, parcels, source, None)
    if "error" not in loaded:
        state.update(loaded=key, loaded_for=case)
    return loaded


def postgis_cold(case: str) -> dict:
    """Before a cold PostGIS run: the server's shared buffers filled with other pages (see
    :func:`benchmarks.spatial_postgis.flush_shared_buffers`); what is left of the case's pages there."""
    from benchmarks.spatial_postgis import flush_shared_buffers

    return {"in_buffers": flush_shared_buffers(case)}


def run_case(
    case: str, county, self_parcels: Path, contenders: list[str], rounds: int, size: str, state: dict
) -> bool:
    """Measure one case: ours and PostGIS interleaved (``rounds`` cold and warm pairs), the other
    contenders one cold and one warm run each; print the figures; whether every result agreed."""
    from benchmarks import synthetic_county

    parcels = self_parcels if case == "self" else county.parcels
    fmt = case.removeprefix("farmland-")
    layer = {"redline": county.redline, "self": None}.get(case)
    if case.startswith("farmland-"):
        layer = synthetic_county.layer_in_format(county.farmland, fmt)
    own = parcel_areas(parcels)
    title = f"{len(own):,} parcels" + (f" × {layer.name} ({fmt})" if layer else " against each other")
    names = contenders_for(case, contenders, size)
    reports: dict[str, dict] = {}
    prepared: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="landreserve-bench-cache-") as cache_dir:
        cache = Path(cache_dir)
        warm([parcels] + ([layer] if layer else []))
        if "ours" in names:
            print(f"  {case}: ours builds its index (when the file has none) …", flush=True)
            prepared["ours"] = run_once("ours-index", case, parcels, layer, cache)
        if "postgis" in names:
            print(f"  {case}: PostGIS loads the data (when not loaded yet) …", flush=True)
            prepared["postgis"] = postgis_ready(case, county, parcels, layer, state)
        failed = {n: r for n, r in prepared.items() if "error" in r}
        reports.update(failed)
        paired = tuple(n for n in ("ours", "postgis") if n in names and n not in failed)

        def run(name: str) -> dict:
            return run_once(name, case, parcels, layer, cache if name == "ours" else None)

        def files(name: str) -> list[Path]:
            return files_read(name, case, parcels, layer, cache if name == "ours" else None)

        say = partial(print, flush=True)
        if paired:
            print(f"  {case}: {' and '.join(paired)} interleaved, {rounds} cold and {rounds} warm pairs …")
            flush = {"postgis": partial(postgis_cold, case)}
            samples = interleave(
                run, paired, {n: files(n) for n in paired}, rounds, before_cold=flush, say=say
            )
            reports.update({n: summary(s) for n, s in samples.items()})
        for name in (n for n in names if n not in ("ours", "postgis")):
            print(f"  {case}: {name}, one cold and one warm run …", flush=True)
            reports[name] = summary(interleave(run, (name,), {name: files(name)}, 1, say=say)[name])
    for name, built in prepared.items():
        if name in reports and "error" not in built:
            reports[name]["prepare_s"] = built.get("index_s") or built.get("load_s")
            reports[name]["prepare_mb"] = built.get("rss_mb")
            reports[name]["loaded_for"] = built.get("loaded_for")
    agree = check_agreement(reports, own, case)
    print_case(case, title, reports, memory_bar(case, size))
    return agree


def check_agreement(reports: dict[str, dict], own: np.ndarray, case: str) -> bool:
    """Every result of every contender against ours's first, per parcel (per pair for ``self``)."""
    agree = all("error" not in r for r in reports.values())
    reference = (reports.get("ours", {}).get("results") or [None])[0]
    for name, r in reports.items():
        if not r.get("results") or reference is None:
            continue
        worst = max(disagreement(reference, result, own, case) for result in r["results"])
        ok = worst <= REL_TOLERANCE
        agree &= ok
        r["agreement"] = (
            f"{'agree' if ok else 'DISAGREE'} (max rel {worst:.1e} over {len(r['results'])} runs)"
        )
        if name == "ours":
            r["agreement"] = f"reference; its {len(r['results'])} runs {r['agreement']}"
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks spatial", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", choices=tuple(SIZES), default="medium", help="small, medium (default), province"
    )
    parser.add_argument("--cases", help=f"comma separated, of {', '.join(CASES)}")
    parser.add_argument("--contenders", default=",".join(CONTENDERS), help=f"of {', '.join(CONTENDERS)}")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds of ours and PostGIS interleaved, each a cold and a warm pair; medians count (3)",
    )
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    if args.child:
        contender, case, parcels, layer, out, cache = args.child
        none = {"-": None}
        layer_path = none.get(layer, Path(layer))
        child(contender, case, Path(parcels), layer_path, Path(out), none.get(cache, Path(cache)))
        return 0
    from benchmarks import synthetic_county

    # a plain kill stops the run cleanly: its children (in sessions of their own) and the PostGIS tables
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    n_parcels, n_farmland, n_self = SIZES[args.size]
    county = synthetic_county.build(n_parcels, n_farmland)
    self_parcels = synthetic_county.build(n_self, n_farmland).parcels
    default_cases = PROVINCE_CASES if args.size == "province" else CASES
    cases = [c for c in (args.cases or ",".join(default_cases)).split(",") if c]
    contenders = [c for c in args.contenders.split(",") if c]
    print(
        f"size {args.size}: {n_parcels:,} parcels × {n_farmland:,} farmland polygons; self-overlap on {n_self:,}"
    )
    print(f"before: {load_text()}; {scheduler_text()}", flush=True)
    state: dict = {}
    try:
        agree = all(
            [
                run_case(c, county, self_parcels, contenders, max(1, args.repeat), args.size, state)
                for c in cases
            ]
        )
    finally:
        if state.get("loaded"):
            from benchmarks.spatial_postgis import postgis_drop

            postgis_drop()
    print(f"\nafter: {load_text()}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
