"""Journey: a worried professional walks the « Que faire ? » path to an outcome with the
keyboard only, changes an answer from the summary, does the same without JavaScript,
and downloads the one-page « fiche de transmission ». axe-core on every page."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from guides.models import OrientationOutcomeDailyCount
from tests.browser.axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force", verbosity=0)


def tab_to(page, text, href=None, limit=80):
    """Press Tab until the focused element's text starts with `text` (and its link is
    `href`, when given), then Enter."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused, link = page.evaluate(
            "[document.activeElement.innerText, document.activeElement.getAttribute('href')]"
        )
        if focused and focused.strip().startswith(text) and href in (None, link):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"« {text} » not reached with Tab on {page.url}")


def question(page):
    return page.locator(".orientation-step__question")


def test_professional_walks_to_an_outcome_with_the_keyboard(page, live_server, demo_site):
    page.goto(f"{live_server.url}/")
    tab_to(page, "Que faire ?")  # the main navigation
    assert page.url.endswith("/que-faire/")
    expect(question(page)).to_have_text("Le ou la jeune est-il·elle en danger immédiat ?")
    assert_accessible(page)

    tab_to(page, "Non, mais la situation m'inquiète")
    assert page.url.endswith("/que-faire/non/")
    expect(question(page)).to_have_text("Qu'est-ce qui vous inquiète ?")
    summary = page.get_by_role("region", name="Vos réponses")
    expect(summary).to_contain_text("Non, mais la situation m'inquiète")
    assert_accessible(page)

    tab_to(page, "Des signes qui font penser à de la prostitution")
    tab_to(page, "Il ou elle dit que « c'est son choix »")
    assert page.url.endswith("/que-faire/non/signes/c-est-son-choix/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("C'est mon choix")
    expect(page.get_by_role("heading", name="À faire maintenant")).to_be_visible()
    assert_accessible(page)

    # Printed: the outcome and the answers given, without navigation or buttons.
    page.emulate_media(media="print")
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(
        page.get_by_role("link", name="Télécharger la fiche de transmission (PDF)")
    ).to_be_hidden()
    expect(page.get_by_role("heading", name="À ne pas faire")).to_be_visible()
    expect(page.get_by_role("heading", name="Vos réponses")).to_be_visible()
    page.emulate_media(media="screen")

    # Change the second answer from the summary: back to that question, then elsewhere.
    tab_to(page, "Modifier", href="/que-faire/non/")
    assert page.url.endswith("/que-faire/non/"), page.url
    tab_to(page, "Le ou la jeune m'a confié des violences sexuelles")
    assert page.url.endswith("/que-faire/non/confidences/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("violences sexuelles")
    assert_accessible(page)

    # Back works: the path is in the URL.
    page.go_back()
    expect(question(page)).to_have_text("Qu'est-ce qui vous inquiète ?")

    assert OrientationOutcomeDailyCount.objects.filter(reached__gte=1).count() == 2


def test_professional_walks_without_javascript_and_gets_the_fiche(browser, live_server, demo_site):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/que-faire/")
    page.get_by_role("link", name="Non, mais la situation m'inquiète").click()
    page.get_by_role("link", name="Des signes qui font penser à de la prostitution").click()
    page.get_by_role("link", name="Il ou elle ne dit rien, ou nie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suspicion de prostitution")
    # Change the first answer.
    page.get_by_role(
        "link", name="Modifier : Le ou la jeune est-il·elle en danger immédiat ?"
    ).click()
    assert page.url.endswith("/que-faire/")
    page.get_by_role("link", name="Oui, en danger maintenant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Danger immédiat")
    expect(page.get_by_role("link", name="17", exact=True)).to_have_attribute("href", "tel:17")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la fiche de transmission (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "fiche-danger-immediat.pdf"
    reader = PdfReader(io.BytesIO(download.path().read_bytes()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Danger immédiat" in text
    assert "Noté par" in text
    context.close()
