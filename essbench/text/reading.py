"""A short reading of the main differences between territories, every number checked in code."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.evidence.numbers import ParsedNumber, find_numbers
from essbench.text.catalog import t
from essbench.text.citations import territory_name
from essbench.text.formats import number as format_number
from essbench.text.units import short_base
from essbench.text.values import formatted, lines_years, scope_wording
from essbench.values.yardsticks import same_base_yardsticks
from essbench.values.normalize import Value, scope_key

# English numbers as en_GB writes them: '48,390', '6.5%', '8.7 million euros', 'more than 13%'.
_EN_NUMBER = re.compile(
    # "about €1.88": English writes the euro sign between the qualifier and the number.
    r"(?P<qualifier>more than |less than |about )?(?:€)?(?P<sign>[+\-−])?"
    r"(?<![\w.,])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>%|\u00a0million)?")
_EN_QUALIFIERS = {"more than ": "at_least", "less than ": "at_most", "about ": "approximately"}


def english_numbers(text: str) -> list[ParsedNumber]:
    """Every number an English sentence of the reading writes, with its qualifier."""
    found = []
    for match in _EN_NUMBER.finditer(text):
        value = float(match["number"].replace(",", ""))
        value = -value if match["sign"] in ("-", "−") else value
        suffix = match["suffix"] or ""
        value = value / 100 if suffix == "%" else value * 1e6 if suffix else value
        conversion = "percent" if suffix == "%" else "millions" if suffix else "none"
        found.append(ParsedNumber(value, _EN_QUALIFIERS.get(match["qualifier"] or "", "exact"),
                                  conversion, match.group(0)))
    return found


class SentenceCheckFailed(Exception):
    """A generated sentence writes a number, an order or a comparison its values do not allow.

    Raised, never asserted: the check holds under `python -O` too, and the page fails naming
    the sentence rather than printing it.
    """


def check(condition: bool, message: str) -> None:
    """Raise SentenceCheckFailed with `message` unless `condition` holds."""
    if not condition:
        raise SentenceCheckFailed(message)


def _ordered(low: Value, high: Value, values: Sequence[Value]) -> None:
    check(all(low.value <= v.value <= high.value for v in values),
          f"{low.indicator}: the range from {low.territory} to {high.territory} does not hold "
          f"every value ({', '.join(f'{v.territory}={v.value}' for v in values)})")


class Sentence:
    """A sentence built from words and cited values, which checks its numbers when finished."""

    def __init__(self, lang: str = "fr") -> None:
        self.lang = lang
        self.parts: list[str] = []
        self.expected: list[tuple[float, str | None]] = []  # value, qualifier (None: any)

    def _numbers(self, text: str) -> list[ParsedNumber]:
        return find_numbers(text) if self.lang == "fr" else english_numbers(text)

    def text(self, words: str) -> Sentence:
        """Words; numbers inside come from the data as written (names, scopes)."""
        self.parts.append(words)
        self.expected += [(n.value, None) for n in self._numbers(words)]
        return self

    def say(self, key: str, **params: object) -> Sentence:
        """Words from the catalog, in the sentence's language."""
        return self.text(t(key, self.lang, **params))

    def value(self, value: Value) -> Sentence:
        """A known value as officials read it ('plus de 13 %')."""
        check(value.known, f"{value.indicator} of {value.territory} is unknown: no number to write")
        self.parts.append(formatted(value, self.lang))
        self.expected.append((value.value, value.qualifier))
        return self

    def count(self, number: int, words: str = "") -> Sentence:
        """A count computed here, with the words after it."""
        self.parts.append(format_number(number, lang=self.lang) + (f" {words}" if words else ""))
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
        for parsed in self._numbers(sentence):
            check(any(_matches(parsed, value, qualifier, self.lang)
                      for value, qualifier in self.expected),
                  f"« {parsed.text} » in the reading matches no cited value: {sentence}")
        return sentence


_SCALE = {"percent": 0.01, "thousands": 1e3, "millions": 1e6, "milliards": 1e9}


