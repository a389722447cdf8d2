"""Maps drawn from our own geometry as cartesian plotly traces: no geo subplot, no CDN download."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import plotly.colors
import plotly.graph_objects as go
import shapely

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.figures.layout import (
    INK,
    OKABE_ITO,
    UNKNOWN_COLOR,
    base_layout,
    Chart,
    chart,
    title_extra_px,
)
from essbench.text.citations import source_label, territory_name, year_text
from essbench.text.comparability import value_notes
from essbench.text.catalog import t
from essbench.text.formats import date_text
from essbench.text.markup import esc, wrap
from essbench.text.units import base_text
from essbench.text.values import formatted, reason_text
from essbench.values.normalize import Value
from essbench.text.formats import number as format_number

LAMBERT_93 = "EPSG:2154"
Y_OFFSET_KM = 6000.0
FRANCE_PRECISION_M = 100.0
PERIMETER_PRECISION_M = 10.0
# Above this many communes, one trace per commune makes the figure heavy: hover on a dot instead.
MAX_COMMUNE_TRACES = 120
MAX_COMMUNE_BORDERS = 2000
# At France scale a perimeter narrower than this is a few pixels wide: a marker shows where it is.
SMALL_EXTENT_M = 40_000.0
LAND = "#EDEDED"
BORDER = "#FFFFFF"
HIGHLIGHT = OKABE_ITO["vermillion"]
# Colour-blind-safe sequential scale (light to dark blue), readable on the grey land.
SEQUENTIAL = [[0.0, "#C6DBEF"], [0.5, "#4292C6"], [1.0, "#08306B"]]


def project(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in Lambert-93, metres, so shapes keep their proportions."""
    return frame.to_crs(LAMBERT_93)


def simplified(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    """Geometries simplified as a coverage, so neighbours keep a common border."""
    geoms = frame.geometry.to_numpy()
    try:
        out = shapely.coverage_simplify(geoms, tolerance_m)
    except shapely.errors.GEOSException:  # not an exact coverage: simplify each shape alone
        out = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    return gpd.GeoSeries(out, index=frame.index, crs=frame.crs)


def _decimals(precision_m: float) -> int:
    return max(0, round(-math.log10(precision_m / 1000)))


def to_plot(xy: np.ndarray, precision_m: float) -> np.ndarray:
    """Lambert-93 metres to plot units: kilometres, northings shifted, rounded to `precision_m`."""
    # Kilometres and a shifted origin write each coordinate in fewer characters of JSON.
    out = np.asarray(xy, dtype=float) / 1000 - np.array([0.0, Y_OFFSET_KM])
    return np.round(out, _decimals(precision_m))


def path(geom, precision_m: float) -> tuple[list, list]:
    """Rings of a (multi)polygon as x/y lists separated by None, rounded to `precision_m`."""
    xs: list = []
    ys: list = []
    if geom is None or geom.is_empty:
        return xs, ys
    for polygon in shapely.get_parts(geom):
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = to_plot(np.asarray(ring.coords)[:, :2], precision_m)
            keep = np.ones(len(coords), dtype=bool)
            keep[1:] = np.any(np.diff(coords, axis=0) != 0, axis=1)
            coords = coords[keep]
            if len(coords) < 4:
                continue  # a ring that rounding collapses: invisible at this scale anyway
            _extend(xs, ys, coords)
    return xs, ys


def _extend(xs: list, ys: list, coords: np.ndarray) -> None:
    """Add one ring or line to a path; None lifts the pen between two."""
    if xs:
        xs.append(None)
        ys.append(None)
    xs += coords[:, 0].tolist()
    ys += coords[:, 1].tolist()


def _trace_xy(xs: list, ys: list) -> dict[str, np.ndarray]:
    """A path as a trace's x and y: as arrays, plotly checks them once instead of coordinate by
    coordinate (8 ms instead of 62 for the outline of France) and writes the same JSON."""
    return {"x": np.asarray(xs, dtype=object), "y": np.asarray(ys, dtype=object)}


def lines(geom, precision_m: float) -> tuple[list, list]:
    """Line strings as x/y lists separated by None."""
    xs: list = []
    ys: list = []
    for line in shapely.get_parts(geom):
        _extend(xs, ys, to_plot(np.asarray(line.coords)[:, :2], precision_m))
    return xs, ys


def paths(geoms, precision_m: float) -> tuple[list, list]:
    """Several geometries in one None-separated path."""
    xs: list = []
    ys: list = []
    for geom in geoms:
        x, y = path(geom, precision_m)
        if x:
            if xs:
                xs.append(None)
                ys.append(None)
            xs += x
            ys += y
    return xs, ys


MAP_LEGEND_MAX = 8  # territories named in the France map's legend


def _map_layout(fig: go.Figure, title: str, height: int, bounds=None) -> go.Figure:
    base_layout(fig, title, height)
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(
        xaxis={**axis, "constrain": "domain"},
        yaxis={**axis, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 5, "r": 5, "t": 50 + title_extra_px(fig), "b": 5},
        hovermode="closest",
        dragmode="pan",
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0.8)"},
    )
    if bounds is not None:
        (minx, miny), (maxx, maxy) = to_plot(np.reshape(bounds, (2, 2)), 1.0)
        pad = 0.04 * max(maxx - minx, maxy - miny)
        fig.update_xaxes(range=[minx - pad, maxx + pad])
        fig.update_yaxes(range=[miny - pad, maxy + pad])
    return fig


