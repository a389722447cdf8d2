"""The library's tables: one tidy facts table with caveats as columns, and the mapping tables."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import pandas as pd

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.library import adapt, columns
from essbench.values.yardsticks import yardstick_areas


def _label(vocabulary: dict, key: str | None, lang: str) -> str | None:
    return None if key is None or key not in vocabulary else vocabulary[key][lang]


def _name(dataset: Dataset, owner: str) -> str:
    if owner in dataset.profiles:
        return dataset.profiles[owner].names.short
    return dataset.references[owner].name


def _yardstick_bases(dataset: Dataset, territory: str, indicator: str) -> set[str] | None:
    """Bases on which France or the territory's région give the indicator; None when neither does."""
    areas = yardstick_areas(dataset, territory)
    facts = [f for a in areas for f in dataset.references[a].facts if f.indicator == indicator]
    return {f.base for f in facts} if facts else None


def _base_differs(dataset: Dataset, territory: str, indicator: str, base: str | None):
    if base is None or not registry.INDICATORS[indicator].bases:
        return None
    bases = _yardstick_bases(dataset, territory, indicator)
    return None if bases is None else base not in bases


def _scope_stated(indicator: str, scope: adapt.ScopeParts | None) -> bool | None:
    if scope is not None:
        return scope.stated
    return False if registry.INDICATORS[indicator].needs_scope else None


def _scope_columns(scope: adapt.ScopeParts | None) -> dict[str, Any]:
    scope = scope or adapt.ScopeParts()
    return {"scope_nature": scope.nature, "scope_period": scope.period,
            "scope_line": scope.line, "scope_includes": scope.includes,
            "scope_excludes": scope.excludes}


def _period_columns(item: Any) -> dict[str, Any]:
    period = adapt.period_of(item)
    return {"year": period.year, "period_start": period.start, "period_end": period.end,
            "year_note": period.note}


def _common(dataset: Dataset, owner: str, area_type: str, indicator: str, lang: str) -> dict:
    unit = registry.INDICATORS[indicator].unit
    return {"territory": owner, "area_type": area_type, "territory_name": _name(dataset, owner),
            "indicator": indicator, "indicator_label": registry.indicator_label(indicator, lang),
            "unit": unit}


def fact_row(dataset: Dataset, owner: str, area_type: str, fact: Any, headline: bool,
             lang: str) -> dict:
    """One sourced fact, with its comparability flags."""
    scope = adapt.scope_of(fact)
    period = adapt.period_of(fact)
    kind = adapt.evidence_kind(fact)
    return {
        **_common(dataset, owner, area_type, fact.indicator, lang),
        "value": fact.value, **_period_columns(fact), "qualifier": fact.qualifier,
        "base": fact.base, "base_label": _label(registry.BASES, fact.base, lang),
        "base_as_worded": getattr(fact, "base_as_worded", None), **_scope_columns(scope),
        "geography_as_worded": getattr(fact, "geography_as_worded", None),
        "evidence": kind, "source": fact.source,
        "quote": getattr(fact, "quote", None) if kind == "quoted" else None,
        "description": adapt.description_of(fact),
        "as_written": getattr(fact, "as_written", None),
        "conversion": getattr(fact, "conversion", None), "fact_id": fact.id,
        "note": getattr(fact, "note", None), "is_headline": headline,
        "outlier": adapt.is_outlier(fact), "derived": False,
        "inputs": None, "reason": None,
        "year_unknown": period.year is None and period.start is None,
        "approximate": adapt.is_approximate(fact),
        "base_differs_from_yardstick": (_base_differs(dataset, owner, fact.indicator, fact.base)
                                        if area_type == "territory" else None),
        "scope_stated": _scope_stated(fact.indicator, scope),
        "perimeter_uncertain": getattr(fact, "geography_as_worded", None) is not None,
    }


def _facts_of(values: dict[str, Any], names: Iterable[str]) -> list[Any]:
    return [values[n] for n in names if n in values]


