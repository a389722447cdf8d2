"""Shared building blocks of the data models: strict base, constrained types, closed lists."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import pydantic
from pydantic import StringConstraints

from essbench.evidence import registry


class Strict(pydantic.BaseModel):
    """Unknown keys refused, values checked on assignment too, strings kept as written, and
    numbers finite: `.inf` or `.nan` is no count or amount (it was published as "∞", and
    written as `Infinity` in the JSON export)."""

    model_config = pydantic.ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, str_strip_whitespace=False,
        allow_inf_nan=False,
    )


def _closed(vocabulary: dict) -> object:
    return Literal[tuple(vocabulary)]  # type: ignore[valid-type]


NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
SnakeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Unknown = Literal["unknown"]

IndicatorId = _closed(registry.INDICATORS)
UnitId = _closed(registry.UNITS)
BaseId = _closed(registry.BASES)
QualifierId = _closed(registry.QUALIFIERS)
LeverId = _closed(registry.LEVERS)
ThemeId = _closed(registry.THEMES)
ThemeBasisId = _closed(registry.THEME_BASES)
StageId = _closed(registry.ACTION_STAGES)
KindId = _closed(registry.TERRITORY_KINDS)
BudgetNatureId = _closed(registry.BUDGET_NATURES)
BudgetPeriodId = _closed(registry.BUDGET_PERIODS)
PolicyStepId = _closed(registry.POLICY_STEPS)
ConversionId = Literal["none", "percent", "ratio", "thousands", "millions", "milliards",
                       "approximate_word", "multiple"]

FIRST_YEAR = 1900


def check_year(year: int) -> int:
    """A year between 1900 and this one: figures are not from the future."""
    this_year = datetime.date.today().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValueError(f"a year from {FIRST_YEAR} to {this_year}")
    return year


Year = Annotated[int, pydantic.AfterValidator(check_year)]

# A plan or a programme may be adopted for years still to come ("2024-2028").
PLANNED_YEARS_AHEAD = 20


def check_plan_year(year: int) -> int:
    """A year of a plan: from 1900 to twenty years from now (a figure's year stays `Year`)."""
    last = datetime.date.today().year + PLANNED_YEARS_AHEAD
    if not FIRST_YEAR <= year <= last:
        raise ValueError(f"a year from {FIRST_YEAR} to {last} (a plan may end in years to come)")
    return year


PlanYear = Annotated[int, pydantic.AfterValidator(check_plan_year)]
