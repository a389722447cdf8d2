"""The pages embed the small pinned plotly.js bundle only when it can draw them."""

from __future__ import annotations

import hashlib

from essbench.build import plotlyjs


def test_the_vendored_bundle_is_the_pinned_file():
    data = plotlyjs.BASIC_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == plotlyjs.BASIC_SHA256
    assert f"v{plotlyjs.BASIC_VERSION}" in data[:200].decode()


def test_the_bundle_matches_the_plotly_js_the_python_package_writes_for():
    # A newer plotly on PyPI would write figures for another plotly.js: the build then falls
    # back to the full bundle, and this test says the vendored file needs updating.
    assert plotlyjs.python_plotly_js_version() == plotlyjs.BASIC_VERSION


def test_bar_and_scatter_pages_get_the_basic_bundle():
    bundle, why = plotlyjs.choose({"bar", "scatter"})
    assert bundle == plotlyjs.basic_bundle()
    assert len(bundle.encode()) < 1_300_000
    assert why.startswith("basic")


def test_a_trace_type_beyond_the_basic_bundle_gets_the_full_one():
    bundle, why = plotlyjs.choose({"scatter", "heatmap"})
    assert bundle == plotlyjs.full_bundle()
    assert "heatmap" in why
