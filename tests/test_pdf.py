"""Every dashboard prints to an A4 PDF that holds its text, its figures and its sources.

The PDFs go to outputs/pdf/ (what `essbench build --pdf` produces) and their page counts to
outputs/pdf/pdf-report.json.
"""

from __future__ import annotations

import re
import time

import pytest

from browser import PDF, expected_page_names, page_names, require_built, require_chromium, \
    write_json

pytestmark = pytest.mark.browser

PAGES = page_names()


@pytest.fixture(scope="module")
def printed() -> dict:
    require_chromium()
    html = require_built()
    from essbench.build.pdf import print_all

    started = time.monotonic()
    counts = print_all(html[0].parent, PDF)
    seconds = time.monotonic() - started
    write_json(PDF / "pdf-report.json", {
        "pages_per_dashboard": counts,
        "total_pages": sum(counts.values()),
        "seconds": round(seconds, 1),
    })
    return counts


def _reader(name: str):
    from pypdf import PdfReader

    return PdfReader(PDF / f"{name}.pdf")


def _page_has_content(page) -> bool:
    if page.extract_text().strip():
        return True
    if page.images:
        return True
    data = page.get_contents()
    stream = data.get_data() if data is not None else b""
    # vector drawing (a path filled or stroked) or a drawn form/image object
    return bool(re.search(rb"\b(?:re|l|c|h)\s+[fFSsbB]\*?(?![A-Za-z])", stream)
                or re.search(rb"/[\w.]+\s+Do\b", stream))


def test_every_page_printed(printed):
    missing = [n for n in expected_page_names() if n not in printed]
    assert missing == [], f"no PDF for {missing}"


@pytest.mark.parametrize("name", PAGES)
def test_pdf_pages_are_not_empty(printed, name):
    if name not in printed:
        pytest.fail(f"{name}.pdf not printed")
    reader = _reader(name)
    assert len(reader.pages) == printed[name] >= 1
    empty = [i + 1 for i, page in enumerate(reader.pages) if not _page_has_content(page)]
    assert empty == [], f"{name}.pdf: empty page(s) {empty} of {len(reader.pages)}"


@pytest.mark.parametrize("name", [n for n in PAGES if n != "index"])
def test_pdf_keeps_the_sources(printed, name):
    if name not in printed:
        pytest.fail(f"{name}.pdf not printed")
    text = "\n".join(page.extract_text() for page in _reader(name).pages)
    assert re.search(r"\bSources\b", text), f"{name}.pdf: no « Sources » section in the text"
    assert "«" in text and "»" in text, f"{name}.pdf: the verbatim quotes « … » are missing"


def test_print_pdf_single_page_roundtrip(printed, tmp_path):
    """print_pdf alone (one page, its own browser) gives the same page count as print_all."""
    from essbench.build.pdf import print_pdf

    name = "index" if "index" in printed else sorted(printed)[0]
    source = next(p for p in require_built() if p.stem == name)
    assert print_pdf(source, tmp_path / f"{name}.pdf") == printed[name]
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


# A4 less two 12 mm margins, in CSS px at 96 px per inch: the width print lays a page out at.
SHEET_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)
SHEET_HEIGHT_PX = round((297 - 2 * 12) / 25.4 * 96)

PRINT_LAYOUT_JS = """() => {
  const limit = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '');
  const figures = Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => ({
    id: d.id, height: d.getBoundingClientRect().height,
    avoid: getComputedStyle(d).breakInside}));
  // what sticks out on the right of the sheet is cut off on paper
  const wide = Array.from(document.querySelectorAll(
      'table, dl, figure, .js-plotly-plot, img, svg.main-svg, pre, blockquote, p, li'))
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > limit + 1)
    .map(e => ({what: name(e), right: Math.round(e.getBoundingClientRect().right),
                text: (e.querySelector('thead') || e).textContent.replace(/\\s+/g, ' ').slice(0, 70)}));
  return {limit: limit, figures: figures, wide: wide};
}"""


def test_print_layout_fits_the_sheet(printed):
    """Laid out for print at the sheet's width: every figure asks not to be split and fits on
    one sheet, its labels neither overlap nor run out of it; no table, figure or text sticks
    out on the right (it would be cut off)."""
    from playwright.sync_api import sync_playwright

    from browser import TEXT_CLASHES_JS, launch
    from essbench.build.pdf import open_offline

    executable = require_chromium()
    problems = []
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for path in require_built():
                context = browser.new_context(
                    viewport={"width": SHEET_WIDTH_PX, "height": SHEET_HEIGHT_PX})
                try:
                    page = context.new_page()
                    open_offline(page, path)
                    page.emulate_media(media="print")
                    # what page.pdf() does next: the page's own beforeprint handlers run
                    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
                    page.wait_for_timeout(500)
                    layout = page.evaluate(PRINT_LAYOUT_JS)
                    clashes = page.evaluate(TEXT_CLASHES_JS)
                finally:
                    context.close()
                for figure in layout["figures"]:
                    if figure["avoid"] != "avoid":
                        problems.append(f"{path.stem} #{figure['id']}: break-inside is "
                                        f"{figure['avoid']!r} in print")
                    if figure["height"] > SHEET_HEIGHT_PX:
                        problems.append(f"{path.stem} #{figure['id']}: {figure['height']:.0f} px"
                                        f" high, taller than a sheet ({SHEET_HEIGHT_PX} px)")
                for clash in clashes:
                    if clash["overlaps"] or clash["clipped"]:
                        problems.append(f"{path.stem} #{clash['id']} ({clash['title']}): at the "
                                        f"sheet's width, labels overlap {clash['overlaps']} or "
                                        f"are cut off {clash['clipped']}")
                for item in layout["wide"]:
                    problems.append(f"{path.stem}: {item['what']} reaches {item['right']} px, "
                                    f"the sheet holds {layout['limit']} px: cut off on the "
                                    f"right ({item['text']!r})")
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)
