"""Shared fixtures: the real data, and throwaway copies of it that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _project_root_not_leaked(monkeypatch):
    """A test that builds in-process sets ESSBENCH_ROOT to its temporary project (as a build
    does for its kernels): undone after the test, so the next one finds this repository."""
    from essbench.project import ROOT_ENV

    monkeypatch.setenv(ROOT_ENV, "")
    monkeypatch.delenv(ROOT_ENV)


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
