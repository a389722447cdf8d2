"""A short reading of the main differences between territories, every number checked in code."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.text.citations import territory_name
from essbench.text.units import short_base
from essbench.text.yardsticks import same_base_yardsticks
from essbench.values.normalize import Value
from essbench.text.values import formatted
from essbench.evidence.numbers import find_numbers
from essbench.text.formats import number as format_number


class Sentence:
    """A sentence built from words and cited values, which checks its numbers when finished."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.expected: list[tuple[float, str | None]] = []  # value, qualifier (None: any)

    def text(self, words: str) -> Sentence:
        """Words; numbers inside come from the data as written (names, scopes)."""
        self.parts.append(words)
        self.expected += [(n.value, None) for n in find_numbers(words)]
        return self

    def value(self, value: Value) -> Sentence:
        """A known value as officials read it ('plus de 13 %')."""
        assert value.known, f"{value.indicator} of {value.territory} is unknown"
        self.parts.append(formatted(value))
        self.expected.append((value.value, value.qualifier))
        return self

    def count(self, number: int, words: str = "") -> Sentence:
        """A count computed here, with the words after it."""
        self.parts.append(format_number(number) + (f" {words}" if words else ""))
        self.expected.append((float(number), "exact"))
        return self

    def year(self, year: int) -> Sentence:
        """A year."""
        self.parts.append(str(year))
        self.expected.append((float(year), "exact"))
        return self

    def done(self) -> str:
        """The sentence, once every number it writes is one it was given."""
        sentence = "".join(self.parts).strip()
        sentence = sentence[0].upper() + sentence[1:]
        if not sentence.endswith("."):
            sentence += "."
        for parsed in find_numbers(sentence):
            assert any(_matches(parsed.value, parsed.qualifier, value, qualifier)
                       for value, qualifier in self.expected), (
                f"« {parsed.text} » in the reading matches no cited value: {sentence}")
        return sentence


def _matches(parsed: float, parsed_qualifier: str, value: float, qualifier: str | None) -> bool:
    # A written number is rounded for reading (5,93 € for 5,9306): within that rounding.
    close = math.isclose(parsed, value, rel_tol=0.006, abs_tol=0.0051)
    return close and (qualifier is None or parsed_qualifier == qualifier)


def _scope(scope) -> str:
    parts = []
    if scope.includes:
        parts.append("comprend " + ", ".join(scope.includes))
    if scope.excludes:
        parts.append("hors " + ", ".join(scope.excludes))
    parts.append("annuel" if scope.period == "annual" else "sans période précisée")
    return " ; ".join(parts)


def _names(dataset: Dataset, territories: Sequence[str]) -> str:
    names = [territory_name(dataset, tid) for tid in territories]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def _split(values: Mapping[str, Mapping[str, Value]], territories: Sequence[str],
           indicator: str) -> tuple[list[Value], list[str]]:
    """Known values of an indicator, smallest first, and the territories where it is unknown."""
    known = sorted((values[tid][indicator] for tid in territories if values[tid][indicator].known),
                   key=lambda v: v.value)
    return known, [tid for tid in territories if not values[tid][indicator].known]


def employment_share_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                              territories: Sequence[str], lang: str = "fr") -> str | None:
    """Range of the ESS share of jobs, saying when bases differ, and who is unknown."""
    indicator = "ess_employment_share"
    known, unknown = _split(values, territories, indicator)
    if not known:
        return None
    s = Sentence()
    if len(known) == 1:
        only = known[0]
        s.text(f"La part de l'ESS dans l'emploi n'est connue que pour "
               f"{territory_name(dataset, only.territory)} : ").value(only).text(
            f" ({short_base(only, lang)})")
    else:
        low, high = known[0], known[-1]
        assert low.value <= high.value and all(low.value <= v.value <= high.value for v in known)
        s.text("La part de l'ESS dans l'emploi va de ").value(low).text(
            f" ({territory_name(dataset, low.territory)}, {short_base(low, lang)}) à ").value(
            high).text(f" ({territory_name(dataset, high.territory)}, {short_base(high, lang)})")
        bases = {v.base for v in known}
        if len(bases) > 1:
            s.text(" ; les bases diffèrent (emploi salarié ou ensemble des emplois) : l'écart "
                   "n'est qu'indicatif")
        words = [w for q, w in (("at_least", "« plus de »"), ("at_most", "« moins de »"),
                                ("approximately", "« environ »")) if any(v.qualifier == q
                                                                       for v in known)]
        if words:
            s.text(f" ; {' et '.join(words)} "
                   f"marque{'nt' if len(words) > 1 else ''} une valeur non exacte")
    if unknown:
        s.text(f" ; elle est inconnue pour : {_names(dataset, unknown)}")
    return s.done()


