"""French numbers as sources write them, read into values (writing them is essbench.text.formats)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Every space a French web page may put between digit groups.
_SPACES = " \u00a0\u202f\u2009"
_S = f"[{_SPACES}]"
_NUMBER = rf"\d{{1,3}}(?:{_S}\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?"

# Multipliers as curators meet them: words, and the short forms of budget tables
# ("300 K€", "1,1 M€", "2 Md€"). Each maps to (factor, conversion).
_WORD_MULTIPLIERS = {
    "mille": (1e3, "thousands"),
    "milliers": (1e3, "thousands"),
    "million": (1e6, "millions"),
    "millions": (1e6, "millions"),
    "milliard": (1e9, "milliards"),
    "milliards": (1e9, "milliards"),
}
_SHORT_MULTIPLIERS = {
    "k": (1e3, "thousands"),
    "m": (1e6, "millions"),
    "md": (1e9, "milliards"),
    "mds": (1e9, "milliards"),
    "mrd": (1e9, "milliards"),
    "mrds": (1e9, "milliards"),
}
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
# "plus du double": a multiple of another figure, not an amount.
_MULTIPLES = {"moitié": 0.5, "moitie": 0.5, "double": 2, "triple": 3, "quadruple": 4}

_QUALIFIER_WORDS = (
    ("près", "approximately"),
    ("pres", "approximately"),
    ("pas loin", "approximately"),
    ("environ", "approximately"),
    ("quelque", "approximately"),
    ("au plus tard", "at_most"),
    ("au plus tôt", "at_least"),
    ("plus", "at_least"),
    ("au moins", "at_least"),
    ("au-delà", "at_least"),
    ("moins", "at_most"),
    ("jusqu'à", "at_most"),
    ("jusqu’à", "at_most"),
)

_QUALIFIER = (
    r"(?:un\s+peu\s+)?(?:plus|moins)\s+(?:de\s+la|de|du|d['’])\s*"
    r"|(?:près|pres|pas\s+loin)\s+(?:de\s+la|de|du|d['’])\s*"
    r"|environ\s+|quelque\s+|au\s+moins\s+|au-delà\s+de\s+|jusqu['’]à\s+"
    r"|au\s+plus\s+(?:tard|tôt)\s+(?:en\s+)?"
)
_SHORT = "|".join(sorted(_SHORT_MULTIPLIERS, key=len, reverse=True))
_WORDS = "|".join(sorted(_WORD_MULTIPLIERS, key=len, reverse=True))

_PATTERN = re.compile(
    rf"(?P<qualifier>{_QUALIFIER})?"
    rf"(?:(?P<k>\d+) \w+ sur (?P<n>\d+)"
    rf"|une?\s+(?:(?P<word>{'|'.join(_APPROXIMATE_WORDS)})|(?P<digits_word>\d+)aine)\b"
    rf"|(?:(?:le|la|l['’])\s*)?(?P<multiple>{'|'.join(_MULTIPLES)})\b"
    rf"|(?:(?<!\w)(?P<sign>[+\-−] ?))?(?<![^\W\d_])(?P<number>{_NUMBER})"
    rf"(?P<suffix>{_S}?%|{_S}?(?:{_SHORT})(?=\s?(?:€|euros?\b))|{_S}?(?-i:K|M|Md|Mds)\b"
    rf"|{_S}(?:{_WORDS})\b)?)",
    re.IGNORECASE,
)
# Letters glued to a euro sign right after a number ("3 G€", "2 Mio €"): a multiplier this
# reader does not know. Reading the bare number would change the magnitude, so it refuses.
_UNKNOWN_MULTIPLIER = re.compile(rf"^{_S}?([^\W\d_]{{1,4}}){_S}?(?:€|euros?\b)", re.IGNORECASE)


class NumberFormatError(ValueError):
    """A text that is not one French number, with the reason."""


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from French text: its value, how it was worded, and what was converted."""

    value: float
    qualifier: str  # exact | approximately | at_least | at_most
    conversion: str  # none | percent | ratio | thousands | millions | milliards |
    # approximate_word | multiple
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
    prefix = prefix.removeprefix("un peu ")
    for words, qualifier in _QUALIFIER_WORDS:
        if prefix.startswith(words):
            return qualifier
    return "exact"


def _parsed(match: re.Match[str], following: str = "") -> ParsedNumber:
    qualifier = _qualifier(match["qualifier"])
    text = match.group(0)
    if match["n"]:
        return ParsedNumber(int(match["k"]) / int(match["n"]), qualifier, "ratio", text)
    if match["word"] or match["digits_word"]:
        word_value = (_APPROXIMATE_WORDS[match["word"].lower()] if match["word"]
                      else int(match["digits_word"]))
        # "plus d'une centaine" keeps its bound; a bare "une centaine" is approximate.
        bound = qualifier if qualifier != "exact" else "approximately"
        return ParsedNumber(word_value, bound, "approximate_word", text)
    if match["multiple"]:
        return ParsedNumber(_MULTIPLES[match["multiple"].lower()], qualifier, "multiple", text)
    value = _to_float(match["number"])
    if match["sign"] and match["sign"].strip() in "-−":
        value = -value
    suffix = (match["suffix"] or "").strip(_SPACES)
    if suffix == "%":
        return ParsedNumber(round(value / 100, 12), qualifier, "percent", text)
    if suffix:
        factor, conversion = (_WORD_MULTIPLIERS.get(suffix.lower())
                              or _SHORT_MULTIPLIERS[suffix.lower()])
        return ParsedNumber(round(value * factor, 6), qualifier, conversion, text)
    unknown = _UNKNOWN_MULTIPLIER.match(following)
    if unknown:
        raise NumberFormatError(
            f"'{text}{unknown.group(0)}': '{unknown.group(1)}' is not a multiplier this reader "
            "knows (k€, K€, M€, Md€, mille, millions, milliards); write one of those"
        )
    return ParsedNumber(value, qualifier, "none", text)


def parse_number(text: str) -> ParsedNumber:
    """Read one French number ("2 392", "8,6%", "1,1 M€", "300 k€", "une quarantaine").

    Examples
    --------
    >>> parse_number("1,1 M€").value
    1100000.0
    >>> parse_number("un peu plus de 400 000").qualifier
    'at_least'
    """
    matches = list(_PATTERN.finditer(text))
    if not matches:
        raise NumberFormatError(f"no number in '{text}'")
    if len(matches) > 1:
        found = ", ".join(repr(m.group(0)) for m in matches)
        raise NumberFormatError(f"more than one number in '{text}': {found}")
    return _parsed(matches[0], text[matches[0].end():])


def find_numbers(text: str) -> list[ParsedNumber]:
    """Every number a French text states, in order; ambiguous ones are left out."""
    found = []
    for match in _PATTERN.finditer(text):
        try:
            found.append(_parsed(match, text[match.end():]))
        except NumberFormatError:
            continue
    return found


def same_value(a: float, b: float) -> bool:
    """Equal up to the float noise that percent and ratio conversions add."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
