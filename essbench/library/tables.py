"""The library's tables: one tidy facts table with caveats as columns, and the mapping tables."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import pandas as pd

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.evidence.profiles import Fact, Scope
from essbench.library import columns
from essbench.text.values import reason_text, value_note
from essbench.text.catalog import t
from essbench.values.judgement import (
    When,
    approximate,
    evidence_kind,
    series_changes,
    status_of,
    verdict,
    when_of,
)
from essbench.values.normalize import (
    REFERENCE_INDICATORS,
    Code,
    Value,
    headline,
    series,
    source_year,
    yardstick,
)
from essbench.values.yardsticks import yardstick_areas


def _label(vocabulary: dict, key: str | None, lang: str) -> str | None:
    return None if key is None or key not in vocabulary else vocabulary[key][lang]


def _name(dataset: Dataset, owner: str) -> str:
    if owner in dataset.profiles:
        return dataset.profiles[owner].names.short
    return dataset.references[owner].name


def _yardstick_bases(dataset: Dataset, territory: str, indicator: str) -> set[str] | None:
    """Bases on which France or the territory's région give the indicator; None when neither does."""
    facts = [f for a in yardstick_areas(dataset, territory) for f in dataset.references[a].facts
             if f.indicator == indicator]
    return {f.base for f in facts} if facts else None


def _base_differs(dataset: Dataset, territory: str, indicator: str, base: str | None):
    if base is None or not registry.INDICATORS[indicator].bases:
        return None
    bases = _yardstick_bases(dataset, territory, indicator)
    return None if bases is None else base not in bases


def _scope_stated(indicator: str, scope: Scope | None) -> bool | None:
    if scope is not None:
        return bool(scope.includes or scope.excludes)
    return False if registry.INDICATORS[indicator].needs_scope else None


def _scope_columns(scope: Scope | None) -> dict[str, Any]:
    if scope is None:
        return dict.fromkeys(("scope_nature", "scope_period", "scope_line", "scope_includes",
                              "scope_excludes"))
    return {"scope_nature": scope.nature, "scope_period": scope.period,
            "scope_line": scope.line, "scope_includes": "; ".join(scope.includes) or None,
            "scope_excludes": "; ".join(scope.excludes) or None}


def _period_columns(when: When, note: str | None = None) -> dict[str, Any]:
    """year (one year stated exactly), start and end, 'about', whether unknown, and the note.

    The period is the judgement's (values.judgement.When): a ratio holds over the union of its
    inputs' periods; an undated figure is bounded by its source's date.
    """
    if not when.known:
        bound = None if when.bound is None else f"no later than {when.bound}"
        return {"year": None, "period_start": None, "period_end": None,
                "year_note": "; ".join(filter(None, (note, bound))) or None, "about": False,
                "year_unknown": True}
    if when.about and note is None:
        note = f"about {when.start}"
    # A year given roughly ("vers 2016") is no year to filter on: `about` says so.
    year = when.start if when.kind == "year" and not when.about else None
    return {"year": year, "period_start": when.start, "period_end": when.end,
            "year_note": note, "about": when.about, "year_unknown": False}


def _fact_when(dataset: Dataset, fact: Fact) -> When:
    period = fact.period
    if period.known:
        return When(period.start, period.end, about=period.about)
    return When(None, None, bound=period.end if period.end is not None
                else source_year(dataset, fact.source))


def _undated_population(value: Value) -> bool:
    return value.indicator in REFERENCE_INDICATORS and not isinstance(value.year, int)


def _common(dataset: Dataset, owner: str, area_type: str, indicator: str, lang: str) -> dict:
    unit = registry.INDICATORS[indicator].unit
    return {"territory": owner, "area_type": area_type, "territory_name": _name(dataset, owner),
            "indicator": indicator, "indicator_label": registry.indicator_label(indicator, lang),
            "unit": unit}


