"""Every column of every table the library returns and exports: dtype, labels, unit, allowed values.

One description serves three purposes: the dtypes the API casts to, the data dictionary of the
export, and the dtype mapping `read_export` applies to read the CSV files back.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from essbench.evidence import registry


@dataclass(frozen=True)
class Column:
    """One column: its pandas dtype, French and English labels, description, unit, allowed values."""

    name: str
    dtype: str
    fr: str
    en: str
    description: str
    unit: str = ""
    allowed: str = ""


def _ids(vocabulary) -> str:
    return ", ".join(vocabulary)


FLAGS = {
    "year_unknown": ("Année inconnue", "Year unknown",
                     "True when no year or period is known: the source states none (year_note "
                     "says what is known, such as a bound), or an input of a ratio has none. A "
                     "ratio holds over the union of its inputs' periods; the population, whose "
                     "vintage the reference package does not state, is left out of that union "
                     "and named in year_note."),
    "about": ("Année approximative", "Year about",
              "True when the source gives the year only roughly ('vers 2016'): year is empty, "
              "period_start and period_end hold the rough year. A ratio is 'about' when any "
              "input is."),
    "approximate": ("Valeur approchée", "Approximate",
                    "True when the value is not exact as worded: its qualifier is a bound ('plus "
                    "de') or 'about' ('environ'). Set from the qualifier only, never from the "
                    "curator's note; a ratio is approximate when any input is."),
    "base_differs_from_yardstick": (
        "Base différente de la référence", "Base differs from yardstick",
        "For a share: True when France or the région give this indicator, but none on this "
        "base, so no yardstick is comparable. Empty when no yardstick exists or the indicator "
        "has no base."),
    "scope_stated": ("Périmètre budgétaire précisé", "Budget scope stated",
                     "For an amount that needs a scope (a budget) or a ratio computed from one: "
                     "True when the source says what it includes or excludes. Empty for other "
                     "indicators."),
    "perimeter_uncertain": ("Périmètre géographique incertain", "Geographic perimeter uncertain",
                            "True when the source words the geography differently from the "
                            "territory's perimeter (see geography_as_worded); inherited by "
                            "ratios."),
}

FACTS = [
    Column("territory", "string", "Territoire", "Territory",
           "Id of the territory profile, or of the reference area (france, a région)."),
    Column("area_type", "string", "Type de zone", "Area type",
           "territory (a profile) or reference_area (a national or regional yardstick).",
           allowed="territory, reference_area"),
    Column("territory_name", "string", "Nom du territoire", "Territory name",
           "Short name of the territory or reference area."),
    Column("indicator", "string", "Indicateur", "Indicator",
           "Registry id of the indicator (see indicators.csv).",
           allowed=_ids(registry.INDICATORS)),
    Column("indicator_label", "string", "Libellé de l'indicateur", "Indicator label",
           "Label of the indicator in the language asked for (lang)."),
    Column("unit", "string", "Unité", "Unit", "Unit of value, from the registry's closed list.",
           allowed=_ids(registry.UNITS)),
    Column("value", "float64", "Valeur", "Value",
           "The value; shares and rates are fractions (0.065 for 6.5 %). Empty when unknown.",
           unit="the row's unit"),
    Column("year", "Int64", "Année", "Year",
           "Year the figure describes; empty when the source states none, gives it only "
           "roughly (see about) or a period spans several years.", unit="year"),
    Column("period_start", "Int64", "Début de période", "Period start",
           "First year of the period the figure describes (the year itself for one year).",
           unit="year"),
    Column("period_end", "Int64", "Fin de période", "Period end",
           "Last year of the period the figure describes (the year itself for one year).",
           unit="year"),
    Column("year_note", "string", "Note sur l'année", "Note on the year",
           "What is known of the year or period when it is not stated."),
    Column("qualifier", "string", "Qualificatif", "Qualifier",
           "How the source words the number. Empty when unknown.",
           allowed=_ids(registry.QUALIFIERS)),
    Column("base", "string", "Base", "Base", "For shares: what the share is of.",
           allowed=_ids(registry.BASES)),
    Column("base_label", "string", "Libellé de la base", "Base label",
           "Label of the base in the language asked for (lang)."),
    Column("base_as_worded", "string", "Base telle que formulée", "Base as worded",
           "The base in the source's words."),
    Column("scope_nature", "string", "Nature du budget", "Budget nature",
           "For amounts with a scope: the nature of the spending.",
           allowed=_ids(registry.BUDGET_NATURES)),
    Column("scope_period", "string", "Période du budget", "Budget period",
           "For amounts with a scope: how long the amount is spent over.",
           allowed=_ids(getattr(registry, "BUDGET_PERIODS", ("annual", "unknown")))),
    Column("scope_line", "string", "Ligne budgétaire", "Budget line",
           "For a budget line: the line or scheme as the source names it."),
    Column("scope_includes", "string", "Comprend", "Includes",
           "What the amount includes, as the source words it ('; '-separated)."),
    Column("scope_excludes", "string", "Exclut", "Excludes",
           "What the amount excludes, as the source words it ('; '-separated)."),
    Column("geography_as_worded", "string", "Géographie telle que formulée",
           "Geography as worded",
           "The geography in the source's words when it differs from the perimeter "
           "(inherited by ratios)."),
    Column("evidence", "string", "Type de preuve", "Evidence",
           "quoted (verbatim quote of an archived document), cited (a page the project does not "
           "store, described by the curator), computed (reference geography and ratios), or "
           "none (unknown value).", allowed="quoted, cited, computed, none"),
    Column("source", "string", "Source", "Source",
           "Source id (see sources.csv), or the reference package for geography."),
    Column("quote", "string", "Citation", "Quote",
           "Verbatim extract of the source that states the figure (quoted evidence)."),
    Column("description", "string", "Description", "Description",
           "The curator's description of what a cited figure measures (cited evidence)."),
    Column("as_written", "string", "Tel qu'écrit", "As written",
           "The number exactly as written in the quote."),
    Column("conversion", "string", "Conversion", "Conversion",
           "How as_written became value.",
           allowed="none, percent, ratio, millions, approximate_word (and others the number "
                   "reader adds)"),
    Column("fact_id", "string", "Identifiant du fait", "Fact id",
           "Id of the fact within its profile or reference area file."),
    Column("note", "string", "Note", "Note",
           "The curator's note (in French) on a fact, or how a computed value is computed (in "
           "the language asked for)."),
    Column("is_headline", "boolean", "Valeur retenue", "Headline",
           "True for the one row shown for this territory and indicator: the single fact, the "
           "primary one, a computed value, or the unknown row. headline_only=True keeps these."),
    Column("is_latest", "boolean", "Dernière valeur de la série", "Latest of its series",
           "True for the latest value of each series (territory, indicator, base, budget nature "
           "and spread), and for computed and unknown rows. Undated rows of one series tie: none "
           "is latest unless one is the headline or they agree. latest_only=True keeps these: "
           "one row per territory, indicator and base, ready to pivot."),
    Column("outlier", "boolean", "Valeur atypique", "Outlier",
           "True for a figure the curator keeps and shows but never retains nor averages "
           "(the note says why)."),
    Column("derived", "boolean", "Calculé", "Derived",
           "True for values computed by the project (reference geography, ratios)."),
    Column("inputs", "string", "Entrées du calcul", "Inputs",
           "For derived values: the facts and reference fields they are computed from "
           "('indicator:fact_id' or 'reference:field', ';'-separated)."),
    Column("reason", "string", "Raison de l'inconnu (code)", "Reason unknown (code)",
           "Why the value is unknown, as a code with its parameters: 'no_source', "
           "'sources_disagree: facts=id1,id2', 'input_unknown: indicators=...'. Empty for known "
           "values.", allowed="no_source, sources_disagree, input_unknown (with parameters)"),
    Column("reason_text", "string", "Raison de l'inconnu", "Reason unknown (words)",
           "The same reason in words, in the language asked for (lang)."),
    *[Column(name, "boolean", fr, en, description) for name, (fr, en, description) in
      FLAGS.items()],
]

TERRITORIES = [
    Column("territory", "string", "Territoire", "Territory", "Id of the territory profile."),
    Column("name", "string", "Nom", "Name", "Short name."),
    Column("official_name", "string", "Nom officiel", "Official name", "Official name."),
    Column("kind", "string", "Nature", "Kind", "Kind of authority.",
           allowed=_ids(registry.TERRITORY_KINDS)),
    Column("kind_label", "string", "Libellé de la nature", "Kind label",
           "Kind of authority, in French."),
    Column("siren", "string", "SIREN", "SIREN", "SIREN of the authority, empty when unknown."),
    Column("insee", "string", "Code INSEE", "INSEE code",
           "INSEE code of the authority, empty when unknown."),
    Column("departement", "string", "Département", "Département", "Code of the département."),
    Column("region_code", "string", "Code région", "Region code", "INSEE code of the région."),
    Column("region_name", "string", "Région", "Region", "Name of the région."),
    Column("population", "Int64", "Population municipale", "Population",
           "Sum of the communes' population municipale (reference package; vintage in attrs / "
           "the dictionary).", unit="persons"),
    Column("area_km2", "float64", "Superficie", "Area",
           "Area of the perimeter in an equal-area projection.", unit="km2"),
    Column("communes_count", "Int64", "Nombre de communes", "Communes", "Communes in the "
           "perimeter.", unit="count"),
]
# Headline values joined to the territory table: the facts table has their caveats.
HEADLINE_INDICATORS = (
    "ess_employees", "ess_employment_share", "ess_establishments", "ess_budget_eur",
    "ess_budget_per_inhabitant_eur", "ess_employees_per_1000_inhabitants", "ess_staff",
    "policy_start_year",
)
for _indicator in HEADLINE_INDICATORS:
    _spec = registry.INDICATORS[_indicator]
    TERRITORIES.append(Column(
        _indicator, "Int64" if _spec.unit == "year" else "float64", _spec.fr, _spec.en,
        f"Headline value of {_indicator} (empty when unknown); caveats in facts.csv.",
        unit=_spec.unit))
    if _spec.bases:
        TERRITORIES.append(Column(f"{_indicator}_base", "string", f"{_spec.fr} : base",
                                  f"{_spec.en}: base", f"Base of the {_indicator} headline.",
                                  allowed=_ids(_spec.bases)))

COMMUNES = [
    Column("territory", "string", "Territoire", "Territory",
           "Id of the territory whose perimeter holds the commune."),
    Column("insee", "string", "Code INSEE", "INSEE code", "INSEE code of the commune."),
    Column("name", "string", "Nom", "Name", "Name of the commune."),
    Column("population", "Int64", "Population municipale", "Population",
           "Population municipale (reference package).", unit="persons"),
    Column("departement_code", "string", "Département", "Département",
           "Code of the commune's département."),
    Column("former_perimeter", "string", "Ancien périmètre", "Former perimeter",
           "Former perimeter(s) of the territory the commune belonged to (';'-separated)."),
]

LEVERS = [
    Column("territory", "string", "Territoire", "Territory", "Id of the territory profile."),
    Column("lever", "string", "Levier", "Lever", "Registry id of the lever.",
           allowed=_ids(registry.LEVERS)),
    Column("lever_label", "string", "Libellé", "Label", "Label in the language asked for."),
    Column("status", "string", "Statut", "Status",
           "mapped, or excluded where the source rules the lever out.",
           allowed="mapped, excluded"),
    Column("implementation", "string", "Mise en œuvre", "Implementation",
           "What the evidence says of a mapped lever: done, planned, ended or unknown; empty "
           "when excluded.", allowed="done, planned, ended, unknown"),
    Column("counted", "boolean", "Compté", "Counted",
           "Counted among the levers implemented, as on the pages: only those shown as done."),
    Column("source", "string", "Source", "Source", "Source id."),
    Column("quote", "string", "Citation", "Quote", "Verbatim extract that backs the mapping."),
    Column("description", "string", "Description", "Description",
           "What a cited page (not archived) says, in the curator's words; empty when quoted."),
    Column("note", "string", "Note", "Note", "The curator's note."),
]

THEMES = [
    Column("territory", "string", "Territoire", "Territory", "Id of the territory profile."),
    Column("theme", "string", "Thème", "Theme", "Registry id of the theme.",
           allowed=_ids(registry.THEMES)),
    Column("theme_label", "string", "Libellé", "Label", "Label in the language asked for."),
    Column("basis", "string", "Fondement", "Basis", "What backs the mapping.",
           allowed=_ids(registry.THEME_BASES)),
    Column("implementation", "string", "Mise en œuvre", "Implementation",
           "What the evidence says of it: done, planned, ended or unknown.",
           allowed="done, planned, ended, unknown"),
    Column("counted", "boolean", "Compté", "Counted",
           "Counted among the themes addressed, as on the pages: only those shown as done."),
    Column("source", "string", "Source", "Source", "Source id."),
    Column("quote", "string", "Citation", "Quote", "Verbatim extract that backs the mapping."),
    Column("description", "string", "Description", "Description",
           "What a cited page (not archived) says, in the curator's words; empty when quoted."),
    Column("note", "string", "Note", "Note", "The curator's note."),
]

PROGRAMMES = [
    Column("territory", "string", "Territoire", "Territory", "Id of the territory profile."),
    Column("programme", "string", "Programme", "Programme",
           "Name of the ESS programme or plan ('unknown' when no source names it)."),
    Column("part", "string", "Élément", "Part", "Which part of the programme the row is.",
           allowed="period, objective, axis, orientation, governance, action, policy_step"),
    Column("text", "string", "Texte", "Text",
           "Title of an action, name and role of a governance body, or the quote itself."),
    Column("stage", "string", "Stade", "Stage",
           "For actions: planned or reported; for policy steps: the kind of step.",
           allowed=_ids({**registry.ACTION_STAGES, **getattr(registry, "POLICY_STEPS", {})})),
    Column("period_start", "Int64", "Début", "Start", "For the period: first year.",
           unit="year"),
    Column("period_end", "Int64", "Fin", "End", "For the period: last year (empty if open).",
           unit="year"),
    Column("source", "string", "Source", "Source", "Source id."),
    Column("quote", "string", "Citation", "Quote", "Verbatim extract."),
    Column("note", "string", "Note", "Note", "The curator's note."),
]

SOURCES = [
    Column("source", "string", "Source", "Source", "Source id."),
    Column("territory", "string", "Territoire", "Territory", "Territory the source is about."),
    Column("title", "string", "Titre", "Title", "Title of the document."),
    Column("publisher", "string", "Éditeur", "Publisher", "Publisher ('unknown' if not known)."),
    Column("document_kind", "string", "Type de document", "Document kind",
           "Kind of document.", allowed="web_page, member_fiche, blog_post, report (and others "
           "the evidence layer adds)"),
    Column("evidence", "string", "Type de preuve", "Evidence",
           "quoted (archived in data/sources/) or cited (not stored).",
           allowed="quoted, cited"),
    Column("date_published", "datetime64[ns]", "Date de publication", "Date published",
           "Publication date; empty when unknown (see date_published_known)."),
    Column("date_published_as_given", "string", "Date de publication telle que connue",
           "Date published as known",
           "The publication date as the source list gives it: a date, a year or a month "
           "('2023', '2023-05'), or 'unknown'."),
    Column("date_published_known", "string", "Ce que l'on sait de la date",
           "What is known of the date", "What is known of the publication date."),
    Column("date_accessed", "datetime64[ns]", "Date de consultation", "Date accessed",
           "Date the document was captured or consulted; empty when unknown."),
    Column("url", "string", "Adresse", "URL", "Address of the document ('unknown' if none)."),
    Column("licence", "string", "Licence", "Licence", "Licence, or 'unknown'."),
    Column("file", "string", "Fichier", "File", "Archived file under data/sources/."),
    Column("sha256", "string", "Empreinte", "SHA-256", "SHA-256 of the archived file."),
    Column("description", "string", "Description", "Description",
           "The curator's description of the document."),
]

INDICATORS = [
    Column("indicator", "string", "Indicateur", "Indicator", "Registry id."),
    Column("label_fr", "string", "Libellé français", "French label", "French label."),
    Column("label_en", "string", "Libellé anglais", "English label", "English label."),
    Column("unit", "string", "Unité", "Unit", "Unit.", allowed=_ids(registry.UNITS)),
    Column("kind", "string", "Origine", "Kind",
           "reference (geography package), fact (from sources) or derived (computed).",
           allowed="reference, fact, derived"),
    Column("bases", "string", "Bases admises", "Allowed bases", "';'-separated base ids.",
           allowed=_ids(registry.BASES)),
    Column("needs_scope", "boolean", "Périmètre exigé", "Needs scope",
           "True when a value must state what it includes and excludes."),
    Column("description", "string", "Description", "Description", "What the indicator measures."),
]

def _facts_column(name: str, prefix: str = "", what: str = "") -> Column:
    """A column of the facts table, reused (its label and description) by another table."""
    column = next(c for c in FACTS if c.name == name)
    if not prefix:
        return column
    return Column(prefix + name, column.dtype, f"{column.fr} ({what})", f"{column.en} ({what})",
                  f"{column.description} Of the {what}.", column.unit, column.allowed)


_PERIOD = ("year", "period_start", "period_end", "about", "year_unknown")
_JUDGEMENT = [
    Column("verdict", "string", "Verdict", "Verdict",
           "The judgement on the two figures set side by side (the one the pages show): "
           "comparable, comparable_with_note (compare with care) or not_comparable.",
           allowed="comparable, comparable_with_note, not_comparable"),
    Column("verdict_text", "string", "Verdict (mots)", "Verdict (words)",
           "The verdict in the language asked for (lang)."),
    Column("reasons", "string", "Raisons (codes)", "Reasons (codes)",
           "Why, as codes (';'-separated): base, scope, nature, spread, spread_unknown, "
           "measure, other_funds, period_gap, period_unknown, perimeter_change, "
           "authority_kind, precision. Empty when comparable."),
    Column("reasons_text", "string", "Raisons", "Reasons",
           "The reasons in words, in the language asked for (lang)."),
]

YARDSTICKS = [
    *(_facts_column(n) for n in ("territory", "area_type", "territory_name", "indicator",
                                 "indicator_label", "unit", "value", "qualifier", "base",
                                 "base_label")),
    *(_facts_column(n) for n in _PERIOD), _facts_column("source"),
    Column("area", "string", "Référence", "Yardstick area",
           "Id of the reference area set beside the territory: its région, or france."),
    Column("area_name", "string", "Nom de la référence", "Yardstick name", "Its name."),
    Column("area_value", "float64", "Valeur de la référence", "Yardstick value",
           "The reference area's value on the same base, matched to the territory's period "
           "(the same year, else the nearest).", unit="the row's unit"),
    _facts_column("qualifier", "area_", "yardstick"),
    *(_facts_column(n, "area_", "yardstick") for n in _PERIOD),
    _facts_column("source", "area_", "yardstick"),
    Column("gap_years", "Int64", "Écart d'années", "Gap in years",
           "Years between the two periods (0 when they overlap); empty when one is unknown.",
           unit="years"),
    *_JUDGEMENT,
]

SERIES = [
    *(_facts_column(n) for n in ("territory", "area_type", "territory_name", "indicator",
                                 "indicator_label", "unit")),
    Column("series", "Int64", "Série", "Series",
           "Number of the series within the territory and indicator (one per base, budget "
           "nature and spread); the first is not necessarily the headline's.", unit="count"),
    Column("position", "Int64", "Rang", "Position", "Place of the point in its series, "
           "oldest first, from 0.", unit="count"),
    *(_facts_column(n) for n in ("value", "qualifier", "base", "base_label", "scope_nature",
                                 "scope_period", "scope_line", "scope_includes",
                                 "scope_excludes", *_PERIOD, "evidence", "source", "fact_id",
                                 "reason")),
    Column("change", "string", "Changement (codes)", "Change (codes)",
           "Where the series changes what it measures from the point before, as codes "
           "(';'-separated): base, measure, other_funds, perimeter_change."),
    Column("change_text", "string", "Changement", "Change",
           "The change in words, in the language asked for (lang)."),
]


TABLES: dict[str, list[Column]] = {
    "facts": FACTS,
    "territories": TERRITORIES,
    "communes": COMMUNES,
    "levers": LEVERS,
    "themes": THEMES,
    "programmes": PROGRAMMES,
    "sources": SOURCES,
    "indicators": INDICATORS,
    "yardsticks": YARDSTICKS,
    "series": SERIES,
}


def names(table: str) -> list[str]:
    """The column names of a table, in order."""
    return [column.name for column in TABLES[table]]


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """`frame` with exactly the table's columns, in order, each cast to its dtype."""
    columns = TABLES[table]
    out = frame.reindex(columns=[c.name for c in columns] + (
        ["geometry"] if "geometry" in frame.columns else []))
    for column in columns:
        series = out[column.name]
        if column.dtype.startswith("datetime"):
            out[column.name] = pd.to_datetime(series, errors="coerce").astype(column.dtype)
        elif column.dtype == "string":
            out[column.name] = series.astype("object").where(series.notna(), None) \
                .astype("string")
        else:
            out[column.name] = series.astype(column.dtype)
    return out
