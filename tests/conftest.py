"""Shared fixtures: the real data, and throwaway copies of it that a test may break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# `make test-fast` draws 25 examples per property (`--hypothesis-profile fast`); `make test`
# keeps Hypothesis' 100.
settings.register_profile("fast", max_examples=25)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


TIERS = ("unit", "integration", "notebooks", "browser", "jupyter")


def pytest_collection_modifyitems(items):
    """A test that names no tier is a unit test: fast, no kernel, no browser, no server. A test
    names one tier at most (a module's `pytestmark` counts): `-m unit` would otherwise run a
    notebooks test."""
    for item in items:
        tiers = [tier for tier in TIERS if item.get_closest_marker(tier)]
        if len(tiers) > 1:
            raise pytest.UsageError(f"{item.nodeid} is marked with {len(tiers)} tiers "
                                    f"({', '.join(tiers)}): one at most")
        if not tiers:
            item.add_marker(pytest.mark.unit)


# The unit tier starts no process (no kernel, no command line, no browser): a test that needs
# one belongs to another tier. subprocess (jupyter_client's kernels included) and
# multiprocessing start theirs through fork_exec, os.fork or os.posix_spawn. The guard holds
# during the whole setup, call and teardown of a unit test, its module and session fixtures
# included.
def _refuse_processes() -> pytest.MonkeyPatch:
    import _posixsubprocess
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError("a unit test started a process: mark it integration, or test "
                             "without the process")

    patch = pytest.MonkeyPatch()
    patch.setattr(subprocess, "_fork_exec", refuse)
    patch.setattr(_posixsubprocess, "fork_exec", refuse)
    patch.setattr(os, "fork", refuse)
    patch.setattr(os, "posix_spawn", refuse)
    return patch


def _guarded(item):
    patch = _refuse_processes() if item.get_closest_marker("unit") else None
    try:
        yield
    finally:
        if patch is not None:
            patch.undo()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from _guarded(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from _guarded(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    yield from _guarded(item)


# Under CI every test runs: a skip there would hide a failure (a missing Chromium, a module that
# no longer imports). Outside CI a test may still skip with its reason (README says so).
def _fail_skips_in_ci(report) -> None:
    if report.skipped and not hasattr(report, "wasxfail") and os.environ.get("CI"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skips_in_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_skips_in_ci(outcome.get_result())


# libyaml's parser and emitter: a test that rewrites a profile 30 times spent 3 s in pure Python.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_yaml(path: Path):
    """A YAML file's content (a test's own read, not the checked one of essbench)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (safe)


def write_yaml(path: Path, content) -> Path:
    """Content written as a curator would: keys in order, accents as they are."""
    path.write_text(yaml.dump(content, Dumper=_DUMPER, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


# The made-up project (tests/fixture_project.py): mechanisms are tested on it, not on the four
# real territories, so that correcting a real profile never breaks a test of a mechanism.

@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory) -> Path:
    """The fixture project, written once per run: read it, never change it (fixture_copy)."""
    from fixture_project import write_project

    return write_project(tmp_path_factory.mktemp("fixture") / "project", ROOT / "notebooks")


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A fixture project of the test's own, which it may edit."""
    from fixture_project import write_project

    return write_project(tmp_path / "project", ROOT / "notebooks")


@pytest.fixture(scope="session")
def fixture_dataset(fixture_root):
    from essbench.evidence.dataset import load_dataset

    return load_dataset(fixture_root / "data")


@pytest.fixture(scope="session")
def fixture_contexts(fixture_root):
    """The notebooks' context of the fixture project by language and territories (read only)."""
    from essbench.project import Project
    from essbench.report.context import load_context

    loaded = {}

    def get(lang: str = "fr", territories: tuple[str, ...] | None = None):
        key = (lang, territories)
        if key not in loaded:
            loaded[key] = load_context(Project(fixture_root), lang=lang,
                                       territories=list(territories) if territories else None)
        return loaded[key]

    return get


@pytest.fixture(scope="session")
def fixture_ess(fixture_root):
    """essbench.load() of the fixture project (read only)."""
    import essbench

    return essbench.load(fixture_root)


# The real project: for the tests that check the real data as data (tests/test_data_*.py) and
# the pages built from it.

@pytest.fixture(scope="session")
def contexts():
    """The notebooks' context of the real project by language and territories, loaded once
    for the whole run (each load reads the evidence and the geometry): read it, never change it."""
    from essbench.report.context import load_context

    loaded = {}

    def get(lang: str = "fr", territories: tuple[str, ...] | None = None):
        key = (lang, territories)
        if key not in loaded:
            loaded[key] = load_context(lang=lang, territories=list(territories) if territories
                                       else None)
        return loaded[key]

    return get


@pytest.fixture(scope="session")
def ess():
    """essbench.load() of the real project, shared by the library's tests: read it only."""
    import essbench

    return essbench.load(ROOT)


@pytest.fixture(scope="session")
def dataset():
    from essbench.evidence.dataset import load_dataset

    return load_dataset(DATA)


def copy_project(target: Path, geometry: bool = False) -> Path:
    """A throwaway project: data/ (without the heavy geometry unless asked), params/, notebooks/."""
    skip = () if geometry else ("*.geojson",)
    shutil.copytree(DATA, target / "data", ignore=shutil.ignore_patterns(*skip))
    for folder in ("params", "notebooks"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """The data/ folder of a throwaway project copy that the test may edit."""
    return copy_project(tmp_path / "project") / "data"
