"""Levers and themes × territories, each mark backed by a quote on hover."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.figures.layout import (
    INK,
    MIN_WIDTH,
    OKABE_ITO,
    UNKNOWN_COLOR,
    base_layout,
    data_table,
    keep_width,
    legend_below,
    part_title,
    print_rows,
    Chart,
    chart,
    text_px,
    wrap_name,
)
from essbench.text.catalog import t
from essbench.text.citations import evidence_words, source_label, territory_name
from essbench.text.comparability import dedupe
from essbench.text.markup import esc, wrap



def _quote_hover(dataset: Dataset, title: str, items: list, lang: str = "fr") -> str:
    lines = [f"<b>{esc(title)}</b>"]
    for item in items:
        prefix = ""
        if hasattr(item, "basis"):
            prefix = f"[{registry.THEME_BASES[item.basis][lang]}] "
        lines.append(wrap(prefix + evidence_words(item, lang)))
        lines.append(wrap(t("figure.hover.source", lang,
                            text=source_label(dataset, item.source, lang))))
        if item.note:
            lines.append(wrap(t("figure.hover.note", lang, text=item.note)))
    return "<br>".join(lines)


def _cell_text(cell: str, items: list, lang: str) -> str:
    """A cell of a matrix's data table: what it shows, its first quote (or a cited page's
    description) and the curator's note, so that everything its hover says can also be read
    without hovering (touch screens, paper)."""
    item = items[0]
    text = (t("figure.cell_quote", lang, cell=cell, quote=item.quote) if item.quote
            else t("figure.cell_cited", lang, cell=cell, description=evidence_words(item, lang)))
    return t("figure.cell_note", lang, text=text, note=item.note) if item.note else text


MATRIX_LABEL_WIDTH = 24  # characters of a lever or theme on one line
# Past this many territories, or when their names side by side would touch at a sheet's width,
# they are the rows and the levers (or themes) the columns.
MANY_TERRITORIES = 6
LEGEND_WIDTH = 34  # characters of a legend entry on one line
ROW_NAME_WIDTH = 30  # characters of a territory's name as a row label, when many
MANY_ROW_PX = 26
MANY_PRINT_ROW_PX = 13  # on paper, where a comparison's figures are drawn at three quarters
MANY_PRINT_MARKER_SCALE = 0.75  # and its marks three quarters of their size, kept apart
MANY_FONT = 12


def _row_name(name: str) -> str:
    """A territory's name on one line, shortened when long (whole in the data table)."""
    return esc(textwrap.shorten(name, ROW_NAME_WIDTH, placeholder="…"))


def _matrix_layout(fig: go.Figure, names: list[str], labels: list[str], title: str) -> go.Figure:
    """Territories as columns, their long names on two lines so that neighbours never touch;
    long row labels on two lines too, which leaves the columns the room they need on paper.
    Past MANY_TERRITORIES, territories are the rows (one line each) and the levers or themes
    the columns, their labels written upwards."""
    for trace in fig.data:  # a long legend entry on two lines: it fits a sheet's width
        if trace.name and len(str(trace.name)) > LEGEND_WIDTH and "<" not in str(trace.name):
            trace.name = wrap(str(trace.name), LEGEND_WIDTH)
    heads = [wrap_name(n) for n in names]
    rows = [wrap(label, MATRIX_LABEL_WIDTH) for label in labels]
    column_px = (MIN_WIDTH - 30 - max((text_px(r) for r in rows), default=0) - 12) / max(
        1, len(names))
    if len(names) > MANY_TERRITORIES or any(text_px(h) + 8 > column_px for h in heads) or any(
            h.count("<br>") > 2 for h in heads):
        return _many_layout(fig, names, labels, title)
    head_lines = max((h.count("<br>") + 1 for h in heads), default=1)
    row_px = 46 if any("<br>" in r for r in rows) else 40
    fig.update_layout(
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": names,
               "tickvals": names, "ticktext": heads,
               "side": "top", "showgrid": True, "gridcolor": "#E5E5E5", "tickangle": 0,
               "automargin": True},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels,
               "tickvals": labels, "ticktext": rows,
               "autorange": "reversed", "showgrid": True, "gridcolor": "#E5E5E5",
               "automargin": True},
        hovermode="closest",
    )
    top = 64 + 19 * head_lines
    plot_px = row_px * len(labels) + 10
    base_layout(fig, title, top + plot_px)
    label_px = max((text_px(r) for r in rows), default=0) + 12
    bottom = legend_below(fig, MIN_WIDTH - 10 - label_px - 20, axis_px=10) + 18 * max(
        (str(tr.name or "").count("<br>") for tr in fig.data), default=0)
    fig.update_layout(height=top + plot_px + bottom, margin={"t": top, "b": bottom},
                      title={"y": 1 - 12 / (top + plot_px + bottom), "yanchor": "top"})
    return keep_width(fig)


