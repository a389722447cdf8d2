"""The built pages as an official opens them: a laptop's first screen, a phone, a printer.

Measures go to outputs/screenshots/officials-report.json; first screens and phone screens to
outputs/screenshots/<name>-first-screen.png and <name>-phone.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import (
    PDF,
    SCREENSHOTS,
    launch,
    page_names,
    params_of,
    require_built,
    require_chromium,
    write_json,
)

pytestmark = pytest.mark.browser

PAGES = page_names()
TERRITORY_PAGES = [n for n in PAGES
                   if n != "index" and (params_of(n).get("parameters") or {}).get("territory")]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MIN_FILL = 0.25  # of a sheet's printable height
# A territory's page on A4 (issue 19 asks for ten at most); the comparison is bounded by
# tests/test_scale.py at 20 territories.
MAX_TERRITORY_SHEETS = 10

FIRST_SCREEN_JS = """(height) => {
  const cards = Array.from(document.querySelectorAll('.ess-kcard'));
  const seen = cards.filter(c => { const r = c.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.bottom <= height; });
  const table = document.querySelector('table.ess-table');
  return {cards: cards.length, on_first_screen: seen.length,
          values: seen.map(c => c.querySelector('.ess-kcard-value').textContent.trim()),
          first_table_top: table ? Math.round(table.getBoundingClientRect().top) : null,
          messages: document.querySelectorAll('.ess-messages li').length};
}"""

PHONE_JS = """() => {
  const W = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '');
  // what sticks out of the screen without being inside a frame that scrolls on its own
  // the frames meant to scroll sideways on their own: wide tables and the contents line
  // and a figure whose labels are placed for a sheet's width, kept whole in a frame that
  // scrolls sideways (.ess-scroll, with a visible border)
  const scrolls = e => e.closest('.ess-table, .ess-nav-contents, .ess-scroll') !== null;
  const out = Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > W + 1 && !e.closest('svg, .modebar-container') && !scrolls(e);
  }).map(e => name(e) + ' ' + Math.round(e.getBoundingClientRect().right));
  const tables = Array.from(document.querySelectorAll('table.ess-table')).filter(t =>
    t.scrollWidth > t.clientWidth + 1).map(t => ({overflow: getComputedStyle(t).overflowX,
      border: getComputedStyle(t).borderTopStyle}));
  const figures = Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
    const svg = gd.querySelector('.main-svg');
    const frame = gd.closest('.ess-scroll');
    const framed = frame !== null && ['auto', 'scroll'].includes(getComputedStyle(frame).overflowX)
      && getComputedStyle(frame).borderTopStyle !== 'none'
      && frame.getBoundingClientRect().right <= W + 1;
    return {id: gd.id, right: svg ? Math.round(svg.getBoundingClientRect().right) : 0,
            framed: framed};
  });
  return {width: W, scroll_width: document.documentElement.scrollWidth,
          body_scroll_width: document.body.scrollWidth, out: out.slice(0, 20),
          tables: tables, figures: figures};
}"""

# Quotes a figure shows on hover: each must also be in the page's text (a table a tap opens).
HOVER_QUOTES_JS = """() => {
  const text = Array.from(document.querySelectorAll('figcaption, .jp-RenderedHTMLCommon'))
    .map(e => e.textContent).join('\\n').replace(/\\s+/g, ' ');
  const missing = [];
  document.querySelectorAll('.js-plotly-plot').forEach(gd => (gd.data || []).forEach(trace => {
    const hovers = [].concat(trace.hovertext || [], trace.text || [], trace.customdata || []).flat(3);
    hovers.filter(h => typeof h === 'string').forEach(h => {
      const plain = h.replace(/<br>/g, ' ').replace(/<[^>]+>/g, '').replace(/\\s+/g, ' ');
      (plain.match(/«([^»]{12,})»/g) || []).forEach(q => {
        const words = q.slice(1, -1).trim().slice(0, 40);
        if (!text.includes(words)) missing.push(gd.id + ': ' + words);
      });
    });
  }));
  return missing;
}"""

# A word of a table cell laid out on two lines was broken inside the word.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  document.querySelectorAll('table.ess-table td, table.ess-table th').forEach(cell => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[^\\s\\u00a0\\u202f]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        if (/[-–/’'_.,;:()«»]/.test(m[0]) || m[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0)
          .map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  });
  return broken.slice(0, 20);
}"""


