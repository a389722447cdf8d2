"""The HTML sections of the pages: views of the data, written by the section templates."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from markupsafe import Markup

from essbench.evidence import registry
from essbench.report.context import Context, reference_source
from essbench.report.essentials import source_list_html, source_ref
from essbench.report.html import render
from essbench.text.catalog import plural, t
from essbench.text.citations import year_text
from essbench.text.formats import date_text
from essbench.text.units import base_text, short_base
from essbench.text.values import (
    fact_text,
    formatted,
    reason_text,
    scope_items,
    scope_text,
    value_note,
)
from essbench.values.judgement import when_of
from essbench.values.normalize import DERIVATIONS, REFERENCE_INDICATORS, Value
from essbench.values.yardsticks import share_of_jobs_values

ECONOMY_INDICATORS = (
    "ess_employees", "ess_employment_share", "ess_private_employment_share",
    "ess_establishments", "ess_enterprises", "ess_establishment_share", "ess_gross_wages_eur",
    "ess_employment_growth", "non_ess_private_employment_growth", "ess_residential_jobs_share",
)
POLICY_INDICATORS = (
    "ess_budget_eur", "ess_staff", "policy_start_year", "call_for_projects_eur",
    "call_for_projects_winners", "call_for_projects_start_year", "supported_projects_per_year",
    "ess_network_members", "business_meeting_ess_organisations", "business_meeting_companies",
    "ess_premises_area_m2", "ess_premises_jobs",
)
NOT_A_BUDGET = ("solidarity_spending_eur", "solidarity_jobs", "ess_gross_wages_eur")
RATIO_INDICATORS = tuple(DERIVATIONS)
KEY_INDICATORS = (
    "population", "ess_employees", "ess_employment_share", "ess_establishments",
    "ess_budget_eur", "ess_budget_per_inhabitant_eur", "ess_staff", "policy_start_year",
)


def _columns(keys: Iterable[str], lang: str) -> list[str]:
    return [t(f"columns.{key}", lang) for key in keys]


def _label(indicator: str, lang: str) -> str:
    return registry.indicator_label(indicator, lang)


def _value(value: Value) -> dict:
    return {"kind": "value", "value": value}


def _cited(source: str, quote: str | None = None, note: str | None = None,
           always: bool = False, description: str | None = None) -> dict:
    # A cited page's description stands where an archived quote would, never in guillemets.
    return {"kind": "cited", "source": source, "quote": quote, "note": note, "always": always,
            "description": description}


def _quoted(quote: str | None, source: str | None = None, note: str | None = None,
            description: str | None = None) -> dict:
    return {"kind": "quoted", "quote": quote, "source": source, "note": note,
            "description": description}


def _fr(text: str) -> dict:
    """The curators' own words, marked French on a page in another language."""
    return {"kind": "fr", "text": text}


def _quote(ctx: Context, item) -> dict:
    return {"quote": item.quote, "source": source_ref(ctx, item.source),
            "note": item.note}


def _value_row(ctx: Context, value: Value, with_quote: bool = True) -> list[object]:
    """A value as a table row: label, value, base or scope, year, source and quote."""
    lang = ctx.lang
    detail = base_text(value, lang) or scope_text(value.scope, lang)
    if not value.known:
        return [_label(value.indicator, lang), _value(value), "—", "—",
                t("values.unknown_because", lang,
                  reason=reason_text(value, ctx.dataset.sources, lang))]
    if value.derived and value.indicator in REFERENCE_INDICATORS:
        source = _cited(reference_source(ctx))
    elif value.derived:
        source = _cited(t("values.calculation", lang, text=value_note(value, lang)))
    else:
        source = _cited(source_ref(ctx, value.source),
                        value.quote if with_quote else None, value.note,
                        description=value.description if with_quote else None)
    return [_label(value.indicator, lang), _value(value), detail or "—",
            year_text(ctx.dataset, value, lang), source]


def _value_rows(ctx: Context, values: Sequence[Value]) -> dict:
    """A table's rows; on paper its unknown rows give way to one line per reason under it
    (the same indicators and reasons, a line instead of a row each)."""
    lang = ctx.lang
    by_reason: dict[str, list[str]] = {}
    for value in values:
        if not value.known:
            reason = reason_text(value, ctx.dataset.sources, lang) or "—"
            by_reason.setdefault(reason, []).append(_label(value.indicator, lang))
    return {"rows": [{"cells": _value_row(ctx, value),
                      "cls": None if value.known else "ess-print-hide"} for value in values],
            "unknown_lines": [t("unknowns_print.rows", lang, reason=reason,
                                labels=t("list.semicolon", lang).join(labels))
                              for reason, labels in by_reason.items()]}


