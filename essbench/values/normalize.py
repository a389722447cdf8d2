"""Headline values, derived ratios and comparability findings as codes, each carrying its inputs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset, series_key
from essbench.evidence.profiles import Fact, Period, Scope

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
    reason: Code | None = None  # why unknown: no_source, sources_disagree, input_unknown,
    # only_outliers, budget_lines_without_total, not_annual
    derivation: Code | None = None  # reference_perimeter, ratio, sum_of_exhaustive_lines
    alternatives: tuple[Fact, ...] = field(default=(), compare=False)  # same period, not retained
    period: Period | None = field(default=None, compare=False)  # None for reference geography
    evidence: str | None = None  # quoted | cited, for a value read from one fact
    description: str | None = None  # what a cited page's figure measures, in our words
    history: tuple[Value, ...] = field(default=(), compare=False)  # earlier periods, oldest first
    undated: tuple[Fact, ...] = field(default=(), compare=False)  # same indicator, no date
    other_series: tuple[Fact, ...] = field(default=(), compare=False)  # other base or spread
    outliers: tuple[Fact, ...] = field(default=(), compare=False)  # flagged, never retained
    match: Code | None = None  # for a yardstick: same_period, nearest_period(gap), same_source,
    # period_unknown
    as_written: str | None = None  # the number as the source writes it: its precision
    conversion: str = "none"
    why: Code | None = field(default=None, compare=False)  # why this fact heads: only_fact,
    # latest_period, later_publication, annual_first, primary, agreed, computed

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
        period=fact.period, evidence=fact.evidence, description=fact.description,
        as_written=fact.as_written, conversion=fact.conversion,
    )


def _agree(facts: list[Fact]) -> bool:
    return len({(round(f.value, 12), f.qualifier) for f in facts}) <= 1


def _pick(owner_id: str, facts: list[Fact]) -> Value:
    """One value from facts of one period: the primary, the agreed one, or unknown."""
    primary = [f for f in facts if f.primary]
    if primary or _agree(facts):
        # Agreeing facts: an archived quote is the stronger evidence, so it stands first.
        chosen = primary[0] if primary else sorted(facts, key=lambda f: f.quote is None)[0]
        return _from_fact(owner_id, chosen, tuple(f for f in facts if f is not chosen))
    return Value(owner_id, facts[0].indicator, None, alternatives=tuple(facts),
                 reason=Code.of("sources_disagree", facts=tuple(f.id for f in facts)))


def _series_rank(key: tuple, facts: list[Fact]) -> tuple:
    # An annual (or unscoped) series heads before a multi-year one; then the latest, then the
    # one a curator marked primary.
    spread = key[3] if len(key) > 3 else None
    latest = max(f.period.sort_year for f in facts)
    return (spread in (None, "annual"), any(f.primary for f in facts), latest)


def series(dataset: Dataset, owner_id: str, indicator: str) -> dict[tuple, list[Value]]:
    """Every dated value of an indicator, one list per series (base, budget nature and spread).

    Each list is ordered by period, oldest first, one value per period; a period whose sources
    disagree gives an unknown value with the reason.

    Examples
    --------
    In the tests' fixture project (tests/fixture_project.py), where the doctests run:

    >>> from essbench import project
    >>> from essbench.evidence.dataset import load_dataset
    >>> ds = load_dataset(project.find_project().data)
    >>> [v.year for v in next(iter(series(ds, "fictif", "call_for_projects_eur").values()))]
    [2021, 2023]
    """
    found: dict[tuple, list[Value]] = {}
    facts = [f for f in dataset.facts(owner_id)
             if f.indicator == indicator and not f.outlier and f.period.known]
    for key in dict.fromkeys(series_key(f) for f in facts):
        members = [f for f in facts if series_key(f) == key]
        by_period: dict[tuple, list[Fact]] = {}
        for fact in sorted(members, key=lambda f: (f.period.sort_year, f.period.start)):
            by_period.setdefault(fact.period.key, []).append(fact)
        found[key] = [_pick(owner_id, group) for group in by_period.values()]
    return found


def headline(dataset: Dataset, owner_id: str, indicator: str) -> Value:
    """The value to show: the latest period's, with earlier periods as its history.

    Undated facts head only when no fact is dated; outliers never do. A start year is one
    value whatever its period: the primary, or the one its sources agree on.
    """
    facts = [fact for fact in dataset.facts(owner_id) if fact.indicator == indicator]
    if indicator == "ess_budget_eur" and not facts:
        return _budget_from_lines(dataset, owner_id)
    if indicator == "policy_start_year" and not [f for f in facts if not f.outlier]:
        started = _start_from_history(dataset, owner_id)
        if started is not None:
            return started
    outliers = tuple(f for f in facts if f.outlier)
    usable = [f for f in facts if not f.outlier]
    if not usable:
        reason = (Code.of("only_outliers", facts=tuple(f.id for f in outliers)) if outliers
                  else Code.of("no_source"))
        return Value(owner_id, indicator, None, reason=reason, outliers=outliers)
    dated = [f for f in usable if f.period.known]
    undated = tuple(f for f in usable if not f.period.known)
    if registry.INDICATORS[indicator].unit == "year" or not dated:
        value = _pick(owner_id, usable)
        why = ("agreed" if value.alternatives and value.known else
               "only_fact" if len(usable) == 1 else "primary" if value.known else None)
        return replace(value, outliers=outliers,
                       why=Code.of(why) if why else None)
    all_series = series(dataset, owner_id, indicator)
    members = {key: [f for f in dated if series_key(f) == key] for key in all_series}
    key = max(all_series, key=lambda k: _series_rank(k, members[k]))
    *history, latest = all_series[key]
    others = tuple(f for f in dated if series_key(f) != key)
    same_time = tuple(f for f in others if f.period.key == (latest.period or Period(
        note="-")).key)
    spreads = {k[3] if len(k) > 3 else None for k in all_series}
    why = (Code.of("annual_first", others=len(all_series) - 1) if len(spreads) > 1 else
           Code.of("latest_period", earlier=len(history)) if history else Code.of("only_fact"))
    # Of one series, an undated figure whose own bound or source is later than every dated one
    # heads: "of 2019 or 2020" is later than "about 2007".
    later = [f for f in undated if series_key(f) == key and latest.known
             and (bound := fact_bound(dataset, f)) is not None
             and bound > latest.period.end]
    if later:
        chosen = max(later, key=lambda f: fact_bound(dataset, f))
        rest = tuple(f for f in undated if f is not chosen)
        head = _from_fact(owner_id, chosen)
        return replace(head, history=(*history, latest), undated=rest, outliers=outliers,
                       other_series=tuple(f for f in others if f not in same_time),
                       why=Code.of("later_publication", bound=fact_bound(dataset, chosen),
                                   dated=latest.period.end))
    return replace(latest, history=tuple(history), undated=undated, outliers=outliers,
                   other_series=tuple(f for f in others if f not in same_time),
                   alternatives=latest.alternatives + same_time, why=why)


def source_year(dataset: Dataset | None, source_id: str | None) -> int | None:
    """The year a source was published, when it says."""
    import datetime
    import re

    if dataset is None or source_id is None or source_id not in dataset.sources:
        return None
    published = dataset.sources[source_id].date_published
    if isinstance(published, datetime.date):
        return published.year
    match = re.match(r"^(\d{4})", str(published))
    return int(match[1]) if match else None


def fact_bound(dataset: Dataset | None, fact: Fact) -> int | None:
    """The latest year an undated fact can be of: its period's own bound, else its source's date."""
    if fact.period.known:
        return fact.period.end
    return fact.period.end if fact.period.end is not None else source_year(dataset, fact.source)


# Steps that are the policy itself; a scheme, a body or a facility may predate a policy.
POLICY_DOCUMENTS = ("plan", "contract", "deliberation")


def _start_from_history(dataset: Dataset, owner_id: str) -> Value | None:
    """'No later than' the first known plan, contract or deliberation, when no source dates it."""
    profile = dataset.profiles.get(owner_id)
    steps = [s for s in getattr(profile, "policy_history", []) if s.kind in POLICY_DOCUMENTS]
    if not steps:
        return None
    first = min(steps, key=lambda s: s.first_year)
    document = first.documents[0]
    return Value(owner_id, "policy_start_year", float(first.first_year), year=first.first_year,
                 qualifier="at_most", source=document.source, quote=document.quote,
                 description=document.description, evidence=document.evidence, derived=True,
                 inputs=(f"policy_history:{first.id}",),
                 derivation=Code.of("first_known_step", step=first.id, kind=first.kind,
                                    name=first.name, year=first.first_year),
                 period=Period(start=first.first_year))


def _budget_from_lines(dataset: Dataset, owner_id: str) -> Value:
    """A total from lines only where a quote says they are the whole budget; else unknown."""
    lines = [f for f in dataset.facts(owner_id) if f.indicator == "ess_budget_line_eur"]
    if not lines:
        return Value(owner_id, "ess_budget_eur", None, reason=Code.of("no_source"))
    profile = dataset.profiles.get(owner_id)
    by_id = {f.id: f for f in lines}
    totals = [entry for entry in getattr(profile, "exhaustive_budget_lines", [])]
    if totals:
        entry = max(totals, key=lambda e: by_id[e.lines[0]].period.sort_year)
        members = [by_id[i] for i in entry.lines]
        first = members[0]
        qualifiers = {f.qualifier for f in members}
        qualifier = qualifiers.pop() if len(qualifiers) == 1 else "approximately"
        return Value(owner_id, "ess_budget_eur", sum(f.value for f in members), year=first.year,
                     qualifier=qualifier, scope=Scope(nature="mixed" if len(
                         {f.scope.nature for f in members}) > 1 else first.scope.nature,
                         period=first.scope.period), source=entry.source, quote=entry.quote,
                     derived=True, inputs=tuple(f"ess_budget_line_eur:{f.id}" for f in members),
                     derivation=Code.of("sum_of_exhaustive_lines", lines=tuple(members)),
                     period=first.period, evidence=entry.evidence)
    return Value(owner_id, "ess_budget_eur", None, other_series=tuple(lines),
                 reason=Code.of("budget_lines_without_total", lines=tuple(f.id for f in lines)))


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
    spread = numerator.scope.period if numerator.scope is not None else None
    if numerator.known and spread in ("multi_year", "one_off"):
        # Dividing a multi-year or one-off amount would read as a yearly effort per inhabitant.
        return Value(territory, indicator, None, derived=True,
                     inputs=(_input(numerator), denominator.indicator),
                     reason=Code.of("not_annual", indicator=numerator.indicator, spread=spread))
    missing = [v for v in (numerator, denominator) if not v.known]
    if missing:
        return Value(territory, indicator, None, derived=True,
                     inputs=(numerator.indicator, denominator.indicator),
                     reason=Code.of("input_unknown",
                                    indicators=tuple(v.indicator for v in missing)))
    return Value(
        territory, indicator, factor * numerator.value / denominator.value,
        year=numerator.year if numerator.year == denominator.year else "unknown",
        period=numerator.period,
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


def comparability(values: list[Value], dataset: Dataset | None = None) -> list[Code]:
    """What makes these values of one indicator hard to compare, found from their metadata.

    Codes, in reading order: year_unknown (territories), different_years (years), different_bases
    (pairs territory, base), different_scopes (pairs territory, Scope), not_exact (pairs territory,
    qualifier), geography_as_worded (pairs territory, words of the source).
    """
    known = [v for v in values if v.known]
    found = []
    unknown_year = tuple(v.territory for v in known if v.year == "unknown"
                         and (v.period is None or not v.period.known)
                         and _value_bound(v, dataset) is None)
    if unknown_year:
        found.append(Code.of("year_unknown", territories=unknown_year))
    years = {period_label(v) for v in known} - {"unknown"}
    if len(years) > 1:
        found.append(Code.of("different_years", years=tuple(sorted(years, key=str))))
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


def _value_bound(value: Value, dataset: Dataset | None) -> int | None:
    """The latest year an undated value can be of (its own bound, else its source's date)."""
    if value.period is not None and value.period.end is not None:
        return value.period.end
    return source_year(dataset, value.source) if not value.derived else None


def period_label(value: Value) -> int | str:
    """A value's year, its 'start-end' span, or 'unknown'."""
    period = value.period
    if period is None or not period.known:
        return value.year
    # A year stays a number: a reference value of the same year (no period) must equal it.
    return period.start if period.kind == "year" else period.years


def scope_key(scope: Scope) -> tuple:
    """What makes two budget scopes the same."""
    return (scope.nature, scope.period, tuple(scope.includes), tuple(scope.excludes))


def yardstick(dataset: Dataset, area_id: str, value: Value) -> Value | None:
    """The area's value on the same base as `value`, matched to its period; None if none.

    Same year first, else the nearest dated year (its gap in `match`). An undated territory
    value takes the figure its own source gives beside it, else the area's headline.

    Examples
    --------
    In the tests' fixture project (tests/fixture_project.py), where the doctests run:

    >>> from essbench import project
    >>> from essbench.evidence.dataset import load_dataset
    >>> ds = load_dataset(project.find_project().data)
    >>> v = Value("x", "ess_employment_share", 0.1, year=2018, base="salaried_jobs",
    ...           period=Period(start=2018))
    >>> yardstick(ds, "france", v).match
    Code(code='nearest_period', params=(('gap', 1), ('year', 2019)))
    """
    if area_id not in dataset.references:
        return None
    facts = [f for f in dataset.references[area_id].facts
             if f.indicator == value.indicator and f.base == value.base and not f.outlier]
    if not facts:
        return None
    dated = [f for f in facts if f.period.known]
    period = value.period
    if period is not None and period.known and dated:
        target = period.end
        best = min(dated, key=lambda f: (abs(f.period.end - target), -f.period.end,
                                         not f.primary))
        gap = abs(best.period.end - target)
        match = (Code.of("same_period") if best.period.key == period.key else
                 Code.of("nearest_period", gap=gap, year=best.period.end))
        return replace(_from_fact(area_id, best), match=match)
    beside = [f for f in facts if value.source is not None and f.source == value.source]
    if beside:
        chosen = next((f for f in beside if f.primary), beside[0])
        return replace(_from_fact(area_id, chosen), match=Code.of("same_source"))
    chosen = headline(dataset, area_id, value.indicator)
    if chosen.base != value.base or not chosen.known:
        chosen = _from_fact(area_id, next((f for f in facts if f.primary), facts[0]))
    return replace(chosen, match=Code.of("period_unknown"))


def all_series(dataset: Dataset, owner_id: str, min_points: int = 2
               ) -> dict[str, dict[tuple, list[Value]]]:
    """Every series of an owner with at least `min_points` known dated values, by indicator.

    Examples
    --------
    >>> from essbench import project
    >>> from essbench.evidence.dataset import load_dataset
    >>> ds = load_dataset(project.find_project().data)
    >>> sorted(all_series(ds, "fictif"))  # in the tests' fixture project
    ['call_for_projects_eur', 'ess_establishments']
    """
    found: dict[str, dict[tuple, list[Value]]] = {}
    for indicator in dict.fromkeys(f.indicator for f in dataset.facts(owner_id)):
        for key, values in series(dataset, owner_id, indicator).items():
            known = [v for v in values if v.known]
            if len(known) >= min_points:
                found.setdefault(indicator, {})[key] = known
    return found


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