@pytest.fixture(scope="module")
def measures() -> dict:
    """Every page opened once at a laptop's size and once at a phone's; screenshots kept."""
    executable = require_chromium()
    pages = require_built()
    from playwright.sync_api import sync_playwright

    from essbench.build.pdf import open_offline

    found: dict = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for path in pages:
                result = found.setdefault(path.stem, {})
                context = browser.new_context(viewport=LAPTOP, locale="fr-FR")
                try:
                    page = context.new_page()
                    open_offline(page, path)
                    page.wait_for_timeout(300)
                    result["laptop"] = page.evaluate(FIRST_SCREEN_JS, LAPTOP["height"])
                    result["hover_quotes_missing"] = page.evaluate(HOVER_QUOTES_JS)
                    page.screenshot(path=str(SCREENSHOTS / f"{path.stem}-first-screen.png"))
                finally:
                    context.close()
                context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True,
                                              has_touch=True)
                try:
                    page = context.new_page()
                    open_offline(page, path)
                    page.wait_for_timeout(500)
                    result["phone"] = page.evaluate(PHONE_JS)
                    page.screenshot(path=str(SCREENSHOTS / f"{path.stem}-phone.png"))
                finally:
                    context.close()
        finally:
            browser.close()
    write_json(SCREENSHOTS / "officials-report.json", found)
    return found


@pytest.mark.parametrize("name", TERRITORY_PAGES)
def test_first_screen_shows_four_headline_figures(measures, name):
    laptop = measures[name]["laptop"]
    assert laptop["cards"] >= 6, f"{name}: {laptop['cards']} headline cards, six expected"
    assert laptop["on_first_screen"] >= 4, \
        f"{name}: {laptop['on_first_screen']} headline figures on the first 1280×800 screen " \
        f"({laptop['values']})"
    assert laptop["messages"] >= 2, f"{name}: {laptop['messages']} key messages"


def test_comparison_opens_with_its_key_table(measures):
    names = [n for n in PAGES if n != "index" and n not in TERRITORY_PAGES]
    for name in names:
        top = measures[name]["laptop"]["first_table_top"]
        assert top is not None and top < LAPTOP["height"], \
            f"{name}: the key table starts at {top} px, below the first screen"


@pytest.mark.parametrize("name", PAGES)
def test_phone_never_scrolls_sideways(measures, name):
    phone = measures[name]["phone"]
    assert phone["scroll_width"] <= phone["width"] and \
        phone["body_scroll_width"] <= phone["width"], \
        f"{name}: at 390 px the page is {phone['scroll_width']} px wide: {phone['out']}"
    assert phone["out"] == [], f"{name}: sticking out of a 390 px screen: {phone['out']}"
    frames = [t for t in phone["tables"] if t["overflow"] not in ("auto", "scroll")
              or t["border"] == "none"]
    assert frames == [], f"{name}: wide tables that do not scroll in a visible frame: {frames}"
    wide = [f for f in phone["figures"] if f["right"] > phone["width"] + 1 and not f["framed"]]
    assert wide == [], f"{name}: figures wider than the screen: {wide}"


@pytest.mark.parametrize("name", PAGES)
def test_hover_quotes_are_also_on_the_page(measures, name):
    missing = measures[name]["hover_quotes_missing"]
    assert missing == [], f"{name}: quotes shown only on hover, lost on a touch screen: " \
        f"{missing[:5]}"


# ---------------------------------------------------------------- print


def _fill(page) -> float:
    """How far down a PDF sheet's printable area its content reaches (0 to 1)."""
    height = float(page.mediabox.height)
    margin = 12 / 25.4 * 72
    ys: list[float] = []
    state: dict = {"fill": None, "path": []}

    def point(cm, x, y):
        return x * cm[1] + y * cm[3] + cm[5]

    def before(op, args, cm, tm):
        if op in (b"rg", b"g", b"sc", b"scn"):
            state["fill"] = tuple(round(float(a), 3) for a in args
                                  if isinstance(a, (int, float)))
        elif op == b"re":
            x, y, w, h = (float(a) for a in args)
            state["path"] += [point(cm, x, y), point(cm, x + w, y + h)]
        elif op in (b"m", b"l"):
            state["path"].append(point(cm, float(args[0]), float(args[1])))
        elif op == b"c":
            state["path"].append(point(cm, float(args[4]), float(args[5])))
        elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s"):
            # a white fill is the sheet's own background, not content
            if not (state["fill"] in ((1.0,), (1.0, 1.0, 1.0)) and op in (b"f", b"F", b"f*")):
                ys.extend(state["path"])
            state["path"] = []
        elif op == b"n":
            state["path"] = []
        elif op == b"Do":
            ys.extend([cm[5], cm[5] + cm[3]])

    def text(t, cm, tm, font, size):
        if t.strip():
            ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    if not ys:
        return 0.0
    return max(0.0, height - min(ys) - margin) / (height - 2 * margin)