VALUE_COLUMNS = ("indicator", "value", "base_or_scope", "year", "source_quote_note")


def title_html(ctx: Context, territory: str) -> str:
    """The page title with the territory's official name and kind."""
    profile = ctx.dataset.profiles[territory]
    official = profile.names.official
    kind = registry.TERRITORY_KINDS[profile.kind][ctx.lang]
    # "Département du Pas-de-Calais", not "… (département)": the kind only when the name lacks it
    who = official if kind.casefold() in official.casefold() else t(
        "profile.who_kind", ctx.lang, official=official, kind=kind)
    return render("profile.html.j2", "title", ctx.lang, v={"short": profile.names.short,
                                                           "who": who})


def _perimeter_rule(ctx: Context, territory: str) -> str:
    profile = ctx.dataset.profiles[territory]
    perimeter = profile.perimeter
    row = ctx.reference.set_index("territory_id").loc[territory]
    if perimeter.rule == "epci":
        text = t("identity.rule.epci", ctx.lang, code=perimeter.code)
    elif perimeter.rule == "departement":
        text = t("identity.rule.departement", ctx.lang, code=perimeter.code,
                 region=row["region_name"])
    elif perimeter.rule == "departements":
        text = t("identity.rule.departements", ctx.lang, codes=", ".join(perimeter.codes))
    else:
        text = t("identity.rule.communes", ctx.lang, count=len(perimeter.communes))
    if perimeter.valid_from != "unknown":
        text += t("identity.rule.since", ctx.lang, date=date_text(perimeter.valid_from, ctx.lang))
    return text[0].upper() + text[1:] + "."


def identity_html(ctx: Context, territory: str) -> str:
    """The identity card: kind, perimeter rule, population, area, communes, codes, history."""
    lang = ctx.lang
    profile = ctx.dataset.profiles[territory]
    values = ctx.values[territory]
    row = ctx.reference.set_index("territory_id").loc[territory]
    population_year = ctx.manifest.get("population", {}).get("year", "unknown")
    pairs = [
        (t("identity.official_name", lang), profile.names.official),
        (t("identity.kind", lang), registry.TERRITORY_KINDS[profile.kind][lang]),
        (t("identity.perimeter", lang), _perimeter_rule(ctx, territory)),
        (t("identity.population", lang), formatted(values["population"], lang)
         + (t("identity.population_year_unknown", lang) if population_year == "unknown"
            else f" ({population_year})")),
        (t("identity.area", lang), formatted(values["area_km2"], lang)),
        (t("identity.communes", lang), formatted(values["communes_count"], lang)),
        (t("identity.departement_region", lang),
         f"{', '.join(profile.codes.all_departements)} — {row['region_name']}"),
        ("SIREN", t("value.unknown", lang) if profile.codes.siren == "unknown"
         else profile.codes.siren),
    ]
    for key, code in profile.codes.other.items():
        pairs.append((key.upper(), code))
    if profile.codes.note:
        pairs.append((t("identity.codes_note", lang), _fr(profile.codes.note)))
    if profile.perimeter.note:
        pairs.append((t("identity.perimeter_note", lang), _fr(profile.perimeter.note)))
    formers = [{"date": date_text(f.valid_to, lang), "name": f.name, "count": len(f.communes),
                **_quote(ctx, f)} for f in profile.former_perimeters]
    events = [{"date": date_text(ev.date, lang), "event": ev.event, "quote": ev.quote,
               "source": source_ref(ctx, ev.source) if ev.quote else None,
               "note": ev.note} for ev in profile.history]
    return render("profile.html.j2", "identity", lang, v={
        "pairs": pairs, "formers": formers, "events": events,
        "reference": reference_source(ctx)})


def _alternatives(ctx: Context, values: Iterable[Value]) -> list[dict]:
    """Other figures the sources give for the same indicator, and why one is shown."""
    found = []
    for value in values:
        if not value.alternatives:
            continue
        facts = [{"value": fact_text(f, ctx.lang),
                  "base": registry.BASES[f.base][ctx.lang] if f.base else None,
                  "quote": f.quote, "description": f.description, "note": f.note}
                 for f in value.alternatives]
        found.append({"label": _label(value.indicator, ctx.lang), "known": value.known,
                      "facts": facts})
    return found


