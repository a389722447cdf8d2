"""The one judgement on made-up fixture territories and texts: headlines, periods, precision,
verdicts, budget lines, series changes, lever status, labels and authority kinds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from essbench.evidence.dataset import load_dataset
import made_up
from made_up import budget_line as _line, fact as _fact
from essbench.evidence.profiles import Period
from essbench.text.catalog import t
from essbench.values import judgement
from essbench.values.normalize import Value, headline

pytestmark = pytest.mark.unit

# A made-up page: every quote of the fixture profiles below is taken from it.
PAGE = """Le Val-Fictif soutient l'ESS.
En 2023, le fonds à impact a reçu 1,1 M€, les conventions de partenariat 300 K€ et le
fonctionnement 170000€. Un investissement de 300 k€ sur 2024 et 2025 est prévu.
La part de l'ESS atteint 11,08 % de l'emploi salarié en 2019.
Vers 2016, l'ESS faisait 10 % de l'emploi salarié.
En France, l'ESS fait 10,2 % de l'emploi salarié en 2019.
Emplois de l'ESS : 1 700 vers 2007 dans l'ancienne communauté, 2 000 en 2016.
Établissements : 150 en 2012 ; la fiche récente en compte 190.
Enveloppe de l'appel à projets : 25 000 € en 2019 ; montant attribué : 60 000 € en 2023.
Un fonds d'amorçage sera créé. Un réseau des acteurs est animé.
Le conseil départemental pilote l'insertion.
"""
import datetime

PUBLISHED = datetime.date(2024, 3, 1)




LINES = made_up.LINES_2023
TWO_YEARS = _line("investment", 300_000, "300 k€", "investment",
                  "Un investissement de 300 k€ sur 2024 et 2025", period="2024-2025",
                  spread="multi_year")
SHARE_2019 = _fact("share_2019", "ess_employment_share", 0.1108, "share", 2019, "11,08 %",
                   "11,08 % de l'emploi salarié en 2019", conversion="percent",
                   base="salaried_jobs")
SHARE_2016 = _fact("share_2016", "ess_employment_share", 0.10, "share",
                   {"start": 2016, "about": True, "note": "Vers 2016."}, "10 %",
                   "Vers 2016, l'ESS faisait 10 % de l'emploi salarié", conversion="percent",
                   base="salaried_jobs")
JOBS = [
    _fact("jobs_2007", "ess_employees", 1700, "persons",
          {"start": 2007, "about": True, "note": "Vers 2007."}, "1 700",
          "1 700 vers 2007 dans l'ancienne communauté",
          geography_as_worded="l'ancienne communauté"),
    _fact("jobs_2016", "ess_employees", 2000, "persons", 2016, "2 000", "2 000 en 2016"),
]
ESTABLISHMENTS = [
    _fact("est_2012", "ess_establishments", 150, "count", 2012, "150", "150 en 2012"),
    _fact("est_undated", "ess_establishments", 190, "count",
          {"note": "Non indiquée ; fiche récente."}, "190", "la fiche récente en compte 190"),
]
CALLS = [
    _fact("call_2019", "call_for_projects_eur", 25000, "eur", 2019, "25 000 €",
          "Enveloppe de l'appel à projets : 25 000 € en 2019",
          scope={"nature": "call_for_projects", "period": "annual", "measure": "envelope"}),
    _fact("call_2023", "call_for_projects_eur", 60000, "eur", 2023, "60 000 €",
          "montant attribué : 60 000 € en 2023",
          scope={"nature": "call_for_projects", "period": "annual", "measure": "awarded",
                 "other_funds": ["programme alimentaire"]}),
]
FRANCE = [_fact("fr_2019", "ess_employment_share", 0.102, "share", 2019, "10,2 %",
                "l'ESS fait 10,2 % de l'emploi salarié en 2019", conversion="percent",
                base="salaried_jobs")]


def write_project(root: Path, facts: list[dict], kind: str = "etablissement_public_territorial",
                  others: dict | None = None, **extra) -> Path:
    """A project with one fixture territory (and others), its archived page and France."""
    made_up.write_archived_page(root, PAGE, "fictif", "Val-Fictif", PUBLISHED, "2024.")
    profiles = {"fictif": (kind, facts, extra), **(others or {})}
    for tid, (tkind, tfacts, textra) in profiles.items():
        profile = {
            "id": tid, "names": {"official": tid.capitalize(), "short": tid.capitalize()},
            "kind": tkind,
            "codes": {"siren": "unknown", "insee": "unknown", "departement": "01",
                      "region": "84"},
            "perimeter": {"rule": "communes", "communes": ["01001"], "valid_from": "unknown"},
            "facts": tfacts, "programme": {"name": "unknown"}, **textra,
        }
        (root / "data" / "profiles" / f"{tid}.yaml").write_text(
            yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "data" / "references" / "france.yaml").write_text(yaml.safe_dump({
        "id": "france", "name": "France", "kind": "country", "code": "FR", "facts": FRANCE},
        allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "data"


def test_lines_without_a_total_are_said_never_unknown(tmp_path):
    from essbench.text.values import lines_text

    dataset = load_dataset(write_project(tmp_path, LINES))
    budget = headline(dataset, "fictif", "ess_budget_eur")
    assert not budget.known and judgement.held(budget)
    head, items = lines_text(budget, "fr")
    assert head == "3 lignes en 2023, pas de total publié"
    assert "subventions ou fonds" in items[0] and "2023" in items[0] and "annuel" in items[0]
    # Our sum is labelled as ours, never as the territory's budget.
    assert items[-1].startswith("notre somme des lignes, pas un budget publié")
    assert lines_text(budget, "en")[0] == "3 lines in 2023, no published total"


def test_a_two_year_line_is_named_with_its_span_and_gives_no_sum(tmp_path):
    from essbench.text.values import lines_text

    dataset = load_dataset(write_project(tmp_path, [*LINES, TWO_YEARS]))
    budget = headline(dataset, "fictif", "ess_budget_eur")
    head, items = lines_text(budget, "fr")
    assert head == "4 lignes en 2023, 2024-2025, pas de total publié"
    assert any("investissement, 2024-2025, pluriannuel" in item for item in items)
    assert not any("notre somme" in item for item in items)  # lines of two periods: no sum


def test_a_share_is_shown_as_written(tmp_path):
    from essbench.text.values import formatted

    dataset = load_dataset(write_project(tmp_path, [SHARE_2019]))
    share = headline(dataset, "fictif", "ess_employment_share")
    assert judgement.precision_of(share).decimals == 2
    assert formatted(share, "fr") == "11,08\u00a0%"
    assert formatted(share, "en") == "11.08%"


def test_a_round_figure_of_about_2016_is_of_the_same_order_as_10_2_in_2019(tmp_path):
    dataset = load_dataset(write_project(tmp_path, [SHARE_2016]))
    share = headline(dataset, "fictif", "ess_employment_share")
    france = judgement.order(share, headline(dataset, "france", "ess_employment_share"),
                             dataset)
    assert judgement.precision_of(share).round
    assert france.order == "same_order"
    assert [c.code for c in france.reasons] == ["precision", "period_gap"]
    assert france.gap == 3


def test_11_08_in_2019_is_above_10_2_in_2019_and_the_sentence_says_so(tmp_path):
    from essbench.text.reading import yardstick_sentences

    dataset = load_dataset(write_project(tmp_path, [SHARE_2019]))
    share = headline(dataset, "fictif", "ess_employment_share")
    assert judgement.order(share, headline(dataset, "france", "ess_employment_share"),
                           dataset).order == "above"
    (sentence,) = yardstick_sentences(dataset, {"fictif": {"ess_employment_share": share}},
                                      ["fictif"], "fr")
    assert "11,08" in sentence and "supérieure à la part nationale" in sentence


def test_the_reading_says_same_order_and_why_for_10_about_2016(tmp_path):
    from essbench.text.reading import yardstick_sentences

    dataset = load_dataset(write_project(tmp_path, [SHARE_2016]))
    share = headline(dataset, "fictif", "ess_employment_share")
    (fr,) = yardstick_sentences(dataset, {"fictif": {"ess_employment_share": share}},
                                ["fictif"], "fr")
    assert "inférieure" not in fr and "du même ordre que" in fr
    assert "vers 2016 et de 2019" in fr and "3 ans séparent" in fr
    (en,) = yardstick_sentences(dataset, {"fictif": {"ess_employment_share": share}},
                                ["fictif"], "en")
    assert "about 2016" in en and "below" not in en


def test_envelope_and_awarded_points_mark_the_change(tmp_path):
    from essbench.text.reading import change_sentence
    from essbench.values.normalize import series

    dataset = load_dataset(write_project(tmp_path, CALLS))
    (points,) = series(dataset, "fictif", "call_for_projects_eur").values()
    ((index, reasons),) = judgement.series_changes(points)
    assert index == 1 and [c.code for c in reasons] == ["measure", "other_funds"]
    sentence = change_sentence(dataset, points, "fr")
    assert "changement de série (2023) : enveloppe annoncée puis montant attribué" in sentence


def test_a_perimeter_change_inside_a_series_is_marked(tmp_path):
    from essbench.figures.series import series_figure
    from essbench.values.normalize import series

    dataset = load_dataset(write_project(tmp_path, JOBS))
    (points,) = series(dataset, "fictif", "ess_employees").values()
    assert [c.code for _, r in judgement.series_changes(points) for c in r] == [
        "perimeter_change"]
    fig = series_figure(dataset, "fictif", points, "fr")
    assert list(fig.data[0].x) == [2007, None, 2016]  # the line breaks
    assert any(d.line.dash == "dot" for d in fig.data)
    # A count never shares its axis with France's figure of another magnitude.
    assert all(d.name != "France" for d in fig.data)


def test_an_undated_value_bounded_by_a_later_source_heads_over_an_older_dated_one(tmp_path):
    dataset = load_dataset(write_project(tmp_path, ESTABLISHMENTS))
    value = headline(dataset, "fictif", "ess_establishments")
    assert value.value == 190 and value.why.code == "later_publication"
    assert judgement.when_of(value, dataset).bound == 2024
    assert [v.value for v in value.history] == [150]


def test_a_planned_lever_is_shown_but_never_counted(tmp_path):
    from essbench.text.reading import levers_sentence

    levers = [{"lever": "solidarity_finance", "status": "planned", "source": "page",
               "quote": "Un fonds d'amorçage sera créé."},
              {"lever": "network_animation", "status": "done", "source": "page",
               "quote": "Un réseau des acteurs est animé."}]
    other = {"autre": ("departement", [], {"levers": [levers[1]]})}
    dataset = load_dataset(write_project(tmp_path, [], others=other, levers=levers))
    assert judgement.done_count(dataset, "fictif") == 1
    cells = judgement.status_matrix(dataset, ["fictif", "autre"])
    assert cells[("solidarity_finance", "fictif")] == "planned"
    assert cells[("solidarity_finance", "autre")] == "none"
    sentence = levers_sentence(dataset, ["fictif", "autre"], "fr")
    assert "Fictif 1, Autre 1" in sentence
    assert "non comptés car prévus" in sentence and "(prévu ou annoncé)" in sentence


def test_quoted_and_cited_labels():
    quoted = Value("x", "ess_employees", 10.0, quote="10 emplois", evidence="quoted")
    cited = Value("x", "ess_employees", 10.0, description="Emplois.", evidence="cited")
    ratio = Value("x", "ess_budget_per_inhabitant_eur", 1.0, derived=True)
    assert [judgement.evidence_kind(v) for v in (quoted, cited, ratio)] == [
        "quoted", "cited", "computed"]
    assert t("essentials.evidence.quoted", "fr", refs="[1]") == "Cité mot pour mot [1]"
    assert t("essentials.evidence.cited", "fr", refs="[1]") == "D'après [1]"


def test_a_curators_order_of_magnitude_note_does_not_make_an_exact_value_approximate():
    value = Value("x", "ess_employment_share", 0.1, qualifier="exact", as_written="10 %",
                  conversion="percent", note="« 10 % » est un ordre de grandeur arrondi.")
    assert not judgement.approximate(value)
    assert judgement.approximate(Value("x", "ess_employment_share", 0.1,
                                       qualifier="approximately"))


def test_a_departement_beside_an_ept_is_said_in_plain_words(tmp_path):
    from essbench.text.comparability import authority_note

    other = {"autre": ("departement", [SHARE_2019 | {"id": "s"}], {})}
    dataset = load_dataset(write_project(tmp_path, [SHARE_2019], others=other))
    values = [headline(dataset, tid, "ess_employment_share") for tid in ("fictif", "autre")]
    found = judgement.verdict(values, dataset)
    assert "authority_kind" in found.codes and found.verdict == "comparable_with_note"
    note = authority_note(dataset, ["fictif", "autre"], "fr")
    assert "établissement public territorial" in note and "un département" in note
    assert "EPT" in authority_note(dataset, ["fictif", "autre"], "en")


def test_verdicts_stop_at_base_nature_and_spread():
    a = Value("a", "ess_employment_share", 0.1, period=Period(start=2019), base="all_jobs")
    b = Value("b", "ess_employment_share", 0.1, period=Period(start=2019), base="salaried_jobs")
    assert judgement.verdict([a, b]).verdict == "not_comparable"
    same = Value("c", "ess_employment_share", 0.12, period=Period(start=2015),
                 base="all_jobs")
    found = judgement.verdict([a, same])
    assert found.verdict == "comparable_with_note" and found.codes == ("period_gap",)


def test_a_ratio_inherits_the_periods_of_its_inputs(tmp_path):
    from essbench.values.normalize import _ratio

    budget = Value("x", "ess_budget_eur", 1000.0, year=2019, period=Period(start=2019),
                   fact_id="b")
    jobs = Value("x", "ess_employees", 100.0, period=Period(start=2016, about=True),
                 fact_id="j")
    ratio = _ratio("x", "ess_budget_per_ess_employee_eur", budget, jobs)
    when = judgement.when_of(ratio)
    assert (when.start, when.end, when.about) == (2016, 2019, True)
    assert [w.start for _, w in judgement.inputs_when(ratio)] == [2019, 2016]


def test_the_reading_says_lines_never_unknown(tmp_path):
    from essbench.text.reading import budget_sentence

    other = {"autre": ("departement", [], {})}
    dataset = load_dataset(write_project(tmp_path, LINES, others=other))
    values = {tid: {"ess_budget_eur": headline(dataset, tid, "ess_budget_eur"),
                    "ess_gross_wages_eur": headline(dataset, tid, "ess_gross_wages_eur")}
              for tid in ("fictif", "autre")}
    sentence = budget_sentence(dataset, values, ["fictif", "autre"], "fr")
    assert "Fictif : 3 lignes de budget (2023), pas de total publié" in sentence
    assert "inconnu pour" in sentence and "Fictif" not in sentence.split("inconnu pour")[1]


def test_the_budget_card_of_a_page_says_lines_without_a_total(fixture_copy):
    from essbench.project import Project
    from essbench.report import essentials
    from essbench.report.context import load_context

    path = fixture_copy / "data" / "profiles" / "fictif.yaml"
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    for id_, value, nature in (("fund", 1_100_000, "grants_or_fund"),
                               ("conventions", 300_000, "partnership_agreements"),
                               ("operating", 170_000, "operating")):
        profile["facts"].append({
            "id": id_, "indicator": "ess_budget_line_eur", "value": value, "unit": "eur",
            "period": 2023, "qualifier": "exact", "as_written": f"{value} €",
            "scope": {"nature": nature, "period": "annual"}, "source": "fictif_article",
            "description": f"Made-up budget line ({nature}), 2023."})
    path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    for lang, head in (("fr", "3 lignes en 2023, pas de total publié"),
                       ("en", "3 lines in 2023, no published total")):
        ctx = load_context(Project(fixture_copy), lang=lang, territories=["fictif"])
        numbers = essentials.page_sources(ctx)
        card = essentials.budget_card(ctx, "fictif", numbers)
        assert card["known"] and card["value"] == head
        assert card["evidence"].startswith("D'après" if lang == "fr" else "According to")
        per = essentials.per_inhabitant_card(ctx, "fictif", numbers)
        assert "total" in per["detail"]
        message = essentials.budget_message(ctx, "fictif")
        assert "1\u202f100\u202f000" in message or "1,1" in message or "1.1" in message
        assert "inconnu" not in message and "unknown" not in message


def test_a_line_of_unknown_year_is_said_in_words(tmp_path):
    """One line whose source gives no year reads 'd'année non indiquée', never the code."""
    from essbench.text.values import lines_text

    undated = made_up.budget_line("fund_undated", 1_100_000, "1,1 M€", "grants_or_fund",
                                  "le fonds à impact a reçu 1,1 M€",
                                  period={"note": "Non indiquée."})
    dataset = load_dataset(write_project(tmp_path, [undated]))
    budget = headline(dataset, "fictif", "ess_budget_eur")
    assert judgement.held(budget)
    assert lines_text(budget, "fr")[0] == "1 ligne d'année non indiquée, pas de total publié"
    assert lines_text(budget, "en")[0] == "1 line of a year not stated, no published total"
