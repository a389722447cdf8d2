"""The "Évolution" section: series drawn with their sources, changes stated with both dates."""

from __future__ import annotations

import pytest

from essbench.evidence.profiles import Period
from essbench.figures.series import series_figure, territory_series
from essbench.text.dates import period_label
from essbench.text.reading import change_sentence


def _series(dataset, territory, indicator):
    return next(v for v in territory_series(dataset, territory) if v[0].indicator == indicator)


def test_a_series_reads_from_its_first_to_its_last_date(fixture_dataset):
    values = _series(fixture_dataset, "temoin", "ess_employees")
    assert [v.year for v in values] == [2015, 2019, 2022]
    sentence = change_sentence(fixture_dataset, values, "fr")
    assert sentence == "Emplois salariés de l'ESS : de 1\u202f200 en 2015 à 1\u202f500 en 2022."
    assert change_sentence(fixture_dataset, values, "en") == (
        "ESS employees: from 1,200 in 2015 to 1,500 in 2022.")


def test_each_point_carries_its_source_and_evidence_kind(fixture_dataset):
    values = _series(fixture_dataset, "fictif", "call_for_projects_eur")
    fig = series_figure(fixture_dataset, "fictif", values, "fr")
    assert list(fig.data[0].x) == [2021, 2023]
    assert "2021" in fig.layout.title.text and "2023" in fig.layout.title.text
    rows = fig.table["rows"]
    assert [(row[1], row[3]) for row in rows] == [("2021", "page citée, non archivée"),
                                                  ("2023", "page citée, non archivée")]
    assert all("Gazette du Val (fictive)" in row[4] for row in rows)
    quoted = series_figure(fixture_dataset, "temoin", _series(
        fixture_dataset, "temoin", "ess_employees"), "fr").table["rows"]
    assert {row[3] for row in quoted} == {"citation d'un document archivé"}


def test_yardsticks_of_the_same_base_are_drawn_dashed(fixture_dataset):
    values = _series(fixture_dataset, "temoin", "ess_employment_share")
    fig = series_figure(fixture_dataset, "temoin", values, "fr")
    # A yardstick's line names its base and source (one line per base, labelled).
    assert [(trace.name.split(",")[0], list(trace.x)) for trace in fig.data] == [
        ("Ville-Témoin", [2019, 2022]), ("France", [2019, 2021]), ("Région-Témoin", [2022])]
    assert all("emploi salarié (" in trace.name for trace in fig.data[1:])
    assert [trace.line.dash for trace in fig.data[1:]] == ["dash", "dash"]


def test_no_yardstick_is_drawn_on_another_base(fixture_copy):
    from conftest import read_yaml, write_yaml
    from essbench.evidence.dataset import load_dataset

    path = fixture_copy / "data" / "profiles" / "fictif.yaml"
    profile = read_yaml(path)
    earlier = {**next(f for f in profile["facts"] if f["id"] == "share_all_jobs"),
               "id": "share_all_jobs_2021", "period": 2021, "as_written": "8 %", "value": 0.08,
               "qualifier": "exact"}
    profile["facts"].append(earlier)
    write_yaml(path, profile)
    dataset = load_dataset(fixture_copy / "data")
    values = _series(dataset, "fictif", "ess_employment_share")
    assert [v.base for v in values] == ["all_jobs", "all_jobs"]
    # France and the région give shares of salaried jobs only: nothing to set this against.
    assert [trace.name for trace in series_figure(dataset, "fictif", values, "fr").data] == [
        "Val-Fictif"]


def test_years_and_start_years_are_not_series(fixture_dataset):
    # Ville-Témoin's policy start year is derived from a plan (2016-2020): never a series.
    indicators = {v[0].indicator for t in fixture_dataset.profiles
                  for v in territory_series(fixture_dataset, t)}
    assert indicators == {"ess_employees", "ess_employment_share", "ess_establishments",
                          "call_for_projects_eur"}


@pytest.mark.parametrize("period, fr, en", [
    (2019, "2019", "2019"), ("2016-2022", "2016-2022", "2016-2022"),
    ({"start": 2007, "about": True}, "vers 2007", "about 2007"),
    ({"end": 2015, "note": "Édition 2015."}, "2015 au plus tard", "2015 at the latest"),
    ({"note": "Non indiquée."}, "année inconnue", "year unknown"),
])
def test_period_labels(period, fr, en):
    parsed = Period.model_validate(period)
    assert (period_label(parsed, "fr"), period_label(parsed, "en")) == (fr, en)


def test_the_comparison_draws_the_series_two_territories_share(fixture_dataset):
    from essbench.figures.series import comparison_series_figure, shared_series

    # Both have establishments at two dates; only Ville-Témoin has jobs or shares at two dates.
    (found,) = shared_series(fixture_dataset, ["temoin", "fictif"])
    assert {t: [v.year for v in values] for t, values in found.items()} == {
        "temoin": [2019, 2022], "fictif": [2020, 2023]}
    fig = comparison_series_figure(fixture_dataset, found, "en")
    assert [list(trace.x) for trace in fig.data] == [[2019, 2022], [2020, 2023]]
    assert "2019" in fig.layout.title.text and "2023" in fig.layout.title.text
