"""How the library reads the evidence and values layers: the one place to adapt when they change.

The values layer is being reworked (reasons become codes, facts gain periods, series and cited
evidence). Every attribute the library reads from a Fact or a Value goes through a function
here, written to accept both the current shapes and the announced ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from essbench.evidence.dataset import Dataset
from essbench.values import normalize

# What a curator's note says when a figure written as exact is in fact rounded.
_ROUNDED_NOTE = re.compile(r"arrondi|ordre de grandeur|approximati|à peu près|rounded",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """When a figure applies: a year, or a start and end year, or unknown, with a note."""

    year: int | None
    start: int | None
    end: int | None
    note: str | None


def _year_or_none(year: Any) -> int | None:
    if isinstance(year, bool) or year is None:
        return None
    if isinstance(year, int):
        return year
    if isinstance(year, float) and year.is_integer():
        return int(year)
    if isinstance(year, str) and year.isdigit():
        return int(year)
    return None


def period_of(item: Any) -> Period:
    """The period of a Fact or Value: `period` (start/end) when the model has one, else `year`."""
    period = getattr(item, "period", None)
    if period is not None and not isinstance(period, (str, int)):
        start = _year_or_none(getattr(period, "start", None))
        end = _year_or_none(getattr(period, "end", None))
        about = bool(getattr(period, "about", False))
        note = getattr(period, "note", None)
        if about and note is None:
            note = f"about {start}"
        # A year given roughly ("vers 2007") is no year to filter on; the note keeps it.
        year = start if start is not None and start == end and not about else None
        if start is None:
            end = None  # an end alone only bounds an unknown period: the note says so
        return Period(year, start, end, note)
    note = getattr(item, "year_note", None)
    year = _year_or_none(getattr(item, "year", None))
    return Period(year, year, year, note)


def reason_of(value: Any) -> str | None:
    """Why a value is unknown: its code with parameters when the values layer gives codes."""
    reason = getattr(value, "reason", None)
    if reason is None or isinstance(reason, str):
        return reason
    code = getattr(reason, "code", None)
    params = getattr(reason, "params", None)
    if code is None and isinstance(reason, Mapping):
        code, params = reason.get("code"), reason.get("params")
    if code is None:
        return str(reason)
    if params:
        # Code.params is a tuple of (name, value) pairs; a mapping is read the same way.
        items = params.items() if isinstance(params, Mapping) else params
        shown = "; ".join(f"{k}={_flat(v)}" for k, v in items)
        return f"{code}: {shown}"
    return str(code)


def reason_words(value: Any, dataset: Dataset, lang: str) -> str | None:
    """Why a value is unknown, in words of `lang`, from the text layer."""
    if getattr(value, "reason", None) is None:
        return None
    if isinstance(value.reason, str):
        return value.reason
    from essbench.text import values as words

    return words.reason_text(value, dataset.sources, lang)


def computed_note(value: Any, lang: str) -> str | None:
    """How a derived value was computed, in words of `lang` (the curator's note for a fact)."""
    if getattr(value, "derivation", None) is None:
        return getattr(value, "note", None)
    from essbench.text import values as words

    return words.value_note(value, lang)


def _flat(value: Any) -> str:
    if isinstance(value, (list, tuple, set)):
        return ",".join(_flat(v) for v in value)
    return str(getattr(value, "indicator", value))


def evidence_kind(fact: Any) -> str:
    """quoted or cited: read from the fact when the model says, else told by its quote."""
    for name in ("evidence_kind", "evidence", "kind"):
        kind = getattr(fact, name, None)
        if isinstance(kind, str) and kind in ("quoted", "cited"):
            return kind
    return "quoted" if getattr(fact, "quote", None) else "cited"


def description_of(fact: Any) -> str | None:
    """A cited fact's description of what the figure measures (None for quoted facts)."""
    return getattr(fact, "description", None)


def is_approximate(item: Any) -> bool:
    """Not exact as worded (a bound, 'environ'), or called rounded by the curator's note."""
    flag = getattr(item, "approximate", None)
    if isinstance(flag, bool) and flag:
        return True
    if getattr(item, "qualifier", "exact") not in ("exact", None):
        return True
    note = getattr(item, "note", None)
    return bool(note and _ROUNDED_NOTE.search(note))


@dataclass(frozen=True)
class ScopeParts:
    """A budget's scope, one field per column."""

    nature: str | None = None
    period: str | None = None
    line: str | None = None
    includes: str | None = None
    excludes: str | None = None

    @property
    def stated(self) -> bool:
        return bool(self.includes or self.excludes)


def scope_of(item: Any) -> ScopeParts | None:
    """The scope of a Fact or Value as separate fields, or None when it has none."""
    scope = getattr(item, "scope", None)
    if scope is None:
        return None
    if isinstance(scope, str):
        return ScopeParts(includes=scope)

    def joined(name: str) -> str | None:
        items = getattr(scope, name, None) or []
        return "; ".join(str(i) for i in items) or None

    period = getattr(scope, "period", None)
    return ScopeParts(getattr(scope, "nature", None),
                      None if period is None else str(getattr(period, "kind", period)),
                      getattr(scope, "line", None), joined("includes"), joined("excludes"))


def is_outlier(fact: Any) -> bool:
    """A figure the curator keeps and shows but never retains nor averages."""
    return bool(getattr(fact, "outlier", False))


def source_evidence(source: Any) -> str:
    """quoted (archived, its text kept) or cited (a page named, its text not kept)."""
    kind = getattr(source, "kind", None)
    if kind == "cited":
        return "cited"
    return "quoted" if kind == "archived" or getattr(source, "file", None) else "cited"


def policy_steps(profile: Any) -> list[Any]:
    """The steps of a policy over time (plans, deliberations, schemes), when the model has them."""
    return list(getattr(profile, "policy_history", None) or [])


def territory_values(dataset: Dataset, reference: pd.DataFrame, manifest: dict,
                     territory: str) -> dict[str, Any]:
    """Every registry indicator of one territory as the values layer computes it."""
    return normalize.territory_values(dataset, reference, manifest, territory)


def headline_fact_id(dataset: Dataset, owner: str, indicator: str) -> str | None:
    """The fact shown for an indicator of a profile or reference area, None when none is."""
    return getattr(normalize.headline(dataset, owner, indicator), "fact_id", None)


def input_indicators(value: Any) -> list[str]:
    """The indicators a derived value is computed from ('ess_budget_eur:fact' -> ess_budget_eur)."""
    names = []
    for item in getattr(value, "inputs", ()) or ():
        head, _, tail = str(item).partition(":")
        names.append(tail if head == "reference" else head)
    if not names and value.indicator in getattr(normalize, "DERIVATIONS", {}):
        numerator, denominator, *_ = normalize.DERIVATIONS[value.indicator]
        names = [numerator, denominator]
    return names


def region_area(dataset: Dataset, territory: str) -> str | None:
    """The reference area of the territory's région, when the data has one."""
    return normalize.region_area(dataset, territory)


def reference_indicators() -> tuple[str, ...]:
    """Indicators computed from the reference geography (population, area, communes)."""
    return tuple(normalize.REFERENCE_INDICATORS)


def load_reference(ref_dir) -> tuple[pd.DataFrame, dict]:
    """The reference territory table and its manifest."""
    return normalize.load_reference(ref_dir)
