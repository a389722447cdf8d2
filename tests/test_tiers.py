"""The test tiers keep their promises: a unit test starts no process, and under CI a skip is a
failure (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from conftest import _fail_skips_in_ci


def test_a_unit_test_cannot_start_a_process():
    with pytest.raises(AssertionError, match="a unit test started a process"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)
    with pytest.raises(AssertionError, match="a unit test started a process"):
        os.fork()


@pytest.fixture(scope="module")
def started_in_a_module_fixture() -> str:
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=False)
    except AssertionError:
        return "refused"
    return "started"


def test_a_unit_test_s_module_fixture_cannot_start_one_either(started_in_a_module_fixture):
    # A module fixture is set up before the test's own fixtures: the guard holds from there.
    assert started_in_a_module_fixture == "refused"


@pytest.mark.integration
def test_an_integration_test_may_start_one():
    assert subprocess.run([sys.executable, "-c", "pass"], check=False).returncode == 0


def _skipped(reason: str):
    return SimpleNamespace(skipped=True, outcome="skipped", longrepr=("test.py", 3, reason))


def test_a_skip_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    report = _skipped("Skipped: no Chromium")
    _fail_skips_in_ci(report)
    assert report.outcome == "failed" and "no Chromium" in report.longrepr
    assert "CI=true" in report.longrepr


def test_a_skip_stays_a_skip_outside_ci_and_an_expected_failure_stays_one(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    report = _skipped("Skipped: no Chromium")
    _fail_skips_in_ci(report)
    assert report.outcome == "skipped"
    monkeypatch.setenv("CI", "true")
    expected = SimpleNamespace(**vars(_skipped("")), wasxfail="known")
    _fail_skips_in_ci(expected)
    assert expected.outcome == "skipped"
