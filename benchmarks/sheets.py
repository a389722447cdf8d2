"""Sheets and screens per built page: A4 sheets printed by Chromium (essbench/build/pdf.py),
the brief (#fiche) on A4, and screens of scrolling at 1280x800 and at 390x844 (a phone).

    python benchmarks/sheets.py outputs/html [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from essbench.build.pdf import MARGIN, PRINT_VIEWPORT, chromium_browser, count_pages, open_offline


def _sheets(browser, path: Path, fragment: str = "") -> int:
    context = browser.new_context(viewport=PRINT_VIEWPORT, locale="fr-FR")
    try:
        page = context.new_page()
        open_offline(page, path)
        if fragment:
            page.evaluate(f"() => {{ window.location.hash = {fragment!r}; }}")
            page.wait_for_timeout(300)
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, margin={
            "top": MARGIN, "bottom": MARGIN, "left": MARGIN, "right": MARGIN})
        return count_pages(pdf)
    finally:
        context.close()


def _screens(browser, path: Path, width: int, height: int) -> float:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    try:
        page = context.new_page()
        open_offline(page, path)
        page.wait_for_timeout(300)
        total = page.evaluate("() => document.documentElement.scrollHeight")
        return round(total / height, 1)
    finally:
        context.close()


def measure(html: Path) -> dict[str, dict]:
    found = {}
    with chromium_browser() as browser:
        for path in sorted(html.glob("*.html")):
            row = {"sheets": _sheets(browser, path),
                   "screens_1280x800": _screens(browser, path, 1280, 800),
                   "screens_390x844": _screens(browser, path, 390, 844)}
            if path.stem != "index":
                row["brief_sheets"] = _sheets(browser, path, "#fiche")
            found[path.stem] = row
            print(path.stem, row, file=sys.stderr, flush=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("html", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    found = measure(args.html)
    print(f"{'page':22} sheets brief  1280x800  390x844")
    for name, row in found.items():
        print(f"{name:22} {row['sheets']:6} {row.get('brief_sheets', '-')!s:6} "
              f"{row['screens_1280x800']:8} {row['screens_390x844']:8}")
    if args.json:
        args.json.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
