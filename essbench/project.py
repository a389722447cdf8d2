"""The project folder: resolved once (--root, ESSBENCH_ROOT, or the nearest parent holding one), passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "ESSBENCH_ROOT"
# A project is a folder holding both: the evidence and the dashboards' parameter files.
MARKERS = ("data/profiles", "params")


class ProjectNotFound(Exception):
    """No project folder where one was looked for; the message says how to point at one."""


@dataclass(frozen=True)
class Project:
    """Every path of one project, derived from its root and nothing else."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sources(self) -> Path:
        return self.data / "sources"

    @property
    def profiles(self) -> Path:
        return self.data / "profiles"

    @property
    def references(self) -> Path:
        return self.data / "references"

    @property
    def geography(self) -> Path:
        """The committed reference geography (data/reference)."""
        return self.data / "reference"

    @property
    def params(self) -> Path:
        return self.root / "params"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"


def is_project(folder: Path) -> bool:
    """True when `folder` holds every marker of a project."""
    return all((folder / marker).is_dir() for marker in MARKERS)


def find_project(root: Path | str | None = None, start: Path | str | None = None) -> Project:
    """The project: `root` if given, else $ESSBENCH_ROOT, else the nearest parent of `start` (cwd).

    Raises ProjectNotFound, saying where it looked and how to point at a project.
    """
    wanted = "a folder holding " + " and ".join(f"{m}/" for m in MARKERS)
    for given, how in ((root, "--root"), (os.environ.get(ROOT_ENV) or None, f"${ROOT_ENV}")):
        if given is None:
            continue
        folder = Path(given).expanduser().resolve()
        if not is_project(folder):
            raise ProjectNotFound(f"{how} points at {folder}, which is not an essbench project "
                                  f"({wanted})")
        return Project(folder)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return Project(folder)
    raise ProjectNotFound(f"no essbench project in {here} or its parents ({wanted}); run from "
                          f"inside a project, or give --root PATH or set {ROOT_ENV}")
