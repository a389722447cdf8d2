"""French numbers as the sources write them, and as officials read them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essbench.evidence.numbers import (
    NumberFormatError,
    find_numbers,
    format_eur,
    format_number,
    format_share,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "conversion"),
    [
        ("2 392", 2392, "exact", "none"),
        ("92 900€", 92900, "exact", "none"),
        ("8.7 millions d'€", 8_700_000, "exact", "millions"),
        ("55 millions d'euros", 55_000_000, "exact", "millions"),
        ("8,6%", 0.086, "exact", "percent"),
        ("1 emploi sur 10", 0.1, "exact", "ratio"),
        ("8 postes sur 10", 0.8, "exact", "ratio"),
        ("près de 100", 100, "approximately", "none"),
        ("près de 55 millions d’euros", 55_000_000, "approximately", "millions"),
        ("plus de 13%", 0.13, "at_least", "percent"),
        ("environ\u00a0200 000", 200_000, "approximately", "none"),
        ("une quarantaine de projets", 40, "approximately", "approximate_word"),
        ("2,35 millions de salariés", 2_350_000, "exact", "millions"),
        ("+ 2.8 %", 0.028, "exact", "percent"),
        ("48\u202f390", 48390, "exact", "none"),
    ],
)
def test_parse_number(text, value, qualifier, conversion):
    parsed = parse_number(text)
    assert math.isclose(parsed.value, value)
    assert (parsed.qualifier, parsed.conversion) == (qualifier, conversion)


@pytest.mark.parametrize("text", ["", "aucun chiffre", "2.392", "10 et 20"])
def test_parse_number_refuses(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_numbers_glued_to_letters_are_not_read():
    assert [n.value for n in find_numbers("8000 m2")] == [8000]
    assert [n.value for n in find_numbers("la période 2012-2015")] == [2012, 2015]


def test_french_formats():
    assert format_number(48390) == "48\u202f390"
    assert format_eur(92900) == "92\u202f900\u00a0€"
    assert format_share(0.065) == "6,5\u00a0%"
    assert format_share(0.13) == "13\u00a0%"
    assert format_eur(8_700_000) == "8,7\u00a0millions d’euros"


@given(st.integers(min_value=0, max_value=10**12))
def test_formatted_integers_read_back(value):
    assert parse_number(format_number(value)).value == value


@given(st.integers(min_value=0, max_value=100_000))
def test_formatted_shares_read_back(per_mille):
    share = per_mille / 100_000
    text = format_share(share, decimals=3)
    assert math.isclose(parse_number(text).value, round(share, 5), abs_tol=1e-9)


@given(st.text(max_size=60))
def test_find_numbers_never_crashes(text):
    for number in find_numbers(text):
        assert number.qualifier in {"exact", "approximately", "at_least", "at_most"}
