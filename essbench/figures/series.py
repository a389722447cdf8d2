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
    keep_width,
    legend_below,
    print_rows,
    Chart,
    chart,
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


SERIES_PRINT_LOWER_PX = 100

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
                  lang: str = "fr") -> Chart:
    """One territory's series as dots joined by a line, with the yardsticks of the same base."""
    known = [v for v in values if v.known]
    colour = territory_colors(dataset).get(territory, "#0072B2")
    lines = [(territory, known, colour, "solid")]
    # A count or an amount is never drawn on one axis with France's or a région's: another
    # magnitude (2 600 000 beside 17 000 draws a flat line). Only rates share the axis.
    for points in (yardstick_series(dataset, territory, known)
                   if known[0].unit in ("share", "rate") else []):
        area = dataset.references[points[0].territory]
        lines.append((area.id, points, FRANCE_COLOR if area.kind == "country" else REGION_COLOR,
                      "dash"))
    caption = t("evolution.caption", lang,
                indicator=registry.indicator_label(known[0].indicator, lang),
                name=territory_name(dataset, territory))
    return _lines_figure(dataset, lines, {territory}, caption, lang)


def shared_series(dataset: Dataset, territories: list[str]) -> list[dict[str, list[Value]]]:
    """Series of one indicator, base and spread that two territories or more have."""
    by_key: dict[tuple, dict[str, list[Value]]] = {}
    for territory in territories:
        for indicator, keyed in all_series(dataset, territory).items():
            if registry.INDICATORS[indicator].unit in NOT_SERIES_UNITS:
                continue
            for key, values in keyed.items():
                by_key.setdefault(key, {})[territory] = values
    return [found for found in by_key.values() if len(found) >= 2]


def comparison_series_figure(dataset: Dataset, found: dict[str, list[Value]],
                             lang: str = "fr") -> Chart:
    """Several territories' series of one indicator and base on one time axis."""
    colours = territory_colors(dataset)
    lines = [(tid, values, colours.get(tid, "#0072B2"), "solid") for tid, values in found.items()]
    first = next(iter(found.values()))[0]
    caption = t("evolution.compare_caption", lang,
                indicator=registry.indicator_label(first.indicator, lang))
    return _lines_figure(dataset, lines, set(found), caption, lang)


def _lines_figure(dataset: Dataset, lines: list[tuple[str, list[Value], str, str]],
                  territories: set[str], caption: str, lang: str) -> Chart:
    """Each line's points labelled with their value; sources on hover and in the data table."""
    first = lines[0][1][0]
    unit = first.unit
    fig = go.Figure()
    rows = []
    from essbench.figures.bars import _publisher
    from essbench.text.units import short_base
    from essbench.values.judgement import series_changes

    links: list[dict] = []
    # Where a point is labelled already: a second equal point labels on the other side, a
    # third is not labelled again (its value is the same, in the data table).
    labelled: dict[tuple, str] = {}
    for index, (owner, points, colour, dash) in enumerate(lines):
        name = territory_name(dataset, owner)
        own = owner in territories
        if not own:
            # A yardstick's line says its base and source; its points, their years.
            name = t("figure.legend.yardstick_line", lang, name=name,
                     base=short_base(points[0], lang) or "-",
                     source=_publisher(dataset, points[0].source))
        texts, positions = [], []
        for p in points:
            key = (p.period.sort_year, formatted(p, lang))
            side = "top center" if index % 2 == 0 else "bottom center"
            if key in labelled:
                other = labelled[key]
                side = "bottom center" if other == "top center" else "top center"
                texts.append("" if other == "both" else esc(formatted(p, lang)))
                labelled[key] = "both"
            else:
                texts.append(esc(formatted(p, lang)))
                labelled[key] = side
            positions.append(side)
        xs = [p.period.sort_year for p in points]
        ys: list[float | None] = [axis_value(p.value, unit) for p in points]
        for at, _ in series_changes(points):
            # A change of nature, measure or perimeter: the line breaks, a dotted link shows
            # the two points are not one series.
            links.append({"x": xs[at - 1:at + 1], "y": ys[at - 1:at + 1], "mode": "lines",
                          "line": {"color": colour, "dash": "dot", "width": 1},
                          "name": esc(t("figure.series.change", lang)), "hoverinfo": "skip",
                          "showlegend": False})
        breaks = {at for at, _ in series_changes(points)}
        if breaks:
            def split(items: list, gap: object = None) -> list:
                return [x for i, item in enumerate(items)
                        for x in ([gap, item] if i in breaks else [item])]

            xs, ys, texts = split(xs), split(ys), split(texts, "")
            positions = split(positions, "top center")
            points = split(points)
        fig.add_scatter(
            x=xs, y=ys, connectgaps=False,
            mode="lines+markers+text" if own else "lines+markers",
            name=esc(name), line={"color": colour, "dash": dash, "width": 2},
            marker={"size": 10 if own else 7, "color": colour},
            # Every other line labels below its points: equal values never print over each other.
            text=texts, textposition=positions,
            customdata=[_hover(dataset, p, lang) if p else "" for p in points],
            hovertemplate="%{customdata}<extra></extra>")
        rows += [[name, period_label(p.period, lang), formatted(p, lang),
                  t(f"evolution.evidence.{p.evidence or 'quoted'}", lang),
                  source_label(dataset, p.source, lang)] for p in points if p]
    for link in links:
        fig.add_scatter(**link)
    if links:
        # one legend entry for every dotted link, in grey: the same words once a territory
        # made the legend three rows longer at twenty territories
        fig.add_scatter(x=[None], y=[None], mode="lines", hoverinfo="skip", showlegend=True,
                        name=esc(t("figure.series.change", lang)),
                        line={"color": "#7F7F7F", "dash": "dot", "width": 1})
    all_points = [p for _, points, _, _ in lines for p in points]
    years = [p.period.sort_year for p in all_points]
    fig.update_layout(
        xaxis={"tickformat": "d", "dtick": 1 if max(years) - min(years) <= 8 else 2,
               "range": [min(years) - 0.7, max(years) + 0.7], "showgrid": False},
        # Room above the highest point for its label, and for the tick labels on the left.
        yaxis={**value_axis(unit), "showgrid": True, "gridcolor": "#E5E5E5", "automargin": True,
               "range": [0, 1.18 * max(axis_value(p.value, unit) for p in all_points)]})
    earliest = min(all_points, key=lambda p: p.period.sort_year)
    latest = max(all_points, key=lambda p: p.period.sort_year)
    title = t("evolution.title", lang, indicator=registry.indicator_label(first.indicator, lang),
              first=period_label(earliest.period, lang), last=period_label(latest.period, lang))
    base_layout(fig, esc(title), 380)
    fig.update_layout(margin={"b": legend_below(fig, MIN_WIDTH - 40)})
    # on paper, drawn at three quarters, the plot 100 px lower: a line and its labelled points
    # read as well, and five series take a sheet and a half, not three
    print_rows(fig, 1, SERIES_PRINT_LOWER_PX, 0)
    keep_width(fig)
    columns = [t(f"evolution.column.{c}", lang)
               for c in ("who", "period", "value", "evidence", "source")]
    return chart(fig, caption, [], data_table(columns, rows))
