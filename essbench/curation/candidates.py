"""Drafting candidate facts from a document's sentences: each number read, its indicator guessed
from the words around it, with base, scope, period, the traps seen and how sure the guess is.

A candidate is a plain mapping (it goes to the review file as it is). Numbers no rule explains
are set aside with the reason, so the curator sees everything the assistant left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from essbench.curation import vocabulary as v
from essbench.curation.sentences import Sentence, split_sentences
from essbench.evidence import registry
from essbench.evidence.numbers import find_numbers
from essbench.evidence.profiles import Profile

_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d{2}(?!\d|,\d|[\s\u00a0\u202f]\d{3}\b)")
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–/]\s*((?:19|20)\d{2})(?!\d)"
                   r"|de\s+((?:19|20)\d{2})\s+à\s+((?:19|20)\d{2})"
                   r"|sur\s+((?:19|20)\d{2})\s+et\s+((?:19|20)\d{2})"
                   r"|entre\s+((?:19|20)\d{2})\s+et\s+((?:19|20)\d{2})", re.IGNORECASE)
_EURO = re.compile(r"^\s*(?:€|euros?\b|d['’]\s*(?:€|euros?\b)|EUR\b)", re.IGNORECASE)
_AREA = re.compile(r"^\s*(?:m2|m²|mètres\s+carrés)", re.IGNORECASE)
_NOUN_LEAD = re.compile(r"^\s*(?:de\s+|d['’]\s*)?", re.IGNORECASE)
_PERIOD_WORDS = re.compile(r"(?:\ben|pour|au\s+titre\s+de|année|exercice|budget)\s+$",
                           re.IGNORECASE)
_HEADING_MAX = 80
_CONTEXT = 90  # characters of a number's right context where its noun or base is looked for

CONFIDENCE = ("high", "medium", "low")


@dataclass
class _Number:
    sentence: Sentence
    as_written: str
    value: float
    qualifier: str
    conversion: str
    start: int  # in the sentence
    end: int
    left: str  # since the previous number (or the sentence start)
    right: str  # up to the next number (or the sentence end)
    after: str  # the rest of the sentence

    @property
    def at(self) -> list[int]:
        base = self.sentence.start
        return [base + self.start, base + self.end]


def _numbers(sentence: Sentence) -> list[_Number]:
    parsed = find_numbers(sentence.text)
    spans, cursor = [], 0
    for number in parsed:
        start = sentence.text.find(number.text, cursor)
        if start < 0:  # the reader and the text disagree: leave it to the curator
            continue
        spans.append((number, start, start + len(number.text)))
        cursor = start + len(number.text)
    found = []
    for index, (number, start, end) in enumerate(spans):
        previous_end = spans[index - 1][2] if index else 0
        next_start = spans[index + 1][1] if index + 1 < len(spans) else len(sentence.text)
        found.append(_Number(sentence, number.text.strip(), number.value, number.qualifier,
                             number.conversion, start, end, sentence.text[previous_end:start],
                             sentence.text[end:next_start], sentence.text[end:]))
    return found


def _first(pattern: re.Pattern[str], *texts: str) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(0).strip()
    return None


def _noun(number: _Number, pattern: re.Pattern[str]) -> str | None:
    """The words right after the number, when they match: '226 établissements employeurs'."""
    right = number.right[:_CONTEXT]
    lead = _NOUN_LEAD.match(right)
    rest = right[lead.end():] if lead else right
    match = pattern.match(rest) or (pattern.search(rest[:25]) if rest else None)
    return match.group(0).strip() if match else None


class Drafter:
    """Reads one document's sentences and drafts its candidates."""

    def __init__(self, text: str, profile: Profile | None = None):
        self.text = text
        self.sentences = split_sentences(text)
        self.profile = profile
        names = []
        if profile is not None:
            names = [profile.names.short, profile.names.official]
        self.local = [re.compile(re.escape(name), re.IGNORECASE) for name in names if name]
        self.candidates: list[dict] = []
        self.set_aside: list[dict] = []

    # --- neighbours -------------------------------------------------------------------------
    def heading(self, sentence: Sentence, lines_back: int = 4) -> Sentence | None:
        """The nearest heading above: a short line alone, with no final full stop."""
        for other in reversed(self.sentences[: sentence.index]):
            if sentence.line - other.line > lines_back:
                return None
            if other.line == sentence.line:
                continue
            alone = other.text == other.line_text
            if alone and len(other.text) <= _HEADING_MAX and not other.text.endswith(".") \
                    and not other.list_item:
                return other
        return None

    def previous_in_line(self, sentence: Sentence) -> Sentence | None:
        if sentence.index and self.sentences[sentence.index - 1].line == sentence.line:
            return self.sentences[sentence.index - 1]
        return None

    def list_head(self, sentence: Sentence) -> Sentence | None:
        """For a list line, the sentence that opens the list (the line before its items)."""
        if not sentence.list_item:
            return None
        for other in reversed(self.sentences[: sentence.index]):
            if not other.list_item:
                return other
        return None

    def is_local(self, text: str) -> bool:
        return bool(v.LOCAL.search(text)) or any(p.search(text) for p in self.local)

    # --- numbers ----------------------------------------------------------------------------
    def run(self) -> None:
        for sentence in self.sentences:
            for number in _numbers(sentence):
                self._number(number)
            self._plans(sentence)
        self._levers_and_themes()
        self._lines_without_total()

    def _aside(self, number: _Number, why: str) -> None:
        self.set_aside.append({"as_written": number.as_written, "at": number.at,
                               "sentence": number.sentence.text, "why": why})

    def _number(self, n: _Number) -> None:
        s = n.sentence
        left_tail = s.text[max(0, n.start - 30): n.start]
        if v.MONTHS.match(n.right.lstrip()) or re.match(r"^\s*er\b", n.right) \
                or v.MONTHS.search(left_tail[-12:]):
            return self._aside(n, "a date, not a figure")
        if v.NUMBERING.search(left_tail) or (re.match(r"^\s*[.)](?:\s|$)", n.right)
                                             and not n.left.strip()):
            return self._aside(n, "numbers a part of the document (axe 1, objectif n° 2)")
        is_year = n.conversion == "none" and re.fullmatch(r"(?:19|20)\d{2}", n.as_written)
        if is_year:
            return self._year(n)
        if v.STRUCTURE.match(n.right):
            return self._aside(n, "counts the document's own parts or a duration")
        area = _first(v.OTHER_AREA, n.right[:_CONTEXT])
        if area is None and v.OTHER_AREA.search(s.text) and not self.is_local(s.text) \
                and not (n.after != n.right and v.COMPARED.search(n.right)):
            area = _first(v.OTHER_AREA, s.text)
        if area is None:
            previous = self.previous_in_line(s)
            if previous is not None and v.OTHER_AREA.search(previous.text) \
                    and not self.is_local(s.text):
                area = f"{_first(v.OTHER_AREA, previous.text)} (phrase précédente)"
        if area is not None:
            return self._aside(n, f"a figure of another area ({area}): a yardstick, not the "
                               "territory's value")
        if n.conversion in ("percent", "ratio"):
            return self._share(n)
        if _EURO.match(n.right):
            return self._money(n)
        if _AREA.match(n.right):
            return self._fact(n, "ess_premises_area_m2", {"indicator": "m2"},
                              [f"surface en m² ({_first(v.PREMISES, s.text) or 'locaux'})"])
        return self._count(n)

    def _year(self, n: _Number) -> None:
        s = n.sentence
        clause = re.split(r"[,;:(]", n.after)[0]
        before = re.split(r"[,;:)]", s.text[: n.start])[-1]
        if not v.START.search(s.text[: n.start][-40:]):
            return self._aside(n, "a year with no start word before it (initié en, depuis, "
                               "mis en place en)")
        # "Initié en 2016, un appel à projets": what started is named after the comma.
        window = before + (clause if len(before.split()) > 3 or clause.strip()
                           else re.split(r"[;:(]|,\s", n.after.lstrip(", "))[0])
        for indicator, pattern in (("call_for_projects_start_year", v.CALL_FOR_PROJECTS),
                                   ("citizen_budget_start_year", v.CITIZEN_BUDGET),
                                   ("policy_start_year", v.POLICY)):
            words = _first(pattern, window)
            if words:
                return self._fact(n, indicator, {"indicator": words,
                                                 "period": _first(v.START, s.text[: n.start][-40:])},
                                  [f"« {words} » et un mot de début avant l'année"],
                                  period=int(n.value))
        return self._aside(n, "a start year of something that is no policy, plan or scheme")

    def _share(self, n: _Number) -> None:
        s = n.sentence
        decided: dict[str, str] = {}
        why: list[str] = []
        traps: list[dict] = []
        rate_words = _first(v.RATE, n.left, s.text)
        signed = n.as_written.lstrip()[:1] in "+-−"
        outside = _first(v.RATE_OUTSIDE_ESS, n.left[-60:])
        if n.conversion == "percent" and (signed or rate_words or outside):
            if outside:
                indicator = "non_ess_private_employment_growth"
                decided["indicator"] = outside
            elif _first(v.RATE_ENTERPRISES, n.left[-60:], n.right[:40]) and \
                    not re.search(r"emploi", n.left[-60:], re.IGNORECASE):
                indicator = "ess_enterprises_growth"
                decided["indicator"] = f"{rate_words or n.as_written} + entreprises"
            else:
                indicator = "ess_employment_growth"
                decided["indicator"] = rate_words or f"signe de « {n.as_written} »"
            why.append(f"une évolution : « {decided['indicator']} »")
            period, words, _ = self._period(n, indicator)
            if not (isinstance(period, str) and "-" in period):
                traps.append({"code": "rate_period_unknown", "field": "period",
                              "says": "Sur quelle durée ? Une évolution sans ses années de "
                                      "début et de fin ne se compare pas."})
            return self._fact(n, indicator, decided, why, traps=traps)
        right = n.right[:_CONTEXT]
        matches = [(indicator, base, pattern.search(right))
                   for indicator, base, pattern in v.SHARE_BASES]
        matches = [m for m in matches if m[2]]
        found = None
        if matches:
            # The base is the words right after the number; of those starting there, the
            # narrowest ("des salariés du secteur privé" before "des salariés").
            first = min(m[2].start() for m in matches)
            found = next(m for m in matches if m[2].start() <= first + 30)
        if found is None and n.conversion == "ratio":
            for indicator, base, pattern in v.SHARE_BASES:
                match = pattern.search(n.as_written)
                if match:
                    found = (indicator, base, match)
                    break
        if found is None:
            return self._fact(n, "ess_employment_share", {"indicator": "un pourcentage sans "
                              "base écrite"}, ["une part, sans les mots de sa base"],
                              base="all_jobs", base_as_worded=None,
                              traps=[{"code": "base_not_stated", "field": "base",
                                      "says": "La phrase ne dit pas de quoi c'est une part : "
                                              "indicateur et base sont à choisir."}])
        indicator, base, match = found
        worded = match.group(0).strip()
        decided["indicator"] = decided["base"] = worded
        why.append(f"base écrite après le nombre : « {worded} »")
        if base == "private_salaried_jobs":
            traps.append({"code": "private_base", "field": "base",
                          "says": "Part de l'emploi PRIVÉ : ni une part de l'ensemble des "
                                  "emplois, ni comparable à elle."})
        if base == "all_jobs":
            traps.append({"code": "base_unclear", "field": "base",
                          "says": f"« {worded} » : salariés ou tous emplois ? La source ne le "
                                  "dit pas ; ensemble des emplois par défaut."})
        if base == "ess_employer_establishments":
            head = self.list_head(s) or self.previous_in_line(s)
            if head is None or "établissements" not in head.text:
                traps.append({"code": "base_unclear", "field": "base",
                              "says": "Part des associations (coopératives...) parmi quoi ? "
                                      "Établissements employeurs de l'ESS par défaut."})
            else:
                decided["base"] = f"{worded} (liste de « {head.text[:60]} »)"
        if indicator == "ess_establishment_share" and base == "enterprises" \
                and re.search(r"établissements", n.left, re.IGNORECASE):
            traps.append({"code": "unit_mismatch", "field": "base",
                          "says": "Des établissements rapportés à des entreprises : le nombre "
                                  "et sa base ne comptent pas la même chose."})
        return self._fact(n, indicator, decided, why, base=base, base_as_worded=worded,
                          traps=traps)

    def _money(self, n: _Number) -> None:
        s = n.sentence
        heading = self.heading(s)
        heading_text = heading.text if heading else ""
        why: list[str] = []
        decided: dict[str, str] = {}
        traps: list[dict] = []
        wages = _first(v.WAGES, n.right[:_CONTEXT])
        if wages:
            traps.append({"code": "wage_bill", "field": "indicator",
                          "says": "Salaires versés par les employeurs de l'ESS : un poids "
                                  "économique, pas un budget de la collectivité."})
            return self._fact(n, "ess_gross_wages_eur", {"indicator": wages},
                              [f"« {wages} »"], traps=traps)
        solidarity = v.SOLIDARITY.search(n.after)
        if solidarity and not v.ESS_BUDGET_HERE.search(n.after[: solidarity.start()]):
            traps.append({"code": "solidarity_spending", "field": "indicator",
                          "says": "Dépenses de solidarité (action sociale) : pas un budget ESS, "
                                  "jamais additionnées à lui."})
            return self._fact(n, "solidarity_spending_eur",
                              {"indicator": solidarity.group(0)}, [f"« {solidarity.group(0)} »"],
                              traps=traps, scope=self._scope(n, heading_text))
        for indicator, pattern in (("call_for_projects_eur", v.CALL_FOR_PROJECTS),
                                   ("citizen_budget_eur", v.CITIZEN_BUDGET)):
            words = _first(pattern, s.text)
            if words:
                return self._fact(n, indicator, {"indicator": words}, [f"« {words} »"],
                                  scope=self._scope(n, heading_text, nature_default=(
                                      "call_for_projects" if "call" in indicator else "unknown")))
        total = _first(v.TOTAL, n.left, s.text)
        budget_here = _first(v.BUDGET, s.text)
        budget_heading = _first(v.BUDGET, heading_text)
        if not (budget_here or budget_heading):
            return self._aside(n, "an amount with no budget word in its sentence or heading")
        line = _first(v.LINE, s.text.replace(" ".join(self._scope(n, "").get("excludes", [])),
                                             ""))
        if total or _first(v.ESS_BUDGET_HERE, s.text) or (
                not line and budget_heading and re.search(r"ESS|économie sociale", heading_text)):
            indicator = "ess_budget_eur"
            decided["indicator"] = total or _first(v.ESS_BUDGET_HERE, s.text) or budget_heading
            why.append(f"« {decided['indicator']} »" + ("" if (total or budget_here)
                                                        else f" (titre « {heading_text} »)"))
        else:
            indicator = "ess_budget_line_eur"
            decided["indicator"] = budget_here or budget_heading
            why.append(f"« {line or decided['indicator']} » sans total : une ligne")
        return self._fact(n, indicator, decided, why, scope=self._scope(n, heading_text),
                          total=bool(total))

    def _count(self, n: _Number) -> None:
        s = n.sentence
        if v.SOLIDARITY.search(n.right[:_CONTEXT]) and _noun(n, v.words(r"emplois|postes")):
            return self._fact(n, "solidarity_jobs", {"indicator": "au titre des solidarités"},
                              ["emplois « au titre des solidarités »"],
                              traps=[{"code": "solidarity_spending", "field": "indicator",
                                      "says": "Emplois liés aux dépenses de solidarité : pas des "
                                              "emplois de l'ESS."}])
        meeting = _first(v.BUSINESS_MEETING, s.text)
        if meeting:
            if _noun(n, v.words(r"structures")):
                return self._fact(n, "business_meeting_ess_organisations",
                                  {"indicator": f"structures + {meeting}"},
                                  [f"structures de l'ESS, « {meeting} »"])
            if _noun(n, v.words(r"entreprises")):
                return self._fact(n, "business_meeting_companies",
                                  {"indicator": f"entreprises + {meeting}"},
                                  [f"entreprises, « {meeting} »"])
        call_match = v.CALL_FOR_PROJECTS.search(s.text)
        call = call_match.group(0) if call_match and not v.NEGATION.search(
            s.text[: call_match.start()][-12:]) else None
        if call and _noun(n, v.words(r"structures|projets|lauréats|associations")):
            cumulated = _first(v.CUMULATED, s.text)
            indicator = "call_for_projects_winners_total" if cumulated \
                else "call_for_projects_winners"
            return self._fact(n, indicator, {"indicator": f"{call}" + (f" + {cumulated}"
                                                                       if cumulated else "")},
                              [f"lauréats de « {call} »" + (" depuis son début" if cumulated
                                                            else "")])
        for indicator, pattern in v.COUNT_NOUNS:
            noun = _noun(n, pattern)
            if not noun:
                continue
            if indicator == "ess_employees" and _first(v.PREMISES, s.text):
                return self._fact(n, "ess_premises_jobs",
                                  {"indicator": f"{noun} + {_first(v.PREMISES, s.text)}"},
                                  [f"emplois hébergés (« {_first(v.PREMISES, s.text)} »)"])
            if indicator == "supported_projects_per_year" and not _first(v.EVERY_YEAR, s.text):
                continue
            if indicator == "ess_network_members" and not _first(v.NETWORK, s.text):
                continue
            traps = []
            if indicator == "ess_employees" and not re.search(r"salari", noun, re.IGNORECASE):
                traps.append({"code": "jobs_not_salaried", "field": "indicator",
                              "says": f"« {noun} » : emplois salariés ou tous emplois ? Vérifier "
                                      "la base des parts voisines."})
            return self._fact(n, indicator, {"indicator": noun}, [f"nom après le nombre : "
                                                                  f"« {noun} »"], traps=traps)
        return self._aside(n, "no indicator's words right after the number")

    # --- scope and period -------------------------------------------------------------------
    def _scope(self, n: _Number, heading: str, nature_default: str = "unknown") -> dict:
        text = n.sentence.text
        excludes: list[str] = []
        parts = v.EXCLUDES.split(text)
        excluded_text = ""
        if len(parts) > 1:
            segments = []
            for part in parts[1:]:
                part = re.split(r"\)|\s+en\s+(?:19|20)\d{2}|[.;]\s", part)[0]
                segments.append(re.sub(r"\s+et\s*$|[,\s]+$", "", part.strip()))
            excluded_text = " ".join(segments)
            for segment in segments:
                pieces = [p.strip() for p in segment.split(", ") if p.strip()]
                if len(segments) == 1 and len(pieces) == 1:
                    pieces = [p.strip() for p in re.split(r"\s+et\s+", segment) if p.strip()]
                excludes += pieces
        includes = []
        direct = _first(v.DIRECT, n.right)
        if direct:
            includes.append(direct)
        kept = text.replace(excluded_text, " ") if excluded_text else text
        nature = nature_default
        # The words right after the amount first ("1,3 M€ en investissement"), then the sentence.
        for where in (n.right[:40], kept):
            found_nature = next((key for key, pattern in v.NATURES if pattern.search(where)),
                                None)
            if found_nature:
                nature = found_nature
                break
        spread, spread_words = "unknown", None
        for key, pattern in (("multi_year", v.MULTI_YEAR), ("annual", v.ANNUAL),
                             ("one_off", v.ONE_OFF)):
            found = _first(pattern, kept)
            if found:
                spread, spread_words = key, found
                break
        from_heading = False
        if spread == "unknown" and heading:
            for key, pattern in (("multi_year", v.MULTI_YEAR), ("annual", v.ANNUAL)):
                found = _first(pattern, heading)
                if found:
                    spread, spread_words, from_heading = key, found, True
                    break
        scope = {"nature": nature, "period": spread}
        if includes:
            scope["includes"] = includes
        if excludes:
            scope["excludes"] = excludes
        scope["_spread_words"] = spread_words
        scope["_spread_from_heading"] = from_heading
        return scope

    def _period(self, n: _Number, indicator: str) -> tuple[object, str | None, list[dict]]:
        """(period as a profile writes it, the words that gave it, traps)."""
        text = n.sentence.text
        own = range(n.start, n.end)
        for match in _SPAN.finditer(text):
            if match.start() in own:
                continue
            years = [int(y) for y in match.groups() if y]
            return f"{years[0]}-{years[1]}", match.group(0), []
        starts = []
        for match in _YEAR.finditer(text):
            if match.start() in own:
                continue
            before = text[max(0, match.start() - 40): match.start()]
            if v.START.search(before):
                starts.append(f"{v.START.search(before).group(0).strip()} {match.group(0)}")
                continue
            if v.MONTHS.search(before[-12:]):
                continue
            if _PERIOD_WORDS.search(before):
                return int(match.group(0)), match.group(0), []
        if starts and re.search(r"total|call_for_projects|citizen_budget", indicator):
            # "Initié en 2016, ... 17 structures": a count since a start, not of that year.
            return {"note": f"Non indiquée ; « {starts[0]} »."}, starts[0], []
        return {"note": "Non indiquée."}, None, []

    # --- building a candidate ---------------------------------------------------------------
    def _fact(self, n: _Number, indicator: str, decided: dict, why: list[str], *,
              base: str | None = None, base_as_worded: str | None = None,
              scope: dict | None = None, traps: list[dict] | None = None,
              period: object = None, total: bool = False) -> None:
        traps = list(traps or [])
        unit = registry.INDICATORS[indicator].unit
        value = int(n.value) if float(n.value).is_integer() else n.value
        words = None
        if period is None:
            period, words, more = self._period(n, indicator)
            traps += more
        if words:
            decided.setdefault("period", words)
        proposal: dict = {"indicator": indicator, "unit": unit, "value": value,
                          "qualifier": n.qualifier, "as_written": n.as_written}
        if n.conversion != "none":
            proposal["conversion"] = n.conversion
        if base is not None:
            proposal["base"] = base
            if base_as_worded:
                proposal["base_as_worded"] = base_as_worded
        if registry.INDICATORS[indicator].needs_scope:
            scope = dict(scope or self._scope(n, ""))
            spread_words = scope.pop("_spread_words", None)
            from_heading = scope.pop("_spread_from_heading", False)
            if spread_words:
                decided["spread"] = spread_words + (" (titre)" if from_heading else "")
            if from_heading:
                traps.append({"code": "spread_from_heading", "field": "scope.period",
                              "says": f"« {spread_words} » est lu dans le titre, pas dans la "
                                      "phrase : vérifier que le montant est bien de cette "
                                      "durée."})
            if scope["period"] == "multi_year":
                traps.append({"code": "multi_year_amount", "field": "scope.period",
                              "says": "Montant sur plusieurs années : jamais un budget annuel ; "
                                      "la période doit être « début-fin »."})
                if not (isinstance(period, str) and "-" in period):
                    traps.append({"code": "multi_year_without_years", "field": "period",
                                  "says": "Plusieurs années, mais lesquelles ? Écrire la "
                                          "période « 2024-2025 » avant d'accepter."})
            elif isinstance(period, str) and "-" in period:
                scope["period"] = "multi_year"
                traps.append({"code": "multi_year_amount", "field": "scope.period",
                              "says": f"Montant sur {period} : plusieurs années, jamais un "
                                      "budget annuel."})
            if scope["period"] == "unknown":
                traps.append({"code": "spread_unknown", "field": "scope.period",
                              "says": "Annuel, pluriannuel ou ponctuel ? La phrase ne le dit "
                                      "pas."})
            proposal["scope"] = scope
        proposal["period"] = period
        if _round(n):
            traps.append({"code": "round_figure", "field": "value",
                          "says": f"« {n.as_written} » est un nombre rond : sans doute un ordre "
                                  "de grandeur, même si aucun mot ne le dit."})
        confidence, reasons = _confidence(decided, traps, n)
        self.candidates.append({
            "kind": "fact",
            "quote": n.sentence.text,
            "at": [n.sentence.start, n.sentence.end],
            "number": {"as_written": n.as_written, "value": value, "qualifier": n.qualifier,
                       "conversion": n.conversion, "at": n.at},
            "proposal": proposal,
            "decided_by": decided,
            "confidence": confidence,
            "why": why + reasons,
            "traps": traps,
            "_total": total,
            "_line": n.sentence.line,
            "_list": n.sentence.list_item,
        })

    # --- plans, levers, themes ----------------------------------------------------------------
    def _plans(self, sentence: Sentence) -> None:
        for match in _SPAN.finditer(sentence.text):
            years = [int(y) for y in match.groups() if y]
            if years[1] < years[0]:
                continue
            for kind, pattern in v.PLAN_WORDS:
                words = _first(pattern, sentence.text)
                if words:
                    seen = [c for c in self.candidates if c["kind"] == "plan"
                            and c["proposal"]["start"] == years[0]
                            and c["proposal"]["end"] == years[1]]
                    start = sentence.start + match.start()
                    if seen:
                        seen[0].setdefault("also_at", []).append([sentence.start, sentence.end])
                        break
                    self.candidates.append({
                        "kind": "plan",
                        "quote": sentence.text,
                        "at": [sentence.start, sentence.end],
                        "number": {"as_written": match.group(0), "at": [start, start + len(
                            match.group(0))]},
                        "proposal": {"step": kind, "name": _plan_name(sentence.text, words),
                                     "start": years[0], "end": years[1]},
                        "decided_by": {"kind": words, "years": match.group(0)},
                        "confidence": "high" if kind != "scheme" else "medium",
                        "why": [f"« {words} » et les années « {match.group(0)} »"],
                        "traps": [],
                    })
                    break

    def _levers_and_themes(self) -> None:
        seen: dict[tuple[str, str], dict] = {}
        for sentence in self.sentences:
            offset = 0
            for clause in re.split(r"(;)", sentence.text):
                if clause == ";":
                    offset += 1
                    continue
                stripped = clause.strip()
                start = sentence.start + offset + (len(clause) - len(clause.lstrip()))
                offset += len(clause)
                if len(stripped) < 3:
                    continue
                for kind, vocabulary in (("lever", v.LEVERS), ("theme", v.THEMES)):
                    for key, pattern in vocabulary.items():
                        match = pattern.search(stripped)
                        if not match:
                            continue
                        this_kind = kind
                        if kind == "lever" and v.NEGATION.search(stripped[: match.start()][-12:]):
                            this_kind = "lever_excluded"
                        at = [start, start + len(stripped)]
                        if (this_kind, key) in seen:
                            seen[(this_kind, key)].setdefault("also_at", []).append(at)
                            continue
                        candidate = self._mapping(this_kind, key, stripped, at, match.group(0),
                                                  sentence)
                        seen[(this_kind, key)] = candidate
                        self.candidates.append(candidate)

    def _mapping(self, kind: str, key: str, clause: str, at: list[int], words: str,
                 sentence: Sentence) -> dict:
        proposal: dict = {"theme" if kind == "theme" else "lever": key}
        why = [f"« {words} »"]
        confidence = "medium"
        if kind == "theme":
            head = self.list_head(sentence) or self.heading(sentence)
            context = (head.text if head is not None else "") + " " + clause
            if v.STATED_PRIORITY.search(context):
                proposal["basis"] = "stated_priority"
                why.append("présenté comme une priorité")
            elif v.SUPPORTED.search(sentence.text):
                proposal["basis"] = "supported_project"
                why.append("des projets soutenus, pas une priorité déclarée")
            else:
                proposal["basis"] = "action"
        if kind == "lever_excluded":
            why.append("précédé d'une négation (« sans ») : levier écarté par la source")
            confidence = "high"
        return {"kind": kind, "quote": clause, "at": at,
                "number": {"as_written": words, "at": [at[0] + clause.find(words),
                                                       at[0] + clause.find(words) + len(words)]},
                "proposal": proposal, "decided_by": {kind.split("_")[0]: words},
                "confidence": confidence, "why": why, "traps": []}

    # --- across candidates ------------------------------------------------------------------
    def _lines_without_total(self) -> None:
        """Two budget amounts or more in one sentence or one list, none said to be a total."""
        budget = [c for c in self.candidates if c["kind"] == "fact" and
                  c["proposal"]["indicator"] in ("ess_budget_eur", "ess_budget_line_eur")]
        groups: dict[object, list[dict]] = {}
        for candidate in budget:
            key = ("list", _list_block(self.sentences, candidate)) if candidate["_list"] \
                else ("sentence", candidate["at"][0])
            groups.setdefault(key, []).append(candidate)
        for members in groups.values():
            if len(members) < 2 or any(m["_total"] for m in members):
                continue
            first = members[0]
            between = self.text[first["number"]["at"][1]:members[1]["number"]["at"][0]]
            if first["proposal"]["indicator"] == "ess_budget_eur" and \
                    v.LINES_FOLLOW.search(between):
                # "2,4 M€ en faveur de l'ESS, dont 1,1 M€ ... et 1,3 M€": a total and its lines.
                for member in members[1:]:
                    member["proposal"]["indicator"] = "ess_budget_line_eur"
                    member["why"].append(f"« dont » : une ligne du total de "
                                         f"{first['number']['as_written']}")
                continue
            for member in members:
                proposal = member["proposal"]
                proposal["indicator"] = "ess_budget_line_eur"
                member["traps"].append({
                    "code": "lines_without_total", "field": "indicator",
                    "says": f"{len(members)} montants listés sans total écrit : des lignes, "
                            "jamais additionnées en budget (sauf une phrase qui dit qu'elles "
                            "sont tout le budget)."})
                member["confidence"] = "low"


