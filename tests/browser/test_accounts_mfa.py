"""Journeys: a trainer without a second factor logs in and enrols an authenticator app
before reaching the trainer area; a trainer with one logs in with its code, without
JavaScript. axe-core runs on the reauthentication, enrolment, recovery codes, MFA
overview and code pages.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts import roles
from accounts.mfa import totp_code
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD, TOTP_SECRET, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, base, email):
    page.goto(f"{base}/comptes/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_trainer_enrols_before_reaching_the_trainer_area(page, live_server, django_user_model):
    make_user(django_user_model, "formation@example.org", roles.FORMATEUR, mfa=False)
    base = live_server.url
    log_in(page, base, "formation@example.org")

    # Enrolment first asks for the password again, and says why.
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    expect(page.get_by_text("la double authentification y est obligatoire")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    heading = "Activer une application d'authentification"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_alt_text("QR code à scanner")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", name="Codes de récupération")).to_be_visible()
    assert page.locator("ul.recovery-codes li").count() == 10
    assert_accessible(page)

    page.goto(f"{base}/formateur/")
    expect(page.get_by_role("heading", name="Mes sessions")).to_be_visible()
    page.goto(f"{base}/comptes/2fa/")
    expect(page.get_by_text("Activée")).to_be_visible()
    assert_accessible(page)


def test_a_trainer_logs_in_with_a_code_without_javascript(browser, live_server, trainer):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    base = live_server.url
    log_in(page, base, trainer.email)

    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(TOTP_SECRET))
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{base}/formateur/")
    expect(page.get_by_role("heading", name="Mes sessions")).to_be_visible()
    context.close()


def test_the_code_page_is_accessible(page, live_server, trainer):
    log_in(page, live_server.url, trainer.email)
    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    assert_accessible(page)
