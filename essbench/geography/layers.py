"""Run-time geometry: a page's territories (their perimeters and communes) and the France outline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple, Sequence

import geopandas as gpd

from essbench.evidence.yamlfiles import once_per_version
from essbench.geography.files import (BY_TERRITORY, OUTLINE, TERRITORY_LAYERS, geometry_files,
                                      split_files)
from essbench.geography.reference import GEO_CRS, load_geojson

__all__ = ["Geometry", "geometry_files", "load_geometry", "load_outline", "split_by_territory"]

class Geometry(NamedTuple):
    """The layers a page draws: its territories' communes and perimeters, and the France outline."""

    communes: gpd.GeoDataFrame
    perimeters: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame


def load_geometry(ref_dir: Path, territories: Sequence[str] | None = None) -> Geometry:
    """The geometry of `territories` (every territory if None) and the France outline.

    Rows are those of the national layers for these territories, in the same order, with a
    fresh index: the same frames as filtering `load_geojson(ref_dir, name)`.

    Examples
    --------
    In the tests' fixture project (tests/fixture_project.py), where the doctests run:

    >>> geometry = load_geometry(Path("data/reference"), ["temoin"])
    >>> sorted(set(geometry.communes["territory_id"]))
    ['temoin']
    """
    ref_dir = Path(ref_dir)
    wanted = None if territories is None else sorted(set(territories))
    layers = {name: _territory_layer(ref_dir, name, wanted) for name in TERRITORY_LAYERS}
    return Geometry(layers["communes"], layers["perimeters"], load_outline(ref_dir))


def load_outline(ref_dir: Path) -> gpd.GeoDataFrame:
    """The départements of metropolitan France, parsed once per process (a copy each call)."""
    # A warm kernel draws page after page, read again only when the file changes. The copy
    # keeps one page's changes to its frame out of the next page.
    return _outline((Path(ref_dir) / f"{OUTLINE}.geojson").resolve()).copy()


@once_per_version
def _outline(path: Path) -> gpd.GeoDataFrame:
    return load_geojson(path.parent, OUTLINE)


def _territory_layer(ref_dir: Path, name: str, wanted: list[str] | None) -> gpd.GeoDataFrame:
    split = split_files(ref_dir, name, wanted)
    if split is None:
        # No split files (a reference folder built before they existed): the national layer,
        # filtered. Same frame, more parsing.
        frame = load_geojson(ref_dir, name)
        if wanted is not None:
            frame = frame[frame["territory_id"].isin(wanted)].reset_index(drop=True)
        return frame
    features = []
    for path in split:
        features += json.loads(path.read_text(encoding="utf-8"))["features"]
    if not features:
        return load_geojson(ref_dir, name).iloc[0:0]
    frame = gpd.GeoDataFrame.from_features(features, crs=GEO_CRS)
    return frame[[c for c in frame.columns if c != "geometry"] + ["geometry"]]


def split_by_territory(ref_dir: Path) -> dict[str, int]:
    """Write territories/<id>/<layer>.geojson from the national layers; features per layer.

    The national files are written one feature per line, so the split copies those lines:
    the same bytes for each feature, no geometry parsed or rounded again.
    """
    ref_dir = Path(ref_dir)
    counts = {}
    folder = ref_dir / BY_TERRITORY
    grouped: dict[str, dict[str, list[str]]] = {}
    for name in TERRITORY_LAYERS:
        lines = (ref_dir / f"{name}.geojson").read_text(encoding="utf-8").splitlines()
        features = [line.rstrip(",") for line in lines[1:-1]]
        for line in features:
            territory = json.loads(line)["properties"]["territory_id"]
            grouped.setdefault(territory, {n: [] for n in TERRITORY_LAYERS})[name].append(line)
        counts[name] = len(features)
    if folder.is_dir():
        for stale in folder.glob("*/*.geojson"):
            if stale.parent.name not in grouped:
                stale.unlink()
    for territory, layers in grouped.items():
        (folder / territory).mkdir(parents=True, exist_ok=True)
        for name, lines in layers.items():
            body = ",\n".join(lines)
            (folder / territory / f"{name}.geojson").write_text(
                '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8")
    return counts