def _list_block(sentences: list[Sentence], candidate: dict) -> int:
    """The first line of the run of list lines a candidate's sentence belongs to."""
    line = candidate["_line"]
    lines = {s.line: s.list_item for s in sentences}
    while lines.get(line - 1) or (line - 1 not in lines and line > 0 and lines.get(line - 2)):
        line -= 1
    return line


def _plan_name(text: str, words: str) -> str:
    start = max(0, text.lower().find(words.lower()))
    name = re.split(r"[,:;(]|\s+(?:pour|sur|couvre|couvrant|renouvel\w*|adopté\w*|signé\w*"
                    r"|validé\w*|lancé\w*|est|a|vise)\b|\s+(?:19|20)\d{2}", text[start:])[0]
    return name.strip(" .")[:120] or words


def _round(n: _Number) -> bool:
    if n.qualifier != "exact":
        return False
    if n.conversion == "ratio":
        return bool(re.search(r"sur\s+(?:10|100|4|5|3|2)\b", n.as_written))
    value = round(n.value * 100, 6) if n.conversion == "percent" else n.value
    if value <= 0 or value != int(value) or value < 10:
        return False
    digits = str(int(value)).rstrip("0")
    return len(digits) <= 1


def _confidence(decided: dict, traps: list[dict], n: _Number) -> tuple[str, list[str]]:
    serious = [t for t in traps if t["code"] not in ("round_figure", "private_base",
                                                     "spread_unknown", "rate_period_unknown")]
    if serious and any(t["code"] in ("base_not_stated", "lines_without_total") for t in serious):
        return "low", ["un piège sérieux à lever avant d'accepter"]
    if serious:
        return "medium", ["des points à vérifier (voir traps)"]
    return "high", ["mots décisifs à côté du nombre, aucun piège sérieux"]


