"""The comparison and a territory page at 5, 10 and 20 territories, on a laptop, a phone and
paper: no label over another or cut off, nothing sticking out of a phone's screen, no sheet
under a quarter full, briefs on two sheets (a comparison's too, at 5, 10 and 20 territories),
the comparison of 20 on at most 16 sheets, the index on one sheet per 40 pages, the peers
section on a copied territory's page.

The projects (tests/scale.py) hold the four real profiles, copies of them on other real
perimeters, and synthetic territories; each is generated and built once per clone.
"""

from __future__ import annotations

import re

import pytest
import yaml

import scale
from browser import TEXT_CLASHES_JS, launch, require_chromium, write_json

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MIN_FILL = 0.25
# Sheets of the whole comparison of 20 territories: 16 at most, as the issue asks (16 here;
# 30 before its print layout, 63 before that).
MAX_COMPARE_SHEETS = {20: 16}
# Sheets of a brief: two, a comparison's too whatever its number of territories.
MAX_BRIEF_SHEETS = {"territory": 2, "compare": {5: 2, 10: 2, 20: 2}}
# Sheets of a territory's page (the issue asks for ten at most).
MAX_TERRITORY_SHEETS = 10
SCREEN_ONLY = re.compile(r"\b(?:au survol|survol|on hover|hover)\b", re.I)

# What sticks out of a phone's screen outside a frame that scrolls on its own (wide tables,
# the contents line, a figure kept at a sheet's width), and figures wider than the screen
# outside such a frame.
PHONE_JS = """() => {
  const W = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '');
  const framed = e => { const f = e.closest('.ess-table, .ess-nav-contents, .ess-scroll');
    return f !== null && ['auto', 'scroll'].includes(getComputedStyle(f).overflowX); };
  const out = Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > W + 1 && !e.closest('svg, .modebar-container') && !framed(e);
  }).map(e => name(e) + ' ' + Math.round(e.getBoundingClientRect().right));
  return {width: W, scroll_width: document.documentElement.scrollWidth, out: out.slice(0, 20)};
}"""

SHEET_JS = """(limit) => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => ({
  id: d.id, height: Math.round(d.getBoundingClientRect().height)})).filter(f => f.height > limit)"""

SHEET_HEIGHT_PX = round((297 - 2 * 12) / 25.4 * 96)


@pytest.fixture(scope="module", params=scale.SCALES, ids=lambda n: f"{n}-territories")
def built(request):
    require_chromium()
    try:
        root, ids, output = scale.project(request.param)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    return request.param, root, ids


def _pages(root, ids):
    html = root / "outputs" / "html"
    return {name: html / f"{name}.html" for name in scale.pages_to_build(ids) + ["index"]}


def _clashes(page, where: str) -> list[str]:
    found = []
    for clash in page.evaluate(TEXT_CLASHES_JS):
        if clash["overlaps"] or clash["clipped"]:
            found.append(f"{where} #{clash['id']} ({clash['title']}): overlap "
                         f"{clash['overlaps']}, cut off {clash['clipped']}")
    return found


def test_colours_are_distinct(built):
    from essbench.evidence.dataset import load_dataset
    from essbench.figures.layout import YARDSTICK_COLORS, territory_colors

    count, root, ids = built
    colors = territory_colors(load_dataset(root / "data"))
    assert len(colors) == len(ids) >= count and len(set(colors.values())) == len(ids), colors
    compared = yaml.safe_load((root / "params" / "compare.yaml").read_text(encoding="utf-8"))
    assert len(compared["parameters"]["territories"]) == count
    assert not set(colors.values()) & YARDSTICK_COLORS


def test_peers_on_a_copied_page(built):
    """« Ce que font les autres » names the copy's comparable territories (same kind)."""
    count, root, ids = built
    copied = scale.pages_to_build(ids)[1]
    html = (root / "outputs" / "html" / f"{copied}.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="ess-peers">'):]
    section = section[:section.index("</section>")]
    assert "Territoires comparables" in section or "Aucun des territoires" in section, section


def test_screens(built):
    """Laptop and phone: no label over another or cut off; nothing sticks out of a phone."""
    from playwright.sync_api import sync_playwright

    from essbench.build.pdf import open_offline

    count, root, ids = built
    problems = []
    shots = root / "outputs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, require_chromium())
        try:
            for name, path in _pages(root, ids).items():
                for label, viewport, extra in (("1280", LAPTOP, {}),
                                               ("390", PHONE, {"is_mobile": True,
                                                               "has_touch": True})):
                    context = browser.new_context(viewport=viewport, locale="fr-FR", **extra)
                    try:
                        page = context.new_page()
                        open_offline(page, path)
                        page.wait_for_timeout(500)
                        problems += _clashes(page, f"{name} at {label} px")
                        if label == "390":
                            phone = page.evaluate(PHONE_JS)
                            if phone["out"] or phone["scroll_width"] > phone["width"]:
                                problems.append(f"{name} at 390 px: {phone['scroll_width']} px "
                                                f"wide, sticking out: {phone['out']}")
                        page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)
                    finally:
                        context.close()
        finally:
            browser.close()
    assert problems == [], f"{count} territories:\n" + "\n".join(problems)


