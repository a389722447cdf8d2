"""The review file: the candidates of one document, each waiting for the curator's decision.

Written by `essbench propose DOCUMENT --territory ID`, read back by `essbench propose --apply`.
Every candidate starts `decision: pending`; only `accept` or `edit` lets it into a profile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml

from essbench.curation.candidates import draft, kinds
from essbench.curation.document import read_document
from essbench.evidence.problems import InvalidInput, Problem, display_path, from_pydantic, listing
from essbench.evidence.profiles import Profile, load_model
from essbench.evidence.schema import NonEmpty, SnakeId, Strict
from essbench.evidence.sources import load_sources
from essbench.evidence.yamlfiles import read_yaml

DECISIONS = ("pending", "accept", "edit", "reject")
KINDS = ("fact", "plan", "lever", "lever_excluded", "theme")

HEADER = """\
# Candidates drafted by `essbench propose` from one document, for the curator to decide.
# For each candidate set `decision:` to
#   accept  the proposal as it is,
#   edit    the proposal as you corrected it (change any field of `proposal:` or `quote:`),
#   reject  leave it out;
# `pending` candidates are left out too. Read `traps:` first: a share of private jobs, an amount
# over several years, lines with no total, a round figure, a figure of another area.
# `profile:` says when a candidate repeats (same_as) or contradicts the territory's profile.
# `quote:` must stay word for word from the document (shorten it if you like).
# A document not archived in data/sources/ is cited: set `source:` to its id in cited.yaml
# and give each accepted candidate a `description:` in your own words (its text is not copied).
# Then: essbench propose --apply THIS_FILE, and essbench validate.
"""


class ReviewCandidate(Strict):
    """One candidate as the curator leaves it: decision, quote, proposal; the rest is advice."""

    id: NonEmpty
    kind: Literal["fact", "plan", "lever", "lever_excluded", "theme"]
    decision: Literal["pending", "accept", "edit", "reject"]
    quote: NonEmpty
    at: list[int] | None = None
    proposal: dict[str, Any]
    description: NonEmpty | None = None  # a cited page: what it says, in the curator's words
    note: NonEmpty | None = None  # the curator's note, kept on the profile entry
    number: dict[str, Any] | None = None
    decided_by: dict[str, Any] | None = None
    confidence: Literal["high", "medium", "low"] | None = None
    why: list[Any] = []
    traps: list[dict[str, Any]] = []
    related: dict[str, Any] | None = None  # levers and themes named in the same sentence
    profile: dict[str, Any] | None = None
    also_at: list[Any] = []

    @property
    def accepted(self) -> bool:
        return self.decision in ("accept", "edit")


class Review(Strict):
    """A review file: which document, for which territory, resting on which source."""

    document: NonEmpty
    sha256: pydantic.constr(pattern=r"^[0-9a-f]{64}$")  # type: ignore[valid-type]
    format: Literal["txt", "html", "pdf"]
    territory: SnakeId
    evidence: Literal["quoted", "cited"]
    source: SnakeId | None = None
    candidates: list[ReviewCandidate] = []
    set_aside: list[dict[str, Any]] = []


def archived_source(sources_dir: Path, sha256: str) -> str | None:
    """The id of the archived source whose file has these bytes, if any."""
    if not (sources_dir / "sources.yaml").is_file():
        return None
    for source in load_sources(sources_dir).values():
        if source.sha256 == sha256:
            return source.id
    return None


def profile_of(profiles_dir: Path, territory: str) -> Profile:
    """The territory's current profile, or a problem naming the territories there are."""
    path = profiles_dir / f"{territory}.yaml"
    if not path.is_file():
        known = [p.stem for p in profiles_dir.glob("*.yaml")]
        raise InvalidInput([Problem("--territory", "territory", repr(territory),
                                    f"a profile of {display_path(profiles_dir)}: "
                                    f"{listing(known) or 'none (essbench new ID first)'}")])
    return load_model(path, Profile)


def propose(document: Path, territory: str, data: Path) -> dict:
    """The review file's content for one document and territory (nothing written)."""
    profile = profile_of(data / "profiles", territory)
    read = read_document(document)
    source = archived_source(data / "sources", read.sha256)
    candidates, set_aside = draft(read.text, profile)
    for candidate in candidates:
        candidate["decision"] = "pending"
    ordered = [{key: candidate[key] for key in (
        "id", "kind", "decision", "quote", "at", "number", "proposal", "confidence", "why",
        "traps", "decided_by", "related", "profile", "also_at") if key in candidate}
        for candidate in candidates]
    return {"document": str(document), "sha256": read.sha256, "format": read.format,
            "territory": territory, "evidence": "quoted" if source else "cited",
            "source": source, "candidates": ordered, "set_aside": set_aside}


def write_review(review: dict, path: Path) -> Path:
    """The review file, written with the decisions explained at its top."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.dump(review, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                     allow_unicode=True, sort_keys=False, width=100, default_flow_style=None)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def load_review(path: Path) -> Review:
    """A review file checked; InvalidInput with every problem (file, field, found, allowed)."""
    content = read_yaml(path)
    try:
        review = Review.model_validate(content)
    except pydantic.ValidationError as error:
        raise InvalidInput(from_pydantic(display_path(path), error)) from None
    seen: set[str] = set()
    problems = []
    for index, candidate in enumerate(review.candidates):
        if candidate.id in seen:
            problems.append(Problem(display_path(path), f"candidates[{index}].id",
                                    repr(candidate.id), "an id no other candidate uses"))
        seen.add(candidate.id)
    if problems:
        raise InvalidInput(problems)
    return review


def summary(review: dict) -> list[str]:
    """What a review file holds, in a few lines for the command line."""
    candidates = review["candidates"]
    counted = kinds(candidates)
    traps: dict[str, int] = {}
    for candidate in candidates:
        for trap in candidate["traps"]:
            traps[trap["code"]] = traps.get(trap["code"], 0) + 1
    against = sum(1 for c in candidates if "contradicts" in c.get("profile", {}))
    lines = [", ".join(f"{n} {kind}" for kind, n in counted.items()) + f" candidate(s); "
             f"{len(review['set_aside'])} number(s) set aside with the reason",
             "traps: " + (", ".join(f"{code} ×{n}" for code, n in sorted(traps.items()))
                          or "none"),
             f"contradicting the current profile: {against}"]
    if review["evidence"] == "quoted":
        lines.append(f"archived source: {review['source']} (accepted facts will be quoted)")
    else:
        lines.append("not an archived source: set source: to its cited.yaml id and give each "
                     "accepted candidate a description in your own words")
    return lines
