"""Profile page and the update_profile service."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts import services
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PROFILE_URL = "/comptes/profil/"

VALID = {
    "first_name": "Camille",
    "last_name": "Martin-Lefèvre",
    "profession": "educateur",
    "organisation": "Service d'AEMO",
    "sector": "ase_departement",
    "workplace": "93008",
    "workplace_departement_number": "",
}


def test_url_name():
    assert reverse("account_profile") == PROFILE_URL


def test_login_required(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_profile_shows_own_data_only(client, django_user_model, professional):
    make_user(
        django_user_model,
        "autre@example.org",
        first_name="Dominique",
        last_name="Zorglub",
        organisation="Lycée Secret",
        workplace_departement="2B",
    )
    professional.organisation = "Collège Pablo Neruda"
    professional.save()
    client.force_login(professional)
    response = client.get(PROFILE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Collège Pablo Neruda" in html
    assert "pro@example.org" in html
    for other in ["Dominique", "Zorglub", "Lycée Secret", "2B", "autre@example.org"]:
        assert other not in html
    assert reverse("account_email") in html
    assert reverse("account_change_password") in html
    assert 'autocomplete="family-name"' in html


def test_profile_page_query_count(client, professional, django_assert_max_num_queries):
    client.force_login(professional)
    # Session and user, plus what the site shell (settings, userbar) needs.
    with django_assert_max_num_queries(10):
        client.get(PROFILE_URL)


def test_profile_edit_post_redirect_get(client, professional):
    client.force_login(professional)
    response = client.post(PROFILE_URL, {**VALID, "organisation": "  Service  d'AEMO "})
    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Votre profil a été enregistré."
    ]
    professional.refresh_from_db()
    assert professional.last_name == "Martin-Lefèvre"
    assert professional.profession == "educateur"
    assert professional.organisation == "Service d'AEMO"
    assert professional.sector == "ase_departement"
    assert (professional.workplace_commune, professional.workplace_departement) == ("93008", "93")


def test_profile_edit_cannot_touch_other_fields(client, professional):
    client.force_login(professional)
    client.post(
        PROFILE_URL,
        {**VALID, "email": "pirate@example.org", "is_staff": "on", "is_superuser": "on"},
    )
    professional.refresh_from_db()
    assert professional.email == "pro@example.org"
    assert not professional.is_staff and not professional.is_superuser


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"last_name": ""}, "last_name", "required"),
        ({"profession": "astronaute"}, "profession", "invalid_choice"),
        ({"organisation": "o" * 201}, "organisation", "max_length"),
        # Names are printed on certificates: the field limit keeps them printable.
        ({"last_name": "N" * 300}, "last_name", "max_length"),
        ({"first_name": "P" * 300}, "first_name", "max_length"),
        ({"first_name": "Cam\x07ille"}, "first_name", "control_characters"),
        ({"sector": "pirate"}, "sector", "invalid_choice"),
        ({"workplace": "75056"}, "workplace", "invalid_choice"),
        ({"workplace": "w" * 5000}, "workplace", "invalid_choice"),
        ({"workplace": "hors"}, "workplace_departement_number", "departement_missing"),
        (
            {"workplace": "hors", "workplace_departement_number": "93"},
            "workplace_departement_number",
            "departement_93",
        ),
        (
            {"workplace": "hors", "workplace_departement_number": "d" * 5000},
            "workplace_departement_number",
            "unknown_departement",
        ),
    ],
)
def test_profile_edit_bad_input(client, professional, overrides, field, code):
    client.force_login(professional)
    response = client.post(PROFILE_URL, {**VALID, **overrides})
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert f'id="id_{field}_error"' in response.content.decode()
    professional.refresh_from_db()
    assert professional.last_name == "Martin"
    assert (professional.sector, professional.workplace_departement) == ("", "")


SERVICE_DATA = {
    **{name: VALID[name] for name in ("first_name", "last_name", "profession", "organisation")},
    "sector": "ase_departement",
    "workplace_commune": "93008",
    "workplace_departement": "93",
}


def test_update_profile_is_logged_and_idempotent(professional):
    changed = services.update_profile(professional, **SERVICE_DATA)
    assert set(changed) == {
        "last_name",
        "profession",
        "organisation",
        "sector",
        "workplace_commune",
        "workplace_departement",
    }
    entries = ModelLogEntry.objects.filter(action="reperes.profile_update")
    assert entries.count() == 1
    # Field names only: no personal values in the log.
    assert entries.get().data == {"fields": changed}

    assert services.update_profile(professional, **SERVICE_DATA) == []
    assert entries.count() == 1


def test_update_profile_refuses_other_fields(professional):
    with pytest.raises(services.AccountError) as excinfo:
        services.update_profile(professional, email="x@example.org")
    assert excinfo.value.code == "unknown_field"


def test_update_profile_validates(professional):
    with pytest.raises(services.AccountError) as excinfo:
        services.update_profile(professional, profession="astronaute")
    assert excinfo.value.code == "invalid_profile"
    professional.refresh_from_db()
    assert professional.profession == "cpe"


def test_profile_edit_hors_departement_then_back_to_a_commune(client, professional):
    client.force_login(professional)
    client.post(PROFILE_URL, {**VALID, "workplace": "hors", "workplace_departement_number": "971"})
    professional.refresh_from_db()
    assert (professional.workplace_commune, professional.workplace_departement) == ("", "971")
    html = client.get(PROFILE_URL).content.decode()
    assert '<option value="hors" selected>' in html
    assert 'value="971"' in html

    client.post(PROFILE_URL, {**VALID, "workplace_departement_number": "971"})
    professional.refresh_from_db()
    assert (professional.workplace_commune, professional.workplace_departement) == ("93008", "93")

    client.post(PROFILE_URL, {**VALID, "sector": "", "workplace": ""})
    professional.refresh_from_db()
    assert (professional.sector, professional.workplace_commune) == ("", "")
    assert professional.workplace_departement == ""
