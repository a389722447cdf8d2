"""Dates as a French reader writes them."""

from __future__ import annotations

import datetime


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def french_date(date: datetime.date) -> str:
    """'1er janvier 2014'."""
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {MONTHS[date.month - 1]} {date.year}"