# The outline of France drawn under every map, by geometry and tolerance: every page of a
# build draws the same one, so a warm kernel computes it once (40 ms a map).
_LAND: dict[tuple, tuple] = {}


def _land_outline(departements: gpd.GeoDataFrame, tolerance_m: float) -> tuple:
    """The départements' projected bounds and their simplified outline as one path."""
    geometry = b"".join(shapely.to_wkb(departements.geometry.to_numpy()))
    key = (hashlib.sha256(geometry).hexdigest(), str(departements.crs), tolerance_m)
    if key not in _LAND:
        deps = project(departements)
        if len(_LAND) >= 8:
            _LAND.clear()
        _LAND[key] = (tuple(deps.total_bounds),
                      *paths(simplified(deps, tolerance_m), FRANCE_PRECISION_M))
    return _LAND[key]


def _land(fig: go.Figure, departements: gpd.GeoDataFrame, tolerance_m: float,
          lang: str = "fr") -> tuple:
    """Draws the départements in grey; returns their projected bounds."""
    bounds, xs, ys = _land_outline(departements, tolerance_m)
    fig.add_scatter(**_trace_xy(xs, ys), mode="lines", fill="toself", fillcolor=LAND,
                    line={"color": BORDER, "width": 0.8}, hoverinfo="skip", showlegend=False,
                    name=t("map.departements", lang))
    return bounds


def _point(geom) -> tuple[float, float]:
    point = geom.representative_point()
    x, y = to_plot(np.array([[point.x, point.y]]), FRANCE_PRECISION_M)[0]
    return float(x), float(y)


def _extent(geom) -> float:
    minx, miny, maxx, maxy = geom.bounds
    return max(maxx - minx, maxy - miny)


def locator_map(dataset: Dataset, departements: gpd.GeoDataFrame,
                perimeters: gpd.GeoDataFrame, territory: str, lang: str = "fr") -> Chart:
    """Metropolitan France by département, with the territory in colour and a marker if small."""
    perimeter = project(perimeters[perimeters["territory_id"] == territory])
    name = territory_name(dataset, territory)
    fig = go.Figure()
    bounds = _land(fig, departements, 5000.0, lang)
    geom = shapely.union_all(perimeter.geometry.to_numpy())
    xs, ys = path(shapely.simplify(geom, 500.0), FRANCE_PRECISION_M)
    fig.add_scatter(**_trace_xy(xs, ys), mode="lines", fill="toself", fillcolor=HIGHLIGHT,
                    line={"color": INK, "width": 1}, name=esc(name), hoveron="fills",
                    text=esc(name), hoverinfo="text", showlegend=False)
    if _extent(geom) < SMALL_EXTENT_M:
        x, y = _point(geom)
        fig.add_scatter(x=[x], y=[y], mode="markers", showlegend=False,
                        marker={"size": 16, "color": HIGHLIGHT, "symbol": "circle",
                                "line": {"color": INK, "width": 2}},
                        text=[esc(name)], hoverinfo="text")
    _map_layout(fig, t("map.locator.title", lang, name=esc(name)), 420, bounds)
    fig.update_layout(title={"font": {"size": 15}})
    dep_names = ", ".join(sorted(set(departements.loc[departements["code"].isin(
        _departement_codes(dataset, territory)), "name"])))
    caption = (t("map.locator.caption", lang, name=name)
               + (t("map.locator.departement", lang, names=dep_names) if dep_names else "")
               + ". " + t("map.locator.background", lang))
    table = {"columns": [t("figure.table.territory", lang), t("map.table.departement", lang)],
             "rows": [[name, dep_names or "—"]]}
    return chart(fig, caption, [], table)


