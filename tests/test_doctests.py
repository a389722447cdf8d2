"""The examples in essbench's docstrings run and give what they show (the unit tier runs them).

They run in the fixture project's folder (tests/fixture_project.py), so that an example that
finds the project around the working folder reads made-up data, never the real project. An
example marked `# doctest: +SKIP` is not run: only the docstrings listed in NOT_RUN may hold
one."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import essbench

PACKAGE = Path(essbench.__file__).resolve().parent
MODULES = sorted(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(
    ".__init__") for path in PACKAGE.rglob("*.py"))
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _tests(module_name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(module_name)
    return [test for test in doctest.DocTestFinder().find(module, module_name) if test.examples]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name, fixture_root, monkeypatch):
    monkeypatch.chdir(fixture_root)
    monkeypatch.delenv("ESSBENCH_ROOT", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    failed = []
    for test in _tests(module_name):
        result = runner.run(test, out=failed.append, clear_globs=True)
        assert result.attempted or all(e.options.get(doctest.SKIP) for e in test.examples)
    assert failed == [], "".join(failed)


# The docstrings whose examples are not run: they write files or show a table of a real
# project (`essbench.load()` then a call). Any other docstring's examples run.
NOT_RUN = {
    "essbench", "essbench.export.export", "essbench.export.read_csv",
    "essbench.export.read_export", "essbench.scaffold.new_territory",
    "essbench.library.plots.choropleth", "essbench.library.plots.figure_notes",
    "essbench.library.data.load", "essbench.library.data.Data", "essbench.export.manifest",
}


def test_examples_are_there_and_skipped_only_where_listed():
    tests = [test for name in MODULES for test in _tests(name)]
    assert sum(len(test.examples) for test in tests) >= 90
    skipping = {test.name for test in tests if any(e.options.get(doctest.SKIP)
                                                   for e in test.examples)}
    unlisted = {name for name in skipping if name not in NOT_RUN
                and not name.startswith("essbench.library.data.Data.")}
    assert unlisted == set(), f"examples marked +SKIP outside NOT_RUN: {sorted(unlisted)}"
