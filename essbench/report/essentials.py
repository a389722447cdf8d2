"""'L'essentiel' of a page: headline cards, three checked messages, the page's date and links."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence

from essbench.evidence import registry
from essbench.report import navigation
from essbench.report.context import Context
from essbench.report.html import render
from essbench.text.catalog import t
from essbench.text.citations import source_label
from essbench.text.formats import date_text
from essbench.text.reading import Sentence, yardstick_sentences
from essbench.text.units import short_base
from essbench.text.values import formatted, lines_text, scope_wording, when_label
from essbench.values.judgement import evidence_kind, when_of
from essbench.values.yardsticks import same_base_yardsticks
from essbench.values.normalize import Value

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^(\d{4})$")


# ---------------------------------------------------------------- the page's date


def _source_date(value: object) -> tuple[datetime.date, str] | None:
    """A source date and its precision: day, month or year."""
    if isinstance(value, datetime.date):
        return value, "day"
    if isinstance(value, str) and (m := MONTH.match(value)):
        return datetime.date(int(m[1]), int(m[2]), 1), "month"
    if isinstance(value, str) and (m := YEAR.match(value)):
        return datetime.date(int(m[1]), 1, 1), "year"
    return None


def page_date(ctx: Context) -> tuple[datetime.date, str]:
    """The date a page is built as of: SOURCE_DATE_EPOCH if the build gives one, else the
    latest date among the sources the page numbers, with its precision (never the wall clock,
    so that the same inputs give the same bytes).

    Examples
    --------
    In the tests' fixture project (tests/fixture_project.py), where the doctests run:

    >>> from essbench.report.context import load_context
    >>> page_date(load_context(territories=["temoin"]))
    (datetime.date(2024, 3, 15), 'day')
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isascii() and epoch.isdigit() and int(epoch) <= 253_402_300_799:  # 9999-12-31
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date(), "given"
    return _latest(_numbered(ctx)) or (datetime.date(1970, 1, 1), "none")


def _numbered(ctx: Context) -> list:
    return [ctx.dataset.sources[sid] for sid in page_sources(ctx) if sid in ctx.dataset.sources]


def _dates(source) -> list[tuple[datetime.date, str]]:
    return [d for d in (_source_date(source.date_published), _source_date(source.date_accessed))
            if d]


def _latest(sources) -> tuple[datetime.date, str] | None:
    """The latest date of the sources, compared by the end of what each names (a source of
    "2024" may be of December: it is later than one of 23 May 2024); at equal end, the most
    precise."""
    found = [d for source in sources for d in _dates(source)]
    order = {"year": 0, "month": 1, "day": 2}
    return max(found, key=lambda d: (_period_end(*d), order[d[1]])) if found else None


def _period_end(date: datetime.date, precision: str) -> datetime.date:
    if precision == "year":
        return datetime.date(date.year, 12, 31)
    if precision == "month":
        following = datetime.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    return date


def date_line(ctx: Context) -> str:
    """'Page établie le 29 novembre 2026 …' or 'Page établie d'après les sources publiées
    jusqu'en septembre 2024 …', saying how many of them bear no date."""
    lang = ctx.lang
    date, precision = page_date(ctx)
    if precision == "given":
        return t("page.built_on", lang, date=date_text(date, lang))
    if precision == "none":
        return t("page.sources_undated", lang)
    if precision == "day":
        text = date_text(date, lang)
    elif precision == "month":
        text = date_text(date, lang).split(" ", 1)[1]
    else:
        text = str(date.year)
    numbered = _numbered(ctx)
    undated = sum(1 for source in numbered if not _dates(source))
    if undated:
        # "up to 2007" would be false when an undated source is of 2020.
        return t("page.sources_partly_dated", lang, date=text, undated=undated,
                 count=len(numbered))
    return t("page.sources_as_of_day" if precision == "day" else "page.sources_as_of", lang,
             date=text)


def as_of_year(ctx: Context) -> int:
    """The year against which a programme is 'ended' or 'current': that of the latest date the
    page's sources and its yardsticks' sources bear (SOURCE_DATE_EPOCH's if the build gives one)."""
    date, precision = page_date(ctx)
    if precision == "given":
        return date.year
    latest = _latest(ctx.dataset.sources.values())
    return latest[0].year if latest else date.year


# ---------------------------------------------------------------- navigation and references


