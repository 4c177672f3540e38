"""The small-cell rule, applied in one place to every table, chart and export.

1. A count of people between 1 and 4 shows « < 5 » (0 shows 0: nobody is no one).
2. A figure derived from people — a rate, a median, a mean, a satisfaction — computed
   over fewer than 5 people shows « — » with a note. A rate whose numerator is a
   count of 1 to 4 people is hidden too: rate × denominator would give it back.
3. Totals must not let anyone subtract. In a table whose rows add up to its total
   (each person in exactly one row: sector, profession, commune, or the modules'
   enrolments), a single hidden cell in a column would be « total − the others ».
   So, column by column, while the hidden cells are fewer than two, or add up to
   less than 5, the smallest visible non-zero cell of the column is hidden too
   (« masqué »), until the hidden cells hold at least 5 people between at least two
   rows — or nothing is left to hide, in which case the total itself is small and
   shows « < 5 ».

   Why a second cell rather than rounding: rounded totals (to 5 or 10) still leave
   « total − others » within a few units of the hidden value, which together with
   « between 1 and 4 » often pins it down; and a steering committee needs the exact
   number of people trained, which is the total. Masking one more row costs one
   figure and keeps every total exact. The masked cell is never a count of 1–4
   itself, so it shows « masqué » rather than a false « < 5 ».

Charts and exports read only the cells made here, so a bar is never drawn from a
hidden number. Counts that are not people (seats, page views, complaints) are shown
as they are.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .tables import COUNT, DERIVED, LABEL, MEAN, MEDIAN, PEOPLE, RATE, SHIFT

THRESHOLD = 5
SMALL = "< 5"
NOT_SHOWN = "—"
MASKED = _("masqué")

#: Why a cell is not shown (for the notes under the tables).
SMALL_NOTE = _("« < 5 » : moins de 5 personnes, le nombre exact n'est pas montré.")
DERIVED_NOTE = _("« — » : calculé sur moins de 5 personnes, le chiffre n'est pas montré.")
MASKED_NOTE = _(
    "« masqué » : caché pour qu'on ne puisse pas retrouver une petite valeur par soustraction "
    "du total."
)


@dataclass(frozen=True)
class Cell:
    """One displayed cell: `text` for pages and PDF, `value` for XLSX and charts.

    `value` is the number when it may be shown, else the same text as `text`;
    `number` is what a chart may draw (None when hidden)."""

    text: str
    value: object
    number: float | None = None
    hidden: str = ""  # "", "small", "derived", "masked"
    is_label: bool = False


def is_small(count):
    return count is not None and 0 < count < THRESHOLD


def shown_count(count):
    count = count or 0
    return Cell(number_format(count, force_grouping=True), count, count)


def small_cell():
    return Cell(SMALL, SMALL, None, "small")


def masked_cell():
    return Cell(str(MASKED), str(MASKED), None, "masked")


def derived_hidden():
    return Cell(NOT_SHOWN, NOT_SHOWN, None, "derived")


def format_derived(column, value):
    if value is None:
        return Cell(NOT_SHOWN, None, None)
    if column.kind == RATE:
        percent = round(value * 100)
        return Cell(f"{percent} %", round(value, 4), percent)
    if column.kind == MEDIAN:
        minutes = round(value / 60)
        return Cell(f"{minutes} min", minutes, minutes)
    if column.kind == SHIFT:
        text = number_format(value, decimal_pos=1)
        return Cell(f"+{text}" if value > 0 else text, round(value, 2), value)
    text = number_format(value, decimal_pos=1)
    return Cell(f"{text}{column.unit}", round(value, 2), value)


def derived_is_hidden(column, row, masked_keys=()):
    if column.kind == RATE:
        numerator = row.get(column.numerator) or 0
        denominator = row.get(column.denominator) or 0
        # A rate beside a masked count would give it back (count = rate × the other).
        if is_small(numerator) or {column.numerator, column.denominator} & set(masked_keys):
            return True
        return column.denominator_is_people and denominator < THRESHOLD
    if column.kind in (MEDIAN, MEAN, SHIFT):
        return (row.get(column.base) or 0) < THRESHOLD
    return False


def protect_cell(column, row, masked_keys=()):
    value = row.get(column.key)
    if column.kind == LABEL:
        return Cell(str(value if value is not None else ""), value, None, "", True)
    if column.kind == PEOPLE:
        if is_small(value):
            return small_cell()
        return masked_cell() if column.key in masked_keys else shown_count(value)
    if column.kind == COUNT:
        return shown_count(value)
    if column.kind in DERIVED:
        if derived_is_hidden(column, row, masked_keys):
            return derived_hidden() if value is not None else Cell(NOT_SHOWN, None, None)
        return format_derived(column, value)
    return Cell(str(value), value)


def cells_to_mask(table, column):
    """Row indexes of `column` to mask besides the small ones (rule 3)."""
    if not table.additive or table.total is None:
        return set()
    values = [row.get(column.key) or 0 for row in table.rows]
    hidden = [index for index, value in enumerate(values) if is_small(value)]
    if not hidden:
        return set()
    masked = set()
    visible = sorted((value, index) for index, value in enumerate(values) if value >= THRESHOLD)
    while visible and (
        len(hidden) + len(masked) < 2
        or sum(values[i] for i in hidden) + sum(values[i] for i in masked) < THRESHOLD
    ):
        masked.add(visible.pop(0)[1])
    return masked


@dataclass
class ShownTable:
    key: str
    title: str
    columns: list
    rows: list  # lists of Cell
    total: list | None
    note: str
    notes: list  # the legend of the hidden cells present
    meta: list = None  # per row, the non-figure keys of `Table.meta_keys` (quiz ids…)
    links: list = None  # per row, a URL for its first cell (set by the view)
    limit: int | None = None  # rows shown on the page (the XLSX has them all)

    def lines(self):
        """(cells, link) per row shown, for templates."""
        links = self.links or [None] * len(self.rows)
        pairs = list(zip(self.rows, links, strict=True))
        return pairs[: self.limit] if self.limit else pairs

    @property
    def rows_not_shown(self):
        return max(len(self.rows) - self.limit, 0) if self.limit else 0


def protect(table):
    """The table as it may be shown: the one function every output goes through."""
    masked = {
        column.key: cells_to_mask(table, column)
        for column in table.columns
        if column.kind == PEOPLE
    }
    rows = []
    for index, row in enumerate(table.rows):
        masked_keys = {key for key, indexes in masked.items() if index in indexes}
        rows.append([protect_cell(column, row, masked_keys) for column in table.columns])
    total = None
    if table.total is not None:
        total = [protect_cell(column, table.total) for column in table.columns]
    seen = {cell.hidden for row in rows + ([total] if total else []) for cell in row}
    notes = [
        note
        for kind, note in (
            ("small", SMALL_NOTE),
            ("derived", DERIVED_NOTE),
            ("masked", MASKED_NOTE),
        )
        if kind in seen
    ]
    meta = [{key: row.get(key) for key in table.meta_keys} for row in table.rows]
    return ShownTable(table.key, table.title, table.columns, rows, total, table.note, notes, meta)
