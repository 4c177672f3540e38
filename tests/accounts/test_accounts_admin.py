"""The Wagtail admin has no login or password pages of its own: allauth has them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts import roles
from accounts.mfa import totp_code
from tests.conftest import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_access():
    """Grant admin access to the editorial roles (the guides migration does it too)."""
    permission = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name in [roles.REDACTEUR, roles.RELECTEUR_JURIDIQUE, roles.COORDINATION]:
        Group.objects.get(name=name).permissions.add(permission)


def login_redirect_next(response):
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert parts.path == reverse("account_login")
    return parse_qs(parts.query)["next"][0]


def test_admin_login_redirects_to_allauth(client):
    assert login_redirect_next(client.get("/admin/login/")) == "/admin/"
    assert login_redirect_next(client.get("/admin/login/?next=/admin/pages/")) == "/admin/pages/"
    # An off-site `next` is dropped.
    assert login_redirect_next(client.get("/admin/login/?next=https://evil.example/")) == "/admin/"


def test_admin_redirects_anonymous_to_allauth(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    # Through /admin/login/, then to allauth with the same `next`.
    response = client.get(response["Location"])
    assert login_redirect_next(response) == "/admin/pages/"


def test_editor_reaches_admin_after_allauth_login(client, editor, admin_access):
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "redaction@example.org", "password": PASSWORD, "next": "/admin/"},
    )
    # Staff have a second factor: the code comes before the admin.
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_professional_is_refused_without_redirect_loop(client, professional, admin_access):
    client.force_login(professional)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
    assert "Accès à l'administration refusé" in response.content.decode()


def test_staff_role_without_admin_permission_is_refused(client, trainer):
    """Formateur·rice has no admin access unless a migration grants it."""
    has_access = trainer.has_perm("wagtailadmin.access_admin")
    client.force_login(trainer)
    response = client.get("/admin/", follow=True)
    assert (response.status_code == 200) is has_access


def test_admin_logout_goes_through_allauth(client, editor, admin_access):
    client.force_login(editor)
    page = client.get("/admin/logout/")
    assert page.status_code == 200
    assert client.session["_auth_user_id"] == str(editor.pk)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_wagtail_password_pages_are_disabled(client, editor, admin_access):
    assert client.get("/admin/password_reset/").status_code == 404
    client.force_login(editor)
    account = client.get("/admin/account/")
    assert account.status_code == 200
    html = account.content.decode()
    # With management enabled these panels would show password-old_password / name_email-email.
    assert 'name="password-old_password"' not in html
    assert 'name="name_email-email"' not in html
    assert 'name="name_email-first_name"' in html


def test_frontend_login_goes_to_allauth(client):
    assert login_redirect_next(client.get("/_util/login/?next=/guides/")) == "/guides/"