def computed_row(dataset: Dataset, territory: str, value: Any, values: dict[str, Any],
                 manifest: dict, lang: str) -> dict:
    """A value computed from the reference geography or from other values, caveats inherited."""
    inputs = _facts_of(values, adapt.input_indicators(value))
    if value.indicator in adapt.reference_indicators():
        inputs = []
    known_inputs = [v for v in inputs if v.value is not None]
    # A ratio keeps the scope and wording of what it divides: a budget per inhabitant is only
    # as comparable as the budget.
    scope = next((s for s in map(adapt.scope_of, [value, *known_inputs]) if s is not None), None)
    worded = value.geography_as_worded or next(
        (v.geography_as_worded for v in known_inputs if v.geography_as_worded), None)
    period = adapt.period_of(value)
    row = {
        **_common(dataset, territory, "territory", value.indicator, lang),
        "value": value.value, **_period_columns(value),
        "qualifier": value.qualifier if value.value is not None else None,
        "base": value.base, "base_label": _label(registry.BASES, value.base, lang),
        **_scope_columns(scope), "geography_as_worded": worded,
        "evidence": "computed" if value.value is not None else "none",
        "source": value.source, "fact_id": value.fact_id,
        "note": adapt.computed_note(value, lang), "is_headline": True, "derived": True,
        "inputs": ";".join(value.inputs) or None, "reason": adapt.reason_of(value),
        "reason_text": adapt.reason_words(value, dataset, lang),
    }
    if value.indicator == "population" and period.year is None:
        row["year_note"] = manifest.get("population", {}).get("year_note")
    if value.value is None:
        return row | {flag: None for flag in columns.FLAGS}
    needs_scope = any(registry.INDICATORS[v.indicator].needs_scope for v in inputs)
    return row | {
        "year_unknown": period.year is None and period.start is None,
        "approximate": adapt.is_approximate(value) or any(map(adapt.is_approximate,
                                                              known_inputs)),
        "base_differs_from_yardstick": None,
        "scope_stated": scope.stated if scope is not None else (False if needs_scope else None),
        "perimeter_uncertain": worded is not None,
    }


def unknown_row(dataset: Dataset, territory: str, value: Any, lang: str) -> dict:
    """An indicator no source gives (or whose sources disagree): value empty, reason given."""
    return {
        **_common(dataset, territory, "territory", value.indicator, lang), "value": None,
        "evidence": "none", "is_headline": True, "outlier": False,
        "derived": bool(value.derived),
        "inputs": ";".join(value.inputs) or None, "reason": adapt.reason_of(value),
        "reason_text": adapt.reason_words(value, dataset, lang),
        **{flag: None for flag in columns.FLAGS},
    }


