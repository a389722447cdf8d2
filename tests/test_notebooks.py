"""The real dashboards, run by papermill on the real data: what each shows, and nbval re-runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from browser import OUTPUTS, ROOT, require_built

pytestmark = pytest.mark.notebooks

EXECUTED = OUTPUTS / "notebooks"  # the build of the tests' copy of the project
SP = "[ \u00a0\u202f]"


def outputs_text(name: str) -> str:
    """Every text/html and text/markdown output of an executed notebook, joined."""
    require_built()
    notebook = json.loads((EXECUTED / f"{name}.ipynb").read_text(encoding="utf-8"))
    parts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", (name, output.get("ename"))
            for mime in ("text/html", "text/markdown"):
                data = output.get("data", {}).get(mime)
                if data:
                    parts.append(data if isinstance(data, str) else "".join(data))
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
    return "\n".join(parts)


def test_pas_de_calais_shows_what_an_official_needs():
    text = outputs_text("pas_de_calais")
    assert re.search(f"48{SP}390", text)
    assert re.search(f"plus de 13{SP}%", text)
    assert re.search(f"9,8{SP}%", text) and re.search(f"11,3{SP}%", text)
    assert re.search(f"8,7{SP}millions", text)
    assert "financements en direct" in text  # the budget's scope
    assert "au titre des solidarités" in text  # shown, and not as the budget
    assert "Sources" in text and "Ce que nous ne savons pas" in text


def test_grasse_keeps_wage_bill_apart_and_budget_unknown():
    text = outputs_text("grasse")
    assert "salaires bruts" in text
    assert "Pôle Azur Provence" in text
    assert re.search(f"plus de 10{SP}%", text)


def test_comparison_covers_the_four_territories():
    text = outputs_text("compare")
    for name in ("Pays de Grasse", "GPSEA", "Pas-de-Calais", "Grenoble-Alpes Métropole"):
        assert name in text
    assert "Lecture" in text


def test_no_notebook_output_embeds_plotly_js():
    require_built()
    for path in EXECUTED.glob("*.ipynb"):
        assert path.stat().st_size < 2_000_000, path.name
        assert "plotly.js v" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("name", ["grasse", "gpsea", "pas_de_calais", "grenoble", "compare"])
def test_nbval_rerun_gives_the_same_outputs(name):
    require_built()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         str(EXECUTED / f"{name}.ipynb"),
         "--nbval-sanitize-with", str(Path(__file__).parent / "nbval_sanitize.cfg")],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:]
