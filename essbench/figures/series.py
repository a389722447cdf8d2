"""Series over time: an indicator's dated values for one territory, with yardsticks of the same base."""

from __future__ import annotations

import plotly.graph_objects as go

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.figures.layout import (
    FRANCE_COLOR,
    MIN_WIDTH,
    REGION_COLOR,
    axis_value,
    base_layout,
    data_table,
    legend_below,
    set_meta,
    territory_colors,
    value_axis,
)
from essbench.text.catalog import t
from essbench.text.citations import evidence_words, source_label, territory_name
from essbench.text.dates import period_label
from essbench.text.markup import esc, wrap
from essbench.text.values import formatted
from essbench.values.normalize import Value, all_series, region_area, series

# Years and start years are milestones, not quantities that evolve.
NOT_SERIES_UNITS = ("year",)


def territory_series(dataset: Dataset, territory: str) -> list[list[Value]]:
    """The territory's series worth drawing: two known dated values or more, of a quantity."""
    return [values for indicator, by_key in all_series(dataset, territory).items()
            if registry.INDICATORS[indicator].unit not in NOT_SERIES_UNITS
            for values in by_key.values()]


def yardstick_series(dataset: Dataset, territory: str, values: list[Value]) -> list[list[Value]]:
    """France's and the région's series of the same indicator and base, as far as known."""
    first = values[0]
    areas = [a for a in dataset.references.values() if a.kind == "country"]
    region = region_area(dataset, territory)
    found = []
    for area_id in [a.id for a in areas] + ([region] if region else []):
        for key, points in series(dataset, area_id, first.indicator).items():
            known = [p for p in points if p.known]
            if known and known[0].base == first.base and (first.scope is None) == (
                    known[0].scope is None):
                found.append(known)
    return found


def _hover(dataset: Dataset, value: Value, lang: str) -> str:
    parts = [f"<b>{esc(territory_name(dataset, value.territory))}</b>",
             f"{esc(period_label(value.period, lang))} : {esc(formatted(value, lang))}",
             wrap(evidence_words(value, lang)), wrap(source_label(dataset, value.source, lang))]
    return "<br>".join(parts)


def series_figure(dataset: Dataset, territory: str, values: list[Value],
                  lang: str = "fr") -> go.Figure:
    """One series as dots joined by a line, each point's source on hover and in the table."""
    known = [v for v in values if v.known]
    first = known[0]
    indicator = registry.indicator_label(first.indicator, lang)
    unit = first.unit
    fig = go.Figure()
    rows = []
    colours = territory_colors(dataset)
    lines = [(territory, known, colours.get(territory, "#0072B2"), "solid")]
    for points in yardstick_series(dataset, territory, known):
        area = dataset.references[points[0].territory]
        lines.append((area.id, points, FRANCE_COLOR if area.kind == "country" else REGION_COLOR,
                      "dash"))
    for owner, points, colour, dash in lines:
        name = territory_name(dataset, owner)
        fig.add_scatter(
            x=[p.period.sort_year for p in points], y=[axis_value(p.value, unit) for p in points],
            mode="lines+markers+text" if owner == territory else "lines+markers",
            name=esc(name), line={"color": colour, "dash": dash, "width": 2},
            marker={"size": 10 if owner == territory else 7, "color": colour},
            text=[esc(formatted(p, lang)) for p in points], textposition="top center",
            customdata=[_hover(dataset, p, lang) for p in points],
            hovertemplate="%{customdata}<extra></extra>")
        rows += [[name, period_label(p.period, lang), formatted(p, lang),
                  t(f"evolution.evidence.{p.evidence or 'quoted'}", lang),
                  source_label(dataset, p.source, lang)] for p in points]
    years = [p.period.sort_year for _, points, _, _ in lines for p in points]
    fig.update_layout(
        xaxis={"tickformat": "d", "dtick": 1 if max(years) - min(years) <= 8 else 2,
               "range": [min(years) - 0.7, max(years) + 0.7], "showgrid": False},
        yaxis={**value_axis(unit), "showgrid": True, "gridcolor": "#E5E5E5"})
    title = t("evolution.title", lang, indicator=indicator,
              first=period_label(known[0].period, lang), last=period_label(known[-1].period, lang))
    base_layout(fig, esc(title), 380)
    fig.update_layout(margin={"b": legend_below(fig, MIN_WIDTH - 40)})
    caption = t("evolution.caption", lang, indicator=indicator,
                name=territory_name(dataset, territory))
    columns = [t(f"evolution.column.{c}", lang)
               for c in ("who", "period", "value", "evidence", "source")]
    return set_meta(fig, caption, [], data_table(columns, rows))
