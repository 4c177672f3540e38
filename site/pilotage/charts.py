"""Server-rendered SVG bar charts, drawn by two small templates from protected cells.

Why templates rather than a charting library: the charts here are two kinds of bars;
a Python library (matplotlib, pygal, plotly…) would either write inline `style`
attributes and scripts that the admin's strict CSP refuses on the public side and
that the PDF does not need, or produce SVG without the `<title>`, `<desc>`,
`aria-labelledby` and classes we need for accessibility, print and contrast. Forty
lines of geometry and two templates give exactly that markup, the same in the page
and in the WeasyPrint PDF, with colours from one stylesheet and no new dependency.

The geometry is computed here (attributes `x`, `y`, `width`, `height`: not styles);
a hidden cell (« < 5 », « masqué ») gets no bar, only its text, so the length of a
bar never gives back a number the small-cell rule hid.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

VERTICAL = "vertical"
HORIZONTAL = "horizontal"

WIDTH = 640
PLOT_HEIGHT = 200
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 220
TOP = 16
BOTTOM = 56


@dataclass
class Bar:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float


@dataclass
class Chart:
    kind: str
    key: str
    title: str
    summary: str
    width: int
    height: int
    bars: list
    axis_y: float = 0

    @property
    def show_values(self):
        """Values above the bars while they fit (a month per bar, not a day)."""
        return self.kind == HORIZONTAL or len(self.bars) <= 24


def values_of(table, label_key, value_key):
    keys = [column.key for column in table.columns]
    label_index, value_index = keys.index(label_key), keys.index(value_key)
    return [(row[label_index].text, row[value_index]) for row in table.rows]


def build(kind, table, label_key, value_key):
    points = values_of(table, label_key, value_key)
    if not points:
        return None
    largest = max((cell.number or 0 for _label, cell in points), default=0) or 1
    builder = vertical if kind == VERTICAL else horizontal
    chart = builder(points, largest)
    chart.key = table.key
    chart.title = str(table.title)
    chart.summary = summary(table, points)
    return chart


def vertical(points, largest):
    slot = (WIDTH - 40) / len(points)
    bar_width = max(slot * 0.7, 2)
    bars = []
    for index, (label, cell) in enumerate(points):
        height = (cell.number or 0) / largest * PLOT_HEIGHT
        x = 20 + index * slot + (slot - bar_width) / 2
        y = TOP + PLOT_HEIGHT - height
        bars.append(
            Bar(
                label=short_label(label),
                text=cell.text,
                x=round(x, 1),
                y=round(y, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label_x=round(x + bar_width / 2, 1),
                label_y=TOP + PLOT_HEIGHT + 16,
                text_x=round(x + bar_width / 2, 1),
                text_y=round(y - 4, 1),
            )
        )
    return Chart(VERTICAL, "", "", "", WIDTH, TOP + PLOT_HEIGHT + BOTTOM, bars, TOP + PLOT_HEIGHT)


def horizontal(points, largest):
    plot_width = WIDTH - LABEL_WIDTH - 70
    bars = []
    for index, (label, cell) in enumerate(points):
        width = (cell.number or 0) / largest * plot_width
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            Bar(
                label=label[:34] + ("…" if len(label) > 34 else ""),
                text=cell.text,
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label_x=LABEL_WIDTH - 8,
                label_y=y + BAR_HEIGHT * 0.7,
                text_x=round(LABEL_WIDTH + width + 6, 1),
                text_y=y + BAR_HEIGHT * 0.7,
            )
        )
    height = TOP * 2 + len(points) * (BAR_HEIGHT + BAR_GAP)
    return Chart(HORIZONTAL, "", "", "", WIDTH, height, bars)


def short_label(label):
    """« janvier 2026 » → « janv. 26 » under a bar; dates stay as they are."""
    words = label.split()
    if len(words) == 2 and words[1].isdigit():
        return (
            f"{words[0][:4]}. {words[1][-2:]}"
            if len(words[0]) > 4
            else f"{words[0]} {words[1][-2:]}"
        )
    return label


def summary(table, points):
    """A sentence for screen readers and the figure caption, from shown cells only."""
    shown = [(label, cell) for label, cell in points if cell.number is not None]
    hidden = len(points) - len(shown)
    if not shown:
        return _("Aucun chiffre ne peut être montré pour ces filtres.")
    label, cell = max(shown, key=lambda item: item[1].number)
    text = ngettext(
        "%(count)s ligne ; la plus élevée : %(label)s (%(value)s).",
        "%(count)s lignes ; la plus élevée : %(label)s (%(value)s).",
        len(points),
    ) % {
        "count": len(points),
        "label": label,
        "value": cell.text,
    }
    if table.total:
        total = next((c for c in table.total if not c.is_label), None)
        if total is not None:
            text += " " + _("Total : %(total)s.") % {"total": total.text}
    if hidden:
        text += " " + ngettext(
            "%(hidden)s valeur non montrée (moins de 5 personnes).",
            "%(hidden)s valeurs non montrées (moins de 5 personnes).",
            hidden,
        ) % {"hidden": hidden}
    return text
