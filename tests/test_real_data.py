"""The real data as data: every figure of data/ is backed (sources pinned by checksum, quotes in
their sources, numbers in their quotes), the registry is used, and the traps of these sources
stay as the curators resolved them.

These tests are about the four real territories on purpose: a correction of their profiles may
have to update them. The mechanisms (checks, values, words, figures) are tested on the fixture
project (tests/fixture_project.py) in the other files."""

from __future__ import annotations

import hashlib
from pathlib import Path


from essbench.evidence import registry
from essbench.evidence.dataset import normalise_space, registry_problems
from essbench.evidence.numbers import parse_number, same_value

DATA = Path(__file__).resolve().parent.parent / "data"


def all_owners(dataset):
    return {**dataset.profiles, **dataset.references}


def all_facts(dataset):
    return [(oid, f) for oid, owner in all_owners(dataset).items() for f in owner.facts]


def test_the_real_data_is_valid(capsys):
    from essbench.cli import main

    assert main(["--root", str(DATA.parent), "validate"]) == 0
    assert "OK" in capsys.readouterr().out


def test_every_profile_has_a_page(dataset):
    # Territories are data: the list comes from data/profiles and params/, never from here.
    pages = {p.stem for p in (DATA.parent / "params").glob("*.yaml")}
    assert set(dataset.profiles) <= pages and len(dataset.profiles) >= 1


def archived(dataset):
    return [s for s in dataset.sources.values() if s.kind == "archived"]


def test_source_checksums(dataset):
    for source in archived(dataset):
        digest = hashlib.sha256((DATA / "sources" / source.file).read_bytes()).hexdigest()
        assert digest == source.sha256, source.file


def test_every_quote_is_in_its_source(dataset):
    from essbench.evidence.dataset import _quoted_items

    checked = 0
    for owner in all_owners(dataset).values():
        for path, item in _quoted_items(owner):
            assert normalise_space(item.quote) in dataset.texts[item.source], (owner.id, path)
            checked += 1
    assert checked > 100


def test_every_number_is_in_its_quote_and_rederived(dataset):
    for owner_id, fact in all_facts(dataset):
        if fact.evidence == "quoted":
            assert normalise_space(fact.as_written) in normalise_space(fact.quote), (owner_id,
                                                                                     fact.id)
        parsed = parse_number(fact.as_written)
        assert same_value(parsed.value, fact.value), (owner_id, fact.id)
        assert parsed.conversion == fact.conversion, (owner_id, fact.id)
        assert parsed.qualifier == fact.qualifier, (owner_id, fact.id)


def test_shares_have_bases_and_budgets_have_scopes(dataset):
    for owner_id, fact in all_facts(dataset):
        indicator = registry.INDICATORS[fact.indicator]
        if indicator.unit == "share":
            assert fact.base in indicator.bases, (owner_id, fact.id)
        if indicator.needs_scope:
            assert fact.scope is not None, (owner_id, fact.id)


def test_registry_is_sound():
    assert registry_problems() == []


def test_every_registry_entry_is_used(dataset):
    from essbench.values.normalize import DERIVATIONS, REFERENCE_INDICATORS

    used = {f.indicator for _, f in all_facts(dataset)} | set(DERIVATIONS) | set(
        REFERENCE_INDICATORS)
    # An indicator no source gives yet is still used if the dashboards show it (as unknown).
    package = Path(registry.__file__).parents[1]
    code = " ".join(p.read_text() for p in package.rglob("*.py") if p.name != "registry.py")
    used |= {i for i in registry.INDICATORS if f'"{i}"' in code}
    assert set(registry.INDICATORS) - used == set()
    assert {m.lever for p in dataset.profiles.values() for m in p.levers} == set(registry.LEVERS)
    themes = {m.theme for p in dataset.profiles.values() for m in p.themes}
    assert set(registry.THEMES) - themes == set()
    bases = {f.base for _, f in all_facts(dataset) if f.base}
    assert set(registry.BASES) == bases


# The traps of these sources, pinned so that nobody "fixes" them into wrong numbers.

def _facts(dataset, territory, indicator):
    return [f for f in dataset.facts(territory) if f.indicator == indicator]


