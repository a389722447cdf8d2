"""Turning the candidates a curator accepted into profile entries, checked before anything is
written: the profile's schema, quotes found in the archived document, numbers re-read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pydantic
import yaml

from essbench.curation.review import ReviewCandidate, Review, load_review
from essbench.evidence.dataset import check_owner, evidence_items, normalise_space
from essbench.evidence.problems import InvalidInput, Problem, display_path, from_pydantic, listing
from essbench.evidence.profiles import Profile, load_model
from essbench.evidence.sources import load_cited, load_sources, source_text
from essbench.evidence.yamlfiles import read_yaml

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Keys of a fact a review's proposal may carry; anything else is a typo worth a problem line.
FACT_KEYS = ("id", "indicator", "value", "unit", "period", "qualifier", "as_written",
             "conversion", "base", "base_as_worded", "scope", "geography_as_worded", "primary",
             "outlier")
PLAN_KEYS = ("step", "name", "start", "end", "id")
# Where each kind of candidate goes in a profile.
SECTIONS = {"fact": "facts", "lever": "levers", "lever_excluded": "levers_excluded",
            "theme": "themes", "plan": "policy_history"}


@dataclass
class Applied:
    """What --apply did: entries added per profile section, and the candidates left out."""

    profile: Path
    added: dict[str, list[str]] = field(default_factory=dict)
    pending: int = 0
    rejected: int = 0
    programme_period: bool = False


def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _evidence(review: Review, candidate: ReviewCandidate) -> dict:
    entry = {"source": review.source}
    if review.evidence == "quoted":
        entry["quote"] = candidate.quote
    else:
        entry["description"] = candidate.description
    if candidate.note:
        entry["note"] = candidate.note
    return entry


def _entry(review: Review, candidate: ReviewCandidate, where: str, file: str
           ) -> tuple[dict | None, dict | None, list[Problem]]:
    """(profile entry, programme period or None, problems) for one accepted candidate."""
    problems = []
    proposal = dict(candidate.proposal)
    allowed = {"fact": FACT_KEYS, "plan": PLAN_KEYS, "lever": ("lever",),
               "lever_excluded": ("lever",), "theme": ("theme", "basis")}[candidate.kind]
    for key in proposal:
        if key not in allowed:
            problems.append(Problem(file, f"{where}.proposal.{key}", repr(proposal[key]),
                                    f"a field of a {candidate.kind} proposal: "
                                    f"{', '.join(allowed)}"))
    if review.evidence == "cited" and candidate.description is None:
        problems.append(Problem(file, f"{where}.description", "nothing",
                                f"what {review.source or 'the cited page'} says, in your own "
                                "words: the text of a page not archived is never copied"))
    if problems:
        return None, None, problems
    evidence = _evidence(review, candidate)
    if candidate.kind == "fact":
        entry = {key: _number(proposal[key]) if key == "value" else proposal[key]
                 for key in FACT_KEYS if key in proposal}
        return {**entry, **evidence}, None, []
    if candidate.kind in ("lever", "lever_excluded"):
        return {"lever": proposal.get("lever"), **evidence}, None, []
    if candidate.kind == "theme":
        return {"theme": proposal.get("theme"), "basis": proposal.get("basis"), **evidence}, \
            None, []
    start, end = proposal.get("start"), proposal.get("end")
    step = {"id": proposal.get("id") or f"{proposal.get('step')}_{start}_{end}",
            "kind": proposal.get("step"), "name": proposal.get("name"), "start": start}
    if end is not None:
        step["end"] = end
    step["documents"] = [{k: v for k, v in evidence.items() if k != "note"}]
    if candidate.note:
        step["note"] = candidate.note
    period = None
    if review.evidence == "quoted":
        period = {"start": start, **({"end": end} if end is not None else {}), **evidence}
    return step, period, []


def _map_field(field_path: str, origins: dict[str, str]) -> str:
    """'facts[12].value' -> 'candidates[3].proposal.value' for an entry the review added."""
    for prefix, where in origins.items():
        if field_path == prefix or field_path.startswith(prefix + ".") \
                or field_path.startswith(prefix + "["):
            rest = field_path[len(prefix):]
            return f"{where}{rest}" if rest.startswith((".quote", ".description",
                                                        ".source", ".note")) \
                else f"{where}.proposal{rest}"
    return field_path


def plan_apply(review_path: Path, data: Path) -> tuple[Review, Path, str, Applied]:
    """The new text of the profile, every accepted candidate in it, checked; nothing written."""
    review = load_review(review_path)
    file = display_path(review_path)
    profile_path = data / "profiles" / f"{review.territory}.yaml"
    if not profile_path.is_file():
        known = [p.stem for p in (data / "profiles").glob("*.yaml")]
        raise InvalidInput([Problem(file, "territory", repr(review.territory),
                                    f"a profile of data/profiles: {listing(known)}")])
    sources_dir = data / "sources"
    archived = load_sources(sources_dir)
    cited = load_cited(sources_dir)
    problems: list[Problem] = []
    if review.evidence == "quoted":
        source = archived.get(review.source or "")
        if source is None or source.sha256 != review.sha256:
            matching = [s.id for s in archived.values() if s.sha256 == review.sha256]
            problems.append(Problem(file, "source", repr(review.source),
                                    "the archived source with the document's sha256: "
                                    f"{', '.join(matching) or 'none (archive it, or set evidence: cited)'}"))
    elif review.source not in cited:
        problems.append(Problem(file, "source", repr(review.source),
                                f"an id of data/sources/cited.yaml: {listing(cited) or 'none'}"))
    if problems:
        raise InvalidInput(problems)
    content = read_yaml(profile_path)
    applied = Applied(profile_path)
    additions: dict[str, list[dict]] = {}
    origins: dict[str, str] = {}
    programme_period = None
    for index, candidate in enumerate(review.candidates):
        if candidate.decision == "pending":
            applied.pending += 1
        if candidate.decision == "reject":
            applied.rejected += 1
        if not candidate.accepted:
            continue
        where = f"candidates[{index}]"
        entry, period, found = _entry(review, candidate, where, file)
        problems += found
        if entry is None:
            continue
        section = SECTIONS[candidate.kind]
        key = {"lever": "lever", "lever_excluded": "lever", "theme": "theme"}.get(candidate.kind)
        if key and any(isinstance(old, dict) and old.get(key) == entry[key]
                       and old.get("source") == entry["source"]
                       and old.get("quote") == entry.get("quote")
                       for old in content.get(section) or []):
            problems.append(Problem(file, f"{where}.proposal.{key}", repr(entry[key]),
                                    f"a {key} the profile does not already hold from this "
                                    "quote (was this review applied before?)"))
            continue
        position = len(content.get(section) or []) + len(additions.get(section, []))
        origins[f"{section}[{position}]"] = where
        additions.setdefault(section, []).append(entry)
        if period is not None and programme_period is None and \
                not (content.get("programme") or {}).get("period"):
            programme_period = period
            origins["programme.period"] = where
    # Every problem at once: those of the entries above, then the profile's own checks.
    merged = dict(content)
    for section, entries in additions.items():
        merged[section] = list(content.get(section) or []) + entries
    if programme_period is not None:
        merged["programme"] = {**(content.get("programme") or {}), "period": programme_period}
    try:
        profile = Profile.model_validate(merged)
    except pydantic.ValidationError as error:
        found = from_pydantic(file, error)
        # A plan goes to policy_history and programme.period: one problem line, not two.
        raise InvalidInput(list(dict.fromkeys(problems + [
            Problem(p.file, _map_field(p.field, origins), p.found, p.allowed)
            for p in found]))) from None
    sources = {**archived, **cited}
    used = {item.source for _, item in evidence_items(profile)}
    texts = {sid: normalise_space(source_text(sources_dir, s)) for sid, s in archived.items()
             if sid in used}
    checked = [p for p in check_owner(profile, file, sources, texts)
               if _map_field(p.field, origins) != p.field or p.field == "facts"]
    problems += [Problem(file, _map_field(p.field, origins), p.found, p.allowed)
                 for p in checked]
    if problems:
        raise InvalidInput(problems)
    text = profile_path.read_text(encoding="utf-8")
    for section, entries in additions.items():
        text = insert_items(text, section, entries)
        applied.added[section] = [e.get("id") or e.get("lever") or e.get("theme")
                                  for e in entries]
    if programme_period is not None:
        text = insert_programme_period(text, programme_period)
        applied.programme_period = True
    return review, profile_path, text, applied


def apply_review(review_path: Path, data: Path) -> Applied:
    """Write the accepted candidates into the territory's profile, or raise InvalidInput."""
    _, profile_path, text, applied = plan_apply(review_path, data)
    if not applied.added and not applied.programme_period:
        return applied
    original = profile_path.read_text(encoding="utf-8")
    profile_path.write_text(text, encoding="utf-8")
    try:
        load_model(profile_path, Profile)
    except InvalidInput:
        profile_path.write_text(original, encoding="utf-8")  # never leave a broken profile
        raise
    return applied


