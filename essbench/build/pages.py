"""Self-contained HTML pages: executed notebooks and their index, readable offline."""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from essbench.version import __version__


TEMPLATES = Path(__file__).resolve().parents[1] / "report" / "templates"
TEMPLATE_NAME = "essbench"
INDEX_TEMPLATE = "index_page.html.j2"
# A page's language is its notebook's `lang` parameter; notebooks default to French.
DEFAULT_LANGUAGE = "fr"
INDEX_TITLE = "Politiques locales d'économie sociale et solidaire – tableaux de bord"

# Cells that only set things up: invisible with the code hidden, but the one papermill injects
# gets a random id at each run, which would change the page's bytes.
HIDDEN_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell", "remove_cell"})

# plotly's to_html names each figure's div with a random UUID unless given a div_id.
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def export_html(notebook, title: str, resources_dir: Path | None = None,
                owned: bool = False) -> str:
    """An executed notebook as one HTML page: no code, no CDN, plotly.js inline once if used.

    `owned`: the caller no longer needs `notebook`, which is then changed instead of copied
    (a copy of a page's outputs costs 0.1 s).
    """
    notebook = stable_ids(notebook if owned else copy.deepcopy(notebook))
    notebook.metadata["title"] = title
    exporter = _exporter(page_language(notebook))
    resources = {
        "metadata": {"name": title, "path": str(resources_dir or Path.cwd())},
        "essbench": {"plotly_js": plotly_js(notebook) if uses_plotly(notebook) else "",
                     "kind": page_kind(notebook)},
    }
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body


def page_kind(notebook) -> str:
    """The notebook a page was run from (`territory_profile`, `compare_territories`), as a class
    of its <body>: print rules differ between a territory's page and the comparison."""
    source = notebook.metadata.get("papermill", {}).get("input_path") or ""
    return re.sub(r"[^a-z0-9_]", "", Path(source).stem.lower()) or "page"


@functools.lru_cache(maxsize=4)
def _exporter(language: str):
    """One exporter per language and process: compiling its templates takes 0.2 s a page."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        # Images a markdown cell shows by path would be missing from an e-mailed page.
        embed_images=True,
        language_code=language,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_CELL_TAGS)), enabled=True
    )
    return exporter


def preload() -> None:
    """Export a tiny page in every language now (before worker processes fork): templates
    compiled, markdown and HTML handling imported, plotly.js read."""
    import nbformat

    output = nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>"})
    from essbench.evidence.registry import LANGUAGES

    for language in LANGUAGES:
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_markdown_cell("# x"),
                   nbformat.v4.new_code_cell("x", outputs=[output])],
            metadata={"papermill": {"parameters": {"lang": language}}})
        export_html(notebook, "x")
    from essbench.build import plotlyjs

    plotlyjs.basic_bundle()


def page_language(notebook) -> str:
    """The `lang` papermill ran the notebook with (its params), French when it was not given.

    Examples
    --------
    >>> import nbformat
    >>> page_language(nbformat.v4.new_notebook(metadata={"papermill": {"parameters": {"lang": "en"}}}))
    'en'
    """
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
    return parameters.get("lang") or DEFAULT_LANGUAGE


def plotly_js(notebook) -> str:
    """The smallest plotly.js bundle that draws every figure of the notebook (same version)."""
    from essbench.build import plotlyjs

    bundle, _ = plotlyjs.choose(plotlyjs.trace_types(notebook))
    return bundle


def uses_plotly(notebook) -> bool:
    """Whether an output draws a plotly figure, so that the page needs plotly.js."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.plotly.v1+json" in data or "Plotly" in _text(data.get(
                    "text/html", "")):
                return True
    return False


def stable_ids(notebook):
    """Random figure ids replaced, in order of appearance, so one notebook gives one page."""
    ids: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        return ids.setdefault(match.group(0), f"essbench-{len(ids) + 1}")

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = _UUID.sub(replace, _text(data["text/html"]))
    return notebook


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class IndexEntry:
    """One line of the index: the page's file name, title, summary; href None if not built;
    the kind of authority and département of its territory (several for a comparison), the
    date line the page shows, and whether it has a brief (#fiche)."""

    href: str | None
    title: str
    summary: str
    lang: str = DEFAULT_LANGUAGE
    kind: str = ""
    departement: str = ""
    date: str = ""
    brief: bool = False


