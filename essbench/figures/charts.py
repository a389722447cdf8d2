"""Plotly figures of territories' ESS and ESS policies, in French, with captions and bounds."""

from __future__ import annotations

import dataclasses
import datetime
import html
import math
import re
import textwrap
from collections.abc import Mapping

import plotly.graph_objects as go

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
# Text helpers live in essbench.text; re-exported here for notebooks that import them from charts.
from essbench.text.citations import (  # noqa: F401
    fact_of,
    input_sources,
    source_label,
    sources_caption,
    territory_name,
    year_text,
    years_caption,
)
from essbench.text.comparability import comparison_notes, dedupe, value_notes  # noqa: F401
from essbench.text.dates import french_date  # noqa: F401
from essbench.text.formats import date_text
from essbench.text.markup import HOVER_WIDTH, esc, wrap  # noqa: F401
from essbench.text.units import base_text, short_base, unit_text  # noqa: F401
from essbench.text.catalog import t
from essbench.text.values import formatted, reason_text, scope_text, value_note
from essbench.text.yardsticks import same_base_yardsticks  # noqa: F401
from essbench.values.normalize import Value

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# Yellow last: it is hard to read on white.
TERRITORY_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                     "#000000", "#F0E442"]
FRANCE_COLOR = "#595959"
REGION_COLOR = "#56B4E9"
UNKNOWN_COLOR = "#9E9E9E"
INK = "#1A1A1A"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Plotly writes 6,5 and 48 390 with these: decimal comma, space between thousands.
SEPARATORS = ", "
PATTERNS = {"at_least": "/", "at_most": "\\", "approximately": "."}


def territory_colors(dataset: Dataset) -> dict[str, str]:
    """One fixed colour per territory, the same in every figure and map."""
    return {tid: TERRITORY_PALETTE[i % len(TERRITORY_PALETTE)]
            for i, tid in enumerate(sorted(dataset.profiles))}


def _cell(dataset: Dataset, value: Value, lang: str = "fr") -> str:
    if value.known:
        return formatted(value, lang)
    return t("figure.unknown_because", lang, reason=reason_text(value, dataset.sources, lang))


# ---------------------------------------------------------------- layout


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """French separators, readable fonts, a small template: every figure goes through here."""
    fig.update_layout(
        template=go.layout.Template(),
        separators=SEPARATORS,
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT, "size": 14, "color": INK},
        height=height,
        margin={"l": 10, "r": 20, "t": 60, "b": 40},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"family": FONT, "size": 13}},
        legend={"orientation": "h", "x": 0, "y": -0.12, "xanchor": "left", "yanchor": "top"},
    )
    return fig


# ---------------------------------------------------------------- room for labels
#
# Plotly does not keep labels apart: a label sized for a wide screen runs into its neighbour,
# or off the figure, on a printed sheet. The layouts below leave the room each label needs at
# the narrowest width a figure is drawn at, estimated from its characters; labels that fit
# there fit at any wider width.

# A4's printable width less the page's own margins: print redraws figures at 673 px to 680 px.
MIN_WIDTH = 660
# Mean advance of a character, in em, in the sans-serif fonts browsers fall back on (DejaVu
# Sans, the widest, is 0,51 to 0,57 em): rounded up, so estimates err on the roomy side.
EM_REGULAR = 0.6
EM_BOLD = 0.68
LEGEND_ROW_PX = 22  # one row of the 14 px legend
LEGEND_GAP_PX = 6  # between two rows of a grouped legend
AXIS_LABELS_PX = 30  # a row of 14 px tick labels under the plot
_TAG = re.compile(r"<[^>]+>")
_FONT_SIZE = re.compile(r"font-size:\s*(\d+)px")


def text_px(text: str, size: float = 14) -> float:
    """Estimated width in pixels of a plotly label (its widest line, tags dropped)."""
    widest, bold = 0.0, False
    for line in re.split(r"<br\s*/?>", str(text)):
        sized = _FONT_SIZE.search(line)
        em = EM_BOLD if bold or "<b>" in line else EM_REGULAR
        if "<b>" in line or "</b>" in line:
            bold = line.rfind("<b>") > line.rfind("</b>")
        plain = html.unescape(_TAG.sub("", line))
        widest = max(widest, len(plain) * (float(sized.group(1)) if sized else size) * em)
    return widest


def wrap_name(name: str, width: int = 14) -> str:
    """A territory's name escaped, on two lines or more when long: « Grenoble-Alpes<br>Métropole »."""
    return wrap(name, width)


def _legend_entries(fig: go.Figure) -> list[str]:
    """The names the legend shows: one per trace that asks for an entry."""
    if fig.layout.showlegend is False:
        return []
    return [str(trace.name or "") for trace in fig.data if trace.showlegend is not False]


def _legend_rows(names: list[str], plot_px: float) -> int:
    """Rows of a horizontal grouped legend as plotly wraps it within the plot's width."""
    rows, used = 0, 0.0
    for name in names:
        item = text_px(name) + 45  # symbol, gaps
        if rows == 0 or used + item > plot_px:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def legend_below(fig: go.Figure, plot_px: float, axis_px: int = AXIS_LABELS_PX) -> int:
    """The legend at the foot of the figure, under the axis labels; returns the bottom margin.

    Anchored to the figure (not to the plot), it never sits on the tick labels, whatever the
    plot's height; the margin it gets is sized for the rows it takes at the narrowest width.
    """
    rows = _legend_rows(_legend_entries(fig), plot_px)
    if not rows:
        return axis_px + 10
    # An entry of its own group, so the entries flow in rows rather than stack in one group.
    for trace in fig.data:
        if trace.showlegend is not False and not trace.legendgroup:
            trace.legendgroup = f"légende : {trace.name}"
    fig.update_layout(legend={"orientation": "h", "traceorder": "grouped",
                              "tracegroupgap": LEGEND_GAP_PX, "x": 0, "xanchor": "left",
                              "yref": "container", "y": 0, "yanchor": "bottom"})
    return axis_px + 14 + rows * LEGEND_ROW_PX + (rows - 1) * LEGEND_GAP_PX