def economy_html(ctx: Context, territory: str) -> str:
    """Key figures of the territory's ESS economy, each with base, year, source and quote."""
    values = ctx.values[territory]
    wages = values["ess_gross_wages_eur"]
    share, private = values["ess_employment_share"], values["ess_private_employment_share"]
    return render("profile.html.j2", "economy", ctx.lang, v={
        "columns": _columns(VALUE_COLUMNS, ctx.lang),
        **_value_rows(ctx, [values[i] for i in ECONOMY_INDICATORS]),
        "wages": formatted(wages, ctx.lang) if wages.known else None,
        "private": (formatted(private, ctx.lang) if private.known and not share.known
                    else None),
        "alternatives": _alternatives(ctx, [values[i] for i in ECONOMY_INDICATORS])})


def yardsticks_html(ctx: Context, territory: str) -> str:
    """The France and région figures set against the territory's shares, same base only."""
    lang = ctx.lang
    rows = []
    for value, others in share_of_jobs_values(ctx.dataset, ctx.values[territory]):
        if not value.known:
            continue
        for other in others:
            rows.append([ctx.name(other.territory), _label(other.indicator, lang),
                         _value(other), base_text(other, lang),
                         year_text(ctx.dataset, other, lang),
                         _cited(source_ref(ctx, other.source),
                                other.quote or "", always=True,
                                description=other.description)])
    return render("profile.html.j2", "yardsticks", lang, v={
        "rows": rows,
        "columns": _columns(("reference", "indicator", "value", "base", "year", "source"), lang)})


def budget_html(ctx: Context, territory: str) -> str:
    """The ESS budget with its scope written out, and the amounts that are not an ESS budget."""
    lang = ctx.lang
    values = ctx.values[territory]
    budget = values["ess_budget_eur"]
    view: dict = {"known": budget.known, "alternatives": _alternatives(ctx, [budget])}
    if budget.known:
        scope = budget.scope
        pairs = [(t("budget.label", lang), formatted(budget, lang)),
                 (t("columns.year", lang), year_text(ctx.dataset, budget, lang))]
        if scope is not None:
            not_stated = t("scope.not_stated", lang)
            pairs.append((t("budget.includes", lang),
                          scope_items(scope.includes, lang) or not_stated))
            pairs.append((t("budget.excludes", lang),
                          scope_items(scope.excludes, lang) or not_stated))
            pairs.append((t("budget.nature", lang), registry.BUDGET_NATURES[scope.nature][lang]))
            pairs.append((t("budget.period", lang), t("scope.annual", lang)
                          if scope.period == "annual" else t("budget.period_unknown", lang)))
        view.update(pairs=pairs, quote=budget.quote or "",
                    source=source_ref(ctx, budget.source), note=budget.note)
    else:
        view["reason"] = reason_text(budget, ctx.dataset.sources, lang)
    view["others"] = [{"label": _label(v.indicator, lang), "value": formatted(v, lang),
                       "quote": v.quote or "", "note": v.note,
                       "source": source_ref(ctx, v.source)}
                      for v in (values[i] for i in NOT_A_BUDGET) if v.known]
    return render("profile.html.j2", "budget", lang, v=view)


def policy_figures_html(ctx: Context, territory: str) -> str:
    """Staff, call for projects and other policy figures, unknown ones included."""
    values = ctx.values[territory]
    return render("profile.html.j2", "values_table", ctx.lang, v={
        "columns": _columns(VALUE_COLUMNS, ctx.lang),
        **_value_rows(ctx, [values[i] for i in POLICY_INDICATORS if i != "ess_budget_eur"])})


def programme_html(ctx: Context, territory: str) -> str:
    """The programme as worded: name, period, objectives, axes, orientations, governance."""
    lang = ctx.lang
    programme = ctx.dataset.profiles[territory].programme
    name = (t("programme.unknown", lang) if programme.name == "unknown" else programme.name)
    pairs = [(t("programme.programme", lang), name)]
    period = programme.period
    if period is not None:
        pairs.append((t("programme.period", lang), f"{period.start}–{period.end}" if period.end
                      else t("period.since", lang, start=period.start)))
    else:
        pairs.append((t("programme.period", lang), t("value.unknown_feminine", lang)))
    groups = [{"heading": t(f"programme.{field}", lang),
               "items": [_quote(ctx, i) for i in getattr(programme, field)]}
              for field in ("objectives", "axes", "orientations") if getattr(programme, field)]
    governance = [{"name": b.name, "role": b.role, **_quote(ctx, b)}
                  for b in programme.governance]
    return render("profile.html.j2", "programme", lang, v={
        "pairs": pairs, "period": _quote(ctx, period) if period is not None else None,
        "groups": groups, "governance": governance})