def _departement_codes(dataset: Dataset, territory: str) -> list[str]:
    return dataset.profiles[territory].codes.all_departements


def perimeter_map(dataset: Dataset, communes: gpd.GeoDataFrame, perimeters: gpd.GeoDataFrame,
                  territory: str, lang: str = "fr") -> Chart:
    """The territory's communes, name and population on hover, former perimeters set apart."""
    profile = dataset.profiles[territory]
    name = territory_name(dataset, territory)
    members = project(communes[communes["territory_id"] == territory]).sort_values("insee")
    outline = project(perimeters[perimeters["territory_id"] == territory])
    extent = _extent(shapely.union_all(outline.geometry.to_numpy()))
    # A département-wide perimeter is drawn at about 200 m a pixel: finer detail only weighs.
    precision, tolerance = ((PERIMETER_PRECISION_M, 0.0) if extent < 60_000
                            else (FRANCE_PRECISION_M, 600.0) if extent < 250_000
                            # A région's thousands of communes: 1 km a pixel is all a page shows.
                            else (500.0, 2500.0))
    if tolerance:
        members = members.assign(geometry=simplified(members, tolerance))
    formers = {f.name: f for f in profile.former_perimeters}
    former_colors = [OKABE_ITO["orange"], OKABE_ITO["reddish_purple"], OKABE_ITO["yellow"]]
    groups: dict[str, tuple[str, str]] = {}
    for i, former in enumerate(profile.former_perimeters):
        groups[former.name] = (
            t("map.perimeter.former", lang, name=former.name,
              date=date_text(former.valid_to, lang)),
            former_colors[i % len(former_colors)])
    since = (t("map.perimeter.since", lang, date=date_text(profile.perimeter.valid_from, lang))
             if profile.perimeter.valid_from != "unknown" else "")
    current = t("map.perimeter.communes", lang, name=name) + (since if formers else "")
    if formers:
        current = t("map.perimeter.other_communes", lang, name=name) + since
    groups[""] = (current, OKABE_ITO["sky_blue"])

    def group_of(flag: str) -> str:
        first = flag.split(";")[0] if flag else ""
        return first if first in groups else ""

    def hover(row) -> str:
        text = (f"<b>{esc(row['name'])}</b><br>"
                f"{esc(t('map.perimeter.inhabitants', lang, count=format_number(row['population'], lang=lang)))}")
        if row["former_perimeter"]:
            text += "<br>" + esc(t("map.perimeter.former_short", lang, name=row["former_perimeter"]))
        return text

    fig = go.Figure()
    order = [g for g in groups if g] + [""]
    if len(members) <= MAX_COMMUNE_TRACES:
        shown: set[str] = set()
        for group in order:
            legend, color = groups[group]
            for _, row in members[members["former_perimeter"].map(group_of) == group].iterrows():
                xs, ys = path(row.geometry, precision)
                fig.add_scatter(**_trace_xy(xs, ys), mode="lines", fill="toself", fillcolor=color,
                                line={"color": "white", "width": 1}, name=esc(legend),
                                legendgroup=group or "current", showlegend=group not in shown,
                                hoveron="fills", text=hover(row), hoverinfo="text")
                shown.add(group)
    else:
        for group in order:
            legend, color = groups[group]
            part = members[members["former_perimeter"].map(group_of) == group]
            if part.empty:
                continue
            # One filled shape per group, and each shared border drawn once, halve the JSON.
            union = shapely.union_all(part.geometry.to_numpy())
            xs, ys = path(union, precision)
            fig.add_scatter(**_trace_xy(xs, ys), mode="lines", fill="toself", fillcolor=color,
                            line={"color": color, "width": 0}, name=esc(legend),
                            hoverinfo="skip")
        # Past 2,000 communes (a région) their borders are a grey mesh weighing 600 kB: the
        # dots below still give each commune's name and population.
        if len(members) <= MAX_COMMUNE_BORDERS:
            borders = shapely.line_merge(shapely.union_all(shapely.boundary(
                members.geometry.to_numpy())))
            xs, ys = lines(borders, precision)
            fig.add_scatter(**_trace_xy(xs, ys), mode="lines",
                            line={"color": "white", "width": 0.6}, hoverinfo="skip",
                            showlegend=False, name=t("map.perimeter.borders", lang))
        points = [_point(g) for g in members.geometry]
        fig.add_scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
                        marker={"size": 4, "color": INK, "opacity": 0.35},
                        name=t("map.perimeter.commune_dot", lang),
                        text=[hover(r) for r in members[["name", "population",
                                                          "former_perimeter"]].to_dict("records")],
                        hoverinfo="text")
    xs, ys = paths(outline.geometry, precision)
    fig.add_scatter(**_trace_xy(xs, ys), mode="lines", line={"color": INK, "width": 2},
                    name=esc(t("map.perimeter.outline", lang, name=name)), hoverinfo="skip")
    _map_layout(fig, t("map.perimeter.title", lang, name=esc(name),
                       count=format_number(len(members), lang=lang)), 560, outline.total_bounds)
    fig.update_layout(legend={"orientation": "v", "y": -0.01})
    caption = (t("map.perimeter.caption", lang, name=name,
                 count=format_number(len(members), lang=lang))
               + (t("map.perimeter.rule_since", lang,
                    date=date_text(profile.perimeter.valid_from, lang))
                  if profile.perimeter.valid_from != "unknown" else "")
               + ". " + t("map.perimeter.hover_note", lang) + " ")
    for former in profile.former_perimeters:
        caption += t("map.perimeter.former_caption", lang, count=len(former.communes),
                     name=former.name, date=date_text(former.valid_to, lang), quote=former.quote,
                     source=source_label(dataset, former.source, lang)) + " "
    top = members.sort_values(["population", "name"], ascending=[False, True])
    limit = 30
    rows = [[r["name"], r["insee"], format_number(r["population"], lang=lang),
             r["former_perimeter"] or "—"]
            for _, r in top.head(limit).iterrows()]
    if len(top) > limit:
        rest = top.iloc[limit:]
        rows.append([t("map.perimeter.more_communes", lang,
                       count=format_number(len(rest), lang=lang)), "",
                     format_number(rest["population"].sum(), lang=lang), ""])
    table = {"columns": [t(f"map.table.{c}", lang) for c in
                         ("commune", "insee", "population", "former")], "rows": rows}
    return chart(fig, caption.strip(), [], table)