def set_meta(fig: go.Figure, caption: str, notes: list[str] | None = None,
             table: dict | None = None) -> go.Figure:
    """Caption, comparability notes and the text alternative, carried by the figure for show()."""
    fig.update_layout(meta={"caption": caption, "notes": list(notes or []),
                            "table": table or {"columns": [], "rows": []}})
    return fig


def figure_meta(fig: go.Figure) -> dict:
    """The caption, notes and table of a figure made here (empty ones otherwise)."""
    meta = fig.layout.meta
    if isinstance(meta, dict):
        return {"caption": meta.get("caption", ""), "notes": list(meta.get("notes", [])),
                "table": meta.get("table") or {"columns": [], "rows": []}}
    return {"caption": "", "notes": [], "table": {"columns": [], "rows": []}}


def _axis_values(value: float, unit: str) -> float:
    """Shares and rates drawn in percent so the axis reads 6,5 %, not 0,065."""
    return value * 100 if unit in ("share", "rate") else value


def _value_axis(unit: str) -> dict:
    if unit in ("share", "rate"):
        return {"ticksuffix": "\u00a0%", "tickformat": "~r", "rangemode": "tozero"}
    if unit in ("eur", "eur_per_inhabitant", "eur_per_employee"):
        return {"ticksuffix": "\u00a0€", "tickformat": ",~r", "rangemode": "tozero"}
    if unit == "year":
        return {"tickformat": "d"}
    return {"tickformat": ",~r", "rangemode": "tozero"}


# ---------------------------------------------------------------- bar charts


@dataclasses.dataclass
class Row:
    """One bar of a horizontal bar chart: its label, value, colour and legend group."""

    label: str  # plotly text, already escaped
    value: Value
    color: str
    group: str
    hover: str  # plotly text, already escaped


def _hover(dataset: Dataset, value: Value, title: str, lang: str = "fr") -> str:
    lines = [f"<b>{esc(title)}</b>", esc(_cell(dataset, value, lang)) if value.known else
             esc(t("value.unknown", lang)) + "<br>" + wrap(t(
                 "figure.hover.reason", lang, text=reason_text(value, dataset.sources, lang)))]
    if value.known:
        if value.base:
            lines.append(wrap(t("figure.hover.base", lang, text=base_text(value, lang))))
        if value.scope is not None:
            lines.append(wrap(t("figure.hover.scope", lang, text=scope_text(value.scope, lang))))
        lines.append(wrap(t("figure.hover.year", lang, text=year_text(dataset, value, lang))))
        if value.quote:
            lines.append(wrap(t("quote.inline", lang, quote=value.quote)))
        if value.derived and value_note(value, lang):
            lines.append(wrap(t("figure.hover.calculation", lang, text=value_note(value, lang))))
        if value.source and not value.derived:
            lines.append(wrap(t("figure.hover.source", lang,
                                text=source_label(dataset, value.source, lang))))
    return "<br>".join(lines)


def _bar_traces(rows: list[Row], unit: str, lang: str = "fr") -> go.Figure:
    """Horizontal bars; unknown rows keep their place with an 'inconnu' box, never a 0 bar.

    The rows' labels name each bar: the legend only explains the hatching (and the France or
    région marks added after), never repeats a territory's name.
    """
    fig = go.Figure()
    labels = [row.label for row in rows]
    # An invisible point per row fixes the row order, even when every value is unknown.
    fig.add_scatter(x=[0] * len(labels), y=labels, mode="markers", marker={"opacity": 0},
                    hoverinfo="skip", showlegend=False)
    for row in rows:
        if not row.value.known:
            continue
        qualifier = row.value.qualifier
        pattern = {"shape": PATTERNS[qualifier], "fgcolor": "white", "solidity": 0.35,
                   "fillmode": "overlay"} if qualifier in PATTERNS else {"shape": ""}
        x = _axis_values(row.value.value, unit)
        fig.add_bar(
            x=[x], y=[row.label], orientation="h", name=esc(row.group),
            legendgroup=row.group, showlegend=False,
            marker={"color": row.color, "pattern": pattern,
                    "line": {"color": INK if qualifier != "exact" else row.color,
                             "width": 2 if qualifier != "exact" else 0}},
            text=[esc(formatted(row.value, lang))], textposition="outside", cliponaxis=False,
            textfont={"size": 14, "color": INK},
            customdata=[row.hover], hovertemplate="%{customdata}<extra></extra>",
        )
    for qualifier in sorted({r.value.qualifier for r in rows if r.value.known} - {"exact"}):
        fig.add_bar(x=[None], y=[None], orientation="h", name=t(f"figure.legend.{qualifier}", lang),
                    marker={"color": "white", "line": {"color": INK, "width": 2},
                            "pattern": {"shape": PATTERNS[qualifier], "fgcolor": INK,
                                        "solidity": 0.35}},
                    showlegend=True, hoverinfo="skip")
    for row in rows:
        if not row.value.known:
            fig.add_annotation(
                x=0, y=row.label, xref="x", yref="y", xanchor="left", showarrow=False,
                text=f"<i>{esc(t('value.unknown', lang))}</i>", hovertext=row.hover,
                font={"color": "#444444"},
                bordercolor=UNKNOWN_COLOR, borderwidth=1, borderpad=3, bgcolor="#F2F2F2",
            )
    return fig