def _many_layout(fig: go.Figure, names: list[str], labels: list[str], title: str) -> go.Figure:
    """Territories as rows, one line each; levers or themes as columns, written upwards."""
    for trace in fig.data:
        trace.x, trace.y = trace.y, trace.x
        size = trace.marker.size or 12
        trace.marker.size = max(7, round(size * 0.65))
    heads = [_row_name(n) for n in names]
    # a long lever or theme on two lines written upwards (columns are wide enough for two):
    # the band of column names is half as high
    columns = [wrap(label, MATRIX_LABEL_WIDTH) for label in labels]
    fig.update_layout(
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": labels,
               "tickvals": labels, "ticktext": columns,
               "side": "top", "showgrid": True, "gridcolor": "#E5E5E5", "tickangle": -90,
               "tickfont": {"size": MANY_FONT}, "automargin": True},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": names,
               "tickvals": names, "ticktext": heads, "tickfont": {"size": MANY_FONT},
               "autorange": "reversed", "showgrid": True, "gridcolor": "#E5E5E5",
               "automargin": True},
        hovermode="closest",
    )
    # the estimate errs on the roomy side (0,6 em a character); written upwards, 0,53 em is
    # enough, and automargin adds room if a browser's font is wider
    top = 50 + round(0.88 * max((text_px(label, MANY_FONT) for label in columns),
                                default=0)) + 10
    plot_px = MANY_ROW_PX * len(names) + 10
    base_layout(fig, title, top + plot_px)
    label_px = max((text_px(h, MANY_FONT) for h in heads), default=0) + 12
    bottom = legend_below(fig, MIN_WIDTH - 10 - label_px - 20, axis_px=10) + 18 * max(
        (str(tr.name or "").count("<br>") for tr in fig.data), default=0)
    fig.update_layout(height=top + plot_px + bottom, margin={"t": top, "b": bottom},
                      title={"y": 1 - 12 / (top + plot_px + bottom), "yanchor": "top"})
    # the title is drawn 12 px from the top: 16 px of the room above the column names is
    # spare on paper
    print_rows(fig, len(names), MANY_ROW_PX, MANY_PRINT_ROW_PX, MANY_PRINT_MARKER_SCALE,
               top_less=16)
    return keep_width(fig)


# Territories a matrix part holds (as rows, 26 px each on screen, 19 on paper): about half a
# printed sheet; more continue in the next figure. Two parts of ten or twelve printed on two
# sheets, each a part and most of a sheet empty (the 21-territory comparison): one part holds
# twenty-one.
MATRIX_ROWS_PER_SHEET = 21


def levers_matrix(dataset: Dataset, territories: list[str], lang: str = "fr",
                  part: tuple[int, int] | None = None) -> Chart:
    """Levers × territories: used (with its quote), ruled out by the source, or not documented."""
    names = [territory_name(dataset, tid) for tid in territories]
    labels = [registry.label(registry.LEVERS, k, lang) for k in registry.LEVERS]
    from essbench.values.judgement import status_matrix

    statuses = status_matrix(dataset, territories, "levers")
    states = {"mapped": ([], [], []), "other": ([], [], []), "excluded": ([], [], []),
              "none": ([], [], [])}
    quoted: dict[str, list[str]] = {}  # the quotes each state's hovers show, in their order
    table_rows = []
    for key, label in zip(registry.LEVERS, labels, strict=True):
        table_row = [label]
        for tid, name in zip(territories, names, strict=True):
            profile = dataset.profiles[tid]
            mapped = [m for m in profile.levers if m.lever == key]
            excluded = [m for m in profile.levers_excluded if m.lever == key]
            status = statuses[(key, tid)]
            if mapped and status == "done":
                state, items, cell = "mapped", mapped, t("figure.levers.cell.mapped", lang)
            elif mapped:  # planned, ended or of unknown status: shown as such, never counted
                state, items, cell = "other", mapped, t(f"judgement.status.{status}", lang)
            elif excluded:
                state, items, cell = "excluded", excluded, t("figure.levers.cell.excluded", lang)
            else:
                state, items, cell = "none", [], t("figure.levers.cell.none", lang)
            title = f"{name} — {label}"
            hover = _quote_hover(dataset, title, items, lang) if items else (
                f"<b>{esc(title)}</b><br>{esc(t('figure.levers.hover_none', lang))}")
            xs, ys, hovers = states[state]
            xs.append(name)
            ys.append(label)
            hovers.append(hover)
            quoted.setdefault(state, []).extend(m.quote for m in items if m.quote)
            table_row.append(_cell_text(cell, items, lang) if items else cell)
        table_rows.append(table_row)
    fig = go.Figure()
    styles = {
        "mapped": (t("figure.levers.legend.mapped", lang),
                   {"symbol": "circle", "size": 20, "color": OKABE_ITO["bluish_green"],
                    "line": {"color": INK, "width": 1}}),
        "other": (t("figure.levers.legend.other", lang),
                  {"symbol": "circle-open", "size": 18, "color": OKABE_ITO["bluish_green"],
                   "line": {"color": OKABE_ITO["bluish_green"], "width": 3}}),
        "excluded": (t("figure.levers.legend.excluded", lang),
                     {"symbol": "x-thin-open", "size": 16, "color": OKABE_ITO["vermillion"],
                      "line": {"color": OKABE_ITO["vermillion"], "width": 4}}),
        "none": (t("figure.legend.none", lang), {"symbol": "circle-open", "size": 9, "color": UNKNOWN_COLOR,
                                   "line": {"width": 1}}),
    }
    for state, (xs, ys, hovers) in states.items():
        if not xs:
            continue
        legend, marker = styles[state]
        fig.add_scatter(x=xs, y=ys, mode="markers", name=legend, marker=marker,
                        customdata=hovers, hovertemplate="%{customdata}<extra></extra>")
    _matrix_layout(fig, names, labels, part_title(t("figure.levers.title", lang), part))
    used = {s for p in (dataset.profiles[tid] for tid in territories) for s in
            [m.source for m in p.levers + p.levers_excluded]}
    caption = t("figure.levers.caption", lang) + " "
    caption += (t("caption.many", lang) if len(territories) > MANY_TERRITORIES else
                t("caption.sources.other", lang, sources=t("list.semicolon", lang).join(
                    source_label(dataset, s, lang) for s in sorted(used))))
    return chart(fig, caption, [], data_table([t("figure.table.lever", lang), *names], table_rows),
                 [q for state in states for q in quoted.get(state, [])])


