"""Helpers for the tests that open the built dashboards as a reader does: in headless Chromium,
from file://, with the network cut off.

Not a test module: test_browser.py, test_pdf.py and test_accessibility.py import it. The
expensive steps (building the dashboards, visiting each page) run once per pytest process.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import re
import signal
import subprocess
import shutil
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# The pages are built in a copy of the project, never in the repository's outputs/: one copy
# per clone, kept between runs so that unchanged pages are not built again, shared by the
# pytest workers (under a lock).
BUILT = Path(os.environ.get("ESSBENCH_TESTS_ROOT") or Path(tempfile.gettempdir()) / (
    "essbench-tests-" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]))
NO_BUILD = bool(os.environ.get("ESSBENCH_TESTS_NO_BUILD"))
OUTPUTS = (ROOT if NO_BUILD else BUILT) / "outputs"
HTML = OUTPUTS / "html"
SCREENSHOTS = OUTPUTS / "screenshots"
PDF = OUTPUTS / "pdf"
PARAMS = ROOT / "params"
REFERENCE = ROOT / "data" / "reference"
PROFILES = ROOT / "data" / "profiles"

BUILD_TIMEOUT_S = 1200       # a cold build runs every notebook (about 1 min each here)
SCREEN_VIEWPORT = {"width": 1280, "height": 900}
PAGE_TIMEOUT_MS = 60_000

# Separators allowed between digit groups and before "%": space, no-break, narrow no-break.
SP = "[ \u00a0\u202f]"


# --------------------------------------------------------------------------------------------
# Preconditions: Chromium present, dashboards built
# --------------------------------------------------------------------------------------------

def require_chromium() -> str:
    """Chromium's path; skip (or, on CI, fail) with a clear reason when it is missing."""
    from essbench.build.pdf import find_chromium

    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright Python package is not installed (pip install -e '.[test]')"
    path = find_chromium()
    if path is None:
        reason = ("no Chromium found (looked at $ESSBENCH_CHROMIUM, `chromium` on PATH, "
                  "/usr/bin/chromium): apt-get install chromium")
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    return path


def _die_with_parent() -> None:
    """In the build's process: be stopped if pytest dies (Linux), never left waiting alone."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@functools.cache
def _build_outcome() -> tuple[bool, str]:
    """Build the copy's pages once (unchanged dashboards are skipped by the build).

    ESSBENCH_TESTS_NO_BUILD=1 checks the pages as they are in the project's outputs/html instead.
    """
    if NO_BUILD:
        return True, "not built (ESSBENCH_TESTS_NO_BUILD is set): pages checked as they are"
    code = ("from essbench.build.runner import run_cli; "
            f"raise SystemExit(run_cli(None, None, False, root={str(BUILT)!r}))")
    HTML.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # A lock, so that parallel pytest workers do not start the same build at the same time.
    with open(HTML.parent / ".browser-tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _copy_inputs()
        process = subprocess.Popen([sys.executable, "-c", code], cwd=BUILT,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True, preexec_fn=_die_with_parent)
        try:
            output, _ = process.communicate(timeout=BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            output, _ = process.communicate(timeout=30)
            return False, (f"fail: `run_cli(None, None, False)` did not finish within "
                           f"{BUILD_TIMEOUT_S} s (another build holding outputs/.build.lock?):"
                           f"\n{(output or '')[-3000:]}")
    if process.returncode != 0:
        return False, (f"fail: run_cli(None, None, False) exited with {process.returncode}:\n"
                       f"{output[-4000:]}")
    return True, f"built or up to date in {time.monotonic() - started:.1f} s"


def _copy_inputs() -> None:
    """The project's data/, params/, notebooks/ as they are now, into the build's copy."""
    for name in ("data", "params", "notebooks"):
        shutil.rmtree(BUILT / name, ignore_errors=True)
        shutil.copytree(ROOT / name, BUILT / name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))


def _kill_group(process: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True and everything it started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def require_built() -> list[Path]:
    """The built pages (index included), building them first; a build that fails fails the test
    (never a skip: a broken build is what these tests are there to catch)."""
    ok, message = _build_outcome()
    if not ok:
        pytest.fail(message[5:].strip(), pytrace=False)
    pages = sorted(HTML.glob("*.html"))
    assert pages, f"the build succeeded but {HTML} holds no page"
    return pages


def expected_page_names() -> list[str]:
    """The pages the build must produce: one per params file, and index."""
    names = {p.stem for p in PARAMS.glob("*.yaml")} | {p.stem for p in PARAMS.glob("*.yml")}
    return sorted(names | {"index"})


def page_language(name: str) -> str:
    """The language a page is built in: its params file's `lang` parameter, French by default."""
    import yaml

    path = PARAMS / f"{name}.yaml"
    if not path.is_file():
        return "fr"
    params = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return (params.get("parameters") or {}).get("lang", "fr")