def _bar_layout(fig: go.Figure, rows: list[Row], unit: str, title: str,
                legend: bool = True) -> go.Figure:
    """Axes, legend and margins of a bar chart, once every trace (marks included) is in.

    Every row gets the height its label's lines need; the value written after the longest bar
    gets the room it needs on the right, in the margin if the plot has none left.
    """
    labels = [row.label for row in rows]
    bars = [trace for trace in fig.data if trace.type == "bar" and trace.x and trace.x[0] is not None]
    drawn = [x for trace in fig.data if trace.x for x in trace.x if x is not None]
    xaxis = {**_value_axis(unit), "showgrid": True, "gridcolor": "#E5E5E5", "zeroline": True,
             "zerolinecolor": "#7F7F7F", "automargin": True}
    right = 20
    label_px = max((text_px(label) for label in labels), default=0) + 12
    room = MIN_WIDTH - 10 - label_px  # the plot and the right margin, at the narrowest
    if drawn:
        # Room on the right for the outside labels ("plus de 13 %").
        low, top = min(min(drawn), 0) * 1.3, max(max(drawn), 0) * 1.3 or 1
        xaxis["range"] = [low, top]
        if unit in ("count", "persons") and max(drawn) <= 10:
            xaxis["dtick"] = 1  # no half persons on the axis
        for bar in bars:
            reach = (bar.x[0] - low) / (top - low)
            if reach > 0:
                # the plot is room - right wide; the label ends reach of it in, plus its width
                needed = text_px(bar.text[0]) + 12 - room * (1 - reach)
                right = max(right, int(needed / reach) + 1)
    else:
        xaxis.update({"range": [0, 1], "showticklabels": False, "showgrid": False})
    fig.update_layout(
        barmode="overlay", bargap=0.35,
        xaxis=xaxis,
        yaxis={"categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
               "automargin": True, "type": "category"},
    )
    plot_px = 20 + sum(_row_height(r.label) for r in rows)
    base_layout(fig, title, 60 + plot_px)
    if not legend:
        fig.update_layout(showlegend=False)
    bottom = legend_below(fig, room - right)
    fig.update_layout(height=60 + plot_px + bottom, margin={"r": right, "b": bottom})
    return fig


def _bar_figure(rows: list[Row], unit: str, title: str, legend: bool = True,
                lang: str = "fr") -> go.Figure:
    """Horizontal bars, one per row, laid out: see _bar_traces and _bar_layout."""
    return _bar_layout(_bar_traces(rows, unit, lang), rows, unit, title, legend)


def _row_height(label: str) -> int:
    """Pixels a bar row needs so its label's lines never run into the next row."""
    return max(48, 19 * (label.count("<br>") + 1) + 16)


def _row_label(name: str, detail: str = "") -> str:
    label = f"<b>{esc(name)}</b>"
    for part in detail.split("\n") if detail else []:
        label += "<br>" + "<br>".join(f"<span style='font-size:12px'>{esc(line)}</span>"
                                      for line in textwrap.wrap(part, 34))
    return label


def _table(columns: list[str], rows: list[list[str]]) -> dict:
    return {"columns": columns, "rows": [[str(c) for c in row] for row in rows]}


def _value_table(dataset: Dataset, values: list[Value], lang: str = "fr") -> dict:
    rows = []
    for value in values:
        rows.append([
            territory_name(dataset, value.territory),
            registry.indicator_label(value.indicator, lang),
            _cell(dataset, value, lang),
            base_text(value, lang) or (scope_text(value.scope, lang) if value.scope else "—"),
            year_text(dataset, value, lang) if value.known else "—",
            source_label(dataset, value.source, lang) if value.known and value.source else "—",
        ])
    return _table([t(f"figure.table.{c}", lang) for c in
                   ("territory", "indicator", "value", "base_or_scope", "year", "source")], rows)


SHARE_OF_JOBS = ("ess_employment_share", "ess_private_employment_share")


def share_of_jobs_values(dataset: Dataset, values: Mapping[str, Value],
                         territory: str) -> list[tuple[Value, list[Value]]]:
    """Each share of jobs of the territory with France and région yardsticks of the same base."""
    return [(values[i], same_base_yardsticks(dataset, values[i])) for i in SHARE_OF_JOBS]