def nav_html(ctx: Context, current: str | None, contents: Sequence[tuple[str, str]]) -> str:
    """The contents bar: the page's sections, the index, the comparison and, in a small project,
    the other territories' pages (only those built in the page's language)."""
    project = ctx.project
    found = navigation.links(navigation.project_pages(project.params), ctx.lang, current,
                             project.profiles)
    return render("essentials.html.j2", "nav", ctx.lang, v={
        "contents": list(contents), "others": list(found.territories),
        "compare": found.compare, "brief": True})


def source_numbers(ctx: Context, territories: Sequence[str]) -> dict[str, int]:
    """Each source of the territories numbered once for the page: [1], [2]…"""
    used: list[str] = []
    for tid in territories:
        profile = ctx.dataset.profiles[tid]
        ids = sorted({f.source for f in profile.facts}
                     | {s.id for s in ctx.dataset.sources.values() if s.territory == tid})
        used += [i for i in ids if i not in used]
    return {sid: n for n, sid in enumerate(used, start=1)}


def page_sources(ctx: Context) -> dict[str, int]:
    """The numbering of the page's sources: a page loads only the territories it shows."""
    return source_numbers(ctx, list(ctx.dataset.profiles))


def ref(numbers: dict[str, int], source: str | None) -> str:
    """'[3]' for a numbered source, '' otherwise."""
    return f"[{numbers[source]}]" if source in numbers else ""


def refs(numbers: dict[str, int], sources: Sequence[str | None]) -> str:
    """'[2] [3]', each numbered source once, in number order."""
    found = sorted({numbers[s] for s in sources if s in numbers})
    return " ".join(f"[{n}]" for n in found)


def source_ref(ctx: Context, source: str | None) -> str:
    """A source as a table cites it: '[n]' when the page numbers it, else its full label."""
    numbers = page_sources(ctx)
    if source in numbers:
        return ref(numbers, source)
    return source_label(ctx.dataset, source, ctx.lang)


# ---------------------------------------------------------------- cards


def _evidence(ctx: Context, value: Value, numbers: dict[str, int]) -> str:
    lang = ctx.lang
    if not value.known:
        return ""
    kind = evidence_kind(value)
    if kind == "computed":
        return t("essentials.evidence.derived", lang,
                 refs=refs(numbers, _input_sources(ctx, value))).strip()
    return t(f"essentials.evidence.{kind}", lang, refs=ref(numbers, value.source)).strip()


def _input_sources(ctx: Context, value: Value) -> list[str]:
    from essbench.text.citations import input_sources

    return input_sources(ctx.dataset, value)


def _year(ctx: Context, value: Value) -> str:
    """The value's period as the judgement gives it, written the one way tables and charts do."""
    if not value.known:
        return ""
    return t("essentials.year", ctx.lang, year=when_label(value, ctx.dataset, ctx.lang))


def _lines_kind(budget: Value) -> str:
    return "quoted" if all(f.evidence == "quoted" for f in budget.other_series) else "cited"


def _card(label: str, value: str, known: bool, detail: str = "", year: str = "",
          evidence: str = "", warning: str = "") -> dict:
    return {"label": label, "value": value, "known": known, "detail": detail, "year": year,
            "evidence": evidence, "warning": warning}


def _label(indicator: str, lang: str) -> str:
    return registry.indicator_label(indicator, lang)


def _unknown(ctx: Context, label: str) -> dict:
    return _card(label, t("value.unknown", ctx.lang), False,
                 detail=t("essentials.no_source", ctx.lang))


def jobs_card(ctx: Context, territory: str, numbers: dict[str, int]) -> dict:
    """ESS jobs, with their number per 1,000 inhabitants (a count alone misleads)."""
    lang = ctx.lang
    values = ctx.values[territory]
    jobs = values["ess_employees"]
    label = _label("ess_employees", lang)
    if not jobs.known:
        return _unknown(ctx, label)
    per = values["ess_employees_per_1000_inhabitants"]
    detail = (t("essentials.per_1000", lang, value=formatted(per, lang)) if per.known else "")
    warning = (t("essentials.geography", lang, words=jobs.geography_as_worded)
               if jobs.geography_as_worded else "")
    return _card(label, formatted(jobs, lang), True, detail, _year(ctx, jobs),
                 _evidence(ctx, jobs, numbers), warning)


