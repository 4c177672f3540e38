"""Password reset by key, without revealing which addresses have an account."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import roles
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

RESET_URL = "/comptes/password/reset/"


def without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def request_reset(email):
    client = Client()
    response = client.post(RESET_URL, {"email": email})
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return response, page


def test_known_and_unknown_addresses_get_the_same_response(django_user_model):
    make_user(django_user_model, "connue@example.org", roles.PROFESSIONNEL)

    known, known_page = request_reset("connue@example.org")
    unknown, unknown_page = request_reset("inconnue@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert known_page.templates[0].name == unknown_page.templates[0].name
    assert without_csrf(known_page.content.decode()) == without_csrf(unknown_page.content.decode())
    assert "Si un compte existe pour cette adresse" in known_page.content.decode()
    # Only the account holder receives something.
    assert [m.to for m in mail.outbox] == [["connue@example.org"]]
    assert mail.outbox[0].subject == "[Repères] Réinitialisation de votre mot de passe"


def test_reset_by_key_sets_the_new_password(client, django_user_model):
    user = make_user(django_user_model, "connue@example.org", roles.PROFESSIONNEL)
    client.post(RESET_URL, {"email": "connue@example.org"})
    body = mail.outbox[0].body
    assert "L'équipe Repères" in body
    link = re.search(r"http://testserver(/comptes/password/reset/key/\S+/)", body).group(1)

    # allauth moves the key out of the URL into the session, then shows the form.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    action_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new_password = "une toute nouvelle phrase 2026"
    response = client.post(action_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert not user.check_password(PASSWORD)
    # A notification tells the holder the password changed.
    assert mail.outbox[-1].subject == "[Repères] Mot de passe réinitialisé"

    # The key is single-use.
    response = client.get(link, follow=True)
    assert "Lien non valide" in response.content.decode()


def test_reset_form_rejects_a_short_password(client, django_user_model):
    make_user(django_user_model, "connue@example.org", roles.PROFESSIONNEL)
    client.post(RESET_URL, {"email": "connue@example.org"})
    link = re.search(r"http://testserver(/comptes/password/reset/key/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    action_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    response = client.post(action_url, {"password1": "court", "password2": "court"})
    assert response.status_code == 200
    assert response.context["form"].has_error("password1", "password_too_short")
