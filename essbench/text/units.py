"""Bases and units as captions write them."""

from __future__ import annotations

from essbench.evidence import registry
from essbench.text.catalog import t
from essbench.values.normalize import Value


def base_text(value: Value, lang: str = "fr") -> str:
    """What a share is a share of, in words."""
    return registry.BASES[value.base][lang] if value.base else ""


def short_base(value: Value, lang: str = "fr") -> str:
    """The base without its gloss: 'ensemble des emplois', 'emploi salarié'."""
    return base_text(value, lang).split(" (")[0]


def unit_text(unit: str, lang: str = "fr") -> str:
    """A unit as a caption writes it."""
    if unit in ("share", "rate"):
        return t("unit.percent", lang)
    return registry.UNITS[unit][lang]
