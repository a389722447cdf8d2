"""Shared fixtures: the real data, and throwaway copies of it that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


TIERS = ("unit", "integration", "notebooks", "browser", "jupyter")


def pytest_collection_modifyitems(items):
    """A test that names no tier is a unit test: fast, no kernel, no browser, no server."""
    for item in items:
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker(pytest.mark.unit)


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
