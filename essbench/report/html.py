"""The Jinja2 environment of the report: section templates with autoescape and the catalogs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from essbench.text.catalog import catalog, t
from essbench.text.values import formatted

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECTIONS = TEMPLATES / "sections"
STYLESHEET = TEMPLATES / "essbench" / "static" / "essbench.css"


@cache
def environment() -> Environment:
    """Templates of the sections, every value escaped unless a template made it markup."""
    return Environment(loader=FileSystemLoader(SECTIONS), autoescape=True, trim_blocks=True,
                       lstrip_blocks=True, undefined=StrictUndefined,
                       extensions=["jinja2.ext.do"])


def _words(lang: str) -> dict:
    def message(key: str, **params: object) -> str:
        return t(key, lang, **params)

    def markup(key: str, **params: object) -> Markup:
        # The message's own words are escaped; parameters that are markup (a <strong> name)
        # stay markup, any other parameter is escaped.
        return Markup(escape(catalog(lang)[key])).format(**params)

    return {"t": message, "tm": markup, "lang": lang,
            "formatted": lambda value: formatted(value, lang)}


def render(template: str, macro: str, lang: str = "fr", **view: object) -> str:
    """One macro of a section template, rendered in `lang`.

    Examples
    --------
    >>> render("compare.html.j2", "reading", v={"sentences": ["Une phrase."]})
    '<div class="ess-reading"><ul><li>Une phrase.</li></ul></div>'
    """
    module = environment().get_template(template).make_module(vars=_words(lang))
    return str(getattr(module, macro)(**view))
