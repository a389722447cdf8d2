"""Comparability notes of values across territories, in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.text.citations import territory_name
from essbench.text.catalog import t
from essbench.text.values import comparability_text, period_text, scope_text
from essbench.values.normalize import DERIVATIONS, Value, comparability


def value_notes(dataset: Dataset, values: list[Value], lang: str = "fr",
                skip: tuple[str, ...] = ()) -> list[str]:
    """What makes these values hard to compare, with readable names instead of ids."""
    names = {v.territory: territory_name(dataset, v.territory) for v in values}
    return [comparability_text(code, names, lang) for code in comparability(values, dataset)
            if code.code not in skip]


def dedupe(items: Iterable[str]) -> list[str]:
    """Items in order, each once."""
    return list(dict.fromkeys(items))


def comparison_notes(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                     indicator: str, territories: list[str], lang: str = "fr",
                     skip: tuple[str, ...] = ()) -> list[str]:
    """Comparability notes of one indicator across territories, a ratio's inputs included.

    `skip`: comparability codes left out for the indicator itself (not for a ratio's inputs).
    """
    notes = value_notes(dataset, [values[x][indicator] for x in territories], lang, skip)
    if indicator in DERIVATIONS:
        numerator, denominator, _ = DERIVATIONS[indicator]
        for part in (numerator, denominator):
            inputs = [values[x][part] for x in territories if values[x][indicator].known]
            label = registry.indicator_label(part, lang)
            notes += [t("comparability.pair", lang, name=label, text=note)
                      for note in value_notes(dataset, inputs, lang)]
            for value in inputs:
                if value.geography_as_worded:
                    notes.append(t("comparability.ratio_geography", lang, label=label,
                                   name=territory_name(dataset, value.territory),
                                   words=value.geography_as_worded))
    scoped = DERIVATIONS[indicator][0] if indicator in DERIVATIONS else indicator
    if registry.INDICATORS[scoped].needs_scope:
        known = [values[x][scoped] for x in territories
                 if values[x][indicator].known and values[x][scoped].scope is not None]
        if len(known) == 1:
            notes.append(t("comparability.pair", lang,
                           name=territory_name(dataset, known[0].territory),
                           text=scope_text(known[0].scope, lang)) + ".")
        periods: dict[str, list[str]] = {}
        for value in known:
            periods.setdefault(period_text(value.scope, lang), []).append(
                territory_name(dataset, value.territory))
        if len(periods) > 1:
            notes.append(t("comparability.different_periods", lang,
                           periods=t("list.semicolon", lang).join(
                               t("comparability.period_for", lang, period=period,
                                 names=", ".join(names)) for period, names in periods.items())))
    return dedupe(notes)


def authority_note(dataset: Dataset, territories: list[str], lang: str = "fr") -> str | None:
    """What differs, in plain words, when authorities of different kinds are compared (a
    département beside an EPT): their powers and their scale. None when all are alike."""
    from essbench.values.judgement import SCALE_KINDS, authority_kinds

    scales = list(dict.fromkeys(SCALE_KINDS.get(kind, kind)
                                for kind in authority_kinds(dataset, territories)))
    if len(scales) < 2:
        return None
    parts = [t(f"judgement.authority.{scale}", lang) for scale in scales
             if scale in ("departement", "intercommunal", "ept", "region")]
    return (t("judgement.authority.intro", lang) + t("list.semicolon", lang).join(parts)
            + t("judgement.authority.outro", lang) + ".")
