"""Journey (b): a professional filters the guide index, searches, reads and prints a guide."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force", verbosity=0)


def test_professional_filters_searches_reads_and_downloads(page, live_server, demo_site):
    page.goto(f"{live_server.url}/guides/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guides juridiques")

    # Filter by audience: magistrat·e·s see the guides aimed at them only.
    page.get_by_label("Public").select_option(label="Magistrat·e")
    page.get_by_role("button", name="Filtrer").click()
    results = page.locator("main article h2, main article h3")
    expect(results.filter(has_text="Les ressources du département")).to_have_count(1)
    expect(results.filter(has_text="Repérer les signes")).to_have_count(0)

    # Search a word with an accent.
    page.goto(f"{live_server.url}/guides/")
    page.get_by_label("Rechercher dans les guides").fill("procédure")
    page.get_by_role("button", name="Filtrer").click()
    link = page.get_by_role("link", name="Que faire et qui appeler ?")
    expect(link).to_be_visible()

    # Read the guide: table of contents, legal reference, contacts.
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Que faire et qui appeler ?")
    expect(page.get_by_text("Code de procédure pénale").first).to_be_visible()
    expect(page.get_by_text("119 — Allô enfance en danger")).to_be_visible()
    toc = page.get_by_role("navigation", name="Sommaire")
    toc.get_by_role("link", name="Que faire ?").click()
    assert page.url.endswith("#que-faire")

    # Download the PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename == "que-faire-qui-appeler.pdf"
    reader = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = "".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert "Que faire et qui appeler" in text
    assert "legifrance.gouv.fr" in text
