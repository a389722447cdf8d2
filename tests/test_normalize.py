"""Derived ratios carry their inputs; unknown inputs give unknown results with a reason."""

from __future__ import annotations

import math
import pytest
from hypothesis import given
from hypothesis import strategies as st

from essbench.values.normalize import (
    Code,
    Value,
    _ratio,
    comparability,
    load_reference,
    territory_values,
)

@pytest.fixture(scope="module")
def reference(fixture_root):
    return load_reference(fixture_root / "data" / "reference")


def values(dataset, reference, territory):
    table, manifest = reference
    return territory_values(dataset, table, manifest, territory)


def test_ratios_are_computed_from_their_inputs_and_name_them(fixture_dataset, reference):
    found = values(fixture_dataset, reference, "temoin")
    population = found["population"].value
    assert population == 50_000  # the sum of its four communes in the reference tables
    assert math.isclose(found["ess_budget_per_inhabitant_eur"].value, 1_200_000 / population)
    assert math.isclose(found["ess_budget_per_ess_employee_eur"].value, 1_200_000 / 1_500)
    assert math.isclose(found["ess_employees_per_1000_inhabitants"].value,
                        1000 * 1_500 / population)
    assert found["ess_budget_per_inhabitant_eur"].inputs == (
        "ess_budget_eur:budget_2023", "reference:population")


def test_unknown_budget_gives_unknown_ratio_with_reason(fixture_dataset, reference):
    found = values(fixture_dataset, reference, "fictif")
    assert not found["ess_budget_eur"].known
    ratio = found["ess_budget_per_inhabitant_eur"]
    assert ratio.value is None
    assert ratio.reason == Code.of("input_unknown", indicators=("ess_budget_eur",))


def test_contradiction_gives_unknown_headline(fixture_dataset, reference):
    growth = values(fixture_dataset, reference, "temoin")["ess_employment_growth"]
    assert growth.value is None and growth.reason.code == "sources_disagree"
    assert sorted(f.value for f in growth.alternatives) == [0.02, 0.03]


def test_uncertain_geography_and_lower_bounds_travel_into_ratios(fixture_dataset, reference):
    ratio = values(fixture_dataset, reference, "fictif")["ess_employees_per_1000_inhabitants"]
    assert ratio.geography_as_worded == "tout le val"
    assert ratio.qualifier == "at_least"
    assert math.isclose(ratio.value, 1000 * 800 / 30_000)


def test_comparability_notes_are_computed(fixture_dataset, reference):
    shares = [values(fixture_dataset, reference, t)["ess_employment_share"]
              for t in ("temoin", "fictif")]
    codes = {code.code: code for code in comparability(shares)}
    assert set(codes) == {"different_bases", "not_exact", "different_years"}
    assert codes["not_exact"]["qualifiers"] == (("fictif", "approximately"),)
    assert comparability(shares[:1]) == []


def test_budgets_of_different_scopes_are_said_so(fixture_copy, reference):
    from conftest import read_yaml, write_yaml
    from essbench.evidence.dataset import load_dataset

    path = fixture_copy / "data" / "profiles" / "fictif.yaml"
    profile = read_yaml(path)
    profile["facts"].append({
        "id": "budget", "indicator": "ess_budget_eur", "value": 90_000, "unit": "eur",
        "period": 2023, "qualifier": "exact", "as_written": "90 000 €",
        "source": "fictif_article", "description": "Made-up operating budget.",
        "scope": {"nature": "operating", "period": "annual"}})
    write_yaml(path, profile)
    dataset = load_dataset(fixture_copy / "data")
    budgets = [values(dataset, reference, t)["ess_budget_eur"] for t in ("temoin", "fictif")]
    assert "different_scopes" in {code.code for code in comparability(budgets)}


def test_lower_bound_over_exact_stays_lower_bound():
    numerator = Value("x", "ess_budget_eur", 100.0, qualifier="at_least", fact_id="a")
    denominator = Value("x", "population", 10.0, inputs=("reference:population",))
    assert _ratio("x", "ess_budget_per_inhabitant_eur", numerator, denominator).qualifier == "at_least"


@given(st.floats(min_value=0, max_value=1e10), st.floats(min_value=1, max_value=1e8),
       st.sampled_from(["exact", "approximately", "at_least", "at_most"]))
def test_a_ratio_is_its_inputs_divided_keeping_their_qualifier_and_names(budget, population, qualifier):
    numerator = Value("x", "ess_budget_eur", budget, qualifier=qualifier, fact_id="b")
    denominator = Value("x", "population", population, inputs=("reference:population",))
    ratio = _ratio("x", "ess_budget_per_inhabitant_eur", numerator, denominator)
    assert math.isclose(ratio.value, budget / population, rel_tol=1e-12, abs_tol=1e-12)
    assert ratio.qualifier == qualifier
    assert ratio.inputs == ("ess_budget_eur:b", "reference:population")
