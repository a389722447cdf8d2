"""The project's own promises: conda and pip list the same dependencies; named paths exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for item in environment["dependencies"]:
        if isinstance(item, dict):
            listed |= {_name(r) for r in item["pip"] if not r.startswith("-e")}
        elif not item.startswith(("python=", "pip")):
            listed.add(_name(item))
    assert listed == wanted


def test_paths_named_by_readme_and_makefile_exist():
    text = (ROOT / "README.md").read_text() + (ROOT / "Makefile").read_text()
    named = set(re.findall(r"\b((?:essbench|notebooks|params|data|tests|benchmarks|\.ci)/"
                           r"[\w./-]*\w)", text))
    missing = [p for p in sorted(named) if not (ROOT / p).exists()
               and not p.startswith(("data/reference/", "outputs/"))]
    assert missing == []


def test_readme_gives_the_two_commands_first():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make dashboards" in first_block and "make test" in first_block
