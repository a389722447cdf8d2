"""Statement audit of every page, French and English: each number of a card, of the key-figures
table, of the reading and of the Évolution sentences comes from the judgement's value that
allowed it, and no page calls a value unknown while the evidence holds it or its lines."""

from __future__ import annotations

import re

import pytest

from essbench.figures.series import territory_series
from essbench.report import essentials
from essbench.report.sections import KEY_INDICATORS, key_figures_html
from essbench.text.reading import change_sentence, lecture
from essbench.text.values import formatted, lines_text
from essbench.values import judgement

# No module-level tier: the page audit below is a notebooks test, the others unit tests.

CARD_INDICATORS = {
    "jobs_card": ("ess_employees",),
    "share_card": ("ess_employment_share", "ess_private_employment_share"),
    "budget_card": ("ess_budget_eur",),
    "per_inhabitant_card": ("ess_budget_per_inhabitant_eur",),
    "staff_card": ("ess_staff",),
}
LANGS = ("fr", "en")


def _territories(dataset):
    return sorted(dataset.profiles)


@pytest.mark.parametrize("lang", LANGS)
def test_every_card_number_is_the_judged_value_and_no_held_value_is_unknown(contexts, lang):
    ctx = contexts(lang)
    for tid in _territories(ctx.dataset):
        numbers = essentials.page_sources(ctx)
        for name, indicators in CARD_INDICATORS.items():
            card = getattr(essentials, name)(ctx, tid, numbers)
            values = [ctx.values[tid][i] for i in indicators]
            if not card["known"]:
                held = [v for v in values if judgement.held(v)]
                assert not held, f"{tid} {name}: called unknown while the evidence holds {held}"
                continue
            allowed = {formatted(v, lang) for v in values if v.known}
            allowed |= {lines_text(v, lang)[0] for v in values if lines_text(v, lang)}
            assert card["value"] in allowed, f"{tid} {name}: {card['value']} not judged"


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_figure_is_the_judged_value_with_its_period(contexts, lang):
    ctx = contexts(lang)
    territories = _territories(ctx.dataset)
    html = key_figures_html(ctx, territories)
    for indicator in KEY_INDICATORS:
        for tid in territories:
            value = ctx.values[tid][indicator]
            if judgement.held(value):
                shown = lines_text(value, lang)[0] if not value.known else formatted(value, lang)
                assert shown.replace("'", "&#39;") in html, (tid, indicator, shown)


@pytest.mark.parametrize("lang", LANGS)
def test_reading_and_evolution_sentences_check_their_numbers(contexts, lang):
    # Sentence.done() refuses any number that is not a value the judgement handed it: building
    # the sentences is the audit. A held budget is never called unknown in them.
    ctx = contexts(lang)
    territories = _territories(ctx.dataset)
    sentences = lecture(ctx.dataset, ctx.values, territories, lang)
    assert sentences
    for tid in territories:
        for values in territory_series(ctx.dataset, tid):
            change_sentence(ctx.dataset, values, lang)
        for message in essentials.messages(ctx, tid):
            budget = ctx.values[tid]["ess_budget_eur"]
            if judgement.held(budget):
                assert not re.search(r"budget ESS (est )?inconnu|ESS budget (is )?unknown",
                                     message), message


def test_english_pages_explain_ess_once(contexts):
    from essbench.text.catalog import t

    for key in ("profile.lead", "compare.lead"):
        assert t(key, "en", who="X").count("ESS (social and solidarity economy, SSE)") == 1


# ---------------------------------------------------------------- built pages


@pytest.fixture(scope="module")
def built_pages(tmp_path_factory) -> dict[str, str]:
    """Every page of the project built in a copy of it, never in its own outputs/."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    source = Path(__file__).resolve().parents[1]
    root = tmp_path_factory.mktemp("audit")
    for folder in ("data", "notebooks", "params"):
        shutil.copytree(source / folder, root / folder, ignore=shutil.ignore_patterns("*.pyc"))
    run = subprocess.run([sys.executable, "-m", "essbench.cli", "--root", str(root), "build"],
                         capture_output=True, text=True, timeout=900, cwd=root)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return {path.stem: path.read_text(encoding="utf-8")
            for path in (root / "outputs" / "html").glob("*.html") if path.stem != "index"}


_KCARD = re.compile(r'<div class="ess-kcard-label">(?P<label>.*?)</div>'
                    r'<div class="ess-kcard-value">(?P<value>.*?)</div>')


@pytest.mark.notebooks
def test_every_built_card_is_the_judgement_s(built_pages, contexts):
    import html as html_lib

    audited = 0
    for name, page in built_pages.items():
        if name.startswith("compare"):
            continue
        lang = "en" if name.endswith("_en") else "fr"
        tid = name.removesuffix("_en")
        ctx = contexts(lang)
        numbers = essentials.page_sources(ctx)
        expected = {card["label"]: card for card in essentials.cards(ctx, tid, numbers)}
        for match in _KCARD.finditer(page):
            label, value = html_lib.unescape(match["label"]), html_lib.unescape(match["value"])
            card = expected[label]
            # The page writes what the judgement's card says, nothing else.
            assert value == card["value"], (name, label, value, card["value"])
            audited += 1
        for func, indicators in CARD_INDICATORS.items():
            card = getattr(essentials, func)(ctx, tid, numbers)
            if not card["known"]:
                assert not any(judgement.held(ctx.values[tid][i]) for i in indicators), (
                    name, func)
    assert audited >= 6 * 5  # six cards on each territory page
