"""« Ce que font les autres » : what comparable territories do that this one does not show.

The peers are the territories a page's params name (`peers`); of them, only those of the same
kind of authority and of the same scale (population within a factor of two) are compared.
Each lever a peer uses and this territory's sources do not show, and each amount a peer states
that is unknown here, is listed with its evidence: the peer's figure, its quote and source link.
"""

from __future__ import annotations

from collections.abc import Sequence

from essbench.evidence import registry
from essbench.report.context import Context
from essbench.report.html import render
from essbench.text.catalog import t
from essbench.text.citations import source_label
from essbench.text.values import formatted

SCALE = 2.0  # a peer's population is within this factor of the territory's
AMOUNTS = ("ess_budget_eur", "ess_budget_per_inhabitant_eur", "ess_staff")


def _population(ctx: Context, territory: str) -> float | None:
    try:
        rows = ctx.reference[ctx.reference["territory_id"] == territory]
        return float(rows["population"].iloc[0]) if len(rows) else None
    except (KeyError, ValueError, TypeError):
        return None


def comparable(ctx: Context, territory: str, peers: Sequence[str]) -> list[str]:
    """The peers of the same kind and scale as the territory, in the params' order."""
    own = ctx.dataset.profiles[territory]
    size = _population(ctx, territory)
    found = []
    for peer in peers:
        if peer == territory or peer not in ctx.dataset.profiles:
            continue
        other = ctx.dataset.profiles[peer]
        population = _population(ctx, peer)
        if other.kind != own.kind or not size or not population:
            continue
        if 1 / SCALE <= population / size <= SCALE:
            found.append(peer)
    return found


def _source(ctx: Context, source_id: str | None) -> dict:
    source = ctx.dataset.sources.get(source_id) if source_id else None
    url = getattr(source, "url", None) if source is not None else None
    return {"label": source_label(ctx.dataset, source_id, ctx.lang) if source_id else "",
            "url": url if isinstance(url, str) and url.startswith(("http://", "https://"))
            else None}


def peers_html(ctx: Context, territory: str, peers: Sequence[str]) -> str:
    """The section: levers and amounts of comparable peers that this territory lacks."""
    lang = ctx.lang
    own = ctx.dataset.profiles[territory]
    used = {m.lever for m in own.levers}
    others = comparable(ctx, territory, peers)
    levers, amounts = [], []
    for peer in others:
        profile = ctx.dataset.profiles[peer]
        name = ctx.name(peer)
        seen: set[str] = set()
        for mark in profile.levers:
            if mark.lever in used or mark.lever in seen:
                continue
            seen.add(mark.lever)
            levers.append({"lever": registry.label(registry.LEVERS, mark.lever, lang),
                           "who": name, "href": f"{peer}.html", "quote": mark.quote,
                           "source": _source(ctx, mark.source)})
        for indicator in AMOUNTS:
            mine, theirs = ctx.values[territory][indicator], ctx.values[peer][indicator]
            if mine.known or not theirs.known:
                continue
            amounts.append({"indicator": registry.indicator_label(indicator, lang),
                            "who": name, "href": f"{peer}.html",
                            "value": formatted(theirs, lang), "quote": theirs.quote,
                            "source": _source(ctx, theirs.source)})
    return render("profile.html.j2", "peers", lang, v={
        "named": len(peers), "others": [ctx.name(p) for p in others],
        "levers": levers, "amounts": amounts,
        "kind": registry.TERRITORY_KINDS[own.kind][lang]})