def _resolution(parsed: ParsedNumber, lang: str) -> float:
    """Half the last digit written, in the value's unit: '63' 0,5; '1,2 million' 50 000."""
    decimal = "," if lang == "fr" else "."
    digits = re.search(rf"\d[\d\s\u00a0\u202f,.]*", parsed.text)
    written = digits.group(0).rstrip(" ,.\u00a0\u202f") if digits else ""
    decimals = len(written.rsplit(decimal, 1)[1]) if decimal in written else 0
    return 0.5 * 10.0 ** -decimals * _SCALE.get(parsed.conversion, 1.0)


def _matches(parsed: ParsedNumber, value: float, qualifier: str | None, lang: str) -> bool:
    # A written number is the value rounded for reading (63 € for 63,4; 5,93 € for 5,9306).
    close = (math.isclose(parsed.value, value, rel_tol=0.006, abs_tol=0.0051)
             or abs(parsed.value - value) <= _resolution(parsed, lang) * 1.0001)
    return close and (qualifier is None or parsed.qualifier == qualifier)


def _scope(scope, lang: str) -> str:
    parts = scope_wording(scope, lang)
    parts.append(t("scope.annual" if scope.period == "annual" else "reading.no_period", lang))
    return t("list.semicolon", lang).join(parts)


def _names(dataset: Dataset, territories: Sequence[str], lang: str) -> str:
    names = [territory_name(dataset, tid) for tid in territories]
    if len(names) == 1:
        return names[0]
    return t("reading.and", lang, first=", ".join(names[:-1]), last=names[-1])


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
    s = Sentence(lang)
    if len(known) == 1:
        only = known[0]
        s.say("reading.share.only", name=territory_name(dataset, only.territory)).value(only).say(
            "reading.share.base", base=short_base(only, lang))
    else:
        low, high = known[0], known[-1]
        _ordered(low, high, known)
        s.say("reading.share.from").value(low).say(
            "reading.share.low", name=territory_name(dataset, low.territory),
            base=short_base(low, lang)).value(high).say(
            "reading.share.high", name=territory_name(dataset, high.territory),
            base=short_base(high, lang))
        bases = {v.base for v in known}
        if len(bases) > 1:
            s.say("reading.share.bases_differ")
        words = [t(f"reading.share.word.{q}", lang) for q in ("at_least", "at_most", "approximately")
                 if any(v.qualifier == q for v in known)]
        if words:
            s.say("reading.share.not_exact.one" if len(words) == 1 else
                  "reading.share.not_exact.other", words=t("reading.and_words", lang).join(words))
    if unknown:
        s.say("reading.share.unknown_for", names=_names(dataset, unknown, lang))
    return s.done()


def yardstick_sentences(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                        territories: Sequence[str], lang: str = "fr") -> list[str]:
    """Each territory's share of jobs set against France or its région, same base only.

    'Supérieure' or 'inférieure' only where the judgement allows it (a gap larger than both
    figures' precision); otherwise 'du même ordre' and why. Different years are always given.
    """
    from essbench.values.judgement import order, when_of

    sentences = []
    for tid in territories:
        value = values[tid]["ess_employment_share"]
        for ref in same_base_yardsticks(dataset, value):
            judged = order(value, ref, dataset)
            if judged.order == "none":
                continue
            s = Sentence(lang).say("reading.yardstick.share_of",
                                   name=territory_name(dataset, tid)).value(value)
            area = (t("reading.yardstick.national", lang) if ref.territory == "france" else
                    t("reading.yardstick.regional", lang,
                      name=territory_name(dataset, ref.territory)))
            verdict = (t(f"judgement.{judged.order}", lang)
                       if judged.order in ("same_order", "beside")
                       else t(f"reading.yardstick.{judged.order}", lang))
            s.say("reading.yardstick.verdict", base=short_base(value, lang),
                  verdict=verdict, area=area).value(ref).text(")")
            mine, theirs = when_of(value, dataset), when_of(ref, dataset)
            if mine.known and theirs.known and not mine.same(theirs):
                s.say("judgement.years_apart", first=_when_text(mine, lang),
                      second=_when_text(theirs, lang))
            elif ref.source != value.source and not mine.same(theirs):
                s.say("reading.yardstick.other_source")
            if judged.order in ("same_order", "beside") and judged.reasons:
                s.text(" (" + t("list.semicolon", lang).join(
                    _why(code, lang) for code in judged.reasons) + ")")
            sentences.append(s.done())
    return sentences


