"""France and région values set beside a territory's, only on the same base: no words here."""

from __future__ import annotations

from collections.abc import Mapping

from essbench.evidence.dataset import Dataset
from essbench.values.normalize import Value, region_area, yardstick

SHARE_OF_JOBS = ("ess_employment_share", "ess_private_employment_share")


def yardstick_areas(dataset: Dataset, territory: str) -> list[str]:
    """The reference areas a territory is set beside: its région (when the data has it), France."""
    return [area for area in (region_area(dataset, territory), "france")
            if area and area in dataset.references]


def same_base_yardsticks(dataset: Dataset, value: Value) -> list[Value]:
    """France and the territory's région for a share, only those of the same base."""
    if not value.known or value.unit not in ("share", "rate"):
        return []
    found = []
    for area in yardstick_areas(dataset, value.territory):
        other = yardstick(dataset, area, value)
        # yardstick() falls back to another base when none matches: never shown then.
        if other is not None and other.base == value.base:
            found.append(other)
    return found


def share_of_jobs_values(dataset: Dataset, values: Mapping[str, Value]
                         ) -> list[tuple[Value, list[Value]]]:
    """Each share of jobs of the territory with France and région yardsticks of the same base."""
    return [(values[i], same_base_yardsticks(dataset, values[i])) for i in SHARE_OF_JOBS]