@pytest.fixture(scope="module")
def printed() -> dict:
    require_chromium()
    html = require_built()
    from pypdf import PdfReader

    from essbench.build.pdf import print_all

    counts = print_all(html[0].parent, PDF)
    fills = {name: [round(_fill(p), 2) for p in PdfReader(PDF / f"{name}.pdf").pages]
             for name in counts}
    write_json(PDF / "officials-print.json", {"sheets": counts, "fill": fills})
    return fills


@pytest.mark.parametrize("name", [n for n in PAGES if n != "index"])
def test_no_printed_sheet_less_than_a_quarter_full(printed, name):
    stubs = [(i + 1, f) for i, f in enumerate(printed[name]) if f < MIN_FILL]
    assert stubs == [], f"{name}.pdf: sheets less than a quarter full (sheet, fill): {stubs} " \
        f"of {len(printed[name])}"


@pytest.mark.parametrize("name", [n for n in PAGES if n in TERRITORY_PAGES])
def test_a_territory_page_sheets(printed, name):
    assert len(printed[name]) <= MAX_TERRITORY_SHEETS, \
        f"{name}.pdf: {len(printed[name])} sheets, at most {MAX_TERRITORY_SHEETS}"


def test_no_word_broken_inside_a_word_in_printed_tables():
    from playwright.sync_api import sync_playwright

    from essbench.build.pdf import PRINT_VIEWPORT, open_offline

    executable = require_chromium()
    problems = {}
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for path in require_built():
                context = browser.new_context(viewport=PRINT_VIEWPORT)
                try:
                    page = context.new_page()
                    open_offline(page, path)
                    page.emulate_media(media="print")
                    page.wait_for_timeout(300)
                    broken = page.evaluate(BROKEN_WORDS_JS)
                finally:
                    context.close()
                if broken:
                    problems[path.stem] = broken
        finally:
            browser.close()
    assert problems == {}, f"words broken inside a word in printed tables: {problems}"


def test_annexes_print_open(printed):
    """The annexes are folded on screen; on paper their quotes are there."""
    from pypdf import PdfReader

    for name in [n for n in PAGES if n in TERRITORY_PAGES]:
        text = "\n".join(p.extract_text() for p in PdfReader(PDF / f"{name}.pdf").pages)
        assert re.search(r"Annexe|Annex", text), f"{name}.pdf: the annexes are not printed"
        html = Path(require_built()[0].parent / f"{name}.html").read_text(encoding="utf-8")
        assert 'class="ess-annex"' in html, f"{name}.html: no folded annex"


def test_brief_prints_on_two_sheets():
    """The same page opened at #fiche prints as a two-page brief: L'essentiel, the chart of
    the share of jobs, the levers and the sources."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    from essbench.build.pdf import PRINT_VIEWPORT, block_network, count_pages, wait_for_figures

    executable = require_chromium()
    pages = {p.stem: p for p in require_built()}
    sheets = {}
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for name in TERRITORY_PAGES:
                context = browser.new_context(viewport=PRINT_VIEWPORT, locale="fr-FR")
                try:
                    page = context.new_page()
                    block_network(page)
                    page.goto(pages[name].resolve().as_uri() + "#fiche", wait_until="load")
                    wait_for_figures(page)
                    page.emulate_media(media="print")
                    page.wait_for_timeout(300)
                    pdf = page.pdf(format="A4", print_background=True,
                                   margin={side: "12mm" for side in
                                           ("top", "bottom", "left", "right")})
                finally:
                    context.close()
                target = PDF / f"{name}-fiche.pdf"
                target.write_bytes(pdf)
                sheets[name] = count_pages(pdf)
                text = "\n".join(p.extract_text() for p in PdfReader(target).pages)
                for words in (("L'essentiel", "Key facts"), ("Leviers", "Levers"),
                              ("Documents",)):
                    assert any(w in text for w in words), f"{name} brief: no {words[0]}"
        finally:
            browser.close()
    write_json(PDF / "officials-brief.json", sheets)
    assert {n: s for n, s in sheets.items() if s > 2} == {}, f"briefs over two sheets: {sheets}"
