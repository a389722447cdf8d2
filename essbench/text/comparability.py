"""Comparability notes of values across territories, in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.text.citations import territory_name
from essbench.text.values import comparability_text, scope_text
from essbench.values.normalize import DERIVATIONS, Value, comparability


def value_notes(dataset: Dataset, values: list[Value]) -> list[str]:
    """What makes these values hard to compare, with readable names instead of ids."""
    names = {v.territory: territory_name(dataset, v.territory) for v in values}
    return [comparability_text(code, names) for code in comparability(values)]


def dedupe(items: Iterable[str]) -> list[str]:
    """Items in order, each once."""
    return list(dict.fromkeys(items))


def comparison_notes(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                     indicator: str, territories: list[str], lang: str = "fr") -> list[str]:
    """Comparability notes of one indicator across territories, a ratio's inputs included."""
    notes = value_notes(dataset, [values[t][indicator] for t in territories])
    if indicator in DERIVATIONS:
        numerator, denominator, _ = DERIVATIONS[indicator]
        for part in (numerator, denominator):
            inputs = [values[t][part] for t in territories if values[t][indicator].known]
            label = registry.indicator_label(part, lang)
            notes += [f"{label} : {note}" for note in value_notes(dataset, inputs)]
            for value in inputs:
                if value.geography_as_worded:
                    notes.append(f"{label} de {territory_name(dataset, value.territory)} : "
                                 f"porte sur « {value.geography_as_worded} », dont le périmètre "
                                 "n'est pas précisé ; le ratio est incertain.")
    scoped = DERIVATIONS[indicator][0] if indicator in DERIVATIONS else indicator
    if registry.INDICATORS[scoped].needs_scope:
        known = [values[t][scoped] for t in territories
                 if values[t][indicator].known and values[t][scoped].scope is not None]
        if len(known) == 1:
            notes.append(f"{territory_name(dataset, known[0].territory)} : "
                         f"{scope_text(known[0].scope)}.")
        periods: dict[str, list[str]] = {}
        for value in known:
            period = "annuel" if value.scope.period == "annual" else "période non précisée"
            periods.setdefault(period, []).append(territory_name(dataset, value.territory))
        if len(periods) > 1:
            notes.append("Montants de période différente : " + " ; ".join(
                f"{period} pour {', '.join(names)}" for period, names in periods.items()) + ".")
    return dedupe(notes)
