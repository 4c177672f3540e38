"""« Mes données » pages: reauthentication, the JSON download, deletion by POST only."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models.sessions import RegistrationStatus
from tests.conftest import PASSWORD, make_user
from tests.sessions.registration_helpers import new_professional

from .privacy_helpers import full_history, upcoming_full_session

pytestmark = pytest.mark.django_db

REAUTH = "/comptes/reauthenticate/"
MY_DATA = "/espace/mes-donnees/"
JSON_EXPORT = "/espace/mes-donnees/json/"
DELETE = "/espace/mes-donnees/supprimer-mon-compte/"


def reauthenticated(client, user):
    client.force_login(user)
    response = client.post(REAUTH, {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def me(client, professional):
    return reauthenticated(client, professional)


def test_the_urls():
    assert reverse("account_my_data") == MY_DATA
    assert reverse("account_my_data_json") == JSON_EXPORT
    assert reverse("account_delete") == DELETE


@pytest.mark.parametrize("url", [MY_DATA, JSON_EXPORT, DELETE])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [MY_DATA, JSON_EXPORT, DELETE])
def test_a_signed_in_session_is_not_enough(client, professional, url):
    client.force_login(professional)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH}?next={url.replace('/', '%2F')}"
    page = client.get(response["Location"])
    assert "<h1>Confirmez votre identité</h1>" in page.content.decode()
    # The password resumes where the person was going.
    resumed = client.post(response["Location"], {"password": PASSWORD})
    assert resumed["Location"] == url


def test_the_page_shows_my_data(me, professional):
    full_history(professional)

    response = me.get(MY_DATA)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Mes données</h1>" in html
    for text in ("pro@example.org", "Camille", "CPE", "Session passée", "Session à venir"):
        assert text in html, text
    assert f'href="{JSON_EXPORT}"' in html and f'href="{DELETE}"' in html


def test_the_json_download(me, professional):
    full_history(professional)

    response = me.get(JSON_EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    filename = f"reperes-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "pro@example.org"
    assert len(data["certificates"]) == 2
    assert '"Professionnel·le"' in response.content.decode()  # readable UTF-8, no \\u escapes
    entry = ModelLogEntry.objects.get(action="reperes.data_export")
    assert entry.user_id == professional.pk
    assert entry.data == {"what": "personal_data", "format": "json", "count": 1}


def test_my_export_never_holds_another_persons_data(me, professional):
    other = new_professional(email="voisine@example.org", last_name="Voisine")
    full_history(other)
    full_history(professional)

    text = me.get(JSON_EXPORT).content.decode() + me.get(MY_DATA).content.decode()

    assert "voisine@example.org" not in text and "Voisine" not in text


def test_the_deletion_page_says_what_will_happen(me, professional):
    session, _seat, _waiting = upcoming_full_session(professional)

    response = me.get(DELETE)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Supprimer définitivement mon compte" in html
    assert session.title in html
    # Showing the page deletes nothing.
    assert type(professional).objects.filter(pk=professional.pk).exists()


def test_deletion_needs_the_box_ticked(me, professional):
    response = me.post(DELETE, {})

    assert response.status_code == 200
    assert "Cochez la case pour confirmer la suppression." in response.content.decode()
    assert type(professional).objects.filter(pk=professional.pk).exists()


def test_deleting_my_account_logs_me_out(me, professional):
    _session, _seat, waiting = upcoming_full_session(professional)

    response = me.post(DELETE, {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("account_deleted")
    # Its pages leave the browser's cache, as on logout.
    assert response["Clear-Site-Data"] == '"cache"'
    assert not type(professional).objects.filter(pk=professional.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    done = me.get(response["Location"])
    assert "Compte supprimé" in done.content.decode()
    assert "_auth_user_id" not in me.session
    assert me.get(reverse("courses:dashboard"))["Location"].startswith(reverse("account_login"))


def test_a_deletion_asked_without_a_recent_password_resumes_after_it(client, professional):
    client.force_login(professional)

    response = client.post(DELETE, {"confirm": "on"})

    assert response["Location"].startswith(REAUTH)
    assert type(professional).objects.filter(pk=professional.pk).exists()
    resumed = client.post(response["Location"], {"password": PASSWORD})
    assert resumed["Location"] == reverse("account_deleted")
    assert not type(professional).objects.filter(pk=professional.pk).exists()


def test_deletion_is_protected_against_csrf(professional):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(professional)
    # Reauthenticate through the form, with its token, like a browser would.
    page = browser.get(REAUTH)
    token = page.cookies["csrftoken"].value
    browser.post(REAUTH, {"password": PASSWORD, "csrfmiddlewaretoken": token})

    response = browser.post(DELETE, {"confirm": "on"})

    assert response.status_code == 403
    assert type(professional).objects.filter(pk=professional.pk).exists()
    # With the form's token, the same request goes through.
    accepted = browser.post(DELETE, {"confirm": "on", "csrfmiddlewaretoken": token})
    assert accepted["Location"] == reverse("account_deleted")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_delete_nothing(me, professional, method):
    response = getattr(me, method)(DELETE)
    assert response.status_code == 405
    assert type(professional).objects.filter(pk=professional.pk).exists()


def test_a_superuser_is_told_why_not(client, django_user_model):
    admin = make_user(django_user_model, "admin@example.org", is_superuser=True, is_staff=True)
    reauthenticated(client, admin)

    page = client.get(DELETE)
    refused = client.post(DELETE, {"confirm": "on"})

    assert "ne peut pas se supprimer lui-même" in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
    assert refused.status_code == 403
    assert django_user_model.objects.filter(pk=admin.pk).exists()


def test_the_deleted_page_is_the_same_for_everyone(client):
    response = client.get(reverse("account_deleted"))
    assert response.status_code == 200
    assert "Compte supprimé" in response.content.decode()


def test_mon_espace_and_the_profile_link_to_my_data(client, professional):
    client.force_login(professional)
    for url in (reverse("courses:dashboard"), reverse("account_profile")):
        assert f'href="{MY_DATA}"' in client.get(url).content.decode(), url
