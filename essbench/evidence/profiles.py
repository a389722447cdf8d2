"""Territory profiles: identity, perimeter, facts with their evidence, programme and mappings."""

from __future__ import annotations

import datetime
from pathlib import Path
import re
from typing import Any, Literal

import pydantic

from essbench.evidence import registry
from essbench.evidence.problems import InvalidInput, Problem, display_path, from_pydantic
from essbench.evidence.schema import (
    BaseId,
    BudgetNatureId,
    BudgetPeriodId,
    ConversionId,
    IndicatorId,
    KindId,
    LeverId,
    PolicyStepId,
    NonEmpty,
    QualifierId,
    SnakeId,
    StageId,
    Strict,
    ThemeBasisId,
    ThemeId,
    UnitId,
    Unknown,
    PlanYear,
    Year,
)
from essbench.evidence.yamlfiles import read_yaml

InseeCode = pydantic.constr(pattern=r"^(\d{5}|2[AB]\d{3})$")


class Evidence(Strict):
    """What backs an item: a verbatim quote of an archived source, or a cited page described.

    A quoted item names a source of sources.yaml and its exact words; a cited item names a
    page of cited.yaml and says, in the curator's own words, what the figure measures. The
    curator's note is kept apart from both.
    """

    source: SnakeId
    quote: NonEmpty | None = None
    description: NonEmpty | None = None
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="after")
    def _quoted_or_cited(self) -> Evidence:
        if (self.quote is None) == (self.description is None):
            raise ValueError("quote: a verbatim quote of an archived source, or a description "
                             "(in your own words) of what a cited page gives; one of the two")
        return self

    @property
    def evidence(self) -> str:
        """'quoted' (checked word for word in an archived document) or 'cited' (a page cited)."""
        return "quoted" if self.quote is not None else "cited"


class Quoted(Evidence):
    """A statement of an archived source, quoted verbatim, with the curator's note kept apart."""

    quote: NonEmpty
    description: None = None


class Scope(Strict):
    """What a budget amount covers: nature, how long it is spent over, included and excluded."""

    nature: BudgetNatureId
    period: BudgetPeriodId
    line: NonEmpty | None = None  # the line or scheme as the source names it
    includes: list[NonEmpty] = []
    excludes: list[NonEmpty] = []
    # What the amount is: an envelope voted or announced, an amount awarded, or spent; and the
    # money of another programme counted in it (a top-up). Points of a series that differ in
    # these are marked where they change.
    measure: Literal["envelope", "awarded", "spent"] | None = None
    other_funds: list[NonEmpty] = []


# What the evidence says of a lever or theme: carried out, planned or announced, ended, or not
# said. Only what is done is counted.
StatusId = Literal["done", "planned", "ended", "unknown"]


_SPAN = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


class YearSpan:
    """What a start and an end year say of when a figure holds; shared by the evidence's Period
    and the values layer's judged period."""

    start: int | None
    end: int | None

    @property
    def kind(self) -> str:
        """'year', 'span' or 'unknown' (unknown may still be bounded)."""
        if self.start is None:
            return "unknown"
        return "year" if self.start == self.end else "span"

    @property
    def known(self) -> bool:
        return self.start is not None


class Period(Strict, YearSpan):
    """When a figure holds: one year, a start–end span, or unknown with what is known of it.

    `end` alone means the figure is from `end` or before (a publication year bounds it);
    `about` marks a year the source gives only roughly ("vers 2007").

    Examples
    --------
    >>> Period.model_validate(2019).kind, Period.model_validate("2016-2022").kind
    ('year', 'span')
    """

    start: Year | None = None
    end: Year | None = None
    about: bool = False
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, bool):
            return data
        if isinstance(data, int):
            return {"start": data, "end": data}
        if isinstance(data, str):
            span = _SPAN.match(data.strip())
            if span:
                return {"start": int(span[1]), "end": int(span[2])}
            if data.strip().isdigit():
                return {"start": int(data), "end": int(data)}
            raise ValueError(f"a year (2019), a span ('2016-2022') or a mapping with start, end "
                             f"and note; found {data!r}")
        if isinstance(data, dict) and data.get("start") is not None and data.get("end") is None:
            return {**data, "end": data["start"]}
        return data

    @pydantic.model_validator(mode="after")
    def _consistent(self) -> Period:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end: a year from the start, {self.start}, on")
        if self.start is None and self.note is None:
            raise ValueError("note: what is known of the period, since its start is unknown")
        if self.about and self.start is None:
            raise ValueError("about: only for a known year given roughly")
        return self

    @property
    def years(self) -> str | None:
        """'2019' or '2016-2022', with no words ('about', 'at the latest' are the text
        layer's); None when the start is unknown.

        Examples
        --------
        >>> Period.model_validate("2016-2022").years, Period(note="undated").years
        ('2016-2022', None)
        """
        if not self.known:
            return None
        return str(self.start) if self.kind == "year" else f"{self.start}-{self.end}"

    @property
    def key(self) -> tuple:
        """Equal for two figures that hold at the same time, as far as the sources say."""
        return (self.start, self.end) if self.known else ("unknown",)

    @property
    def sort_year(self) -> float:
        """The end year to order a series by; unknown periods sort first."""
        return float(self.end) if self.known else float("-inf")


class Fact(Evidence):
    """One figure: value, unit, period, wording, base or scope, and its evidence.

    `year` and `year_note` read the period as the single-year fields they replace: a year for
    one-year periods, 'unknown' (with a note saying what is known) otherwise.
    """

    id: SnakeId
    indicator: IndicatorId
    value: float
    unit: UnitId
    period: Period
    qualifier: QualifierId
    as_written: NonEmpty  # as the quote writes it; for a cited page, as the curator read it
    conversion: ConversionId = "none"
    base: BaseId | None = None
    base_as_worded: NonEmpty | None = None
    scope: Scope | None = None
    geography_as_worded: NonEmpty | None = None
    primary: bool = False
    outlier: bool = False  # kept and shown, never a headline, never averaged

    @pydantic.model_validator(mode="before")
    @classmethod
    def _single_year_fields(cls, data: Any) -> Any:
        # Profiles written before periods existed say `year:` and `year_note:`.
        if not isinstance(data, dict) or ("year" not in data and "year_note" not in data):
            return data
        if "period" in data:
            raise ValueError("period: either period, or the older year and year_note, not both")
        data = dict(data)
        year, note = data.pop("year", None), data.pop("year_note", None)
        period: dict[str, Any] = {} if year in (None, "unknown") else {"start": year, "end": year}
        if note is not None:
            period["note"] = note
        data["period"] = period
        return data

    @property
    def year(self) -> int | str:
        """The year of a one-year period, else 'unknown' (a span is no single year)."""
        return self.period.start if self.period.kind == "year" and not self.period.about \
            else "unknown"

    @property
    def year_note(self) -> str | None:
        """What is known of the period when `year` is 'unknown'."""
        # A span or a rough year is said by the text layer from the period itself (no French
        # words here); the note is the curator's.
        return self.period.note

    @pydantic.model_validator(mode="after")
    def _fits_its_indicator(self) -> Fact:
        indicator = registry.INDICATORS[self.indicator]
        if indicator.kind != "fact":
            raise ValueError(f"indicator: {self.indicator} is a {indicator.kind} indicator, "
                             "computed, never typed in a profile")
        if self.unit != indicator.unit:
            raise ValueError(f"unit: unit of {self.indicator} is {indicator.unit!r}")
        if indicator.unit == "share" and not 0 <= self.value <= 1:
            raise ValueError("value: a share from 0 to 1 (8,6 % is 0.086)")
        if indicator.unit not in ("share", "rate") and self.value < 0:
            raise ValueError("value: a count or amount that is zero or more")
        if indicator.unit == "year" and self.value != int(self.value):
            raise ValueError("value: a whole year")
        if indicator.bases and self.base not in indicator.bases:
            raise ValueError(f"base: base of {self.indicator} is one of "
                             f"{', '.join(indicator.bases)}")
        if not indicator.bases and self.base is not None:
            raise ValueError(f"base: {self.indicator} is not a share, so no base")
        if indicator.needs_scope and self.scope is None:
            raise ValueError(f"scope: {self.indicator} needs a scope (what is included and "
                             "excluded)")
        if self.scope is not None:
            spread = self.scope.period
            if spread == "multi_year" and self.period.kind != "span":
                raise ValueError("period: a multi-year amount needs a start-end span "
                                 "('2024-2025')")
            if spread in ("annual", "one_off") and self.period.kind == "span":
                raise ValueError(f"scope: an amount over {self.period.start}-{self.period.end} "
                                 "is multi_year, not " + spread)
        if self.outlier and self.note is None:
            raise ValueError("note: why this figure is flagged as an outlier")
        if self.outlier and self.primary:
            raise ValueError("primary: an outlier is never the value retained")
        return self


class ProgrammePeriod(Quoted):
    """The years a programme covers, with the quote that gives them."""

    start: PlanYear
    end: PlanYear | None = None


class Governance(Quoted):
    """A body that steers or follows the policy."""

    name: NonEmpty
    role: NonEmpty


class Action(Quoted):
    """One action, as the source words it; planned in a draft plan or reported as done."""

    title: NonEmpty
    stage: StageId


class LeverMapping(Evidence):
    """A policy lever the source shows the authority using, with its status in the evidence:
    quoted from an archived source, or read on a cited page (described)."""

    lever: LeverId
    status: StatusId = "unknown"


class ExcludedLever(Quoted):
    """A lever an archived source rules out, in its own words (never on a description alone)."""

    lever: LeverId
    status: StatusId = "unknown"


class ThemeMapping(Evidence):
    """A theme the policy addresses, and whether it is a stated priority or only an action.

    Quoted from an archived source, or described from a cited page.
    """

    theme: ThemeId
    basis: ThemeBasisId
    status: StatusId = "unknown"


class Programme(Strict):
    """The ESS policy document or plan: name, period, what it aims at, how, and who steers it."""

    name: NonEmpty | Unknown
    period: ProgrammePeriod | None = None
    objectives: list[Quoted] = []
    axes: list[Quoted] = []
    orientations: list[Quoted] = []
    governance: list[Governance] = []
    actions: list[Action] = []


class Perimeter(Strict):
    """The communes a territory covers, as a rule the reference build resolves."""

    rule: Literal["epci", "departement", "departements", "communes"]
    code: NonEmpty | None = None
    codes: list[NonEmpty] = []  # rule 'departements': every département (a région, say)
    communes: list[InseeCode] = []  # type: ignore[valid-type]
    valid_from: datetime.date | Unknown
    valid_to: datetime.date | None = None
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="after")
    def _rule_has_its_inputs(self) -> Perimeter:
        if self.rule == "communes" and (not self.communes or self.code is not None):
            raise ValueError("rule 'communes' takes a non-empty communes list and no code")
        if self.rule == "departements":
            if len(self.codes) < 2 or self.code is not None or self.communes:
                raise ValueError("rule 'departements' takes a codes list of two départements or "
                                 "more, and no code or communes")
            return self
        if self.codes:
            raise ValueError(f"codes: only rule 'departements' takes a codes list, not {self.rule!r}")
        if self.rule != "communes" and (self.code is None or self.communes):
            raise ValueError(f"rule {self.rule!r} takes a code and no communes list")
        return self


class FormerPerimeter(Quoted):
    """A perimeter the territory had before, such as a predecessor's communes."""

    name: NonEmpty
    valid_to: datetime.date
    communes: list[InseeCode]  # type: ignore[valid-type]


class HistoryEvent(Strict):
    """A dated change of the territory: creation, merger, new status; quoted where a source says it."""

    date: datetime.date
    event: NonEmpty
    source: SnakeId | None = None
    quote: NonEmpty | None = None
    description: NonEmpty | None = None  # what a cited page says of it, in our words
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="after")
    def _evidence(self) -> HistoryEvent:
        if self.quote is not None and self.description is not None:
            raise ValueError("quote: a quote (archived source) or a description (cited page)")
        if (self.source is None) != (self.quote is None and self.description is None):
            raise ValueError("source and quote (or description) go together")
        if self.source is None and self.note is None:
            raise ValueError("a note saying where the event is known from, since no source says it")
        return self


class Names(Strict):
    official: NonEmpty
    short: NonEmpty


class Codes(Strict):
    """Official identifiers; unknown where no source or reference gives them."""

    siren: pydantic.constr(pattern=r"^\d{9}$") | Unknown  # type: ignore[valid-type]
    insee: NonEmpty | Unknown
    departement: NonEmpty  # the main one (the seat's), shown first
    departements: list[NonEmpty] = []  # every one, when the territory spans several
    region: NonEmpty
    other: dict[SnakeId, NonEmpty] = {}
    # Where a code no reference table holds is known from (an EPT's SIREN, say).
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="after")
    def _main_departement_listed(self) -> Codes:
        if self.departements and (len(self.departements) < 2
                                  or self.departement not in self.departements):
            raise ValueError(f"departements: two codes or more, including the main one, "
                             f"{self.departement!r}")
        return self

    @property
    def all_departements(self) -> list[str]:
        """Every département the territory spans, the main one first."""
        return [self.departement] + [d for d in self.departements if d != self.departement]


