"""Values in words: formatted numbers, why a value is unknown, how it was computed, comparability."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from essbench.evidence import registry
from essbench.evidence.profiles import Scope
from essbench.evidence.sources import Source
from essbench.text.catalog import t
from essbench.text.formats import eur, number, share
from essbench.values.normalize import Code, Value

if TYPE_CHECKING:
    from essbench.evidence.dataset import Dataset


def qualifier_prefix(qualifier: str, lang: str = "fr", unit: str | None = None) -> str:
    """Words that mark an approximate or bounded value: 'plus de ', 'environ '.

    A bounded year reads 'au plus tard en 2011', never 'moins de 2011'.
    """
    group = "year_prefix" if unit == "year" else "prefix"
    return t(f"qualifier.{group}.{qualifier}", lang)


def format_value(value: float, unit: str, lang: str = "fr", decimals: int | None = None) -> str:
    """A number in French with its unit; a share with the decimals its source writes.

    Examples
    --------
    >>> format_value(0.065, "share")
    '6,5\\xa0%'
    >>> format_value(0.1108, "share", decimals=2)
    '11,08\\xa0%'
    """
    if unit == "share" or unit == "rate":
        return ("+" if unit == "rate" and value > 0 else "") + share(value, decimals, lang=lang)
    if unit in ("eur", "eur_per_inhabitant", "eur_per_employee"):
        return eur(value, 2 if abs(value) < 10 else 0, lang)
    if unit == "year":
        return str(int(value))
    if unit in ("km2", "m2"):
        return f"{number(value, 1 if unit == 'km2' else 0, lang)}\u00a0{registry.UNITS[unit][lang]}"
    if unit == "per_1000_inhabitants":
        return number(value, 1, lang)
    return number(value, 0 if float(value).is_integer() else 1, lang)


def formatted(value: Value, lang: str = "fr") -> str:
    """The value as an official reads it: '48 390', '6,5 %', 'plus de 13 %', 'inconnu'."""
    from essbench.values.judgement import shown_decimals

    if value.value is None:
        return t("value.unknown", lang)
    decimals = shown_decimals(value) if value.unit in ("share", "rate") else None
    return (qualifier_prefix(value.qualifier, lang, value.unit)
            + format_value(value.value, value.unit, lang, decimals))


def fact_text(fact, lang: str = "fr", qualified: bool = True) -> str:
    """A fact as written, with its qualifier and the decimals its source gives (11,08 %)."""
    from essbench.values.judgement import precision_of
    from essbench.values.normalize import Value as _Value

    value = _Value("-", fact.indicator, fact.value, as_written=fact.as_written,
                   conversion=fact.conversion)
    found = precision_of(value)
    decimals = found.decimals if found and fact.unit in ("share", "rate") else None
    prefix = qualifier_prefix(fact.qualifier, lang, fact.unit) if qualified else ""
    return prefix + format_value(fact.value, fact.unit, lang, decimals)


def reason_text(value: Value, sources: Mapping[str, Source] | None = None,
                lang: str = "fr") -> str | None:
    """Why a value is unknown, in one phrase, or None for a known value."""
    reason = value.reason
    if reason is None:
        return None
    if reason.code == "no_source":
        return t("reason.no_source", lang)
    if reason.code == "input_unknown":
        names = ", ".join(registry.indicator_label(i, lang) for i in reason["indicators"])
        return t("reason.input_unknown", lang, names=names)
    if reason.code == "sources_disagree":
        facts = {f.id: f for f in value.alternatives}
        titles = sources or {}
        values = t("list.semicolon", lang).join(
            t("reason.disagreeing_value", lang,
              value=fact_text(facts[i], lang, qualified=False),
              title=titles[facts[i].source].title)
            for i in reason["facts"])
        return t("reason.sources_disagree", lang, values=values)
    if reason.code in ("only_outliers", "budget_lines_without_total"):
        facts = value.outliers if reason.code == "only_outliers" else value.other_series
        values = t("list.semicolon", lang).join(
            fact_text(f, lang) for f in facts)
        return t(f"reason.{reason.code}", lang, values=values)
    if reason.code == "not_annual":
        return t("reason.not_annual", lang,
                 spread=registry.BUDGET_PERIODS[reason["spread"]][lang])
    raise ValueError(f"unknown reason code: {reason.code}")


def derivation_text(value: Value, lang: str = "fr") -> str | None:
    """How a derived value was computed, in words, or None."""
    derivation = value.derivation
    if derivation is None:
        return None
    if derivation.code == "reference_perimeter":
        return t("derivation.reference_perimeter", lang)
    if derivation.code == "ratio":
        numerator, denominator = derivation["numerator"], derivation["denominator"]
        return t("derivation.ratio", lang,
                 numerator=registry.indicator_label(numerator.indicator, lang),
                 numerator_value=formatted(numerator, lang),
                 denominator=registry.indicator_label(denominator.indicator, lang),
                 denominator_value=formatted(denominator, lang))
    if derivation.code == "first_known_step":
        return t("derivation.first_known_step", lang, name=derivation["name"],
                 year=derivation["year"])
    if derivation.code == "sum_of_exhaustive_lines":
        values = t("list.semicolon", lang).join(
            fact_text(f, lang, qualified=False) for f in derivation["lines"])
        return t("derivation.sum_of_exhaustive_lines", lang, values=values)
    raise ValueError(f"unknown derivation code: {derivation.code}")


def value_note(value: Value, lang: str = "fr") -> str | None:
    """The note shown with a value: the curator's note on a fact, the calculation of a derived one."""
    return value.note if value.note is not None else derivation_text(value, lang)


