"""Constraint layers (永久基本农田, 生态保护红线, 城镇开发边界) checked against reserve parcels, straight from files.

Each layer comes with its rule: ``must_not_intersect`` (the parcel may not take any of it: farmland, red
line) or ``must_lie_within`` (the parcel must lie wholly inside it: the urban development boundary). The
check gives, per parcel, the area shared with the layer (m², ``Decimal`` at the output) and its share of
the parcel, and turns violations into audit findings with Chinese messages.

The shared areas come from :mod:`landreserve.gis.constraint_areas` (read straight from the file, fast on
a million-polygon layer).

By default the shared area is the sum over the features, right for a topologically clean layer whose
features do not overlap each other; with ``dissolve=True`` it is the area covered by their union
(slower), for layers that overlap themselves.

Public API
----------
``Rule``: ``MUST_NOT_INTERSECT`` / ``MUST_LIE_WITHIN``.
``ConstraintLayer(path, rule, label=None, layer=None, crs=None, dissolve=False)``: a layer file and its rule.
``layer_areas(geometries, path, parcels_crs, layer=None, layer_crs=None, dissolve=False) -> LayerAreas``:
    the NumPy core (float m² per parcel, features touched); used by the benchmark.
``check_layer(parcels, layer_path, rule, layer_name=None, crs_of_parcels="EPSG:4535", label=None,
    layer_crs=None, dissolve=False) -> list[ConstraintResult]``: one result per parcel (``code``,
    ``intersect_area_m2``, ``parcel_area_m2``, ``share``, ``violation_area_m2``, ``violates``).
``findings_for(results, tolerance_m2=Decimal("1")) -> list[Finding]``: findings for the violations.
``check_layers(parcels, layers, crs_of_parcels) -> list[Finding]``: all layers at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from pyproj import CRS

from landreserve.domain.findings import Finding, Severity
from landreserve.gis.constraint_areas import (  # noqa: F401  (part of this module's API)
    DEFAULT_PARCELS_CRS,
    MAX_PLAIN_VERTICES,
    LayerAreas,
    layer_areas,
    projected_crs,
    to_decimal,
)
from landreserve.gis.progress import Progress


class Rule(StrEnum):
    """What a constraint layer demands of a reserve parcel."""

    MUST_NOT_INTERSECT = "must_not_intersect"
    MUST_LIE_WITHIN = "must_lie_within"


RULE_TEXT = {Rule.MUST_NOT_INTERSECT: "不得占用", Rule.MUST_LIE_WITHIN: "须位于其内"}


@dataclass(frozen=True)
class ConstraintLayer:
    """A layer file and its rule; ``label`` names it in messages (default: the file's stem)."""

    path: Path
    rule: Rule
    label: str | None = None
    layer: str | None = None
    crs: str | int | None = None
    dissolve: bool = False


@dataclass(frozen=True)
class ConstraintResult:
    """One parcel against one layer. Areas in ㎡, ``share`` = intersected / parcel area (0–1)."""

    code: str
    layer: str
    rule: Rule
    intersect_area_m2: Decimal
    parcel_area_m2: Decimal
    share: Decimal
    features: int

    @property
    def violation_area_m2(self) -> Decimal:
        """The area that breaks the rule: inside the layer, or outside it for ``must_lie_within``."""
        if self.rule is Rule.MUST_NOT_INTERSECT:
            return self.intersect_area_m2
        return max(self.parcel_area_m2 - self.intersect_area_m2, Decimal(0))

    @property
    def violates(self) -> bool:
        return self.violation_area_m2 > 0


def check_layer(
    parcels: Mapping[str, object],
    layer_path: str | Path,
    rule: Rule | str,
    layer_name: str | None = None,
    crs_of_parcels: str | int | CRS = DEFAULT_PARCELS_CRS,
    *,
    label: str | None = None,
    layer_crs: str | int | CRS | None = None,
    dissolve: bool = False,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
    index_times: dict[str, float] | None = None,
) -> list[ConstraintResult]:
    """Check every parcel against one constraint layer file.

    Parameters
    ----------
    parcels
        Parcel code → Shapely polygon or multipolygon in ``crs_of_parcels`` (projected, metres).
    layer_path, layer_name
        The layer file and the layer in it (the only one when ``None``).
    rule
        ``"must_not_intersect"`` or ``"must_lie_within"``.
    label
        Name of the layer in results and messages, e.g. ``"永久基本农田"`` (default: the file's stem).
    layer_crs, dissolve, cache_dir, progress
        As for :func:`layer_areas`.
    index_times
        When given, gets ``{label: seconds}`` when the layer's spatial index was built now (one-time cost).

    Returns
    -------
    list[ConstraintResult]
        One per parcel, in the order of ``parcels``.

    Examples
    --------
    >>> results = check_layer({"BC-CB2026001": polygon}, "farmland.gpkg", "must_not_intersect")  # doctest: +SKIP
    >>> findings_for(results)  # doctest: +SKIP
    """
    rule = Rule(rule)
    codes = list(parcels)
    areas = layer_areas(
        list(parcels.values()),
        layer_path,
        crs_of_parcels,
        layer=layer_name,
        layer_crs=layer_crs,
        dissolve=dissolve,
        cache_dir=cache_dir,
        progress=progress,
    )
    name = label or Path(layer_path).stem
    if index_times is not None and areas.index_seconds is not None:
        index_times[name] = areas.index_seconds
    return [
        result_of(code, name, rule, inter, total, int(n))
        for code, inter, total, n in zip(
            codes, areas.intersect_m2, areas.parcel_m2, areas.features, strict=True
        )
    ]


def result_of(
    code: str, layer: str, rule: Rule, intersect: float, total: float, features: int
) -> ConstraintResult:
    """One parcel's result from its float areas (m²); used by the file-based and the PostGIS checks."""
    if total < intersect <= total * (1 + 1e-9):
        intersect = (
            total  # summing the pieces of a parcel inside a cut feature can pass it by a rounding error
        )
    share = to_decimal(intersect / total) if total > 0 else Decimal(0)
    return ConstraintResult(code, layer, rule, to_decimal(intersect), to_decimal(total), share, features)


def findings_for(results: Iterable[ConstraintResult], tolerance_m2: Decimal = Decimal("1")) -> list[Finding]:
    """Findings for the parcels that break their layer's rule.

    A violation of at most ``tolerance_m2`` ㎡ (digitising noise along a shared boundary) is a warning,
    a larger one an error.
    """
    return [_finding(r, tolerance_m2) for r in results if r.violates]


def _area_text(area: Decimal) -> str:
    return f"{area.quantize(Decimal('0.01'))} ㎡（{(area / 10000).quantize(Decimal('0.0001'))} 公顷，{(area * 15 / 10000).quantize(Decimal('0.01'))} 亩）"


def _finding(result: ConstraintResult, tolerance_m2: Decimal) -> Finding:
    area = result.violation_area_m2
    share = (area / result.parcel_area_m2 * 100) if result.parcel_area_m2 else Decimal(0)
    pct = f"{share.quantize(Decimal('0.01'))}%"
    if result.rule is Rule.MUST_NOT_INTERSECT:
        code = "gis.constraint.intersects"
        text = (
            f"地块 {result.code} 与「{result.layer}」相交 {_area_text(area)}，占地块面积 {pct}"
            f"（涉及 {result.features} 个图斑）。「{result.layer}」不得占用：请调整地块边界，或核实图层与界址。"
        )
    else:
        code = "gis.constraint.outside"
        text = (
            f"地块 {result.code} 有 {_area_text(area)}位于「{result.layer}」之外，占地块面积 {pct}。"
            f"地块须全部位于「{result.layer}」内：请调整地块边界，或核实图层与界址。"
        )
    severity = Severity.ERROR if area > tolerance_m2 else Severity.WARNING
    values = {
        "parcel": result.code,
        "layer": result.layer,
        "rule": result.rule.value,
        "violation_area_m2": str(area),
        "intersect_area_m2": str(result.intersect_area_m2),
        "parcel_area_m2": str(result.parcel_area_m2),
        "share": str(result.share),
    }
    return Finding(code=code, severity=severity, message=text, values=values)


def check_layers(
    parcels: Mapping[str, object],
    layers: Iterable[ConstraintLayer],
    crs_of_parcels: str | int | CRS = DEFAULT_PARCELS_CRS,
    tolerance_m2: Decimal = Decimal("1"),
) -> list[Finding]:
    """Findings of all ``layers`` for ``parcels`` (layer by layer, parcels in input order)."""
    findings: list[Finding] = []
    for layer in layers:
        results = check_layer(
            parcels,
            layer.path,
            layer.rule,
            layer.layer,
            crs_of_parcels,
            label=layer.label,
            layer_crs=layer.crs,
            dissolve=layer.dissolve,
        )
        findings.extend(findings_for(results, tolerance_m2))
    return findings
