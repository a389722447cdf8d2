"""Tidy exports for researchers: every fact with its quote, mappings, profiles and a dictionary."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.text.values import value_row
from essbench.values.normalize import DERIVATIONS, REFERENCE_INDICATORS, territory_values
from essbench.build.outputs import write_atomic

FACT_COLUMNS = {
    "territory": "Id of the territory profile, or of the reference area (france, a région).",
    "area_type": "territory (a profile) or reference_area (a national or regional yardstick).",
    "indicator": "Registry id of the indicator (see indicators.csv).",
    "label_fr": "French label of the indicator.",
    "value": "The value; shares and rates are fractions (0.065 for 6,5 %).",
    "unit": "Unit, from the registry's closed list.",
    "year": "Year the figure describes, or 'unknown'.",
    "qualifier": "exact, approximately, at_least or at_most, as the source words it.",
    "base": "For shares: what the share is of (registry base id).",
    "base_as_worded": "The base in the source's words.",
    "scope": "For amounts: what is included and excluded, and the nature of the spending.",
    "source": "Source id (sources.yaml), or the reference package for geography.",
    "quote": "Verbatim extract of the source that states the figure.",
    "as_written": "The number exactly as written in the quote.",
    "conversion": "How as_written became value: none, percent, ratio, millions, approximate_word.",
    "fact_id": "Id of the fact within its profile.",
    "primary": "True for the fact shown when several give the same indicator.",
    "derived": "True for values computed by essbench (reference geography, ratios).",
    "inputs": "For derived values: the facts and reference fields they are computed from.",
    "note": "The curator's note, kept apart from the quote.",
}
LEVER_COLUMNS = {
    "territory": "Id of the territory profile.",
    "lever": "Registry id of the lever (or theme).",
    "label_fr": "French label.",
    "status": "mapped, or excluded where the source rules the lever out.",
    "basis": "For themes: stated_priority, action or supported_project.",
    "source": "Source id.",
    "quote": "Verbatim extract that backs the mapping.",
    "note": "The curator's note.",
}


def facts_table(dataset: Dataset, reference: pd.DataFrame, manifest: dict) -> pd.DataFrame:
    """Every fact of every profile and reference area, plus reference and derived values."""
    rows = []
    owners = [(pid, "territory", p) for pid, p in sorted(dataset.profiles.items())]
    owners += [(rid, "reference_area", r) for rid, r in sorted(dataset.references.items())]
    for owner_id, area_type, owner in owners:
        for fact in owner.facts:
            rows.append({
                "territory": owner_id, "area_type": area_type, "indicator": fact.indicator,
                "label_fr": registry.indicator_label(fact.indicator), "value": fact.value,
                "unit": fact.unit, "year": fact.year, "qualifier": fact.qualifier,
                "base": fact.base, "base_as_worded": fact.base_as_worded,
                "scope": _scope(fact.scope), "source": fact.source, "quote": fact.quote,
                "as_written": fact.as_written, "conversion": fact.conversion,
                "fact_id": fact.id, "primary": fact.primary, "derived": False,
                "inputs": None, "note": fact.note,
            })
    computed = set(REFERENCE_INDICATORS) | set(DERIVATIONS)
    for territory in sorted(dataset.profiles):
        for indicator, value in territory_values(dataset, reference, manifest, territory).items():
            if indicator in computed and value.known:
                row = value_row(value)
                rows.append({**{c: None for c in FACT_COLUMNS}, **{
                    k: row[k] for k in ("territory", "indicator", "label_fr", "value", "unit",
                                        "year", "qualifier", "source", "inputs", "note")},
                    "area_type": "territory", "derived": True, "primary": True})
    return pd.DataFrame(rows, columns=list(FACT_COLUMNS))


def _scope(scope) -> str | None:
    if scope is None:
        return None
    parts = [f"nature={scope.nature}", f"period={scope.period}"]
    parts += [f"includes={item}" for item in scope.includes]
    parts += [f"excludes={item}" for item in scope.excludes]
    return "; ".join(parts)


def mappings_table(dataset: Dataset, kind: str) -> pd.DataFrame:
    """Levers or themes × territories, each with the quote that backs it."""
    rows = []
    vocabulary = registry.LEVERS if kind == "levers" else registry.THEMES
    for territory, profile in sorted(dataset.profiles.items()):
        groups = [("mapped", profile.levers), ("excluded", profile.levers_excluded)]
        if kind == "themes":
            groups = [("mapped", profile.themes)]
        for status, mappings in groups:
            for mapping in mappings:
                key = mapping.lever if kind == "levers" else mapping.theme
                rows.append({
                    "territory": territory, "lever": key, "label_fr": vocabulary[key]["fr"],
                    "status": status, "basis": getattr(mapping, "basis", None),
                    "source": mapping.source, "quote": mapping.quote, "note": mapping.note,
                })
    table = pd.DataFrame(rows, columns=list(LEVER_COLUMNS))
    return table.rename(columns={"lever": "theme"}) if kind == "themes" else table


def indicators_table() -> pd.DataFrame:
    """The registry as a table: id, labels, unit, kind, allowed bases, description."""
    return pd.DataFrame([
        {"indicator": i.id, "label_fr": i.fr, "label_en": i.en, "unit": i.unit, "kind": i.kind,
         "bases": ";".join(i.bases) or None, "needs_scope": i.needs_scope,
         "description": i.description}
        for i in registry.INDICATORS.values()
    ])


def export(dataset: Dataset, reference: pd.DataFrame, manifest: dict, out: Path) -> list[Path]:
    """Write facts.csv, levers.csv, themes.csv, indicators.csv, profiles.json, data_dictionary.csv."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "facts.csv": facts_table(dataset, reference, manifest),
        "levers.csv": mappings_table(dataset, "levers"),
        "themes.csv": mappings_table(dataset, "themes"),
        "indicators.csv": indicators_table(),
        "data_dictionary.csv": _dictionary(),
    }
    written = []
    for name, table in tables.items():
        written.append(write_atomic(out / name, table.to_csv(index=False, lineterminator="\n")))
    profiles = {
        "profiles": {pid: p.model_dump(mode="json") for pid, p in sorted(dataset.profiles.items())},
        "reference_areas": {rid: r.model_dump(mode="json")
                            for rid, r in sorted(dataset.references.items())},
        "sources": {sid: s.model_dump(mode="json") for sid, s in sorted(dataset.sources.items())},
    }
    text = json.dumps(profiles, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    written.append(write_atomic(out / "profiles.json", text))
    return written


def _dictionary() -> pd.DataFrame:
    rows = [{"file": "facts.csv", "column": c, "description": d} for c, d in FACT_COLUMNS.items()]
    for name in ("levers.csv", "themes.csv"):
        for column, description in LEVER_COLUMNS.items():
            column = "theme" if name == "themes.csv" and column == "lever" else column
            rows.append({"file": name, "column": column, "description": description})
    rows.append({"file": "indicators.csv", "column": "*",
                 "description": "The indicator registry: id, labels, unit, kind, bases, scope."})
    rows.append({"file": "profiles.json", "column": "*",
                 "description": "Every profile, reference area and source as validated."})
    return pd.DataFrame(rows)
