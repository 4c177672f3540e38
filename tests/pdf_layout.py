"""Where text lands on a PDF page, read back with pypdf: for layout tests.

`text_runs` lists every run of text a page shows (a line of a paragraph, a table
cell's line…) with its left and right edges in points, from the run's text matrix
(`visitor_text`) and the glyph widths of its embedded font (the font's `/W` or
`/Widths` array, read by pypdf). Positions are measured from the page's left edge
and its top edge, as a reader sees them.
"""

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic._font import Font

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    left: float
    right: float
    top: float  # baseline, from the top of the page
    font_size: float  # in points, as printed

    def __str__(self):
        return (
            f"{self.text[:30]!r} p{self.page} x {self.left:.1f}–{self.right:.1f} y {self.top:.1f}"
        )


def _multiply(first, second):
    a, b, c, d, e, f = first
    g, h, i, j, k, m = second
    return [
        a * g + b * i,
        a * h + b * j,
        c * g + d * i,
        c * h + d * j,
        e * g + f * i + k,
        e * h + f * j + m,
    ]


def glyph_widths(font_dict):
    """{character: advance in 1/1000 em} of a PDF font, for the text pypdf decodes.

    pypdf keys the widths of a composite (Type0) font by glyph code; its ToUnicode
    map says which character each code shows.
    """
    font = Font.from_font_resource(font_dict)
    widths = dict(font.character_widths)
    if isinstance(font.character_map, dict):
        for code, char in font.character_map.items():
            if isinstance(char, str) and code in font.character_widths:
                widths[char] = font.character_widths[code]
    return widths


def text_runs(payload):
    """Every non-blank run of text of the PDF `payload`, page by page."""
    reader = PdfReader(io.BytesIO(payload))
    runs = []
    fonts = {}
    for number, page in enumerate(reader.pages):
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font_dict, font_size, number=number, height=height):
            if not text.strip() or font_dict is None:
                return
            key = id(font_dict)
            if key not in fonts:
                fonts[key] = glyph_widths(font_dict)
            widths = fonts[key]
            matrix = _multiply(tm, cm)
            scale = (matrix[0] ** 2 + matrix[1] ** 2) ** 0.5
            em = sum(widths.get(char, widths["default"]) for char in text.rstrip("\n"))
            width = font_size * em / 1000 * scale
            left = matrix[4]
            runs.append(
                Run(number, text.strip(), left, left + width, height - matrix[5], font_size * scale)
            )

        page.extract_text(visitor_text=visit)
    return runs


def runs_of(runs, text):
    """The runs that hold part of `text` (a long word wraps over several runs)."""
    return [run for run in runs if run.text and run.text in text]


def page_count(payload):
    return len(PdfReader(io.BytesIO(payload)).pages)


def boxes_overlap(first, second, tolerance=1.0):
    """True if the two runs' glyph boxes cross by more than `tolerance` points."""
    if first.page != second.page:
        return False
    across = min(first.right, second.right) - max(first.left, second.left)
    up = min(first.top + 0.2 * first.font_size, second.top + 0.2 * second.font_size) - max(
        first.top - 0.75 * first.font_size, second.top - 0.75 * second.font_size
    )
    return across > tolerance and up > tolerance


def assert_no_text_over_another(runs):
    for index, run in enumerate(runs):
        for other in runs[index + 1 :]:
            assert not boxes_overlap(run, other), f"{run} over {other}"