BASIS_ORDER = ("stated_priority", "action", "supported_project")


def themes_matrix(dataset: Dataset, territories: list[str], lang: str = "fr",
                  part: tuple[int, int] | None = None) -> Chart:
    """Themes × territories, marked by how each is backed: stated priority, action or project."""
    from essbench.values.judgement import status_of

    names = [territory_name(dataset, tid) for tid in territories]
    labels = [registry.label(registry.THEMES, k, lang) for k in registry.THEMES]
    points: dict[str, tuple[list, list, list]] = {b: ([], [], []) for b in (*BASIS_ORDER, "none")}
    quoted: dict[str, list[str]] = {}  # the quotes each mark's hovers show, in their order
    table_rows = []
    for key, label in zip(registry.THEMES, labels, strict=True):
        table_row = [label]
        for tid, name in zip(territories, names, strict=True):
            items = [m for m in dataset.profiles[tid].themes if m.theme == key]
            title = f"{name} — {label}"
            if items:
                basis = min((m.basis for m in items), key=BASIS_ORDER.index)
                hover = _quote_hover(dataset, title, items, lang)
                # Each basis with its status in the evidence (done, planned, ended, unknown).
                table_row.append(_cell_text(", ".join(dedupe(
                    f"{registry.THEME_BASES[m.basis][lang]} "
                    f"({t(f'judgement.status.{status_of(m)}', lang)})" for m in items)),
                    items, lang))
            else:
                basis = "none"
                hover = f"<b>{esc(title)}</b><br>{esc(t('figure.themes.hover_none', lang))}"
                table_row.append(t("figure.levers.cell.none", lang))
            xs, ys, hovers = points[basis]
            xs.append(name)
            ys.append(label)
            hovers.append(hover)
            quoted.setdefault(basis, []).extend(m.quote for m in items)
        table_rows.append(table_row)
    styles = {
        "stated_priority": {"symbol": "circle", "size": 20, "color": OKABE_ITO["blue"],
                            "line": {"color": INK, "width": 1}},
        "action": {"symbol": "diamond", "size": 18, "color": OKABE_ITO["orange"],
                   "line": {"color": INK, "width": 1}},
        "supported_project": {"symbol": "square-open", "size": 16,
                              "color": OKABE_ITO["reddish_purple"],
                              "line": {"color": OKABE_ITO["reddish_purple"], "width": 3}},
        "none": {"symbol": "circle-open", "size": 9, "color": UNKNOWN_COLOR, "line": {"width": 1}},
    }
    fig = go.Figure()
    for basis, (xs, ys, hovers) in points.items():
        if not xs:
            continue
        legend = (t("figure.legend.none", lang) if basis == "none"
                  else registry.THEME_BASES[basis][lang].capitalize())
        fig.add_scatter(x=xs, y=ys, mode="markers", name=legend, marker=styles[basis],
                        customdata=hovers, hovertemplate="%{customdata}<extra></extra>")
    _matrix_layout(fig, names, labels, part_title(t("figure.themes.title", lang), part))
    used = sorted({m.source for tid in territories for m in dataset.profiles[tid].themes})
    caption = t("figure.themes.caption", lang) + " "
    caption += (t("caption.many", lang) if len(territories) > MANY_TERRITORIES else
                t("caption.sources.other", lang, sources=t("list.semicolon", lang).join(
                    source_label(dataset, s, lang) for s in used)))
    return chart(fig, caption, [], data_table([t("figure.table.theme", lang), *names], table_rows),
                 [q for basis in points for q in quoted.get(basis, [])])
