"""What the notebooks call to show things: figures as one mimebundle, sections as HTML."""

from __future__ import annotations

import copy
import html
import json
import re
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from essbench.figures.layout import Chart
from essbench.report.context import (  # noqa: F401  (the notebooks' entry points)
    Context,
    check_indicators,
    load_context,
    reference_source,
)
from essbench.report.essentials import colophon_html, date_line, essentials_html, nav_html
from essbench.report.html import STYLESHEET, render
from essbench.report.sections import (  # noqa: F401  (sections a notebook may show alone)
    KEY_INDICATORS,
    actions_html,
    budget_html,
    caveats_html,
    compare_header_html,
    comparison_sources_html,
    economy_html,
    identity_html,
    key_figures_html,
    legal_forms_unknown_html,
    levers_themes_html,
    policy_figures_html,
    programme_html,
    ratios_html,
    reading_html,
    sources_html,
    title_html,
    unknowns_html,
    yardsticks_html,
)
from essbench.text.catalog import t
from essbench.values.normalize import Value, yardstick

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
# Marks the stylesheet output: the exported page has the stylesheet in its head already.
STYLE_METADATA = {"essbench": {"stylesheet": True}}


def raw_html(content: str, metadata: dict | None = None) -> None:
    """Display HTML as one output (text/html only)."""
    from IPython.display import display

    display({"text/html": content, "text/plain": _plain(content)}, raw=True,
            metadata=metadata or {})


