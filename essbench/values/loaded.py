"""One load of a project: evidence, reference table, values and geometry, behind both the pages'
Context (essbench.report.context) and the library's Data (essbench.library.data)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from essbench.evidence.dataset import Dataset, load_dataset
from essbench.evidence.problems import InvalidInput
from essbench.evidence.reference_tables import reference_problems
from essbench.geography.layers import Geometry, load_geometry
from essbench.project import Project
from essbench.values.normalize import Value, load_reference, territory_values


@dataclass(eq=False)
class Loaded:
    """What a page or the library draws from; values and geometry are computed on first use.

    `territories` is the page's own (its profiles and geometry only), or None for all of them.
    """

    project: Project
    dataset: Dataset
    reference: pd.DataFrame
    manifest: dict
    territories: tuple[str, ...] | None = None

    @functools.cached_property
    def values(self) -> dict[str, dict[str, Value]]:
        """Every registry indicator of every loaded territory, as the values layer computes it."""
        return {tid: territory_values(self.dataset, self.reference, self.manifest, tid)
                for tid in sorted(self.dataset.profiles)}

    @functools.cached_property
    def geometry(self) -> Geometry:
        """The loaded territories' communes and perimeters, and the France outline."""
        return load_geometry(self.project.geography, self.territories)


def load_project(project: Project, territories: Sequence[str] | None = None) -> Loaded:
    """The evidence (only `territories`' profiles if given) and the reference table of `project`.

    Territory ids are checked by the caller, in its own words (a notebook parameter or a
    library argument).
    """
    chosen = None if territories is None else tuple(sorted(set(territories)))
    # The reference tables are checked with the evidence: every problem told at once.
    problems = reference_problems(project.geography)
    try:
        dataset = load_dataset(project.data, only=chosen)
    except InvalidInput as error:
        raise InvalidInput(problems + error.problems) from None
    if problems:
        raise InvalidInput(problems)
    reference, manifest = load_reference(project.geography)
    return Loaded(project, dataset, reference, manifest, chosen)
