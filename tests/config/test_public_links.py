"""Links that leave the platform (PDFs, e-mails, the calendar address) are on its public
address, `WAGTAILADMIN_BASE_URL` through `core.links.absolute_url`: never the Wagtail
Site's hostname (« localhost » until someone edits it) nor the host a request named.
The guide PDF's own test is in tests/guides/test_guide_pdf.py."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PUBLIC = "https://reperes.example.fr"
# An address the site answers on (ALLOWED_HOSTS) that is not its public address.
OTHER_HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits live in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


def links(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


def assert_all_public(urls):
    assert urls
    for url in urls:
        if "example.org" in url or "legifrance" in url:
            continue  # links to other sites, typed by editors
        assert url.startswith(PUBLIC + "/"), url


@pytest.fixture
def other_host():
    return Client(HTTP_HOST=OTHER_HOST)


def test_signup_confirmation_link_is_public(other_host):
    from tests.accounts.test_accounts_signup import SIGNUP_URL, signup_data

    response = other_host.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_all_public(links(message.body))
    assert f"{PUBLIC}/comptes/confirm-email/" in message.body


def test_password_reset_link_is_public(other_host, django_user_model):
    make_user(django_user_model, "connue@example.org", roles.PROFESSIONNEL)
    other_host.post("/comptes/password/reset/", {"email": "connue@example.org"})
    (message,) = mail.outbox
    assert f"{PUBLIC}/comptes/password/reset/key/" in message.body
    assert_all_public(links(message.body))


def test_account_already_exists_links_are_public(other_host, django_user_model):
    from tests.accounts.test_accounts_signup import SIGNUP_URL, signup_data

    make_user(django_user_model, "nouvelle.personne@example.org", roles.PROFESSIONNEL)
    other_host.post(SIGNUP_URL, signup_data())
    (message,) = mail.outbox
    assert f"{PUBLIC}/comptes/password/reset/" in message.body
    assert_all_public(links(message.body))


def test_calendar_address_is_public(other_host, professional):
    from courses.sessions import calendar
    from tests.sessions.factories import add_participant, build_session

    add_participant(build_session(), professional)
    token = calendar.feed_for(professional).token
    other_host.force_login(professional)
    html = other_host.get(reverse("courses:dashboard")).content.decode()
    assert f'value="{PUBLIC}/' in html and token in html
    assert f"http://{OTHER_HOST}" not in html


# What builds an absolute address from something else than the public one.
ELSEWHERE = re.compile(r"build_absolute_uri|get_full_url|\.full_url\b|root_url|fullpageurl")


def test_no_code_builds_a_link_from_another_address():
    """The same fault cannot come back: the project's code never asks the request's
    host or the Wagtail Site for an absolute address."""
    offenders = []
    for folder in ("site", "guides", "courses", "certificates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ELSEWHERE.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders
