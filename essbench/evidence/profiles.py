"""Territory profiles: identity, perimeter, facts with their evidence, programme and mappings."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Literal

import pydantic

from essbench.evidence import registry
from essbench.evidence.problems import InvalidInput, Problem, display_path, from_pydantic
from essbench.evidence.schema import (
    BaseId,
    BudgetNatureId,
    ConversionId,
    IndicatorId,
    KindId,
    LeverId,
    NonEmpty,
    QualifierId,
    SnakeId,
    StageId,
    Strict,
    ThemeBasisId,
    ThemeId,
    UnitId,
    Unknown,
    Year,
)
from essbench.evidence.yamlfiles import read_yaml

InseeCode = pydantic.constr(pattern=r"^(\d{5}|2[AB]\d{3})$")


class Quoted(Strict):
    """A statement of a source, quoted verbatim, with the curator's note kept apart."""

    source: SnakeId
    quote: NonEmpty
    note: NonEmpty | None = None


class Scope(Strict):
    """What a budget covers: included and excluded items as the source words them."""

    nature: BudgetNatureId
    period: Literal["annual", "unknown"]
    includes: list[NonEmpty] = []
    excludes: list[NonEmpty] = []


class Fact(Quoted):
    """One figure of a source: value, unit, year, wording, base or scope, and its quote."""

    id: SnakeId
    indicator: IndicatorId
    value: float
    unit: UnitId
    year: Year | Unknown
    year_note: NonEmpty | None = None
    qualifier: QualifierId
    as_written: NonEmpty  # the number exactly as the quote writes it
    conversion: ConversionId = "none"
    base: BaseId | None = None
    base_as_worded: NonEmpty | None = None
    scope: Scope | None = None
    geography_as_worded: NonEmpty | None = None
    primary: bool = False

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
        if self.year == "unknown" and self.year_note is None:
            raise ValueError("year_note: a note saying what is known of the year, since it is "
                             "unknown")
        return self


class Period(Quoted):
    """The years a programme covers, with the quote that gives them."""

    start: Year
    end: Year | None = None


class Governance(Quoted):
    """A body that steers or follows the policy."""

    name: NonEmpty
    role: NonEmpty


class Action(Quoted):
    """One action, as the source words it; planned in a draft plan or reported as done."""

    title: NonEmpty
    stage: StageId


class LeverMapping(Quoted):
    """A policy lever the source shows the authority using."""

    lever: LeverId


class ThemeMapping(Quoted):
    """A theme the policy addresses, and whether it is a stated priority or only an action."""

    theme: ThemeId
    basis: ThemeBasisId


class Programme(Strict):
    """The ESS policy document or plan: name, period, what it aims at, how, and who steers it."""

    name: NonEmpty | Unknown
    period: Period | None = None
    objectives: list[Quoted] = []
    axes: list[Quoted] = []
    orientations: list[Quoted] = []
    governance: list[Governance] = []
    actions: list[Action] = []


class Perimeter(Strict):
    """The communes a territory covers, as a rule the reference build resolves."""

    rule: Literal["epci", "departement", "communes"]
    code: NonEmpty | None = None
    communes: list[InseeCode] = []  # type: ignore[valid-type]
    valid_from: datetime.date | Unknown
    valid_to: datetime.date | None = None
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="after")
    def _rule_has_its_inputs(self) -> Perimeter:
        if self.rule == "communes" and (not self.communes or self.code is not None):
            raise ValueError("rule 'communes' takes a non-empty communes list and no code")
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
    note: NonEmpty | None = None

    @pydantic.model_validator(mode="after")
    def _evidence(self) -> HistoryEvent:
        if (self.source is None) != (self.quote is None):
            raise ValueError("source and quote go together")
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
    departement: NonEmpty
    region: NonEmpty
    other: dict[SnakeId, NonEmpty] = {}


class Contradiction(Strict):
    """Figures of the same indicator that disagree; all are kept and shown."""

    indicator: IndicatorId
    facts: list[SnakeId] = pydantic.Field(min_length=2)
    note: NonEmpty


class Caveat(Strict):
    """Something a reader must know before comparing this territory's figures."""

    text: NonEmpty
    sources: list[SnakeId] = []


class Profile(Strict):
    """Everything essbench knows about one territory's ESS and ESS policy, with evidence."""

    id: SnakeId
    names: Names
    kind: KindId
    codes: Codes
    perimeter: Perimeter
    former_perimeters: list[FormerPerimeter] = []
    history: list[HistoryEvent] = []
    facts: list[Fact] = []
    programme: Programme
    levers: list[LeverMapping] = []
    levers_excluded: list[LeverMapping] = []
    themes: list[ThemeMapping] = []
    contradictions: list[Contradiction] = []
    caveats: list[Caveat] = []


class ReferenceArea(Strict):
    """France or a région: the yardstick figures a territory is set against."""

    id: SnakeId
    name: NonEmpty
    kind: Literal["country", "region"]
    code: NonEmpty
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
    paths = sorted(folder.glob("*.yaml"))
    if only is not None:
        # A page about one territory reads one profile, however many the project holds.
        paths = [path for path in paths if path.stem in only]
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