def scope_items(items: list[str], lang: str = "fr") -> str:
    """Items of a budget's scope in the source's words (quoted outside French), comma-separated:
    the parts of a scope and the scopes of a list are separated by semicolons."""
    return ", ".join(t("scope.item", lang, item=item) for item in items)


def scope_wording(scope: Scope, lang: str = "fr") -> list[str]:
    """What a budget includes and excludes, as the source words them: 'comprend …', 'hors …'.

    The one wording of a scope: cards, the reading, tables and notes join these parts.
    """
    parts = []
    if scope.includes:
        parts.append(t("scope.includes", lang, items=scope_items(scope.includes, lang)))
    if scope.excludes:
        parts.append(t("scope.excludes", lang, items=scope_items(scope.excludes, lang)))
    return parts


def scope_parts(scope: Scope, lang: str = "fr") -> str:
    """What a budget includes and excludes in one phrase, or that the source does not say."""
    return t("list.semicolon", lang).join(scope_wording(scope, lang)) or t("scope.not_stated",
                                                                             lang)


def period_text(scope: Scope, lang: str = "fr") -> str:
    """'annuel', or that the source does not say."""
    return t("scope.annual" if scope.period == "annual" else "scope.period_not_stated", lang)


def scope_text(scope: Scope | None, lang: str = "fr") -> str:
    """A budget's scope in one line."""
    if scope is None:
        return ""
    nature = registry.BUDGET_NATURES[scope.nature][lang]
    return t("scope.line", lang, parts=scope_parts(scope, lang), nature=nature,
             period=period_text(scope, lang))


def comparability_text(code: Code, names: Mapping[str, str] | None = None,
                       lang: str = "fr") -> str:
    """One comparability finding as a sentence, territories by their names."""
    names = names or {}

    def name(territory: str) -> str:
        return names.get(territory, territory)

    semicolon = t("list.semicolon", lang)
    if code.code == "year_unknown":
        return t("comparability.year_unknown", lang,
                 names=", ".join(name(x) for x in code["territories"]))
    if code.code == "different_years":
        return t("comparability.different_years", lang,
                 years=", ".join(str(y) for y in code["years"]))
    if code.code == "different_bases":
        worded = ", ".join(t("comparability.pair", lang, name=name(x), text=registry.BASES[b][lang])
                           for x, b in code["bases"])
        return t("comparability.different_bases", lang, pairs=worded)
    if code.code == "different_scopes":
        parts = semicolon.join(t("comparability.pair", lang, name=name(x),
                                 text=scope_parts(s, lang)) for x, s in code["scopes"])
        return t("comparability.different_scopes", lang, pairs=parts)
    if code.code == "not_exact":
        loose = ", ".join(t("comparability.loose", lang, name=name(x),
                            qualifier=registry.QUALIFIERS[q][lang]) for x, q in code["qualifiers"])
        return t("comparability.not_exact", lang, values=loose)
    if code.code == "geography_as_worded":
        worded = semicolon.join(t("comparability.worded", lang, name=name(x), words=w)
                                for x, w in code["worded"])
        return t("comparability.geography_as_worded", lang, pairs=worded)
    raise ValueError(f"unknown comparability code: {code.code}")


def when_label(value: Value, dataset: Dataset | None = None, lang: str = "fr") -> str:
    """When a value holds, the one way every card, table and chart writes it: '2019',
    '2016-2022', 'vers 2016', '2020 au plus tard', or what is known of an undated figure."""
    from essbench.text.citations import year_text
    from essbench.values.judgement import when_of

    if dataset is not None:
        return year_text(dataset, value, lang)
    when = when_of(value, dataset)
    if when.known:
        text = str(when.start) if when.kind == "year" else f"{when.start}-{when.end}"
        return t("evolution.period.about", lang, year=text) if when.about else text
    if when.bound is not None:
        return t("evolution.period.at_latest", lang, year=when.bound)
    return t("year.not_given", lang)


def lines_years(lines, lang: str = "fr") -> str:
    """The years of budget lines, '2023, 2024-2025'; a line whose year is unknown is said so
    in words, never as the code 'unknown'."""
    dated = [str(year) for year in lines.years if year != "unknown"]
    undated = [t("judgement.lines.undated", lang)] if len(dated) < len(lines.years) else []
    return ", ".join(dated + undated)


def lines_text(value: Value, lang: str = "fr") -> tuple[str, list[str]] | None:
    """Budget lines with no stated total: '3 lignes en 2023, pas de total publié', and each
    line with its nature, year and spread; our sum only labelled as ours."""
    from essbench.values.judgement import budget_lines

    lines = budget_lines(value)
    if lines is None:
        return None
    dated = any(year != "unknown" for year in lines.years)
    which = ("one" if lines.count == 1 else "value") + ("" if dated else "_undated")
    head = t(f"judgement.lines.{which}", lang, count=lines.count,
             years=lines_years(lines, lang))
    items = [t("judgement.lines.line", lang, value=formatted(line, lang),
               nature=registry.BUDGET_NATURES[line.scope.nature][lang],
               period=when_label(line, None, lang),
               spread=registry.BUDGET_PERIODS[line.scope.period][lang]) for line in lines.lines]
    total = lines.our_sum()
    if total is not None:
        items.append(t("judgement.lines.our_sum", lang,
                       value=format_value(total, "eur", lang)))
    return head, items