def share_card(ctx: Context, territory: str, numbers: dict[str, int]) -> dict:
    """The ESS share of jobs beside the région and France, same base only."""
    lang = ctx.lang
    values = ctx.values[territory]
    share = values["ess_employment_share"]
    if not share.known and values["ess_private_employment_share"].known:
        share = values["ess_private_employment_share"]
    label = (t("essentials.share", lang) if share.indicator == "ess_employment_share"
             else _label(share.indicator, lang))
    if not share.known:
        return _unknown(ctx, label)
    others = same_base_yardsticks(ctx.dataset, share)
    parts = [t("essentials.base", lang, base=short_base(share, lang))]
    for other in others:
        parts.append(t("essentials.yardstick", lang, name=ctx.name(other.territory),
                       value=formatted(other, lang), match=_match(ctx, other, share)))
    if not others:
        parts.append(t("essentials.no_yardstick", lang))
    # Another base is shown with its base, never silently set aside.
    for fact in _other_bases(share):
        parts.append(t("judgement.other_base", lang, value=formatted(fact, lang),
                       base=short_base(fact, lang), year=when_label(fact, ctx.dataset, lang)))
    return _card(label, formatted(share, lang), True, t("list.semicolon", lang).join(parts),
                 _year(ctx, share), _evidence(ctx, share, numbers))


def _other_bases(share: Value) -> list[Value]:
    """The latest figure of each other base the sources give beside the headline share."""
    from essbench.values.normalize import _from_fact

    found: dict[str, Value] = {}
    facts = [*share.other_series, *share.undated, *share.alternatives]
    for fact in sorted(facts, key=lambda f: f.period.sort_year):
        if fact.base and fact.base != share.base and not fact.outlier:
            found[fact.base] = _from_fact(share.territory, fact)
    return list(found.values())


def _match(ctx: Context, other: Value, value: Value) -> str:
    lang = ctx.lang
    if other.source == value.source:
        return t("essentials.match.same_source", lang)
    code = other.match.code if other.match is not None else "period_unknown"
    if code == "same_period":
        return t("essentials.match.same_period", lang,
                 year=when_label(other, ctx.dataset, lang))
    if code == "nearest_period":
        return t("essentials.match.nearest_period", lang,
                 year=when_label(other, ctx.dataset, lang))
    # Undated: the same words the tables and charts use ('2015 au plus tard', 'non indiquée').
    return when_label(other, ctx.dataset, lang)


def budget_card(ctx: Context, territory: str, numbers: dict[str, int]) -> dict:
    """The ESS budget with what it covers, its nature and its year."""
    lang = ctx.lang
    budget = ctx.values[territory]["ess_budget_eur"]
    label = t("essentials.budget", lang)
    lines = lines_text(budget, lang)
    if lines is not None:
        # Lines but no published total: said so, each line with its nature, year and spread.
        head, items = lines
        return _card(label, head, True, t("list.semicolon", lang).join(items),
                     evidence=t(f"essentials.evidence.{_lines_kind(budget)}", lang, refs=refs(
                         numbers, [f.source for f in budget.other_series])).strip())
    if not budget.known:
        return _unknown(ctx, label)
    parts = []
    if budget.scope is not None:
        parts += scope_wording(budget.scope, lang)
        nature = budget.scope.nature
        parts.append(t("essentials.nature_unknown", lang) if nature == "unknown" else
                     registry.BUDGET_NATURES[nature][lang])
        if budget.scope.period != "annual":
            parts.append(t("essentials.not_annual", lang))
    return _card(label, formatted(budget, lang), True, t("list.semicolon", lang).join(parts),
                 _year(ctx, budget), _evidence(ctx, budget, numbers))


def comparable_budget(budget: Value) -> bool:
    """A budget per inhabitant compares with another only if the amount is known to be annual:
    the judgement's call (values.judgement.annual)."""
    from essbench.values.judgement import annual

    return annual(budget)


def per_inhabitant_card(ctx: Context, territory: str, numbers: dict[str, int]) -> dict:
    """The budget per inhabitant, marked when it cannot be compared."""
    lang = ctx.lang
    values = ctx.values[territory]
    per = values["ess_budget_per_inhabitant_eur"]
    label = t("essentials.per_inhabitant", lang)
    if not per.known:
        no_total = lines_text(values["ess_budget_eur"], lang) is not None
        return _card(label, t("value.unknown", lang), False,
                     detail=t("judgement.lines.no_ratio" if no_total else "essentials.no_budget",
                              lang))
    budget = values["ess_budget_eur"]
    warning = ("" if comparable_budget(budget) else t("essentials.not_comparable", lang))
    detail = t("essentials.scopes_differ", lang)
    return _card(label, formatted(per, lang), True, detail, _year(ctx, per),
                 _evidence(ctx, per, numbers), warning)