class Contradiction(Strict):
    """Figures of one indicator, base and period that disagree; all are kept and shown."""

    indicator: IndicatorId
    facts: list[SnakeId] = pydantic.Field(min_length=2)
    note: NonEmpty


class Caveat(Strict):
    """Something a reader must know before comparing this territory's figures."""

    text: NonEmpty
    sources: list[SnakeId] = []


class PolicyStep(Strict):
    """One step of the policy over time (a plan, a deliberation, a scheme...) and its documents."""

    id: SnakeId
    kind: PolicyStepId
    name: NonEmpty
    start: PlanYear | None = None
    end: PlanYear | None = None
    date: datetime.date | None = None
    ongoing: bool = False  # still running when its latest document was written
    documents: list[Evidence] = pydantic.Field(min_length=1)
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="after")
    def _years(self) -> PolicyStep:
        if self.start is None and self.date is None:
            raise ValueError("start: the first year (or the date) of this step")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end: a year from the start, {self.start}, on")
        if self.date is not None and self.start is not None and self.date.year != self.start:
            raise ValueError(f"date: a date in the start year, {self.start}")
        return self

    @property
    def first_year(self) -> int:
        return self.start if self.start is not None else self.date.year


class ExhaustiveLines(Evidence):
    """A source saying that these budget lines are the whole ESS budget of their period."""

    lines: list[SnakeId] = pydantic.Field(min_length=2)


class Profile(Strict):
    """Everything essbench knows about one territory's ESS and ESS policy, with evidence."""

    id: SnakeId
    names: Names
    kind: KindId
    color: pydantic.constr(pattern=r"^#[0-9A-Fa-f]{6}$") | None = None  # type: ignore[valid-type]
    codes: Codes
    perimeter: Perimeter
    former_perimeters: list[FormerPerimeter] = []
    history: list[HistoryEvent] = []
    facts: list[Fact] = []
    exhaustive_budget_lines: list[ExhaustiveLines] = []
    programme: Programme
    policy_history: list[PolicyStep] = []
    levers: list[LeverMapping] = []
    levers_excluded: list[ExcludedLever] = []
    themes: list[ThemeMapping] = []
    contradictions: list[Contradiction] = []
    caveats: list[Caveat] = []


class ReferenceArea(Strict):
    """France or a région: the yardstick figures a territory is set against."""

    id: SnakeId
    name: NonEmpty
    kind: Literal["country", "country_part", "region"]
    code: NonEmpty
    note: NonEmpty | None = None
    facts: list[Fact] = []
    contradictions: list[Contradiction] = []


def load_model(path: Path, model: type[Strict]) -> Strict:
    """One YAML file validated as `model`, or InvalidInput with every problem in it."""
    content = read_yaml(path)
    try:
        return model.model_validate(content)
    except pydantic.ValidationError as error:
        raise InvalidInput(from_pydantic(display_path(path), error)) from None


def load_folder(folder: Path, model: type[Strict], only: set[str] | None = None
                ) -> tuple[dict[str, Strict], list[Problem]]:
    """Every *.yaml of a folder (or only those named), keyed by id; problems gathered, not raised."""
    loaded: dict[str, Strict] = {}
    problems: list[Problem] = []
    if only is None:
        paths = sorted(folder.glob("*.yaml"))
    else:
        # A page about one territory reads one profile, however many the project holds.
        paths = sorted(path for path in (folder / f"{stem}.yaml" for stem in only)
                       if path.is_file())
    for path in paths:
        try:
            item = load_model(path, model)
        except InvalidInput as error:
            problems += error.problems
            continue
        if item.id in loaded:
            problems.append(Problem(display_path(path), "id", repr(item.id),
                                    "an id no other file of the folder uses"))
            continue
        if item.id != path.stem:
            problems.append(Problem(display_path(path), "id", repr(item.id),
                                    f"the file's name without .yaml: {path.stem!r}"))
        loaded[item.id] = item
    return loaded, problems