_DATED = re.compile(r'<p class="ess-dated">(.*?)</p>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def page_date(html_path: Path) -> str:
    """The date line a built page shows (« Page établie d'après les sources … »), else ''."""
    import html as html_lib

    if not html_path.is_file():
        return ""
    with html_path.open(encoding="utf-8", errors="replace") as stream:
        for line in stream:
            found = _DATED.search(line)
            if found:
                return html_lib.unescape(_TAGS.sub("", found.group(1))).strip()
    return ""


_DATE_WORDS = re.compile(r"\b(?:\d{1,2}(?:er)?\s+)?(?:[a-zéû]+\s+)?(?:19|20)\d\d\b")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre", "january", "february", "march", "april", "may",
           "june", "july", "august", "september", "october", "november", "december")


def short_date(line: str) -> str:
    """The date a page's date line gives (« 25 juin 2007 », « septembre 2024 », « 2019 »).

    Examples
    --------
    >>> short_date("Page établie d'après les sources publiées jusqu'en septembre 2024, numérotées.")
    'septembre 2024'
    >>> short_date("Page établie d'après des sources non datées.")
    ''
    """
    found = _DATE_WORDS.search(line)
    if not found:
        return ""
    words = found.group(0).split()
    while len(words) > 1 and not words[0][0].isdigit() and words[0].lower() not in _MONTHS:
        words.pop(0)
    return " ".join(words)


@functools.lru_cache(maxsize=8)
def _departement_names(path: Path, mtime: float) -> dict[str, str]:
    import json

    try:
        features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    except (OSError, ValueError):
        return {}
    return {str(f["properties"].get("code")): str(f["properties"].get("name"))
            for f in features if isinstance(f.get("properties"), dict)}


def index_entry(href: str | None, title: str, summary: str, lang: str, parameters: dict,
                data: Path, html_path: Path) -> IndexEntry:
    """An index line with the kind and département of the page's territories (read from their
    profiles, several joined for a comparison), the page's date line and its brief."""
    from essbench.evidence import registry
    from essbench.evidence.problems import InvalidInput
    from essbench.evidence.yamlfiles import read_yaml

    ids = parameters.get("territories") or ([parameters["territory"]]
                                            if parameters.get("territory") else [])
    folder = data / "reference" / "departements.geojson"
    names = _departement_names(folder, folder.stat().st_mtime) if folder.is_file() else {}
    kinds: list[str] = []
    departements: list[str] = []
    for tid in ids:
        path = data / "profiles" / f"{tid}.yaml"
        try:  # read as the checks read it: bounded, any damage a problem, never a traceback
            profile = read_yaml(path)
        except InvalidInput:
            continue
        kind = registry.TERRITORY_KINDS.get(str(profile.get("kind")), {}).get(lang, "")
        codes = profile.get("codes")
        code = str(codes.get("departement") or "") if isinstance(codes, dict) else ""
        if kind and kind not in kinds:
            kinds.append(kind)
        place = f"{names[code]} ({code})" if code in names else code
        if place and place not in departements:
            departements.append(place)
    if len(departements) > 3:  # a comparison of many: two, and how many in all
        departements = [*departements[:2], f"… ({len(departements)})"]
    return IndexEntry(href, title, summary, lang, kind=", ".join(kinds),
                      departement=", ".join(departements), date=short_date(page_date(html_path)),
                      brief=bool(href) and len(ids) == 1)


def render_index(entries: list[IndexEntry], title: str = INDEX_TITLE) -> str:
    """The table of contents of the dashboards, in French, with links relative to it.

    Examples
    --------
    >>> "grasse.html" in render_index([IndexEntry("grasse.html", "Grasse", "Résumé")])
    True
    """
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     autoescape=True, keep_trailing_newline=True)
    return environment.get_template(INDEX_TEMPLATE).render(
        title=title, version=__version__,
        french=[e for e in entries if e.lang != "en"],
        english=[e for e in entries if e.lang == "en"])
