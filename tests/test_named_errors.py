"""Promises the program checks raise named errors: none is a bare `assert`, gone under -O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import essbench
from essbench.text import reading
from essbench.values.normalize import Value

PACKAGE = Path(essbench.__file__).resolve().parent


def test_no_bare_assert_in_the_package():
    found = [f"{path.relative_to(PACKAGE)}:{node.lineno}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Assert)]
    assert found == []


def test_an_unknown_value_is_refused_by_name():
    with pytest.raises(reading.SentenceCheckFailed, match="x_territory is unknown"):
        reading.Sentence().value(Value("x_territory", "ess_employment_share", None))


def test_shares_of_different_bases_are_never_compared():
    mine = Value("x", "ess_employment_share", 0.12, base="salaried_jobs")
    other = Value("france", "ess_employment_share", 0.10, base="all_jobs")
    from essbench.values.judgement import NotComparable, order

    with pytest.raises(NotComparable, match="different bases"):
        order(mine, other)
