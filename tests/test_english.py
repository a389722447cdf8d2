"""English pages: no French outside verbatim quotes, proper names and the curators' own words,
and the page declares its language. Unit checks render every section in English in-process,
for the fixture project's territories (tests/fixture_project.py); the page checks build the two
real English params files in a temporary copy of the project."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from essbench.figures import bars, layout, maps, matrices, timeline
from essbench.report import display
from essbench.text import reading

ROOT = Path(__file__).resolve().parent.parent
TERRITORIES = ["temoin", "fictif"]  # the fixture project's
# Words that are French and not English: one of them outside the allowed text is a leak.
FRENCH_WORDS = {
    "le", "la", "les", "des", "du", "au", "aux", "est", "et", "pour", "sur", "dans", "une",
    "aucune", "aucun", "inconnu", "inconnue", "année", "années", "valeur", "valeurs",
    "périmètre", "emplois", "emploi", "établissements", "selon", "avec", "sans", "qui", "que",
    "pas", "leviers", "levier", "thèmes", "thème", "calendrier", "carte", "chiffre", "chiffres",
    "citation", "précisé", "précisée", "jamais", "nationale", "régionale", "collectivité",
    "politique", "comprend", "hors", "depuis", "jusqu", "cette", "sont", "été", "leur", "leurs",
    "dont", "mais", "moins", "environ", "habitants", "lecture", "sources", "source", "budget",
    "ni", "ne", "où", "après", "avant", "entre", "chaque", "tous", "toutes", "être",
}
# "sources", "source" and "budget" are English too: only their French context counts.
FRENCH_WORDS -= {"sources", "source", "budget"}
# Plotly keys whose strings no reader sees.
HIDDEN_KEYS = {"legendgroup", "hovertemplate", "uid", "meta", "family", "type", "mode"}


def allowed_texts(ctx) -> list[str]:
    """Proper names and the curators' own words, which an English page shows as written."""
    texts: set[str] = set()
    dataset = ctx.dataset
    for profile in dataset.profiles.values():
        texts |= {profile.names.short, profile.names.official, profile.programme.name}
        texts |= {f.name for f in profile.former_perimeters}
        texts |= {b.name for b in profile.programme.governance}
        texts |= {b.role for b in profile.programme.governance}
        texts |= {a.title for a in profile.programme.actions}
        texts |= {e.event for e in profile.history} | {e.note or "" for e in profile.history}
        texts |= {f.note or "" for f in profile.facts} | {f.year_note or "" for f in profile.facts}
        texts |= {getattr(f, "description", None) or "" for f in profile.facts}
        texts |= {c.note for c in profile.contradictions} | {c.text for c in profile.caveats}
        texts |= {m.note or "" for m in [*profile.levers, *profile.levers_excluded,
                                         *profile.themes, *profile.programme.actions]}
        # A cited page's description, like a note, is the curators' French.
        texts |= {m.description or "" for m in [*profile.levers, *profile.themes]}
        texts |= {s.name for s in profile.policy_history} | {s.note or "" for s in
                                                             profile.policy_history}
        texts |= {d.description or "" for s in profile.policy_history for d in s.documents}
        texts.add(profile.codes.note or "")
        texts.add(profile.perimeter.note or "")
        # Verbatim quotes, whole: a quote may itself hold « ».
        programme = profile.programme
        quoted = [*profile.facts, *profile.levers, *profile.levers_excluded, *profile.themes,
                  *programme.actions, *programme.governance, *programme.objectives,
                  *programme.axes, *programme.orientations, *profile.former_perimeters,
                  *profile.history, *([programme.period] if programme.period else [])]
        texts |= {getattr(item, "quote", None) or "" for item in quoted}
    for area in dataset.references.values():
        texts |= {f.quote or "" for f in area.facts}
        texts |= {getattr(f, "description", None) or "" for f in area.facts}
        texts.add(area.name)
        texts |= {f.note or "" for f in area.facts}
    for source in dataset.sources.values():
        texts |= {source.title, source.publisher, source.date_published_known}
    texts |= set(ctx.communes["name"]) | set(ctx.departements["name"])
    texts |= set(ctx.reference["region_name"])
    texts = {" ".join(x.split()) for x in texts}
    return sorted((x for x in texts if x and x != "unknown"), key=len, reverse=True)


_WORD = re.compile(r"[A-Za-zÀ-ÿ’']+")


def french_leaks(texts: list[str], allowed: list[str]) -> list[str]:
    """Pieces of text that still hold a French word once quotes and allowed texts are out."""
    leaks = []
    for text in texts:
        text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        # Taking the allowed texts out only removes words: a text with no French word at all
        # (most labels, numbers) has no leak, and is not searched for 2,000 allowed texts.
        if not any(w.group(0).lower() in FRENCH_WORDS for w in _WORD.finditer(text)):
            continue
        # Addresses first: a commune's name ("Grand") must not cut one into French words.
        text = re.sub(r"https?://(?:www\.)?\s*\S+\s*(?:/\S*)?", " ", text)  # sources' addresses (scheme, site and path are spans)
        for piece in allowed:
            if piece in text:
                text = text.replace(piece, " ")
        text = re.sub(r"«[^»]*»", " ", text)  # verbatim quotes, French guillemets in any language
        text = " ".join(text.split())
        for word in _WORD.finditer(text):
            if word.group(0).lower() in FRENCH_WORDS:
                leaks.append(f"{word.group(0)!r} in: …{text[max(0, word.start() - 80):word.end() + 80]}…")
    return leaks


def _strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in HIDDEN_KEYS:
                yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield value


