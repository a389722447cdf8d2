"""What the notebooks draw from: evidence, reference geography and computed values, in one object."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from essbench.evidence.dataset import Dataset, load_dataset
from essbench.evidence import arguments as checks
from essbench.project import find_project
from essbench.text.catalog import t
from essbench.text.citations import territory_name
from essbench.text.values import values_table
from essbench.values.normalize import Value, load_reference, territory_values


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
    lang: str = "fr"

    def name(self, territory: str) -> str:
        return territory_name(self.dataset, territory)

    def facts_table(self, territories: list[str] | None = None) -> pd.DataFrame:
        """The tidy table: one row per territory and indicator, known or not."""
        return values_table(self.dataset, self.reference, self.manifest, territories)


def load_context(data_dir: Path | None = None, lang: str = "fr",
                 territories: Sequence[str] | None = None) -> Context:
    """Load the evidence base (only `territories`' profiles if given), geography and values."""
    from essbench.geography.layers import load_geometry

    data_dir = find_project().data if data_dir is None else Path(data_dir)
    # The notebook's parameters are checked before anything loads, in the library's words.
    lang = checks.check_lang(lang)
    if territories is not None:
        territories = checks.check_territories(territories, checks.profile_ids(data_dir))
    dataset = load_dataset(data_dir, only=territories)
    ref_dir = Path(data_dir) / "reference"
    table, manifest = load_reference(ref_dir)
    values = {tid: territory_values(dataset, table, manifest, tid) for tid in sorted(dataset.profiles)}
    geometry = load_geometry(ref_dir, territories)
    return Context(dataset, table, manifest, geometry.communes, geometry.perimeters,
                   geometry.departements, values, lang)


def check_territories(ctx: Context, territories: Sequence[str]) -> list[str]:
    """The territory ids, or InvalidArgument (a ValueError) naming the wrong ones.

    Examples
    --------
    In the tests' fixture project (tests/fixture_project.py), where the doctests run:

    >>> check_territories(load_context(territories=["temoin"]), ["temoin"])
    ['temoin']
    """
    return checks.check_territories(territories, ctx.dataset.profiles, allow_none=False)


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
