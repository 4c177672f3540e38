"""Journey: Coordination opens the dashboard, filters by commune, downloads the XLSX,
asks for the PDF bilan and downloads it from its status page (issue 14)."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from pilotage.dimensions import user_has_field
from tests.browser.axe import violations
from tests.pilotage.conftest import history  # noqa: F401 (the hand-counted history)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN_VIEW = "[data-reperes-admin-view]"


def place(users, commune):
    for user in users:
        user.workplace_commune = commune
        user.workplace_departement = "93"
        user.save(update_fields=["workplace_commune", "workplace_departement"])


def test_coordination_filters_by_commune_and_downloads_the_reports(
    page,
    live_server,
    logged_in,
    coordinator,
    history,  # noqa: F811
):
    if not user_has_field("workplace_commune"):
        pytest.skip("User.workplace_commune (i14-profile) is not merged")
    from accounts.communes import COMMUNES

    bobigny = next(code for code, name in COMMUNES.items() if name == "Bobigny")
    montreuil = next(code for code, name in COMMUNES.items() if name == "Montreuil")
    place(history.users[:6], bobigny)
    place(history.users[6:], montreuil)
    logged_in(coordinator)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Pilotage").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilotage")

    # The year 2026, then only the people working in Bobigny.
    page.get_by_label("Du", exact=True).fill("2026-01-01")
    page.get_by_label("Au", exact=True).fill("2026-12-31")
    page.get_by_label("Commune d'exercice", exact=True).select_option(label="Bobigny")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(f"commune={bobigny}"))
    people = page.locator("#tableau-personnes")
    # u1–u6 work in Bobigny: 6 people trained, the returning one hidden « < 5 ».
    expect(people.locator("tfoot")).to_contain_text("6")
    expect(people.locator("tbody")).to_contain_text("< 5")
    chart = page.locator("#tableau-mois svg[role=img]")
    expect(chart).to_have_attribute("aria-labelledby", "graphique-mois-titre graphique-mois-desc")
    assert violations(page, ADMIN_VIEW, skipped=["color-contrast-enhanced"]) == []

    # The XLSX of every table, with the same filters.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tous les tableaux (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("pilotage-tout-")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    first = [cell.value for cell in next(workbook.worksheets[0].iter_rows())]
    assert first[0] == "Personnes formées : nouvelles et déjà formées"

    # The bilan for the steering committee: asked, rendered by the task (at once with
    # the ImmediateBackend of the tests), then downloaded from its status page.
    page.get_by_role("button", name="Préparer le bilan PDF").click()
    expect(page).to_have_url(re.compile(r"/admin/pilotage/bilan/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan PDF")
    assert violations(page, ADMIN_VIEW, skipped=["color-contrast-enhanced"]) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le bilan (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("bilan-pilotage-")
    with open(download.path(), "rb") as handle:
        text = " ".join(sheet.extract_text() for sheet in PdfReader(handle).pages)
    assert "Bilan du plan de formation" in text
    # The filters that applied: only Bobigny's people, in 2026.
    from pilotage.models import BilanReport

    assert BilanReport.objects.get().filters == {
        "commune": bobigny,
        "start": "2026-01-01",
        "end": "2026-12-31",
    }
