"""Headline values, derived ratios and comparability findings as codes, each carrying its inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.evidence.profiles import Fact, Scope

REFERENCE_INDICATORS = ("population", "area_km2", "communes_count")


@dataclass(frozen=True)
class Code:
    """A finding the text layer puts into words: a code and its parameters.

    Examples
    --------
    >>> Code.of("input_unknown", indicators=("population",))["indicators"]
    ('population',)
    """

    code: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> Code:
        """A code with named parameters."""
        return cls(code, tuple(params.items()))

    def __getitem__(self, name: str) -> object:
        return dict(self.params)[name]


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
    note: str | None = None  # the curator's note on the fact
    geography_as_worded: str | None = None
    derived: bool = False
    inputs: tuple[str, ...] = ()
    reason: Code | None = None  # why the value is unknown: no_source, sources_disagree, input_unknown
    derivation: Code | None = None  # how a derived value was computed: reference_perimeter, ratio
    alternatives: tuple[Fact, ...] = field(default=(), compare=False)

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def unit(self) -> str:
        return registry.INDICATORS[self.indicator].unit


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
        return Value(owner_id, indicator, None, reason=Code.of("no_source"))
    if len(facts) == 1:
        return _from_fact(owner_id, facts[0])
    others = tuple(facts)
    primary = [fact for fact in facts if fact.primary]
    if primary:
        return _from_fact(owner_id, primary[0], tuple(f for f in others if f is not primary[0]))
    return Value(owner_id, indicator, None, alternatives=others,
                 reason=Code.of("sources_disagree", facts=tuple(f.id for f in facts)))


def reference_values(reference: pd.DataFrame, manifest: dict, territory: str) -> list[Value]:
    """Population, area and commune count of the perimeter, from the reference build."""
    row = reference.set_index("territory_id").loc[territory]
    package = f"{manifest['source']['package']} {manifest['source']['version']}"
    year = manifest["population"]["year"]
    year = year if isinstance(year, int) else "unknown"
    return [
        Value(territory, name, float(row[name]), year=year if name == "population" else "unknown",
              source=package, derived=True, inputs=(f"reference:{name}",),
              derivation=Code.of("reference_perimeter", package=package))
        for name in REFERENCE_INDICATORS
    ]


def _ratio(territory: str, indicator: str, numerator: Value, denominator: Value,
           factor: float = 1.0) -> Value:
    missing = [v for v in (numerator, denominator) if not v.known]
    if missing:
        return Value(territory, indicator, None, derived=True,
                     inputs=(numerator.indicator, denominator.indicator),
                     reason=Code.of("input_unknown",
                                    indicators=tuple(v.indicator for v in missing)))
    return Value(
        territory, indicator, factor * numerator.value / denominator.value,
        year=numerator.year if numerator.year == denominator.year else "unknown",
        qualifier=_ratio_qualifier(numerator.qualifier, denominator.qualifier),
        derived=True, inputs=(_input(numerator), _input(denominator)),
        geography_as_worded=numerator.geography_as_worded or denominator.geography_as_worded,
        derivation=Code.of("ratio", numerator=numerator, denominator=denominator),
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


def comparability(values: list[Value]) -> list[Code]:
    """What makes these values of one indicator hard to compare, found from their metadata.

    Codes, in reading order: year_unknown (territories), different_years (years), different_bases
    (pairs territory, base), different_scopes (pairs territory, Scope), not_exact (pairs territory,
    qualifier), geography_as_worded (pairs territory, words of the source).
    """
    known = [v for v in values if v.known]
    found = []
    unknown_year = tuple(v.territory for v in known if v.year == "unknown")
    if unknown_year:
        found.append(Code.of("year_unknown", territories=unknown_year))
    years = {v.year for v in known} - {"unknown"}
    if len(years) > 1:
        found.append(Code.of("different_years", years=tuple(sorted(years))))
    if len({v.base for v in known if v.base}) > 1:
        found.append(Code.of("different_bases", bases=tuple((v.territory, v.base) for v in known)))
    if len({scope_key(v.scope) for v in known if v.scope}) > 1:
        found.append(Code.of("different_scopes",
                             scopes=tuple((v.territory, v.scope) for v in known if v.scope)))
    loose = tuple((v.territory, v.qualifier) for v in known if v.qualifier != "exact")
    if loose:
        found.append(Code.of("not_exact", qualifiers=loose))
    worded = tuple((v.territory, v.geography_as_worded) for v in known if v.geography_as_worded)
    if worded:
        found.append(Code.of("geography_as_worded", worded=worded))
    return found


def scope_key(scope: Scope) -> tuple:
    """What makes two budget scopes the same."""
    return (scope.nature, scope.period, tuple(scope.includes), tuple(scope.excludes))


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


def load_reference(ref_dir: Path) -> tuple[pd.DataFrame, dict]:
    """The territory table and manifest of the committed reference build."""
    from essbench.geography import reference

    return reference.load_territories(ref_dir), reference.load_manifest(ref_dir)
