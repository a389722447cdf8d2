"""A territory page on paper prints some parts in a compact form (issue 19): the same facts, on
the made-up fixture territory. Each compact form is checked against the screen's table."""

from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.unit

TERRITORY = "fictif"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _rows(html: str) -> list[tuple[str, str]]:
    """(class of the row, its cells' text) for every body row of the first table."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [(cls or "", _text(cells))
            for cls, cells in re.findall(r'<tr(?: class="([^"]*)")?>(.*?)</tr>', body, re.S)]


def _block(html: str, cls: str) -> str:
    found = re.search(rf'<(ul|div|p) class="[^"]*\b{cls}\b[^"]*">(.*?)</\1>', html, re.S)
    return found.group(2) if found else ""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_unknown_indicators_print_grouped_by_reason_every_one_once(fixture_contexts, lang):
    from essbench.report.sections import unknowns_html

    ctx = fixture_contexts(lang)
    html = unknowns_html(ctx, TERRITORY)
    screen = [_text(cells) for cells in re.findall(
        r"<tr>(.*?)</tr>", html.split("<tbody>", 1)[1].split("</tbody>", 1)[0], re.S)]
    assert screen, "the fixture territory has unknown indicators"
    grouped = _block(html, "ess-unknowns-grouped")
    assert 'class="ess-print-only' in html and 'class="ess-print-hide"' in html
    items = re.findall(r"<li>(.*?)</li>", grouped, re.S)
    labels_printed = []
    total = 0
    for item in items:
        head, _, rest = item.partition("<br>")
        reason = _text(head)
        count = int(re.search(r"(\d+) indicat", reason).group(1))
        labels = [label.strip() for part in rest.split("<br>")
                  for label in _text(re.sub(r'<span class="ess-unit">.*?</span>', "",
                                            part)).split(" ; " if lang == "fr" else "; ")]
        assert len(labels) == count, f"{reason}: {labels}"
        labels_printed += labels
        total += count
    rows_labels = [row.split(" ")[0] for row in screen]
    assert total == len(screen)
    # every label of the screen's table is printed once, under the reason its row gives
    for row in screen:
        assert sum(1 for label in labels_printed if row.startswith(label + " ")) >= 1, row
    assert len(labels_printed) == len(rows_labels)


def test_a_tables_unknown_rows_print_as_lines_with_their_reason(fixture_contexts):
    from essbench.report.sections import economy_html, policy_figures_html

    ctx = fixture_contexts("fr")
    for html in (economy_html(ctx, TERRITORY), policy_figures_html(ctx, TERRITORY)):
        rows = _rows(html)
        hidden = [text for cls, text in rows if "ess-print-hide" in cls]
        shown = [text for cls, text in rows if "ess-print-hide" not in cls]
        assert all("inconnu" in text for text in hidden)
        assert not any(text.split(" ")[1:2] == ["inconnu"] for text in shown)
        lines = _text(_block(html, "ess-unknown-lines"))
        for text in hidden:
            label = text.split(" inconnu ")[0]
            reason = text.split("Inconnu : ")[-1]
            assert label in lines and reason in lines, (label, reason, lines)
        if not hidden:
            assert "ess-unknown-lines" not in html


def test_the_figures_annex_leaves_out_on_paper_only_what_a_table_prints_with_its_evidence(
        fixture_contexts):
    from essbench.report.sections import (
        budget_html,
        economy_html,
        policy_figures_html,
        printed_with_evidence,
        sources_html,
    )

    ctx = fixture_contexts("fr")
    profile = ctx.dataset.profiles[TERRITORY]
    printed = printed_with_evidence(ctx, TERRITORY)
    assert printed, "the fixture's economy table quotes some facts"
    assert printed < {f.id for f in profile.facts}, "some facts print only in the annex"
    html = sources_html(ctx, TERRITORY)
    rows = _rows(html.split('class="ess-annex"', 1)[1])
    assert len(rows) == len(profile.facts)  # the screen keeps every fact
    hidden = [fact for fact, (cls, _) in zip(profile.facts, rows) if "ess-print-hide" in cls]
    assert {f.id for f in hidden} == printed
    note = _text(_block(html, "ess-print-only"))
    assert f"les {len(printed)} chiffres" in note or len(printed) == 1
    tables = _text(economy_html(ctx, TERRITORY) + policy_figures_html(ctx, TERRITORY)
                   + budget_html(ctx, TERRITORY))
    for fact in hidden:
        # its evidence (quote or cited description) and its source are printed above
        words = _text(fact.quote or fact.description)
        assert words in tables, fact.id
        source = re.search(r"\[\d+\]", _text(str(rows[profile.facts.index(fact)][1])))
        assert source and source.group(0) in tables