def _plain(content: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", content)).strip()[:2000]


def setup() -> None:
    """The stylesheet of the cards, tables and quotes, for JupyterLab; call once at the top."""
    raw_html(f"<style>{STYLESHEET.read_text(encoding='utf-8')}</style>", STYLE_METADATA)


# ---------------------------------------------------------------- figures


def _figure_dict(fig: go.Figure) -> dict:
    """The figure as plotly.js reads it.

    A dict, not a copied go.Figure: copying a figure validates every coordinate of its maps
    again, a third of a page's build time.
    """
    data = fig.to_dict()
    # Keys in plotly's own order (by name, a trace's type last), as a copied go.Figure writes
    # them: the same figure gives the same bytes whichever way it was built.
    data["data"] = [{**_by_name({k: v for k, v in trace.items() if k != "type"}),
                     "type": trace["type"]} if "type" in trace else _by_name(trace)
                    for trace in data["data"]]
    data["layout"] = _by_name(data["layout"])
    return data


def _by_name(value):
    if isinstance(value, dict):
        return {key: _by_name(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_by_name(item) for item in value]
    return value


def _jupyter_figure(figure: dict, caption: str, notes: list[str]) -> dict:
    """The figure JupyterLab draws: its caption goes under the title, as nothing else shows it.
    `figure` is the page's figure (from _figure_dict), left as it is."""
    data = {**figure, "layout": copy.deepcopy(figure["layout"])}
    lines = textwrap.wrap(caption, 120, break_long_words=False)
    for note in notes:
        wrapped = textwrap.wrap(note, 116) or [""]
        lines += [f"• {wrapped[0]}"] + [f"   {line}" for line in wrapped[1:]]
    if lines:
        text = "<br>".join(html.escape(line, quote=False) for line in lines)
        # Room made explicitly: an automatic title margin squeezes the plot to nothing.
        layout = data["layout"]
        extra = 15 * len(lines) + 10
        height = (layout.get("height") or 450) + extra
        margin = layout.setdefault("margin", {})
        margin["t"] = (margin.get("t") or 60) + extra
        layout["height"] = height
        title = layout.setdefault("title", {})
        title.update({"subtitle": {"text": text, "font": {"size": 11, "color": "#444444"}},
                      "yref": "container", "y": 1 - 10 / height, "yanchor": "top"})
    return data


def quotes_beside(chart: Chart) -> list[str]:
    """The verbatim quotes a chart's hovers show that its data table does not hold: a touch
    screen and paper have no hover, so the page lists them under the figure.

    Examples
    --------
    >>> from essbench.figures.layout import chart
    >>> quotes_beside(chart(go.Figure(), "", quotes=["Une citation assez longue."]))
    ['Une citation assez longue.']
    """
    in_table = " ".join(str(c) for row in chart.table.get("rows", []) for c in row)
    found: list[str] = []
    for quote in (" ".join(q.split()) for q in chart.quotes):
        if len(quote) >= 12 and quote not in found and quote[:40] not in in_table:
            found.append(quote)
    return found


def figure_html(chart: Chart, fig_id: str, caption: str | None = None,
                notes: Sequence[str] | None = None, lang: str = "fr") -> str:
    """The figure's div and Plotly.newPlot call (no plotly.js), its caption, a data table and
    the quotes its hovers show (a touch screen and paper have no hover)."""
    return _figure_html(chart, _figure_dict(chart.figure), fig_id, caption, notes, lang)


def _figure_html(chart: Chart, figure: dict, fig_id: str, caption: str | None,
                 notes: Sequence[str] | None, lang: str) -> str:
    div = pio.to_html(figure, full_html=False, include_plotlyjs=False,
                      div_id=fig_id, config=PLOTLY_CONFIG, validate=False)
    return render("figure.html.j2", "figure", lang, v={
        "id": fig_id, "div": Markup(div),  # plotly's own markup and script, not data text
        "caption": chart.caption if caption is None else caption,
        "notes": list(chart.notes) + list(notes or []), "table": chart.table,
        "quotes": quotes_beside(chart), "min_width": chart.min_width})


def figure_bundle(chart: Chart, fig_id: str, caption: str | None = None,
                  notes: Sequence[str] | None = None, lang: str = "fr") -> dict:
    """The mimebundle of show(): plotly JSON for JupyterLab, HTML for the exported page."""
    figure = _figure_dict(chart.figure)  # once: a map's coordinates are copied in it
    jupyter = _jupyter_figure(figure, chart.caption if caption is None else caption,
                              list(chart.notes) + list(notes or []))
    plotly_json = json.loads(pio.to_json(jupyter, validate=False))
    plotly_json["config"] = PLOTLY_CONFIG
    return {
        PLOTLY_MIME: plotly_json,
        "text/html": _figure_html(chart, figure, fig_id, caption, notes, lang),
        "text/plain": f"<Figure {fig_id}>",
    }


def show(chart: Chart, fig_id: str, caption: str | None = None,
         notes: Sequence[str] | None = None, lang: str = "fr") -> None:
    """Display one figure: plotly for JupyterLab, and HTML calling window.Plotly for the export."""
    from IPython.display import display

    display(figure_bundle(chart, fig_id, caption, notes, lang), raw=True)


def yardstick_for(ctx: Context, area: str, value: Value) -> Value | None:
    """The yardstick of an area for a value, only when its base is the same."""
    return yardstick(ctx.dataset, area, value)


# The page's main sections, as the contents bar lists them (the catalog's "## " headings).
PROFILE_CONTENTS = ("profile.identity", "profile.economy", "profile.policy", "profile.evolution",
                    "profile.ratios", "profile.caveats", "profile.unknowns", "profile.sources")
COMPARE_CONTENTS = ("compare.key_figures", "compare.reading", "compare.indicators",
                    "compare.evolution", "compare.levers", "compare.timeline", "compare.map",
                    "compare.sources")


def _anchor(key: str) -> str:
    return key.rsplit(".", 1)[-1].replace("_", "-")


def _contents(ctx: Context, keys: Sequence[str]) -> list[tuple[str, str]]:
    """(anchor, title) of each section: the first line of its catalog heading."""
    found = []
    for key in keys:
        first = t(f"notebook.{key}", ctx.lang).splitlines()[0]
        found.append((_anchor(key), first.lstrip("#").strip()))
    return found


def heading(ctx: Context, key: str) -> None:
    """A notebook section's heading and introduction, from the catalogs, as markdown; the
    page's contents bar links to the anchor written before it."""
    from IPython.display import Markdown, display

    text = t(f"notebook.{key}", ctx.lang)
    if key in PROFILE_CONTENTS or key in COMPARE_CONTENTS:
        text = f'<div class="ess-anchor" id="{_anchor(key)}"></div>\n\n{text}'
    display(Markdown(text))


# ---------------------------------------------------------------- what notebook cells call


def _fig_id(*parts: str) -> str:
    """A fixed figure id: the same inputs give the same id, hence byte-identical pages."""
    return "fig-" + "-".join(p.replace("_", "-") for p in parts)


def profile_header(ctx: Context, territory: str) -> None:
    """Stylesheet, contents bar, page title and "L'essentiel" of a territory profile."""
    setup()
    contents = [("essentiel", t("essentials.heading", ctx.lang)),
                *_contents(ctx, PROFILE_CONTENTS)]
    from essbench.report.brief import brief_head_html

    raw_html(nav_html(ctx, territory, contents) + title_html(ctx, territory)
             + brief_head_html(ctx, [territory], date_line(ctx))
             + essentials_html(ctx, territory))


def profile_identity(ctx: Context, territory: str) -> None:
    """Identity card, perimeter history, locator map and perimeter map."""
    from essbench.figures import maps

    raw_html(identity_html(ctx, territory))
    show(maps.locator_map(ctx.dataset, ctx.departements, ctx.perimeters, territory, ctx.lang),
         _fig_id(territory, "situation"), lang=ctx.lang)
    show(maps.perimeter_map(ctx.dataset, ctx.communes, ctx.perimeters, territory, ctx.lang),
         _fig_id(territory, "perimetre"), lang=ctx.lang)


def profile_economy(ctx: Context, territory: str) -> None:
    """The ESS economy's figures with their evidence."""
    raw_html(economy_html(ctx, territory))


def profile_employment(ctx: Context, territory: str) -> None:
    """The share of jobs beside France and the région (same base), and the yardsticks used."""
    from essbench.figures import bars

    show(bars.employment_share_figure(ctx.dataset, ctx.values[territory], territory,
                                      ctx.lang), _fig_id(territory, "emploi"), lang=ctx.lang)
    raw_html(yardsticks_html(ctx, territory))


def profile_legal_forms(ctx: Context, territory: str) -> None:
    """Establishments by legal form, or a sentence when no source gives any."""
    from essbench.figures import bars

    values = ctx.values[territory]
    if any(values[i].known for i in bars.LEGAL_FORMS):
        show(bars.legal_forms_figure(ctx.dataset, values, territory, ctx.lang),
             _fig_id(territory, "formes-juridiques"), lang=ctx.lang)
    else:
        raw_html(legal_forms_unknown_html(ctx))


def profile_budget(ctx: Context, territory: str) -> None:
    """The ESS budget with its scope, and amounts that are not an ESS budget."""
    raw_html(budget_html(ctx, territory))


def profile_policy_figures(ctx: Context, territory: str) -> None:
    """Staff, call for projects and other figures of the policy."""
    raw_html(policy_figures_html(ctx, territory))


def profile_programme(ctx: Context, territory: str) -> None:
    """Programme as worded, governance, and the territory's timeline."""
    from essbench.figures import timeline

    raw_html(programme_html(ctx, territory))
    if timeline.timeline_events(ctx.dataset, [territory]):
        show(timeline.timeline_figure(ctx.dataset, [territory], ctx.lang),
             _fig_id(territory, "calendrier"), lang=ctx.lang)


def profile_levers_themes(ctx: Context, territory: str) -> None:
    """Levers and themes, each with its quote."""
    raw_html(levers_themes_html(ctx, territory))


def profile_peers(ctx: Context, territory: str, peers: Sequence[str] = ()) -> None:
    """« Ce que font les autres »: levers and amounts of comparable territories (params)."""
    from essbench.report.peers import peers_html

    raw_html(peers_html(ctx, territory, list(peers)))


def profile_actions(ctx: Context, territory: str) -> None:
    """Actions, planned or reported."""
    raw_html(actions_html(ctx, territory))


def profile_ratios(ctx: Context, territory: str) -> None:
    """Derived ratios and their limits."""
    raw_html(ratios_html(ctx, territory))


def profile_caveats(ctx: Context, territory: str) -> None:
    """Contradictions and caveats."""
    raw_html(caveats_html(ctx, territory))


def profile_unknowns(ctx: Context, territory: str) -> None:
    """What the sources leave unknown."""
    raw_html(unknowns_html(ctx, territory))


def profile_sources(ctx: Context, territory: str) -> None:
    """Sources, every figure's quote, and the page's colophon."""
    raw_html(sources_html(ctx, territory) + colophon_html(ctx))


def compare_header(ctx: Context, territories: Sequence[str]) -> None:
    """Stylesheet, contents bar, page title and date of a comparison (its key table and
    reading follow at once)."""
    setup()
    from essbench.report.brief import brief_head_html

    raw_html(nav_html(ctx, None, _contents(ctx, COMPARE_CONTENTS))
             + compare_header_html(ctx, territories)
             + render("essentials.html.j2", "dated", ctx.lang, v={"date": date_line(ctx)})
             + brief_head_html(ctx, list(territories), date_line(ctx)))


def compare_key_figures(ctx: Context, territories: Sequence[str],
                        indicators: Sequence[str]) -> None:
    """The key figures table."""
    raw_html(key_figures_html(ctx, territories, indicators))


def compare_reading(ctx: Context, territories: Sequence[str]) -> None:
    """The generated reading, each sentence's numbers checked."""
    from essbench.text import reading

    sentences = reading.lecture(ctx.dataset, ctx.values, territories, ctx.lang)
    if len(territories) <= READING_ON_PAPER_UP_TO:
        raw_html(reading_html(sentences, ctx.lang))
        return
    # Past a few territories, the levers' and themes' sentences name every lever of every
    # territory (a sheet of print at twenty): on paper the two matrices show them, and a line
    # says so; on screen the sentences stay.
    matrices = {reading.levers_sentence(ctx.dataset, territories, ctx.lang),
                reading.themes_sentence(ctx.dataset, territories, ctx.lang)} - {None}
    raw_html(render("compare.html.j2", "reading", ctx.lang, v={
        "sentences": sentences, "screen_only": [s in matrices for s in sentences],
        "elsewhere": t("compare.reading_matrices", ctx.lang)
        if any(s in matrices for s in sentences) else ""}))


# Up to this many territories the whole reading is printed (see compare_reading).
READING_ON_PAPER_UP_TO = 6


def compare_indicators(ctx: Context, territories: Sequence[str],
                       indicators: Sequence[str]) -> None:
    """One chart per indicator, with its comparability notes beside it."""
    from essbench.figures import bars

    for indicator in indicators:
        show(bars.comparison_figure(ctx.dataset, ctx.values, indicator, list(territories),
                                    ctx.lang), _fig_id("comparaison", indicator), lang=ctx.lang)


def compare_levers_themes(ctx: Context, territories: Sequence[str]) -> None:
    """Levers × territories and themes × territories, quotes on hover."""
    from essbench.figures import matrices

    from essbench.figures.layout import sheet_parts

    parts = sheet_parts(list(territories), matrices.MATRIX_ROWS_PER_SHEET)
    for number, part in enumerate(parts, start=1):
        suffix = (str(number),) if len(parts) > 1 else ()
        show(matrices.levers_matrix(ctx.dataset, part, ctx.lang, (number, len(parts))),
             _fig_id("leviers", *suffix), lang=ctx.lang)
    for number, part in enumerate(parts, start=1):
        suffix = (str(number),) if len(parts) > 1 else ()
        show(matrices.themes_matrix(ctx.dataset, part, ctx.lang, (number, len(parts))),
             _fig_id("themes", *suffix), lang=ctx.lang)


def compare_timeline(ctx: Context, territories: Sequence[str]) -> None:
    """Programme periods, start years and perimeter changes."""
    from essbench.figures import timeline

    from essbench.figures.layout import sheet_parts

    parts = sheet_parts(list(territories), timeline.TIMELINE_ROWS_PER_SHEET)
    for number, part in enumerate(parts, start=1):
        suffix = (str(number),) if len(parts) > 1 else ()
        show(timeline.timeline_figure(ctx.dataset, part, ctx.lang, (number, len(parts))),
             _fig_id("calendrier", *suffix), lang=ctx.lang)


def compare_map(ctx: Context, territories: Sequence[str], indicator: str) -> None:
    """The territories on a map of France, coloured by one indicator."""
    from essbench.figures import maps

    show(maps.france_map(ctx.dataset, ctx.departements, ctx.perimeters, ctx.values, indicator,
                         list(territories), ctx.lang), _fig_id("carte", indicator), lang=ctx.lang)


def compare_sources(ctx: Context, territories: Sequence[str]) -> None:
    """Sources of the compared territories, and the page's colophon."""
    raw_html(comparison_sources_html(ctx, territories) + colophon_html(ctx))


def profile_evolution(ctx: Context, territory: str) -> None:
    """Each series of the territory: a chart with its sources, and the change in one sentence."""
    from essbench.figures.series import series_figure, territory_series
    from essbench.text.reading import change_sentence

    drawn = territory_series(ctx.dataset, territory)
    if not drawn:
        raw_html(render("evolution.html.j2", "paragraph", ctx.lang,
                        text=t("evolution.none", ctx.lang)))
        return
    for values in drawn:
        raw_html(render("evolution.html.j2", "paragraph", ctx.lang,
                        text=change_sentence(ctx.dataset, values, ctx.lang)))
        key = "-".join(str(part) for part in (values[0].indicator, values[0].base) if part)
        show(series_figure(ctx.dataset, territory, values, ctx.lang),
             _fig_id(territory, "evolution", key), lang=ctx.lang)


def compare_evolution(ctx: Context, territories: Sequence[str]) -> None:
    """Series that two territories or more have, on one time axis; a sentence when none."""
    from essbench.figures.series import comparison_series_figure, shared_series

    found = shared_series(ctx.dataset, list(territories))
    if not found:
        raw_html(render("evolution.html.j2", "paragraph", ctx.lang,
                        text=t("evolution.compare_none", ctx.lang)))
    for series in found:
        first = next(iter(series.values()))[0]
        key = "-".join(str(part) for part in (first.indicator, first.base) if part)
        show(comparison_series_figure(ctx.dataset, series, ctx.lang),
             _fig_id("evolution", key), lang=ctx.lang)
