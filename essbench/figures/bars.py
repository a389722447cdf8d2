"""Bar and dot charts of values: shares of jobs, legal forms, one indicator across territories."""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Mapping

import plotly.graph_objects as go

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.figures.layout import (
    FRANCE_COLOR,
    INK,
    MIN_WIDTH,
    PATTERNS,
    REGION_COLOR,
    UNKNOWN_COLOR,
    axis_value,
    base_layout,
    data_table,
    keep_width,
    legend_below,
    print_rows,
    title_extra_px,
    Chart,
    chart,
    territory_colors,
    text_px,
    value_axis,
)
from essbench.text.catalog import t
from essbench.text.citations import (
    source_label,
    sources_caption,
    territory_name,
    year_text,
    years_caption,
)
from essbench.text.comparability import comparison_notes, dedupe, value_notes
from essbench.text.markup import esc, wrap
from essbench.text.units import base_text, short_base, unit_text
from essbench.text.values import formatted, reason_text, scope_text, value_note
from essbench.values.normalize import Value
from essbench.values.yardsticks import same_base_yardsticks, share_of_jobs_values


def _cell(dataset: Dataset, value: Value, lang: str = "fr") -> str:
    if value.known:
        return formatted(value, lang)
    return t("figure.unknown_because", lang, reason=reason_text(value, dataset.sources, lang))



@dataclasses.dataclass
class Row:
    """One bar of a horizontal bar chart: its label, value, colour and legend group."""

    label: str  # plotly text, already escaped
    value: Value
    color: str
    group: str
    hover: str  # plotly text, already escaped


def distinct_labels(rows: list[Row]) -> list[Row]:
    """Rows whose labels read alike (two territories of one short name) kept on rows of their
    own: plotly draws one row per distinct category, so a zero-width space tells them apart."""
    seen: dict[str, int] = {}
    for row in rows:
        count = seen.get(row.label, 0)
        seen[row.label] = count + 1
        if count:
            row.label += "\u200b" * count
    return rows


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


def _bar_traces(rows: list[Row], unit: str, lang: str = "fr", compact: bool = False) -> go.Figure:
    """Horizontal bars; unknown rows keep their place with an 'inconnu' box, never a 0 bar.

    The rows' labels name each bar: the legend only explains the hatching (and the France or
    région marks added after), never repeats a territory's name.
    """
    fig = go.Figure()
    labels = [row.label for row in distinct_labels(rows)]
    # An invisible point per row fixes the row order, even when every value is unknown.
    fig.add_scatter(x=[0] * len(labels), y=labels, mode="markers", marker={"opacity": 0},
                    hoverinfo="skip", showlegend=False)
    for row in rows:
        if not row.value.known:
            continue
        qualifier = row.value.qualifier
        pattern = {"shape": PATTERNS[qualifier], "fgcolor": "white", "solidity": 0.35,
                   "fillmode": "overlay"} if qualifier in PATTERNS else {"shape": ""}
        x = axis_value(row.value.value, unit)
        fig.add_bar(
            x=[x], y=[row.label], orientation="h", name=esc(row.group),
            legendgroup=row.group, showlegend=False,
            marker={"color": row.color, "pattern": pattern,
                    "line": {"color": INK if qualifier != "exact" else row.color,
                             "width": 2 if qualifier != "exact" else 0}},
            text=[esc(formatted(row.value, lang))], textposition="outside", cliponaxis=False,
            textfont={"size": COMPACT_FONT if compact else 14, "color": INK},
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
                font={"color": "#444444", "size": COMPACT_FONT if compact else 14},
                bordercolor=UNKNOWN_COLOR, borderwidth=1, borderpad=1 if compact else 3,
                bgcolor="#F2F2F2",
            )
    return fig


def _bar_layout(fig: go.Figure, rows: list[Row], unit: str, title: str,
                legend: bool = True, compact: bool = False) -> go.Figure:
    """Axes, legend and margins of a bar chart, once every trace (marks included) is in.

    Every row gets the height its label's lines need; the value written after the longest bar
    gets the room it needs on the right, in the margin if the plot has none left.
    """
    labels = [row.label for row in rows]
    bars = [trace for trace in fig.data if trace.type == "bar" and trace.x and trace.x[0] is not None]
    drawn = [x for trace in fig.data if trace.x for x in trace.x if x is not None]
    xaxis = {**value_axis(unit), "showgrid": True, "gridcolor": "#E5E5E5", "zeroline": True,
             "zerolinecolor": "#7F7F7F", "automargin": True}
    right = 20
    label_px = max((text_px(label, COMPACT_FONT if compact else 14) for label in labels),
                   default=0) + 12
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
                needed = (text_px(bar.text[0], COMPACT_FONT if compact else 14) + 12
                          - room * (1 - reach))
                right = max(right, int(needed / reach) + 1)
    else:
        xaxis.update({"range": [0, 1], "showticklabels": False, "showgrid": False})
    fig.update_layout(
        barmode="overlay", bargap=0.35,
        xaxis=xaxis,
        # a whole row above the first and under the last: a label of several lines, centred
        # on its bar, never reaches the axis' numbers
        yaxis={"categoryorder": "array", "categoryarray": labels, "autorange": False,
               "range": [len(labels) - 0.5, -0.5], "automargin": True, "type": "category",
               **({"tickfont": {"size": COMPACT_FONT}} if compact else {})},
    )
    plot_px = 20 + _rows_px(rows, compact)
    base_layout(fig, title, 60 + plot_px)
    if not legend:
        fig.update_layout(showlegend=False)
    bottom = legend_below(fig, room - right)
    fig.update_layout(height=60 + title_extra_px(fig) + plot_px + bottom,
                      margin={"r": right, "b": bottom})
    if compact:
        print_rows(fig, len(labels), COMPACT_ROW_PX, COMPACT_PRINT_ROW_PX)
    # laid out for a sheet's width: on a phone it keeps that width and scrolls sideways
    return keep_width(fig)