def yardstick_sentences(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                        territories: Sequence[str], lang: str = "fr") -> list[str]:
    """Each territory's share of jobs set against France or its région, same base only."""
    sentences = []
    for tid in territories:
        value = values[tid]["ess_employment_share"]
        for ref in same_base_yardsticks(dataset, value):
            verdict = _compare(value, ref)
            if verdict is None:
                continue
            s = Sentence().text(f"{territory_name(dataset, tid)} : part de l'ESS de ").value(value)
            area = ("nationale" if ref.territory == "france" else
                    f"régionale ({territory_name(dataset, ref.territory)})")
            s.text(f" ({short_base(value, lang)}), {verdict} la part {area} de même base (").value(
                ref).text(")")
            if ref.source != value.source:
                s.text(", chiffre d'une autre source et peut-être d'une autre année")
            sentences.append(s.done())
    return sentences


def _compare(value: Value, ref: Value) -> str | None:
    """'supérieure à', 'inférieure à', 'du même ordre que', only as far as bounds allow."""
    assert value.base == ref.base, "never compare shares of different bases"
    loose = {value.qualifier, ref.qualifier} - {"exact"}
    # Approximate figures are read to a point of percentage; closer than that is a tie.
    margin = 0.01 if "approximately" in loose else 0.0
    above = value.qualifier != "at_most" and ref.qualifier != "at_least"
    below = value.qualifier != "at_least" and ref.qualifier != "at_most"
    if above and value.value > ref.value + margin:
        assert value.value > ref.value
        return "supérieure à"
    if below and value.value < ref.value - margin:
        assert value.value < ref.value
        return "inférieure à"
    if abs(value.value - ref.value) <= max(margin, 1e-9):
        return "du même ordre que"
    return None


def employees_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                       territories: Sequence[str], lang: str = "fr") -> str | None:
    """ESS jobs in number and per 1,000 inhabitants, and who is unknown."""
    known, unknown = _split(values, territories, "ess_employees")
    if len(known) < 2:
        return None
    low, high = known[0], known[-1]
    assert all(low.value <= v.value <= high.value for v in known)
    s = Sentence().text("Les emplois de l'ESS vont de ").value(low).text(
        f" ({territory_name(dataset, low.territory)}) à ").value(high).text(
        f" ({territory_name(dataset, high.territory)})")
    ratios, _ = _split(values, territories, "ess_employees_per_1000_inhabitants")
    if len(ratios) >= 2:
        rlow, rhigh = ratios[0], ratios[-1]
        assert all(rlow.value <= v.value <= rhigh.value for v in ratios)
        s.text(" ; rapportés à la population, de ").value(rlow).text(
            f" ({territory_name(dataset, rlow.territory)}) à ").value(rhigh).text(
            f" ({territory_name(dataset, rhigh.territory)}) pour 1 000 habitants")
    uncertain = [v for v in known if v.geography_as_worded]
    if uncertain:
        s.text(f" ; le chiffre de {_names(dataset, [v.territory for v in uncertain])} porte sur un "
               "périmètre que la source ne précise pas")
    if unknown:
        s.text(f" ; inconnus pour : {_names(dataset, unknown)}")
    return s.done()


