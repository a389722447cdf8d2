"""Plotly figures of territories' ESS and ESS policies: the names notebooks and the library use.

The figures live in modules named for what they draw (bars, matrices, timeline) and share
figures.layout; words come from essbench.text. This module keeps the public names in one place.
"""

from __future__ import annotations

from essbench.figures.bars import (  # noqa: F401
    LEGAL_FORMS,
    SHARE_OF_JOBS,
    Row,
    comparison_figure,
    employment_share_figure,
    legal_forms_figure,
    share_of_jobs_values,
)
from essbench.figures.layout import (  # noqa: F401
    FONT,
    FRANCE_COLOR,
    INK,
    MIN_WIDTH,
    OKABE_ITO,
    PATTERNS,
    REGION_COLOR,
    SEPARATORS,
    TERRITORY_PALETTE,
    UNKNOWN_COLOR,
    YARDSTICK_COLORS,
    base_layout,
    data_table,
    figure_meta,
    legend_below,
    set_meta,
    territory_colors,
    text_px,
    wrap_name,
)
from essbench.figures.matrices import (  # noqa: F401
    BASIS_ORDER,
    MATRIX_ROWS_PER_SHEET,
    levers_matrix,
    themes_matrix,
)
from essbench.figures.timeline import (  # noqa: F401
    TIMELINE_KINDS,
    TIMELINE_ROWS_PER_SHEET,
    Event,
    timeline_events,
    timeline_figure,
)
# Text helpers live in essbench.text; re-exported for notebooks that import them from charts.
from essbench.text.citations import (  # noqa: F401
    evidence_words,
    fact_of,
    input_sources,
    source_label,
    sources_caption,
    territory_name,
    year_text,
    years_caption,
)
from essbench.text.comparability import comparison_notes, dedupe, value_notes  # noqa: F401
from essbench.text.dates import french_date  # noqa: F401
from essbench.text.markup import HOVER_WIDTH, esc, wrap  # noqa: F401
from essbench.text.units import base_text, short_base, unit_text  # noqa: F401
from essbench.text.yardsticks import same_base_yardsticks  # noqa: F401
