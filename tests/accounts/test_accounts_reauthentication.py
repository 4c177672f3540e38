"""Reauthentication before changing an e-mail address or a second factor.

A signed-in session is not enough: the password (or, for accounts with a second
factor, a code) is asked again, and counts for five minutes (allauth's default).
"""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.mfa import totp_code
from tests.conftest import PASSWORD, TOTP_SECRET, make_user

pytestmark = pytest.mark.django_db

REAUTH = "/comptes/reauthenticate/"
NEW_EMAIL = {"action_add": "", "email": "nouvelle-adresse@example.org"}


def test_email_change_waits_for_the_password_then_goes_on(client, professional):
    client.force_login(professional)
    response = client.post(reverse("account_email"), NEW_EMAIL)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    assert not mail.outbox
    page = client.get(response["Location"])
    assert "<h1>Confirmez votre identité</h1>" in page.content.decode()

    wrong = client.post(response["Location"], {"password": "pas-le-bon-mdp"})
    assert wrong.status_code == 200
    assert not mail.outbox
    # The right password resumes the suspended change: the confirmation link leaves.
    client.post(response["Location"], {"password": PASSWORD})
    assert [m.to for m in mail.outbox] == [["nouvelle-adresse@example.org"]]
    professional.refresh_from_db()
    assert professional.email == "pro@example.org"  # until the new address is confirmed


def test_reauthentication_lasts_five_minutes(client, professional, monkeypatch):
    client.force_login(professional)
    client.post(REAUTH, {"password": PASSWORD})
    later = time.time() + 301
    monkeypatch.setattr("time.time", lambda: later)
    response = client.post(reverse("account_email"), NEW_EMAIL)
    assert response["Location"].startswith(REAUTH)
    assert not mail.outbox


def test_staff_with_mfa_can_change_their_address(client, editor):
    """allauth would refuse a new address to any account with MFA; staff must have it."""
    client.force_login(editor)
    client.post(REAUTH, {"password": PASSWORD})
    client.post(reverse("account_email"), NEW_EMAIL)
    assert [m.to for m in mail.outbox] == [["nouvelle-adresse@example.org"]]


@pytest.mark.parametrize(
    "url_name", ["mfa_activate_totp", "mfa_deactivate_totp", "mfa_generate_recovery_codes"]
)
def test_second_factor_pages_ask_again(client, django_user_model, url_name):
    has_totp = url_name != "mfa_activate_totp"
    user = make_user(django_user_model, "pro2@example.org", mfa=has_totp)
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH)
    # With a second factor, a code is offered as the other way.
    page = client.get(response["Location"]).content.decode()
    assert (reverse("mfa_reauthenticate") in page) is has_totp


def test_a_code_reauthenticates_staff(client, trainer):
    client.force_login(trainer)
    client.get(reverse("mfa_generate_recovery_codes"))
    page = client.get(reverse("mfa_reauthenticate"))
    html = page.content.decode()
    assert "<h1>Confirmez votre identité</h1>" in html
    assert 'autocomplete="one-time-code"' in html
    # The password stays offered as the other way (account/base_reauthenticate.html).
    assert "<h2>Autre moyen de confirmer</h2>" in html
    assert reverse("account_reauthenticate") in html
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(TOTP_SECRET)})
    assert client.get(reverse("mfa_generate_recovery_codes")).status_code == 200
    client.post(reverse("mfa_generate_recovery_codes"))
    assert Authenticator.objects.filter(user=trainer, type="recovery_codes").exists()


def test_no_reauthentication_by_code_sent_by_e_mail(client, professional):
    client.force_login(professional)
    assert client.get("/comptes/reauthenticate/code/").status_code in (403, 404)