def contradictions(candidate: dict, profile: Profile | None) -> dict:
    """How a candidate stands against the territory's current profile: same as, or contradicts."""
    if profile is None:
        return {}
    from essbench.evidence.profiles import Period

    proposal = candidate["proposal"]
    same, against = [], []
    if candidate["kind"] == "fact":
        try:
            period_key = Period.model_validate(proposal["period"]).key
        except ValueError:
            period_key = None
        for fact in profile.facts:
            if fact.indicator != proposal["indicator"] or fact.base != proposal.get("base"):
                continue
            if abs(fact.value - proposal["value"]) <= 1e-9 * max(1, abs(fact.value)):
                same.append(fact.id)
            elif registry.INDICATORS[fact.indicator].unit == "year" or \
                    fact.period.key == period_key:
                against.append(f"{fact.id} ({_plain(fact.value)})")
    elif candidate["kind"] in ("lever", "lever_excluded"):
        lever = proposal["lever"]
        if lever in {m.lever for m in profile.levers}:
            (same if candidate["kind"] == "lever" else against).append(f"levers: {lever}")
        if lever in {m.lever for m in profile.levers_excluded}:
            (same if candidate["kind"] == "lever_excluded" else against).append(
                f"levers_excluded: {lever}")
    elif candidate["kind"] == "theme":
        if proposal["theme"] in {m.theme for m in profile.themes}:
            same.append(f"themes: {proposal['theme']}")
    elif candidate["kind"] == "plan":
        period = profile.programme.period
        if period is not None:
            if (period.start, period.end) == (proposal["start"], proposal["end"]):
                same.append("programme.period")
        steps = [s.id for s in profile.policy_history
                 if (s.start, s.end) == (proposal["start"], proposal["end"])]
        same += [f"policy_history: {s}" for s in steps]
    result = {}
    if same:
        result["same_as"] = same
    if against:
        result["contradicts"] = against
    return result