def actions_html(ctx: Context, territory: str) -> str:
    """Actions as the sources word them, planned or reported, each with its quote."""
    lang = ctx.lang
    actions = ctx.dataset.profiles[territory].programme.actions
    rows = [[_fr(a.title), registry.ACTION_STAGES[a.stage][lang],
             _quoted(a.quote, source_ref(ctx, a.source), a.note)]
            for a in actions]
    return render("profile.html.j2", "actions", lang, v={
        "rows": rows, "columns": _columns(("action", "status", "quote_and_source"), lang)})


def levers_themes_html(ctx: Context, territory: str) -> str:
    """Levers used and ruled out, themes with what backs them, each with its quote."""
    lang = ctx.lang
    profile = ctx.dataset.profiles[territory]
    from essbench.values.judgement import status_of

    rows = [[registry.label(registry.LEVERS, m.lever, lang),
             t("levers.used", lang) if status_of(m) == "done"
             else t(f"judgement.status.{status_of(m)}", lang),
             _quoted(m.quote, source_ref(ctx, m.source), m.note, m.description)]
            for m in profile.levers]
    rows += [[registry.label(registry.LEVERS, m.lever, lang), t("levers.ruled_out", lang),
              _quoted(m.quote, None, m.note)] for m in profile.levers_excluded]
    used = {m.lever for m in profile.levers} | {m.lever for m in profile.levers_excluded}
    silent = [registry.label(registry.LEVERS, k, lang) for k in registry.LEVERS if k not in used]
    theme_rows = [[registry.label(registry.THEMES, m.theme, lang),
                   f"{registry.THEME_BASES[m.basis][lang]} "
                   f"({t(f'judgement.status.{status_of(m)}', lang)})",
                   _quoted(m.quote, source_ref(ctx, m.source), None, m.description)]
                  for m in profile.themes]
    return render("profile.html.j2", "levers_themes", lang, v={
        "lever_columns": _columns(("lever", "status", "quote"), lang), "lever_rows": rows,
        "silent": ", ".join(silent),
        "theme_columns": _columns(("theme", "basis", "quote"), lang), "theme_rows": theme_rows,
        "no_priority": bool(profile.themes) and all(m.basis != "stated_priority"
                                                    for m in profile.themes)})


def ratios_html(ctx: Context, territory: str) -> str:
    """Derived ratios, each with its calculation and what limits its comparison."""
    lang = ctx.lang
    values = ctx.values[territory]
    rows = []
    for indicator in RATIO_INDICATORS:
        value = values[indicator]
        numerator, denominator, _ = DERIVATIONS[indicator]
        notes = []
        for part in (numerator, denominator) if value.known else ():
            v = values[part]
            label = _label(part, lang)
            if v.known and v.geography_as_worded:
                notes.append(t("ratios.geography", lang, label=label,
                               words=v.geography_as_worded))
            if v.known and v.scope is not None:
                notes.append(t("ratios.scope", lang, label=label, scope=scope_text(v.scope, lang)))
            if v.known and v.qualifier != "exact":
                notes.append(t("ratios.not_exact", lang, label=label, value=formatted(v, lang)))
            if v.known and v.year == "unknown" and part not in REFERENCE_INDICATORS \
                    and not when_of(v, ctx.dataset).known:
                notes.append(t("ratios.year_unknown", lang, label=label))
        if value.known and value.derivation is not None and value.derivation.code == "ratio":
            from essbench.text.values import when_label

            # A ratio holds for the periods of its inputs, each said.
            parts = [value.derivation["numerator"], value.derivation["denominator"]]
            notes.append(t("judgement.ratio_periods", lang, items=t("list.semicolon", lang).join(
                t("comparability.pair", lang, name=_label(v.indicator, lang),
                  text=when_label(v, ctx.dataset, lang)) for v in parts)))
        if value.known:
            population_year = ctx.manifest.get("population", {}).get("year", "unknown")
            if denominator == "population" and population_year == "unknown":
                notes.append(t("ratios.population_year", lang))
        calc = (value_note(value, lang) if value.known
                else reason_text(value, ctx.dataset.sources, lang))
        rows.append([_label(indicator, lang), _value(value), calc or "—",
                     {"kind": "list", "items": notes} if notes else "—"])
    return render("profile.html.j2", "values_table", lang, v={
        "columns": _columns(("ratio", "value", "calculation", "limits"), lang), "rows": rows})


