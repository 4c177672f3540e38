"""Journey: a trainer adds a security key (WebAuthn), then logs in with it instead of a code.

Chromium's virtual authenticator (DevTools protocol) stands in for the key. WebAuthn
needs a secure context: the live server is http://localhost, which browsers and fido2
accept as one; production serves HTTPS. axe-core runs on the key pages.
"""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from accounts.mfa import totp_code
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD, TOTP_SECRET

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def add_virtual_authenticator(page):
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session


def test_a_trainer_adds_a_security_key_and_logs_in_with_it(page, live_server, trainer):
    base = live_server.url
    add_virtual_authenticator(page)
    page.goto(f"{base}/comptes/login/")
    page.get_by_label("E-mail").fill(trainer.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # The trainer has an authenticator app (fixture) but types no code: the page also
    # offers a key, which this browser does not know yet.
    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    page.get_by_role("button", name="Utiliser une clé de sécurité").click()
    expect(page.get_by_role("alert")).to_contain_text("n'a pas pu être utilisée")

    page.get_by_label("Code").fill(totp_code(TOTP_SECRET))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(f"{base}/comptes/2fa/authenticate/")

    page.goto(f"{base}/comptes/2fa/")
    page.get_by_role("link", name="Ajouter une clé de sécurité").click()
    # Reauthentication first (by password here; a code is offered too).
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Ajouter une clé de sécurité")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom de la clé").fill("Clé du bureau")
    page.get_by_role("button", name="Ajouter la clé").click()
    expect(page.get_by_role("heading", name="Codes de récupération")).to_be_visible()
    key = Authenticator.objects.get(user=trainer, type=Authenticator.Type.WEBAUTHN)
    assert str(key) == "Clé du bureau"

    page.goto(f"{base}/comptes/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Clé du bureau", exact=True)).to_be_visible()
    assert_accessible(page)

    # Log out, log in again: the key instead of the code.
    page.get_by_role("navigation", name="Mon compte").get_by_role(
        "button", name="Se déconnecter"
    ).click()
    page.goto(f"{base}/comptes/login/")
    page.get_by_label("E-mail").fill(trainer.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert_accessible(page)
    page.get_by_role("button", name="Utiliser une clé de sécurité").click()
    expect(page).not_to_have_url(f"{base}/comptes/2fa/authenticate/")
    page.goto(f"{base}/formateur/")
    expect(page.get_by_role("heading", name="Mes sessions")).to_be_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None
