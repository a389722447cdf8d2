"""Problems found in input files: gathered, then reported together without a traceback."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models import pydantic; reporting a problem does not need it
    import pydantic


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where, what was found, and what is allowed."""

    file: str
    field: str
    found: str
    allowed: str

    def __post_init__(self) -> None:
        # One line of a message, whatever a check put in it: never a whole value.
        for name, limit in (("field", 200), ("found", 300)):
            text = str(getattr(self, name))
            if len(text) > limit:
                object.__setattr__(self, name, text[: limit - 1] + "…")

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: found {self.found}; allowed: {self.allowed}"


class InvalidInput(Exception):
    """Raised once with every problem found, so a curator fixes a file in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def _render_traceback_(self) -> list[str]:
        """What IPython and Jupyter show for it: the problem lines, without a traceback."""
        count = len(self.problems)
        return [f"{count} problem{'s' if count != 1 else ''} found:"] + [
            f"- {problem}" for problem in self.problems]


def display_path(path: Path | str) -> str:
    """A path as the user knows it: relative to the working folder when it is inside it."""
    path = Path(path)
    try:
        try:
            resolved = path.resolve()
        except RuntimeError:  # a loop of links: its folder resolved, its own name kept
            resolved = path.parent.resolve() / path.name
        return str(resolved.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the working folder, or none
        return str(path)


def listing(items, limit: int = 20) -> str:
    """Sorted ids for an error message, the first `limit` of them: a list of what is allowed
    must stay readable with a thousand territories.

    Examples
    --------
    >>> listing(["b", "a"])
    'a, b'
    >>> listing([f"t{i:02d}" for i in range(25)], limit=3)
    't00, t01, t02 and 22 more'
    """
    ordered = sorted(items)
    more = len(ordered) - limit
    return ", ".join(ordered[:limit]) + (f" and {more} more" if more > 0 else "")


def shorten(value: object, limit: int = 80) -> str:
    """A found value, quoted and cut short enough for one line of an error message.

    Only what the line shows is ever formatted: a value of millions of items (a file's
    aliases expanded) costs no more than a short one.

    Examples
    --------
    >>> shorten("grasse")
    "'grasse'"
    >>> len(shorten([list(range(1000))] * 1000)) <= 80
    True
    """
    text = _REPR.repr(value)
    text = " ".join(text.split()) if "\n" in text else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded_repr() -> reprlib.Repr:
    bounded = reprlib.Repr()
    bounded.maxlevel = 3
    bounded.maxlist = bounded.maxtuple = bounded.maxset = bounded.maxdict = 8
    bounded.maxstring = bounded.maxother = bounded.maxlong = 200
    return bounded


_REPR = _bounded_repr()


def from_pydantic(file: str, error: pydantic.ValidationError, prefix: str = "") -> list[Problem]:
    """One Problem per pydantic error, with the field path written as a.b[0].c; the errors of
    one value against each type a field allows (a date, or 'unknown') make one Problem."""
    items = error.errors(include_url=False)
    # The members of a union a value was tried against: two errors or more on one location,
    # each ending with the member's tag (`date`, `literal['unknown']`...).
    tried: dict[tuple, list[int]] = {}
    for index, item in enumerate(items):
        loc = tuple(item["loc"])
        if loc and _is_member_tag(loc[-1]):
            tried.setdefault((loc[:-1], repr(item.get("input"))[:200]), []).append(index)
    union = {index: group[0] for group in tried.values() if len(group) > 1 for index in group}
    problems: dict[int, Problem] = {}
    for index, item in enumerate(items):
        field = prefix
        loc = list(item["loc"])[:-1] if index in union else item["loc"]
        for part in loc:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        found = "nothing" if item["type"] == "missing" else shorten(item.get("input"))
        allowed = _allowed(item)
        # A check across fields names the field it is about: "value: a share from 0 to 1".
        named = re.match(r"^(\w+): (.*)$", allowed, re.DOTALL)
        if named:
            key, allowed = named.groups()
            field = f"{field}.{key}"
            if isinstance(item.get("input"), dict):
                found = shorten(item["input"].get(key, "nothing"))
        first = union.get(index, index)
        if first in problems:  # another type the same value was tried against
            before = problems[first]
            problems[first] = Problem(before.file, before.field, before.found,
                                      f"{before.allowed} — or: {allowed}")
        else:
            problems[first] = Problem(file, field or "(file)", found, allowed)
    return list(problems.values())


# How pydantic names the member of a union a value was tried against: `date`, `str`,
# `literal['unknown']`, `function-after[check_year(), int]`, `constrained-str`...
_MEMBER_TAGS = {"date", "datetime", "str", "int", "float", "bool", "none", "list", "dict"}


def _is_member_tag(part: object) -> bool:
    return isinstance(part, str) and (part in _MEMBER_TAGS or "[" in part or "-" in part)


def _allowed(item: dict) -> str:
    if item["type"] == "extra_forbidden":
        return "no such key (check the spelling against the documented fields)"
    if item["type"] == "missing":
        return "a value (this field is required)"
    message = item["msg"]
    return message[len("Value error, "):] if message.startswith("Value error, ") else message
