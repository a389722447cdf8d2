"""What every figure shares: palette, fonts, layout, room for labels, caption and data table."""

from __future__ import annotations

import html
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import plotly.graph_objects as go

from essbench.evidence.dataset import Dataset
from essbench.text.markup import wrap

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# Territory colours never take a yardstick's (France grey, région sky blue, ink, unknown grey):
# Okabe-Ito without sky blue and black, then Paul Tol's muted wine, teal and olive; yellow last,
# as it is hard to read on white.
TERRITORY_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#882255",
                     "#44AA99", "#999933", "#F0E442"]
FRANCE_COLOR = "#595959"
REGION_COLOR = "#56B4E9"
UNKNOWN_COLOR = "#9E9E9E"
INK = "#1A1A1A"
YARDSTICK_COLORS = frozenset({FRANCE_COLOR, REGION_COLOR, UNKNOWN_COLOR, INK})
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Plotly writes 6,5 and 48 390 with these: decimal comma, space between thousands.
SEPARATORS = ", "
PATTERNS = {"at_least": "/", "at_most": "\\", "approximately": "."}


# Past the palette (a comparison of 20 or 40 territories), more colours: Tol's other muted and
# light colours, then darker and lighter tones of the palette. Neighbours in a chart are told
# apart by their direct labels too (see charts): colours alone run out.
EXTRA_COLORS = ["#332288", "#117733", "#88CCEE", "#DDCC77", "#AA4499", "#661100", "#6699CC",
                "#AA4466", "#4477AA", "#228833", "#CCBB44", "#EE6677", "#AA3377", "#BBBBBB",
                "#EE8866", "#77AADD", "#99DDFF", "#44BB99", "#AAAA00", "#FFAABB", "#004488",
                "#994455", "#997700", "#6E2C00", "#1B4F72", "#145A32", "#7D6608", "#512E5F",
                "#0E6251", "#784212", "#4A235A", "#B03A2E"]


def all_colors() -> list[str]:
    """Every territory colour, the palette first; none is a yardstick's."""
    return [c for c in dict.fromkeys(TERRITORY_PALETTE + EXTRA_COLORS)
            if c not in YARDSTICK_COLORS]


def territory_colors(dataset: Dataset) -> dict[str, str]:
    """One distinct colour per territory: the one its profile stores, else one derived from its id.

    A territory's stored colour is kept, so adding territories never recolours those. A
    yardstick's colour is never used. A colour stored twice (a copied profile) stays with the
    first id; the other is reassigned (`reassigned_colors` says which, for validate). A
    derived colour is the one its id's hash picks among the colours still free: at any number
    of territories no two share a colour (past the colours available, a generated tone).
    """
    colors: dict[str, str] = {}
    taken: set[str] = set()
    derive: list[str] = []
    for tid in _keepers_first(dataset):
        color = (getattr(dataset.profiles[tid], "color", None) or "").upper()
        if not color or color in YARDSTICK_COLORS or color in taken:
            derive.append(tid)
        else:
            colors[tid] = color
            taken.add(color)
    for tid in derive:
        colors[tid] = derived_color(tid, avoid=taken)
        taken.add(colors[tid])
    return {tid: colors[tid] for tid in sorted(colors)}


def _keepers_first(dataset: Dataset) -> list[str]:
    """Territory ids, those that own the sources their profile cites first: of two profiles
    storing one colour, the original (its documents are its own) keeps it, not its copy (which
    cites the original's documents); then by id."""
    def own(tid: str) -> int:
        profile = dataset.profiles[tid]
        cited = {f.source for f in getattr(profile, "facts", [])}
        return sum(1 for sid in cited if getattr(dataset.sources.get(sid), "territory", None)
                   == tid)
    return sorted(dataset.profiles, key=lambda tid: (-own(tid), tid))


def reassigned_colors(dataset: Dataset) -> list[tuple[str, str, str, str]]:
    """(territory, stored colour, territory that keeps it, colour drawn) for each profile whose
    stored colour another profile took first (a copied profile)."""
    colors = territory_colors(dataset)
    first: dict[str, str] = {}
    found = []
    for tid in _keepers_first(dataset):
        color = (getattr(dataset.profiles[tid], "color", None) or "").upper()
        if not color or color in YARDSTICK_COLORS:
            continue
        if color in first:
            found.append((tid, color, first[color], colors[tid]))
        else:
            first[color] = tid
    return found


def derived_color(territory: str, avoid: set[str] | frozenset[str] = frozenset()) -> str:
    """The palette colour the id's hash points at, or the next free one after it (then the
    longer list's): never a yardstick's. Stepping forward, not choosing among the free ones,
    keeps a derived colour when a new profile stores a free colour."""
    digest = int.from_bytes(hashlib.sha256(territory.encode("utf-8")).digest()[:4], "big")
    start = digest % len(TERRITORY_PALETTE)
    for color in TERRITORY_PALETTE[start:] + TERRITORY_PALETTE[:start] + all_colors():
        if color not in avoid and color not in YARDSTICK_COLORS:
            return color
    # Past every listed colour: a tone generated from the hash, away from greys.
    for step in range(360):
        hue = (digest + step * 137) % 360
        color = _hsl_hex(hue, 0.55 + (digest >> 9) % 3 * 0.1, 0.35 + (step % 3) * 0.12)
        if color not in avoid and color not in YARDSTICK_COLORS:
            return color
    return TERRITORY_PALETTE[start]