def employment_share_figure(dataset: Dataset, values: Mapping[str, Value], territory: str,
                            lang: str = "fr") -> go.Figure:
    """The ESS share of jobs (and of private jobs) beside France and the région, same base only."""
    colors = territory_colors(dataset)
    name = territory_name(dataset, territory)
    rows: list[Row] = []
    notes: list[str] = []
    shown: list[Value] = []
    missing_yardstick = []
    for value, yardsticks in share_of_jobs_values(dataset, values, territory):
        label = registry.indicator_label(value.indicator, lang)
        if not value.known:
            rows.append(Row(_row_label(name, label), value, colors[territory], name,
                            _hover(dataset, value, f"{name} — {label}", lang)))
            shown.append(value)
            continue
        detail = t("figure.base", lang, text=short_base(value, lang))
        rows.append(Row(_row_label(name, detail), value, colors[territory], name,
                        _hover(dataset, value, f"{name} — {label}", lang)))
        shown.append(value)
        for other in yardsticks:
            other_name = territory_name(dataset, other.territory)
            color = FRANCE_COLOR if other.territory == "france" else REGION_COLOR
            rows.append(Row(_row_label(other_name, t("figure.base", lang,
                                                     text=short_base(other, lang))), other,
                            color, other_name,
                            _hover(dataset, other, f"{other_name} — {label}", lang)))
            shown.append(other)
        if yardsticks:
            notes += value_notes(dataset, [value, *yardsticks], lang)
        else:
            missing_yardstick.append(base_text(value, lang))
    caption = t("figure.employment.caption", lang) + " "
    if missing_yardstick:
        caption += t("figure.employment.no_yardstick_for", lang,
                     bases=t("list.semicolon", lang).join(missing_yardstick)) + " "
    caption += t("figure.employment.hatched", lang) + " "
    caption += sources_caption(dataset, shown, lang) + " " + years_caption(dataset, shown, lang)
    fig = _bar_figure(rows, "share", t("figure.employment.title", lang, name=name), lang=lang)
    return set_meta(fig, caption.strip(), dedupe(notes), _value_table(dataset, shown, lang))


LEGAL_FORMS = (
    "ess_establishments_associations_share",
    "ess_establishments_cooperatives_share",
    "ess_establishments_mutuals_share",
    "ess_establishments_foundations_share",
)


def legal_forms_figure(dataset: Dataset, values: Mapping[str, Value], territory: str,
                       lang: str = "fr") -> go.Figure:
    """Shares of ESS employer establishments by legal form; a form no source gives stays unknown."""
    color = territory_colors(dataset)[territory]
    name = territory_name(dataset, territory)
    shown = [values[i] for i in LEGAL_FORMS]
    rows = [Row(_row_label(registry.indicator_label(v.indicator, lang)), v, color, name,
                _hover(dataset, v, registry.indicator_label(v.indicator, lang), lang))
            for v in shown]
    total = values.get("ess_establishments")
    caption = t("figure.legal_forms.caption", lang)
    if total is not None and total.known:
        caption += t("figure.legal_forms.out_of", lang, total=formatted(total, lang))
    caption += t("figure.legal_forms.never_zero", lang) + " "
    if any(v.known and v.qualifier != "exact" for v in shown):
        caption += t("figure.hatched", lang) + " "
    caption += sources_caption(dataset, shown, lang) + " " + years_caption(dataset, shown, lang)
    notes = [t("comparability.pair", lang, name=registry.indicator_label(v.indicator, lang),
               text=value_note(v, lang)) for v in shown if v.known and value_note(v, lang)]
    fig = _bar_figure(rows, "share", t("figure.legal_forms.title", lang, name=name),
                      legend=False, lang=lang)
    return set_meta(fig, caption.strip(), notes, _value_table(dataset, shown, lang))


def comparison_figure(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                      indicator: str, territories: list[str] | None = None,
                      lang: str = "fr") -> go.Figure:
    """One indicator across territories, with France and région marks of the same base."""
    territories = list(territories or values)
    colors = territory_colors(dataset)
    unit = registry.INDICATORS[indicator].unit
    label = registry.indicator_label(indicator, lang)
    rows = []
    references: list[tuple[Value, Row]] = []
    for tid in territories:
        value = values[tid][indicator]
        yardsticks = same_base_yardsticks(dataset, value)
        details = ([t("figure.base", lang, text=short_base(value, lang))]
                   if value.known and value.base else [])
        details += [t("comparability.pair", lang, name=territory_name(dataset, y.territory),
                      text=formatted(y, lang)) for y in yardsticks]
        row = Row(_row_label(territory_name(dataset, tid), "\n".join(details)), value, colors[tid],
                  territory_name(dataset, tid),
                  _hover(dataset, value, f"{territory_name(dataset, tid)} — {label}", lang))
        rows.append(row)
        references += [(y, row) for y in yardsticks]
    if unit == "year":
        fig = _year_figure(rows, label, lang)
    else:
        fig = _bar_traces(rows, unit, lang)
        _reference_marks(dataset, fig, references, unit, lang)
        _bar_layout(fig, rows, unit, label)
    # Start years of different policies are meant to differ: not a caveat.
    skip = ("different_years",) if unit == "year" else ()
    notes = comparison_notes(dataset, values, indicator, territories, lang, skip=skip)
    notes += _reference_notes(dataset, references, lang)
    shown = [r.value for r in rows] + _dedupe_values([ref for ref, _ in references])
    caption = t("figure.comparison.caption", lang, label=label, unit=unit_text(unit, lang)) + " "
    if unit in ("share", "rate"):
        caption += t("figure.comparison.marks" if references else "figure.comparison.no_marks",
                     lang) + " "
    if unit != "year":
        caption += t("figure.hatched", lang) + " "
    caption += t("figure.comparison.unknown", lang) + " "
    caption += sources_caption(dataset, shown, lang) + " " + years_caption(dataset, shown, lang)
    return set_meta(fig, caption.strip(), dedupe(notes), _value_table(dataset, shown, lang))


