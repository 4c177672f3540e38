"""The « Guides à revoir » admin report."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.spreadsheet_checks import (
    HOSTILE,
    assert_csv_inert,
    assert_french_dated_filename,
    assert_xlsx_inert,
    csv_rows,
    xlsx_cells,
)


def test_report_lists_guides_due_within_30_days(make_guide, coordinator, client):
    today = timezone.localdate()
    make_guide(title="En retard", next_review_due=today - datetime.timedelta(days=3))
    make_guide(title="Bientôt", next_review_due=today + datetime.timedelta(days=30))
    make_guide(title="Plus tard", next_review_due=today + datetime.timedelta(days=31))
    make_guide(title="Sans date", next_review_due=None)
    assert client.login(email=coordinator.email, password=PASSWORD)
    response = client.get(reverse("guides_to_review"))
    assert response.status_code == 200
    assert [guide.title for guide in response.context["object_list"]] == ["En retard", "Bientôt"]
    assert "dépassée" in response.content.decode()


def test_report_exports_csv(make_guide, reviewer, client):
    due = timezone.localdate() + datetime.timedelta(days=5)
    make_guide(title="À relire", next_review_due=due)
    assert client.login(email=reviewer.email, password=PASSWORD)
    response = client.get(reverse("guides_to_review"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))  # French spreadsheets
    assert rows[0][0] == "Guide"
    assert rows[1][0] == "À relire"
    assert rows[1][1] == "Observatoire départemental"
    assert due.isoformat() in rows[1][3]


def test_report_exports_xlsx(make_guide, editor, client):
    make_guide(next_review_due=timezone.localdate())
    assert client.login(email=editor.email, password=PASSWORD)
    response = client.get(reverse("guides_to_review"), {"export": "xlsx"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_report_export_is_inert_for_formula_titles(make_guide, editor, client, export_format):
    for title in HOSTILE:
        make_guide(title=title, next_review_due=timezone.localdate())
    make_guide(title="Écouter l'élève", next_review_due=timezone.localdate())
    assert client.login(email=editor.email, password=PASSWORD)

    response = client.get(reverse("guides_to_review"), {"export": export_format})

    assert response.status_code == 200
    assert_french_dated_filename(response, "guides-a-revoir", export_format)
    if export_format == "csv":
        rows = csv_rows(response)
        assert_csv_inert(rows)
        assert "Écouter l'élève" in [row[0] for row in rows]
    else:
        cells = xlsx_cells(response)
        assert_xlsx_inert(cells)
        assert "Écouter l'élève" in {cell.value for cell in cells}


def test_report_is_in_the_reports_menu(guide_index, editor, client):
    assert client.login(email=editor.email, password=PASSWORD)
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("guides_to_review") in response.content.decode()


def test_report_is_not_public(client, professional):
    assert client.get(reverse("guides_to_review")).status_code == 302
    client.force_login(professional)
    assert client.get(reverse("guides_to_review")).status_code in (302, 403)