def _hsl_hex(hue: float, saturation: float, lightness: float) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return "#{:02X}{:02X}{:02X}".format(round(r * 255), round(g * 255), round(b * 255))


# ---------------------------------------------------------------- layout


TITLE_SIZE = 17
TITLE_LINE_PX = 22


def title_lines(title: str, width: int | None = None) -> list[str]:
    """A title's lines at a sheet's width (a long territory name takes two lines, not a cut);
    a title holding markup is left as it is."""
    import textwrap

    if "<" in str(title):
        return [str(title)]
    width = width or MIN_WIDTH
    chars = max(20, int((width - 30) / (TITLE_SIZE * EM_REGULAR)))
    return textwrap.wrap(str(title), chars, break_long_words=False) or [""]


def title_extra_px(fig: go.Figure) -> int:
    """Pixels the title's lines past the first take at the top (0 for a one-line title)."""
    text = str(fig.layout.title.text or "") if fig.layout.title else ""
    return TITLE_LINE_PX * text.count("<br>")


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """French separators, readable fonts, a small template: every figure goes through here.

    A title too long for a sheet's width is written on two lines or more, the figure taller by
    as much (`title_extra_px`)."""
    lines = title_lines(title)
    extra = TITLE_LINE_PX * (len(lines) - 1)
    title_box = {"text": "<br>".join(lines), "x": 0, "xanchor": "left",
                 "font": {"size": TITLE_SIZE}}
    if extra:
        # from the top down, clear of the plot (plotly centres a title in the top margin)
        title_box |= {"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 12}}
    fig.update_layout(
        template=go.layout.Template(),
        separators=SEPARATORS,
        title=title_box,
        font={"family": FONT, "size": 14, "color": INK},
        height=height + extra,
        margin={"l": 10, "r": 20, "t": 60 + extra, "b": 40},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"family": FONT, "size": 13}},
        legend={"orientation": "h", "x": 0, "y": -0.12, "xanchor": "left", "yanchor": "top"},
    )
    return fig


# ---------------------------------------------------------------- room for labels
#
# Plotly does not keep labels apart: a label sized for a wide screen runs into its neighbour,
# or off the figure, on a printed sheet. The layouts below leave the room each label needs at
# the narrowest width a figure is drawn at, estimated from its characters; labels that fit
# there fit at any wider width.

# A4's printable width less the page's own margins: print redraws figures at 673 px to 680 px.
MIN_WIDTH = 660
# Mean advance of a character, in em, in the sans-serif fonts browsers fall back on (DejaVu
# Sans, the widest, is 0,51 to 0,57 em): rounded up, so estimates err on the roomy side.
EM_REGULAR = 0.6
EM_BOLD = 0.68
LEGEND_ROW_PX = 22  # one row of the 14 px legend
LEGEND_GAP_PX = 6  # between two rows of a grouped legend
AXIS_LABELS_PX = 30  # a row of 14 px tick labels under the plot
_TAG = re.compile(r"<[^>]+>")
_FONT_SIZE = re.compile(r"font-size:\s*(\d+)px")


def text_px(text: str, size: float = 14) -> float:
    """Estimated width in pixels of a plotly label (its widest line, tags dropped)."""
    widest, bold = 0.0, False
    for line in re.split(r"<br\s*/?>", str(text)):
        sized = _FONT_SIZE.search(line)
        em = EM_BOLD if bold or "<b>" in line else EM_REGULAR
        if "<b>" in line or "</b>" in line:
            bold = line.rfind("<b>") > line.rfind("</b>")
        plain = html.unescape(_TAG.sub("", line))
        widest = max(widest, len(plain) * (float(sized.group(1)) if sized else size) * em)
    return widest


def wrap_name(name: str, width: int = 14) -> str:
    """A territory's name escaped, on two lines or more when long: « Grenoble-Alpes<br>Métropole »."""
    return wrap(name, width)


def _legend_entries(fig: go.Figure) -> list[str]:
    """The names the legend shows: one per trace that asks for an entry."""
    if fig.layout.showlegend is False:
        return []
    return [str(trace.name or "") for trace in fig.data if trace.showlegend is not False]


