"""The one judgement of what the evidence allows, as codes with no words in them.

For each value shown: why it heads (`Value.why`), its period (`When`: a year, a span, "about",
or no later than its source's date), its precision as written (`Precision`) and its evidence
kind (quoted, cited, computed). For values set side by side: a `Verdict` (comparable,
comparable_with_note, not_comparable) with reason codes, and whether one is above, below or of
the same order as another (`order`). Text turns the codes into words, figures into marks; no
card, sentence, table or chart decides these by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from essbench.evidence import registry
from essbench.evidence.dataset import Dataset
from essbench.values.normalize import Code, Value, scope_key, source_year  # noqa: F401

VERDICTS = ("comparable", "comparable_with_note", "not_comparable")
# Reasons that stop a comparison; the others only call for a note.
BLOCKING = ("base", "nature", "spread", "spread_unknown", "measure")
REASONS = ("base", "scope", "nature", "spread", "measure", "period_gap", "period_unknown",
           "perimeter_change", "authority_kind", "precision")
STATUSES = ("done", "planned", "ended", "unknown")


class NotComparable(ValueError):
    """Values the judgement refuses to rank: shares of different bases."""


# ---------------------------------------------------------------- period


@dataclass(frozen=True)
class When:
    """When a value holds: one year or a span, 'about' a year, or unknown and no later than
    `bound` (the figure's own bound, else its source's publication year).

    Examples
    --------
    >>> When(2016, 2016, about=True).kind, When(None, None, bound=2020).latest
    ('year', 2020.0)
    """

    start: int | None
    end: int | None
    about: bool = False
    bound: int | None = None  # for an unknown period: the figure is of this year or before

    @property
    def kind(self) -> str:
        if self.start is None:
            return "unknown"
        return "year" if self.start == self.end else "span"

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def latest(self) -> float:
        """The latest year the value can be of: its end, else its bound; -inf if neither."""
        if self.end is not None:
            return float(self.end)
        return float(self.bound) if self.bound is not None else float("-inf")

    def gap(self, other: When) -> int | None:
        """Years between two known periods (0 when they overlap); None when one is unknown."""
        if not (self.known and other.known):
            return None
        if self.end < other.start:
            return other.start - self.end
        if other.end < self.start:
            return self.start - other.end
        return 0

    def same(self, other: When) -> bool:
        """Both known, the same years, neither given only roughly."""
        return (self.known and other.known and (self.start, self.end) == (other.start, other.end)
                and not self.about and not other.about)


def when_of(value: Value, dataset: Dataset | None = None) -> When:
    """The typed period of a value; an undated one bounded by its own note or its source's date.

    A ratio holds over the union of its inputs' periods (see `inputs_when`).
    """
    period = value.period
    if value.derivation is not None and value.derivation.code == "ratio":
        # The population's vintage counts when the reference build gives it; unknown, it is a
        # caveat of its own, not a reason to lose the cited input's year.
        parts = [when_of(v, dataset) for v in (value.derivation["numerator"],
                                                value.derivation["denominator"])
                 if not (v.derivation is not None and v.derivation.code == "reference_perimeter"
                         and not isinstance(v.year, int))]
        known = [p for p in parts if p.known]
        if len(known) == len(parts):
            return When(min(p.start for p in known), max(p.end for p in known),
                        about=any(p.about for p in known))
        bounds = [p.end if p.known else p.bound for p in parts]
        return When(None, None, bound=max(bounds) if None not in bounds else None)
    if period is None:
        year = value.year
        return When(year, year) if isinstance(year, int) else When(None, None)
    if period.known:
        return When(period.start, period.end, about=period.about)
    bound = period.end if period.end is not None else source_year(dataset, value.source)
    return When(None, None, bound=bound)


def inputs_when(value: Value, dataset: Dataset | None = None) -> tuple[tuple[str, When], ...]:
    """A ratio's inputs, each with its own period: a ratio inherits every one of them."""
    if value.derivation is None or value.derivation.code != "ratio":
        return ()
    return tuple((v.indicator, when_of(v, dataset)) for v in (
        value.derivation["numerator"], value.derivation["denominator"]))