def _dump_items(items: list[dict], indent: str) -> str:
    dumped = yaml.dump(items, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return "".join(indent + line if line.strip() else line
                   for line in dumped.splitlines(keepends=True))


def insert_items(text: str, key: str, items: list[dict]) -> str:
    """`items` appended to the top-level list `key` of a profile's text, comments kept.

    Examples
    --------
    >>> print(insert_items("facts:\\n  - id: a\\nlevers: []\\n", "levers", [{"lever": "x"}]), end="")
    facts:
      - id: a
    levers:
      - lever: x
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    head = re.compile(rf"^{re.escape(key)}:\s*(\[\s*\])?\s*(#.*)?$")
    for index, line in enumerate(lines):
        if head.match(line.rstrip("\n")):
            lines[index] = f"{key}:\n"
            end = index + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][0] in " -#"):
                end += 1
            # Comments just above the next key belong to it.
            while end - 1 > index and lines[end - 1].lstrip().startswith("#") \
                    and lines[end - 1][0] == "#":
                end -= 1
            while end - 1 > index and not lines[end - 1].strip():
                end -= 1
            lines[end:end] = [_dump_items(items, "  ")]
            return "".join(lines)
    return "".join(lines) + f"{key}:\n" + _dump_items(items, "  ")


def insert_programme_period(text: str, period: dict) -> str:
    """`period:` added at the top of the profile's `programme:` mapping."""
    dumped = yaml.dump({"period": period}, Dumper=_DUMPER, allow_unicode=True,
                       sort_keys=False, width=100)
    block = "".join("  " + line for line in dumped.splitlines(keepends=True))
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.match(r"^programme:\s*(#.*)?$", line.rstrip("\n")):
            lines[index + 1:index + 1] = [block]
            return "".join(lines)
    return text.rstrip("\n") + "\nprogramme:\n" + block
