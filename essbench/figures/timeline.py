"""Programme periods, policy start years and perimeter changes on one time axis."""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import textwrap
from collections.abc import Mapping

import plotly.graph_objects as go

from essbench.evidence.dataset import Dataset
from essbench.figures.layout import (
    INK,
    MIN_WIDTH,
    UNKNOWN_COLOR,
    base_layout,
    data_table,
    keep_width,
    legend_below,
    part_title,
    print_rows,
    Chart,
    chart,
    title_extra_px,
    territory_colors,
    text_px,
    wrap_name,
)
from essbench.text.catalog import t
from essbench.text.citations import evidence_words, source_label, territory_name
from essbench.text.formats import date_text
from essbench.text.markup import esc, wrap
from essbench.values.normalize import Value



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
    kind: str  # programme | plan | policy_start | call_start | perimeter
    start: float
    end: float | None
    label: str
    hover: str
    table: list[str]
    quote: str | None = None  # the verbatim quote its hover shows


# Marker of each kind of event; its legend is the catalog's figure.timeline.kind.<kind>.
TIMELINE_KINDS = {
    "programme": None,
    "plan": None,  # a plan or contract of the policy's history, drawn as its period
    "policy_start": {"symbol": "star", "size": 18},
    "call_start": {"symbol": "triangle-up", "size": 15},
    "perimeter": {"symbol": "diamond", "size": 15},
}
# Three lanes per territory so labels never overlap: starts, programme, perimeter changes.
TIMELINE_OFFSETS = {"programme": 0.0, "plan": 0.0, "policy_start": -0.3, "call_start": -0.3,
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
                 t("quote.cell", lang, quote=period.quote)], period.quote))
        events += _plan_events(dataset, tid, name, lang)
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
                f"{wrap(evidence_words(fact, lang))}"
                f"<br>{wrap(t('figure.hover.source', lang, text=source_label(dataset, fact.source, lang)))}"
                + (f"<br>{wrap(t('figure.hover.note', lang, text=fact.note))}" if fact.note else ""),
                [name, str(year), label, evidence_words(fact, lang)], fact.quote))
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
                                 else event.note or ""], event.quote))
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
                                 t("quote.cell", lang, quote=former.quote)], former.quote))
    return events


def _plan_events(dataset: Dataset, tid: str, name: str, lang: str) -> list[Event]:
    """The plans and contracts of a policy's history, one period each, the programme's aside."""
    profile = dataset.profiles[tid]
    period = profile.programme.period
    shown = {(period.start, period.end)} if period is not None else set()
    events = []
    for step in profile.policy_history:
        start = step.first_year
        if step.kind not in ("plan", "contract") or (start, step.end) in shown:
            continue
        shown.add((start, step.end))
        if step.end is not None and step.end != start:
            years = f"{start}–{step.end}"
        else:
            years = t("period.since", lang, start=start) if step.ongoing else str(start)
        short = _short_programme(step.name)
        label = short if str(start) in short else f"{short} {years}"  # no years twice
        document = step.documents[0]
        words = evidence_words(document, lang)
        source = source_label(dataset, document.source, lang)
        events.append(Event(
            tid, "plan", start, (step.end if step.end is not None else start) + 1, label,
            f"<b>{esc(name)} — {esc(step.name)}</b><br>{esc(years)}<br>{wrap(words)}<br>"
            f"{wrap(t('figure.hover.source', lang, text=source))}",
            [name, years, t("figure.timeline.programme_named", lang, name=step.name), words],
            document.quote))
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
            # Of the axis, with a quarter more than at the screen's width, as the lanes are
            # cleared: a label that fits only at the screen's estimate is cut on a narrower
            # sheet or where the font draws wider than estimated.
            share = min(width * 1.25 / plot_px, 0.9)
            after = event.end if event.kind in ("programme", "plan") else event.start
            if (after - low) / (high - low) <= 1 - share:
                sides.append("right")
            elif (event.start - low) / (high - low) >= share:
                sides.append("left")
            else:
                sides.append("right")
                needed = max(needed, low + (after - low) / (1 - share))
        if needed <= high:
            _clear_lanes(events, widths, plot_px, low, high, sides)
            break
        high = math.ceil(needed)
    return sides, high


def _clear_lanes(events: list[Event], widths: list[float], plot_px: float, low: float,
                 high: float, sides: list[str]) -> None:
    """Move a label before its mark when, after it, it would run into the next one of its lane
    (successive plans of one policy) and there is room before it; else drop a plan's label."""
    lanes: dict[tuple, list[int]] = {}
    for index, event in enumerate(events):
        lanes.setdefault((event.territory, TIMELINE_OFFSETS[event.kind]), []).append(index)
    scale = high - low
    for indexes in lanes.values():
        indexes.sort(key=lambda i: events[i].start)
        occupied = low
        for position, index in enumerate(indexes):
            event = events[index]
            # A quarter more than at the screen's width: a printed sheet is narrower.
            width = min(widths[index] * 1.25 / plot_px, 0.9) * scale
            after = event.end if event.kind in ("programme", "plan") else event.start
            following = (events[indexes[position + 1]].start if position + 1 < len(indexes)
                         else math.inf)
            if sides[index] == "right" and after + width > following:
                # Before the mark if there is room; else the mark goes unlabelled (its legend,
                # hover and the table below say it) rather than written over the next one.
                sides[index] = ("left" if event.start - width >= occupied
                                else "right" if event.kind == "programme" else "none")
            if sides[index] == "left" and event.start - width < occupied:
                # Before the mark runs into the previous one: after it if it fits, else none.
                sides[index] = ("right" if after + width <= min(following, high)
                                or event.kind == "programme" else "none")
            occupied = {"right": after + width, "left": after, "none": after}[sides[index]]