def _color_at(value: float, low: float, high: float) -> str:
    position = 0.5 if high == low else (value - low) / (high - low)
    return plotly.colors.sample_colorscale(SEQUENTIAL, [min(max(position, 0.0), 1.0)],
                                           colortype="rgb")[0]


def france_map(dataset: Dataset, departements: gpd.GeoDataFrame, perimeters: gpd.GeoDataFrame,
               values: Mapping[str, Mapping[str, Value]], indicator: str,
               territories: list[str] | None = None, lang: str = "fr") -> Chart:
    """The territories on a map of France, coloured by one indicator; unknown is hatched grey."""
    territories = list(territories or values)
    outlines = project(perimeters[perimeters["territory_id"].isin(territories)])
    label = registry.indicator_label(indicator, lang)
    unit = registry.INDICATORS[indicator].unit
    known = [values[tid][indicator] for tid in territories if values[tid][indicator].known]
    low = min((v.value for v in known), default=0.0)
    high = max((v.value for v in known), default=1.0)
    fig = go.Figure()
    bounds = _land(fig, departements, 3000.0, lang)
    unknown_legend = False
    for tid in territories:
        rows = outlines[outlines["territory_id"] == tid]
        if rows.empty:
            continue
        geom = shapely.union_all(rows.geometry.to_numpy())
        value = values[tid][indicator]
        name = territory_name(dataset, tid)
        text = (f"<b>{esc(name)}</b><br>"
                f"{esc(t('comparability.pair', lang, name=label, text=formatted(value, lang)))}")
        if value.known:
            if value.base:
                text += f"<br>{wrap(t('figure.hover.base', lang, text=base_text(value, lang)))}"
            text += f"<br>{wrap(t('figure.hover.year', lang, text=year_text(dataset, value, lang)))}"
            color = _color_at(value.value, low, high)
            legend = t("comparability.pair", lang, name=name, text=formatted(value, lang))
            fill = {"fillcolor": color}
            if value.qualifier != "exact":
                # Same hatching as the bar charts: a bound or an approximation, not a value.
                fill["fillpattern"] = {"shape": "/", "fgcolor": "white", "bgcolor": color,
                                       "solidity": 0.3, "size": 6}
        else:
            text += "<br>" + wrap(t("figure.hover.reason", lang,
                                    text=reason_text(value, dataset.sources, lang)))
            legend = t("comparability.pair", lang, name=name, text=t("value.unknown", lang))
            color = UNKNOWN_COLOR
            fill = {"fillcolor": "white",
                    "fillpattern": {"shape": "/", "fgcolor": UNKNOWN_COLOR, "bgcolor": "white",
                                    "solidity": 0.4, "size": 6}}
            unknown_legend = True
        xs, ys = path(shapely.simplify(geom, 300.0), FRANCE_PRECISION_M)
        fig.add_scatter(**_trace_xy(xs, ys), mode="lines", fill="toself", **fill,
                        line={"color": INK, "width": 1.2}, name=esc(legend),
                        legendgroup=tid, hoveron="fills", text=text, hoverinfo="text")
        if _extent(geom) < SMALL_EXTENT_M:
            x, y = _point(geom)
            fig.add_scatter(x=[x], y=[y], mode="markers", legendgroup=tid, showlegend=False,
                            marker={"size": 15, "color": color,
                                    "symbol": "circle" if value.known else "circle-x",
                                    "line": {"color": INK, "width": 2}},
                            text=[text], hoverinfo="text")
    if known:
        scale_values = [low, high]
        fig.add_scatter(
            x=[None, None], y=[None, None], mode="markers", showlegend=False, hoverinfo="skip",
            marker={"colorscale": SEQUENTIAL, "cmin": _display(low, unit),
                    "cmax": _display(high, unit),
                    "color": [_display(v, unit) for v in scale_values],
                    "showscale": True,
                    "colorbar": {"title": {"text": wrap(label, 18)}, "thickness": 14, "len": 0.5,
                                 "x": 1.0, "y": 0.75, "ticksuffix": "\u00a0%" if unit in
                                 ("share", "rate") else "", "tickformat": ",~r"}})
    _map_layout(fig, t("map.france.title", lang, label=esc(label)), 600, bounds)
    if len(territories) > MAP_LEGEND_MAX:
        # past a few territories their names and values are in the key figures table and the
        # data table: a legend of twenty names would be taller than the map
        fig.update_layout(showlegend=False, margin={"b": 10})
    else:
        entries = [tr for tr in fig.data if tr.showlegend is not False and tr.name]
        lines = sum(str(tr.name).count("<br>") + 1 for tr in entries)
        fig.update_layout(legend={"orientation": "v", "x": 0.0, "y": 0.0, "yanchor": "top"},
                          margin={"b": 20 + 21 * lines}, height=600 + title_extra_px(fig)
                          + max(0, 21 * lines - 90))
    notes = value_notes(dataset, [values[tid][indicator] for tid in territories], lang)
    caption = t("map.france.caption", lang, label=label) + " "
    if unknown_legend:
        caption += t("map.france.unknown_hatching", lang) + " "
    if any(v.qualifier != "exact" for v in known):
        caption += t("map.france.bound_hatching", lang) + " "
    caption += t("map.france.see_notes", lang) + " "
    sources = []
    for v in known:
        if v.source and v.source not in sources:
            sources.append(v.source)
    if sources and len(territories) > MAP_LEGEND_MAX:
        caption += t("caption.many", lang) + " "
    elif sources:
        caption += t("caption.sources.other", lang, sources=t("list.semicolon", lang).join(
            source_label(dataset, s, lang) for s in sources)) + " "
    caption += t("map.france.background", lang)
    table = {"columns": [t("figure.table.territory", lang), label, t("map.table.base", lang),
                         t("figure.table.year", lang)],
             "rows": [[territory_name(dataset, tid), formatted(values[tid][indicator], lang)
                       if values[tid][indicator].known else
                       t("figure.unknown_because", lang, reason=reason_text(
                           values[tid][indicator], dataset.sources, lang)),
                       base_text(values[tid][indicator], lang) or "—",
                       year_text(dataset, values[tid][indicator], lang)
                       if values[tid][indicator].known else "—"] for tid in territories]}
    return chart(fig, caption.strip(), notes, table)


def _display(value: float, unit: str) -> float:
    return value * 100 if unit in ("share", "rate") else value