def unknowns_html(ctx: Context, territory: str) -> str:
    """The registry indicators the sources leave unknown for this territory, with the reason."""
    lang = ctx.lang
    values = ctx.values[territory]
    rows = [[_label(i, lang), registry.UNITS[registry.INDICATORS[i].unit][lang],
             reason_text(v, ctx.dataset.sources, lang) or "—"]
            for i, v in values.items() if not v.known]
    # On paper the same rows, grouped by reason then unit: one line per reason, not a sheet.
    groups: dict[str, dict[str, list[str]]] = {}
    for label, unit, reason in rows:
        groups.setdefault(reason, {}).setdefault(unit, []).append(label)
    grouped = [{"reason": plural("unknowns_print.reason", sum(map(len, units.values())), lang,
                                 reason=reason),
                "units": [{"unit": unit, "labels": labels} for unit, labels in units.items()]}
               for reason, units in groups.items()]
    return render("profile.html.j2", "unknowns", lang, v={
        "rows": rows, "count": len(rows), "total": len(values), "grouped": grouped,
        "columns": _columns(("indicator", "unit", "why_unknown"), lang)})


def caveats_html(ctx: Context, territory: str) -> str:
    """Contradictions between figures and the caveats a reader must know."""
    lang = ctx.lang
    profile = ctx.dataset.profiles[territory]
    contradictions = []
    for contradiction in profile.contradictions:
        facts = [f for f in profile.facts if f.id in contradiction.facts]
        contradictions.append({
            "label": _label(contradiction.indicator, lang), "note": contradiction.note,
            "facts": [{"value": fact_text(f, lang, qualified=False), "quote": f.quote,
                       "description": f.description,
                       "source": source_ref(ctx, f.source)} for f in facts]})
    caveats = [{"text": c.text, "cited": "; ".join(source_ref(ctx, s)
                                                   for s in c.sources)}
               for c in profile.caveats]
    return render("profile.html.j2", "caveats", lang, v={
        "contradictions": contradictions, "caveats": caveats})


def sources_html(ctx: Context, territory: str) -> str:
    """The page's numbered sources, then, in an annex, each figure with its verbatim quote."""
    lang = ctx.lang
    profile = ctx.dataset.profiles[territory]
    printed = printed_with_evidence(ctx, territory)
    fact_rows = [{"cells": [_label(f.indicator, lang),
                            fact_text(f, lang),
                            t("quote.cell", lang, quote=f.as_written),
                            _quoted(f.quote, description=f.description),
                            source_ref(ctx, f.source)],
                  "cls": "ess-print-hide" if f.id in printed else None}
                 for f in profile.facts]
    skipped = sum(1 for f in profile.facts if f.id in printed)
    return render("profile.html.j2", "sources", lang, v={
        "list": Markup(source_list_html(ctx)),  # our own rendered template
        "fact_columns": _columns(("indicator", "value", "as_written", "quote", "source"), lang),
        "fact_rows": fact_rows, "reference": reference_source(ctx),
        "printed_note": plural("facts_print.elsewhere", skipped, lang) if skipped else None})


def printed_with_evidence(ctx: Context, territory: str) -> set[str]:
    """The facts whose value, source and quote (or cited description) the page's own tables
    already print: the economy and policy tables, the budget and the amounts that are not a
    budget. On paper the annex of every figure leaves them out and says so."""
    values = ctx.values[territory]
    shown = [values[i] for i in (*ECONOMY_INDICATORS, *POLICY_INDICATORS, *NOT_A_BUDGET)]
    return {v.fact_id for v in shown
            if v.known and not v.derived and v.fact_id and v.source
            and (v.quote or v.description)}


def _published(source, lang: str) -> str:
    if isinstance(source.date_published, datetime.date):
        return date_text(source.date_published, lang)
    return t("value.unknown_feminine", lang)


def _publisher(source, lang: str) -> str:
    return t("value.unknown", lang) if source.publisher == "unknown" else source.publisher


def legal_forms_unknown_html(ctx: Context) -> str:
    """A sentence where no source gives the establishments by legal form."""
    return render("profile.html.j2", "legal_forms_unknown", ctx.lang)


