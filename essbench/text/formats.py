"""Numbers, amounts, shares and dates in the reader's language, through Babel (fr_FR, en_GB)."""

from __future__ import annotations

import datetime
import math
import numbers
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from essbench.text.catalog import t

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _locale(lang: str) -> str:
    if lang not in LOCALES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LOCALES)}")
    return LOCALES[lang]


def _exact(value: float) -> Decimal:
    # Decimal(float) keeps the binary value, so Babel rounds as Python's format() does
    # (str() would round 2.675 up where the float is 2.67499…). numpy scalars come from tables.
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    return Decimal(float(value))


def _fraction(decimals: int) -> str:
    return "0" + ("." + "0" * decimals if decimals else "")


def number(value: float, decimals: int = 0, lang: str = "fr") -> str:
    """A number with the locale's grouping and decimal mark.

    Examples
    --------
    >>> number(48390)
    '48\\u202f390'
    >>> number(1.5, 1, "en")
    '1.5'
    """
    return format_decimal(_exact(value), format="#,##" + _fraction(decimals), locale=_locale(lang))


def eur(value: float, decimals: int = 0, lang: str = "fr") -> str:
    """An amount in euros: '92 900 €'; from a million up, millions in words ('1,5 million').

    Examples
    --------
    >>> eur(92900)
    '92\\u202f900\\xa0€'
    >>> eur(8_700_000)
    '8,7\\xa0millions d’euros'
    """
    if abs(value) >= 1e6:
        # CLDR's compact form reads '8,7 M €'; officials read '8,7 millions d’euros'.
        millions = value / 1e6
        digits = 0 if float(millions).is_integer() else 1
        amount = number(millions, digits, lang)
        # « million » agrees with the amount as written: 1,5 million, 2,0 millions.
        key = "amount.millions_eur" if abs(round(millions, digits)) >= 2 else "amount.million_eur"
        return t(key, lang, amount=amount)
    standard = Locale.parse(_locale(lang)).currency_formats["standard"].pattern
    pattern = standard.split(";")[0].replace("0.00", _fraction(decimals))
    return format_currency(_exact(value), "EUR", format=pattern, currency_digits=False,
                           locale=_locale(lang))


def share(value: float, decimals: int | None = None, lang: str = "fr") -> str:
    """A share as a percent: '6,5 %' from 0.065; whole percents lose their decimals.

    Examples
    --------
    >>> share(0.065)
    '6,5\\xa0%'
    """
    percent = value * 100
    if decimals is None:
        decimals = 0 if math.isclose(percent, round(percent), abs_tol=1e-9) else 1
    standard = Locale.parse(_locale(lang)).percent_formats[None].pattern
    pattern = standard.split(";")[0].replace("#,##0", "#,##" + _fraction(decimals))
    # Babel multiplies by 100 itself: give it the float percent back as an exact decimal.
    return format_percent(_exact(percent) / 100, format=pattern, locale=_locale(lang))


def date_text(date: datetime.date, lang: str = "fr") -> str:
    """A date in words: '1er janvier 2014', '1 January 2014'.

    Examples
    --------
    >>> date_text(datetime.date(2014, 1, 1))
    '1er janvier 2014'
    """
    text = format_date(date, format="d MMMM y", locale=_locale(lang))
    # CLDR has no ordinal day; French writes the first of the month '1er'.
    if date.day == 1:
        text = t("date.first_day", lang) + text[1:]
    return text
