"""Open redirects: every `next` (login, logout, language, signup, reauthentication,
the admin's and Wagtail's login doors) leads to a page of this site, or to the default.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example/comptes/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:/evil.example",
    "https:evil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver.evil.example/",
    "https://evil.example@testserver/",
]


def location(response):
    assert response.status_code == 302, response.status_code
    return response["Location"]


def assert_local(url):
    """Where a browser would go: a path of this site, not another origin or a script."""
    assert url.startswith("/"), url
    assert not url.startswith(("//", "/\\")), url
    assert "evil" not in url and "javascript" not in url.lower(), url


def test_login(professional):
    for target in OFF_SITE:
        response = Client().post(
            reverse("account_login"),
            {"login": professional.email, "password": PASSWORD, "next": target},
        )
        assert location(response) == "/", target


def test_login_keeps_a_local_next(client, professional):
    response = client.post(
        reverse("account_login"),
        {"login": professional.email, "password": PASSWORD, "next": "/guides/"},
    )
    assert location(response) == "/guides/"


def test_login_page_echoes_next_only_escaped(client):
    """The form carries `next` back (checked again on POST), never as markup."""
    target = '"><script>alert(1)</script>'
    html = client.get(reverse("account_login"), {"next": target}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_logout(client, professional):
    for target in OFF_SITE:
        client.force_login(professional)
        assert location(client.post(reverse("account_logout"), {"next": target})) == "/", target
        assert "_auth_user_id" not in client.session


def test_language_switch(client):
    for target in OFF_SITE:
        response = client.post(reverse("set_language"), {"language": "en", "next": target})
        assert_local(location(response))
        # Nor through the Referer header, which Django's view falls back to.
        response = client.post(
            reverse("set_language"), {"language": "fr", "next": target}, HTTP_REFERER=target
        )
        assert_local(location(response))


def test_language_switch_keeps_a_local_next(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/guides/"})
    assert location(response) == "/guides/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_signup_then_confirmation(client, target):
    data = {
        "email": "nouvelle@example.org",
        "first_name": "Clémence",
        "last_name": "Vasseur",
        "profession": "cpe",
        "organisation": "Collège Victor-Hugo",
        "password1": "une phrase de passe solide",
        "password2": "une phrase de passe solide",
        "next": target,
    }
    assert_local(location(client.post(reverse("account_signup"), data)))
    link = next(word for word in mail.outbox[-1].body.split() if "/comptes/confirm-email/" in word)
    confirm = client.post(link.replace("http://testserver", ""))
    assert_local(location(confirm))
    assert client.session.get("_auth_user_id")


def test_reauthentication(client, professional):
    client.force_login(professional)
    for target in OFF_SITE:
        cache.clear()  # allauth allows 10 reauthentications a minute
        response = client.post(
            reverse("account_reauthenticate"), {"password": PASSWORD, "next": target}
        )
        assert_local(location(response))


def test_admin_and_wagtail_login_doors(client):
    """They hand over to allauth's login with a `next` of their own choosing."""
    for target in OFF_SITE:
        for door, default in [("/admin/login/", "/admin/"), ("/_util/login/", "/")]:
            parts = urlsplit(location(client.get(door, {"next": target})))
            assert parts.path == reverse("account_login")
            assert parse_qs(parts.query)["next"] == [default], (door, target)
