"""Shared fixtures: the real data, and throwaway copies of it that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def dataset():
    from essbench.dataset import load_dataset

    return load_dataset(DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ (without the heavy reference geometry) that the test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.geojson"))
    return target