def facts_table(dataset: Dataset, reference: pd.DataFrame, manifest: dict,
                territories: list[str], lang: str = "fr", yardsticks: bool = True
                ) -> pd.DataFrame:
    """Every fact, computed value and unknown of `territories`, then the yardsticks' facts."""
    rows = []
    for territory in territories:
        values = adapt.territory_values(dataset, reference, manifest, territory)
        shown = {(v.indicator, v.fact_id) for v in values.values() if v.fact_id}
        for fact in dataset.profiles[territory].facts:
            rows.append(fact_row(dataset, territory, "territory", fact,
                                 (fact.indicator, fact.id) in shown, lang))
        for value in values.values():
            if value.derived:
                rows.append(computed_row(dataset, territory, value, values, manifest, lang))
            elif value.value is None:
                rows.append(unknown_row(dataset, territory, value, lang))
    if yardsticks:
        for area_id, area in sorted(dataset.references.items()):
            headlines = {f.indicator: adapt.headline_fact_id(dataset, area_id, f.indicator)
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
                rows.append({"territory": territory, "lever": m.lever,
                             "lever_label": registry.LEVERS[m.lever][lang], "status": status,
                             "source": m.source, "quote": m.quote, "note": m.note})
    return columns.typed(pd.DataFrame(rows, columns=columns.names("levers")), "levers")


def themes_table(dataset: Dataset, territories: list[str], lang: str) -> pd.DataFrame:
    """Themes each territory's policy addresses, with the basis and quote."""
    rows = [{"territory": t, "theme": m.theme, "theme_label": registry.THEMES[m.theme][lang],
             "basis": m.basis, "source": m.source, "quote": m.quote, "note": m.note}
            for t in territories for m in dataset.profiles[t].themes]
    return columns.typed(pd.DataFrame(rows, columns=columns.names("themes")), "themes")


def _programmes(profile: Any) -> list[Any]:
    # The evidence layer may hold a history of programmes; today there is one.
    many = getattr(profile, "programmes", None)
    return list(many) if many else [profile.programme]


def programmes_table(dataset: Dataset, territories: list[str]) -> pd.DataFrame:
    """Each programme's period, objectives, axes, orientations, governance and actions."""
    rows = []
    parts = (("objective", "objectives"), ("axis", "axes"), ("orientation", "orientations"),
             ("governance", "governance"), ("action", "actions"))
    for territory in territories:
        for programme in _programmes(dataset.profiles[territory]):
            base = {"territory": territory, "programme": str(programme.name)}
            period = getattr(programme, "period", None)
            if period is not None:
                rows.append(base | {"part": "period", "text": period.quote,
                                    "period_start": period.start,
                                    "period_end": getattr(period, "end", None),
                                    "source": period.source, "quote": period.quote,
                                    "note": period.note})
            for part, name in parts:
                for item in getattr(programme, name, []) or []:
                    text = item.quote
                    if part == "action":
                        text = item.title
                    elif part == "governance":
                        text = f"{item.name} ({item.role})"
                    rows.append(base | {"part": part, "text": text,
                                        "stage": getattr(item, "stage", None),
                                        "source": item.source, "quote": item.quote,
                                        "note": item.note})
        for step in adapt.policy_steps(dataset.profiles[territory]):
            document = step.documents[0]
            start = step.start if step.start is not None else step.date.year
            rows.append({"territory": territory, "programme": step.name, "part": "policy_step",
                         "text": step.name, "stage": step.kind, "period_start": start,
                         "period_end": step.end, "source": document.source,
                         "quote": getattr(document, "quote", None), "note": step.note})
    return columns.typed(pd.DataFrame(rows, columns=columns.names("programmes")), "programmes")


def _date(value: Any) -> Any:
    return value if isinstance(value, datetime.date) else None


def sources_table(dataset: Dataset, territories: list[str] | None = None) -> pd.DataFrame:
    """Every source document with what is known of its origin."""
    rows = []
    for sid, s in sorted(dataset.sources.items()):
        if territories is not None and getattr(s, "territory", None) not in territories:
            continue
        rows.append({
            "source": sid, "territory": getattr(s, "territory", None), "title": s.title,
            "publisher": s.publisher, "document_kind": getattr(s, "document_kind", None),
            "evidence": adapt.source_evidence(s),
            "date_published": _date(getattr(s, "date_published", None)),
            "date_published_as_given": str(getattr(s, "date_published", "unknown")),
            "date_published_known": getattr(s, "date_published_known", None),
            "date_accessed": _date(getattr(s, "date_accessed", None)),
            "url": str(getattr(s, "url", "unknown")), "licence": getattr(s, "licence", None),
            "file": getattr(s, "file", None), "sha256": getattr(s, "sha256", None),
            "description": getattr(s, "description", None),
        })
    return columns.typed(pd.DataFrame(rows, columns=columns.names("sources")), "sources")


def indicators_table() -> pd.DataFrame:
    """The indicator registry: id, labels, unit, kind, allowed bases, description."""
    rows = [{"indicator": i.id, "label_fr": i.fr, "label_en": i.en, "unit": i.unit,
             "kind": i.kind, "bases": ";".join(i.bases) or None, "needs_scope": i.needs_scope,
             "description": i.description} for i in registry.INDICATORS.values()]
    return columns.typed(pd.DataFrame(rows), "indicators")