def _bar_figure(rows: list[Row], unit: str, title: str, legend: bool = True,
                lang: str = "fr") -> go.Figure:
    """Horizontal bars, one per row, laid out: see _bar_traces and _bar_layout."""
    return _bar_layout(_bar_traces(rows, unit, lang), rows, unit, title, legend)


# Past this many territories a comparison chart has one line a territory: its name (shortened
# when long, whole in the data table), its bar and value; bases and yardsticks are in the
# notes, France and région marks stay on the bars.
COMPACT_AFTER = 6
COMPACT_ROW_PX = 26
COMPACT_PRINT_ROW_PX = 15  # on paper, where a comparison's figures are drawn at three quarters
COMPACT_FONT = 12
COMPACT_NAME = 34  # characters


def _rows_px(rows: list[Row], compact: bool = False) -> int:
    """Height of the rows: plotly gives every category row the same height, so each gets the
    height the tallest label needs."""
    if compact:
        return len(rows) * COMPACT_ROW_PX
    return len(rows) * max((_row_height(r.label) for r in rows), default=48)


def _compact_label(name: str) -> str:
    return esc(textwrap.shorten(name, COMPACT_NAME, placeholder="…"))


def _row_height(label: str) -> int:
    """Pixels a bar row needs so its label's lines never run into the next row."""
    return max(48, 19 * (label.count("<br>") + 1) + 16)


NAME_WIDTH = 28  # characters of a bold row name on one line (a long name takes two or more)


def _row_label(name: str, detail: str = "") -> str:
    label = "<br>".join(f"<b>{esc(line)}</b>" for line in textwrap.wrap(name, NAME_WIDTH)
                        or [""])
    for part in detail.split("\n") if detail else []:
        label += "<br>" + "<br>".join(f"<span style='font-size:12px'>{esc(line)}</span>"
                                      for line in textwrap.wrap(part, 34))
    return label


def _valuedata_table(dataset: Dataset, values: list[Value], lang: str = "fr") -> dict:
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
    return data_table([t(f"figure.table.{c}", lang) for c in
                   ("territory", "indicator", "value", "base_or_scope", "year", "source")], rows)


def employment_share_figure(dataset: Dataset, values: Mapping[str, Value], territory: str,
                            lang: str = "fr") -> Chart:
    """The ESS share of jobs (and of private jobs) beside France and the région, same base only."""
    colors = territory_colors(dataset)
    name = territory_name(dataset, territory)
    rows: list[Row] = []
    notes: list[str] = []
    shown: list[Value] = []
    missing_yardstick = []
    for value, yardsticks in share_of_jobs_values(dataset, values):
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
    fig = _bar_figure(rows, "share", t("figure.employment.title", lang, name=esc(name)), lang=lang)
    return chart(fig, caption.strip(), dedupe(notes), _valuedata_table(dataset, shown, lang),
                 _hover_quotes(rows))


LEGAL_FORMS = (
    "ess_establishments_associations_share",
    "ess_establishments_cooperatives_share",
    "ess_establishments_mutuals_share",
    "ess_establishments_foundations_share",
)


def legal_forms_figure(dataset: Dataset, values: Mapping[str, Value], territory: str,
                       lang: str = "fr") -> Chart:
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
    fig = _bar_figure(rows, "share", t("figure.legal_forms.title", lang, name=esc(name)),
                      legend=False, lang=lang)
    return chart(fig, caption.strip(), notes, _valuedata_table(dataset, shown, lang),
                 _hover_quotes(rows))


