"""Dates as a French reader writes them."""

from __future__ import annotations

import datetime

from essbench.text.catalog import t
from essbench.text.formats import date_text


def french_date(date: datetime.date) -> str:
    """'1er janvier 2014'.

    Examples
    --------
    >>> french_date(datetime.date(2014, 1, 1))
    '1er janvier 2014'
    """
    return date_text(date, "fr")


def period_label(period, lang: str = "fr") -> str:
    """When a figure holds, short: '2019', '2016-2022', 'vers 2007', '2015 au plus tard'.

    Examples
    --------
    >>> from essbench.evidence.profiles import Period
    >>> period_label(Period.model_validate("2016-2022")), period_label(Period(start=2007, about=True))
    ('2016-2022', 'vers 2007')
    """
    if period is None or (not period.known and period.end is None):
        return t("evolution.period.unknown", lang)
    if not period.known:
        return t("evolution.period.at_latest", lang, year=period.end)
    if period.about and period.kind == "year":
        return t("evolution.period.about", lang, year=period.start)
    return period.years
