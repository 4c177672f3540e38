"""XLSX exports of the dashboard's tables, written by the project's spreadsheet rule
(`core.spreadsheets`: texts are text cells, formula-leading text inert).

The cells are the protected ones (`privacy.protect`): « < 5 », « masqué » and « — »
are exported as the page shows them, numbers as numbers.
"""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.spreadsheets import XLSX_CONTENT_TYPE, new_workbook, sheet_title, xlsx_row

__all__ = ["XLSX_CONTENT_TYPE", "table_rows", "workbook_bytes"]


def period_line(filters):
    return _("Période : du %(start)s au %(end)s") % {
        "start": date_format(filters.start, "SHORT_DATE_FORMAT"),
        "end": date_format(filters.end, "SHORT_DATE_FORMAT"),
    }


def table_rows(table, filters):
    """The rows of one sheet: title, period, headings, rows, total, notes."""
    yield [str(table.title)]
    yield [period_line(filters)]
    yield [str(column.label) for column in table.columns]
    for row in table.rows:
        yield [cell.value for cell in row]
    if table.total:
        yield [cell.value for cell in table.total]
    for note in [table.note, *table.notes]:
        if note:
            yield [str(note)]


def workbook_bytes(tables, filters):
    """One sheet per table, in a write-only workbook."""
    workbook, worksheet = new_workbook(tables[0].title if tables else _("Pilotage"))
    used = set()
    for index, table in enumerate(tables):
        if index:
            title = sheet_title(table.title)
            while title in used:
                title = sheet_title(f"{title[:28]} {index}")
            worksheet = workbook.create_sheet(title=title)
        used.add(worksheet.title)
        for row in table_rows(table, filters):
            worksheet.append(xlsx_row(worksheet, row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
