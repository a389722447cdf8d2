"""The whole evidence base loaded at once, with every cross-file check: quotes, numbers, ids."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from essbench.evidence import registry
from essbench.evidence.numbers import NumberFormatError, parse_number, same_value
from essbench.evidence.problems import InvalidInput, Problem, display_path, listing
from essbench.evidence.profiles import Evidence, Fact, Profile, ReferenceArea, load_folder
from essbench.evidence.sources import CitedSource, Source, load_cited, load_sources, source_text

AnySource = Source | CitedSource


@dataclass
class Dataset:
    """Sources, profiles and reference areas, all checked against each other."""

    root: Path
    sources: dict[str, AnySource]  # archived (kind 'archived') and cited (kind 'cited') alike
    texts: dict[str, str]  # archived sources only
    profiles: dict[str, Profile]
    references: dict[str, ReferenceArea]
    files: dict[str, str] = field(default_factory=dict)  # item id -> file shown in messages

    def facts(self, owner_id: str) -> list[Fact]:
        owner = self.profiles.get(owner_id) or self.references[owner_id]
        return owner.facts


def normalise_space(text: str) -> str:
    """Whitespace folded to single spaces: web captures mix no-break and plain spaces."""
    return " ".join(text.split())


def load_dataset(root: Path, only: Iterable[str] | None = None) -> Dataset:
    """Load and cross-check everything under `root`; raise InvalidInput listing every problem.

    With `only`, the other profiles are left out, and so are their problems: one broken
    territory does not stop the dashboards of the others. So are the archived documents that
    no loaded profile or reference area owns or rests on.
    """
    problems: list[Problem] = []
    profiles, found = load_folder(root / "profiles", Profile,
                                  only=None if only is None else set(only))
    problems += found
    references, found = load_folder(root / "references", ReferenceArea)
    problems += found
    wanted = None
    if only is not None:
        # The sources the loaded territories own or any loaded owner rests on, and no other.
        used = {item.source for owner in (*profiles.values(), *references.values())
                for _, item in evidence_items(owner)}

        def wanted(source) -> bool:
            return source.territory in profiles or source.id in used

    broken = False
    try:
        sources = load_sources(root / "sources", wanted)
    except InvalidInput as error:
        problems += error.problems
        sources, broken = {}, True
    texts = {sid: normalise_space(source_text(root / "sources", s)) for sid, s in sources.items()}
    try:
        cited = {sid: s for sid, s in load_cited(root / "sources").items()
                 if wanted is None or wanted(s)}
    except InvalidInput as error:
        problems += error.problems
        cited, broken = {}, True
    for sid in sorted(set(cited) & set(sources)):
        problems.append(Problem(display_path(root / "sources" / "cited.yaml"), "id", repr(sid),
                                "an id no archived source of sources.yaml uses"))
    sources = {**sources, **cited}
    files = {pid: display_path(root / "profiles" / f"{pid}.yaml") for pid in profiles}
    files |= {rid: display_path(root / "references" / f"{rid}.yaml") for rid in references}
    if not profiles and not any(p.file.endswith(".yaml") for p in problems):
        problems.append(Problem(display_path(root / "profiles"), "(folder)", "no profile",
                                "at least one <territory id>.yaml"))
    for rid in set(profiles) & set(references):
        problems.append(Problem(files[rid], "id", repr(rid), "an id no profile and no reference "
                                "area share"))
    if not broken:  # without sources, every quote check would only repeat that they are missing
        for owner_id, owner in {**profiles, **references}.items():
            problems += check_owner(owner, files[owner_id], sources, texts)
        if only is None:
            stems = {path.stem for path in (root / "profiles").glob("*.yaml")}
            problems += _check_source_territories(sources, stems, set(references), root)
    if problems:
        raise InvalidInput(problems)
    return Dataset(root, sources, texts, profiles, references, files)


def profile_of(problem: Problem) -> str | None:
    """The territory id whose profile file a problem is about, if it is about one."""
    path = Path(problem.file)
    return path.stem if path.parent.name == "profiles" and path.suffix == ".yaml" else None


def check_owner(owner: Profile | ReferenceArea, file: str, sources: dict[str, Source],
                texts: dict[str, str]) -> list[Problem]:
    """Every check of one profile or reference area that needs more than its own schema."""
    problems = []
    for path, item in evidence_items(owner):
        problems += _check_evidence(item, path, file, sources, texts)
    for index, fact in enumerate(owner.facts):
        problems += _check_number(fact, f"facts[{index}]", file)
    problems += _check_fact_ids(owner, file)
    if isinstance(owner, Profile):
        problems += _check_programme_period(owner, file)
        problems += _check_levers(owner, file)
        problems += _check_exhaustive_lines(owner, file)
        problems += _check_policy_history(owner, file)
    return problems


def _quoted_items(owner: Profile | ReferenceArea):
    """(field path, item) for every item quoted verbatim from an archived source."""
    for path, item in evidence_items(owner):
        if getattr(item, "quote", None) is not None:
            yield path, item


def evidence_items(owner: Profile | ReferenceArea):
    """(field path, item) for every item that rests on a source, quoted or cited."""
    for name in ("facts", "former_perimeters", "levers", "levers_excluded", "themes",
                 "exhaustive_budget_lines"):
        for index, item in enumerate(getattr(owner, name, [])):
            yield f"{name}[{index}]", item
    for index, event in enumerate(getattr(owner, "history", [])):
        if event.source is not None:
            yield f"history[{index}]", event
    for index, step in enumerate(getattr(owner, "policy_history", [])):
        for doc_index, document in enumerate(step.documents):
            yield f"policy_history[{index}].documents[{doc_index}]", document
    programme = getattr(owner, "programme", None)
    if programme is None:
        return
    if programme.period is not None:
        yield "programme.period", programme.period
    for name in ("objectives", "axes", "orientations", "governance", "actions"):
        for index, item in enumerate(getattr(programme, name)):
            yield f"programme.{name}[{index}]", item


def _check_evidence(item: Evidence, path: str, file: str, sources: dict[str, AnySource],
                    texts: dict[str, str]) -> list[Problem]:
    if item.source not in sources:
        return [Problem(file, f"{path}.source", repr(item.source),
                        f"a source id of sources.yaml or cited.yaml: {listing(sources)}")]
    source = sources[item.source]
    if item.quote is None:
        if source.kind != "cited":
            return [Problem(file, f"{path}.description", _short(item.description),
                            f"a quote: {item.source} is an archived source, so its words are "
                            "quoted and checked")]
        return []
    if source.kind != "archived":
        return [Problem(file, f"{path}.quote", _short(item.quote),
                        f"a description in your own words: {item.source} is a cited page whose "
                        "text the project does not keep, so nothing of it is copied")]
    if normalise_space(item.quote) not in texts[item.source]:
        return [Problem(file, f"{path}.quote", _short(item.quote),
                        f"a verbatim extract of {sources[item.source].file} (spaces may differ, "
                        "nothing else)")]
    return []


def _check_number(fact: Fact, path: str, file: str) -> list[Problem]:
    """The number is in the quote, and re-reading it gives the value, wording and conversion."""
    if fact.quote is not None and \
            normalise_space(fact.as_written) not in normalise_space(fact.quote):
        return [Problem(file, f"{path}.as_written", repr(fact.as_written),
                        "the number exactly as written inside the quote")]
    try:
        parsed = parse_number(fact.as_written)
    except NumberFormatError as error:
        return [Problem(file, f"{path}.as_written", repr(fact.as_written),
                        f"one readable French number ({error})")]
    problems = []
    if not same_value(parsed.value, fact.value):
        problems.append(Problem(file, f"{path}.value", repr(fact.value),
                                f"{plain(parsed.value)}, the value of {fact.as_written!r}"
                                + _magnitude_hint(parsed.value, fact.value)))
    if parsed.conversion != fact.conversion:
        problems.append(Problem(file, f"{path}.conversion", repr(fact.conversion),
                                f"{parsed.conversion!r}, how {fact.as_written!r} is converted"))
    if parsed.qualifier != fact.qualifier:
        problems.append(Problem(file, f"{path}.qualifier", repr(fact.qualifier),
                                f"{parsed.qualifier!r}, as {fact.as_written!r} is worded"))
    return problems


def plain(value: float) -> str:
    """A value as a curator types it in YAML: 1100000, never 1.1e+06."""
    return f"{value:.15g}" if abs(value) < 1e15 else f"{value:.0f}"


def _magnitude_hint(read: float, typed: float) -> str:
    """Say so when the two differ by powers of ten: a multiplier (k€, M€) is the usual cause."""
    if read == 0 or typed == 0 or (read < 0) != (typed < 0):
        return ""
    ratio = abs(read / typed)
    if ratio >= 100 or ratio <= 0.01:
        return (f" (the typed value is {ratio:.0e} times off: values are in base units, "
                "1,1 M€ is 1100000)")
    return ""


def series_key(fact: Fact) -> tuple:
    """What makes facts one series: indicator, base, and for budgets nature, spread and line."""
    scope = fact.scope
    budget = (scope.nature, scope.period, scope.line) if scope is not None else ()
    return (fact.indicator, fact.base, *budget)


def same_time_key(fact: Fact) -> tuple:
    """Facts with equal keys measure the same thing at the same time, so they must agree.

    A year-valued fact (a start year) has one true value whatever its period; undated facts
    share one key, since nothing shows they are of different dates.
    """
    if registry.INDICATORS[fact.indicator].unit == "year":
        return series_key(fact)
    return (*series_key(fact), fact.period.key)


def _agree(facts: list[Fact]) -> bool:
    return len({(round(f.value, 12), f.qualifier) for f in facts}) <= 1


def _check_fact_ids(owner: Profile | ReferenceArea, file: str) -> list[Problem]:
    problems = []
    ids = Counter(fact.id for fact in owner.facts)
    for index, fact in enumerate(owner.facts):
        if ids[fact.id] > 1:
            problems.append(Problem(file, f"facts[{index}].id", repr(fact.id),
                                    "an id no other fact of this file uses"))
    by_id = {fact.id: fact for fact in owner.facts}
    contested: set[str] = set()
    for index, contradiction in enumerate(owner.contradictions):
        known = {f.id for f in owner.facts if f.indicator == contradiction.indicator}
        listed = []
        for fact_index, fact_id in enumerate(contradiction.facts):
            if fact_id not in known:
                problems.append(Problem(file, f"contradictions[{index}].facts[{fact_index}]",
                                        repr(fact_id), f"an id of a {contradiction.indicator} "
                                        f"fact: {', '.join(sorted(known)) or 'none'}"))
            else:
                listed.append(by_id[fact_id])
        if len({same_time_key(f) for f in listed}) > 1:
            found = ", ".join(f"{f.id} ({_when(f)}, base {f.base or '-'})" for f in listed)
            problems.append(Problem(file, f"contradictions[{index}].facts", found,
                                    "facts of the same period and base: values of different "
                                    "dates or bases are a series, not a contradiction"))
        contested |= {f.id for f in listed}
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in owner.facts:
        if not fact.outlier:
            groups[same_time_key(fact)].append(fact)
    for key, facts in groups.items():
        primaries = [fact.id for fact in facts if fact.primary]
        when = _when(facts[0]) if registry.INDICATORS[key[0]].unit != "year" else "any period"
        if len(primaries) > 1:
            problems.append(Problem(file, "facts", f"{key[0]} ({when}) primary in {primaries}",
                                    "at most one primary fact per indicator, base and period"))
        disputed = [f for f in facts if f.id not in contested]
        if not primaries and len(disputed) > 1 and not _agree(facts):
            ids_ = ", ".join(f.id for f in facts)
            problems.append(Problem(file, "facts", f"{len(facts)} different values for "
                                    f"{key[0]} ({when}): {ids_}, none primary",
                                    "one marked primary: true, or a contradictions entry saying "
                                    "why none is retained (values of different periods are a "
                                    "series and need neither)"))
    return problems


def _when(fact: Fact) -> str:
    return fact.period.years or "undated"


def _check_exhaustive_lines(profile: Profile, file: str) -> list[Problem]:
    problems = []
    by_id = {fact.id: fact for fact in profile.facts}
    for index, entry in enumerate(profile.exhaustive_budget_lines):
        path = f"exhaustive_budget_lines[{index}]"
        if entry.quote is None:
            problems.append(Problem(file, f"{path}.quote", "a description",
                                    "a quote saying the lines are the whole budget: a total "
                                    "is never inferred from a cited page"))
        lines = []
        for line_index, fact_id in enumerate(entry.lines):
            fact = by_id.get(fact_id)
            if fact is None or fact.indicator != "ess_budget_line_eur":
                known = sorted(f.id for f in profile.facts if f.indicator == "ess_budget_line_eur")
                problems.append(Problem(file, f"{path}.lines[{line_index}]", repr(fact_id),
                                        f"an ess_budget_line_eur fact: {', '.join(known) or 'none'}"))
            else:
                lines.append(fact)
        if len({(f.period.key, f.scope.period) for f in lines}) > 1:
            problems.append(Problem(file, f"{path}.lines", ", ".join(f"{f.id} ({_when(f)})"
                                                                      for f in lines),
                                    "lines of one period and one spread (annual, multi-year)"))
    return problems


def _check_policy_history(profile: Profile, file: str) -> list[Problem]:
    problems = []
    ids = Counter(step.id for step in profile.policy_history)
    for index, step in enumerate(profile.policy_history):
        path = f"policy_history[{index}]"
        if ids[step.id] > 1:
            problems.append(Problem(file, f"{path}.id", repr(step.id),
                                    "an id no other step of the history uses"))
        quotes = [d.quote for d in step.documents if d.quote is not None]
        if step.start is not None and len(quotes) == len(step.documents) and \
                not any(str(step.start) in quote for quote in quotes):
            problems.append(Problem(file, f"{path}.start", str(step.start),
                                    "a year written in one of the step's quotes"))
    return problems


def _check_programme_period(profile: Profile, file: str) -> list[Problem]:
    period = profile.programme.period
    if period is None:
        return []
    problems = []
    for name in ("start", "end"):
        year = getattr(period, name)
        if year is not None and str(year) not in period.quote:
            problems.append(Problem(file, f"programme.period.{name}", str(year),
                                    "a year written in the period's quote"))
    if period.end is not None and period.end < period.start:
        problems.append(Problem(file, "programme.period.end", str(period.end),
                                f"a year from the start, {period.start}, on"))
    return problems


def _check_levers(profile: Profile, file: str) -> list[Problem]:
    excluded = {mapping.lever for mapping in profile.levers_excluded}
    return [
        Problem(file, f"levers[{index}].lever", repr(mapping.lever),
                "a lever the sources do not exclude (see levers_excluded)")
        for index, mapping in enumerate(profile.levers)
        if mapping.lever in excluded
    ]


def _check_source_territories(sources: dict[str, AnySource], profiles: set[str],
                              references: set[str], root: Path) -> list[Problem]:
    problems = []
    for kind, name, allowed in (("archived", "sources.yaml", profiles),
                                ("cited", "cited.yaml", profiles | references)):
        shown = display_path(root / "sources" / name)
        listed = [s for s in sources.values() if s.kind == kind]
        problems += [
            Problem(shown, f"[{index}].territory", repr(source.territory),
                    f"a territory id of data/profiles"
                    + (" or data/references" if kind == "cited" else "")
                    + f": {listing(allowed)}")
            for index, source in enumerate(listed)
            if profiles and source.territory not in allowed
        ]
    return problems


def registry_problems() -> list[Problem]:
    """The registry itself: units from the closed list, ids ending with their unit, known bases."""
    problems = []
    where = "essbench/evidence/registry.py"
    for indicator in registry.INDICATORS.values():
        if indicator.unit not in registry.UNITS:
            problems.append(Problem(where, f"{indicator.id}.unit", repr(indicator.unit),
                                    ", ".join(registry.UNITS)))
            continue
        suffix = registry.UNITS[indicator.unit]["suffix"]
        if suffix and not indicator.id.endswith(suffix):
            problems.append(Problem(where, f"{indicator.id}.id", repr(indicator.id),
                                    f"an id ending with {suffix!r}, the suffix of its unit"))
        for base in indicator.bases:
            if base not in registry.BASES:
                problems.append(Problem(where, f"{indicator.id}.bases", repr(base),
                                        ", ".join(registry.BASES)))
        if not (indicator.fr and indicator.en and indicator.description):
            problems.append(Problem(where, f"{indicator.id}", "a missing label or description",
                                    "French and English labels and a description"))
    return problems


def _short(text: str, limit: int = 70) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
