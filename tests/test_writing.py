"""Reader text follows docs/writing-guide.md: no tool names outside the colophon."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from essbench.text.catalog import catalog

# The colophon names the tools and packages; nothing else a reader sees does.
COLOPHON_KEYS = {"page.tools", "reference.source"}
TOOL_WORDS = {"fr": r"\b(essbench|paquet|registre|papermill|notebook)\b",
              "en": r"\b(essbench|package|registry|papermill|notebook)\b"}
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_tool_words_in_reader_text_outside_the_colophon(lang):
    found = [f"{key}: {text!r}" for key, text in catalog(lang).items()
             if key not in COLOPHON_KEYS and isinstance(text, str)
             and re.search(TOOL_WORDS[lang], text, re.IGNORECASE)]
    assert found == []


def test_curators_notes_shown_to_readers_name_no_tool():
    found = []
    for path in sorted((ROOT / "data" / "profiles").glob("*.yaml")):
        text = yaml.safe_load(path.read_text(encoding="utf-8"))
        notes = [text.get("perimeter", {}).get("note") or ""]
        notes += [f.get("note") or "" for f in text.get("facts", [])]
        found += [f"{path.name}: {n[:60]!r}" for n in notes
                  if re.search(TOOL_WORDS["fr"], n, re.IGNORECASE)]
    assert found == []
