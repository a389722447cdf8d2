"""The "Évolution" section: series drawn with their sources, changes stated with both dates."""

from __future__ import annotations

import pytest

from essbench.evidence.profiles import Period
from essbench.figures.layout import figure_meta
from essbench.figures.series import series_figure, territory_series
from essbench.text.dates import period_label
from essbench.text.reading import change_sentence


def _series(dataset, territory, indicator):
    return next(v for v in territory_series(dataset, territory) if v[0].indicator == indicator)


def test_gpsea_call_for_projects_is_a_series_from_2019_to_2024(dataset):
    values = _series(dataset, "gpsea", "call_for_projects_eur")
    assert [v.year for v in values] == [2019, 2022, 2023, 2024]
    sentence = change_sentence(dataset, values, "fr")
    # The envelope announced in 2019 and 2022 becomes an amount awarded, top-up included, in
    # 2023: the sentence says the series changes there, never a plain rise.
    assert sentence.startswith("Montant annuel de l'appel à projets ESS : de 25\u202f000\u00a0€ "
                               "en 2019 à 60\u202f000\u00a0€ en 2024 ; changement de série (2023) : "
                               "enveloppe annoncée puis montant attribué")
    assert "from €25,000 in 2019 to €60,000 in 2024" in change_sentence(dataset, values, "en")


def test_each_point_carries_its_source_and_evidence_kind(dataset):
    values = _series(dataset, "gpsea", "call_for_projects_eur")
    fig = series_figure(dataset, "gpsea", values, "fr")
    assert list(fig.data[0].x) == [2019, 2022, None, 2023, 2024]  # the line breaks at the change
    assert "2019" in fig.layout.title.text and "2024" in fig.layout.title.text
    rows = figure_meta(fig)["table"]["rows"]
    assert len(rows) == 4
    assert all(row[3] in ("page citée, non archivée", "citation d'un document archivé")
               for row in rows)
    assert all(row[4] for row in rows)


def test_a_yardstick_is_drawn_only_on_the_same_base(dataset):
    values = _series(dataset, "grenoble", "ess_employment_share")
    fig = series_figure(dataset, "grenoble", values, "fr")
    base = values[0].base
    assert base == "salaried_jobs"
    for trace in fig.data[1:]:
        assert trace.line.dash in ("dash", "dot")  # yardsticks dashed; a change of series dotted
    table = figure_meta(fig)["table"]["rows"]
    assert {row[0] for row in table} >= {"Grenoble-Alpes Métropole"}


def test_years_and_start_years_are_not_series(dataset):
    for territory in dataset.profiles:
        assert all(v[0].unit != "year" for v in territory_series(dataset, territory))


@pytest.mark.parametrize("period, fr, en", [
    (2019, "2019", "2019"), ("2016-2022", "2016-2022", "2016-2022"),
    ({"start": 2007, "about": True}, "vers 2007", "about 2007"),
    ({"end": 2015, "note": "Édition 2015."}, "2015 au plus tard", "2015 at the latest"),
    ({"note": "Non indiquée."}, "année inconnue", "year unknown"),
])
def test_period_labels(period, fr, en):
    parsed = Period.model_validate(period)
    assert (period_label(parsed, "fr"), period_label(parsed, "en")) == (fr, en)


def test_the_comparison_draws_series_two_territories_share(dataset):
    from essbench.figures.series import comparison_series_figure, shared_series

    territories = sorted(dataset.profiles)
    for found in shared_series(dataset, territories):
        assert len(found) >= 2
        fig = comparison_series_figure(dataset, found, "fr")
        assert len([d for d in fig.data if d.line.dash != "dot"]) == len(found)
    gpsea = _series(dataset, "gpsea", "call_for_projects_eur")
    # Two territories with the same series are drawn together.
    fig = comparison_series_figure(dataset, {"gpsea": gpsea, "grasse": gpsea}, "en")
    lines = [d for d in fig.data if d.line.dash != "dot"]
    assert len(lines) == 2 and "2019" in fig.layout.title.text
