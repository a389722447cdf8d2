"""A French page never shows a code where words belong: 'unknown' (a period or base held as
the code), 'None', 'nan'. Read from the text a reader sees, scripts and styles left out."""

from __future__ import annotations

import html
import re

import pytest

from browser import params_of, require_built

pytestmark = pytest.mark.browser

CODES = re.compile(r"\b(unknown|None|nan|NaN|null)\b")


def reader_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def test_reader_text_cuts_out_markup():
    assert reader_text("<p>Budget <b>inconnu</b></p><script>var unknown;</script>").split() \
        == ["Budget", "inconnu"]


def test_no_code_word_on_a_french_page():
    found = {}
    for path in require_built():
        lang = (params_of(path.stem).get("parameters") or {}).get("lang", "fr")
        if path.stem == "index" or lang != "fr":
            continue
        text = reader_text(path.read_text(encoding="utf-8"))
        hits = [text[max(0, m.start() - 50):m.end() + 20].replace("\n", " ")
                for m in CODES.finditer(text)]
        if hits:
            found[path.stem] = hits[:3]
    assert found == {}, found
