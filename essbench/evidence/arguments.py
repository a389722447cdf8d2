"""Arguments checked at every public door: unknown ids named with close matches, strings refused.

A leaf module (standard library and the registry only), so the report layer's notebook helpers
and the CLI can call the same checks as the library without importing anything above them.
Messages are in English, whoever calls.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from essbench.evidence import registry
from essbench.evidence.registry import LANGUAGES
from essbench.evidence.problems import listing



class InvalidArgument(ValueError):
    """An argument a public function cannot use; the message says what is allowed."""


class ArgumentTypeError(InvalidArgument, TypeError):
    """An argument of the wrong kind, such as a string where a list of ids is expected."""


def _quoted(items: Iterable[object]) -> str:
    return ", ".join(repr(item) for item in items)


def _short(value: object, limit: int = 80) -> str:
    from essbench.evidence.problems import shorten

    return shorten(value, limit)  # only what the message shows is formatted


def suggestion(wrong: str, valid: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest valid ids, or '' when none is close.

    Examples
    --------
    >>> suggestion("grenble", ["grenoble", "grasse"])
    " (did you mean 'grenoble'?)"
    """
    close = difflib.get_close_matches(str(wrong), list(valid), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def check_ids(given: Any, valid: Collection[str], *, argument: str, what: str,
              allow_none: bool = True) -> list[str] | None:
    """The ids of `given` in order (duplicates once), or InvalidArgument naming every wrong one.

    A string is refused (``["grenoble"]`` is a list, ``"grenoble"`` is not); an empty list is
    refused; ``None`` means all when `allow_none`.

    Examples
    --------
    >>> check_ids(["b", "a"], {"a", "b"}, argument="territories", what="territory")
    ['b', 'a']
    """
    if given is None:
        if allow_none:
            return None
        raise InvalidArgument(f"{argument}: a list of {what} ids is required; valid {what} ids: "
                              f"{listing(valid)}")
    if isinstance(given, (str, bytes)):
        if isinstance(given, str) and given.lstrip().startswith("["):
            hint = (f"through papermill, give a list as YAML (-y '{argument}: [a, b]') or in a "
                    "params file: -p passes it as text")
        else:
            hint = f"for one id write {argument}=[{_short(given)}]"
        raise ArgumentTypeError(f"{argument}: expected a list of {what} ids, got the string "
                                f"{_short(given)}; {hint}")
    if isinstance(given, Mapping) or not isinstance(given, Iterable):
        raise ArgumentTypeError(f"{argument}: expected a list of {what} ids, got "
                                f"{type(given).__name__} {_short(given)}")
    items = list(given)
    if not items:
        raise InvalidArgument(f"{argument}: the list is empty; give at least one {what} id"
                              + (", or None for all" if allow_none else ""))
    problems = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            problems.append(f"{argument}[{index}] is {type(item).__name__} {_short(item)}, "
                            f"not a {what} id (a string)")
        elif item not in valid:
            problems.append(f"unknown {what} {item!r}{suggestion(item, valid)}")
    if problems:
        raise InvalidArgument(f"{argument}: {'; '.join(problems)}. Valid {what} ids: "
                              f"{listing(valid)}")
    return list(dict.fromkeys(items))


def check_id(given: Any, valid: Collection[str], *, argument: str, what: str) -> str:
    """One id, or InvalidArgument naming it, the close matches and the valid ids.

    Examples
    --------
    >>> check_id("population", {"population"}, argument="indicator", what="indicator")
    'population'
    """
    if not isinstance(given, str):
        raise ArgumentTypeError(f"{argument}: expected one {what} id (a string), got "
                                f"{type(given).__name__} {_short(given)}")
    if given not in valid:
        raise InvalidArgument(f"{argument}: unknown {what} {given!r}{suggestion(given, valid)}. "
                              f"Valid {what} ids: {listing(valid)}")
    return given


def check_territories(given: Any, valid: Collection[str], *, argument: str = "territories",
                      allow_none: bool = True) -> list[str] | None:
    """Territory ids checked against the profiles (`valid`, e.g. ``dataset.profiles``).

    Examples
    --------
    >>> check_territories(["grenoble"], {"grenoble", "gpsea"})
    ['grenoble']
    """
    return check_ids(given, valid, argument=argument, what="territory", allow_none=allow_none)


def profile_ids(profiles: Path | str) -> list[str]:
    """The territory ids of a profiles folder (Project.profiles), read without loading them.

    Lets a page that loads only its own profiles check the ids it is given first.

    Examples
    --------
    >>> profile_ids("data/profiles")  # in the tests' fixture project (tests/fixture_project.py)
    ['fictif', 'temoin']
    """
    return sorted(path.stem for path in Path(profiles).glob("*.yaml"))


def check_indicators(given: Any, *, argument: str = "indicators",
                     allow_none: bool = True) -> list[str] | None:
    """Indicator ids checked against the registry.

    Examples
    --------
    >>> check_indicators(["ess_employees"])
    ['ess_employees']
    """
    return check_ids(given, registry.INDICATORS, argument=argument, what="indicator",
                     allow_none=allow_none)


def check_indicator(given: Any, *, argument: str = "indicator") -> str:
    """One indicator id checked against the registry.

    Examples
    --------
    >>> check_indicator("ess_budget_eur")
    'ess_budget_eur'
    """
    return check_id(given, registry.INDICATORS, argument=argument, what="indicator")


def check_lang(given: Any, *, argument: str = "lang") -> str:
    """'fr' or 'en', or InvalidArgument saying so.

    Examples
    --------
    >>> check_lang("en")
    'en'
    """
    if given not in LANGUAGES:
        raise InvalidArgument(f"{argument}: {_short(given)} is not a language of essbench; "
                              f"use {' or '.join(repr(lang) for lang in LANGUAGES)}")
    return given


def check_column(columns: Collection[str], given: Any, *, argument: str = "column") -> str:
    """A column name of a table, or InvalidArgument with the close matches and the columns.

    Examples
    --------
    >>> check_column(["population", "name"], "population")
    'population'
    """
    if not isinstance(given, str):
        raise ArgumentTypeError(f"{argument}: expected a column name (a string), got "
                                f"{type(given).__name__} {_short(given)}")
    if given not in columns:
        raise InvalidArgument(f"{argument}: no column {given!r}{suggestion(given, columns)}. "
                              f"Columns: {', '.join(map(str, columns))}")
    return given


def check_flag(given: Any, *, argument: str) -> bool:
    """A True/False argument, refusing 'yes', 1 and the like.

    Examples
    --------
    >>> check_flag(True, argument="headline_only")
    True
    """
    if not isinstance(given, bool):
        raise ArgumentTypeError(f"{argument}: expected True or False, got "
                                f"{type(given).__name__} {_short(given)}")
    return given
