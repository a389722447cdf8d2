"""The head of the brief (a page opened at #fiche): what it would lack printed alone.

Shown only in the brief: who the territory is (official name, kind, département), the date line,
every abbreviation the page uses spelled out, the key to the evidence labels, one line of
precautions; on screen a way back to the whole page and a print button.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from essbench.evidence import registry
from essbench.report.context import Context
from essbench.report.html import render
from essbench.text.catalog import catalog, t

_WORD = re.compile(r"\b[A-Z][A-Z0-9]{1,7}\b")


def _texts(value) -> list[str]:
    """Every string of a profile (names, facts, quotes, notes), for its abbreviations."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _texts(v)]
    if hasattr(value, "model_dump"):
        return _texts(value.model_dump(mode="json"))
    return []


def abbreviations(ctx: Context, territories: Sequence[str]) -> list[tuple[str, str]]:
    """(abbreviation, what it stands for) for each one the territories' profiles use: a short
    name in capitals is its territory's official name; others come from the glossary."""
    lang = ctx.lang
    glossary = {key.split(".", 1)[1]: text for key, text in catalog(lang).items()
                if key.startswith("glossary.")}
    found: dict[str, str] = {}
    words: set[str] = set()
    for tid in territories:
        profile = ctx.dataset.profiles[tid]
        short = profile.names.short
        if _WORD.fullmatch(short):
            found[short] = profile.names.official
        words |= set(_WORD.findall(" ".join(_texts(profile))))
    for kind in {ctx.dataset.profiles[tid].kind for tid in territories}:
        if kind == "etablissement_public_territorial":
            words.add("EPT")
        elif kind in ("communaute_agglomeration", "communaute_communes", "communaute_urbaine",
                      "metropole"):
            words.add("EPCI")
    words.add("ESS")
    for word in sorted(words):
        if word in glossary and word not in found:
            found[word] = glossary[word]
    return sorted(found.items())


def _place(ctx: Context, territory: str) -> str:
    profile = ctx.dataset.profiles[territory]
    code = str(profile.codes.departement)
    names = getattr(ctx, "departement_names", None) or {}
    name = names.get(code) if isinstance(names, dict) else None
    if name is None and getattr(ctx, "departements", None) is not None:
        try:
            rows = ctx.departements[ctx.departements["code"] == code]
            name = str(rows["name"].iloc[0]) if len(rows) else None
        except (KeyError, AttributeError, TypeError):
            name = None
    return t("brief.departement", ctx.lang, name=name or code, code=code) if name else code


def brief_head_html(ctx: Context, territories: Sequence[str], date: str) -> str:
    """The brief's head for one territory or a comparison."""
    lang = ctx.lang
    if len(territories) == 1:
        tid = territories[0]
        profile = ctx.dataset.profiles[tid]
        who = t("brief.who", lang, name=profile.names.official,
                kind=registry.TERRITORY_KINDS[profile.kind][lang], place=_place(ctx, tid))
    else:
        kinds: dict[str, int] = {}
        for tid in territories:
            kind = registry.TERRITORY_KINDS[ctx.dataset.profiles[tid].kind][lang]
            kinds[kind] = kinds.get(kind, 0) + 1
        who = t("brief.who_many", lang, count=len(territories),
                kinds=t("list.semicolon", lang).join(f"{k} ({n})" for k, n in kinds.items()))
    items = t("list.semicolon", lang).join(
        t("comparability.pair", lang, name=word, text=text)
        for word, text in abbreviations(ctx, territories))
    labels = [t(f"page.legend.{k}", lang) for k in ("quoted", "cited", "derived", "unknown")]
    return render("essentials.html.j2", "brief_head", lang, v={
        "who": who, "date": date, "abbreviations": t("brief.abbreviations", lang, items=items),
        "labels": labels, "labels_heading": t("brief.labels", lang, items=""),
        "precaution": t("brief.precaution", lang)})
