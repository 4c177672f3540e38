"""The spreadsheet rule (core/spreadsheets.py), and the admin's reports that follow it.

The exports of each app are tested beside the app (guides, certificates, trainer);
here: the cells, the files, the dates, and the reports that are not ours — Wagtail's
site history and locked pages — plus the « Journal d'audit » built on them.
"""

import csv
import datetime
import decimal
import io
import zoneinfo

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.log_actions import LogContext
from wagtail.users.models import UserProfile

from accounts import roles
from core import spreadsheets
from tests.conftest import make_user
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory
from tests.spreadsheet_checks import (
    HOSTILE,
    assert_csv_inert,
    assert_french_dated_filename,
    assert_xlsx_inert,
    csv_rows,
    xlsx_cells,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AUDIT_URL = "/admin/rapports/journal-audit/"


def paris_today():
    return datetime.datetime.now(PARIS).date()


def zone_on_another_day():
    """A time zone whose date is not Paris's right now (one side of the world or the other)."""
    if datetime.datetime.now(PARIS).hour < 12:
        return "Pacific/Pago_Pago"  # UTC-11: still yesterday
    return "Pacific/Kiritimati"  # UTC+14: already tomorrow


# --- Cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_a_text_that_starts_a_formula_is_kept_behind_an_apostrophe_in_csv(value):
    assert spreadsheets.csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Camille", "Jean-Pierre", "l'école", "3 = 3", ""])
def test_other_texts_are_left_as_typed(value):
    assert spreadsheets.csv_cell(value) == value


def test_numbers_stay_numbers_negative_ones_too():
    lines = "".join(
        spreadsheets.csv_lines([["texte", -3, -2.5, decimal.Decimal("-1.50"), 0, None]])
    )
    # No apostrophe in front of a number, and the decimal comma of French spreadsheets.
    row = next(csv.reader(io.StringIO(lines.lstrip(spreadsheets.BOM)), delimiter=";"))
    assert row == ["texte", "-3", "-2,5", "-1,50", "0", ""]


def test_a_csv_is_utf8_with_a_bom_and_semicolons_and_keeps_accents():
    content = "".join(spreadsheets.csv_lines([["Prénom", "Structure"], ["Éloïse", "Collège"]]))
    encoded = content.encode("utf-8")
    assert encoded.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(encoded.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Prénom", "Structure"], ["Éloïse", "Collège"]]


def test_in_xlsx_texts_are_text_cells_without_an_apostrophe_and_numbers_are_numbers():
    issued = timezone.make_aware(datetime.datetime(2026, 7, 14, 8, 30), datetime.UTC)
    response = spreadsheets.xlsx_response(
        [["Valeur", "Nombre", "Heure"], *[[value, -3, issued] for value in HOSTILE]],
        filename="essai.xlsx",
        title="Essai",
    )
    cells = xlsx_cells(response)
    assert_xlsx_inert(cells)
    numbers = [cell for cell in cells if cell.column == 2 and cell.row > 1]
    assert {(cell.value, cell.data_type) for cell in numbers} == {(-3, "n")}
    times = {cell.value for cell in cells if cell.column == 3 and cell.row > 1}
    assert times == {timezone.make_naive(issued, PARIS)}  # Paris wall-clock time


def test_control_characters_do_not_break_an_xlsx():
    response = spreadsheets.xlsx_response(
        [["Prénom"], ["Ca\x00mi\x1bl\x08le"]], filename="essai.xlsx", title="Essai"
    )
    assert [cell.value for cell in xlsx_cells(response)] == ["Prénom", "Camille"]


# --- File names ------------------------------------------------------------------------------


def test_a_file_name_is_ascii_and_dated_in_paris_whatever_the_active_time_zone():
    with timezone.override(zone_on_another_day()):
        assert timezone.localdate() != paris_today()
        name = spreadsheets.dated_filename("Participant·e·s : Écouter", "csv")
    assert name == f"participantes-ecouter-{paris_today():%Y-%m-%d}.csv"
    assert name.isascii()


# --- Admin reports ---------------------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return make_user(django_user_model, "admin@example.org", is_superuser=True, is_staff=True)


@pytest.fixture
def hostile_people(django_user_model, coordinator):
    """Accounts whose first name is a formula; giving them a role is an audit entry."""
    trainers = Group.objects.get(name=roles.FORMATEUR)
    people = []
    for number, first_name in enumerate(HOSTILE):
        person = make_user(
            django_user_model,
            f"formule{number}@example.org",
            first_name=first_name,
            last_name="Lefèvre",
        )
        with LogContext(user=coordinator):
            person.groups.add(trainers)
        people.append(person)
    return people


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_audit_log_export_is_inert_french_and_in_paris_time(
    client, coordinator, hostile_people, export_format
):
    # The admin shows times in the zone each person picks; the file stays in Paris.
    profile = UserProfile.get_for_user(coordinator)
    profile.current_time_zone = zone_on_another_day()
    profile.save()
    client.force_login(coordinator)

    response = client.get(AUDIT_URL, {"export": export_format})

    assert response.status_code == 200
    assert_french_dated_filename(response, "journal-audit", export_format)
    if export_format == "csv":
        rows = csv_rows(response)
        assert_csv_inert(rows)
        assert any("Lefèvre" in cell for row in rows for cell in row)
    else:
        cells = xlsx_cells(response)
        assert_xlsx_inert(cells)
        assert any("Lefèvre" in str(cell.value) for cell in cells)
        latest = max(cell.value for cell in cells if isinstance(cell.value, datetime.datetime))
        assert latest.date() == paris_today()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_wagtails_site_history_export_follows_the_rule(
    client, superuser, hostile_people, export_format
):
    client.force_login(superuser)

    response = client.get("/admin/reports/site-history/", {"export": export_format})

    assert response.status_code == 200
    assert_french_dated_filename(response, "historique-du-site", export_format)
    if export_format == "csv":
        assert_csv_inert(csv_rows(response))
    else:
        assert_xlsx_inert(xlsx_cells(response))


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_wagtails_locked_pages_export_follows_the_rule(client, superuser, export_format):
    index = GuideIndexPageFactory()
    for title in HOSTILE:
        GuidePageFactory(
            parent=index, title=title, locked=True, locked_by=superuser, locked_at=timezone.now()
        )
    client.force_login(superuser)

    response = client.get("/admin/reports/locked/", {"export": export_format})

    assert response.status_code == 200
    assert_french_dated_filename(response, "pages-verrouillees", export_format)
    if export_format == "csv":
        assert_csv_inert(csv_rows(response))
    else:
        assert_xlsx_inert(xlsx_cells(response))


def test_every_wagtail_listing_exports_by_the_rule():
    """Wagtail's own mixin carries the rule, whatever view inherits it."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    for name in spreadsheets.RULE_ATTRIBUTES:
        assert (
            getattr(SpreadsheetExportMixin, name) is spreadsheets.SpreadsheetExport.__dict__[name]
        )


def test_openpyxl_reads_back_what_the_rule_wrote():
    """The readers used above see what a spreadsheet sees (guards the test helpers)."""
    workbook, worksheet = spreadsheets.new_workbook("Essai")
    worksheet.append(spreadsheets.xlsx_row(worksheet, ["=1+1"]))
    output = io.BytesIO()
    workbook.save(output)
    cell = openpyxl.load_workbook(io.BytesIO(output.getvalue())).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