# ---------------------------------------------------------------- comparison sections


def compare_header_html(ctx: Context, territories: Sequence[str]) -> str:
    """The page title of a comparison."""
    return render("compare.html.j2", "header", ctx.lang,
                  v={"names": ", ".join(ctx.name(tid) for tid in territories),
                     "count": len(territories)})


def verdict_mark(ctx: Context, values: Sequence[Value]) -> tuple[str, str]:
    """The judgement on one row of values set side by side: its verdict and its words ('' when
    comparable)."""
    from essbench.values.judgement import verdict

    judged = verdict(values, ctx.dataset)
    if judged.verdict == "comparable":
        return judged.verdict, ""
    reasons = ", ".join(dict.fromkeys(t(f"judgement.reason.{code}", ctx.lang)
                                      for code in judged.codes))
    return judged.verdict, t(f"judgement.mark.{judged.verdict}", ctx.lang, reasons=reasons)


def key_figures_html(ctx: Context, territories: Sequence[str],
                     indicators: Sequence[str] = KEY_INDICATORS) -> str:
    """Indicators × territories, each cell with its base or scope and its period, each row with
    the judgement's verdict; budget lines without a total are said; unknown stays 'inconnu'."""
    from essbench.text.values import lines_text, when_label

    lang = ctx.lang
    rows = []
    footnotes: list[str] = []
    for indicator in indicators:
        row: list[object] = [_label(indicator, lang)]
        shown = []
        for tid in territories:
            value = ctx.values[tid][indicator]
            details = []
            lines = lines_text(value, lang)
            if lines is not None:
                footnotes.append(t("key_figures.footnote", lang, name=ctx.name(tid),
                                   label=_label(indicator, lang),
                                   scope=t("list.semicolon", lang).join(lines[1])))
                row.append({"kind": "key", "value": value, "text": lines[0],
                            "details": t("key_figures.see_note", lang, number=len(footnotes))})
                continue
            if value.known:
                shown.append(value)
            if value.known and value.base:
                details.append(short_base(value, lang))
            if value.known and value.scope is not None:
                footnotes.append(t("key_figures.footnote", lang, name=ctx.name(tid),
                                   label=_label(indicator, lang),
                                   scope=scope_text(value.scope, lang)))
                details.append(t("key_figures.see_note", lang, number=len(footnotes)))
            if value.known and indicator not in REFERENCE_INDICATORS:
                details.append(when_label(value, ctx.dataset, lang))
            row.append({"kind": "key", "value": value,
                        "details": t("list.semicolon", lang).join(details)})
        # Start years are milestones: nothing to compare as quantities.
        judged, mark = (verdict_mark(ctx, shown) if len(shown) > 1
                        and registry.INDICATORS[indicator].unit != "year" else ("", ""))
        if mark:
            row[0] = {"kind": "label_with_mark", "label": row[0], "mark": mark,
                      "verdict": judged}
        rows.append(row)
    return render("compare.html.j2", "key_figures", lang, v={
        "columns": [t("columns.indicator", lang), *(ctx.name(tid) for tid in territories)],
        "rows": rows, "footnotes": footnotes, **key_figures_groups(ctx, territories)})


def key_figures_groups(ctx: Context, territories: Sequence[str]) -> dict:
    """The territories of the key figures table grouped by kind of authority (in the registry's
    order), each group by its heading: the table shows territories as rows, sortable."""
    from essbench.evidence import registry

    lang = ctx.lang
    kinds = [ctx.dataset.profiles[tid].kind for tid in territories]
    groups = []
    for kind in registry.TERRITORY_KINDS:
        members = [i for i, k in enumerate(kinds) if k == kind]
        if members:
            label = registry.TERRITORY_KINDS[kind][lang]
            groups.append({"heading": t("key_figures.group", lang,
                                        kind=label[:1].upper() + label[1:], count=len(members)),
                           "members": members})
    return {"groups": groups, "territory_column": t("key_figures.territory", lang)}


def reading_html(sentences: Iterable[str], lang: str = "fr") -> str:
    """The generated reading as a list."""
    return render("compare.html.j2", "reading", lang, v={"sentences": list(sentences)})


def comparison_sources_html(ctx: Context, territories: Sequence[str]) -> str:
    """The numbered sources of the compared territories."""
    return render("compare.html.j2", "sources", ctx.lang, v={
        "list": Markup(source_list_html(ctx)),  # our own rendered template
        "reference": reference_source(ctx)})
