"""Message catalogs: every text a reader sees, in French and English, looked up by key."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from essbench.evidence.registry import LANGUAGES
from essbench.evidence.yamlfiles import read_yaml

CATALOGS = Path(__file__).resolve().parent / "catalogs"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of one language, keyed 'section.name'."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    return _flatten(read_yaml(CATALOGS / f"{lang}.yaml"))


def placeholders(message: str) -> set[str]:
    """The named placeholders of a message: {name}."""
    return {field for _, field, _, _ in string.Formatter().parse(message) if field}


def t(key: str, lang: str = "fr", **params: object) -> str:
    """The message `key` in `lang`, its placeholders filled.

    Examples
    --------
    >>> t("value.unknown")
    'inconnu'
    >>> t("value.unknown", "en")
    'unknown'
    """
    messages = catalog(lang)
    if key not in messages:
        raise KeyError(f"no message {key!r} in the {lang} catalog ({CATALOGS / (lang + '.yaml')})")
    return messages[key].format(**params)


def plural(key: str, count: int, lang: str = "fr", **params: object) -> str:
    """The '.one' or '.other' form of `key` for `count`."""
    return t(f"{key}.{'one' if count == 1 else 'other'}", lang, count=count, **params)