def page_names() -> list[str]:
    """For parametrising at collection time: expected pages and any page already built."""
    return sorted(set(expected_page_names()) | {p.stem for p in HTML.glob("*.html")})


def launch(playwright, executable: str):
    from essbench.build.pdf import CHROMIUM_ARGS, LAUNCH_TIMEOUT_MS

    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT_MS)


# --------------------------------------------------------------------------------------------
# What each page should show (from params/ and data/)
# --------------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case, no accents, apostrophes and dashes as spaces: for matching names."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s'’\-_]+", " ", text).strip()


@functools.cache
def territories() -> dict[str, dict]:
    """Every territory of data/reference: id, names (folded) and commune names (folded)."""
    import csv

    found: dict[str, dict] = {}
    with open(REFERENCE / "territories.csv", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            found[row["territory_id"]] = {"id": row["territory_id"], "names": set(),
                                          "communes": set(),
                                          "communes_count": int(row["communes_count"])}
    for tid, info in found.items():
        info["names"].add(fold(tid))
        profile = PROFILES / f"{tid}.yaml"
        if profile.exists():
            names = (yaml.safe_load(profile.read_text(encoding="utf-8")) or {}).get("names", {})
            info["names"] |= {fold(v) for v in names.values() if isinstance(v, str)}
    with open(REFERENCE / "communes.csv", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["territory_id"] in found:
                found[row["territory_id"]]["communes"].add(fold(row["name"]))
    return found


def label_variants(label: str) -> set[str]:
    """A trace label as names to match: whole, and each line (plotly's <br>) without tags."""
    lines = re.split(r"<br\s*/?>|\n", label)
    plain = [re.sub(r"<[^>]+>", "", line) for line in [label, *lines]]
    return {fold(p) for p in plain if p.strip()}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def params_of(name: str) -> dict:
    for suffix in (".yaml", ".yml"):
        path = PARAMS / f"{name}{suffix}"
        if path.exists():
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {}


def territories_of(name: str) -> list[str]:
    """The territories a page is about: every territory id named in its params' parameters."""
    known = territories()
    params = params_of(name)
    named = [s for s in _strings(params.get("parameters", {})) if s in known]
    if not named and name in known:
        named = [name]
    return sorted(set(named))


def page_about(territory_id: str) -> str | None:
    """The dashboard dedicated to one territory (a territory_profile page naming only it)."""
    for name in expected_page_names():
        if territories_of(name) == [territory_id] and "compar" not in name:
            return name
    return None


# --------------------------------------------------------------------------------------------
# Visiting a page
# --------------------------------------------------------------------------------------------

FIGURES_JS = r"""() => {
  const nonEmpty = d => !!d && d.length > 8 && !/^M0,0Z?$/.test(d);
  const divs = Array.from(new Set(document.querySelectorAll('.plotly-graph-div, .js-plotly-plot')));
  return divs.map((gd, index) => {
    const svg = gd.querySelector('.main-svg');
    const data = Array.isArray(gd._fullData) ? gd._fullData : (Array.isArray(gd.data) ? gd.data : []);
    const visible = data.filter(t => t.visible !== false && t.visible !== 'legendonly');
    const drawn = Array.from(gd.querySelectorAll('g.trace, g.slice, g.table')).filter(g =>
      Array.from(g.querySelectorAll('path')).some(p => nonEmpty(p.getAttribute('d'))) ||
      g.querySelector('image') !== null ||
      Array.from(g.querySelectorAll('text')).some(t => t.textContent.trim() !== ''));
    const fills = Array.from(gd.querySelectorAll('.scatterlayer path.js-fill'))
      .filter(p => nonEmpty(p.getAttribute('d')));
    const choro = Array.from(gd.querySelectorAll('path.choroplethlocation'))
      .filter(p => nonEmpty(p.getAttribute('d')));
    const mapTraces = visible.filter(t =>
      (t.type === 'scatter' && t.fill && t.fill !== 'none') ||
      ['choropleth', 'choroplethmap', 'choroplethmapbox', 'scattergeo'].includes(t.type));
    const labels = [];
    const take = v => {
      if (v === undefined || v === null) return;
      if (Array.isArray(v)) { v.slice(0, 20000).forEach(take); return; }  // a région's communes
      if (typeof v === 'string' && v.trim() !== '') labels.push(v);
    };
    (mapTraces.length ? visible : []).forEach(t => {
      take(t.name); take(t.legendgroup); take(t.text); take(t.hovertext); take(t.customdata);
      take(t.locations);
      if (t.legendgrouptitle) take(t.legendgrouptitle.text);
    });
    const layout = gd._fullLayout || gd.layout || {};
    const title = layout.title && (layout.title.text || layout.title) || '';
    const figure = gd.closest('figure');
    const caption = figure && figure.querySelector('figcaption');
    return {
      index: index, id: gd.id || '', has_svg: svg !== null,
      title: typeof title === 'string' ? title : '',
      aria_label: gd.getAttribute('aria-label') || (figure && figure.getAttribute('aria-label')) || '',
      caption: caption ? caption.innerText.trim() : '',
      trace_types: visible.map(t => t.type),
      traces_declared: visible.length, traces_drawn: drawn.length,
      is_map: mapTraces.length > 0, map_traces: mapTraces.length,
      filled_paths: fills.length + choro.length,
      map_labels: Array.from(new Set(labels)).slice(0, 20000),  // a région: 5,000 communes
    };
  });
}"""

# The page's text without what is verbatim from a source: « quotes » stay, but table columns
# headed "Écrit" (the number exactly as the source writes it) are dropped.
PROSE_JS = r"""() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('script, style, .js-plotly-plot, .plotly-graph-div').forEach(e => e.remove());
  body.querySelectorAll('table').forEach(table => {
    const heads = Array.from(table.querySelectorAll('thead th, tr:first-child th'));
    const drop = heads.map((th, i) => /^(écrit|tel qu|as written)/i.test(th.textContent.trim()) ? i : -1)
      .filter(i => i >= 0);
    if (!drop.length) return;
    table.querySelectorAll('tr').forEach(tr => {
      const cells = Array.from(tr.children);
      drop.forEach(i => { if (cells[i]) cells[i].textContent = ''; });
    });
  });
  body.querySelectorAll('td, th, p, li, div, h1, h2, h3, h4, dt, dd, br')
    .forEach(e => e.append(document.createTextNode('\n')));
  return body.textContent;
}"""

# Text of a plotly figure that a reader cannot read: two labels on top of each other, or a
# label running out of the figure (cut off). Rotated tick labels are left out (their boxes
# overlap while the text does not); hover labels and the mode bar too.
TEXT_CLASHES_JS = r"""() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
  const svg = gd.querySelector('.main-svg');
  if (!svg) return {id: gd.id, overlaps: [], clipped: []};
  const frame = svg.getBoundingClientRect();
  const texts = Array.from(gd.querySelectorAll('.main-svg text')).filter(t =>
      t.textContent.trim() !== '' && !t.closest('.hoverlayer') && !t.closest('.modebar')
      && !/rotate\((?!0[,)])/.test(t.getAttribute('transform') || '')
      && !/rotate\((?!0[,)])/.test((t.parentElement && t.parentElement.getAttribute('transform')) || '')
      && getComputedStyle(t).visibility !== 'hidden' && getComputedStyle(t).display !== 'none'
      && parseFloat(getComputedStyle(t).opacity || '1') > 0)
    .map(t => ({text: t.textContent.trim().slice(0, 50), box: t.getBoundingClientRect()}))
    .filter(x => x.box.width > 0 && x.box.height > 0);
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i].box, b = texts[j].box;
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 3 && h > 3) overlaps.push(`«${texts[i].text}» over «${texts[j].text}»`);
  }
  const clipped = texts.filter(x => x.box.right > frame.right + 4 || x.box.left < frame.left - 4)
    .map(x => `«${x.text}»`);
  const layout = gd._fullLayout || {};
  return {id: gd.id, title: (layout.title && layout.title.text) || '',
          overlaps: overlaps.slice(0, 8), clipped: clipped.slice(0, 8)};
})"""

LINKS_JS = r"""() => Array.from(document.querySelectorAll('a[href]')).map(a => ({
  href: a.getAttribute('href'), resolved: a.href, text: a.innerText.trim().slice(0, 80)}))"""


@dataclass
class PageVisit:
    name: str
    path: str
    blocked: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    load_error: str = ""
    figures_ready: bool = True
    figures: list[dict] = field(default_factory=list)
    text_clashes: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    text: str = ""
    prose: str = ""
    title: str = ""
    lang: str = ""
    screenshot: str = ""
    seconds: float = 0.0

    def summary(self) -> dict:
        data = asdict(self)
        data.pop("text")
        data.pop("prose")
        data.pop("ids")
        for figure in data["figures"]:
            figure["map_labels"] = figure["map_labels"][:20]
        return data


def figure_drawn(figure: dict) -> bool:
    return figure["has_svg"] and figure["traces_declared"] > 0 and figure["traces_drawn"] > 0


def visit(browser, html_path: Path, screenshot_dir: Path | None = SCREENSHOTS) -> PageVisit:
    """Open one page offline, record everything a test needs, keep a full-page screenshot."""
    from essbench.build.outputs import write_atomic
    from essbench.build.pdf import FIGURES_TIMEOUT_MS, block_network

    result = PageVisit(name=html_path.stem, path=str(html_path))
    started = time.monotonic()
    context = browser.new_context(viewport=SCREEN_VIEWPORT, locale="fr-FR")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        result.blocked = block_network(page)
        page.on("console", lambda m: result.console_errors.append(
            f"{m.text} @ {m.location.get('url', '')}:{m.location.get('lineNumber', '')}")
            if m.type == "error" else None)
        page.on("pageerror", lambda e: result.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: None if r.url in result.blocked else
                result.failed_requests.append(f"{r.url[:200]} ({r.failure})"))
        try:
            page.goto(html_path.resolve().as_uri(), wait_until="load", timeout=PAGE_TIMEOUT_MS)
        except Exception as error:  # noqa: BLE001 - recorded, asserted by the tests
            result.load_error = f"{type(error).__name__}: {error}"
            return result
        try:
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.plotly-graph-div, .js-plotly-plot'))"
                ".every(d => d.querySelector('.main-svg') !== null)",
                timeout=FIGURES_TIMEOUT_MS)
        except Exception:  # noqa: BLE001 - recorded: a figure that never draws
            result.figures_ready = False
        page.wait_for_timeout(300)  # let plotly finish its async redraws (legends, text)
        result.figures = page.evaluate(FIGURES_JS)
        result.text_clashes = page.evaluate(TEXT_CLASHES_JS)
        result.links = page.evaluate(LINKS_JS)
        result.ids = page.evaluate(
            "() => Array.from(document.querySelectorAll('[id], a[name]'))"
            ".map(e => e.id || e.getAttribute('name'))")
        result.text = page.evaluate("() => document.body ? document.body.innerText : ''")
        result.prose = page.evaluate(PROSE_JS)
        result.title = page.title()
        result.lang = page.evaluate("() => document.documentElement.lang || ''")
        if screenshot_dir is not None:
            image = page.screenshot(full_page=True, type="png", timeout=PAGE_TIMEOUT_MS)
            target = screenshot_dir / f"{html_path.stem}.png"
            write_atomic(target, image)
            result.screenshot = str(target.relative_to(ROOT)) if target.is_relative_to(
                ROOT) else str(target)
    finally:
        context.close()
        result.seconds = round(time.monotonic() - started, 2)
    return result


def write_json(path: Path, data) -> None:
    from essbench.build.outputs import write_atomic

    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