def budget_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                    territories: Sequence[str], lang: str = "fr") -> str | None:
    """Known ESS budgets, each with its scope, and a warning that scopes differ."""
    known, unknown = _split(values, territories, "ess_budget_eur")
    if not known:
        return None
    s = Sentence().text("Budgets ESS connus : ")
    for index, value in enumerate(known):
        if index:
            s.text(" ; ")
        s.value(value).text(f" pour {territory_name(dataset, value.territory)}")
        if value.year != "unknown":
            s.text(" en ").year(int(value.year))
        if value.scope is not None:
            s.text(f" ({_scope(value.scope)})")
    scopes = {(v.scope.nature, v.scope.period, tuple(v.scope.includes), tuple(v.scope.excludes))
              for v in known if v.scope is not None}
    if len(scopes) > 1:
        s.text(". Ces périmètres diffèrent : ces montants ne se comparent pas tels quels")
    if unknown:
        s.text(f". Le budget ESS est inconnu pour : {_names(dataset, unknown)}")
        wages = [tid for tid in unknown if values[tid]["ess_gross_wages_eur"].known]
        if wages:
            s.text(f" (la masse salariale de l'ESS citée pour {_names(dataset, wages)} n'est pas "
                   "un budget)")
    return s.done()


def budget_per_inhabitant_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                                   territories: Sequence[str], lang: str = "fr") -> str | None:
    """Budget per inhabitant range, with the same scope warning."""
    indicator = "ess_budget_per_inhabitant_eur"
    known, _ = _split(values, territories, indicator)
    if len(known) < 2:
        return None
    low, high = known[0], known[-1]
    assert all(low.value <= v.value <= high.value for v in known)
    s = Sentence().text("Par habitant, le budget ESS va de ").value(low).text(
        f" ({territory_name(dataset, low.territory)}) à ").value(high).text(
        f" ({territory_name(dataset, high.territory)})")
    budgets = [values[v.territory]["ess_budget_eur"] for v in known]
    periods = {b.scope.period for b in budgets if b.scope is not None}
    scopes = {(b.scope.nature, b.scope.period, tuple(b.scope.includes), tuple(b.scope.excludes))
              for b in budgets if b.scope is not None}
    if len(scopes) > 1:
        s.text(", mais sur des périmètres budgétaires différents")
    if len(periods) > 1:
        undated = [b.territory for b in budgets if b.scope and b.scope.period != "annual"]
        s.text(f" et sans savoir si le montant de {_names(dataset, undated)} est annuel")
    return s.done()


def staff_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                   territories: Sequence[str], lang: str = "fr") -> str | None:
    """Who states the staff of its ESS policy."""
    known = [values[tid]["ess_staff"] for tid in territories if values[tid]["ess_staff"].known]
    unknown = [tid for tid in territories if not values[tid]["ess_staff"].known]
    if not known:
        return Sentence().text("Aucune source n'indique les effectifs dédiés à l'ESS").done()
    s = Sentence().text("Effectifs dédiés à l'ESS : ")
    for index, value in enumerate(known):
        if index:
            s.text(" ; ")
        s.value(value).text(f" personne{'s' if value.value > 1 else ''} à "
                            f"{territory_name(dataset, value.territory)}")
    if unknown:
        s.text(f" ; inconnus pour : {_names(dataset, unknown)}")
    return s.done()


def start_year_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                        territories: Sequence[str], lang: str = "fr") -> str | None:
    """Since when each territory runs an ESS policy, oldest first."""
    known, unknown = _split(values, territories, "policy_start_year")
    if not known:
        return None
    assert all(a.value <= b.value for a, b in zip(known, known[1:], strict=False))
    s = Sentence()
    for index, value in enumerate(known):
        s.text(" ; " if index else "").text(
            f"{territory_name(dataset, value.territory)} mène une politique ESS depuis ").year(
            int(value.value))
    if unknown:
        s.text(f" ; l'année de début est inconnue pour : {_names(dataset, unknown)}")
    return s.done()


