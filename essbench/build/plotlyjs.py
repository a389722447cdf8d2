"""The plotly.js a page embeds: the pinned basic bundle when it can draw the page, else the full one."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

BASIC_VERSION = "4.1.1"
BASIC_FILE = Path(__file__).resolve().parent / "vendor" / f"plotly-basic-{BASIC_VERSION}.min.js"
BASIC_SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"
BASIC_TRACE_TYPES = frozenset({"bar", "scatter", "pie"})


class BundleError(RuntimeError):
    """The vendored bundle is not the file it should be."""


@functools.cache
def basic_bundle() -> str:
    """The vendored basic bundle, checked against its pinned sha256."""
    data = BASIC_FILE.read_bytes()
    found = hashlib.sha256(data).hexdigest()
    if found != BASIC_SHA256:
        raise BundleError(f"{BASIC_FILE}: sha256 {found}, expected {BASIC_SHA256} "
                          "(see vendor/README.md to update it)")
    return data.decode("utf-8")


@functools.cache
def full_bundle() -> str:
    """The full plotly.js shipped by the installed Python plotly package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def python_plotly_js_version() -> str:
    """The plotly.js version the installed Python plotly writes its figures for."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def choose(trace_types: Iterable[str]) -> tuple[str, str]:
    """(bundle text, reason): the basic bundle when it draws every trace type of the same
    plotly.js version, else the full bundle, with the reason in words for the build log."""
    types = set(trace_types)
    version = python_plotly_js_version()
    if version != BASIC_VERSION:
        return full_bundle(), (f"full plotly.js: the Python plotly writes for plotly.js {version}, "
                               f"the vendored basic bundle is {BASIC_VERSION}")
    beyond = sorted(types - BASIC_TRACE_TYPES)
    if beyond:
        return full_bundle(), f"full plotly.js: trace types {', '.join(beyond)} not in the basic bundle"
    return basic_bundle(), f"basic plotly.js {BASIC_VERSION}"


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def trace_types(notebook) -> set[str]:
    """Every trace type the notebook's plotly outputs draw (plotly's default type is scatter)."""
    types = set()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            figure = output.get("data", {}).get(PLOTLY_MIME)
            if figure:
                types |= {trace.get("type", "scatter") for trace in figure.get("data", [])}
    return types