def _when_text(when, lang: str) -> str:
    from essbench.evidence.profiles import Period
    from essbench.text.dates import period_label

    return period_label(Period(start=when.start, end=when.end, about=when.about), lang)


def _why(code, lang: str) -> str:
    if code.code == "period_gap":
        return t("judgement.why.period_gap_one" if code["gap"] == 1 else
                 "judgement.why.period_gap", lang, gap=code["gap"])
    return t(f"judgement.why.{code.code}", lang)


def employees_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                       territories: Sequence[str], lang: str = "fr") -> str | None:
    """ESS jobs in number and per 1,000 inhabitants, and who is unknown."""
    known, unknown = _split(values, territories, "ess_employees")
    if len(known) < 2:
        return None
    low, high = known[0], known[-1]
    _ordered(low, high, known)
    s = Sentence(lang).say("reading.employees.from").value(low).say(
        "reading.range.low", name=territory_name(dataset, low.territory)).value(high).say(
        "reading.range.high", name=territory_name(dataset, high.territory))
    ratios, _ = _split(values, territories, "ess_employees_per_1000_inhabitants")
    if len(ratios) >= 2:
        rlow, rhigh = ratios[0], ratios[-1]
        _ordered(rlow, rhigh, ratios)
        s.say("reading.employees.per_inhabitant").value(rlow).say(
            "reading.range.low", name=territory_name(dataset, rlow.territory)).value(rhigh).say(
            "reading.employees.per_1000", name=territory_name(dataset, rhigh.territory))
    uncertain = [v for v in known if v.geography_as_worded]
    if uncertain:
        s.say("reading.employees.uncertain",
              names=_names(dataset, [v.territory for v in uncertain], lang))
    if unknown:
        s.say("reading.employees.unknown_for", names=_names(dataset, unknown, lang))
    return s.done()


def budget_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                    territories: Sequence[str], lang: str = "fr") -> str | None:
    """Known ESS budgets, each with its scope, and a warning that scopes differ."""
    from essbench.values.judgement import budget_lines

    known, unknown = _split(values, territories, "ess_budget_eur")
    # Lines without a published total are held, never "unknown": said as lines.
    with_lines = [tid for tid in unknown if budget_lines(values[tid]["ess_budget_eur"])]
    unknown = [tid for tid in unknown if tid not in with_lines]
    if not known and not with_lines:
        return None
    s = Sentence(lang).say("reading.budget.known" if known else "reading.budget.lines_only")
    for index, value in enumerate(known):
        if index:
            s.say("list.semicolon")
        s.value(value).say("reading.budget.for", name=territory_name(dataset, value.territory))
        if value.year != "unknown":
            s.say("reading.budget.in").year(int(value.year))
        if value.scope is not None:
            s.text(f" ({_scope(value.scope, lang)})")
    scopes = {scope_key(v.scope) for v in known if v.scope is not None}
    if len(scopes) > 1:
        s.say("reading.budget.scopes_differ")
    for tid in with_lines:
        lines = budget_lines(values[tid]["ess_budget_eur"])
        word = "reading.budget.lines_word" + ("_one" if lines.count == 1 else "")
        s.say("reading.budget.lines_for", name=territory_name(dataset, tid)).count(
            lines.count, t(word, lang)).say(
            "reading.budget.lines_years", years=lines_years(lines, lang))
    if unknown:
        s.say("reading.budget.unknown_for", names=_names(dataset, unknown, lang))
        wages = [tid for tid in unknown if values[tid]["ess_gross_wages_eur"].known]
        if wages:
            s.say("reading.budget.wages", names=_names(dataset, wages, lang))
    return s.done()


