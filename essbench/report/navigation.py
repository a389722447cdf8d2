"""Which other pages a page links to: the index, the comparison and, in a small project, each
territory's page. The page and the build's digests read it from here, so a page is rebuilt when
its links change and only then."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from essbench.evidence.problems import InvalidInput
from essbench.evidence.yamlfiles import once_per_version, read_yaml, yaml_nodes

# Above this many other territories, a bar of links is a wall of names: the index lists them.
MAX_TERRITORY_LINKS = 10


@dataclass(frozen=True)
class PageRef:
    """A dashboard as a link sees it: its file name, the territory it shows, its language."""

    name: str
    territory: str | None
    lang: str


@dataclass(frozen=True)
class Links:
    compare: str | None
    territories: tuple[tuple[str, str], ...]

    def text(self) -> str:
        """One line per link, for a digest."""
        lines = [f"compare {self.compare}"] + [f"{href} {name}" for href, name in self.territories]
        return "\n".join(lines)


def page_ref(name: str, parameters: dict) -> PageRef:
    territory = parameters.get("territory")
    return PageRef(name, territory if isinstance(territory, str) else None,
                   str(parameters.get("lang", "fr")))


def project_pages(params: Path) -> list[PageRef]:
    """The dashboards of a params folder; a file that cannot be read is left out (the build
    reports it; a link is not worth failing a page for)."""
    pages = []
    for path in sorted(params.glob("*.yaml")) if params.is_dir() else []:
        try:
            page = _read_page(path)
        except OSError:  # removed meanwhile
            continue
        if page is not None:
            pages.append(page)
    return pages


@once_per_version
def _read_page(path: Path) -> PageRef | None:
    try:
        parameters = read_yaml(path).get("parameters")
    except InvalidInput:
        return None
    return page_ref(path.stem, parameters) if isinstance(parameters, dict) else None


def profile_short_name(profiles: Path, territory: str) -> str:
    """A territory's short name from its profile file, its id when the file has none."""
    try:
        return _short_name(profiles / f"{territory}.yaml") or territory
    except OSError:
        return territory


@once_per_version
def _short_name(path: Path) -> str | None:
    """names.short read from the file's node tree, nothing else of it built (a build reads
    every profile it links to; the profile itself is checked elsewhere)."""
    name = _child(_child(yaml_nodes(path), "names"), "short")
    if isinstance(name, yaml.ScalarNode) and name.value.strip():
        return name.value
    return None


def _child(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value
                 if isinstance(name, yaml.ScalarNode) and name.value == key), None)


def links(pages: Sequence[PageRef], lang: str, current: str | None, profiles: Path) -> Links:
    """The links of the page showing `current` (None: a comparison) in `lang`."""
    pages = [p for p in pages if p.lang == lang]
    compares = [p.name for p in pages if p.territory is None]
    others = [p for p in pages if p.territory and p.territory != current]
    shown = others if len(others) <= MAX_TERRITORY_LINKS else []
    return Links(
        compare=f"{compares[0]}.html" if compares and current is not None else None,
        territories=tuple((f"{p.name}.html", profile_short_name(profiles, p.territory))
                          for p in shown))
