"""Login page, logout by POST only, password change."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_the_site_shell(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Se connecter</h1>" in html
    assert 'id="contenu"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert '<label class="field__label" for="id_login">' in html
    assert reverse("account_reset_password") in html
    assert reverse("account_signup") in html


def test_login_with_email(client, professional):
    response = client.post(
        reverse("account_login"), {"login": "PRO@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(professional.pk)


def test_wrong_password_is_refused_in_french(client, professional):
    response = client.post(
        reverse("account_login"), {"login": "pro@example.org", "password": "mauvais-mot-de-passe"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "incorrect" in html
    assert "_auth_user_id" not in client.session


def test_logout_get_asks_for_confirmation(client, professional):
    client.force_login(professional)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voulez-vous vraiment vous déconnecter ?" in html
    assert 'method="post"' in html
    assert client.session["_auth_user_id"] == str(professional.pk)


def test_logout_post_logs_out(client, professional):
    client.force_login(professional)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, professional):
    client.force_login(professional)
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200
    assert "Changer de mot de passe" in page.content.decode()
    new_password = "encore une autre phrase 42"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.check_password(new_password)
    assert [m.subject for m in mail.outbox] == ["[Repères] Mot de passe modifié"]


def test_email_page_renders(client, professional):
    client.force_login(professional)
    response = client.get(reverse("account_email"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "pro@example.org" in html
    assert 'id="contenu"' in html


def test_email_change_needs_verification(client, professional):
    client.force_login(professional)
    # A change of address first asks for the password again (test_accounts_reauthentication).
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "nouvelle-adresse@example.org"}
    )
    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.email == "pro@example.org"
    assert mail.outbox[-1].to == ["nouvelle-adresse@example.org"]
    assert mail.outbox[-1].subject == "[Repères] Confirmez votre adresse e-mail"


def test_the_login_page_offers_the_password_reset_once(client):
    html = client.get(reverse("account_login")).content.decode()
    assert html.count("Mot de passe oublié ?") == 1
    assert html.count(f'href="{reverse("account_reset_password")}"') == 1
