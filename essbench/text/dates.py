"""Dates as a French reader writes them."""

from __future__ import annotations

import datetime

from essbench.text.formats import date_text


def french_date(date: datetime.date) -> str:
    """'1er janvier 2014'.

    Examples
    --------
    >>> french_date(datetime.date(2014, 1, 1))
    '1er janvier 2014'
    """
    return date_text(date, "fr")
