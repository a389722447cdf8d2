"""French numbers as the sources write them, and as officials read them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essbench.evidence.numbers import (
    NumberFormatError,
    find_numbers,
    parse_number,
)
from essbench.text.formats import eur as format_eur
from essbench.text.formats import number as format_number
from essbench.text.formats import share as format_share


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
        # What curators meet in budget tables and news pages.
        ("1,1 M€", 1_100_000, "exact", "millions"),
        ("300 K€", 300_000, "exact", "thousands"),
        ("300 k€", 300_000, "exact", "thousands"),
        ("300 k euros", 300_000, "exact", "thousands"),
        ("170000€", 170_000, "exact", "none"),
        ("2,34 millions", 2_340_000, "exact", "millions"),
        ("2 Md€", 2_000_000_000, "exact", "milliards"),
        ("une 40aine", 40, "approximately", "approximate_word"),
        ("un millier", 1000, "approximately", "approximate_word"),
        ("plus d’une centaine", 100, "at_least", "approximate_word"),
        ("un peu plus de 400 000", 400_000, "at_least", "none"),
        ("un peu moins de 2 000", 2_000, "at_most", "none"),
        ("plus du double", 2, "at_least", "multiple"),
        ("le double", 2, "exact", "multiple"),
        ("moins de la moitié", 0.5, "at_most", "multiple"),
    ],
)
def test_parse_number(text, value, qualifier, conversion):
    parsed = parse_number(text)
    assert math.isclose(parsed.value, value)
    assert (parsed.qualifier, parsed.conversion) == (qualifier, conversion)


@pytest.mark.parametrize("text", ["", "aucun chiffre", "2.392", "10 et 20", "3 G€", "2 Mio €"])
def test_parse_number_refuses(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_numbers_glued_to_letters_are_not_read():
    assert [n.value for n in find_numbers("8000 m2")] == [8000]
    assert [n.value for n in find_numbers("la période 2012-2015")] == [2012, 2015]


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


MULTIPLIERS = {"k€": 1e3, "K€": 1e3, " k€": 1e3, " K€": 1e3, " M€": 1e6, "M€": 1e6,
               " millions": 1e6, " Md€": 1e9, " milliards": 1e9, " mille": 1e3}


@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=0, max_value=2),
       st.sampled_from(sorted(MULTIPLIERS)))
def test_multipliers_keep_the_magnitude(hundredths, decimals, suffix):
    number = hundredths / 10**decimals
    text = format_number(number, decimals) + suffix
    parsed = parse_number(text)
    assert math.isclose(parsed.value, round(number, decimals) * MULTIPLIERS[suffix], rel_tol=1e-9)


@given(st.integers(min_value=1, max_value=10**6),
       st.text(alphabet="ABCDEFGHIJLNOPQRSTUVWXYZabcdefghijlnopqrstuvwxyz", min_size=1,
               max_size=3))
def test_unknown_multiplier_is_refused_not_dropped(value, letters):
    # Reading "3 G€" as 3 would tell a curator a budget is a billion times smaller.
    text = f"{format_number(value)} {letters}€"
    try:
        parsed = parse_number(text)
    except NumberFormatError:
        return
    # Read, then the letters were a multiplier it knows (k€, M€...): never dropped.
    assert parsed.value > value, (text, parsed)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "plus de ", "environ ",
                                                                   "un peu plus de "]))
def test_qualified_integers_read_back(value, prefix):
    parsed = parse_number(prefix + format_number(value) + "\u00a0€")
    assert parsed.value == value
    assert parsed.qualifier == {"": "exact", "environ ": "approximately"}.get(prefix, "at_least")


def test_validation_never_proposes_a_smaller_magnitude():
    from essbench.evidence.dataset import _check_number
    from essbench.evidence.profiles import Fact

    fact = Fact(id="budget", indicator="call_for_projects_winners", value=1.1, unit="count",
                year=2023, qualifier="exact", as_written="1,1 M€", conversion="millions",
                source="s", quote="un budget de 1,1 M€")
    (problem,) = _check_number(fact, "facts[0]", "p.yaml")
    assert problem.field == "facts[0].value"
    assert problem.allowed.startswith("1100000,") and "times off" in problem.allowed
