"""The dashboards as an elected official opens them: offline, from file://, in Chromium.

Every page of outputs/html (index included) is opened once with the network cut off; the tests
then check what was recorded. Full-page screenshots go to outputs/screenshots/<name>.png and a
summary to outputs/screenshots/browser-report.json.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import (
    HTML,
    ROOT,
    SCREENSHOTS,
    SP,
    expected_page_names,
    figure_drawn,
    label_variants,
    launch,
    page_about,
    page_language,
    page_names,
    require_built,
    require_chromium,
    territories,
    territories_of,
    visit,
    write_json,
)

pytestmark = pytest.mark.browser

PAGES = page_names()
# The pages built from a params file (index is not one): each draws a map of its territories.
DASHBOARDS = [name for name in PAGES if name != "index"]
FRENCH_PAGES = [name for name in PAGES if page_language(name) == "fr"]


@pytest.fixture(scope="module")
def visits() -> dict:
    """Every built page visited once with one browser; the summary report written after."""
    executable = require_chromium()
    pages = require_built()
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    found = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for path in pages:
                found[path.stem] = visit(browser, path)
        finally:
            browser.close()
    _write_report(found, time.monotonic() - started)
    return found


def _write_report(found: dict, seconds: float) -> None:
    figures = [f for v in found.values() for f in v.figures]
    maps = [f for f in figures if f["is_map"]]
    report = {
        "pages_checked": len(found),
        "pages": sorted(found),
        "figures_present": len(figures),
        "figures_drawn": sum(figure_drawn(f) for f in figures),
        "maps_present": len(maps),
        "maps_drawn": sum(figure_drawn(f) and f["filled_paths"] > 0 for f in maps),
        "requests_blocked": sum(len(v.blocked) for v in found.values()),
        "failed_requests": sum(len(v.failed_requests) for v in found.values()),
        "console_errors": sum(len(v.console_errors) for v in found.values()),
        "page_errors": sum(len(v.page_errors) for v in found.values()),
        "seconds": round(seconds, 1),
        "by_page": {name: v.summary() for name, v in sorted(found.items())},
    }
    write_json(SCREENSHOTS / "browser-report.json", report)


def _visit(visits: dict, name: str):
    if name not in visits:
        pytest.fail(f"{name}.html was not built (expected from params/{name}.yaml)"
                    if name in expected_page_names() else f"{name}.html disappeared")
    result = visits[name]
    assert not result.load_error, f"{name}.html did not load: {result.load_error}"
    return result


def test_every_expected_page_is_built(visits):
    missing = [n for n in expected_page_names() if n not in visits]
    assert missing == [], f"pages missing from {HTML}: {missing}"


@pytest.mark.parametrize("name", PAGES)
def test_page_stays_offline_without_errors(visits, name):
    result = _visit(visits, name)
    assert result.blocked == [], f"{name}: requests that would leave the computer: {result.blocked}"
    assert result.failed_requests == [], f"{name}: local requests that failed: " \
        f"{result.failed_requests}"
    assert result.page_errors == [], f"{name}: JavaScript errors: {result.page_errors}"
    assert result.console_errors == [], f"{name}: console errors: {result.console_errors}"
    expected = page_language(name)
    assert result.lang.startswith(expected), f"{name}: <html lang> is {result.lang!r}, not {expected!r}"
    assert result.title.strip(), f"{name}: the page has no <title>"


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_is_drawn(visits, name):
    result = _visit(visits, name)
    assert result.figures_ready, f"{name}: some plotly figure never drew its SVG"
    blank = [f"#{f['index']} {f['id']} ({f['title'] or 'sans titre'}): "
             f"{f['traces_drawn']}/{f['traces_declared']} traces drawn"
             for f in result.figures if not figure_drawn(f)]
    assert blank == [], f"{name}: figures that show nothing: {blank}"
    if name != "index":
        assert result.figures, f"{name}: a dashboard without any figure"


@pytest.mark.parametrize("name", PAGES)
def test_figure_text_is_readable(visits, name):
    """On a desktop screen, no two labels of a figure sit on each other, none is cut off."""
    result = _visit(visits, name)
    problems = [f"{c['id']} ({c['title']}): overlapping {c['overlaps']} cut off {c['clipped']}"
                for c in result.text_clashes if c["overlaps"] or c["clipped"]]
    assert problems == [], f"{name}: " + "; ".join(problems)


def _shows(territory: dict, labels: set[str]) -> bool:
    names = territory["names"]
    return any(label == n or (len(n) > 4 and n in label) for label in labels for n in names) \
        or bool(territory["communes"] & labels)


@pytest.mark.parametrize("name", DASHBOARDS)
def test_every_map_shows_its_territories(visits, name):
    """Each map names (trace, legend or hover) every territory of its page; a map drawn
    commune by commune names every commune of data/reference/communes.csv."""
    result = _visit(visits, name)
    maps = [f for f in result.figures if f["is_map"]]
    expected = territories_of(name)
    assert maps, f"{name}: no map on this dashboard"
    known = territories()
    for figure in maps:
        where = f"{name}: map #{figure['index']} ({figure['title'] or 'sans titre'})"
        assert figure["filled_paths"] >= max(1, len(expected)), \
            f"{where}: {figure['filled_paths']} filled shape(s) drawn for {len(expected)} " \
            f"territories {expected}"
        labels = set().union(*(label_variants(label) for label in figure["map_labels"]))
        missing = [t for t in expected if not _shows(known[t], labels)]
        assert missing == [], f"{where}: territories not found among the map's shapes: " \
            f"{missing}; labels seen: {sorted(labels)[:30]}"
        # a territory's own name ("grasse") is not a sign of a map drawn commune by commune
        # (nor, then, can a commune named like any territory be told from it: "grenoble")
        territory_names = set().union(*(k["names"] for k in known.values()))
        commune_labels = labels - territory_names
        for t in expected:
            communes = known[t]["communes"]
            if communes & commune_labels:  # drawn commune by commune: all of them
                absent = sorted(communes - commune_labels - territory_names)
                assert absent == [], f"{where}: {len(absent)} of the {len(communes)} " \
                    f"communes of {t} missing from the map: {absent[:20]}"


def _local_target(page: Path, href: str) -> Path | None:
    parts = urlsplit(href)
    if parts.scheme not in ("", "file") or parts.netloc not in ("", "localhost"):
        return None
    if not parts.path:
        return page  # fragment only: the page itself
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    return (page.parent / unquote(parts.path)).resolve()


@pytest.mark.parametrize("name", PAGES)
def test_links_resolve(visits, name):
    result = _visit(visits, name)
    page = Path(result.path)
    broken = []
    for link in result.links:
        href = link["href"].strip()
        if href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        target = _local_target(page, href)
        if target is None:
            if name == "index":
                broken.append(f"{href} (index must link to local pages only)")
            continue
        if not target.is_file():
            broken.append(f"{href} -> {target} (no such file)")
            continue
        fragment = urlsplit(href).fragment
        if fragment and target == page and unquote(fragment) not in result.ids:
            broken.append(f"{href} (no element with id {fragment!r})")
    assert broken == [], f"{name}: broken links: {broken}"


def test_index_links_every_dashboard(visits):
    result = _visit(visits, "index")
    page = Path(result.path)
    linked = {t.name for t in (_local_target(page, a["href"]) for a in result.links) if t}
    missing = [f"{n}.html" for n in sorted(visits) if n != "index" and f"{n}.html" not in linked]
    assert missing == [], f"index.html does not link to {missing}"


def test_screenshots_kept(visits):
    missing = [n for n, v in visits.items()
               if not v.screenshot or not (ROOT / v.screenshot).stat().st_size > 10_000]
    assert missing == [], f"no (or blank-sized) screenshot for {missing}"


# ------------------------------------------------------------------------------------------
# The Pas-de-Calais page, read as its readers read it
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pas_de_calais(visits):
    name = page_about("pas_de_calais")
    if name is None:
        name = next((n for n in visits if "pas_de_calais" in n and "compar" not in n), None)
    assert name, "no dashboard dedicated to the Pas-de-Calais (params naming only it)"
    return _visit(visits, name).text


@pytest.mark.parametrize("label, pattern", [
    ("ESS jobs 48 390", rf"(?<![\d,.]){'48'}{SP}390(?![\d,])"),
    ("ESS share 13 %", rf"(?<![\d,.])13{SP}%"),
    ("France 9,8 %", rf"(?<![\d,.])9,8{SP}%"),
    ("région 11,3 %", rf"(?<![\d,.])11,3{SP}%"),
    ("budget 8,7 millions", rf"(?<![\d,.])8,7{SP}millions"),
])
def test_pas_de_calais_figures_in_french(pas_de_calais, label, pattern):
    assert re.search(pattern, pas_de_calais), f"Pas-de-Calais page does not show {label}"


ENGLISH_NUMBER = re.compile(r"(?<![\d.,])\d+\.\d+\s?(?:%|millions?\b|milliards?\b|k€|€)"
                            r"|(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")


@pytest.mark.parametrize("name", FRENCH_PAGES)
def test_numbers_in_french_outside_quotes(visits, name):
    """Outside verbatim « quotes » (and the « Écrit » column), numbers are written in French:
    a decimal comma, a space between thousands."""
    result = _visit(visits, name)
    # Nested « » (a title in a quote) are handled by removing innermost pairs first.
    prose, previous = result.prose, None
    while prose != previous:
        previous, prose = prose, re.sub(r"«[^«»]*»", "", prose)
    found = []
    for match in ENGLISH_NUMBER.finditer(prose):
        line = prose[max(0, match.start() - 80): match.end() + 40].replace("\n", " ")
        found.append(f"{match.group(0)!r} in …{line.strip()}…")
    assert found == [], f"{name}: numbers in English format outside quotes: {found}"


def test_pas_de_calais_budget_states_its_scope(pas_de_calais):
    text = pas_de_calais
    spans = [m.start() for m in re.finditer(rf"8,7{SP}millions", text)]
    assert spans, "budget 8,7 millions not shown"
    near = [text[max(0, s - 800): s + 800] for s in spans]
    assert any(re.search(r"en direct", chunk, re.I) for chunk in near), \
        "the 8,7 millions budget is shown without its scope (« financés en direct »)"
    assert re.search(r"220{SP}millions".format(SP=SP), text), \
        "the page does not say what the budget excludes (220 millions de dépenses de solidarité)"


def test_pas_de_calais_sources_with_quotes(pas_de_calais):
    assert re.search(r"(?m)^\s*Sources\b", pas_de_calais), "no « Sources » section"
    quotes = re.findall(r"«\s*([^»]{10,})\s*»", pas_de_calais)
    assert quotes, "no verbatim quote « … » on the page"
    assert any("48 390" in q or "48\u00a0390" in q for q in quotes), \
        "the ESS jobs figure is not backed by its quote « L’ESS représente 48 390 emplois… »"


@pytest.mark.parametrize("name", PAGES)
def test_no_tool_names_in_reader_text_outside_the_colophon(visits, name):
    """Tools and packages are named in the colophon only (docs/writing-guide.md)."""
    from essbench.text.catalog import t

    result = _visit(visits, name)
    lang = page_language(name)
    heading = t("page.colophon", lang)
    prose = result.prose[:result.prose.rfind(heading)] if heading in result.prose else result.prose
    words = {"fr": r"\b(essbench|paquet|registre)\b", "en": r"\b(essbench|package|registry)\b"}
    found = [m.group(0) for m in re.finditer(words[lang], prose, re.IGNORECASE)]
    assert found == [], f"{name}: tool words in reader text: {found}"