def fact_row(dataset: Dataset, owner: str, area_type: str, fact: Fact, is_headline: bool,
             lang: str) -> dict:
    """One sourced fact, with its comparability flags."""
    return {
        **_common(dataset, owner, area_type, fact.indicator, lang),
        "value": fact.value, **_period_columns(_fact_when(dataset, fact), fact.period.note),
        "qualifier": fact.qualifier,
        "base": fact.base, "base_label": _label(registry.BASES, fact.base, lang),
        "base_as_worded": fact.base_as_worded, **_scope_columns(fact.scope),
        "geography_as_worded": fact.geography_as_worded,
        "evidence": fact.evidence, "source": fact.source,
        "quote": fact.quote if fact.evidence == "quoted" else None,
        "description": fact.description, "as_written": fact.as_written,
        "conversion": fact.conversion, "fact_id": fact.id,
        "note": fact.note, "is_headline": is_headline,
        "outlier": fact.outlier, "derived": False, "inputs": None, "reason": None,
        # Approximate as worded (a bound, 'environ'), never from the curator's note.
        "approximate": fact.qualifier != "exact",  # as judgement.approximate: the qualifier
        "base_differs_from_yardstick": (_base_differs(dataset, owner, fact.indicator, fact.base)
                                        if area_type == "territory" else None),
        "scope_stated": _scope_stated(fact.indicator, fact.scope),
        "perimeter_uncertain": fact.geography_as_worded is not None,
    }


def input_indicators(value: Value) -> list[str]:
    """The indicators a derived value is computed from ('ess_budget_eur:fact' -> ess_budget_eur)."""
    names = []
    for item in value.inputs:
        head, _, tail = item.partition(":")
        names.append(tail if head == "reference" else head)
    return names


def reason_code(reason: Code | None) -> str | None:
    """Why a value is unknown, as its code with its parameters: 'input_unknown: indicators=x'."""
    if reason is None:
        return None
    if not reason.params:
        return reason.code

    def flat(item: Any) -> str:
        return ",".join(map(flat, item)) if isinstance(item, (list, tuple, set)) else str(item)

    return f"{reason.code}: " + "; ".join(f"{k}={flat(v)}" for k, v in reason.params)


def computed_row(dataset: Dataset, territory: str, value: Value, values: dict[str, Value],
                 manifest: dict, lang: str) -> dict:
    """A value computed from the reference geography or from other values, caveats inherited."""
    inputs = ([] if value.indicator in REFERENCE_INDICATORS else
              [values[n] for n in input_indicators(value) if n in values])
    known_inputs = [v for v in inputs if v.known]
    # A ratio keeps the scope and wording of what it divides: a budget per inhabitant is only
    # as comparable as the budget.
    scope = next((v.scope for v in [value, *known_inputs] if v.scope is not None), None)
    worded = value.geography_as_worded or next(
        (v.geography_as_worded for v in known_inputs if v.geography_as_worded), None)
    period = _period_columns(when_of(value, dataset),
                             value.period.note if value.period is not None else None)
    population_note = manifest.get("population", {}).get("year_note")
    if value.indicator == "population" and period["year_unknown"]:
        period["year_note"] = population_note
    elif any(_undated_population(v) for v in inputs) and value.known:
        period["year_note"] = "; ".join(filter(None, (
            period["year_note"], "population of a vintage the reference package does not state")))
    row = {
        **_common(dataset, territory, "territory", value.indicator, lang),
        "value": value.value, **period,
        "qualifier": value.qualifier if value.known else None,
        "base": value.base, "base_label": _label(registry.BASES, value.base, lang),
        **_scope_columns(scope), "geography_as_worded": worded,
        "evidence": "computed" if value.known else "none",
        "source": value.source, "fact_id": value.fact_id,
        "note": value_note(value, lang) if value.derivation is not None else value.note,
        "is_headline": True, "derived": True,
        "inputs": ";".join(value.inputs) or None, "reason": reason_code(value.reason),
        "reason_text": reason_text(value, dataset.sources, lang) if value.reason else None,
    }
    if not value.known:
        return row | {flag: None for flag in columns.FLAGS}
    needs_scope = any(registry.INDICATORS[v.indicator].needs_scope for v in inputs)
    return row | {
        # The ratio's qualifier already combines its inputs' (a bound over an exact count
        # stays a bound; anything looser is approximate).
        "approximate": approximate(value),
        "base_differs_from_yardstick": None,
        "scope_stated": (bool(scope.includes or scope.excludes) if scope is not None
                         else (False if needs_scope else None)),
        "perimeter_uncertain": worded is not None,
    }