def test_paper(built):
    """Printed on A4: figures fit a sheet, labels clear; no sheet under a quarter full; no
    screen-only words; briefs on two sheets; the comparison of 20 on at most 16 sheets."""
    from io import BytesIO

    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader
    from test_officials_browser import _fill

    from essbench.build.pdf import MARGIN, PRINT_VIEWPORT, block_network, wait_for_figures

    count, root, ids = built
    problems, report = [], {}
    margins = {side: MARGIN for side in ("top", "bottom", "left", "right")}
    with sync_playwright() as playwright:
        browser = launch(playwright, require_chromium())
        try:
            for name, path in _pages(root, ids).items():
                for fragment in ("", "#fiche"):
                    if fragment and name == "index":
                        continue
                    context = browser.new_context(viewport=PRINT_VIEWPORT, locale="fr-FR")
                    try:
                        page = context.new_page()
                        block_network(page)
                        page.goto(path.resolve().as_uri() + fragment, wait_until="load")
                        wait_for_figures(page)
                        page.emulate_media(media="print")
                        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
                        page.wait_for_timeout(400)
                        where = f"{name}{fragment} printed"
                        problems += _clashes(page, where)
                        for tall in page.evaluate(SHEET_JS, SHEET_HEIGHT_PX):
                            problems.append(f"{where}: #{tall['id']} {tall['height']} px high, "
                                            f"taller than a sheet")
                        pdf = page.pdf(format="A4", print_background=True, margin=margins)
                    finally:
                        context.close()
                    reader = PdfReader(BytesIO(pdf))
                    fills = [round(_fill(p), 2) for p in reader.pages]
                    report[f"{name}{fragment}"] = fills
                    stubs = [(i + 1, f) for i, f in enumerate(fills) if f < MIN_FILL]
                    brief_limit = (MAX_BRIEF_SHEETS["compare"][count] if name == "compare"
                                   else MAX_BRIEF_SHEETS["territory"])
                    # a brief's last sheet may be short: the brief is read as a whole
                    if stubs and not (fragment and len(fills) <= brief_limit):
                        problems.append(f"{where}: sheets under a quarter full {stubs}")
                    text = "\n".join(p.extract_text() for p in reader.pages)
                    # past six territories the reading's levers and themes sentences stay on
                    # screen: the paper says where they are printed
                    if name == "compare" and not fragment and count > 6 and (
                            "Sur papier, les leviers et les thèmes" not in text):
                        problems.append(f"{where}: no line says where the levers are")
                    words = sorted(set(SCREEN_ONLY.findall(text)))
                    if words and not fragment:
                        problems.append(f"{where}: screen-only words on paper {words}")
                    if fragment and len(fills) > brief_limit:
                        problems.append(f"{where}: the brief takes {len(fills)} sheets, not "
                                        f"{brief_limit}")
                    pages = len(list((root / "params").glob("*.yaml")))
                    if name == "index" and len(fills) > -(-pages // 40):
                        problems.append(f"{where}: {len(fills)} sheets for {pages} pages")
                    if name in ids and not fragment and len(fills) > MAX_TERRITORY_SHEETS:
                        problems.append(f"{where}: {len(fills)} sheets, at most "
                                        f"{MAX_TERRITORY_SHEETS}")
                    limit = MAX_COMPARE_SHEETS.get(count)
                    if name == "compare" and not fragment and limit and len(fills) > limit:
                        problems.append(f"{where}: {len(fills)} sheets, at most {limit}")
        finally:
            browser.close()
    write_json(root / "outputs" / "scale-print.json", report)
    assert problems == [], f"{count} territories:\n" + "\n".join(problems)
