"""Plotly label text: escaped, broken into lines."""

from __future__ import annotations

import html
import textwrap


HOVER_WIDTH = 70


def esc(text: object) -> str:
    """Data text made safe for plotly labels, which read a subset of HTML."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int = HOVER_WIDTH) -> str:
    """Escaped text broken into plotly lines."""
    lines = textwrap.wrap(str(text), width, break_long_words=False) or [""]
    return "<br>".join(esc(line) for line in lines)
