"""Both message catalogs hold the same keys and placeholders, and every key the code asks exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from essbench.text.catalog import catalog, placeholders, t

PACKAGE = Path(__file__).resolve().parent.parent / "essbench"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
# t("key", …), t('key', …) in Python and templates; f-string keys are checked by their prefix.
CALL = re.compile(r"""\bt\(\s*(f?)(["'])([a-z0-9_.{}\[\]]+)\2""")
# Notebook headings: display.heading(ctx, "profile.identity") shows notebook.profile.identity.
HEADING = re.compile(r"""heading\(ctx, \\?["']([a-z0-9_.]+)\\?["']\)""")


def _used_keys() -> list[tuple[str, bool, str]]:
    found = []
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2"), *NOTEBOOKS.glob("*.ipynb")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        for match in CALL.finditer(text):
            found.append((match.group(3), bool(match.group(1)), str(path)))
        for match in HEADING.finditer(text):
            found.append((f"notebook.{match.group(1)}", False, str(path)))
    return found


def test_same_keys_in_both_languages():
    assert set(catalog("fr")) == set(catalog("en"))


def test_same_placeholders_in_both_languages():
    fr, en = catalog("fr"), catalog("en")
    differ = {k: (placeholders(fr[k]), placeholders(en[k])) for k in fr
              if placeholders(fr[k]) != placeholders(en[k])}
    assert not differ


def test_every_key_used_exists():
    keys = set(catalog("fr"))
    missing = []
    for key, templated, where in _used_keys():
        if templated:
            prefix = key.split("{")[0]
            if not any(k.startswith(prefix) for k in keys):
                missing.append((key, where))
        elif key not in keys:
            missing.append((key, where))
    assert _used_keys() and not missing


def test_every_notebook_heading_exists():
    headings = [k for k, templated, _ in _used_keys() if k.startswith("notebook.") and not templated]

    cells = [c for nb in (Path(__file__).parents[1] / "notebooks").glob("*.ipynb")
             for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
             if "heading" in c["metadata"].get("tags", [])]
    assert len(headings) == len(cells) > 0 and all(k in catalog("en") for k in headings)


def test_french_typography_of_messages():
    # A space before « : ; » and a no-break space inside guillemets in French; none in English.
    assert t("figure.hover.base", "fr", text="x") == "Base : x"
    assert t("figure.hover.base", "en", text="x") == "Base: x"
    assert t("quote.inline", "fr", quote="x") == "«\u00a0x\u00a0»"  # never cut from the text


def test_unknown_key_names_the_catalog():
    with pytest.raises(KeyError, match="fr catalog"):
        t("no.such.key")
