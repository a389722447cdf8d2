"""`essbench export` gives every figure of the five sources with its quote."""

from __future__ import annotations

import csv
import json

from essbench.cli import main


def test_export_tables(tmp_path, dataset, capsys):
    assert main(["export", "--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"facts.csv", "levers.csv", "themes.csv", "profiles.json", "indicators.csv",
            "data_dictionary.csv"} <= names
    with open(tmp_path / "facts.csv", encoding="utf-8") as stream:
        facts = list(csv.DictReader(stream))
    sourced = [row for row in facts if row["derived"] == "False"]
    expected = sum(len(o.facts) for o in [*dataset.profiles.values(), *dataset.references.values()])
    assert len(sourced) == expected
    assert all(row["quote"] and row["source"] for row in sourced)
    for column in ("territory", "indicator", "value", "unit", "year", "qualifier", "base",
                   "scope", "source", "quote", "derived"):
        assert column in facts[0]
    derived = {(r["territory"], r["indicator"]) for r in facts if r["derived"] == "True"}
    assert ("pas_de_calais", "ess_budget_per_inhabitant_eur") in derived
    assert ("grasse", "ess_budget_per_inhabitant_eur") not in derived  # unknown, not invented
    levers = list(csv.DictReader(open(tmp_path / "levers.csv", encoding="utf-8")))
    assert {"territory", "lever", "source", "quote"} <= set(levers[0])
    profiles = json.loads((tmp_path / "profiles.json").read_text(encoding="utf-8"))
    assert set(profiles["profiles"]) == set(dataset.profiles)
