"""The text layer words the value layer's codes exactly as the pages read them."""

from __future__ import annotations

import pytest

from essbench.text.values import comparability_text, formatted, reason_text, value_note
from essbench.values.normalize import comparability, load_reference, territory_values

def _plain(text: str) -> str:
    """No-break and narrow no-break spaces as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def values(fixture_root, fixture_dataset):
    table, manifest = load_reference(fixture_root / "data" / "reference")
    return {t: territory_values(fixture_dataset, table, manifest, t)
            for t in fixture_dataset.profiles}


def test_unknown_ratio_says_which_input_is_missing(fixture_dataset, values):
    ratio = values["fictif"]["ess_budget_per_inhabitant_eur"]
    assert formatted(ratio) == "inconnu"
    assert reason_text(ratio, fixture_dataset.sources) == (
        "calcul impossible : Budget consacré à l'ESS inconnu")


def test_contradiction_cites_each_source_with_its_value(fixture_dataset, values):
    growth = values["temoin"]["ess_employment_growth"]
    text = reason_text(growth, fixture_dataset.sources)
    assert _plain(text) == ("les sources se contredisent : +2 % (« Panorama fictif de l'ESS ») ; "
                            "+3 % (« Panorama fictif de l'ESS »)")


def test_derived_values_say_how_they_were_computed(values):
    ratio = values["temoin"]["ess_budget_per_inhabitant_eur"]
    assert value_note(ratio).startswith("Budget consacré à l'ESS (1,2\u00a0million")
    assert "/ Population municipale (50\u202f000)" in value_note(ratio)
    # The package behind the reference geography is named in the colophon, not in reader text.
    assert value_note(values["temoin"]["population"]) == (
        "Calculé à partir des communes du périmètre.")


def test_comparability_codes_read_as_sentences(fixture_dataset, values):
    shares = [values[t]["ess_employment_share"] for t in sorted(values)]
    names = {t: fixture_dataset.profiles[t].names.short for t in values}
    notes = [comparability_text(code, names) for code in comparability(shares)]
    assert notes[0] == "Années différentes : 2022, 2023."
    assert notes[1].startswith("Bases différentes (Val-Fictif : ensemble des emplois")
    assert notes[2] == "Valeurs non exactes : Val-Fictif (environ)."
    assert not any("fictif" in n or "temoin" in n for n in notes)
