"""French numbers: reading them as sources write them, writing them as officials read them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Every space a French web page may put between digit groups.
_SPACES = " \u00a0\u202f\u2009"
_NUMBER = rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?"

_MULTIPLIERS = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9}
# "une quarantaine de projets": round counts written as words.
_APPROXIMATE_WORDS = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}
_QUALIFIER_WORDS = (
    ("près de", "approximately"),
    ("pres de", "approximately"),
    ("environ", "approximately"),
    ("plus de", "at_least"),
    ("au moins", "at_least"),
    ("moins de", "at_most"),
    ("jusqu'à", "at_most"),
)

_PATTERN = re.compile(
    rf"(?P<qualifier>(?:près|pres|plus|moins)\s+de\s+|environ\s+|au\s+moins\s+)?"
    rf"(?:(?P<k>\d+) \w+ sur (?P<n>\d+)"
    rf"|une (?P<word>{'|'.join(_APPROXIMATE_WORDS)})"
    rf"|(?:(?<!\w)(?P<sign>[+\-−] ?))?(?<![^\W\d_])(?P<number>{_NUMBER})"
    rf"(?P<suffix>[{_SPACES}]?%|[{_SPACES}](?:millions?|milliards?)\b)?)",
    re.IGNORECASE,
)


class NumberFormatError(ValueError):
    """A text that is not one French number, with the reason."""


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from French text: its value, how it was worded, and what was converted."""

    value: float
    qualifier: str  # exact | approximately | at_least | at_most
    conversion: str  # none | percent | ratio | millions | milliards | approximate_word
    text: str


def _to_float(digits: str) -> float:
    for space in _SPACES:
        digits = digits.replace(space, "")
    if re.fullmatch(r"\d+\.\d{3}", digits):
        raise NumberFormatError(
            f"'{digits}' is ambiguous: a dot before three digits may be a thousands separator"
        )
    return float(digits.replace(",", "."))


def _qualifier(prefix: str | None) -> str:
    prefix = " ".join((prefix or "").split()).lower()
    for words, qualifier in _QUALIFIER_WORDS:
        if prefix.startswith(words):
            return qualifier
    return "exact"


def _parsed(match: re.Match[str]) -> ParsedNumber:
    qualifier = _qualifier(match["qualifier"])
    text = match.group(0)
    if match["n"]:
        return ParsedNumber(int(match["k"]) / int(match["n"]), qualifier, "ratio", text)
    if match["word"]:
        word_value = _APPROXIMATE_WORDS[match["word"].lower()]
        return ParsedNumber(word_value, "approximately", "approximate_word", text)
    value = _to_float(match["number"])
    if match["sign"] and match["sign"].strip() in "-−":
        value = -value
    suffix = (match["suffix"] or "").strip(_SPACES).lower()
    if suffix == "%":
        return ParsedNumber(round(value / 100, 12), qualifier, "percent", text)
    if suffix in _MULTIPLIERS:
        conversion = "millions" if suffix.startswith("million") else "milliards"
        return ParsedNumber(round(value * _MULTIPLIERS[suffix], 6), qualifier, conversion, text)
    return ParsedNumber(value, qualifier, "none", text)


def parse_number(text: str) -> ParsedNumber:
    """Read one French number ("2 392", "8,6%", "55 millions d'euros", "1 emploi sur 10")."""
    matches = list(_PATTERN.finditer(text))
    if not matches:
        raise NumberFormatError(f"no number in '{text}'")
    if len(matches) > 1:
        found = ", ".join(repr(m.group(0)) for m in matches)
        raise NumberFormatError(f"more than one number in '{text}': {found}")
    return _parsed(matches[0])


def find_numbers(text: str) -> list[ParsedNumber]:
    """Every number a French text states, in order; ambiguous ones are left out."""
    found = []
    for match in _PATTERN.finditer(text):
        try:
            found.append(_parsed(match))
        except NumberFormatError:
            continue
    return found


def same_value(a: float, b: float) -> bool:
    """Equal up to the float noise that percent and ratio conversions add."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# Officials read "48 390", "92 900 €", "6,5 %": a narrow no-break space groups digits, a
# no-break space keeps the unit on the same line.
_GROUP = "\u202f"
_UNIT_SPACE = "\u00a0"


def format_number(value: float, decimals: int = 0) -> str:
    """'48 390', '1,5': French digit grouping and decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", _GROUP).replace(".", ",")


def format_eur(value: float, decimals: int = 0) -> str:
    """'92 900 €', or '8,7 millions d'euros' from a million up."""
    if abs(value) >= 1e6:
        millions = value / 1e6
        digits = 0 if float(millions).is_integer() else 1
        return f"{format_number(millions, digits)}{_UNIT_SPACE}millions d’euros"
    return f"{format_number(value, decimals)}{_UNIT_SPACE}€"


def format_share(value: float, decimals: int | None = None) -> str:
    """'6,5 %' from 0.065; whole percents lose their decimals."""
    percent = value * 100
    if decimals is None:
        decimals = 0 if math.isclose(percent, round(percent), abs_tol=1e-9) else 1
    return f"{format_number(percent, decimals)}{_UNIT_SPACE}%"


_QUALIFIER_PREFIX = {
    "exact": "",
    "approximately": "environ ",
    "at_least": "plus de ",
    "at_most": "moins de ",
}


def qualifier_prefix(qualifier: str) -> str:
    """French words that mark an approximate or bounded value."""
    return _QUALIFIER_PREFIX[qualifier]
