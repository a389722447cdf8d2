"""Accessibility of every built page: axe-core finds no serious or critical violation, and
every figure carries a text alternative (a caption, a label or a table with its numbers).

Violations, by impact, go to outputs/screenshots/axe-report.json.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from browser import SCREENSHOTS, launch, page_names, require_built, require_chromium, write_json

pytestmark = pytest.mark.browser

PAGES = page_names()
# The pages built from a params file (index is not one): each draws figures.
DASHBOARDS = [name for name in PAGES if name != "index"]
AXE_TIMEOUT_MS = 180_000
BLOCKING = ("serious", "critical")

# For each plotly figure: its text alternative and the labels written on its traces.
ALTERNATIVES_JS = r"""() => {
  const divs = Array.from(new Set(document.querySelectorAll('.plotly-graph-div, .js-plotly-plot')));
  const textOf = el => el ? (el.innerText || el.textContent || '').trim() : '';
  return divs.map((gd, index) => {
    const parts = [];
    for (const el of [gd, gd.parentElement]) {
      if (!el) continue;
      for (const attr of ['aria-label', 'title']) {
        if (el.getAttribute(attr)) parts.push(el.getAttribute(attr));
      }
      for (const attr of ['aria-describedby', 'aria-labelledby']) {
        (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean).forEach(id =>
          parts.push(textOf(document.getElementById(id))));
      }
    }
    const figure = gd.closest('figure');
    if (figure) {
      parts.push(figure.getAttribute('aria-label') || '');
      parts.push(textOf(figure.querySelector('figcaption')));
      figure.querySelectorAll('table, details').forEach(t => parts.push(textOf(t) || t.textContent));
    }
    // a data table or <details> right after the figure (or its wrapper) also counts
    let sibling = (figure || gd).nextElementSibling;
    for (let i = 0; sibling && i < 2; i++, sibling = sibling.nextElementSibling) {
      if (sibling.matches('table, details') || sibling.querySelector('table')) {
        parts.push(sibling.textContent);
      }
    }
    const data = Array.isArray(gd._fullData) ? gd._fullData : (gd.data || []);
    const labels = [];
    // only the text written on the figure (not what shows on hover)
    data.filter(t => t.visible === true || t.visible === undefined).forEach(t => {
      const shown = (t.type === 'scatter' && typeof t.mode === 'string' && t.mode.includes('text'))
        || (['bar', 'pie'].includes(t.type) && t.textposition !== 'none');
      const text = typeof t.texttemplate === 'string' && t.texttemplate ? null : t.text;
      if (!shown || text === undefined || text === null) return;
      (Array.isArray(text) ? text : [text]).forEach(v => {
        if (typeof v === 'string' || typeof v === 'number') labels.push(String(v)); });
    });
    const layout = gd._fullLayout || {};
    return {index: index, id: gd.id || '',
            title: (layout.title && layout.title.text) || '',
            alternative: parts.filter(Boolean).join(' \n '),
            labels: labels.slice(0, 200)};
  });
}"""


@pytest.fixture(scope="module")
def audits() -> dict:
    executable = require_chromium()
    pages = require_built()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from essbench.build.pdf import FIGURES_TIMEOUT_MS, block_network

    axe = Axe()
    results = {}
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for path in pages:
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              locale="fr-FR")
                context.set_default_timeout(60_000)
                try:
                    page = context.new_page()
                    block_network(page)
                    page.goto(path.resolve().as_uri(), wait_until="load")
                    try:
                        page.wait_for_function(
                            "() => Array.from(document.querySelectorAll("
                            "'.plotly-graph-div, .js-plotly-plot'))"
                            ".every(d => d.querySelector('.main-svg') !== null)",
                            timeout=FIGURES_TIMEOUT_MS)
                    except Exception:  # noqa: BLE001 - test_browser reports undrawn figures
                        pass
                    page.evaluate(axe.axe_script)
                    # axe.run raced against a timer: a stuck audit fails instead of hanging.
                    response = page.evaluate(
                        "([options, ms]) => Promise.race([axe.run(document, options), "
                        "new Promise((_, reject) => setTimeout(() => reject("
                        "new Error('axe-core did not finish in ' + ms + ' ms')), ms))])",
                        [{"resultTypes": ["violations"]}, AXE_TIMEOUT_MS])
                    results[path.stem] = {
                        "violations": response["violations"],
                        "figures": page.evaluate(ALTERNATIVES_JS),
                    }
                finally:
                    context.close()
        finally:
            browser.close()
    _write_report(results, time.monotonic() - started)
    return results


def _node_summary(node: dict) -> dict:
    return {"target": node.get("target"), "html": (node.get("html") or "")[:300],
            "summary": (node.get("failureSummary") or "")[:500]}


def _write_report(results: dict, seconds: float) -> None:
    by_impact: dict[str, list] = {}
    for name, result in sorted(results.items()):
        for violation in result["violations"]:
            by_impact.setdefault(violation.get("impact") or "unknown", []).append({
                "page": name, "rule": violation["id"], "help": violation.get("help"),
                "help_url": violation.get("helpUrl"), "nodes": len(violation["nodes"]),
                "targets": [_node_summary(n) for n in violation["nodes"][:10]],
            })
    write_json(SCREENSHOTS / "axe-report.json", {
        "pages_checked": len(results),
        "counts_by_impact": {k: len(v) for k, v in sorted(by_impact.items())},
        "nodes_by_impact": {k: sum(x["nodes"] for x in v) for k, v in sorted(by_impact.items())},
        "violations_by_impact": dict(sorted(by_impact.items())),
        "seconds": round(seconds, 1),
    })


def _audit(audits: dict, name: str) -> dict:
    if name not in audits:
        pytest.fail(f"{name}.html was not built")
    return audits[name]


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violation(audits, name):
    blocking = [v for v in _audit(audits, name)["violations"] if v.get("impact") in BLOCKING]
    details = [f"{v['id']} ({v['impact']}): {v.get('help')} — "
               f"{[n['target'] for n in v['nodes'][:5]]}" for v in blocking]
    assert blocking == [], f"{name}: " + json.dumps(details, ensure_ascii=False, indent=1)


NUMBER = re.compile(r"\d+(?: \d{3})*(?:,\d+)?")


def _squash(text: str) -> str:
    """Plain text: plotly's <br>/<b> tags dropped, every kind of space as one space."""
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


@pytest.mark.parametrize("name", DASHBOARDS)
def test_figures_have_a_text_alternative(audits, name):
    figures = _audit(audits, name)["figures"]
    assert figures, f"{name}: no figure on this dashboard"
    problems = []
    for figure in figures:
        where = f"figure #{figure['index']} {figure['id']} ({figure['title'] or 'sans titre'})"
        alternative = _squash(figure["alternative"])
        if len(alternative) < 20:
            problems.append(f"{where}: no caption, label or data table")
            continue
        # every number written on the figure is also given as text
        missing = sorted({number for label in figure["labels"]
                          for number in NUMBER.findall(_squash(label))
                          if number not in alternative})
        if missing:
            problems.append(f"{where}: numbers shown on the figure but not in its text "
                            f"alternative: {missing[:10]}")
    assert problems == [], f"{name}: " + "; ".join(problems)
