"""essbench: evidence-backed comparison of local ESS policies in France.

Examples
--------
>>> import essbench
>>> ess = essbench.load()  # doctest: +SKIP
>>> ess.facts(["grenoble", "gpsea"], headline_only=True)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from essbench.version import __version__

__all__ = ["load", "read_export", "figure_notes", "Data", "InvalidArgument", "__version__"]

if TYPE_CHECKING:
    from essbench.evidence.arguments import InvalidArgument
    from essbench.library.data import Data, load
    from essbench.export import read_export
    from essbench.library.plots import figure_notes

# Imported on first use: `import essbench` stays light for the command line and the kernels.
_LAZY = {
    "load": ("essbench.library.data", "load"),
    "Data": ("essbench.library.data", "Data"),
    "read_export": ("essbench.export", "read_export"),
    "figure_notes": ("essbench.library.plots", "figure_notes"),
    "InvalidArgument": ("essbench.evidence.arguments", "InvalidArgument"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'essbench' has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