def staff_card(ctx: Context, territory: str, numbers: dict[str, int]) -> dict:
    """People working on the ESS policy."""
    lang = ctx.lang
    staff = ctx.values[territory]["ess_staff"]
    label = t("essentials.staff", lang)
    if not staff.known:
        return _unknown(ctx, label)
    return _card(label, formatted(staff, lang), True, t("essentials.staff_unit", lang),
                 _year(ctx, staff), _evidence(ctx, staff, numbers))


def programme_status(ctx: Context, territory: str) -> dict:
    """The programme's name, period and whether it has ended, as of the page's date."""
    lang = ctx.lang
    programme = ctx.dataset.profiles[territory].programme
    year = as_of_year(ctx)
    period = programme.period
    if programme.name == "unknown" and period is None:
        return {"name": None, "period": None, "status": None}
    name = None if programme.name == "unknown" else programme.name
    sources = [period.source] if period is not None else []
    kind = "quoted"
    if period is None:
        # A programme whose years only its step in the policy's history gives (a cited page):
        # those years, with that step's documents, rather than "période inconnue".
        period = next((step for step in ctx.dataset.profiles[territory].policy_history
                       if name is not None and step.name == name and step.start is not None),
                      None)
        if period is None:
            return {"name": name, "period": None, "status": "period_unknown", "source": None}
        sources = [d.source for d in period.documents]
        kind = "quoted" if all(d.evidence == "quoted" for d in period.documents) else "cited"
    text = f"{period.start}-{period.end}" if period.end else t("period.since", lang,
                                                                 start=period.start)
    status = ("ended" if period.end and period.end < year else "current")
    return {"name": name, "period": text, "status": status, "end": period.end,
            "sources": sources, "evidence": kind}


def _ongoing_steps(ctx: Context, territory: str) -> list:
    profile = ctx.dataset.profiles[territory]
    return [s for s in profile.policy_history if s.ongoing and s.kind != "governance_body"]


def programme_card(ctx: Context, territory: str, numbers: dict[str, int]) -> dict:
    """The programme and whether it is current; else the scheme that runs today."""
    lang = ctx.lang
    label = t("essentials.programme", lang)
    status = programme_status(ctx, territory)
    if status["name"] is None and status["period"] is None:
        steps = _ongoing_steps(ctx, territory)
        if not steps:
            return _unknown(ctx, label)
        step = steps[0]
        # "Cité mot pour mot" only when every document of the step is quoted from an archive.
        kind = ("quoted" if all(d.evidence == "quoted" for d in step.documents) else "cited")
        return _card(label, t("value.unknown", lang), False,
                     detail=t("essentials.scheme", lang, name=step.name, start=step.first_year),
                     evidence=t(f"essentials.evidence.{kind}", lang, refs=refs(
                         numbers, [d.source for d in step.documents])).strip())
    name = status["name"] or t("essentials.unnamed_programme", lang)
    if status["status"] == "period_unknown":
        return _card(label, name, True, t("essentials.period_unknown", lang))
    return _card(label, status["period"], True, name,
                 warning=t(f"essentials.status.{status['status']}", lang, year=as_of_year(ctx)),
                 evidence=t(f"essentials.evidence.{status['evidence']}", lang,
                            refs=refs(numbers, status["sources"])).strip())


def cards(ctx: Context, territory: str, numbers: dict[str, int]) -> list[dict]:
    """The six headline cards of a territory, unknown ones included."""
    return [make(ctx, territory, numbers) for make in (
        jobs_card, share_card, budget_card, per_inhabitant_card, staff_card, programme_card)]


# ---------------------------------------------------------------- key messages


def jobs_message(ctx: Context, territory: str) -> str | None:
    """'Le Pas-de-Calais compte 48 390 emplois dans l'ESS, soit 33,0 pour 1 000 habitants.'"""
    values = ctx.values[territory]
    jobs, per = values["ess_employees"], values["ess_employees_per_1000_inhabitants"]
    if not jobs.known:
        return Sentence(ctx.lang).say("essentials.message.jobs_unknown",
                                      name=ctx.name(territory)).done()
    s = Sentence(ctx.lang).say("essentials.message.jobs", name=ctx.name(territory)).value(jobs)
    s.say("essentials.message.jobs_unit")
    if per.known:
        s.say("essentials.message.per_1000").value(per).say("essentials.message.per_1000_unit")
    if jobs.year == "unknown" and (jobs.period is None or jobs.period.start is None):
        s.say("essentials.message.year_unknown")
    return s.done()


