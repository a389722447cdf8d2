"""Evidence over time on fixture territories: budget lines, spans, programmes, series, disputes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import yaml

from essbench.evidence.dataset import load_dataset
import made_up
from made_up import budget_line as _line, fact as _fact
from essbench.evidence.problems import InvalidInput

# A made-up member page: every quote of the fixture profiles below is taken from it.
PAGE = """Ville-Témoin soutient l'ESS depuis son premier plan 2006-2008.
Les plans suivants : plan 2009-2011, plan 2013-2014, plan 2015-2020 et plan 2021-2026.
En 2023, le fonds à impact a reçu 1,1 M€, les conventions de partenariat 300 K€ et le
fonctionnement 170000€. Un investissement de 300 k€ sur 2024 et 2025 est prévu.
Emplois de l'ESS : 1 200 en 2015, 1 350 en 2019 et 1 500 en 2022.
La part de l'ESS est de 12 % de l'emploi salarié en 2022.
Un autre rapport donne 14 % de l'emploi salarié en 2022.
Ces trois lignes forment tout le budget ESS de 2023.
"""




LINES = made_up.LINES_2023
INVESTMENT = _line("investment_2024_2025", 300_000, "300 k€", "investment",
                   "Un investissement de 300 k€ sur 2024 et 2025", period="2024-2025",
                   spread="multi_year")
JOBS = [_fact(f"jobs_{year}", "ess_employees", value, "persons", year, written,
              f"{written} en {year}") for year, value, written in
        ((2015, 1200, "1 200"), (2019, 1350, "1 350"), (2022, 1500, "1 500"))]
SHARES = [
    _fact("share_a", "ess_employment_share", 0.12, "share", 2022, "12 %",
          "12 % de l'emploi salarié en 2022", conversion="percent", base="salaried_jobs"),
    _fact("share_b", "ess_employment_share", 0.14, "share", 2022, "14 %",
          "14 % de l'emploi salarié en 2022", conversion="percent", base="salaried_jobs"),
]
PLANS = [
    {"id": f"plan_{start}", "kind": "plan", "name": f"Plan ESS {start}-{end}", "start": start,
     "end": end, "documents": [{"source": "page", "quote": f"plan {start}-{end}"}]}
    for start, end in ((2009, 2011), (2013, 2014), (2015, 2020), (2021, 2026))
]
PLANS.insert(0, {"id": "plan_2006", "kind": "plan", "name": "Premier plan ESS", "start": 2006,
                 "end": 2008, "documents": [{"source": "page",
                                             "quote": "son premier plan 2006-2008"}]})


def write_project(root: Path, facts: list[dict], **profile_extra) -> Path:
    """A project with one fixture territory and its one archived page."""
    made_up.write_archived_page(root, PAGE, "temoin", "Ville-Témoin")
    profile = {
        "id": "temoin", "names": {"official": "Ville-Témoin", "short": "Témoin"},
        "kind": "communaute_communes",
        "codes": {"siren": "unknown", "insee": "unknown", "departement": "01", "region": "84"},
        "perimeter": {"rule": "communes", "communes": ["01001"], "valid_from": "unknown"},
        "facts": facts, "programme": {"name": "unknown"}, **profile_extra,
    }
    (root / "data" / "profiles" / "temoin.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "data"


def problems_of(data: Path) -> str:
    with pytest.raises(InvalidInput) as error:
        load_dataset(data)
    return str(error.value)


def test_budget_lines_with_no_total_are_valid_and_not_a_contradiction(tmp_path):
    dataset = load_dataset(write_project(tmp_path, LINES))
    lines = dataset.facts("temoin")
    assert [f.value for f in lines] == [1_100_000, 300_000, 170_000]
    assert {f.scope.nature for f in lines} == {"grants_or_fund", "partnership_agreements",
                                               "operating"}
    assert dataset.profiles["temoin"].contradictions == []
    assert [f.evidence for f in lines] == ["quoted"] * 3


def test_exhaustive_lines_need_a_quote_and_one_period(tmp_path):
    entry = {"lines": ["fund_2023", "conventions_2023", "operating_2023"], "source": "page",
             "quote": "Ces trois lignes forment tout le budget ESS de 2023."}
    dataset = load_dataset(write_project(tmp_path / "a", LINES, exhaustive_budget_lines=[entry]))
    assert dataset.profiles["temoin"].exhaustive_budget_lines[0].lines[0] == "fund_2023"
    mixed = {**entry, "lines": ["fund_2023", "investment_2024_2025"]}
    err = problems_of(write_project(tmp_path / "b", [*LINES, INVESTMENT],
                                    exhaustive_budget_lines=[mixed]))
    assert "exhaustive_budget_lines[0].lines" in err and "one period" in err


def test_a_two_year_investment_is_a_multi_year_span(tmp_path):
    dataset = load_dataset(write_project(tmp_path, [INVESTMENT]))
    (fact,) = dataset.facts("temoin")
    assert (fact.period.kind, fact.period.start, fact.period.end) == ("span", 2024, 2025)
    assert fact.scope.period == "multi_year" and fact.year == "unknown"
    annual = {**INVESTMENT, "scope": {"nature": "investment", "period": "annual"}}
    assert "multi_year" in problems_of(write_project(tmp_path / "b", [annual]))


def test_five_programmes_make_a_history(tmp_path):
    dataset = load_dataset(write_project(tmp_path, [], policy_history=PLANS))
    history = dataset.profiles["temoin"].policy_history
    assert [(s.start, s.end) for s in history] == [(2006, 2008), (2009, 2011), (2013, 2014),
                                                  (2015, 2020), (2021, 2026)]
    assert min(s.first_year for s in history) == 2006
    wrong = [{**PLANS[0], "start": 2005}]
    assert "policy_history[0].start" in problems_of(write_project(tmp_path / "b", [],
                                                                  policy_history=wrong))


def test_one_indicator_in_three_years_is_a_series_not_a_contradiction(tmp_path):
    dataset = load_dataset(write_project(tmp_path, JOBS))
    assert [f.year for f in dataset.facts("temoin")] == [2015, 2019, 2022]
    listed = {"indicator": "ess_employees", "facts": ["jobs_2015", "jobs_2022"],
              "note": "Pas une contradiction."}
    err = problems_of(write_project(tmp_path / "b", JOBS, contradictions=[listed]))
    assert "contradictions[0].facts" in err and "series, not a contradiction" in err


def test_a_same_year_disagreement_is_still_a_contradiction(tmp_path):
    err = problems_of(write_project(tmp_path / "a", SHARES))
    assert "2 different values for ess_employment_share (2022)" in err and "none primary" in err
    listed = {"indicator": "ess_employment_share", "facts": ["share_a", "share_b"],
              "note": "Deux rapports, même année, même base."}
    dataset = load_dataset(write_project(tmp_path / "b", SHARES, contradictions=[listed]))
    assert dataset.profiles["temoin"].contradictions[0].facts == ["share_a", "share_b"]


def test_legacy_year_fields_still_read(tmp_path):
    legacy = {**JOBS[0]}
    legacy.pop("period")
    legacy.update(year=2015)
    (fact,) = load_dataset(write_project(tmp_path, [legacy])).facts("temoin")
    assert fact.period.key == (2015, 2015) and fact.year == 2015


# Values over time: the headline is the latest period, earlier ones its history.

def test_three_years_give_a_headline_and_its_history(tmp_path):
    from essbench.values.normalize import headline

    value = headline(load_dataset(write_project(tmp_path, JOBS)), "temoin", "ess_employees")
    assert (value.value, value.year) == (1500, 2022)
    assert [(v.year, v.value) for v in value.history] == [(2015, 1200), (2019, 1350)]
    assert value.reason is None and value.evidence == "quoted"


def test_same_year_disagreement_gives_no_headline(tmp_path):
    from essbench.values.normalize import headline

    listed = {"indicator": "ess_employment_share", "facts": ["share_a", "share_b"],
              "note": "Deux rapports, même année, même base."}
    data = write_project(tmp_path, SHARES, contradictions=[listed])
    value = headline(load_dataset(data), "temoin", "ess_employment_share")
    assert value.value is None and value.reason.code == "sources_disagree"


def test_budget_lines_have_no_total_unless_a_quote_says_they_are_all(tmp_path):
    from essbench.values.normalize import headline

    lines_only = headline(load_dataset(write_project(tmp_path / "a", LINES)), "temoin",
                          "ess_budget_eur")
    assert lines_only.value is None and lines_only.reason.code == "budget_lines_without_total"
    entry = {"lines": ["fund_2023", "conventions_2023", "operating_2023"], "source": "page",
             "quote": "Ces trois lignes forment tout le budget ESS de 2023."}
    total = headline(load_dataset(write_project(tmp_path / "b", LINES,
                                                exhaustive_budget_lines=[entry])),
                     "temoin", "ess_budget_eur")
    assert total.value == 1_570_000 and total.year == 2023 and total.derived
    assert total.derivation.code == "sum_of_exhaustive_lines"


def test_a_multi_year_amount_is_never_divided_as_annual():
    from essbench.evidence.profiles import Period, Scope
    from essbench.values.normalize import Value, _ratio

    amount = Value("x", "ess_budget_eur", 300_000.0, fact_id="investment",
                   scope=Scope(nature="investment", period="multi_year"),
                   period=Period(start=2024, end=2025))
    population = Value("x", "population", 1000.0, inputs=("reference:population",))
    ratio = _ratio("x", "ess_budget_per_inhabitant_eur", amount, population)
    assert ratio.value is None and ratio.reason.code == "not_annual"


def test_a_cited_series_heads_with_its_latest_year_and_keeps_the_undated(fixture_dataset):
    from essbench.values.normalize import headline

    value = headline(fixture_dataset, "fictif", "call_for_projects_eur")
    assert (value.year, value.value, value.evidence) == (2023, 30_000, "cited")
    assert [(v.year, v.value) for v in value.history] == [(2021, 20_000)]
    assert [f.id for f in value.undated] == ["call_undated"]


def _owners(dataset):
    return [*dataset.profiles, *dataset.references]


def test_no_value_says_sources_disagree_across_dates(fixture_dataset):
    from essbench.evidence.dataset import same_time_key
    from essbench.evidence import registry
    from essbench.values.normalize import headline

    disagreeing = []
    for owner in _owners(fixture_dataset):
        for indicator in registry.INDICATORS.values():
            if indicator.kind != "fact":
                continue
            value = headline(fixture_dataset, owner, indicator.id)
            if value.reason is not None and value.reason.code == "sources_disagree":
                facts = [f for f in value.alternatives if f.id in value.reason["facts"]]
                assert len({same_time_key(f) for f in facts}) == 1, (owner, indicator.id)
                disagreeing.append((owner, indicator.id))
    # Ville-Témoin's two growth rates of 2022 disagree; its jobs at three dates do not.
    assert disagreeing == [("temoin", "ess_employment_growth")]


def test_outliers_are_kept_but_never_the_headline(fixture_dataset, fixture_copy):
    from conftest import read_yaml, write_yaml
    from essbench.values.normalize import headline

    value = headline(fixture_dataset, "fictif", "ess_employment_share")
    assert value.value == 0.09 and [f.value for f in value.outliers] == [0.40]
    path = fixture_copy / "data" / "profiles" / "fictif.yaml"
    profile = read_yaml(path)
    profile["facts"] = [f for f in profile["facts"] if f["id"] != "share_all_jobs"]
    write_yaml(path, profile)
    alone = headline(load_dataset(fixture_copy / "data"), "fictif", "ess_employment_share")
    assert alone.value is None and alone.reason.code == "only_outliers"
    assert [f.value for f in alone.outliers] == [0.40]


def test_yardsticks_match_the_period(fixture_dataset):
    from essbench.evidence.profiles import Period
    from essbench.values.normalize import Value, yardstick

    def share(year):
        return Value("x", "ess_employment_share", 0.1, year=year, base="salaried_jobs",
                     period=Period(start=year))

    same = yardstick(fixture_dataset, "region_temoin", share(2022))
    assert (same.value, same.match.code) == (0.10, "same_period")
    near = yardstick(fixture_dataset, "france", share(2016))
    assert (near.year, near.match["gap"]) == (2019, 3)
    between = yardstick(fixture_dataset, "france", share(2020))
    assert (between.year, between.value, between.match["gap"]) == (2021, 0.105, 1)
    undated = yardstick(fixture_dataset, "region_temoin", Value(
        "x", "ess_employment_share", 0.13, base="salaried_jobs", source="temoin_page"))
    assert (undated.value, undated.match.code) == (0.10, "same_source")


def test_policy_start_is_no_later_than_the_first_plan(tmp_path):
    from essbench.values.normalize import headline

    data = write_project(tmp_path, [], policy_history=PLANS)
    start = headline(load_dataset(data), "temoin", "policy_start_year")
    assert (start.value, start.qualifier, start.derived) == (2006, "at_most", True)
    assert start.derivation["step"] == "plan_2006"


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(min_value=1990, max_value=2024),
                       st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8))
def test_any_dated_series_is_valid_and_heads_with_its_latest_year(by_year):
    from essbench.evidence.dataset import Dataset, _check_fact_ids
    from essbench.evidence.profiles import Profile
    from essbench.values.normalize import headline

    facts = [{"id": f"jobs_{year}", "indicator": "ess_employees", "value": value,
              "unit": "persons", "period": year, "qualifier": "exact", "as_written": str(value),
              "source": "page", "description": "Emplois de l'ESS."}
             for year, value in by_year.items()]
    profile = Profile.model_validate({
        "id": "temoin", "names": {"official": "Témoin", "short": "Témoin"},
        "kind": "communaute_communes",
        "codes": {"siren": "unknown", "insee": "unknown", "departement": "01", "region": "84"},
        "perimeter": {"rule": "communes", "communes": ["01001"], "valid_from": "unknown"},
        "facts": facts, "programme": {"name": "unknown"}})
    assert _check_fact_ids(profile, "temoin.yaml") == []
    dataset = Dataset(Path("."), {}, {}, {"temoin": profile}, {})
    value = headline(dataset, "temoin", "ess_employees")
    latest = max(by_year)
    assert (value.year, value.value) == (latest, by_year[latest])
    assert [v.year for v in value.history] == sorted(by_year)[:-1]
