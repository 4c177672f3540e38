"""Journey (a): an editor writes a guide, a legal reviewer approves it, the public reads it."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.mfa import totp_code
from guides.models import GuideIndexPage, GuidePage
from tests.conftest import PASSWORD, TOTP_SECRET

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, url, email):
    page.goto(url + "/admin/")
    # The admin sends people to the one allauth login page.
    assert "/comptes/login/" in page.url
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # Staff have a second factor (accounts/mfa.py): the code of their authenticator app.
    page.get_by_label("Code").fill(totp_code(TOTP_SECRET))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(url + "/admin/")


def add_block(page, label):
    page.locator("[data-contentpath='body'] .c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def write_guide(page):
    page.locator("#id_title").fill("Mineur·e·s en fugue : que faire ?")
    page.locator("#id_summary").fill("Les démarches quand un·e mineur·e suivi·e est en fugue.")
    # Add every block first, then fill them: a date picker left open would cover the
    # « insert a block » buttons.
    add_block(page, "Référence juridique")
    add_block(page, "« Que faire ? » : étapes")
    add_block(page, "Contacts")
    page.locator("#body-0-value-code").fill("Code de l'action sociale et des familles")
    page.locator("#body-0-value-article").fill("L. 226-3")
    page.locator("#body-0-value-summary").fill("Rôle de la cellule de recueil (CRIP).")
    page.locator("#body-0-value-url").fill(
        "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006074069/"
    )
    page.locator("#body-0-value-in_force_on").fill("2026-11-01")
    page.locator("#body-0-value-in_force_on").press("Tab")
    expect(page.locator("#body-0-value-in_force_on")).to_have_value("2026-11-01")
    page.locator("#body-1-value-steps-0-value-title").fill("Prévenir la CRIP sans attendre")
    page.locator("#body-2-value-contacts-0-value-name").fill("Allô enfance en danger")
    page.locator("#body-2-value-contacts-0-value-phone").fill("119")
    page.get_by_role("tab", name="Promotion").click()
    page.get_by_role("button", name="Choisir éditeur").click()
    page.locator(".modal").get_by_role("link", name="Amicale du Nid").click()
    expect(page.locator(".modal")).to_be_hidden()
    expect(page.locator("#id_publisher")).not_to_have_value("")


def wait_for_autosave(page):
    """Let Wagtail 8's autosave finish before an action button is pressed.

    The editor autosaves half a second after each change; the first autosave of a new
    page creates it and points the form at the page's edit URL. A button pressed while
    that request is in flight posts the form to the « add » URL a second time, which
    Wagtail refuses (the slug now exists): a person is slower than a test, the test
    waits as a person would.
    """
    form = page.locator("form[data-edit-form]")
    expect(form).to_have_attribute("action", re.compile(r"/admin/pages/\d+/edit/"))
    indicator = page.locator("#w-autosave-indicator")
    expect(indicator).to_have_attribute("data-w-autosave-state-value", "saved")


def test_editor_submits_reviewer_approves_public_reads(browser, live_server, editor, reviewer):
    call_command("load_demo", verbosity=0)
    index = GuideIndexPage.objects.get()

    # The editor writes and submits: she cannot publish.
    editor_page = browser.new_context().new_page()
    log_in(editor_page, live_server.url, editor.email)
    editor_page.goto(f"{live_server.url}/admin/pages/add/guides/guidepage/{index.pk}/")
    write_guide(editor_page)
    wait_for_autosave(editor_page)
    editor_page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    expect(editor_page.get_by_role("button", name="Publier")).to_have_count(0)
    editor_page.get_by_role("button", name="Soumettre à Relecture juridique").click()
    expect(editor_page.locator(".messages")).to_contain_text("soumise")
    guide = GuidePage.objects.get(title="Mineur·e·s en fugue : que faire ?")
    assert not guide.live

    # Not public while in review.
    anonymous = browser.new_context().new_page()
    response = anonymous.goto(f"{live_server.url}/guides/{guide.slug}/")
    assert response.status == 404

    # The legal reviewer approves: the guide goes live.
    reviewer_page = browser.new_context().new_page()
    log_in(reviewer_page, live_server.url, reviewer.email)
    reviewer_page.goto(f"{live_server.url}/admin/pages/{guide.pk}/edit/")
    reviewer_page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    reviewer_page.get_by_role("button", name="Approuver", exact=True).click()
    expect(reviewer_page.locator(".messages")).to_contain_text("mise à jour")
    guide.refresh_from_db()
    assert guide.live

    # The public page and its PDF show the content.
    anonymous.goto(f"{live_server.url}/guides/{guide.slug}/")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(guide.title)
    expect(anonymous.get_by_text("Prévenir la CRIP sans attendre")).to_be_visible()
    expect(anonymous.get_by_text("Allô enfance en danger")).to_be_visible()
    with anonymous.expect_download() as download_info:
        anonymous.get_by_role("link", name="Télécharger le PDF").click()
    reader = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert "Mineur·e·s en fugue" in text
    assert "L. 226-3" in text
    # Long URLs wrap across lines in the PDF: compare without white space.
    assert "legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006074069" in "".join(text.split())