# Territories a part of the calendar holds (100 px each), about half a printed sheet: more
# continue in the next figure, and a part never leaves most of a sheet empty before it.
TIMELINE_ROWS_PER_SHEET = 5
TIMELINE_PRINT_ROW_PX = 72


def timeline_figure(dataset: Dataset, territories: list[str], lang: str = "fr",
                    part: tuple[int, int] | None = None) -> Chart:
    """Programme periods, policy start years and perimeter changes on one time axis.

    Each label stays inside the figure: written on the side of its mark that has room, on two
    lines when long; the years are written flat, and the legend sits under them.
    """
    colors = territory_colors(dataset)
    names = [territory_name(dataset, tid) for tid in territories]
    row = {tid: i for i, tid in enumerate(territories)}
    events = timeline_events(dataset, territories, lang=lang)
    # a long name on at most three lines (whole in the data table): a row is 100 px high
    heads = ["<br>".join(f"<b>{line}</b>" for line in wrap_name(
        textwrap.shorten(n, 40, placeholder="…")).split("<br>")) for n in names]
    plot_px = MIN_WIDTH - 10 - (max((text_px(h) for h in heads), default=0) + 12) - 20
    widths = [text_px(_label_html(e.label), 12) + (8 if e.kind in ("programme", "plan")
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
        if event.kind in ("programme", "plan"):
            # A period is drawn from 1 January of its first year to 31 December of its last.
            common["customdata"] = [event.hover] * 2
            fig.add_scatter(x=[event.start, event.end], y=[y, y], mode="lines",
                            line={"width": 14 if event.kind == "programme" else 8,
                                  "color": colors[event.territory]}, **common)
            if side != "none":
                fig.add_scatter(x=[event.end if side == "right" else event.start], y=[y],
                                mode="text", text=[" " + text if side == "right" else text + " "],
                                textposition=f"middle {side}", showlegend=False,
                                hoverinfo="skip", textfont={"size": 12, "color": INK},
                                cliponaxis=False)
        else:
            fig.add_scatter(x=[event.start], y=[y],
                            mode="markers" if side == "none" else "markers+text",
                            marker={**marker, "color": colors[event.territory],
                                    "line": {"color": INK, "width": 1}},
                            text=[text], textposition=f"middle {'right' if side == 'none' else side}",
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
    base_layout(fig, part_title(t("figure.timeline.title", lang), part), round(height))
    bottom = legend_below(fig, plot_px)
    fig.update_layout(height=round(height + title_extra_px(fig) + bottom), margin={"b": bottom})
    # on paper, drawn at three quarters, a territory's three lanes 22 px apart, not 30 (closer,
    # a label of two lines touches the next lane's): two parts a sheet, not one
    print_rows(fig, len(territories), 100, TIMELINE_PRINT_ROW_PX)
    keep_width(fig)
    used = set()
    for tid in territories:
        profile = dataset.profiles[tid]
        if profile.programme.period:
            used.add(profile.programme.period.source)
        used |= {f.source for f in profile.facts
                 if f.indicator in ("policy_start_year", "call_for_projects_start_year")}
        used |= {e.source for e in profile.history if e.source}
        used |= {e.documents[0].source for e in profile.policy_history
                 if e.kind in ("plan", "contract")}
    missing = [territory_name(dataset, tid) for tid in territories
               if not any(e.territory == tid for e in events)]
    # the parts after the first say what they continue rather than repeat what the marks are
    caption = (t("figure.timeline.caption_continued", lang, total=part[1]) if part and part[0] > 1
               else t("figure.timeline.caption", lang)) + " "
    if missing:
        caption += t("figure.timeline.no_date_for", lang, names=", ".join(missing)) + " "
    if used and part and part[1] > 1:
        caption += t("caption.many", lang) + " "
    elif used:
        caption += t("caption.sources.other", lang, sources=t("list.semicolon", lang).join(
            source_label(dataset, s, lang) for s in sorted(used))) + " "
    caption += t("figure.timeline.without_quote", lang)
    table = data_table([t(f"figure.table.{c}", lang) for c in
                    ("territory", "date", "event", "quote_or_note")],
                   [e.table for e in sorted(events, key=lambda e: (row[e.territory], e.start))])
    return chart(keep_width(fig), caption, [], table, [e.quote for e in events])
