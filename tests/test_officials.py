"""'L'essentiel', the page's date and its numbered sources, as an official reads them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from essbench.report import essentials

TERRITORIES = ("pas_de_calais", "gpsea", "grasse", "grenoble")


@pytest.fixture(scope="module", params=("fr", "en"))
def ctx(request, contexts):
    return contexts(request.param)


@pytest.mark.parametrize("territory", TERRITORIES)
def test_six_cards_each_dated_with_its_evidence(ctx, territory):
    numbers = essentials.page_sources(ctx)
    cards = essentials.cards(ctx, territory, numbers)
    assert len(cards) == 6
    for card in cards:
        if card["known"] and card["label"] != essentials.t("essentials.programme", ctx.lang):
            assert card["year"], f"{territory}: {card['label']} has no year line"
            assert "[" in card["evidence"], f"{territory}: {card['label']} cites no source"


@pytest.mark.parametrize("territory", TERRITORIES)
def test_three_messages_whose_numbers_are_the_data(ctx, territory):
    # Sentence.done() re-reads every number it wrote against the values it was given.
    found = essentials.messages(ctx, territory)
    assert 2 <= len(found) <= 3
    assert all(m.endswith(".") for m in found)


def test_pas_de_calais_first_messages(contexts):
    ctx = contexts("fr", ("pas_de_calais",))
    found = essentials.messages(ctx, "pas_de_calais")
    assert "48\u202f390 emplois" in found[0] and "33,0 pour 1 000 habitants" in found[0]
    assert "plus de 13\u00a0%" in found[1] and "11,3\u00a0%" in found[1]
    assert "8,7\u00a0millions" in found[2] and "à ne pas comparer" in found[2]


def test_a_programme_that_ended_says_so(contexts):
    ctx = contexts("fr", ("grenoble",))
    status = essentials.programme_status(ctx, "grenoble")
    assert status["status"] == "ended" and status["period"] == "2016-2020"
    card = essentials.programme_card(ctx, "grenoble", essentials.page_sources(ctx))
    assert card["warning"].startswith("Terminé")


def test_page_date_comes_from_the_inputs_or_the_build(contexts, monkeypatch):
    ctx = contexts("fr", ("pas_de_calais",))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    date, precision = essentials.page_date(ctx)
    assert date <= datetime.date.today() and precision in ("day", "month", "year")
    assert essentials.date_line(ctx) == essentials.date_line(ctx)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795910400")  # 29 November 2026
    assert essentials.date_line(ctx).startswith("Page établie le 29 novembre 2026")


def test_sources_numbered_once_and_cited_by_number(contexts):
    ctx = contexts("fr", ("pas_de_calais",))
    numbers = essentials.page_sources(ctx)
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    listed = essentials.source_list_html(ctx)
    for n in numbers.values():
        assert f'id="source-{n}"' in listed
    first = next(iter(numbers))
    assert essentials.source_ref(ctx, first) == "[1]"


def test_page_date_is_that_of_its_own_sources_and_says_what_is_undated(contexts, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # Grenoble's five sources: one dated (25 June 2007), four undated. A page once took its
    # date from another territory's source (September 2024, Pas-de-Calais).
    line = essentials.date_line(contexts("fr", ("grenoble",)))
    assert "25 juin 2007" in line and "non datées : 4 sur 5" in line
    assert "2024" not in line
    # A source of "2024" may be of December: later than one of May 2024.
    assert essentials._latest([SimpleNamespace(date_published=datetime.date(2024, 5, 23),
                                               date_accessed="unknown"),
                               SimpleNamespace(date_published="2024", date_accessed="unknown")]
                              ) == (datetime.date(2024, 1, 1), "year")
    # Programmes are judged against the latest date the page holds, yardsticks' sources included.
    assert essentials.as_of_year(contexts("fr", ("grenoble",))) == 2024
