"""The text layer words the value layer's codes exactly as the pages read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from essbench.text.values import comparability_text, formatted, reason_text, value_note
from essbench.values.normalize import comparability, load_reference, territory_values

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"


@pytest.fixture(scope="module")
def values(dataset):
    table, manifest = load_reference(REFERENCE)
    return {t: territory_values(dataset, table, manifest, t) for t in dataset.profiles}


def test_unknown_ratio_says_which_input_is_missing(dataset, values):
    ratio = values["grasse"]["ess_budget_per_inhabitant_eur"]
    assert formatted(ratio) == "inconnu"
    assert reason_text(ratio, dataset.sources) == "calcul impossible : Budget consacré à l'ESS inconnu"


def test_contradiction_cites_each_source(dataset, values):
    growth = values["pas_de_calais"]["ess_employment_growth"]
    text = reason_text(growth, dataset.sources)
    assert text.startswith("les sources se contredisent : ") and text.count(" ; ") == 1


def test_derived_values_say_how_they_were_computed(values):
    ratio = values["pas_de_calais"]["ess_budget_per_inhabitant_eur"]
    assert value_note(ratio).startswith("Budget consacré à l'ESS (8,7")
    # The package behind the reference geography is named in the colophon, not in reader text.
    assert value_note(values["pas_de_calais"]["population"]) == (
        "Calculé à partir des communes du périmètre.")


def test_comparability_codes_read_as_sentences(dataset, values):
    shares = [values[t]["ess_employment_share"] for t in sorted(values)]
    names = {t: dataset.profiles[t].names.short for t in values}
    notes = [comparability_text(code, names) for code in comparability(shares)]
    assert any(n.startswith("Bases différentes (") for n in notes)
    assert any(n.startswith("Valeurs non exactes : ") for n in notes)
    assert not any("pas_de_calais" in n for n in notes)