def budget_per_inhabitant_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                                   territories: Sequence[str], lang: str = "fr") -> str | None:
    """Budget per inhabitant range, with the same scope warning."""
    indicator = "ess_budget_per_inhabitant_eur"
    known, _ = _split(values, territories, indicator)
    if len(known) < 2:
        return None
    low, high = known[0], known[-1]
    _ordered(low, high, known)
    s = Sentence(lang).say("reading.per_inhabitant.from").value(low).say(
        "reading.range.low", name=territory_name(dataset, low.territory)).value(high).say(
        "reading.range.high", name=territory_name(dataset, high.territory))
    budgets = [values[v.territory]["ess_budget_eur"] for v in known]
    periods = {b.scope.period for b in budgets if b.scope is not None}
    scopes = {scope_key(b.scope) for b in budgets if b.scope is not None}
    if len(scopes) > 1:
        s.say("reading.per_inhabitant.scopes_differ")
    if len(periods) > 1:
        undated = [b.territory for b in budgets if b.scope and b.scope.period != "annual"]
        s.say("reading.per_inhabitant.period_unknown", names=_names(dataset, undated, lang))
    return s.done()


def staff_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                   territories: Sequence[str], lang: str = "fr") -> str | None:
    """Who states the staff of its ESS policy."""
    known = [values[tid]["ess_staff"] for tid in territories if values[tid]["ess_staff"].known]
    unknown = [tid for tid in territories if not values[tid]["ess_staff"].known]
    if not known:
        return Sentence(lang).say("reading.staff.none").done()
    s = Sentence(lang).say("reading.staff.known")
    for index, value in enumerate(known):
        if index:
            s.say("list.semicolon")
        s.value(value).say("reading.staff.persons.other" if value.value > 1 else
                           "reading.staff.persons.one",
                           name=territory_name(dataset, value.territory))
    if unknown:
        s.say("reading.employees.unknown_for", names=_names(dataset, unknown, lang))
    return s.done()


def start_year_sentence(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
                        territories: Sequence[str], lang: str = "fr") -> str | None:
    """Since when each territory runs an ESS policy, oldest first."""
    known, unknown = _split(values, territories, "policy_start_year")
    if not known:
        return None
    check(all(a.value <= b.value for a, b in zip(known, known[1:], strict=False)),
          f"start years not oldest first: {[(v.territory, v.value) for v in known]}")
    s = Sentence(lang)
    for index, value in enumerate(known):
        s.text(t("list.semicolon", lang) if index else "").say(
            "reading.start.since", name=territory_name(dataset, value.territory)).year(
            int(value.value))
        if value.qualifier == "at_most":  # "au plus tard en 2011": the policy may be older
            s.say("reading.start.at_latest")
    if unknown:
        s.say("reading.start.unknown_for", names=_names(dataset, unknown, lang))
    return s.done()


def change_sentence(dataset: Dataset, values: Sequence[Value], lang: str = "fr") -> str:
    """'Montant annuel de l'appel à projets ESS : de 25 000 € en 2019 à 60 000 € en 2024.'"""
    from essbench.text.dates import period_label

    first, last = values[0], values[-1]
    s = Sentence(lang).say("evolution.change",
                           indicator=registry.indicator_label(first.indicator, lang))
    for index, value in enumerate((first, last)):
        s.text(t("evolution.change_to", lang) if index else "").value(value)
        # "en 2019", but "(vers 2007)", "(2016-2022)": the label's years are cited years.
        label = period_label(value.period, lang)
        if value.period is not None and value.period.kind == "year" and not value.period.about:
            s.say("evolution.change_in").text(label)
        else:
            s.text(f" ({label})")
    from essbench.values.judgement import series_changes

    for index, reasons in series_changes(values):
        s.say("judgement.series.change", year=period_label(values[index].period, lang),
              reasons=t("list.semicolon", lang).join(series_reason(code, lang)
                                                      for code in reasons))
    return s.done()


def series_reason(code, lang: str) -> str:
    """One change inside a series, in words: 'enveloppe annoncée puis montant attribué'."""
    if code.code == "measure":
        return t("judgement.series.measure", lang,
                 before=t(f"judgement.series.measures.{code['before'] or 'none'}", lang),
                 after=t(f"judgement.series.measures.{code['after'] or 'none'}", lang))
    return t(f"judgement.reason.{code.code}", lang)


