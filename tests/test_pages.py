"""Exported pages read offline: French, titled, nothing fetched, plotly.js inline exactly once."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from essbench.build.pages import IndexEntry, export_html, render_index
from essbench.build.plotlyjs import basic_bundle

TITLE = "Pays de Grasse – politique ESS"


def figure_html() -> str:
    """A figure as the notebooks show it: a div and a Plotly.newPlot call, no plotly.js."""
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=["Grasse", "Grenoble"], y=[3, 5]))
    return figure.to_html(include_plotlyjs=False, full_html=False)


def stub_notebook(with_figure: bool = True):
    """An executed notebook like papermill leaves it: parameters, injected cell, outputs."""
    new_cell, new_output = nbformat.v4.new_code_cell, nbformat.v4.new_output
    cells = [
        new_cell('territory = "grasse"', metadata={"tags": ["parameters"]}),
        new_cell('territory = "grenoble"', metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_markdown_cell("# Grenoble\n\nL'économie sociale et solidaire."),
        new_cell("import warnings", outputs=[
            new_output("stream", name="stderr", text="FutureWarning: old pandas\n")]),
        new_cell("print('visible')", outputs=[new_output("stream", name="stdout",
                                                         text="visible\n")]),
    ]
    if with_figure:
        cells.append(new_cell("figure", outputs=[new_output(
            "display_data", data={"text/html": figure_html(), "text/plain": "Figure()"})]))
    for index, cell in enumerate(cells):
        if "injected-parameters" not in cell.metadata.get("tags", []):
            cell.id = f"cell-{index}"  # saved notebooks keep their ids; papermill's is random
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


@pytest.fixture(scope="module")
def page() -> str:
    return export_html(stub_notebook(), TITLE)


class Links(HTMLParser):
    """Every URL a page would load or link to, and its <html lang>."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        for name in ("src", "data", "srcset"):
            if attrs.get(name):
                self.loaded.append(attrs[name])
        if tag == "link" and attrs.get("href"):
            self.loaded.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parsed(page: str) -> Links:
    parser = Links()
    parser.feed(page)
    return parser


def test_page_is_in_french_and_titled(page):
    assert parsed(page).lang == "fr"
    assert re.search(r'<html lang="fr">', page)
    assert f"<title>{TITLE}</title>" in page


def test_page_loads_nothing_from_outside(page):
    assert parsed(page).loaded == []
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bhref=[\"']?(https?:)?//", page)
    assert not re.search(r"@import\s+(url\()?[\"']?(https?:)?//", page)
    for cdn_use in ("require.min.js", "MathJax.js", "mathjax@", "mermaid.esm", "unpkg.com",
                    "html-manager"):
        assert cdn_use not in page


def test_plotly_js_is_inline_exactly_once_before_the_figures(page):
    bundle = basic_bundle()
    assert page.count(bundle[:300]) == 1
    assert page.count(bundle) == 1
    assert page.index(bundle) < page.index("</head>") < page.index("Plotly.newPlot")


def test_no_plotly_js_without_figures():
    page = export_html(stub_notebook(with_figure=False), TITLE)
    assert basic_bundle()[:300] not in page
    assert len(page) < 1_000_000


def test_code_setup_cells_and_warnings_are_hidden(page):
    assert "import warnings" not in page
    assert "FutureWarning" not in page
    assert 'territory = "grenoble"' not in page
    assert "visible" in page
    assert "L’économie" in page or "L'économie" in page


def test_print_keeps_figures_whole(page):
    assert "@media print" in page
    assert re.search(r"\.plotly-graph-div[^{]*\{[^}]*break-inside:\s*avoid", page, re.S) or \
        re.search(r"\.js-plotly-plot[^{]*\{[^}]*break-inside:\s*avoid", page, re.S)


def test_export_is_deterministic():
    # two figures made separately get different random div ids
    first, second = export_html(stub_notebook(), TITLE), export_html(stub_notebook(), TITLE)
    assert first == second
    assert 'id="essbench-1"' in first


def test_index_lists_every_dashboard_with_links_that_resolve(tmp_path: Path):
    (tmp_path / "grasse.html").write_text("page")
    entries = [
        IndexEntry("grasse.html", TITLE, "Politique ESS du Pays de Grasse & ses leviers."),
        IndexEntry(None, "Grenoble-Alpes Métropole – politique ESS", "Pas encore construit."),
    ]
    index = render_index(entries)
    (tmp_path / "index.html").write_text(index, encoding="utf-8")
    links = parsed(index)
    assert links.lang == "fr"
    assert links.loaded == []
    assert links.links == ["grasse.html"]
    for href in links.links:
        assert (tmp_path / href).is_file()
    assert "Pays de Grasse &amp; ses leviers" in index
    assert "Grenoble-Alpes Métropole – politique ESS" in index
    assert "pas encore disponible" in index
    # The filter is the page's own inline script: nothing is loaded from elsewhere.
    assert not re.search(r"<script[^>]*\bsrc=", index)
    assert render_index(entries) == index