def share_message(ctx: Context, territory: str) -> str | None:
    """The share of jobs against the région (or France), same base: the reading's sentence."""
    sentences = yardstick_sentences(ctx.dataset, ctx.values, [territory], ctx.lang)
    return sentences[0] if sentences else None


def budget_message(ctx: Context, territory: str) -> str | None:
    """The budget, its year, and whether its amount per inhabitant can be compared."""
    values = ctx.values[territory]
    budget, per = values["ess_budget_eur"], values["ess_budget_per_inhabitant_eur"]
    lang = ctx.lang
    lines = lines_text(budget, lang)
    if lines is not None:
        return Sentence(lang).say("judgement.lines.message", name=ctx.name(territory),
                                  count=len(budget.other_series),
                                  lines=t("list.semicolon", lang).join(lines[1])).done()
    if not budget.known:
        s = Sentence(lang).say("essentials.message.budget_unknown", name=ctx.name(territory))
        return s.done()
    s = Sentence(lang).say("essentials.message.budget").value(budget)
    when = when_of(budget, ctx.dataset)
    if when.kind == "year" and not when.about:
        s.say("essentials.message.in").year(int(when.start))
    elif when.known or when.bound is not None:
        s.text(f" ({when_label(budget, ctx.dataset, lang)})")
    else:
        s.say("essentials.message.budget_year_unknown")
    if per.known:
        s.say("essentials.message.per_inhabitant").value(per).say(
            "essentials.message.per_inhabitant_unit")
        s.say("essentials.message.comparable" if comparable_budget(budget)
              else "essentials.message.not_comparable")
    return s.done()


def programme_message(ctx: Context, territory: str) -> str | None:
    """Whether the programme is current or has ended."""
    status = programme_status(ctx, territory)
    lang = ctx.lang
    if status["status"] == "ended":
        s = Sentence(lang).say("essentials.message.ended", name=status["name"] or "")
        s.year(int(status["end"])).say("essentials.message.not_renewed")
        return s.done()
    if status["status"] is None and not _ongoing_steps(ctx, territory):
        return Sentence(lang).say("essentials.message.no_programme").done()
    return None


def messages(ctx: Context, territory: str) -> list[str]:
    """Three key messages written from the data, each number checked against its value."""
    found = [m(ctx, territory) for m in (jobs_message, share_message, budget_message,
                                         programme_message)]
    return [m for m in found if m][:3]


# ---------------------------------------------------------------- the section


def essentials_html(ctx: Context, territory: str) -> str:
    """'L'essentiel': the date line, six headline cards and three key messages."""
    numbers = page_sources(ctx)
    return render("essentials.html.j2", "essentials", ctx.lang, v={
        "cards": cards(ctx, territory, numbers), "messages": messages(ctx, territory),
        "date": date_line(ctx)})


def _url_parts(url: str) -> tuple[str, str, str]:
    """An address cut into its scheme, its site and the rest, so that a brief on paper may print
    the site alone (the whole address stays the link's target and its text on screen).

    Examples
    --------
    >>> _url_parts("https://www.rtes.fr/fiche-grenoble?x=1")
    ('https://www.', 'rtes.fr', '/fiche-grenoble?x=1')
    >>> _url_parts("")
    ('', '', '')
    """
    match = re.match(r"^([a-z][a-z0-9+.-]*://(?:www\.)?)([^/?#]*)(.*)$", url, re.I)
    return match.groups() if match else ("", url, "")


def source_list_html(ctx: Context) -> str:
    """The page's numbered source list: [n] title, publisher, date, address."""
    lang = ctx.lang
    rows = []
    for sid, n in page_sources(ctx).items():
        source = ctx.dataset.sources[sid]
        url = "" if source.url == "unknown" else str(source.url)
        scheme, host, path = _url_parts(url)
        rows.append({"n": n, "label": source_label(ctx.dataset, sid, lang), "url": url,
                     "scheme": scheme, "host": host, "path": path,
                     "kind": t(f"essentials.source_kind.{source.kind}", lang),
                     "kind_id": source.kind})
    return render("essentials.html.j2", "source_list", lang, v={"rows": rows})


def colophon_html(ctx: Context) -> str:
    """The end of a page: its date, what 'cité', 'd'après' and 'calculé' mean, and the tools."""
    from essbench.report.context import reference_source

    return render("essentials.html.j2", "colophon", ctx.lang, v={
        "date": date_line(ctx), "reference": reference_source(ctx, colophon=True)})