def _dedupe_values(values: list[Value]) -> list[Value]:
    seen = {}
    for value in values:
        seen.setdefault((value.territory, value.fact_id), value)
    return list(seen.values())


def _reference_notes(dataset: Dataset, references: list[tuple[Value, Row]],
                     lang: str) -> list[str]:
    """One line per national or regional figure used: value, base, year, source, for whom."""
    users: dict[tuple, list[str]] = {}
    refs: dict[tuple, Value] = {}
    for ref, row in references:
        key = (ref.territory, ref.fact_id)
        refs[key] = ref
        users.setdefault(key, []).append(territory_name(dataset, row.value.territory))
    notes = []
    for key, ref in refs.items():
        notes.append(t("figure.comparison.reference", lang,
                       name=territory_name(dataset, ref.territory), base=base_text(ref, lang),
                       value=formatted(ref, lang), year=year_text(dataset, ref, lang),
                       source=source_label(dataset, ref.source, lang),
                       names=", ".join(dedupe(users[key]))))
    return notes


def _reference_marks(dataset: Dataset, fig: go.Figure, references: list[tuple[Value, Row]],
                     unit: str, lang: str) -> None:
    """A France (and région) tick on each bar whose yardstick has the same base."""
    marks: dict[str, list] = {}
    for ref, row in references:
        name = territory_name(dataset, ref.territory)
        text = (f"<b>{esc(t('figure.same_base', lang, name=name))}</b><br>"
                f"{esc(formatted(ref, lang))}<br>"
                f"{wrap(t('figure.hover.base', lang, text=base_text(ref, lang)))}<br>"
                f"{wrap(t('figure.hover.year', lang, text=year_text(dataset, ref, lang)))}<br>"
                f"{wrap(t('quote.inline', lang, quote=ref.quote or ''))}<br>"
                f"{wrap(t('figure.hover.source', lang, text=source_label(dataset, ref.source, lang)))}")
        kind = "france" if ref.territory == "france" else "region"
        marks.setdefault(kind, []).append((_axis_values(ref.value, unit), row.label, text))
    for kind, points in marks.items():
        color = INK if kind == "france" else REGION_COLOR
        fig.add_scatter(
            x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
            name=t(f"figure.legend.{kind}_same_base", lang),
            marker={"symbol": "line-ns-open", "size": 34, "color": color,
                    "line": {"width": 4, "color": color}},
            customdata=[p[2] for p in points], hovertemplate="%{customdata}<extra></extra>",
        )


def _year_figure(rows: list[Row], title: str, lang: str = "fr") -> go.Figure:
    """Years as dots on a time axis; unknown years keep their row with 'inconnu'."""
    fig = go.Figure()
    labels = [r.label for r in rows]
    for row in rows:
        if row.value.known:
            fig.add_scatter(x=[row.value.value], y=[row.label], mode="markers+text",
                            name=esc(row.group), marker={"size": 16, "color": row.color},
                            text=[esc(formatted(row.value, lang))], textposition="middle right",
                            customdata=[row.hover], hovertemplate="%{customdata}<extra></extra>",
                            showlegend=False)
        else:
            fig.add_annotation(x=0.02, xref="paper", y=row.label, yref="y", xanchor="left",
                               showarrow=False, text=f"<i>{esc(t('value.unknown', lang))}</i>",
                               hovertext=row.hover,
                               bordercolor=UNKNOWN_COLOR, borderwidth=1, borderpad=3,
                               bgcolor="#F2F2F2")
    years = [r.value.value for r in rows if r.value.known]
    xaxis = {"tickformat": "d", "showgrid": True, "gridcolor": "#E5E5E5"}
    if years:
        xaxis["range"] = [min(years) - 3, max(years) + 3]
    fig.update_layout(xaxis=xaxis, yaxis={"categoryorder": "array", "categoryarray": labels,
                                          "autorange": "reversed", "automargin": True,
                                          "type": "category"})
    return base_layout(fig, title, 130 + sum(_row_height(r.label) for r in rows))


# ---------------------------------------------------------------- matrices


def _quote_hover(dataset: Dataset, title: str, items: list, lang: str = "fr") -> str:
    lines = [f"<b>{esc(title)}</b>"]
    for item in items:
        prefix = ""
        if hasattr(item, "basis"):
            prefix = f"[{registry.THEME_BASES[item.basis][lang]}] "
        lines.append(wrap(prefix + t("quote.inline", lang, quote=item.quote)))
        lines.append(wrap(t("figure.hover.source", lang,
                            text=source_label(dataset, item.source, lang))))
        if item.note:
            lines.append(wrap(t("figure.hover.note", lang, text=item.note)))
    return "<br>".join(lines)


MATRIX_LABEL_WIDTH = 24  # characters of a lever or theme on one line


def _matrix_layout(fig: go.Figure, names: list[str], labels: list[str], title: str) -> go.Figure:
    """Territories as columns, their long names on two lines so that neighbours never touch;
    long row labels on two lines too, which leaves the columns the room they need on paper."""
    heads = [wrap_name(n) for n in names]
    rows = [wrap(label, MATRIX_LABEL_WIDTH) for label in labels]
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
    bottom = legend_below(fig, MIN_WIDTH - 10 - label_px - 20, axis_px=10)
    fig.update_layout(height=top + plot_px + bottom, margin={"t": top, "b": bottom},
                      title={"y": 1 - 12 / (top + plot_px + bottom), "yanchor": "top"})
    return fig


