"""'L'essentiel', the page's date and its numbered sources, as an official reads them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from essbench.report import essentials

TERRITORIES = ("temoin", "fictif")


@pytest.fixture(scope="module", params=("fr", "en"))
def ctx(request, fixture_contexts):
    return fixture_contexts(request.param)


@pytest.mark.parametrize("territory", TERRITORIES)
def test_six_cards_each_dated_with_its_evidence(ctx, territory):
    numbers = essentials.page_sources(ctx)
    cards = essentials.cards(ctx, territory, numbers)
    assert len(cards) == 6
    for card in cards:
        if card["known"] and card["label"] != essentials.t("essentials.programme", ctx.lang):
            assert card["year"], f"{territory}: {card['label']} has no year line"
            assert "[" in card["evidence"], f"{territory}: {card['label']} cites no source"
    # Each territory has known and unknown figures: both kinds of card are checked above.
    assert {card["known"] for card in cards} == {True, False}


def test_cards_say_value_year_evidence_and_what_is_unknown(fixture_contexts):
    ctx = fixture_contexts("fr", ("fictif",))
    cards = {card["label"]: card for card in essentials.cards(ctx, "fictif",
                                                               essentials.page_sources(ctx))}
    jobs = cards["Emplois salariés de l'ESS"]
    assert (jobs["value"], jobs["evidence"]) == ("plus de 800", "Cité mot pour mot [2]")
    assert "non datée" in jobs["year"] and "tout le val" in jobs["warning"]
    share = cards["Part de l'ESS dans l'emploi"]
    assert (share["value"], share["evidence"]) == ("environ 9\u00a0%", "D'après [1]")
    assert "aucune référence régionale ou nationale de même base" in share["detail"]
    assert not cards["Budget ESS par habitant"]["known"]


@pytest.mark.parametrize("territory", TERRITORIES)
def test_messages_end_as_sentences_and_are_two_or_three(ctx, territory):
    # Sentence.done() re-reads every number it wrote against the values it was given.
    found = essentials.messages(ctx, territory)
    assert 2 <= len(found) <= 3
    assert all(m.endswith(".") for m in found)


def test_messages_give_the_numbers_of_the_data(fixture_contexts):
    ctx = fixture_contexts("fr", ("temoin",))
    found = essentials.messages(ctx, "temoin")
    assert "1\u202f500 emplois" in found[0] and "30,0 pour 1 000 habitants" in found[0]
    assert "12\u00a0%" in found[1] and "Région-Témoin" in found[1] and "10\u00a0%" in found[1]
    assert "1,2\u00a0million" in found[2] and "24\u00a0€ par habitant" in found[2]
    assert "à comparer seulement avec un budget de même périmètre" in found[2]
    # No budget: the message says so instead of a number.
    assert essentials.messages(fixture_contexts("fr", ("fictif",)), "fictif")[1] == (
        "Aucune source ne donne le budget consacré à l'ESS par Val-Fictif.")


def test_a_programme_that_ended_says_so_a_running_one_too(fixture_contexts):
    ctx = fixture_contexts("fr", ("temoin",))
    status = essentials.programme_status(ctx, "temoin")
    assert status["status"] == "ended" and status["period"] == "2016-2020"
    card = essentials.programme_card(ctx, "temoin", essentials.page_sources(ctx))
    assert card["warning"].startswith("Terminé")
    running = fixture_contexts("fr", ("fictif",))
    assert essentials.programme_status(running, "fictif")["status"] == "current"
    # Programmes are judged against the latest date the page holds: Ville-Témoin's page, 2024.
    assert essentials.as_of_year(ctx) == 2024


def test_page_date_comes_from_the_inputs_or_the_build(fixture_contexts, monkeypatch):
    ctx = fixture_contexts("fr", ("temoin",))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # Ville-Témoin's latest dated source is its page, published on 15 March 2024.
    assert essentials.page_date(ctx) == (datetime.date(2024, 3, 15), "day")
    assert "15 mars 2024" in essentials.date_line(ctx)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795910400")  # 29 November 2026
    assert essentials.date_line(ctx).startswith("Page établie le 29 novembre 2026")


def test_sources_numbered_once_and_cited_by_number(fixture_contexts):
    ctx = fixture_contexts("fr", ("temoin",))
    numbers = essentials.page_sources(ctx)
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    assert set(numbers) == {"national_panorama", "temoin_page"}
    listed = essentials.source_list_html(ctx)
    for n in numbers.values():
        assert f'id="source-{n}"' in listed
    first = next(iter(numbers))
    assert essentials.source_ref(ctx, first) == "[1]"


def test_page_date_is_that_of_its_own_sources_and_says_what_is_undated(fixture_contexts,
                                                                       monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # Val-Fictif's sources: its article (June 2023), its undated page and France's panorama
    # (2022). Ville-Témoin's page (March 2024) is not one of them, though it gives the région's
    # figure: a page once took its date from another territory's source.
    line = essentials.date_line(fixture_contexts("fr", ("fictif",)))
    assert "juin 2023" in line and "non datées : 1 sur 3" in line
    assert "2024" not in line
    # A source of "2024" may be of December: later than one of May 2024.
    assert essentials._latest([SimpleNamespace(date_published=datetime.date(2024, 5, 23),
                                               date_accessed="unknown"),
                               SimpleNamespace(date_published="2024", date_accessed="unknown")]
                              ) == (datetime.date(2024, 1, 1), "year")


def test_a_programme_dated_only_by_its_cited_step_shows_those_years(fixture_copy):
    from essbench.project import Project
    from essbench.report.context import load_context
    from tests.conftest import read_yaml, write_yaml

    path = fixture_copy / "data" / "profiles" / "fictif.yaml"
    profile = read_yaml(path)
    # The programme's years come from a cited page only: no quoted period, a step of its name.
    del profile["programme"]["period"]
    profile["policy_history"] = [{
        "id": "val_solidaire", "kind": "plan", "name": "Val Solidaire", "start": 2021,
        "end": 2026, "documents": [{"source": "fictif_article",
                                    "description": "Programme de 2021 à 2026."}]}]
    write_yaml(path, profile)
    ctx = load_context(Project(fixture_copy), "fr", ["fictif"])
    card = essentials.programme_card(ctx, "fictif", essentials.page_sources(ctx))
    assert card["value"] == "2021-2026" and card["known"]
    assert card["evidence"].startswith("D'après")  # a cited page, never "Cité mot pour mot"
    # Without that step, the years stay unknown and are said to be.
    profile["policy_history"] = []
    write_yaml(path, profile)
    ctx = load_context(Project(fixture_copy), "fr", ["fictif"])
    assert essentials.programme_status(ctx, "fictif")["status"] == "period_unknown"