def levers_sentence(dataset: Dataset, territories: Sequence[str], lang: str = "fr") -> str | None:
    """Levers shared by all, levers of one territory only, and levers a source rules out."""
    if len(territories) < 2:
        return None
    used = {tid: {m.lever for m in dataset.profiles[tid].levers} for tid in territories}
    common = set.intersection(*used.values())
    s = Sentence().text("Leviers documentés, sur ").count(len(registry.LEVERS)).text(" : ")
    for index, tid in enumerate(territories):
        assert used[tid] <= set(registry.LEVERS)
        s.text(", " if index else "").text(f"{territory_name(dataset, tid)} ").count(len(used[tid]))
    if common:
        labels = [registry.label(registry.LEVERS, k, lang).lower() for k in registry.LEVERS
                  if k in common]
        s.text(f" ; communs à tous : {', '.join(labels)}")
    singles = []
    for tid in territories:
        only = [k for k in registry.LEVERS
                if k in used[tid] and not any(k in used[o] for o in territories if o != tid)]
        if only:
            labels = ", ".join(registry.label(registry.LEVERS, k, lang).lower() for k in only)
            singles.append(f"{labels} pour {territory_name(dataset, tid)}")
    if singles:
        s.text(" ; propres à un seul territoire : " + " ; ".join(singles))
    excluded = [(tid, m) for tid in territories for m in dataset.profiles[tid].levers_excluded]
    for tid, mapping in excluded:
        s.text(f" ; {territory_name(dataset, tid)} écarte explicitement « "
               f"{registry.label(registry.LEVERS, mapping.lever, lang).lower()} » "
               f"(« {mapping.quote.strip('() ')} »)")
    s.text(". Un levier non documenté n'est pas pour autant absent")
    return s.done()


def themes_sentence(dataset: Dataset, territories: Sequence[str], lang: str = "fr") -> str | None:
    """Who states thematic priorities, and whose themes come only from actions or projects."""
    stated = {tid: [m for m in dataset.profiles[tid].themes if m.basis == "stated_priority"]
              for tid in territories}
    with_priorities = [tid for tid in territories if stated[tid]]
    others = [tid for tid in territories if not stated[tid] and dataset.profiles[tid].themes]
    silent = [tid for tid in territories if not dataset.profiles[tid].themes]
    s = Sentence()
    if with_priorities:
        for index, tid in enumerate(with_priorities):
            labels = ", ".join(dict.fromkeys(registry.label(registry.THEMES, m.theme, lang).lower()
                                             for m in stated[tid]))
            s.text(" ; " if index else "Priorités thématiques affichées : ").text(
                f"{territory_name(dataset, tid)} (").count(
                len({m.theme for m in stated[tid]}),
                "thème" if len({m.theme for m in stated[tid]}) == 1 else "thèmes").text(
                f" : {labels})")
    else:
        s.text("Aucun territoire n'affiche de priorité thématique")
    if others:
        s.text(f" ; pour {_names(dataset, others)}, les thèmes ne viennent que d'actions ou de "
               "projets soutenus")
    if silent:
        s.text(f" ; aucun thème documenté pour : {_names(dataset, silent)}")
    return s.done()


def lecture(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
            territories: Sequence[str], lang: str = "fr") -> list[str]:
    """The reading, sentence by sentence; each sentence has checked its own numbers."""
    sentences: list[str | None] = [
        employment_share_sentence(dataset, values, territories, lang),
        *yardstick_sentences(dataset, values, territories, lang),
        employees_sentence(dataset, values, territories, lang),
        budget_sentence(dataset, values, territories, lang),
        budget_per_inhabitant_sentence(dataset, values, territories, lang),
        staff_sentence(dataset, values, territories, lang),
        start_year_sentence(dataset, values, territories, lang),
        levers_sentence(dataset, territories, lang),
        themes_sentence(dataset, territories, lang),
    ]
    return [s for s in sentences if s]
