"""Figures, maps, HTML display and the generated reading: French, honest, safe and light."""

from __future__ import annotations

import copy
import dataclasses
import json
import re

import plotly.graph_objects as go
import pytest

from essbench.report import display
from essbench.figures import bars, layout, matrices, timeline
from essbench.figures import maps
from essbench.text import reading
from essbench.values.normalize import Value

# The fixture project's territories (tests/fixture_project.py): Val-Fictif has a former
# perimeter, a lower-bound share, a wage bill and no budget; Ville-Témoin yardsticks of its base.
TERRITORIES = ["temoin", "fictif"]
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def ctx(fixture_contexts):
    return fixture_contexts("fr")


def all_figures(ctx) -> dict[str, go.Figure]:
    built = {}
    for t in TERRITORIES:
        values = ctx.values[t]
        built[f"{t}-emploi"] = bars.employment_share_figure(ctx.dataset, values, t)
        built[f"{t}-formes"] = bars.legal_forms_figure(ctx.dataset, values, t)
        built[f"{t}-situation"] = maps.locator_map(ctx.dataset, ctx.departements,
                                                   ctx.perimeters, t)
        built[f"{t}-perimetre"] = maps.perimeter_map(ctx.dataset, ctx.communes,
                                                     ctx.perimeters, t)
    for indicator in ("ess_employment_share", "ess_budget_eur", "ess_budget_per_inhabitant_eur",
                      "ess_staff", "policy_start_year"):
        built[f"cmp-{indicator}"] = bars.comparison_figure(ctx.dataset, ctx.values, indicator,
                                                              TERRITORIES)
    built["leviers"] = matrices.levers_matrix(ctx.dataset, TERRITORIES)
    built["themes"] = matrices.themes_matrix(ctx.dataset, TERRITORIES)
    built["calendrier"] = timeline.timeline_figure(ctx.dataset, TERRITORIES)
    built["carte"] = maps.france_map(ctx.dataset, ctx.departements, ctx.perimeters, ctx.values,
                                     "ess_employment_share", TERRITORIES)
    return built


@pytest.fixture(scope="session")
def built(ctx):
    return all_figures(ctx)


def test_every_figure_writes_french_numbers(built):
    for name, fig in built.items():
        assert fig.layout.separators == ", ", name


def test_no_geo_subplot_anywhere(built):
    # A geo or choropleth trace makes plotly.js fetch a world topojson from a CDN.
    for name, fig in built.items():
        assert {trace.type for trace in fig.data} <= {"bar", "scatter"}, name
        layout = fig.to_plotly_json()["layout"]
        assert not {"geo", "mapbox", "map"} & set(layout), name


def test_every_figure_has_a_caption_with_its_sources(built):
    for name, fig in built.items():
        caption = fig.caption
        assert caption, name
        if not name.endswith(("situation", "perimetre")):
            assert "Source" in caption or "Aucune source" in caption, name


def test_same_inputs_give_byte_identical_html(ctx):
    first = display.figure_html(matrices.levers_matrix(ctx.dataset, TERRITORIES), "fig-leviers")
    again = display.figure_html(matrices.levers_matrix(ctx.dataset, TERRITORIES), "fig-leviers")
    assert first == again
    assert 'id="fig-leviers"' in first
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", first)


def test_show_embeds_no_plotly_js(ctx):
    fig = bars.comparison_figure(ctx.dataset, ctx.values, "ess_budget_eur", TERRITORIES)
    bundle = display.figure_bundle(fig, "fig-budget")
    assert set(bundle) >= {"application/vnd.plotly.v1+json", "text/html"}
    page = bundle["text/html"]
    # plotly.js weighs megabytes; the figure and its table a few dozen kilobytes.
    assert len(page) < 100_000
    assert page.count("<script") == 1 and "Plotly.newPlot" in page
    assert "plotly.js v" not in page and "<figcaption>" in page and "<details" in page
    assert bundle["application/vnd.plotly.v1+json"]["layout"]["separators"] == ", "