def unknown_row(dataset: Dataset, territory: str, value: Value, lang: str) -> dict:
    """An indicator no source gives (or whose sources disagree): value empty, reason given."""
    return {
        **_common(dataset, territory, "territory", value.indicator, lang), "value": None,
        "evidence": "none", "is_headline": True, "outlier": False,
        "derived": bool(value.derived),
        "inputs": ";".join(value.inputs) or None, "reason": reason_code(value.reason),
        "reason_text": reason_text(value, dataset.sources, lang) if value.reason else None,
        **{flag: None for flag in columns.FLAGS},
    }


def facts_table(dataset: Dataset, values: dict[str, dict[str, Value]], manifest: dict,
                territories: list[str], lang: str = "fr") -> pd.DataFrame:
    """Every fact, computed value and unknown of `territories`, then the yardsticks' facts."""
    rows = []
    for territory in territories:
        own = values[territory]
        shown = {(v.indicator, v.fact_id) for v in own.values() if v.fact_id}
        for fact in dataset.profiles[territory].facts:
            rows.append(fact_row(dataset, territory, "territory", fact,
                                 (fact.indicator, fact.id) in shown, lang))
        for value in own.values():
            if value.derived:
                rows.append(computed_row(dataset, territory, value, own, manifest, lang))
            elif not value.known:
                rows.append(unknown_row(dataset, territory, value, lang))
    for area_id, area in sorted(dataset.references.items()):
        headlines = {f.indicator: headline(dataset, area_id, f.indicator).fact_id
                     for f in area.facts}
        for fact in area.facts:
            rows.append(fact_row(dataset, area_id, "reference_area", fact,
                                 headlines[fact.indicator] == fact.id, lang))
    table = pd.DataFrame(rows)
    table["is_latest"] = latest_of_series(table)
    return columns.typed(table, "facts")


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _latest_in_group(rows: list[tuple[object, dict]]) -> list:
    """Index of the latest row of one series, or none when undated or disagreeing rows tie."""
    dated = [(i, r) for i, r in rows if _number(r["period_start"]) is not None]
    candidates = rows
    if dated:
        def end(row: dict) -> float:
            found = _number(row["period_end"])
            return _number(row["period_start"]) if found is None else found

        last = max(end(r) for _, r in dated)
        at_end = [(i, r) for i, r in dated if end(r) == last]
        start = max(_number(r["period_start"]) for _, r in at_end)
        candidates = [(i, r) for i, r in at_end if _number(r["period_start"]) == start]
    if len(candidates) == 1:
        return [candidates[0][0]]
    shown = [i for i, r in candidates if _number(r["is_headline"])]
    if len(shown) == 1:
        return shown
    # Several rows of one period (or several undated ones): one only if they agree.
    values = {_number(r["value"]) for _, r in candidates} - {None}
    return [candidates[0][0]] if len(values) == 1 else []


def latest_of_series(table: pd.DataFrame) -> pd.Series:
    """True for the latest value of each series (territory, indicator, base, budget nature and
    spread); computed and unknown rows are their own series. Outliers are never latest.

    Plain Python over the rows: grouping with pandas took 8 ms a series, 2 minutes at 1,000
    territories."""
    latest = pd.Series(False, index=table.index)
    sourced = table["evidence"].isin(["quoted", "cited"])
    latest[~sourced] = True
    candidates = table[sourced & ~table["outlier"].fillna(False).astype(bool)]
    keys = ["territory", "indicator", "base", "scope_nature", "scope_period"]
    series: dict[tuple, list] = {}
    for index, row in zip(candidates.index, candidates.to_dict("records"), strict=True):
        key = tuple("" if row[k] is None or (not isinstance(row[k], str) and pd.isna(row[k]))
                    else row[k] for k in keys)
        series.setdefault(key, []).append((index, row))
    for rows in series.values():
        latest[_latest_in_group(rows)] = True
    return latest