def bounded(value: Value, dataset: Dataset | None = None) -> int | None:
    """For an undated value: the year it is of at the latest, if its note or source gives one."""
    when = when_of(value, dataset)
    return None if when.known else when.bound


# ---------------------------------------------------------------- precision


@dataclass(frozen=True)
class Precision:
    """How precisely a value is written: decimals shown (in percent points for a share), half
    the last written digit in the value's unit, and whether it is a round figure."""

    decimals: int
    step: float
    round: bool

    @property
    def digits(self) -> int:
        return self.decimals


_DIGITS = re.compile(r"\d[\d\s\u00a0\u202f.,]*")
_SCALE = {"percent": 0.01, "thousands": 1e3, "millions": 1e6, "milliards": 1e9}


def precision_of(value: Value) -> Precision | None:
    """The precision the source writes the value with; None for a computed value.

    Examples
    --------
    >>> precision_of(Value("x", "ess_employment_share", 0.1108, as_written="11,08 %",
    ...                    conversion="percent"))
    Precision(decimals=2, step=5e-05, round=False)
    >>> precision_of(Value("x", "ess_employment_share", 0.1, as_written="10 %",
    ...                    conversion="percent")).round
    True
    """
    written = value.as_written
    if not written or value.derived:
        return None
    if value.conversion == "ratio":  # "1 emploi sur 10": a round figure, read to a point
        return Precision(0, 0.005 if value.unit == "share" else 0.5, True)
    match = _DIGITS.search(written)
    digits = match.group(0).strip().rstrip(".,").replace("\u00a0", " ").replace("\u202f", " ") \
        if match else ""
    # French decimal comma; a point followed by three digits groups thousands ("48.390").
    decimals = 0
    if "," in digits:
        decimals = len(digits.rsplit(",", 1)[1].strip())
    elif "." in digits and not re.search(r"\.\d{3}(\D|$)", digits):
        decimals = len(digits.rsplit(".", 1)[1].strip())
    scale = _SCALE.get(value.conversion, 1.0)
    step = 0.5 * 10.0 ** -decimals * scale
    integer = digits.replace(" ", "").split(",")[0].split(".")[0]
    round_figure = decimals == 0 and integer.isdigit() and int(integer) % 5 == 0
    return Precision(decimals, step, round_figure)


def step_of(value: Value) -> float:
    """Half the last written digit of a value, in its unit; a computed value is read to the
    precision of its display (a hundredth)."""
    found = precision_of(value)
    if found is not None:
        return found.step
    return 0.0005 if value.unit in ("share", "rate") else 0.005


def shown_decimals(value: Value) -> int | None:
    """The decimals to show a value with, as the source wrote it (11,08 % stays 11,08 %)."""
    found = precision_of(value)
    return None if found is None else found.decimals


# ---------------------------------------------------------------- evidence kind


def evidence_kind(value: Value) -> str:
    """'quoted' (checked in an archived document), 'cited' (a page cited) or 'computed'."""
    if value.derived and value.evidence is None:
        return "computed"
    if value.evidence is not None:
        return value.evidence
    return "quoted" if value.quote else "cited"


def annual(value: Value) -> bool:
    """A known amount its source says is annual: the only kind a per-inhabitant ratio of which
    may be set beside another's."""
    return value.known and value.scope is not None and value.scope.period == "annual"


def approximate(value: Value) -> bool:
    """Approximate by its qualifier only ('environ', 'plus de'), never by a curator's note."""
    return value.known and value.qualifier != "exact"