def _plain(value: float) -> str:
    return f"{value:.15g}"


def draft(text: str, profile: Profile | None = None) -> tuple[list[dict], list[dict]]:
    """(candidates, numbers set aside) for a document's text, in the order of the text."""
    drafter = Drafter(text, profile)
    drafter.run()
    candidates = sorted(drafter.candidates, key=lambda c: (c["at"][0], c["number"]["at"][0]))
    used_ids = {f.id for f in profile.facts} if profile is not None else set()
    for index, candidate in enumerate(candidates, start=1):
        for key in ("_total", "_line", "_list"):
            candidate.pop(key, None)
        candidate["id"] = f"c{index:03d}"
        if candidate["kind"] == "fact":
            candidate["proposal"] = {"id": _fact_id(candidate["proposal"]["indicator"],
                                                    used_ids), **candidate["proposal"]}
        if candidate["kind"] in ("fact", "plan"):
            # The lever or theme the figure's sentence speaks of: "25 000 € ... appel à projets".
            related = {"levers": [k for k, p in v.LEVERS.items() if p.search(candidate["quote"])],
                       "themes": [k for k, p in v.THEMES.items() if p.search(candidate["quote"])]}
            related = {key: ids for key, ids in related.items() if ids}
            if related:
                candidate["related"] = related
        standing = contradictions(candidate, profile)
        if standing:
            candidate["profile"] = standing
            if "contradicts" in standing:
                candidate["traps"].append({"code": "contradicts_profile", "field": "value",
                                           "says": "Diffère de la fiche actuelle : "
                                           + ", ".join(standing["contradicts"])})
    return candidates, drafter.set_aside


def _fact_id(indicator: str, used: set[str]) -> str:
    stem = indicator.removeprefix("ess_").removesuffix("_eur")
    candidate, suffix = stem, 2
    while candidate in used:
        candidate, suffix = f"{stem}_{suffix}", suffix + 1
    used.add(candidate)
    return candidate


def kinds(candidates: Iterable[dict]) -> dict[str, int]:
    """How many candidates of each kind."""
    counted: dict[str, int] = {}
    for candidate in candidates:
        counted[candidate["kind"]] = counted.get(candidate["kind"], 0) + 1
    return counted