def levers_sentence(dataset: Dataset, territories: Sequence[str], lang: str = "fr") -> str | None:
    """Levers the evidence shows done, shared by all or of one territory only; planned, ended
    or unstated ones named apart and never counted; levers a source rules out."""
    from essbench.values.judgement import lever_statuses

    if len(territories) < 2:
        return None
    statuses = {tid: lever_statuses(dataset, tid) for tid in territories}
    used = {tid: {k for k, v in statuses[tid].items() if v == "done"} for tid in territories}
    common = set.intersection(*used.values())
    s = Sentence(lang).say("reading.levers.documented").count(len(registry.LEVERS)).say(
        "reading.colon")
    for index, tid in enumerate(territories):
        check(used[tid] <= set(registry.LEVERS),
              f"{tid}: levers outside the registry: {sorted(used[tid] - set(registry.LEVERS))}")
        s.text(", " if index else "").text(f"{territory_name(dataset, tid)} ").count(len(used[tid]))
    if common:
        labels = [registry.label(registry.LEVERS, k, lang).lower() for k in registry.LEVERS
                  if k in common]
        s.say("reading.levers.common", labels=", ".join(labels))
    singles = []
    for tid in territories:
        only = [k for k in registry.LEVERS
                if k in used[tid] and not any(k in used[o] for o in territories if o != tid)]
        if only:
            labels = ", ".join(registry.label(registry.LEVERS, k, lang).lower() for k in only)
            singles.append(t("reading.levers.single", lang, labels=labels,
                             name=territory_name(dataset, tid)))
    if singles:
        s.say("reading.levers.singles", items=t("list.semicolon", lang).join(singles))
    others = []
    for tid in territories:
        rest = [(k, v) for k, v in statuses[tid].items() if v not in ("done", "excluded")]
        if rest:
            others.append(t("reading.levers.single", lang, name=territory_name(dataset, tid),
                            labels=", ".join(
                                f"{registry.label(registry.LEVERS, k, lang).lower()} "
                                f"({t(f'judgement.status.{v}', lang)})" for k, v in rest)))
    if others:
        s.say("judgement.levers_other", items=t("list.semicolon", lang).join(others))
    excluded = [(tid, m) for tid in territories for m in dataset.profiles[tid].levers_excluded]
    for tid, mapping in excluded:
        s.say("reading.levers.excluded", name=territory_name(dataset, tid),
              lever=registry.label(registry.LEVERS, mapping.lever, lang).lower(),
              quote=mapping.quote.strip("() "))
    s.say("reading.levers.not_absent")
    return s.done()


def themes_sentence(dataset: Dataset, territories: Sequence[str], lang: str = "fr") -> str | None:
    """Who states thematic priorities, and whose themes come only from actions or projects."""
    stated = {tid: [m for m in dataset.profiles[tid].themes if m.basis == "stated_priority"]
              for tid in territories}
    with_priorities = [tid for tid in territories if stated[tid]]
    others = [tid for tid in territories if not stated[tid] and dataset.profiles[tid].themes]
    silent = [tid for tid in territories if not dataset.profiles[tid].themes]
    s = Sentence(lang)
    if with_priorities:
        for index, tid in enumerate(with_priorities):
            labels = ", ".join(dict.fromkeys(registry.label(registry.THEMES, m.theme, lang).lower()
                                             for m in stated[tid]))
            count = len({m.theme for m in stated[tid]})
            s.text(t("list.semicolon", lang) if index else t("reading.themes.stated", lang)).text(
                f"{territory_name(dataset, tid)} (").count(
                count, t("reading.themes.word.one" if count == 1 else "reading.themes.word.other",
                         lang)).say("reading.themes.labels", labels=labels)
    else:
        s.say("reading.themes.none_stated")
    if others:
        s.say("reading.themes.only_actions", names=_names(dataset, others, lang))
    if silent:
        s.say("reading.themes.silent", names=_names(dataset, silent, lang))
    return s.done()


def lecture(dataset: Dataset, values: Mapping[str, Mapping[str, Value]],
            territories: Sequence[str], lang: str = "fr") -> list[str]:
    """The reading, sentence by sentence; each sentence has checked its own numbers."""
    from essbench.text.comparability import authority_note

    sentences: list[str | None] = [
        authority_note(dataset, list(territories), lang),
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
