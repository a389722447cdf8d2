"""Derived ratios carry their inputs; unknown inputs give unknown results with a reason."""

from __future__ import annotations

import math
from pathlib import Path

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

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"


@pytest.fixture(scope="module")
def reference():
    return load_reference(REFERENCE)


def values(dataset, reference, territory):
    table, manifest = reference
    return territory_values(dataset, table, manifest, territory)


def test_derived_values_for_pas_de_calais(dataset, reference):
    found = values(dataset, reference, "pas_de_calais")
    population = found["population"].value
    assert population == 1_468_018
    assert math.isclose(found["ess_budget_per_inhabitant_eur"].value, 8_700_000 / population)
    assert math.isclose(found["ess_budget_per_ess_employee_eur"].value, 8_700_000 / 48_390)
    assert math.isclose(found["ess_employees_per_1000_inhabitants"].value,
                        1000 * 48_390 / population)
    assert found["ess_budget_per_inhabitant_eur"].inputs == (
        "ess_budget_eur:budget_direct", "reference:population")


def test_unknown_budget_gives_unknown_ratio_with_reason(dataset, reference):
    found = values(dataset, reference, "grasse")
    assert not found["ess_budget_eur"].known
    ratio = found["ess_budget_per_inhabitant_eur"]
    assert ratio.value is None
    assert ratio.reason == Code.of("input_unknown", indicators=("ess_budget_eur",))


def test_contradiction_gives_unknown_headline(dataset, reference):
    growth = values(dataset, reference, "pas_de_calais")["ess_employment_growth"]
    assert growth.value is None and growth.reason.code == "sources_disagree"
    assert len(growth.alternatives) == 2


def test_uncertain_geography_travels_into_ratios(dataset, reference):
    ratio = values(dataset, reference, "grasse")["ess_employees_per_1000_inhabitants"]
    assert ratio.geography_as_worded == "l’ensemble du pays grassois"


def test_comparability_notes_are_computed(dataset, reference):
    shares = [values(dataset, reference, t)["ess_employment_share"] for t in dataset.profiles]
    codes = {code.code for code in comparability(shares)}
    assert {"different_bases", "not_exact"} <= codes
    budgets = [values(dataset, reference, t)["ess_budget_eur"] for t in dataset.profiles]
    assert "different_scopes" in {code.code for code in comparability(budgets)}


def test_lower_bound_over_exact_stays_lower_bound():
    numerator = Value("x", "ess_budget_eur", 100.0, qualifier="at_least", fact_id="a")
    denominator = Value("x", "population", 10.0, inputs=("reference:population",))
    assert _ratio("x", "ess_budget_per_inhabitant_eur", numerator, denominator).qualifier == "at_least"


@given(st.floats(min_value=0, max_value=1e10), st.floats(min_value=1, max_value=1e8),
       st.sampled_from(["exact", "approximately", "at_least", "at_most"]))
def test_ratio_properties(budget, population, qualifier):
    numerator = Value("x", "ess_budget_eur", budget, qualifier=qualifier, fact_id="b")
    denominator = Value("x", "population", population, inputs=("reference:population",))
    ratio = _ratio("x", "ess_budget_per_inhabitant_eur", numerator, denominator)
    assert math.isclose(ratio.value, budget / population, rel_tol=1e-12, abs_tol=1e-12)
    assert ratio.qualifier == qualifier
    assert ratio.value >= 0
