"""Two-factor authentication: required for staff, open to professionals (accounts/mfa.py)."""

import re
from time import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from accounts.mfa import totp_code
from tests.conftest import PASSWORD, TOTP_SECRET, make_user
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

ENROL = "/comptes/2fa/totp/activate/"
# One page of each staff area: Wagtail's admin (pages, certificates, account) and the
# trainer area.
STAFF_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/certificats/",
    "/admin/account/",
    "/formateur/",
    "/formateur/sessions/nouvelle/",
]
STAFF_KINDS = [
    {"role": roles.FORMATEUR},
    {"role": roles.REDACTEUR},
    {"role": roles.RELECTEUR_JURIDIQUE},
    {"role": roles.COORDINATION},
    {"is_superuser": True, "is_staff": True},
]


def staff_without_mfa(django_user_model, email="equipe@example.org", **kind):
    return make_user(django_user_model, email, mfa=False, **kind)


def log_in_with_password(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


# --- Staff without a second factor -------------------------------------------------------


@pytest.mark.parametrize("kind", STAFF_KINDS, ids=lambda kind: kind.get("role", "superuser"))
def test_staff_without_authenticator_reach_no_staff_page(client, django_user_model, kind):
    client.force_login(staff_without_mfa(django_user_model, **kind))
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == ENROL, path
        # A POST (a form of the trainer area) is turned away just the same.
        assert client.post(path, {}).status_code == 302, path
    page = client.get(ENROL, follow=True)
    assert "la double authentification y est obligatoire" in page.content.decode()


def test_pages_to_enrol_log_out_and_read_legal_pages_stay_open(client, django_user_model):
    StandardPageFactory(title="Mentions légales", slug="mentions-legales")
    client.force_login(staff_without_mfa(django_user_model, role=roles.COORDINATION))
    for path in ["/", "/mentions-legales/", "/comptes/profil/", "/comptes/2fa/", "/admin/logout/"]:
        assert client.get(path).status_code == 200, path
    # Enrolment first asks for the password again, then shows the QR code.
    assert client.get(ENROL)["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_enrol_through_the_pages_then_reach_their_page(client, django_user_model):
    staff_without_mfa(django_user_model, role=roles.FORMATEUR)
    # Straight after the password, the login sends staff to enrolment.
    assert log_in_with_password(client, "equipe@example.org")["Location"] == ENROL
    assert client.get("/formateur/")["Location"] == ENROL
    reauthenticate(client)
    page = client.get(ENROL).content.decode()
    assert "<h1>Activer une application d'authentification</h1>" in page, page[
        page.find("<main") :
    ][:1500]
    secret = re.search(r'<code id="authenticator_secret">([A-Z2-7]+)</code>', page).group(1)

    refused = client.post(ENROL, {"code": "000000"})
    assert refused.status_code == 200
    assert 'role="alert"' in refused.content.decode()
    response = client.post(ENROL, {"code": totp_code(secret)})
    assert response.status_code == 302
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    html = codes.content.decode()
    assert "Codes de récupération" in html
    assert 'href="/formateur/"' in html  # « Continuer vers la page demandée »
    assert client.get("/formateur/").status_code == 200


def test_a_new_staff_role_or_a_removed_authenticator_closes_staff_pages(client, professional):
    """What the middleware keeps in the cache follows groups and authenticators."""
    client.force_login(professional)
    assert client.get("/formateur/").status_code == 404  # not a trainer: no such page
    professional.groups.add(Group.objects.get(name=roles.FORMATEUR))
    assert client.get("/formateur/")["Location"] == ENROL
    totp = Authenticator.objects.create(
        user=professional, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    assert client.get("/formateur/").status_code == 200
    totp.delete()
    assert client.get("/formateur/")["Location"] == ENROL


def test_admin_access_from_another_group_needs_a_second_factor_too(client, django_user_model):
    readers = Group.objects.create(name="Lecture seule")
    readers.permissions.add(Permission.objects.get(codename="access_admin"))
    reader = make_user(django_user_model, "lecture@example.org")
    reader.groups.add(readers)
    client.force_login(reader)
    assert client.get("/admin/")["Location"] == ENROL


def test_staff_cannot_remove_their_last_second_factor(client, trainer):
    client.force_login(trainer)
    client.get(reverse("mfa_deactivate_totp"))
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(TOTP_SECRET)})
    page = client.get(reverse("mfa_deactivate_totp"))
    assert page.status_code == 200
    assert "obligatoire pour les comptes de l&#x27;équipe" in page.content.decode()
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=trainer, type="totp").exists()
    assert client.get("/formateur/").status_code == 200


# --- Staff with a second factor ------------------------------------------------------------


def test_staff_log_in_through_the_form_with_a_code(client, trainer):
    client.get(reverse("account_login"))
    anonymous_key = client.session.session_key
    response = log_in_with_password(client, trainer.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the code
    page = client.get(reverse("mfa_authenticate"))
    html = page.content.decode()
    assert "<h1>Double authentification</h1>" in html
    assert 'autocomplete="one-time-code"' in html

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(trainer.pk)
    assert client.session.session_key != anonymous_key  # no session fixation
    assert client.get("/formateur/").status_code == 200


def test_a_code_works_once(client, trainer):
    code = totp_code(TOTP_SECRET)
    log_in_with_password(client, trainer.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    log_in_with_password(client, trainer.email)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_previous_code_is_accepted_an_older_one_is_not(client, trainer):
    """One 30-second step of tolerance: clocks drift and typing takes time."""
    log_in_with_password(client, trainer.email)
    old = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET, time() - 90)})
    assert old.status_code == 200
    previous = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET, time() - 30)}
    )
    assert previous.status_code == 302
    assert client.session["_auth_user_id"] == str(trainer.pk)


def test_staff_page_checks_cost_no_query_once_cached(client, trainer):
    client.force_login(trainer)
    client.get("/formateur/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/formateur/").status_code == 200
    assert not [q for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]


def test_ordinary_pages_never_look_at_authenticators(client, professional):
    for logged_in in (False, True):
        if logged_in:
            client.force_login(professional)
        client.get("/")  # the shell's first-request work
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "mfa_authenticator" not in sql and "auth_group" not in sql


# --- Professionals -------------------------------------------------------------------------


def test_professionals_may_enable_it_from_their_profile(client, professional):
    client.force_login(professional)
    profile = client.get(reverse("account_profile")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in profile
    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200
    assert f'href="{ENROL}"' in index.content.decode()
    reauthenticate(client)
    page = client.get(ENROL).content.decode()
    secret = re.search(r'<code id="authenticator_secret">([A-Z2-7]+)</code>', page).group(1)
    client.post(ENROL, {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=professional, type="totp").exists()
    # And may turn it off again (reauthentication is still fresh).
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=professional, type="totp").exists()