def test_maps_stay_light(built):
    for name in ("carte", "fictif-perimetre", "temoin-perimetre", "fictif-situation"):
        assert len(built[name].to_json()) < 250_000, name


def hostile_dataset(ctx):
    dataset = copy.deepcopy(ctx.dataset)
    profile = dataset.profiles["temoin"]
    profile.levers[0].quote = HOSTILE
    profile.themes[0].quote = HOSTILE
    profile.programme.actions[0].title = HOSTILE
    profile.names.short = f"Témoin {HOSTILE}"
    return dataset


def test_hostile_text_is_escaped_everywhere(ctx):
    dataset = hostile_dataset(ctx)
    hostile_ctx = dataclasses.replace(ctx, dataset=dataset)
    pages = [
        display.figure_html(matrices.levers_matrix(dataset, TERRITORIES), "fig-leviers"),
        display.figure_html(matrices.themes_matrix(dataset, TERRITORIES), "fig-themes"),
        display.figure_html(bars.comparison_figure(dataset, ctx.values, "ess_employees",
                                                      TERRITORIES), "fig-emplois"),
        display.levers_themes_html(hostile_ctx, "temoin"),
        display.actions_html(hostile_ctx, "temoin"),
        display.title_html(hostile_ctx, "temoin"),
        display.key_figures_html(hostile_ctx, TERRITORIES, ["ess_employees"]),
    ]
    for page in pages:
        assert HOSTILE not in page
        assert "alert(1)" in page  # shown, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[3]
    for page in pages[:3]:
        assert page.count("<script") == 1  # only the figure's own Plotly.newPlot call


def test_unknown_is_shown_as_unknown_never_zero(ctx, built):
    forms = built["fictif-formes"]
    assert not [t for t in forms.data if t.type == "bar" and t.x and t.x[0] is not None]
    assert [a.text for a in forms.layout.annotations].count("<i>inconnu</i>") == 4
    budget = built["cmp-ess_budget_eur"]
    labels = [y for t in budget.data if t.type == "bar" for y in (t.y or []) if y]
    assert labels == ["<b>Ville-Témoin</b>"]
    assert [a.y for a in budget.layout.annotations if a.text == "<i>inconnu</i>"] == [
        "<b>Val-Fictif</b>"]
    rows = budget.table["rows"]
    fictif = next(r for r in rows if r[0] == "Val-Fictif")
    assert fictif[2].startswith("inconnu")
    carte = built["carte"]
    fictif_trace = next(t for t in carte.data if t.name and t.name.startswith("Val-Fictif"))
    temoin_trace = next(t for t in carte.data if t.name and t.name.startswith("Ville-Témoin"))
    # Another base than the map's other values: hatched, as an unknown would be.
    assert fictif_trace.fillpattern.shape == "/" and not temoin_trace.fillpattern.shape


def test_wage_bill_is_never_a_budget(ctx, built):
    budget = built["cmp-ess_budget_eur"]
    assert [list(t.x) for t in budget.data if t.type == "bar"] == [[1_200_000]]
    html = display.budget_html(ctx, "fictif")
    assert "inconnu" in html and "pas un budget ESS" in html and "30 millions" in html


def test_lower_bound_is_marked(built):
    bar = next(t for t in built["fictif-emploi"].data
               if t.type == "bar" and t.text and "plus de" in t.text[0])
    assert bar.text[0] == "plus de 12\u00a0%"
    assert bar.marker.pattern.shape == "/"
    legend = [t.name for t in built["fictif-emploi"].data]
    assert "Valeur plancher («\u00a0plus de\u00a0»)" in legend


def test_yardsticks_only_with_the_same_base(built):
    temoin = {r[0]: r[2] for r in built["temoin-emploi"].table["rows"]}
    assert (temoin["France"], temoin["Région-Témoin"]) == ("10,5\u00a0%", "10\u00a0%")
    # Val-Fictif gives shares of all jobs and of private jobs; France and the région only of
    # salaried jobs: nothing to set them against.
    fictif = built["fictif-emploi"].table["rows"]
    assert {r[0] for r in fictif} == {"Val-Fictif"}


