"""The document with its candidates highlighted, beside the table of candidates: plain escaped
HTML for a notebook, with no script and nothing loaded from the network."""

from __future__ import annotations

from html import escape

# Colour-blind-safe hues (Okabe-Ito), one per kind of candidate.
COLOURS = {"fact": "#E69F00", "plan": "#56B4E9", "lever": "#009E73", "lever_excluded": "#D55E00",
           "theme": "#CC79A7"}
_PRIORITY = {"fact": 0, "plan": 1, "lever_excluded": 2, "lever": 3, "theme": 4}

_STYLE = """
<style>
.ess-curate {display: flex; gap: 1.5em; align-items: flex-start; font-family: sans-serif;}
.ess-curate .doc {flex: 1 1 45%; white-space: pre-wrap; line-height: 1.5; max-height: 48em;
  overflow: auto; border: 1px solid #ccc; padding: .6em; font-size: 13px;}
.ess-curate .table {flex: 1 1 55%; max-height: 48em; overflow: auto; font-size: 12px;}
.ess-curate table {border-collapse: collapse;}
.ess-curate td, .ess-curate th {border-bottom: 1px solid #ddd; padding: .25em .4em;
  vertical-align: top; text-align: left;}
.ess-curate mark {padding: 0 .1em; border-radius: 2px;}
.ess-curate .trap {color: #a33;}
</style>
"""


def highlighted(text: str, candidates: list[dict]) -> str:
    """The text, escaped, with each candidate's number (or lever, theme words) in a <mark>."""
    spans = sorted(((c["number"]["at"][0], c["number"]["at"][1], c) for c in candidates
                    if c.get("number") and c["number"].get("at")),
                   key=lambda s: (s[0], _PRIORITY.get(s[2]["kind"], 9)))
    parts, cursor = [], 0
    for start, end, candidate in spans:
        if start < cursor or end > len(text):
            continue  # overlapping highlights: the first one is kept, the table lists all
        colour = COLOURS.get(candidate["kind"], "#999999")
        label = _proposal_label(candidate)
        parts.append(escape(text[cursor:start]))
        parts.append(f'<mark id="{escape(candidate["id"])}-text" title="{escape(label)}" '
                     f'style="background:{colour}55;border-bottom:2px solid {colour}">'
                     f'{escape(text[start:end])}<sup>{escape(candidate["id"])}</sup></mark>')
        cursor = end
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def _proposal_label(candidate: dict) -> str:
    proposal = candidate["proposal"]
    if candidate["kind"] == "fact":
        base = f" ({proposal['base']})" if proposal.get("base") else ""
        return f"{proposal['indicator']}{base} = {proposal['value']}"
    if candidate["kind"] == "plan":
        return f"{proposal['step']} {proposal['start']}-{proposal['end']}"
    return str(proposal.get("lever") or proposal.get("theme"))


def _period(proposal: dict) -> str:
    period = proposal.get("period")
    if isinstance(period, dict):
        return period.get("note", "")
    return "" if period is None else str(period)


def table(candidates: list[dict]) -> str:
    """The candidates as an HTML table: what was read, what it is guessed to be, the traps."""
    rows = []
    for candidate in candidates:
        proposal = candidate["proposal"]
        scope = proposal.get("scope") or {}
        spread = scope.get("period", "")
        traps = "<br>".join(f'<span class="trap">{escape(t["code"])}</span>: {escape(t["says"])}'
                            for t in candidate.get("traps", []))
        standing = candidate.get("profile") or {}
        profile = "; ".join(f"{key}: {', '.join(map(str, value))}"
                            for key, value in standing.items())
        number = (candidate.get("number") or {}).get("as_written", "")
        rows.append(
            f'<tr><td><a href="#{escape(candidate["id"])}-text">{escape(candidate["id"])}</a></td>'
            f'<td style="color:{COLOURS.get(candidate["kind"], "#999")}">{escape(candidate["kind"])}'
            f'</td><td>{escape(str(candidate.get("decision", "")))}</td>'
            f"<td>{escape(str(number))}</td><td>{escape(_proposal_label(candidate))}</td>"
            f"<td>{escape(_period(proposal))} {escape(spread)}</td>"
            f"<td>{escape(str(candidate.get('confidence', '')))}</td><td>{traps}</td>"
            f"<td>{escape(profile)}</td></tr>")
    head = ("<tr><th>id</th><th>kind</th><th>decision</th><th>as written</th><th>proposal</th>"
            "<th>period, spread</th><th>confidence</th><th>traps</th><th>profile</th></tr>")
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def side_by_side(text: str, review: dict) -> str:
    """The document with its candidates highlighted, beside their table."""
    candidates = review["candidates"]
    return (f'{_STYLE}<div class="ess-curate"><div class="doc">{highlighted(text, candidates)}'
            f'</div><div class="table">{table(candidates)}</div></div>')
