"""Names of territories and sources, years and source captions as readers cite them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from essbench.evidence.dataset import Dataset
from essbench.evidence.profiles import Fact
from essbench.text.catalog import t
from essbench.text.formats import date_text
from essbench.values.normalize import Value


def evidence_words(item: object, lang: str = "fr") -> str:
    """An archived quote in guillemets, or a cited page's description, marked as such."""
    quote = getattr(item, "quote", None)
    if quote:
        return t("quote.inline", lang, quote=quote)
    return t("quote.cited", lang, description=getattr(item, "description", None) or "")


def territory_name(dataset: Dataset, owner_id: str) -> str:
    """The short name of a territory, or the name of a reference area."""
    if owner_id in dataset.profiles:
        return dataset.profiles[owner_id].names.short
    if owner_id in dataset.references:
        return dataset.references[owner_id].name
    return owner_id


def source_label(dataset: Dataset, source_id: str | None, lang: str = "fr") -> str:
    """A source as a reader cites it: publisher, title and what is known of its date."""
    if source_id is None:
        return t("source.unknown", lang)
    source = dataset.sources.get(source_id)
    if source is None:
        return source_id  # reference geography: the package name and version
    if isinstance(source.date_published, datetime.date):
        date = t("source.published_on", lang, date=date_text(source.date_published, lang))
    elif source.date_published != "unknown":
        # A cited page may be dated to the month ("2019-09") or the year ("2023") only.
        year, _, month = source.date_published.partition("-")
        when = (date_text(datetime.date(int(year), int(month), 1), lang).split(" ", 1)[1]
                if month else year)
        date = t("source.published_in", lang, date=when)
    else:
        date = t("source.undated", lang)
    publisher = (t("source.publisher_unknown", lang) if source.publisher == "unknown"
                 else source.publisher)
    return t("source.label", lang, publisher=publisher, title=source.title, date=date)


def fact_of(dataset: Dataset, value: Value) -> Fact | None:
    """The profile or reference fact a value was read from."""
    if value.fact_id is None:
        return None
    owner = dataset.profiles.get(value.territory) or dataset.references.get(value.territory)
    if owner is None:
        return None
    return next((f for f in owner.facts if f.id == value.fact_id), None)


_NOT_GIVEN = re.compile(r"^(année( des données)? )?non indiquée[\s.;,:]*", re.IGNORECASE)


def year_text(dataset: Dataset, value: Value, lang: str = "fr") -> str:
    """The year of a value, or what is known of it: 'non indiquée (page écrite vers 2014)'."""
    from essbench.values.judgement import when_of

    if value.year != "unknown":
        return str(value.year)
    # The judgement's period: a span, 'about' a year, or no later than a bound; one wording
    # for every card, table, chart and caption.
    when = when_of(value, dataset)
    if when.known:
        text = str(when.start) if when.kind == "year" else f"{when.start}-{when.end}"
        return t("evolution.period.about", lang, year=text) if when.about else text
    fact = fact_of(dataset, value)
    bound = (t("evolution.period.at_latest", lang, year=when.bound)
             if when.bound is not None else None)
    if fact is None or not fact.year_note:
        return bound or t("year.not_given", lang)
    # The curator's year note is French; other languages say only that the year is not given.
    rest = _NOT_GIVEN.sub("", fact.year_note.strip()).rstrip(". ") if lang == "fr" else ""
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    if not rest:
        return bound or t("year.not_given", lang)
    if bound:
        return f"{bound} ({rest[0].lower() + rest[1:]})"
    return t("year.not_given_with_note", lang, note=rest[0].lower() + rest[1:])


def input_sources(dataset: Dataset, value: Value) -> list[str]:
    """The sources a value rests on: its own, or those of a ratio's inputs."""
    if not value.derived:
        return [value.source] if value.source else []
    found = []
    for item in value.inputs:
        indicator, _, fact_id = item.partition(":")
        if indicator == "reference" or not fact_id:
            continue
        owner = dataset.profiles.get(value.territory) or dataset.references.get(value.territory)
        fact = next((f for f in owner.facts if f.id == fact_id), None) if owner else None
        if fact is not None:
            found.append(fact.source)
    return found


def sources_caption(dataset: Dataset, values: Iterable[Value], lang: str = "fr") -> str:
    """'Sources : …' for the known values, each once; a ratio cites its inputs' sources."""
    seen: list[str] = []
    geography = False
    for value in values:
        if not value.known:
            continue
        geography |= any(i.startswith("reference:") or i in ("population", "area_km2")
                         for i in value.inputs)
        for source in input_sources(dataset, value):
            if source not in seen:
                seen.append(source)
    if not seen:
        return t("caption.no_source", lang)
    cited = t("list.semicolon", lang).join(source_label(dataset, s, lang) for s in seen)
    if geography:
        cited += t("caption.population_source", lang)
    return t("caption.sources.one" if len(seen) == 1 else "caption.sources.other", lang,
             sources=cited)


def years_caption(dataset: Dataset, values: Iterable[Value], lang: str = "fr") -> str:
    """'Années : …' of the known values, with what is known when a source gives none."""
    parts = []
    for value in values:
        if value.known:
            text = t("comparability.pair", lang, name=territory_name(dataset, value.territory),
                     text=year_text(dataset, value, lang))
            if text not in parts:
                parts.append(text)
    return t("caption.years", lang, years=t("list.semicolon", lang).join(parts)) if parts else ""