def figure_texts(fig) -> list[str]:
    """Every string of a figure a reader may see: titles, labels, hovers, legends, captions."""
    texts = list(_strings(json.loads(fig.figure.to_json())))
    return texts + [fig.caption, *fig.notes, *fig.table["columns"],
                    *(str(c) for row in fig.table["rows"] for c in row)]


def page_texts(html: str) -> list[str]:
    """The visible text of a page, outside lang="fr" elements, and its figures' strings."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    for script in soup.find_all("script"):
        source = script.string or ""
        for match in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*", source):
            decoder, position = json.JSONDecoder(), match.end()
            data, position = decoder.raw_decode(source, position)
            position = source.index(",", position) + 1
            layout, _ = decoder.raw_decode(source, position + len(source[position:]) -
                                           len(source[position:].lstrip()))
            texts += list(_strings(data)) + list(_strings(layout))
        script.decompose()
    for style in soup.find_all("style"):
        style.decompose()
    for element in soup.find_all(attrs={"lang": "fr"}):
        if element.name != "html":
            element.decompose()
    # One text: a verbatim quote may run over several lines of the page.
    return [*texts, soup.get_text(" ")]


@pytest.fixture(scope="module")
def ctx(fixture_contexts):
    return fixture_contexts("en")


@pytest.fixture(scope="module")
def fixture_allowed(ctx):
    return allowed_texts(ctx)


@pytest.fixture(scope="module")
def allowed(contexts):
    """What the real English pages may show in French (their quotes, names, notes)."""
    return allowed_texts(contexts("en"))


def test_french_words_are_caught(fixture_allowed):
    allowed = fixture_allowed
    assert french_leaks(["Aucune source ne le donne."], allowed)
    assert not french_leaks(["No source gives it: « aucune source »."], allowed)


@pytest.mark.parametrize("territory", TERRITORIES)
def test_profile_sections_in_english(ctx, fixture_allowed, territory):
    allowed = fixture_allowed
    sections = [display.title_html, display.identity_html, display.economy_html,
                display.yardsticks_html, display.budget_html, display.policy_figures_html,
                display.programme_html, display.actions_html, display.levers_themes_html,
                display.ratios_html, display.unknowns_html, display.caveats_html,
                display.sources_html]
    texts = []
    for section in sections:
        texts += page_texts(section(ctx, territory))
    figures = [bars.employment_share_figure(ctx.dataset, ctx.values[territory], territory, "en"),
               bars.legal_forms_figure(ctx.dataset, ctx.values[territory], territory, "en"),
               maps.locator_map(ctx.dataset, ctx.departements, ctx.perimeters, territory, "en"),
               maps.perimeter_map(ctx.dataset, ctx.communes, ctx.perimeters, territory, "en")]
    if timeline.timeline_events(ctx.dataset, [territory]):
        figures.append(timeline.timeline_figure(ctx.dataset, [territory], "en"))
    for fig in figures:
        texts += figure_texts(fig)
    # Each fixture territory has unknown figures: the sections said so, in English.
    assert any("unknown" in text for text in texts)
    leaks = french_leaks(texts, allowed)
    assert not leaks, "\n".join(leaks[:20])


def test_comparison_in_english(ctx, fixture_allowed):
    allowed = fixture_allowed
    texts = page_texts(display.compare_header_html(ctx, TERRITORIES))
    texts += page_texts(display.key_figures_html(ctx, TERRITORIES))
    texts += page_texts(display.comparison_sources_html(ctx, TERRITORIES))
    texts += reading.lecture(ctx.dataset, ctx.values, TERRITORIES, "en")
    figures = [bars.comparison_figure(ctx.dataset, ctx.values, i, TERRITORIES, "en")
               for i in display.KEY_INDICATORS]
    figures += [matrices.levers_matrix(ctx.dataset, TERRITORIES, "en"),
                matrices.themes_matrix(ctx.dataset, TERRITORIES, "en"),
                timeline.timeline_figure(ctx.dataset, TERRITORIES, "en"),
                maps.france_map(ctx.dataset, ctx.departements, ctx.perimeters, ctx.values,
                                "ess_employment_share", TERRITORIES, "en")]
    for fig in figures:
        texts += figure_texts(fig)
    leaks = french_leaks(texts, allowed)
    assert not leaks, "\n".join(leaks[:20])


# ---------------------------------------------------------------- built pages (papermill)


@pytest.fixture(scope="module")
def english_pages(tmp_path_factory) -> dict[str, str]:
    """compare_en and grenoble_en built in a copy of the project, never in its own outputs/."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("data", "notebooks"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("*.pyc"))
    (root / "params").mkdir()
    for name in ("compare_en", "grenoble_en"):
        shutil.copy(ROOT / "params" / f"{name}.yaml", root / "params")
    run = subprocess.run([sys.executable, "-m", "essbench.cli", "--root", str(root), "build",
                          "compare_en", "grenoble_en"], capture_output=True, text=True,
                         timeout=900, cwd=root)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return {name: (root / "outputs" / "html" / f"{name}.html").read_text(encoding="utf-8")
            for name in ("compare_en", "grenoble_en")}


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["compare_en", "grenoble_en"])
def test_built_english_page_has_no_french(allowed, english_pages, name):
    leaks = french_leaks(page_texts(english_pages[name]), allowed)
    assert not leaks, "\n".join(leaks[:20])


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["compare_en", "grenoble_en"])
def test_built_english_page_declares_english(english_pages, name):
    # <html lang> is written by the build (essbench/build/pages.py) from the notebook's `lang`.
    assert re.search(r'<html[^>]*\blang="en"', english_pages[name])
