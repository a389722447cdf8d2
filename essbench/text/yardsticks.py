"""France and région values on the same base as a territory's share."""

from __future__ import annotations

from essbench.evidence.dataset import Dataset
from essbench.values.normalize import Value, region_area, yardstick


def same_base_yardsticks(dataset: Dataset, value: Value) -> list[Value]:
    """France and the territory's région for a share, only those of the same base."""
    if not value.known or value.unit not in ("share", "rate"):
        return []
    found = []
    for area in filter(None, (region_area(dataset, value.territory), "france")):
        other = yardstick(dataset, area, value)
        # yardstick() falls back to another base when none matches: never shown then.
        if other is not None and other.base == value.base:
            found.append(other)
    return found
