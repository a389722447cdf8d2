"""How much of what the curators typed the assistant finds: recall and precision per archived
document, measured against the profiles' facts, levers and programme years that quote it.

    .venv/bin/python benchmarks/propose_recall.py [--root PATH]

Key facts: ESS jobs, shares (found with their base), budget amounts (with their spread and
period), staff, programme years (programme period and policy start year), levers. A fact is
found when a candidate has its indicator and value (and base, spread and period where they
apply); a lever when a candidate maps the document to it. Precision: of the fact and plan
candidates, those that match a profile entry quoting the document (levers and themes apart).
"Wrong, unmarked": candidates whose value matches a profile fact but whose base or period
differs from the curator's, with no trap on that field (goal: none).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from essbench.curation.candidates import draft
from essbench.curation.document import read_document
from essbench.evidence.dataset import normalise_space
from essbench.evidence.profiles import Period, Profile, load_model
from essbench.evidence.sources import load_sources

KEY_INDICATORS = {"ess_employees", "ess_staff", "ess_budget_eur", "ess_budget_line_eur",
                  "policy_start_year"}


def _is_key(indicator: str) -> bool:
    return indicator in KEY_INDICATORS or indicator.endswith("_share")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _period_key(period) -> tuple:
    try:
        return Period.model_validate(period).key
    except ValueError:
        return ("invalid",)


def _fact_matches(fact, candidate) -> tuple[bool, bool, list[str]]:
    """(same indicator and value, also same base/spread/period, fields that differ)."""
    proposal = candidate["proposal"]
    if candidate["kind"] == "plan":
        hit = fact.indicator == "policy_start_year" and proposal["start"] == fact.value
        return hit, hit, []
    if proposal["indicator"] != fact.indicator or not _same(proposal["value"], fact.value):
        return False, False, []
    differ = []
    if proposal.get("base") != fact.base:
        differ.append("base")
    if fact.scope is not None and (proposal.get("scope") or {}).get("period") != fact.scope.period:
        differ.append("scope.period")
    if fact.indicator not in ("policy_start_year",) and \
            _period_key(proposal["period"]) != fact.period.key:
        differ.append("period")
    return True, not differ, differ


def measure(root: Path) -> list[dict]:
    data = root / "data"
    rows = []
    for source in load_sources(data / "sources").values():
        profile = load_model(data / "profiles" / f"{source.territory}.yaml", Profile)
        document = read_document(data / "sources" / source.file)
        candidates, _ = draft(document.text, profile)
        facts = [f for f in profile.facts if f.source == source.id and f.quote is not None]
        numeric = [c for c in candidates if c["kind"] in ("fact", "plan")]
        matched_candidates: set[str] = set()
        found = found_key = key_total = 0
        wrong_unmarked: list[str] = []
        missed: list[str] = []
        for fact in facts:
            hits = [(c, *_fact_matches(fact, c)) for c in numeric]
            hits = [h for h in hits if h[1]]
            exact = [h for h in hits if h[2]]
            matched_candidates |= {h[0]["id"] for h in hits}
            key = _is_key(fact.indicator)
            key_total += key
            if exact:
                found += 1
                found_key += key
            else:
                missed.append(fact.id)
        # A candidate whose indicator and value are a curator's fact, but whose base or period
        # is not that of any such fact, must carry a trap on that field.
        for candidate in numeric:
            pairs = [_fact_matches(fact, candidate) for fact in facts]
            pairs = [p for p in pairs if p[0]]
            if not pairs or any(p[1] for p in pairs):
                continue
            marked = {t["field"] for t in candidate["traps"]}
            differ = min((p[2] for p in pairs), key=len)
            if any(field not in marked and not (field == "scope.period" and "period" in marked)
                   for field in differ):
                wrong_unmarked.append(f"{candidate['id']} ({', '.join(differ)})")
        period = profile.programme.period
        programme_hit = None
        if period is not None and period.source == source.id:
            key_total += 1
            programme_hit = any(c["kind"] == "plan" and c["proposal"]["start"] == period.start
                                and c["proposal"]["end"] == period.end for c in candidates)
            found_key += programme_hit
            matched_candidates |= {c["id"] for c in candidates if c["kind"] == "plan"
                                   and c["proposal"]["start"] == period.start
                                   and c["proposal"]["end"] == period.end}
            if not programme_hit:
                missed.append("programme.period")
        levers = {m.lever for m in profile.levers if m.source == source.id}
        lever_candidates = {c["proposal"]["lever"] for c in candidates if c["kind"] == "lever"}
        levers_found = levers & lever_candidates
        missed += [f"lever {lever}" for lever in sorted(levers - lever_candidates)]
        themes = {m.theme for m in profile.themes if m.source == source.id}
        theme_candidates = {c["proposal"]["theme"] for c in candidates if c["kind"] == "theme"}
        # Plans match the programme period or a policy step quoting the document.
        steps = {(s.start, s.end) for s in profile.policy_history
                 for d in s.documents if d.source == source.id}
        matched_candidates |= {c["id"] for c in candidates if c["kind"] == "plan"
                               and (c["proposal"]["start"], c["proposal"]["end"]) in steps}
        rows.append({
            "document": source.id, "facts": len(facts), "found": found,
            "key": key_total + len(levers), "key_found": found_key + len(levers_found),
            "levers": f"{len(levers_found)}/{len(levers)}",
            "lever_precision": f"{len(levers & lever_candidates)}/{len(lever_candidates)}",
            "themes": f"{len(themes & theme_candidates)}/{len(themes)}",
            "candidates": len(numeric), "precise": len(matched_candidates & {c["id"] for c in numeric}),
            "wrong_unmarked": wrong_unmarked, "missed": missed,
            "quotes_exact": all(normalise_space(c["quote"]) in normalise_space(document.text)
                                for c in candidates),
        })
    return rows


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    rows = measure(args.root)
    header = (f"{'document':34} {'key facts found':>16} {'all facts found':>16} "
              f"{'levers':>7} {'themes':>7} {'precision':>15} {'lever prec.':>11} "
              f"{'wrong unmarked':>14}")
    print(header)
    print("-" * len(header))
    totals = dict.fromkeys(("key", "key_found", "facts", "found", "candidates", "precise",
                            "wrong"), 0)
    for row in rows:
        print(f"{row['document']:34} {_ratio(row['key_found'], row['key']):>16} "
              f"{_ratio(row['found'], row['facts']):>16} {row['levers']:>7} {row['themes']:>7} "
              f"{_ratio(row['precise'], row['candidates']):>15} {row['lever_precision']:>11} "
              f"{len(row['wrong_unmarked']):>14}")
        for name in ("key", "key_found", "facts", "found", "candidates", "precise"):
            totals[name] += row[name]
        totals["wrong"] += len(row["wrong_unmarked"])
    print("-" * len(header))
    print(f"{'all documents':34} {_ratio(totals['key_found'], totals['key']):>16} "
          f"{_ratio(totals['found'], totals['facts']):>16} {'':>7} {'':>7} "
          f"{_ratio(totals['precise'], totals['candidates']):>15} {'':>11} "
          f"{totals['wrong']:>14}")
    for row in rows:
        if row["missed"] or row["wrong_unmarked"]:
            print(f"\n{row['document']}: missed {', '.join(row['missed']) or 'nothing'}"
                  + (f"; wrong and unmarked: {', '.join(row['wrong_unmarked'])}"
                     if row["wrong_unmarked"] else ""))
        if not row["quotes_exact"]:
            print(f"{row['document']}: a candidate's quote is not word for word in the document")
    goal = totals["key"] and totals["key_found"] / totals["key"] >= 0.9 and totals["wrong"] == 0
    print(f"\ngoal (9 key facts in 10, no wrong base or period unmarked): "
          f"{'met' if goal else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
