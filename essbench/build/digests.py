"""What each page is made from, as digests: a page is rebuilt when one of its own inputs changed."""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from essbench.geography.files import geometry_files
from essbench.report.navigation import PageRef, links, page_ref
from essbench.version import __version__

if TYPE_CHECKING:  # any object with its name, params file, notebook and parameters
    from essbench.build.params import Dashboard

# Versions that change what a page looks like without any file of the project changing.
TOOLS = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "plotly", "pandas",
         "geopandas", "pydantic", "jinja2")
# The reference tables every page reads whole (population, area, communes of its territories
# are looked up in them); the geometry is per territory (essbench.geography.layers).
REFERENCE_TABLES = ("territories.csv", "communes.csv", "manifest.json")
_SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


@dataclass
class Digests:
    """Digests of one build's inputs, each file read once however many pages share it."""

    root: Path
    # Every dashboard of the project: a page links to some of them (essbench.report.navigation).
    pages: list[PageRef] = field(default_factory=list)
    _files: dict[Path, str] = field(default_factory=dict)
    _shared: dict[str, str] | None = None

    def shared(self) -> dict[str, str]:
        """What every page reads: code, templates and tools; sources, reference areas, tables."""
        if self._shared is None:
            package = Path(__file__).resolve().parents[1]
            data = self.root / "data"
            self._shared = {
                "essbench code and templates": _tree(package, skip_suffixes=(".pyc",)),
                "tool versions": _text(_versions()),
                # Helper modules beside the notebooks are imported by them; other notebooks
                # are not read by a page.
                "notebooks/ helper files": _tree(self.root / "notebooks",
                                                 skip_suffixes=(".pyc", ".ipynb")),
                "data/sources": _tree(data / "sources"),
                "data/references": _tree(data / "references"),
                **{f"data/reference/{name}": self.file(data / "reference" / name)
                   for name in REFERENCE_TABLES},
            }
        return self._shared

    def file(self, path: Path) -> str:
        """A file's digest, "absent" when there is none (a page then shows it missing)."""
        if path not in self._files:
            self._files[path] = (hashlib.sha256(path.read_bytes()).hexdigest()
                                 if path.is_file() else "absent")
        return self._files[path]

    def of(self, dashboard: Dashboard, territories: list[str] | None) -> dict[str, str]:
        """Every input of one page by name: the shared ones, then its own files.

        `territories` None: the page may show any territory, so every profile is an input.
        """
        data = self.root / "data"
        own = [dashboard.notebook, dashboard.params_file]
        if territories is None:
            own += sorted((data / "profiles").glob("*.yaml"))
        else:
            own += [data / "profiles" / f"{t}.yaml" for t in sorted(set(territories))]
        own += geometry_files(data / "reference", territories)
        page = page_ref(dashboard.name, dashboard.parameters)
        found = links(self.pages, page.lang, page.territory, data / "profiles")
        return {**self.shared(), **{self._name(path): self.file(path) for path in own},
                "links to other pages": _text(found.text())}

    def _name(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the project, a loop of links
            return path.as_posix()


def combined(inputs: dict[str, str]) -> str:
    """One digest for a page's inputs."""
    digest = hashlib.sha256()
    for name in sorted(inputs):
        digest.update(f"{name}\0{inputs[name]}\n".encode())
    return digest.hexdigest()


def why(inputs: dict[str, str], before: dict | None, limit: int = 3) -> str:
    """Why a page is built again, from its inputs now and at its last build (None: never)."""
    if before is None:
        return "never built here"
    previous = before.get("files")
    if not isinstance(previous, dict):
        return "built by an older essbench, which recorded no inputs"
    changed = [name for name in inputs if name in previous and previous[name] != inputs[name]]
    added = [name for name in inputs if name not in previous]
    removed = [name for name in previous if name not in inputs]
    parts = ([f"{name} changed" for name in changed] + [f"{name} added" for name in added]
             + [f"{name} no longer read" for name in removed])
    if not parts:
        return "its page or executed notebook is missing"
    more = f" and {len(parts) - limit} more" if len(parts) > limit else ""
    return ", ".join(parts[:limit]) + more


def _versions() -> str:
    lines = [f"essbench {__version__}", f"python {platform.python_version()}"]
    for tool in TOOLS:
        try:
            lines.append(f"{tool} {importlib.metadata.version(tool)}")
        except importlib.metadata.PackageNotFoundError:
            lines.append(f"{tool} absent")
    return "\n".join(lines)


def _text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _tree(folder: Path, skip_suffixes: tuple[str, ...] = ()) -> str:
    digest = hashlib.sha256()
    files = sorted(
        path for path in folder.rglob("*")
        if path.is_file() and path.suffix not in skip_suffixes
        and not _SKIPPED_PARTS & set(path.relative_to(folder).parts)
    ) if folder.is_dir() else []
    for path in files:
        digest.update(f"\n{path.relative_to(folder).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
