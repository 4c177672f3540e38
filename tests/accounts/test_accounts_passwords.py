"""Password rules (CNIL 2022-100, ASVS 2.1): length and blocklists, nothing else.

At least 12 characters, not a common password, not close to the person's e-mail
address or name; no composition rule (a long lower-case passphrase is fine) and no
forced renewal. Checked through the real pages: signup and password change.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "nouvelle@example.org",
    "first_name": "Clémence",
    "last_name": "Vasseur",
    "profession": "cpe",
    "organisation": "Collège Victor-Hugo",
    "workplace": "93008",
}


def sign_up(client, password):
    data = {**SIGNUP, "password1": password, "password2": password}
    return client.post(reverse("account_signup"), data)


def change_password(client, new_password, old_password=PASSWORD):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": old_password, "password1": new_password, "password2": new_password},
    )


def signup_refused(response):
    return response.status_code == 200 and not User.objects.filter(email=SIGNUP["email"]).exists()


@pytest.mark.parametrize(
    "password, reason",
    [
        ("courtmais1!", "11 characters"),
        ("password1234", "a common password (Django's list of 20,000)"),
        ("123qweasdzxc", "a common password"),
        ("nouvelle@example.org", "the e-mail address itself"),
        ("vasseur-1234", "close to the last name typed in the same form"),
        ("clemence2026", "close to the first name (accents aside)"),
    ],
)
def test_weak_passwords_are_refused_at_signup(client, password, reason):
    response = sign_up(client, password)
    assert signup_refused(response), reason
    assert 'role="alert"' in response.content.decode()


def test_a_short_password_is_refused_with_a_french_reason(client):
    html = sign_up(client, "court-42").content.decode()
    assert "12 caractères" in html


def test_a_long_lower_case_passphrase_is_accepted(client):
    """No composition rule: no digit, capital or symbol is required."""
    response = sign_up(client, "le chat dort sur la terrasse")
    assert response.status_code == 302
    assert User.objects.filter(email=SIGNUP["email"]).exists()


def test_password_change_applies_the_same_rules(client, professional):
    client.force_login(professional)
    for weak in ("trop-court", "password1234", "pro@example.org", "camillemartin"):
        assert change_password(client, weak).status_code == 200, weak
        professional.refresh_from_db()
        assert professional.check_password(PASSWORD)
    assert change_password(client, "une phrase de passe sans chiffres").status_code == 302


def test_password_change_asks_for_the_current_password(client, professional):
    """The current password is the reauthentication of this page."""
    client.force_login(professional)
    response = change_password(client, "une phrase de passe sans chiffres", "pas-le-bon-mdp")
    assert response.status_code == 200
    professional.refresh_from_db()
    assert professional.check_password(PASSWORD)


def test_no_forced_renewal(client, professional):
    """A password set three years ago still signs in, straight to where one was going."""
    User.objects.filter(pk=professional.pk).update(
        date_joined=timezone.now() - timedelta(days=3 * 365),
        last_login=timezone.now() - timedelta(days=2 * 365),
    )
    response = client.post(
        reverse("account_login") + "?next=/espace/",
        {"login": professional.email, "password": PASSWORD, "next": "/espace/"},
    )
    assert response["Location"] == "/espace/"
    assert client.get("/espace/").status_code == 200
    validators = " ".join(v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS)
    assert "Expir" not in validators and "History" not in validators
