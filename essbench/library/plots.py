"""Figures for researchers that draw offline: the comparison chart and a choropleth of any column.

Maps are cartesian plotly traces drawn from our own geometry (as the dashboards' maps), never a
geo subplot: `px.choropleth` fetches a world topojson from a CDN and draws blank offline.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from essbench.evidence.dataset import Dataset
from essbench.figures import bars, layout, maps
from essbench.evidence.arguments import InvalidArgument, check_column

UNKNOWN_FILL = "#FFFFFF"
UNKNOWN_LINE = "#9E9E9E"
CLASSES = 7  # colour classes of a numeric column: one filled trace each keeps figures light
# Okabe-Ito, colour-blind safe, for categorical columns.
CATEGORY_COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                   "#F0E442", "#000000"]


def comparison(dataset: Dataset, values: Mapping[str, Mapping[str, Any]], indicator: str,
               territories: Sequence[str], lang: str) -> layout.Chart:
    """The dashboards' comparison chart: one indicator across territories, yardsticks marked."""
    return bars.comparison_figure(dataset, values, indicator, list(territories), lang)


def figure_notes(chart: layout.Chart) -> dict:
    """The caption, comparability notes and data table of a project chart, as a dict (the same
    as its `caption`, `notes` and `table` attributes).

    Examples
    --------
    >>> import essbench
    >>> chart = essbench.load().compare("ess_employment_share")  # doctest: +SKIP
    >>> figure_notes(chart)["notes"] == list(chart.notes)  # doctest: +SKIP
    True
    """
    if not isinstance(chart, layout.Chart):
        raise InvalidArgument(f"chart: expected what compare() returns, got "
                              f"{type(chart).__name__} (a plain figure carries no notes)")
    return {"caption": chart.caption, "notes": list(chart.notes), "table": chart.table}


def _point(geom) -> tuple[float, float]:
    point = geom.representative_point()
    x, y = maps.to_plot(np.array([[point.x, point.y]]), 100.0)[0]
    return float(x), float(y)


def _color(position: float) -> str:
    return plotly.colors.sample_colorscale(maps.SEQUENTIAL, [min(max(position, 0.0), 1.0)],
                                           colortype="rgb")[0]


def _number(value: float) -> str:
    """1 234 567, 660.3, 0.2956: never an exponent, thin spaces between thousands."""
    value = float(value)
    if value.is_integer() or abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", "\u202f")
    digits = max(0, 3 - math.floor(math.log10(abs(value)))) if value else 0
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _names(frame: pd.DataFrame, hover: str | None) -> list[str]:
    for column in ([hover] if hover else []) + ["name", "territory", "insee"]:
        if column in frame.columns:
            return frame[column].astype("string").fillna("").tolist()
    return [str(i) for i in frame.index]