def levers_table(dataset: Dataset, territories: list[str], lang: str) -> pd.DataFrame:
    """Levers each territory uses (mapped) or rules out (excluded), each with its quote."""
    rows = []
    for territory in territories:
        profile = dataset.profiles[territory]
        for status, mappings in (("mapped", profile.levers), ("excluded",
                                                                profile.levers_excluded)):
            for m in mappings:
                done = status_of(m) if status == "mapped" else None
                rows.append({"territory": territory, "lever": m.lever,
                             "lever_label": registry.LEVERS[m.lever][lang], "status": status,
                             "implementation": done, "counted": done == "done",
                             "source": m.source, "quote": m.quote,
                             "description": getattr(m, "description", None), "note": m.note})
    return columns.typed(pd.DataFrame(rows, columns=columns.names("levers")), "levers")


def themes_table(dataset: Dataset, territories: list[str], lang: str) -> pd.DataFrame:
    """Themes each territory's policy addresses, with the basis and quote."""
    rows = [{"territory": t, "theme": m.theme, "theme_label": registry.THEMES[m.theme][lang],
             "basis": m.basis, "implementation": status_of(m),
             "counted": status_of(m) == "done", "source": m.source, "quote": m.quote,
             "description": m.description, "note": m.note}
            for t in territories for m in dataset.profiles[t].themes]
    return columns.typed(pd.DataFrame(rows, columns=columns.names("themes")), "themes")


def programmes_table(dataset: Dataset, territories: list[str]) -> pd.DataFrame:
    """Each programme's period, objectives, axes, orientations, governance and actions."""
    rows = []
    parts = (("objective", "objectives"), ("axis", "axes"), ("orientation", "orientations"),
             ("governance", "governance"), ("action", "actions"))
    for territory in territories:
        for programme in [dataset.profiles[territory].programme]:
            base = {"territory": territory, "programme": str(programme.name)}
            period = programme.period
            if period is not None:
                rows.append(base | {"part": "period", "text": period.quote,
                                    "period_start": period.start,
                                    "period_end": period.end,
                                    "source": period.source, "quote": period.quote,
                                    "note": period.note})
            for part, name in parts:
                for item in getattr(programme, name):
                    text = item.quote
                    if part == "action":
                        text = item.title
                    elif part == "governance":
                        text = f"{item.name} ({item.role})"
                    rows.append(base | {"part": part, "text": text,
                                        "stage": item.stage if part == "action" else None,
                                        "source": item.source, "quote": item.quote,
                                        "note": item.note})
        for step in dataset.profiles[territory].policy_history:
            document = step.documents[0]
            start = step.start if step.start is not None else step.date.year
            rows.append({"territory": territory, "programme": step.name, "part": "policy_step",
                         "text": step.name, "stage": step.kind, "period_start": start,
                         "period_end": step.end, "source": document.source,
                         "quote": document.quote, "note": step.note})
    return columns.typed(pd.DataFrame(rows, columns=columns.names("programmes")), "programmes")


def _date(value: Any) -> Any:
    return value if isinstance(value, datetime.date) else None


def sources_table(dataset: Dataset, territories: list[str] | None = None) -> pd.DataFrame:
    """Every source document with what is known of its origin."""
    rows = []
    for sid, s in sorted(dataset.sources.items()):
        if territories is not None and s.territory not in territories:
            continue
        archived = s.kind == "archived"
        rows.append({
            "source": sid, "territory": s.territory, "title": s.title,
            "publisher": s.publisher, "document_kind": s.document_kind,
            "evidence": "quoted" if archived else "cited",
            "date_published": _date(s.date_published),
            "date_published_as_given": str(s.date_published),
            "date_published_known": s.date_published_known,
            "date_accessed": _date(s.date_accessed),
            "url": str(s.url), "licence": s.licence if archived else None,
            "file": s.file if archived else None, "sha256": s.sha256 if archived else None,
            "description": s.description,
        })
    return columns.typed(pd.DataFrame(rows, columns=columns.names("sources")), "sources")