# ---------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    """Whether values set side by side compare, and the reasons (codes with parameters)."""

    verdict: str
    reasons: tuple[Code, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    @property
    def comparable(self) -> bool:
        return self.verdict != "not_comparable"


SCALE_KINDS = {
    # Who acts at which scale: a département holds social powers over a whole département; an
    # EPT or a community of communes acts for a few communes.
    "departement": "departement", "region": "region",
    "metropole": "intercommunal", "communaute_urbaine": "intercommunal",
    "communaute_agglomeration": "intercommunal", "communaute_communes": "intercommunal",
    "etablissement_public_territorial": "ept",
}


def authority_kinds(dataset: Dataset, territories: Iterable[str]) -> tuple[str, ...]:
    """The kinds of the authorities, in first-seen order; only the territories' own profiles."""
    kinds = [dataset.profiles[t].kind for t in territories if t in dataset.profiles]
    return tuple(dict.fromkeys(kinds))


def _spread(value: Value) -> str | None:
    return value.scope.period if value.scope is not None else None


def verdict(values: Sequence[Value], dataset: Dataset | None = None) -> Verdict:
    """The judgement on known values of one indicator set side by side.

    Reasons: base (shares of different bases), nature and spread (budgets of other natures or
    spans: not comparable), measure (an envelope voted beside an amount awarded), scope (what is
    included differs), period_gap (years apart, with the gap), period_unknown, perimeter_change
    (a figure of a former perimeter), authority_kind (different kinds of authority), precision
    (a gap no larger than the values' precision).

    Examples
    --------
    >>> a = Value("a", "ess_employment_share", 0.1, year=2016, base="all_jobs")
    >>> b = Value("b", "ess_employment_share", 0.1, year=2016, base="salaried_jobs")
    >>> verdict([a, b]).verdict, verdict([a, b]).codes
    ('not_comparable', ('base',))
    """
    known = [v for v in values if v.known]
    reasons: list[Code] = []
    bases = {v.base for v in known if v.base}
    if len(bases) > 1:
        reasons.append(Code.of("base", bases=tuple((v.territory, v.base) for v in known)))
    scoped = [v for v in known if v.scope is not None]
    if len({v.scope.nature for v in scoped}) > 1:
        reasons.append(Code.of("nature", natures=tuple((v.territory, v.scope.nature)
                                                      for v in scoped)))
    spreads = {_spread(v) for v in scoped}
    if len(scoped) > 1 and spreads & {"multi_year", "one_off"}:
        reasons.append(Code.of("spread", spreads=tuple((v.territory, _spread(v))
                                                      for v in scoped)))
    elif len(scoped) > 1 and "unknown" in spreads:
        reasons.append(Code.of("spread_unknown", territories=tuple(
            v.territory for v in scoped if _spread(v) == "unknown")))
    measures = {v.scope.measure for v in scoped if v.scope.measure}
    if len(measures) > 1:
        reasons.append(Code.of("measure", measures=tuple((v.territory, v.scope.measure)
                                                        for v in scoped if v.scope.measure)))
    if len({scope_key(v.scope) for v in scoped}) > 1 and not {"nature", "spread",
                                                               "spread_unknown"} & {
            r.code for r in reasons}:
        reasons.append(Code.of("scope", scopes=tuple((v.territory, v.scope) for v in scoped)))
    whens = [(v, when_of(v, dataset)) for v in known]
    unknown = tuple(v.territory for v, w in whens if not w.known)
    if unknown and len(known) > 1:
        reasons.append(Code.of("period_unknown", territories=unknown))
    dated = [(v, w) for v, w in whens if w.known]
    gaps = [a.gap(b) for i, (_, a) in enumerate(dated) for _, b in dated[i + 1:]]
    if any(g for g in gaps if g):
        reasons.append(Code.of("period_gap", gap=max(g for g in gaps if g),
                               periods=tuple((v.territory, w) for v, w in dated)))
    worded = tuple((v.territory, v.geography_as_worded) for v in known if v.geography_as_worded)
    if worded and len(known) > 1:
        reasons.append(Code.of("perimeter_change", worded=worded))
    if dataset is not None:
        kinds = authority_kinds(dataset, [v.territory for v in known])
        if len(kinds) > 1:
            reasons.append(Code.of("authority_kind", kinds=kinds))
    if len(known) > 1:
        ordered = sorted(known, key=lambda v: v.value)
        if all(_within(a, b) for a, b in zip(ordered, ordered[1:])) and len(
                {v.value for v in known}) > 1:
            reasons.append(Code.of("precision", values=tuple(v.territory for v in ordered)))
    codes = {r.code for r in reasons}
    if codes & set(BLOCKING):
        return Verdict("not_comparable", tuple(reasons))
    return Verdict("comparable_with_note" if reasons else "comparable", tuple(reasons))


def _within(a: Value, b: Value) -> bool:
    """The gap between two values is no larger than the precision they are written with."""
    return abs(a.value - b.value) <= step_of(a) + step_of(b) + 1e-12


@dataclass(frozen=True)
class Order:
    """How one value stands against another: above, below, same_order or none (bounds that
    allow no reading), with the reasons a 'same_order' or a caution is given, and the years
    between them when their periods differ."""

    order: str
    reasons: tuple[Code, ...] = ()
    gap: int | None = None


def order(value: Value, other: Value, dataset: Dataset | None = None) -> Order:
    """'above' or 'below' only when the gap exceeds both values' precision and their periods
    match (else the gap of years goes with it); otherwise 'same_order' and why.

    Examples
    --------
    >>> from essbench.evidence.profiles import Period
    >>> a = Value("a", "ess_employment_share", 0.10, as_written="10 %", conversion="percent",
    ...           period=Period(start=2016, about=True), base="salaried_jobs")
    >>> b = Value("france", "ess_employment_share", 0.102, as_written="10,2 %",
    ...           conversion="percent", period=Period(start=2019), base="salaried_jobs")
    >>> order(a, b).order, [c.code for c in order(a, b).reasons]
    ('same_order', ['precision', 'period_gap'])
    """
    if value.base != other.base:
        raise NotComparable(f"{value.indicator} of {value.territory} ({value.base}) set against "
                            f"{other.territory} ({other.base}): never order shares of different "
                            "bases")
    reasons: list[Code] = []
    mine, theirs = when_of(value, dataset), when_of(other, dataset)
    gap = mine.gap(theirs)
    # Two undated figures of one source are given together: the same time, as far as known.
    together = (value.source is not None and value.source == other.source
                and not mine.known and not theirs.known)
    within = _within(value, other)
    if within and value.value != other.value:
        reasons.append(Code.of("precision", step=max(step_of(value), step_of(other))))
    if not mine.same(theirs) and not together:
        reasons.append(Code.of("period_gap", gap=gap) if gap else
                       Code.of("period_unknown") if gap is None else Code.of("period_about"))
    above = value.qualifier != "at_most" and other.qualifier != "at_least"
    below = value.qualifier != "at_least" and other.qualifier != "at_most"
    loose = "approximately" in {value.qualifier, other.qualifier}
    margin = 0.01 if loose and value.unit == "share" else 0.0
    if within or abs(value.value - other.value) <= margin:
        return Order("same_order", tuple(reasons), gap)
    if gap is None and not together:
        # No year to give the gap with: the figures are set beside each other, not ranked.
        return Order("beside", tuple(reasons), gap)
    if above and value.value > other.value + margin:
        return Order("above", tuple(reasons), gap)
    if below and value.value < other.value - margin:
        return Order("below", tuple(reasons), gap)
    return Order("none", tuple(reasons), gap)


# ---------------------------------------------------------------- series


def series_changes(values: Sequence[Value]) -> list[tuple[int, tuple[Code, ...]]]:
    """Where a series changes what it measures: (index of the point, reasons), for each point
    whose nature, measure, other funds, base or perimeter differ from the point before.

    Examples
    --------
    >>> a = Value("x", "ess_employees", 17000.0, year=2007, geography_as_worded="ancienne agglo")
    >>> b = Value("x", "ess_employees", 20000.0, year=2016)
    >>> [(i, [c.code for c in r]) for i, r in series_changes([a, b])]
    [(1, ['perimeter_change'])]
    """
    found = []
    for index in range(1, len(values)):
        before, after = values[index - 1], values[index]
        reasons = []
        if before.base != after.base:
            reasons.append(Code.of("base", before=before.base, after=after.base))
        if before.scope is not None and after.scope is not None:
            if before.scope.measure != after.scope.measure:
                reasons.append(Code.of("measure", before=before.scope.measure,
                                       after=after.scope.measure))
            if tuple(before.scope.other_funds) != tuple(after.scope.other_funds):
                reasons.append(Code.of("other_funds", before=tuple(before.scope.other_funds),
                                       after=tuple(after.scope.other_funds)))
        if before.geography_as_worded != after.geography_as_worded:
            reasons.append(Code.of("perimeter_change", before=before.geography_as_worded,
                                   after=after.geography_as_worded))
        if reasons:
            found.append((index, tuple(reasons)))
    return found


# ---------------------------------------------------------------- budget lines


@dataclass(frozen=True)
class Lines:
    """Budget lines with no stated total: how many, of which years, and each line."""

    lines: tuple[Value, ...]

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def years(self) -> tuple[str, ...]:
        from essbench.values.normalize import period_label

        return tuple(dict.fromkeys(str(period_label(v)) for v in self.lines))

    def our_sum(self) -> float | None:
        """Our sum of lines of one period and spread, labelled as ours; None otherwise."""
        keys = {(v.period.key if v.period else None, _spread(v)) for v in self.lines}
        return sum(v.value for v in self.lines) if len(keys) == 1 and self.count > 1 else None


def budget_lines(value: Value) -> Lines | None:
    """The lines behind an unknown budget whose sources give lines but no total."""
    if value.known or value.reason is None or value.reason.code != "budget_lines_without_total":
        return None
    from essbench.values.normalize import _from_fact

    return Lines(tuple(_from_fact(value.territory, f) for f in value.other_series))


def held(value: Value) -> bool:
    """True when the evidence holds the value or its lines: it must never read 'unknown'."""
    return value.known or budget_lines(value) is not None


# ---------------------------------------------------------------- levers and themes


def status_of(mapping: object) -> str:
    """A lever's or theme's status as its evidence gives it: done, planned, ended, unknown."""
    status = getattr(mapping, "status", "unknown")
    return status if status in STATUSES else "unknown"


def lever_statuses(dataset: Dataset, territory: str) -> dict[str, str]:
    """Lever id -> status for one territory ('excluded' where a source rules it out); a lever
    mapped twice takes its strongest status (done before planned before ended)."""
    profile = dataset.profiles[territory]
    found: dict[str, str] = {}
    for mapping in profile.levers:
        status = status_of(mapping)
        current = found.get(mapping.lever)
        if current is None or STATUSES.index(status) < STATUSES.index(current):
            found[mapping.lever] = status
    for mapping in profile.levers_excluded:
        found.setdefault(mapping.lever, "excluded")
    return found


def theme_statuses(dataset: Dataset, territory: str) -> dict[str, str]:
    """Theme id -> status for one territory, strongest first as for levers."""
    found: dict[str, str] = {}
    for mapping in dataset.profiles[territory].themes:
        status = status_of(mapping)
        current = found.get(mapping.theme)
        if current is None or STATUSES.index(status) < STATUSES.index(current):
            found[mapping.theme] = status
    return found


def status_matrix(dataset: Dataset, territories: Sequence[str], what: str = "levers"
                  ) -> dict[tuple[str, str], str]:
    """(item, territory) -> status for each cell of the levers or themes matrix; 'none' where
    no source documents it."""
    items = registry.LEVERS if what == "levers" else registry.THEMES
    of = lever_statuses if what == "levers" else theme_statuses
    per = {tid: of(dataset, tid) for tid in territories}
    return {(item, tid): per[tid].get(item, "none") for item in items for tid in territories}


def done_count(dataset: Dataset, territory: str, what: str = "levers") -> int:
    """How many levers (or themes) the evidence shows as done: the only ones counted."""
    of = lever_statuses if what == "levers" else theme_statuses
    return sum(1 for s in of(dataset, territory).values() if s == "done")