def choropleth(frame: gpd.GeoDataFrame, column: str, title: str | None = None,
               hover: str | None = None, unknown_label: str = "unknown") -> go.Figure:
    """Polygons of `frame` coloured by `column`, drawn offline from their own geometry.

    A numeric column gets light-to-dark blue classes at its quantiles (missing values hatched
    white); any other column one colour per category.

    Parameters
    ----------
    frame : GeoDataFrame
        Polygons with a CRS (communes, territories, or the researcher's own).
    column : str
        Column that colours the polygons.
    title : str, optional
        Figure title (default: the column name).
    hover : str, optional
        Column named on hover (default: name, territory or insee, whichever exists).
    unknown_label : str
        Legend entry of missing values.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import essbench
    >>> ess = essbench.load()  # doctest: +SKIP
    >>> grasse = ess.communes.query("territory == 'grasse'")  # doctest: +SKIP
    >>> choropleth(grasse, "population")  # doctest: +SKIP
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InvalidArgument(f"frame: expected a GeoDataFrame, got {type(frame).__name__}")
    check_column([c for c in frame.columns if c != frame.geometry.name], column)
    if frame.empty:
        raise InvalidArgument("frame: no rows to draw (check the filter that made it)")
    if frame.crs is None:
        raise InvalidArgument("frame: its CRS is not set (set_crs('EPSG:4326') for lon/lat)")
    shapes = maps.project(frame[frame.geometry.notna() & ~frame.geometry.is_empty])
    minx, miny, maxx, maxy = shapes.total_bounds
    extent = max(maxx - minx, maxy - miny)
    # Fine detail only weighs when the map spans a département or more.
    precision = 10.0 if extent < 60_000 else 100.0
    if extent >= 60_000:
        shapes = shapes.assign(geometry=maps.simplified(shapes, 300.0))
    names = _names(shapes, hover)
    series = shapes[column]
    fig = go.Figure()
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if numeric:
        _numeric_traces(fig, shapes, series.astype("Float64"), names, column, precision,
                        unknown_label)
    else:
        _category_traces(fig, shapes, series, names, column, precision, unknown_label)
    layout.base_layout(fig, title or column, 560)
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    (x0, y0), (x1, y1) = maps.to_plot(np.array([[minx, miny], [maxx, maxy]]), 1.0)
    pad = 0.04 * max(x1 - x0, y1 - y0)
    fig.update_layout(xaxis={**axis, "constrain": "domain", "range": [x0 - pad, x1 + pad]},
                      yaxis={**axis, "scaleanchor": "x", "scaleratio": 1,
                             "range": [y0 - pad, y1 + pad]},
                      margin={"l": 5, "r": 5, "t": 50, "b": 5}, hovermode="closest",
                      dragmode="pan", separators=".,",
                      legend={"orientation": "v", "x": 1.0, "xanchor": "left", "y": 1.0,
                              "yanchor": "top"})
    return fig


def _breaks(known: pd.Series) -> np.ndarray:
    """Class limits at quantiles: skewed columns (populations) still use every colour."""
    values = known.astype(float).to_numpy()
    breaks = np.unique(np.quantile(values, np.linspace(0, 1, CLASSES + 1)))
    return breaks if len(breaks) > 1 else np.array([values.min(), values.max()])


def _numeric_traces(fig: go.Figure, shapes: gpd.GeoDataFrame, series: pd.Series,
                    names: list[str], column: str, precision: float, unknown_label: str) -> None:
    known = series.dropna()
    breaks = _breaks(known) if len(known) else np.array([0.0, 1.0])
    count = len(breaks) - 1
    classes: dict[int, list] = {}
    unknown: list = []
    small: list[tuple[float, float, int]] = []
    minx, miny, maxx, maxy = shapes.total_bounds
    extent = max(maxx - minx, maxy - miny, 1.0)
    for geom, value in zip(shapes.geometry, series):
        if pd.isna(value):
            unknown.append(geom)
            index = -1
        else:
            index = min(int(np.searchsorted(breaks[1:-1], float(value), side="right")),
                        count - 1)
            classes.setdefault(index, []).append(geom)
        gx0, gy0, gx1, gy1 = geom.bounds
        if max(gx1 - gx0, gy1 - gy0) < 0.02 * extent:
            small.append((*_point(geom), index))
    colors = [_color((i + 0.5) / count) for i in range(count)]
    colors_or_unknown = {**dict(enumerate(colors)), -1: UNKNOWN_FILL}
    for index in sorted(classes):
        xs, ys = maps.paths(classes[index], precision)
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colors[index],
                        line={"color": "white", "width": 0.6}, hoverinfo="skip",
                        legendgroup=str(index), legendrank=count - index,
                        name=f"{_number(breaks[index])} – {_number(breaks[index + 1])}")
    if small:
        # A shape a few pixels wide at this scale gets a dot of its colour, or it is not seen.
        fig.add_scatter(x=[p[0] for p in small], y=[p[1] for p in small], mode="markers",
                        marker={"size": 12, "color": [colors_or_unknown[p[2]] for p in small],
                                "line": {"color": "#1A1A1A", "width": 1}},
                        hoverinfo="skip", showlegend=False)
    if unknown:
        xs, ys = maps.paths(unknown, precision)
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=UNKNOWN_FILL,
                        fillpattern={"shape": "/", "fgcolor": UNKNOWN_LINE, "bgcolor": "white",
                                     "solidity": 0.4, "size": 6},
                        line={"color": UNKNOWN_LINE, "width": 0.6}, hoverinfo="skip",
                        name=unknown_label)
    # Invisible markers carry each shape's hover text.
    points = [_point(g) for g in shapes.geometry]
    text = [f"<b>{html.escape(n)}</b><br>{html.escape(column)}: "
            + (unknown_label if pd.isna(v) else _number(float(v)))
            for n, v in zip(names, series)]
    fig.add_scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
                    text=text, hoverinfo="text", showlegend=False, name=column,
                    marker={"size": 10, "opacity": 0})
    fig.update_layout(legend={"title": {"text": html.escape(column)}})


def _category_traces(fig: go.Figure, shapes: gpd.GeoDataFrame, series: pd.Series,
                     names: list[str], column: str, precision: float,
                     unknown_label: str) -> None:
    labels = series.astype("string").fillna(unknown_label)
    for index, category in enumerate(sorted(labels.unique())):
        chosen = (labels == category).to_numpy()
        part = shapes.geometry[chosen]
        xs, ys = maps.paths(part, precision)
        color = (UNKNOWN_FILL if category == unknown_label
                 else CATEGORY_COLORS[index % len(CATEGORY_COLORS)])
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=color,
                        line={"color": "white" if category != unknown_label else UNKNOWN_LINE,
                              "width": 0.6},
                        name=html.escape(category), hoveron="fills",
                        text=html.escape(f"{column}: {category}"), hoverinfo="text")
    points = [_point(g) for g in shapes.geometry]
    fig.add_scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
                    marker={"size": 8, "opacity": 0}, showlegend=False, hoverinfo="text",
                    text=[f"<b>{html.escape(n)}</b><br>{html.escape(column)}: "
                          f"{html.escape(c)}" for n, c in zip(names, labels)])

