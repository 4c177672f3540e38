"""Signup: profile fields, mandatory verification, default role, bad input."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import User
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/comptes/signup/"


def signup_data(**overrides):
    data = {
        "email": "Nouvelle.Personne@Example.org",
        "first_name": "  Inès ",
        "last_name": "Benali",
        "profession": "infirmier-scolaire",
        "organisation": "Collège  Jean Moulin",
        "sector": "education_nationale",
        "workplace": "93066",
        "workplace_departement_number": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def confirmation_link(message):
    match = re.search(r"https?://testserver(/comptes/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_page_is_french_and_accessible(client):
    response = client.get(SIGNUP_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Créer un compte" in html
    for name, autocomplete in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("organisation", "organization"),
        ("email", "email"),
        ("password1", "new-password"),
    ]:
        assert f'<label class="field__label" for="id_{name}">' in html
        assert re.search(rf'name="{name}"[^>]*autocomplete="{autocomplete}"', html) or re.search(
            rf'autocomplete="{autocomplete}"[^>]*name="{name}"', html
        ), name
    assert 'aria-describedby="id_organisation_helptext"' in html
    assert "Enseignant·e" in html and "Policier·e / gendarme" in html
    # Rendered inside the site shell.
    assert 'id="contenu"' in html


def test_signup_full_flow(client):
    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="nouvelle.personne@example.org")
    assert (user.first_name, user.last_name) == ("Inès", "Benali")
    assert user.profession == "infirmier-scolaire"
    assert user.organisation == "Collège Jean Moulin"
    assert user.sector == "education_nationale"
    assert (user.workplace_commune, user.workplace_departement) == ("93066", "93")
    assert user.profile_prompt_answered_at is None
    assert list(user.groups.values_list("name", flat=True)) == [roles.PROFESSIONNEL]
    assert not EmailAddress.objects.get(user=user).verified
    # Mandatory verification: not signed in yet.
    assert "_auth_user_id" not in client.session

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.personne@example.org"]
    assert message.subject == "[Repères] Activez votre compte"
    assert "L'équipe Repères" in message.body

    link = confirmation_link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer l'adresse e-mail" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_refused_before_verification(client):
    client.post(SIGNUP_URL, signup_data())
    response = client.post(
        reverse("account_login"), {"login": "nouvelle.personne@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_optional_sector_and_workplace(client):
    response = client.post(SIGNUP_URL, signup_data(sector="", workplace=""))
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.personne@example.org")
    assert (user.sector, user.workplace_commune, user.workplace_departement) == ("", "", "")


def test_signup_outside_the_departement(client):
    response = client.post(
        SIGNUP_URL, signup_data(workplace="hors", workplace_departement_number=" 2a ")
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.personne@example.org")
    assert (user.workplace_commune, user.workplace_departement) == ("", "2A")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"last_name": "   "}, "last_name", "required"),
        ({"first_name": ""}, "first_name", "required"),
        ({"profession": "pirate"}, "profession", "invalid_choice"),
        ({"profession": ""}, "profession", "required"),
        ({"organisation": "x" * 201}, "organisation", "max_length"),
        ({"organisation": "Lycée\u202eabc"}, "organisation", "control_characters"),
        ({"first_name": "Ana\x00is"}, "first_name", "control_characters"),
        ({"last_name": "Martin\nDurand"}, "last_name", "control_characters"),
        ({"sector": "pirate"}, "sector", "invalid_choice"),
        ({"workplace": "75056"}, "workplace", "invalid_choice"),
        ({"workplace": "x" * 5000}, "workplace", "invalid_choice"),
        ({"workplace": "hors"}, "workplace_departement_number", "departement_missing"),
        (
            {"workplace": "hors", "workplace_departement_number": "93"},
            "workplace_departement_number",
            "departement_93",
        ),
        (
            {"workplace": "hors", "workplace_departement_number": "9" * 5000},
            "workplace_departement_number",
            "unknown_departement",
        ),
        ({"password1": "court-1", "password2": "court-1"}, "password1", "password_too_short"),
        ({"email": "pas-une-adresse"}, "email", "invalid"),
    ],
)
def test_signup_bad_input(client, overrides, field, code):
    response = client.post(SIGNUP_URL, signup_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, code), form.errors.as_data()
    html = response.content.decode()
    # The error is shown next to its field and tied to it for screen readers.
    assert f'id="id_{field}_error"' in html
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', html)
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_errors_are_french(client):
    response = client.post(SIGNUP_URL, signup_data(last_name="", password2="autre-mot-de-passe-42"))
    html = response.content.decode()
    assert "Champ requis." in html or "Ce champ est obligatoire." in html
    assert "Vous devez saisir deux fois le même mot de passe." in html


def test_password_validators_are_configured():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        validate_password("abcdefghijk")  # 11 characters
    assert "password_too_short" in [e.code for e in excinfo.value.error_list]
    validate_password("une phrase de passe 2026")


def test_duplicate_email_gets_the_same_response(django_user_model):
    existing = make_user(django_user_model, "deja@example.org", roles.PROFESSIONNEL)

    pages = {}
    for email in ["nouvelle@example.org", "deja@example.org"]:
        client = Client()
        response = client.post(SIGNUP_URL, signup_data(email=email.upper()))
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert page.templates[0].name == "account/verification_sent.html"
        pages[email] = without_csrf(page.content.decode()).replace(email, "ADRESSE")
    assert pages["nouvelle@example.org"] == pages["deja@example.org"]

    # One message each, to the address typed in: activation vs. "you already have an account".
    assert [m.to for m in mail.outbox] == [["nouvelle@example.org"], ["deja@example.org"]]
    assert mail.outbox[1].subject == "[Repères] Vous avez déjà un compte"
    assert "/comptes/password/reset/" in mail.outbox[1].body
    # The existing account is untouched, no duplicate is created.
    assert User.objects.filter(email__iexact="deja@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "Camille"


def test_invalid_confirmation_link(client):
    response = client.get("/comptes/confirm-email/cle-inexistante/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce lien de confirmation a expiré ou n'est pas valide." in html
    assert reverse("account_login") in html