def comparison_figure(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                      indicator: str, territories: list[str] | None = None,
                      lang: str = "fr") -> Chart:
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
        compact = len(territories) > COMPACT_AFTER
        row = Row(_compact_label(territory_name(dataset, tid)) if compact else
                  _row_label(territory_name(dataset, tid), "\n".join(details)), value, colors[tid],
                  territory_name(dataset, tid),
                  _hover(dataset, value, f"{territory_name(dataset, tid)} — {label}", lang))
        rows.append(row)
        references += [(y, row) for y in yardsticks]
    compact = len(territories) > COMPACT_AFTER
    if unit == "year":
        fig = _year_figure(rows, label, lang, compact)
    else:
        fig = _bar_traces(rows, unit, lang, compact)
        _reference_marks(dataset, fig, references, unit, lang, compact)
        _bar_layout(fig, rows, unit, label, compact=compact)
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
    if compact:
        # twenty territories' sources and years would make a caption longer than its chart
        caption += t("caption.many", lang)
    else:
        caption += sources_caption(dataset, shown, lang) + " " + years_caption(dataset, shown,
                                                                               lang)
    return chart(fig, caption.strip(), dedupe(notes), _valuedata_table(dataset, shown, lang),
                 _hover_quotes(rows, [] if unit == "year" else references))


def _hover_quotes(rows: list[Row], references: list[tuple[Value, Row]] = ()) -> list[str]:
    """The quotes the hovers show, in the order of their traces: each known bar's, then the
    France and région marks' (France's first when it comes first)."""
    quotes = [row.value.quote for row in rows if row.value.known]
    kinds: dict[str, list[str]] = {}
    for ref, _ in references:
        kinds.setdefault("france" if ref.territory == "france" else "region", []).append(
            ref.quote)
    return quotes + [q for found in kinds.values() for q in found]


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


def _publisher(dataset: Dataset, source: str | None) -> str:
    """A source's publisher, short: 'Insee', 'Carenews'."""
    found = dataset.sources.get(source) if source else None
    publisher = getattr(found, "publisher", None) or source or ""
    return publisher.split(" (")[0]


def _reference_marks(dataset: Dataset, fig: go.Figure, references: list[tuple[Value, Row]],
                     unit: str, lang: str, compact: bool = False) -> None:
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
        # One legend entry per yardstick, base and period: two France figures of different
        # years are never drawn under one name.
        key = (kind, short_base(ref, lang), year_text(dataset, ref, lang).split(" (")[0],
               ref.source)
        marks.setdefault(key, []).append((axis_value(ref.value, unit), row.label, text))
    for (kind, base, year, source), points in marks.items():
        color = INK if kind == "france" else REGION_COLOR
        fig.add_scatter(
            x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
            # Who and which year (each bar's label gives the base, the hover and the notes the
            # source): a longer legend runs off a printed sheet.
            name=esc(t("figure.legend.yardstick", lang,
                       name=t(f"figure.legend.{kind}_same_base", lang), year=year)),
            marker={"symbol": "line-ns-open", "size": 18 if compact else 34, "color": color,
                    "line": {"width": 4, "color": color}},
            customdata=[p[2] for p in points], hovertemplate="%{customdata}<extra></extra>",
        )


def _year_figure(rows: list[Row], title: str, lang: str = "fr",
                 compact: bool = False) -> go.Figure:
    """Years as dots on a time axis; unknown years keep their row with 'inconnu'."""
    fig = go.Figure()
    labels = [r.label for r in distinct_labels(rows)]
    years = [r.value.value for r in rows if r.value.known]
    middle = (min(years) + max(years)) / 2 if years else 0
    for row in rows:
        if row.value.known:
            # A label written to the right of the latest year ("au plus tard en 2011") would run
            # past the plot: labels of the later half go to the left of their dot.
            side = "top left" if years and row.value.value > middle else "top right"
            if compact:
                side = side.replace("top", "middle")
            fig.add_scatter(x=[row.value.value], y=[row.label], mode="markers+text",
                            name=esc(row.group),
                            marker={"size": 10 if compact else 16, "color": row.color},
                            text=[esc(formatted(row.value, lang))], textposition=side,
                            textfont={"size": 12}, cliponaxis=False,
                            customdata=[row.hover], hovertemplate="%{customdata}<extra></extra>",
                            showlegend=False)
        else:
            fig.add_annotation(x=0.02, xref="paper", y=row.label, yref="y", xanchor="left",
                               showarrow=False, text=f"<i>{esc(t('value.unknown', lang))}</i>",
                               hovertext=row.hover,
                               font={"size": COMPACT_FONT if compact else 14},
                               bordercolor=UNKNOWN_COLOR, borderwidth=1,
                               borderpad=1 if compact else 3, bgcolor="#F2F2F2")
    xaxis = {"tickformat": "d", "showgrid": True, "gridcolor": "#E5E5E5"}
    if years:
        xaxis["range"] = [min(years) - 3, max(years) + 3]
    fig.update_layout(xaxis=xaxis, yaxis={"categoryorder": "array", "categoryarray": labels,
                                          "autorange": False,
                                          "range": [len(labels) - 0.5, -0.5],
                                          "automargin": True, "type": "category",
                                          **({"tickfont": {"size": COMPACT_FONT}}
                                             if compact else {})})
    if compact:
        fig.update_traces(textfont={"size": COMPACT_FONT}, selector={"mode": "markers+text"})
        print_rows(fig, len(labels), COMPACT_ROW_PX, COMPACT_PRINT_ROW_PX)
    return keep_width(base_layout(fig, title, (100 if compact else 130) + _rows_px(rows, compact)))