def _legend_rows(names: list[str], plot_px: float) -> int:
    """Rows of a horizontal grouped legend as plotly wraps it within the plot's width."""
    rows, used = 0, 0.0
    for name in names:
        item = text_px(name) + 45  # symbol, gaps
        if rows == 0 or used + item > plot_px:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def legend_below(fig: go.Figure, plot_px: float, axis_px: int = AXIS_LABELS_PX) -> int:
    """The legend at the foot of the figure, under the axis labels; returns the bottom margin.

    Anchored to the figure (not to the plot), it never sits on the tick labels, whatever the
    plot's height; the margin it gets is sized for the rows it takes at the narrowest width.
    """
    rows = _legend_rows(_legend_entries(fig), plot_px)
    if not rows:
        return axis_px + 10
    # An entry of its own group, so the entries flow in rows rather than stack in one group.
    for trace in fig.data:
        if trace.showlegend is not False and not trace.legendgroup:
            trace.legendgroup = f"légende : {trace.name}"
    fig.update_layout(legend={"orientation": "h", "traceorder": "grouped",
                              "tracegroupgap": LEGEND_GAP_PX, "x": 0, "xanchor": "left",
                              "yref": "container", "y": 0, "yanchor": "bottom"})
    return axis_px + 14 + rows * LEGEND_ROW_PX + (rows - 1) * LEGEND_GAP_PX


def sheet_parts(territories: list[str], per_sheet: int) -> list[list[str]]:
    """Territories in parts of at most `per_sheet`, as even as possible: a figure too tall for
    a printed sheet continues as a second figure on the next sheet.

    Examples
    --------
    >>> [len(p) for p in sheet_parts(list("abcdefghijk"), 8)]
    [6, 5]
    """
    count = max(1, -(-len(territories) // max(1, per_sheet)))
    size = -(-len(territories) // count) if territories else 0
    return [territories[i:i + size] for i in range(0, len(territories), size)] or [[]]


def part_title(title: str, part: tuple[int, int] | None) -> str:
    """« Calendrier (2/3) » for the second of three parts; the title alone for one part."""
    if not part or part[1] <= 1:
        return title
    return f"{title} ({part[0]}/{part[1]})"


@dataclass(frozen=True)
class Chart:
    """A figure with what travels with it: its caption, comparability notes, its data as a table
    (the text alternative) and the verbatim quotes its hovers show.

    Reads as its plotly figure for everything else (`chart.data`, `chart.layout`, shown as is in
    JupyterLab); `chart.figure` is the figure itself.
    """

    figure: go.Figure
    caption: str = ""
    notes: tuple[str, ...] = ()
    table: dict = field(default_factory=lambda: {"columns": [], "rows": []})
    quotes: tuple[str, ...] = ()
    min_width: int = 0  # px the figure keeps on a narrow screen (0: it may shrink)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.figure, name)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        return self.figure._repr_mimebundle_(include, exclude, **kwargs)

    def _repr_html_(self) -> str:
        return self.figure._repr_html_()


def chart(fig: go.Figure, caption: str, notes: Iterable[str] = (), table: dict | None = None,
          quotes: Iterable[str | None] = ()) -> Chart:
    """The figure with its caption, notes, data table and the quotes its hovers show (in the
    order the hovers show them; empty ones left out), and the width keep_width gave it."""
    return Chart(fig, caption, tuple(notes), table or {"columns": [], "rows": []},
                 tuple(q for q in quotes if q), getattr(fig, _MIN_WIDTH, 0))


_MIN_WIDTH = "_essbench_min_width"  # set on the figure by keep_width, read once by chart()


def keep_width(fig: go.Figure, px: int = MIN_WIDTH) -> go.Figure:
    """On a narrow screen the figure keeps this width and scrolls sideways in its frame instead
    of being squeezed: its labels are placed for this width (matrices, calendar)."""
    setattr(fig, _MIN_WIDTH, px)
    return fig


def axis_value(value: float, unit: str) -> float:
    """Shares and rates drawn in percent so the axis reads 6,5 %, not 0,065."""
    return value * 100 if unit in ("share", "rate") else value


def value_axis(unit: str) -> dict:
    if unit in ("share", "rate"):
        return {"ticksuffix": "\u00a0%", "tickformat": "~r", "rangemode": "tozero"}
    if unit in ("eur", "eur_per_inhabitant", "eur_per_employee"):
        return {"ticksuffix": "\u00a0€", "tickformat": ",~r", "rangemode": "tozero"}
    if unit == "year":
        return {"tickformat": "d"}
    return {"tickformat": ",~r", "rangemode": "tozero"}


def data_table(columns: list[str], rows: list[list[str]]) -> dict:
    """Columns and rows of a figure's data, as its caption's table shows them."""
    return {"columns": columns, "rows": [[str(c) for c in row] for row in rows]}


def print_rows(fig: go.Figure, rows: int, row_px: int, print_row_px: int,
               marker_scale: float = 1.0, top_less: int = 0) -> go.Figure:
    """Tell the page's print script that the figure's `rows` rows, `row_px` apart on screen,
    may be `print_row_px` apart on paper, where the figure is drawn smaller (a comparison's
    figures at three quarters): one line of 12 px text a row, nothing else in it; its markers
    `marker_scale` times their size there, so that closer rows keep them apart; its top
    margin `top_less` pixels lower (a one-line title's 60 px top margin is 20 lower anyway)."""
    hint = {"rows": rows, "rowPx": row_px, "printRowPx": print_row_px}
    if marker_scale != 1.0:
        hint["markerScale"] = marker_scale
    if top_less:
        hint["topLess"] = top_less
    fig.update_layout(meta={"essPrint": hint})
    return fig
