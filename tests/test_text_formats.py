"""Babel gives the French typography the pages use: narrow no-break spaces, decimal comma, '€'."""

from __future__ import annotations

import datetime


from essbench.text.formats import date_text, eur, number, share


def test_french_typography():
    assert number(48390) == "48\u202f390"
    assert eur(92900) == "92\u202f900\u00a0€"
    assert share(0.065) == "6,5\u00a0%"
    assert share(0.13) == "13\u00a0%"
    assert eur(8_700_000) == "8,7\u00a0millions d’euros"
    assert date_text(datetime.date(2014, 1, 1)) == "1er janvier 2014"


def test_british_typography():
    assert number(48390, lang="en") == "48,390"
    assert eur(92900, lang="en") == "€92,900"
    assert share(0.065, lang="en") == "6.5%"
    assert date_text(datetime.date(2014, 1, 1), "en") == "1 January 2014"


def test_rounding_follows_the_float_not_its_shortest_repr():
    # 2.675 is stored as 2.67499…: Python and these wrappers write 2,67, plain Babel 2,68.
    assert number(2.675, 2) == "2,67"
