"""What the notebooks draw from: evidence, reference geography and computed values, in one object."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from essbench.evidence import arguments as checks
from essbench.evidence.dataset import Dataset
from essbench.project import Project, find_project
from essbench.text.catalog import t
from essbench.text.citations import territory_name
from essbench.values.loaded import load_project
from essbench.values.normalize import Value


@dataclasses.dataclass
class Context:
    """Everything the notebooks draw from: evidence, reference geography and computed values."""

    dataset: Dataset
    reference: pd.DataFrame
    manifest: dict
    communes: gpd.GeoDataFrame
    perimeters: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    values: dict[str, dict[str, Value]]
    project: Project
    lang: str = "fr"
    # The page's territories, checked once when loading, in the order given (all if none).
    territories: list[str] = dataclasses.field(default_factory=list)

    def name(self, territory: str) -> str:
        return territory_name(self.dataset, territory)


def load_context(project: Project | None = None, lang: str = "fr",
                 territories: Sequence[str] | None = None) -> Context:
    """Load the evidence base (only `territories`' profiles if given), geography and values.

    `project` defaults to the one found from the working folder or $ESSBENCH_ROOT, once.
    """
    project = find_project() if project is None else project
    # The notebook's parameters are checked before anything loads, in the library's words.
    lang = checks.check_lang(lang)
    if territories is not None:
        territories = checks.check_territories(territories, checks.profile_ids(project.profiles))
    loaded = load_project(project, territories)
    geometry = loaded.geometry
    return Context(loaded.dataset, loaded.reference, loaded.manifest, geometry.communes,
                   geometry.perimeters, geometry.departements, loaded.values, project, lang,
                   territories if territories is not None else sorted(loaded.dataset.profiles))


def check_indicators(indicators: Sequence[str], argument: str = "indicators") -> list[str]:
    """The indicator ids, or InvalidArgument (a ValueError) naming the wrong ones.

    Examples
    --------
    >>> check_indicators(["ess_employees"])
    ['ess_employees']
    """
    return checks.check_indicators(indicators, argument=argument, allow_none=False)


def reference_source(ctx: Context, colophon: bool = False) -> str:
    """The reference geography as a source line: in reader's words on the page, with the
    package and its version in the colophon (no tool names in reader text)."""
    if not colophon:
        return t("reference.reader", ctx.lang)
    version = ctx.manifest.get("source", {}).get("version", t("reference.version_unknown",
                                                                ctx.lang))
    return t("reference.source", ctx.lang, version=version)