def test_former_perimeter_drawn_apart(built):
    fig = built["fictif-perimetre"]
    former = [t for t in fig.data if t.legendgroup == "Ancien-Val"]
    assert len(former) == 2 and former[0].showlegend and not former[1].showlegend
    assert "Ancien-Val" in former[0].name and "31 décembre 2019" in former[0].name
    assert all("habitants" in t.text for t in former)


def test_timeline_shows_the_perimeter_change(built):
    events = [t for t in built["calendrier"].data if t.text and "Ancien-Val" in t.text[0]]
    assert events and abs(events[0].x[0] - 2020.0) < 1e-9


def test_map_coordinates_are_rounded(built):
    for name, decimals in (("carte", 1), ("fictif-perimetre", 2)):
        for trace in built[name].data:
            for x in ([] if trace.x is None else trace.x):
                if x is not None:
                    assert round(x, decimals) == x, name


def test_reading_numbers_are_checked(ctx):
    sentences = reading.lecture(ctx.dataset, ctx.values, TERRITORIES)
    assert any("environ 9\u00a0%" in s and "12\u00a0%" in s and "bases diffèrent" in s
               for s in sentences)
    assert any("n'est pas un budget" in s for s in sentences)
    wrong = reading.Sentence().text("La part est de 12 %")
    with pytest.raises(reading.SentenceCheckFailed, match="14 %"):
        wrong.parts.append(" et de 14 %")
        wrong.done()


@pytest.mark.parametrize(("lang", "budget", "per_inhabitant", "written"), [
    ("fr", 1_234_567.0, 63.4, "1,2\u00a0million d’euros"),
    ("fr", 2_900_000.0, 47.49, "2,9\u00a0millions d’euros"),
    ("en", 534_000.0, 43.6, "534,000"),
])
def test_a_value_is_checked_as_rounded_for_reading(lang, budget, per_inhabitant, written):
    # A budget per inhabitant of 63,4 € is written 63 €: the reading accepts its own rounding
    # (the real budgets per inhabitant, 0,79 € and 5,93 €, are written with two decimals; from
    # about 10 € they are written without, and the first synthetic pages failed here).
    amount = Value("x", "ess_budget_eur", budget, fact_id="b")
    ratio = Value("x", "ess_budget_per_inhabitant_eur", per_inhabitant,
                  inputs=("ess_budget_eur", "reference:population"))
    sentence = reading.Sentence(lang).value(amount).text(" ; ").value(ratio).done()
    assert written in sentence and str(round(per_inhabitant)) in sentence
    wrong = reading.Sentence(lang).value(amount).text(" ; ")
    wrong.parts.append(str(round(per_inhabitant) + 1))
    with pytest.raises(reading.SentenceCheckFailed, match="matches no cited value"):
        wrong.done()


def test_paper_rows_keep_labels_apart(built):
    """Figures that may draw their rows closer on paper say so in their layout (the page's
    print script reads it); the calendar's lanes stay far enough apart there for a label of
    two 12 px lines beside a label of one (about 15 and 29 px high), within the 3 px of
    overlap the browser check (tests/browser.py TEXT_CLASHES_JS) lets pass."""
    hint = built["calendrier"].layout.meta["essPrint"]
    assert hint["rows"] == len(TERRITORIES) and hint["printRowPx"] < hint["rowPx"] == 100
    lane_px = hint["printRowPx"] * 0.3  # the lanes of a territory are 0.3 of its row apart
    assert lane_px >= (15 + 29) / 2 - 3, lane_px
    # two territories: a matrix with territories as columns, nothing to draw closer
    assert not (built["leviers"].layout.meta or {}).get("essPrint")
    assert layout.print_rows(go.Figure(), 3, 26, 13, 0.75, 16).layout.meta["essPrint"] == {
        "rows": 3, "rowPx": 26, "printRowPx": 13, "markerScale": 0.75, "topLess": 16}
