"""The project's own promises: conda and pip list the same dependencies; named paths exist."""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pinned(requirement: str) -> tuple[str, str]:
    """'Jinja2 >= 3.1  # why' -> ('jinja2', '>=3.1'): a requirement's name and bounds."""
    text = requirement.split("#")[0].strip()
    name = _name(text)
    return name, re.sub(r"\s+", "", text[len(name):])


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _declared() -> dict[str, set[str]]:
    """Requirement names by group: 'runtime' and each extra."""
    project = _pyproject()
    groups = {"runtime": {_name(r) for r in project["dependencies"]}}
    groups |= {extra: {_name(r) for r in requirements}
               for extra, requirements in project["optional-dependencies"].items()}
    return groups


def test_environment_yml_lists_what_pyproject_lists_with_the_same_bounds():
    project = _pyproject()
    wanted = dict(_pinned(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        for requirement in extra:
            name, bounds = _pinned(requirement)
            assert wanted.setdefault(name, bounds) == bounds, f"{name}: two bounds in pyproject"
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {}
    for item in environment["dependencies"]:
        if isinstance(item, dict):
            listed |= dict(_pinned(r) for r in item["pip"] if not r.startswith("-e"))
        elif not item.startswith(("python=", "pip")):
            listed.update([_pinned(item)])
    assert listed == wanted


def test_no_requirement_is_listed_twice():
    project = _pyproject()
    for group in [project["dependencies"], *project["optional-dependencies"].values()]:
        names = [_name(r) for r in group]
        assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def _imported(folder: Path) -> dict[str, str]:
    """Top-level modules imported by the .py files under `folder` (stdlib and the project's
    own modules aside), each with one file importing it."""
    import ast
    import sys

    # The project's own modules: the package and every module of tests/ and benchmarks/
    # (the scale tests import the benchmark's synthetic generator).
    own = {"essbench", "tests"} | {path.stem for part in ("tests", "benchmarks")
                                   for path in (ROOT / part).rglob("*.py")}
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in own:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


# What each part of the repository may import: essbench/ the runtime and `essbench build
# --pdf`'s extra, the tests the test extra too, the benchmarks the bench extra.
IMPORTERS = {"essbench": ("runtime", "pdf"), "tests": ("runtime", "pdf", "test"),
             "benchmarks": ("runtime", "bench")}


@functools.cache
def _providers() -> dict[str, list[str]]:
    """Top-level module -> installed distributions (scanning them all takes a second)."""
    from importlib.metadata import packages_distributions

    return packages_distributions()


@pytest.mark.parametrize("folder", sorted(IMPORTERS))
def test_every_imported_package_is_declared(folder):
    groups = _declared()
    allowed = set().union(*(groups[g] for g in IMPORTERS[folder]))
    providers = _providers()
    undeclared = []
    for module, where in sorted(_imported(ROOT / folder).items()):
        distributions = {_name(d) for d in providers.get(module, [])}
        assert distributions, f"{where} imports {module}, which no installed package provides"
        if not distributions & allowed:
            undeclared.append(f"{module} ({'/'.join(sorted(distributions))}, imported by {where})")
    assert undeclared == [], f"imported but not declared in {IMPORTERS[folder]}: {undeclared}"


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


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with essbench installed from a copy of its source (not
    editable), the other dependencies seen through this environment's site-packages."""
    import shutil
    import site
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("install")
    source = folder / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "essbench", source / "essbench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # A venv made from a venv sees the base interpreter's packages, not this one's: a path
    # line (not processed as a site folder, so this venv's editable essbench stays out).
    [own] = [p for p in (venv / "lib").glob("python3*/site-packages")]
    (own / "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                           "install", "--quiet", "--no-deps", "--no-build-isolation",
                           "--no-index", str(source)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.rmtree(source)  # nothing may read the source tree any more
    # The data files the dependencies install into an environment (ipykernel's kernel spec,
    # nbconvert's templates): this environment's, as for the packages.
    (venv / "share").mkdir(exist_ok=True)
    (venv / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")
    return venv


def run_essbench(venv: Path, cwd: Path, *args: str):
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("ESSBENCH_ROOT", "PYTHONPATH")}
    return subprocess.run([str(venv / "bin" / "essbench"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.integration
def test_a_non_editable_install_validates_and_builds_the_project_it_is_run_in(installed,
                                                                              tmp_path):
    import subprocess

    from conftest import copy_project

    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import essbench; print(essbench.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert str(installed) in where.stdout, where.stdout + where.stderr
    project = copy_project(tmp_path / "one", geometry=True)
    validated = run_essbench(installed, project / "params", "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert f"Project: {project}" in validated.stderr
    built = run_essbench(installed, project, "build", "grasse")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "outputs" / "html" / "grasse.html").read_text(encoding="utf-8")
    assert "Pays de Grasse" in page and '<html lang="fr">' in page


@pytest.mark.integration
def test_validate_reports_the_problem_of_the_copy_it_is_run_in(installed, tmp_path):
    from conftest import copy_project

    good = copy_project(tmp_path / "good")
    broken = copy_project(tmp_path / "broken")
    profile = broken / "data" / "profiles" / "grenoble.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("value: 1875", "value: -1875"),
                       encoding="utf-8")
    checked = run_essbench(installed, broken, "validate")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"Project: {broken}" in checked.stderr
    assert "data/profiles/grenoble.yaml: facts[2].value" in checked.stderr
    assert "OK" not in checked.stdout
    still = run_essbench(installed, good, "validate")
    assert still.returncode == 0 and f"Project: {good}" in still.stderr, still.stdout + still.stderr