def test_grasse_wage_bill_is_not_a_budget(dataset):
    assert _facts(dataset, "grasse", "ess_budget_eur") == []
    (wages,) = _facts(dataset, "grasse", "ess_gross_wages_eur")
    assert wages.value == 55_000_000 and wages.qualifier == "approximately"


def test_grasse_private_share_is_not_an_all_jobs_share(dataset):
    # The only all-jobs share is the flagged 25 %, kept but never retained.
    (outlier,) = _facts(dataset, "grasse", "ess_employment_share")
    assert outlier.outlier and outlier.value == 0.25 and not outlier.primary
    shares = _facts(dataset, "grasse", "ess_private_employment_share")
    assert {(s.value, s.qualifier, s.base) for s in shares} == {
        (0.10, "at_least", "private_salaried_jobs"), (0.11, "at_least", "private_salaried_jobs")}


def test_pas_de_calais_solidarity_spending_is_not_the_ess_budget(dataset):
    budgets = _facts(dataset, "pas_de_calais", "ess_budget_eur")
    assert {f.value for f in budgets} == {8_700_000, 9_000_000}
    assert [f.value for f in budgets if f.primary] == [8_700_000]
    assert _facts(dataset, "pas_de_calais", "solidarity_spending_eur")[0].value == 220_000_000


def test_pas_de_calais_growth_contradiction_is_kept(dataset):
    growth = _facts(dataset, "pas_de_calais", "ess_employment_growth")
    assert sorted(f.value for f in growth) == [0.024, 0.028]
    assert not any(f.primary for f in growth)
    assert "ess_employment_growth" in {c.indicator for c in
                                       dataset.profiles["pas_de_calais"].contradictions}


def test_mutuals_share_stays_unknown(dataset):
    assert _facts(dataset, "pas_de_calais", "ess_establishments_mutuals_share") == []


def test_grenoble_excludes_call_for_projects(dataset):
    grenoble = dataset.profiles["grenoble"]
    assert "call_for_projects" not in {m.lever for m in grenoble.levers}
    assert "call_for_projects" in {m.lever for m in grenoble.levers_excluded}


def test_gpsea_budget_scope_excludes_staff_and_grants(dataset):
    (budget,) = _facts(dataset, "gpsea", "ess_budget_eur")
    assert budget.value == 92_900
    assert budget.scope.excludes == ["frais de personnel", "subventions allouées aux associations"]


# The second wave: series, stages and fields kept as the sources give them.

def test_gpsea_call_for_projects_is_a_series(dataset):
    calls = _facts(dataset, "gpsea", "call_for_projects_eur")
    assert sorted((f.year, f.value) for f in calls if f.year != "unknown") == [
        (2019, 25_000), (2022, 55_000), (2023, 60_000), (2024, 60_000)]
    assert not dataset.profiles["gpsea"].contradictions


def test_pas_de_calais_stage_counts_are_both_kept(dataset):
    (labelled,) = _facts(dataset, "pas_de_calais", "citizen_budget_projects_labelled")
    voted = {f.year: f.value for f in _facts(dataset, "pas_de_calais",
                                                 "citizen_budget_projects_voted")}
    assert labelled.value == 54 and voted == {2019: 39, 2024: 51}
    (multi_year,) = [f for f in _facts(dataset, "pas_de_calais", "citizen_budget_eur")
                     if f.scope.period == "multi_year"]
    assert (multi_year.period.start, multi_year.period.end) == (2018, 2023)


def test_social_economy_is_not_the_ess(dataset):
    region = dataset.references["hauts_de_france"]
    ess = {f.year for f in region.facts if f.indicator == "ess_employment_share"}
    social = {f.year for f in region.facts if f.indicator == "social_economy_employment_share"}
    assert 2021 in ess and 2014 not in ess and social == {2014}


def test_cited_facts_copy_no_text_and_say_what_they_measure(dataset):
    cited = [(oid, f) for oid, f in all_facts(dataset) if f.evidence == "cited"]
    assert len(cited) >= 40
    for owner_id, fact in cited:
        assert fact.quote is None and fact.description, (owner_id, fact.id)
        assert dataset.sources[fact.source].kind == "cited", (owner_id, fact.id)
