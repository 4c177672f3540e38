"""The shape every figure takes before it is shown: a table of typed columns.

Figures (`figures.py`) fill tables with raw numbers from the database; the small-cell
rule (`privacy.py`) turns each table into display cells, once, for every output (the
page, its charts, the XLSX files, the PDF bilan). Nothing shows a raw table.
"""

from dataclasses import dataclass, field

#: Column kinds.
LABEL = "label"  # a text (module title, month, sector…)
PEOPLE = "people"  # a count of people: the small-cell rule applies
COUNT = "count"  # a count of things that are not people (places, views, complaints)
RATE = "rate"  # numerator / denominator, shown as a percentage
MEDIAN = "median"  # a median over `base` people (minutes)
MEAN = "mean"  # a mean over `base` people (positioning, 1–4)
SHIFT = "shift"  # a difference of two means (positioning)
DERIVED = {RATE, MEDIAN, MEAN, SHIFT}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = LABEL
    #: RATE: the row keys of its numerator and denominator.
    numerator: str | None = None
    denominator: str | None = None
    #: MEDIAN, MEAN, SHIFT: the row key of the number of people it is computed over.
    base: str | None = None
    #: RATE whose denominator is not a count of people (seats): only the numerator counts.
    denominator_is_people: bool = True
    unit: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)  # dicts: column key → raw value
    total: dict | None = None
    #: Whether the rows of each people column add up to its total (each person in one
    #: row): then the total lets someone subtract, and the rule masks a second cell.
    additive: bool = False
    note: str = ""
    #: Row keys that are not figures but travel with the row (a quiz id for a link).
    meta_keys: tuple = ()

    def column(self, key):
        return next(column for column in self.columns if column.key == key)
