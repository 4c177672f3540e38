"""Journey: a professional opens « Mes données », downloads them, and deletes the account.

The password is asked again before the page (reauthentication), the JSON file is a
download, and deletion takes an explicit confirmation; the person ends logged out,
their seat given to the waiting list. axe-core runs on every page of the way.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from courses.models.sessions import RegistrationStatus
from tests.accounts.privacy_helpers import upcoming_full_session
from tests.browser.axe import assert_accessible
from tests.certificates.helpers import complete_module
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_professional_downloads_their_data_then_deletes_the_account(
    page, live_server, logged_in, professional
):
    base = live_server.url
    complete_module(professional, title="Repérer les signaux faibles")
    session, _seat, waiting = upcoming_full_session(professional)
    logged_in(professional)

    # « Mon espace » leads to « Mes données »; the password is asked again first.
    page.goto(f"{base}/espace/")
    page.get_by_role("region", name="Mes données").get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre identité")
    assert_accessible(page)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    expect(page.get_by_role("region", name="Mon compte", exact=True)).to_contain_text(
        "pro@example.org"
    )
    expect(page.get_by_role("region", name="Formations en ligne")).to_contain_text(
        "Repérer les signaux faibles"
    )
    expect(page.get_by_role("region", name="Sessions en présentiel")).to_contain_text(session.title)
    assert_accessible(page)

    # The JSON file is a download named after the day.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mes données (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == (
        f"reperes-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    )
    with open(download.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["account"]["email"] == "pro@example.org"
    assert [c["title"] for c in data["certificates"]] == ["Repérer les signaux faibles"]

    # Deletion: the page says what will happen; nothing goes without the box ticked.
    page.get_by_role("link", name="Supprimer mon compte…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    expect(page.locator(".callout--warning")).to_contain_text(session.title)
    assert_accessible(page)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case")
    assert get_user_model().objects.filter(pk=professional.pk).exists()
    assert_accessible(page)

    page.get_by_label(re.compile("Je demande la suppression définitive")).check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Compte supprimé")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page)
    assert not get_user_model().objects.filter(pk=professional.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED

    # Logged out: « Mon espace » now asks to log in.
    page.goto(f"{base}/espace/")
    expect(page).to_have_url(re.compile(r"/comptes/login/\?next=/espace/"))


def test_everything_works_without_javascript(browser, live_server, professional):
    """Links and plain forms only: reauthentication, the page and deletion need no script."""
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/comptes/login/?next=/espace/mes-donnees/")
    page.get_by_label("E-mail").fill("pro@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre identité")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")

    page.get_by_role("link", name="Supprimer mon compte…").click()
    page.get_by_label(re.compile("Je demande la suppression définitive")).check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Compte supprimé")
    assert not get_user_model().objects.filter(pk=professional.pk).exists()
    context.close()
