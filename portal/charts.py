"""Charts drawn on the server as inline SVG: no JavaScript, sharp on a
phone, on paper and in a PDF. Each chart is a set of horizontal bars, one
row per line or topic; every row writes its figure beside its bar, and the
page puts a table with the same figures next to the chart (the SVG is an
image to a screen reader: its <title> and <desc> name it)."""

from dataclasses import dataclass, field

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

WIDTH = 400
# Room kept right of the longest bar for its figure ("11 368 000 · 44,6 %"):
# the figures stay readable on a 360 px phone, where the chart is drawn smaller.
FIGURE_ROOM = 165
LABEL_CHARS = 40
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 4
ROW_GAP = 10
LEGEND_HEIGHT = 24
TEXT = "#212529"
# Solid for the one series (or the executed one); outlined light for the plan,
# so that the two stay apart in black and white.
SERIES_STYLES = [
    {"fill": "#0b5e7a", "stroke": "#0b5e7a"},
    {"fill": "#cfe5ec", "stroke": "#0b5e7a"},
]


@dataclass
class Bar:
    value: object  # a number, or None for no bar
    text: str  # the figure written beside the bar


@dataclass
class Row:
    label: str
    bars: list = field(default_factory=list)


def _label(text):
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(rows, *, chart_id, title, description, series=()):
    """The SVG for `rows` (Row); `series` names the bars of a row, for the
    legend, when a row has more than one. Bars are scaled to the largest."""
    count = max((len(row.bars) for row in rows), default=1)
    styles = SERIES_STYLES if count == 1 else SERIES_STYLES[1::-1]
    largest = max(
        (bar.value for row in rows for bar in row.bars if bar.value is not None), default=0
    )
    scale = (WIDTH - FIGURE_ROOM) / float(largest) if largest else 0
    parts = []
    y = 0
    if count > 1 and series:
        x = 0
        for index, name in enumerate(series):
            style = styles[index]
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="14" height="14" fill="{}" stroke="{}"/>'
                    '<text x="{}" y="16" font-size="13" fill="{}">{}</text>',
                    x,
                    style["fill"],
                    style["stroke"],
                    x + 20,
                    TEXT,
                    name,
                )
            )
            x += 30 + 8 * len(str(name))
        y = LEGEND_HEIGHT
    for row in rows:
        y += LABEL_HEIGHT
        # f-strings with the escaping format_html does: a page draws some
        # fifty of these.
        parts.append(
            f'<text class="chart-label" x="0" y="{y - 5}" font-size="15" fill="{TEXT}">'
            f"{conditional_escape(_label(str(row.label)))}</text>"
        )
        for index, bar in enumerate(row.bars):
            style = styles[index]
            width = round(float(bar.value or 0) * scale, 1)
            parts.append(
                f'<rect x="0" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{style["fill"]}" stroke="{style["stroke"]}"/>'
                f'<text class="chart-figure" x="{width + 6}" y="{y + BAR_HEIGHT - 3}" '
                f'font-size="14" fill="{TEXT}">{conditional_escape(bar.text)}</text>'
            )
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP
    height = max(y, 1)
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{parts}</svg>",
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        parts=mark_safe("".join(parts)),
    )