def levers_matrix(dataset: Dataset, territories: list[str], lang: str = "fr") -> go.Figure:
    """Levers × territories: used (with its quote), ruled out by the source, or not documented."""
    names = [territory_name(dataset, tid) for tid in territories]
    labels = [registry.label(registry.LEVERS, k, lang) for k in registry.LEVERS]
    states = {"mapped": ([], [], []), "excluded": ([], [], []), "none": ([], [], [])}
    table_rows = []
    for key, label in zip(registry.LEVERS, labels, strict=True):
        table_row = [label]
        for tid, name in zip(territories, names, strict=True):
            profile = dataset.profiles[tid]
            mapped = [m for m in profile.levers if m.lever == key]
            excluded = [m for m in profile.levers_excluded if m.lever == key]
            if mapped:
                state, items, cell = "mapped", mapped, t("figure.levers.cell.mapped", lang)
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
            table_row.append(t("figure.cell_quote", lang, cell=cell, quote=items[0].quote)
                             if items else cell)
        table_rows.append(table_row)
    fig = go.Figure()
    styles = {
        "mapped": (t("figure.levers.legend.mapped", lang),
                   {"symbol": "circle", "size": 20, "color": OKABE_ITO["bluish_green"],
                    "line": {"color": INK, "width": 1}}),
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
    _matrix_layout(fig, names, labels, t("figure.levers.title", lang))
    used = {s for p in (dataset.profiles[tid] for tid in territories) for s in
            [m.source for m in p.levers + p.levers_excluded]}
    caption = t("figure.levers.caption", lang) + " "
    caption += t("caption.sources.other", lang, sources=t("list.semicolon", lang).join(
        source_label(dataset, s, lang) for s in sorted(used)))
    return set_meta(fig, caption, [], _table([t("figure.table.lever", lang), *names], table_rows))


BASIS_ORDER = ("stated_priority", "action", "supported_project")


def themes_matrix(dataset: Dataset, territories: list[str], lang: str = "fr") -> go.Figure:
    """Themes × territories, marked by how each is backed: stated priority, action or project."""
    names = [territory_name(dataset, tid) for tid in territories]
    labels = [registry.label(registry.THEMES, k, lang) for k in registry.THEMES]
    points: dict[str, tuple[list, list, list]] = {b: ([], [], []) for b in (*BASIS_ORDER, "none")}
    table_rows = []
    for key, label in zip(registry.THEMES, labels, strict=True):
        table_row = [label]
        for tid, name in zip(territories, names, strict=True):
            items = [m for m in dataset.profiles[tid].themes if m.theme == key]
            title = f"{name} — {label}"
            if items:
                basis = min((m.basis for m in items), key=BASIS_ORDER.index)
                hover = _quote_hover(dataset, title, items, lang)
                table_row.append(t("figure.cell_quote", lang, cell=", ".join(dedupe(
                    registry.THEME_BASES[m.basis][lang] for m in items)), quote=items[0].quote))
            else:
                basis = "none"
                hover = f"<b>{esc(title)}</b><br>{esc(t('figure.themes.hover_none', lang))}"
                table_row.append(t("figure.levers.cell.none", lang))
            xs, ys, hovers = points[basis]
            xs.append(name)
            ys.append(label)
            hovers.append(hover)
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
    _matrix_layout(fig, names, labels, t("figure.themes.title", lang))
    used = sorted({m.source for tid in territories for m in dataset.profiles[tid].themes})
    caption = t("figure.themes.caption", lang) + " "
    caption += t("caption.sources.other", lang, sources=t("list.semicolon", lang).join(
        source_label(dataset, s, lang) for s in used))
    return set_meta(fig, caption, [], _table([t("figure.table.theme", lang), *names], table_rows))


# ---------------------------------------------------------------- timeline


def _decimal_year(date: datetime.date) -> float:
    start = datetime.date(date.year, 1, 1)
    days = (datetime.date(date.year + 1, 1, 1) - start).days
    return date.year + (date - start).days / days


def _short_programme(name: str) -> str:
    acronym = re.search(r"\(([A-ZÉ]{3,})\)", name)
    return acronym.group(1) if acronym else textwrap.shorten(name, 40, placeholder="…")


TIMELINE_LABEL_WIDTH = 32  # characters on a line of a timeline label
_LOOSE_ENDS = {"à", "au", "aux", "avec", "d'", "dans", "de", "des", "du", "en", "et", "l'", "la",
               "le", "les", "par", "pour", "sein", "sur", "un", "une"}


def _two_lines(text: str, width: int = TIMELINE_LABEL_WIDTH) -> str:
    """Text on at most two lines ("\n"), cut after a meaningful word ('… T11…', not '… de…')."""
    lines = textwrap.wrap(str(text), width, break_long_words=False) or [""]
    if len(lines) <= 2:
        return "\n".join(lines)
    words = textwrap.shorten(" ".join(lines[1:]), width, placeholder=" …").split()[:-1]
    while len(words) > 1 and words[-1].lower() in _LOOSE_ENDS:
        words.pop()
    return lines[0] + "\n" + " ".join(words) + "…"


def _label_html(label: str) -> str:
    """A timeline label (lines separated by "\n") as escaped plotly text."""
    return "<br>".join(esc(line) for line in label.split("\n"))


@dataclasses.dataclass
class Event:
    """One dated item of the timeline."""

    territory: str
    kind: str  # programme | policy_start | call_start | perimeter
    start: float
    end: float | None
    label: str
    hover: str
    table: list[str]


# Marker of each kind of event; its legend is the catalog's figure.timeline.kind.<kind>.
TIMELINE_KINDS = {
    "programme": None,
    "policy_start": {"symbol": "star", "size": 18},
    "call_start": {"symbol": "triangle-up", "size": 15},
    "perimeter": {"symbol": "diamond", "size": 15},
}
# Three lanes per territory so labels never overlap: starts, programme, perimeter changes.
TIMELINE_OFFSETS = {"programme": 0.0, "policy_start": -0.3, "call_start": -0.3,
                    "perimeter": 0.3}


def timeline_events(dataset: Dataset, territories: list[str],
                    values: Mapping[str, Mapping[str, Value]] | None = None,
                    lang: str = "fr") -> list[Event]:
    """Programme periods, policy and call start years, perimeter and status changes."""
    events = []
    for tid in territories:
        profile = dataset.profiles[tid]
        name = territory_name(dataset, tid)
        programme = profile.programme
        if programme.period is not None:
            period = programme.period
            end = period.end if period.end is not None else period.start
            short = (_short_programme(programme.name) if programme.name != "unknown"
                     else t("figure.timeline.programme", lang))
            years = (f"{period.start}–{period.end}" if period.end
                     else t("period.since", lang, start=period.start))
            events.append(Event(
                tid, "programme", period.start, end + 1, f"{short} {years}",
                f"<b>{esc(name)} — {esc(programme.name)}</b><br>{esc(years)}<br>"
                f"{wrap(t('quote.inline', lang, quote=period.quote))}<br>"
                f"{wrap(t('figure.hover.source', lang, text=source_label(dataset, period.source, lang)))}",
                [name, years, t("figure.timeline.programme_named", lang, name=programme.name),
                 t("quote.cell", lang, quote=period.quote)]))
        for indicator, kind in (("policy_start_year", "policy_start"),
                                ("call_for_projects_start_year", "call_start")):
            facts = [f for f in profile.facts if f.indicator == indicator]
            fact = next((f for f in facts if f.primary), facts[0] if facts else None)
            if fact is None:
                continue
            year = int(fact.value)
            label = t(f"figure.timeline.kind.{kind}", lang)
            labelled = t("comparability.pair", lang, name=label, text=year)
            events.append(Event(
                tid, kind, year, None, labelled,
                f"<b>{esc(name)} — {esc(labelled)}</b><br>"
                f"{wrap(t('quote.inline', lang, quote=fact.quote))}"
                f"<br>{wrap(t('figure.hover.source', lang, text=source_label(dataset, fact.source, lang)))}"
                + (f"<br>{wrap(t('figure.hover.note', lang, text=fact.note))}" if fact.note else ""),
                [name, str(year), label, t("quote.cell", lang, quote=fact.quote)]))
        history_dates = {e.date for e in profile.history}
        for event in profile.history:
            former = next((f for f in profile.former_perimeters
                           if f.valid_to + datetime.timedelta(days=1) == event.date), None)
            # The curators' event text is French: other languages name the kind of event.
            label = (f"{former.name} →\n{profile.names.short}" if former
                     else _two_lines(event.event) if lang == "fr"
                     else t("figure.timeline.kind.perimeter", lang))
            hover = (f"<b>{esc(name)} — {esc(date_text(event.date, lang))}</b><br>"
                     f"{wrap(event.event)}")
            if event.quote:
                hover += f"<br>{wrap(t('quote.inline', lang, quote=event.quote))}"
                hover += ("<br>" + wrap(t("figure.hover.source", lang,
                                          text=source_label(dataset, event.source, lang))))
            if event.note:
                hover += f"<br>{wrap(t('figure.hover.note', lang, text=event.note))}"
            events.append(Event(tid, "perimeter", _decimal_year(event.date), None, label, hover,
                                [name, date_text(event.date, lang), event.event,
                                 t("quote.cell", lang, quote=event.quote) if event.quote
                                 else event.note or ""]))
        for former in profile.former_perimeters:
            date = former.valid_to + datetime.timedelta(days=1)
            if date in history_dates:
                continue
            label = f"{former.name} →\n{profile.names.short}"
            events.append(Event(tid, "perimeter", _decimal_year(date), None, label,
                                f"<b>{esc(name)} — {esc(date_text(date, lang))}</b><br>"
                                f"{wrap(t('figure.timeline.perimeter_end', lang, name=former.name))}"
                                f"<br>{wrap(t('quote.inline', lang, quote=former.quote))}",
                                [name, date_text(date, lang),
                                 t("figure.timeline.perimeter_end", lang, name=former.name),
                                 t("quote.cell", lang, quote=former.quote)]))
    return events


def _year_dtick(span: float, plot_px: float) -> int:
    """Years between two ticks: four-digit years stay at least 60 px apart, written flat."""
    return next((d for d in (1, 2, 5, 10, 20, 50) if span / d <= plot_px / 60), 100)


def _timeline_sides(events: list[Event], widths: list[float], plot_px: float,
                    low: float, high: float) -> tuple[list[str], float]:
    """Which side of its mark each label goes, and the axis end that leaves them all room.

    A label goes after its mark (or bar) when it fits before the end of the axis, otherwise
    before it when it fits there; when neither, the axis is lengthened on the right.
    """
    sides: list[str] = []
    for _ in range(20):
        sides, needed = [], high
        for event, width in zip(events, widths, strict=True):
            share = min(width / plot_px, 0.9)  # of the axis, at the narrowest width
            after = event.end if event.kind == "programme" else event.start
            if (after - low) / (high - low) <= 1 - share:
                sides.append("right")
            elif (event.start - low) / (high - low) >= share:
                sides.append("left")
            else:
                sides.append("right")
                needed = max(needed, low + (after - low) / (1 - share))
        if needed <= high:
            break
        high = math.ceil(needed)
    return sides, high


def timeline_figure(dataset: Dataset, territories: list[str], lang: str = "fr") -> go.Figure:
    """Programme periods, policy start years and perimeter changes on one time axis.

    Each label stays inside the figure: written on the side of its mark that has room, on two
    lines when long; the years are written flat, and the legend sits under them.
    """
    colors = territory_colors(dataset)
    names = [territory_name(dataset, tid) for tid in territories]
    row = {tid: i for i, tid in enumerate(territories)}
    events = timeline_events(dataset, territories, lang=lang)
    heads = ["<br>".join(f"<b>{line}</b>" for line in wrap_name(n).split("<br>")) for n in names]
    plot_px = MIN_WIDTH - 10 - (max((text_px(h) for h in heads), default=0) + 12) - 20
    widths = [text_px(_label_html(e.label), 12) + (8 if e.kind == "programme"
                                                   else TIMELINE_KINDS[e.kind]["size"] / 2 + 8)
              for e in events]
    xs = [e.start for e in events] + [e.end for e in events if e.end is not None]
    low, high = (math.floor(min(xs)) - 1, math.ceil(max(xs)) + 1) if xs else (0, 1)
    sides, high = _timeline_sides(events, widths, plot_px, low, high)
    fig = go.Figure()
    shown_legend: set[str] = set()
    for event, side in zip(events, sides, strict=True):
        y = row[event.territory] + TIMELINE_OFFSETS[event.kind]
        legend_name, marker = t(f"figure.timeline.kind.{event.kind}", lang), TIMELINE_KINDS[event.kind]
        common = {"name": legend_name, "legendgroup": event.kind,
                  "showlegend": event.kind not in shown_legend,
                  "customdata": [event.hover], "hovertemplate": "%{customdata}<extra></extra>"}
        text = _label_html(event.label)
        if event.kind == "programme":
            # A period is drawn from 1 January of its first year to 31 December of its last.
            common["customdata"] = [event.hover] * 2
            fig.add_scatter(x=[event.start, event.end], y=[y, y], mode="lines",
                            line={"width": 14, "color": colors[event.territory]}, **common)
            fig.add_scatter(x=[event.end if side == "right" else event.start], y=[y],
                            mode="text", text=[" " + text if side == "right" else text + " "],
                            textposition=f"middle {side}", showlegend=False, hoverinfo="skip",
                            textfont={"size": 12, "color": INK}, cliponaxis=False)
        else:
            fig.add_scatter(x=[event.start], y=[y], mode="markers+text",
                            marker={**marker, "color": colors[event.territory],
                                    "line": {"color": INK, "width": 1}},
                            text=[text], textposition=f"middle {side}",
                            textfont={"size": 12, "color": INK}, cliponaxis=False, **common)
        shown_legend.add(event.kind)
    xaxis = {"tickformat": "d", "showgrid": True, "gridcolor": "#E5E5E5", "tickangle": 0,
             "range": [low, high], "dtick": _year_dtick(high - low, plot_px), "tick0": 0}
    for tid in territories:
        if not any(e.territory == tid for e in events):
            fig.add_annotation(x=0.02, xref="paper", y=row[tid], yref="y", xanchor="left",
                               showarrow=False,
                               text=f"<i>{esc(t('figure.timeline.no_date', lang))}</i>",
                               bordercolor=UNKNOWN_COLOR, borderwidth=1, borderpad=3,
                               bgcolor="#F2F2F2")
    # Three lanes a territory, 30 px apart; 35 px above the first and below the last.
    fig.update_layout(
        xaxis=xaxis,
        yaxis={"tickvals": list(range(len(territories))), "ticktext": heads,
               "range": [len(territories) - 0.35, -0.65], "showgrid": False, "zeroline": False,
               "automargin": True},
    )
    height = 60 + 100 * (len(territories) + 0.3)
    base_layout(fig, t("figure.timeline.title", lang), round(height))
    bottom = legend_below(fig, plot_px)
    fig.update_layout(height=round(height + bottom), margin={"b": bottom})
    used = set()
    for tid in territories:
        profile = dataset.profiles[tid]
        if profile.programme.period:
            used.add(profile.programme.period.source)
        used |= {f.source for f in profile.facts
                 if f.indicator in ("policy_start_year", "call_for_projects_start_year")}
        used |= {e.source for e in profile.history if e.source}
    missing = [territory_name(dataset, tid) for tid in territories
               if not any(e.territory == tid for e in events)]
    caption = t("figure.timeline.caption", lang) + " "
    if missing:
        caption += t("figure.timeline.no_date_for", lang, names=", ".join(missing)) + " "
    if used:
        caption += t("caption.sources.other", lang, sources=t("list.semicolon", lang).join(
            source_label(dataset, s, lang) for s in sorted(used))) + " "
    caption += t("figure.timeline.without_quote", lang)
    table = _table([t(f"figure.table.{c}", lang) for c in
                    ("territory", "date", "event", "quote_or_note")],
                   [e.table for e in sorted(events, key=lambda e: (row[e.territory], e.start))])
    return set_meta(fig, caption, [], table)
