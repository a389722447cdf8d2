"""Printing the built dashboards to PDF with headless Chromium (through Playwright).

Each page is opened from ``file://`` exactly as a reader opens it offline: every request that
does not stay on the local disk is aborted, and printing waits until every plotly figure has
drawn its SVG. The page is laid out at the width of an A4 sheet's printable area before the
figures draw, so they fit the sheet instead of being clipped on the right. Each PDF is written
atomically: a reader never finds a half-written file.

Playwright's own browser download is not used: the system Chromium is (Debian's
``chromium``; ``ESSBENCH_CHROMIUM`` may name another binary).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from essbench.build.outputs import write_atomic

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LAUNCH_TIMEOUT_MS = 60_000
LOAD_TIMEOUT_MS = 60_000
FIGURES_TIMEOUT_MS = 30_000

# A4 is 210 mm wide; with 12 mm side margins the printable width is 186 mm = 703 CSS px
# (96 px per inch). Figures are drawn at this width so that nothing is cut on the right.
MARGIN = "12mm"
PRINT_VIEWPORT = {"width": 700, "height": 990}

# Every plotly container (before and after plotly.js has run) must hold its SVG.
FIGURES_DRAWN_JS = """() => {
  const divs = Array.from(document.querySelectorAll('.plotly-graph-div, .js-plotly-plot'));
  return divs.every(d => d.querySelector('.main-svg') !== null);
}"""
FIGURES_MISSING_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div, .js-plotly-plot'))
  .filter(d => d.querySelector('.main-svg') === null).map(d => d.id || '(sans id)')"""


class PrintError(RuntimeError):
    """A page could not be printed (no Chromium, a page that does not load or draw)."""


def find_chromium() -> str | None:
    """The Chromium binary to drive: $ESSBENCH_CHROMIUM, `chromium` on PATH, /usr/bin/chromium."""
    candidates = [os.environ.get("ESSBENCH_CHROMIUM"), shutil.which("chromium"),
                  shutil.which("chromium-browser"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@contextmanager
def chromium_browser(executable: str | None = None) -> Iterator[object]:
    """A headless system Chromium driven by Playwright, closed (and stopped) on exit."""
    executable = executable or find_chromium()
    if executable is None:
        raise PrintError("Chromium introuvable : installez le paquet Debian `chromium` "
                         "(ou indiquez son chemin dans ESSBENCH_CHROMIUM).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # the `test` extra is not installed
        raise PrintError("Le paquet Python `playwright` est nécessaire pour imprimer en PDF "
                         "(pip install -e '.[test]').") from error
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()


def block_network(page) -> list[str]:
    """Abort every request that does not read a local file; return the (live) list of them."""
    blocked: list[str] = []

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    page.route("**/*", handle)
    return blocked


def open_offline(page, html_path: Path, timeout_ms: int = LOAD_TIMEOUT_MS) -> list[str]:
    """Open a built page from file:// with the network cut off; wait until its figures drew.

    Returns the URLs of the requests that were blocked (they would have left the computer).
    """
    blocked = block_network(page)
    page.goto(Path(html_path).resolve().as_uri(), wait_until="load", timeout=timeout_ms)
    wait_for_figures(page)
    return blocked


def wait_for_figures(page, timeout_ms: int = FIGURES_TIMEOUT_MS) -> None:
    """Wait until every plotly figure of the page holds its SVG, and fonts are loaded."""
    try:
        page.wait_for_function(FIGURES_DRAWN_JS, timeout=timeout_ms)
    except Exception as error:  # playwright's TimeoutError
        missing = page.evaluate(FIGURES_MISSING_JS)
        raise PrintError(f"{page.url} : figure(s) non dessinée(s) après {timeout_ms} ms : "
                         f"{', '.join(missing)}") from error
    page.evaluate("() => document.fonts ? document.fonts.ready.then(() => true) : true")


def count_pages(pdf: bytes) -> int:
    """Number of pages of a PDF (pypdf when installed, else the page objects Chromium writes)."""
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    return len(PdfReader(BytesIO(pdf)).pages)


def _print_page(browser, html_path: Path, pdf_path: Path) -> int:
    context = browser.new_context(viewport=PRINT_VIEWPORT, locale="fr-FR")
    try:
        context.set_default_timeout(LOAD_TIMEOUT_MS)
        page = context.new_page()
        open_offline(page, html_path)
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=False,
                       margin={"top": MARGIN, "bottom": MARGIN, "left": MARGIN,
                               "right": MARGIN})
    finally:
        context.close()
    write_atomic(Path(pdf_path), pdf)
    return count_pages(pdf)


def print_pdf(html_path: Path, pdf_path: Path) -> int:
    """Print one built page to an A4 PDF; return its page count."""
    with chromium_browser() as browser:
        return _print_page(browser, Path(html_path), Path(pdf_path))


def print_all(html_dir: Path, pdf_dir: Path) -> dict[str, int]:
    """Print every page of html_dir (index included) to pdf_dir/<name>.pdf with one browser.

    Returns the page count of each PDF, by page name (file name without .html).
    """
    pages = sorted(Path(html_dir).glob("*.html"))
    if not pages:
        raise PrintError(f"Aucune page HTML dans {html_dir} : lancez d'abord `essbench build`.")
    counts: dict[str, int] = {}
    with chromium_browser() as browser:
        for html_path in pages:
            counts[html_path.stem] = _print_page(browser, html_path,
                                                 Path(pdf_dir) / f"{html_path.stem}.pdf")
    return counts