def indicators_table() -> pd.DataFrame:
    """The indicator registry: id, labels, unit, kind, allowed bases, description."""
    rows = [{"indicator": i.id, "label_fr": i.fr, "label_en": i.en, "unit": i.unit,
             "kind": i.kind, "bases": ";".join(i.bases) or None, "needs_scope": i.needs_scope,
             "description": i.description} for i in registry.INDICATORS.values()]
    return columns.typed(pd.DataFrame(rows), "indicators")


def _when_columns(when: When, prefix: str = "") -> dict[str, Any]:
    period = _period_columns(when)
    return {f"{prefix}{name}": period[name]
            for name in ("year", "period_start", "period_end", "about", "year_unknown")}


def _reasons(codes: Iterable[Code], lang: str) -> tuple[str | None, str | None]:
    """Reason codes (';'-joined) and their words in `lang`, as the pages word them."""
    codes = list(codes)
    if not codes:
        return None, None
    return (";".join(c.code for c in codes),
            t("list.semicolon", lang).join(t(f"judgement.reason.{c.code}", lang) for c in codes))


def yardsticks_table(dataset: Dataset, values: dict[str, dict[str, Value]], indicator: str,
                     territories: list[str], lang: str) -> pd.DataFrame:
    """Each territory's headline value beside its région's and France's of the same base, with
    both periods, the gap in years and the judgement's verdict and reasons."""
    rows = []
    for territory in territories:
        value = values[territory][indicator]
        if not value.known:
            continue
        mine = when_of(value, dataset)
        for area in yardstick_areas(dataset, territory):
            ref = yardstick(dataset, area, value)
            if ref is None or ref.base != value.base:
                continue
            theirs = when_of(ref, dataset)
            judged = verdict([value, ref], dataset)
            codes, words = _reasons(judged.reasons, lang)
            rows.append({
                **_common(dataset, territory, "territory", indicator, lang),
                "value": value.value, "qualifier": value.qualifier, "base": value.base,
                "base_label": _label(registry.BASES, value.base, lang),
                **_when_columns(mine), "source": value.source,
                "area": area, "area_name": _name(dataset, area), "area_value": ref.value,
                "area_qualifier": ref.qualifier, **_when_columns(theirs, "area_"),
                "area_source": ref.source, "gap_years": mine.gap(theirs),
                "verdict": judged.verdict, "verdict_text": t(f"judgement.verdict.{judged.verdict}",
                                                             lang),
                "reasons": codes, "reasons_text": words,
            })
    return columns.typed(pd.DataFrame(rows, columns=columns.names("yardsticks")), "yardsticks")


def series_table(dataset: Dataset, indicator: str, owners: list[str],
                 lang: str) -> pd.DataFrame:
    """Every dated value of an indicator, one series per base, budget nature and spread, oldest
    first; where a series changes what it measures, the point says so (codes and words)."""
    rows = []
    for owner in owners:
        area_type = "territory" if owner in dataset.profiles else "reference_area"
        for number, points in enumerate(series(dataset, owner, indicator).values(), start=1):
            changes = dict(series_changes(points))
            for position, point in enumerate(points):
                codes, words = _reasons(changes.get(position, ()), lang)
                rows.append({
                    **_common(dataset, owner, area_type, indicator, lang), "series": number,
                    "position": position, "value": point.value,
                    "qualifier": point.qualifier if point.known else None,
                    "base": point.base, "base_label": _label(registry.BASES, point.base, lang),
                    **_scope_columns(point.scope), **_when_columns(when_of(point, dataset)),
                    "evidence": evidence_kind(point) if point.known else "none",
                    "source": point.source, "fact_id": point.fact_id,
                    "reason": reason_code(point.reason), "change": codes, "change_text": words,
                })
    return columns.typed(pd.DataFrame(rows, columns=columns.names("series")), "series")
