"""Sessions: `__Host-` cookies over HTTPS, a new key at login, and every other session
of a person ended when the password changes or the account is deactivated.

Sessions live in the cache, written through to the database (`cached_db`); the user
is read from the database on every request and its password hash compared with the
one the session was opened with, so nothing cached keeps a session alive.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

COOKIE_SETTINGS = [
    "SESSION_ENGINE",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_PATH",
]


def production_cookie_settings():
    """The cookie settings as production computes them (HTTPS on, DEBUG off)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {COOKIE_SETTINGS!r}}}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": "site",
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "production-like-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "reperes.example",
    }
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def log_in(client, user, password=PASSWORD, **extra):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": password}, **extra
    )
    assert response.status_code == 302, response.content.decode()
    return response


def is_signed_in(client):
    return client.get(reverse("account_profile")).status_code == 200


def test_production_cookies_are_host_prefixed_secure_httponly_lax():
    cookies = production_cookie_settings()
    assert cookies["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert cookies["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert cookies["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    for kind in ("SESSION", "CSRF"):
        # What browsers require of a `__Host-` cookie: Secure, Path=/, no Domain.
        assert cookies[f"{kind}_COOKIE_SECURE"] is True
        assert cookies[f"{kind}_COOKIE_PATH"] == "/"
        assert cookies[f"{kind}_COOKIE_DOMAIN"] is None
        assert cookies[f"{kind}_COOKIE_SAMESITE"] == "Lax"
    assert cookies["SESSION_COOKIE_HTTPONLY"] is True


def test_the_login_response_sets_them_so(client, professional, settings):
    production = production_cookie_settings()
    for name in COOKIE_SETTINGS:
        setattr(settings, name, production[name])
    client.get(reverse("account_login"), secure=True)
    response = log_in(client, professional, secure=True)
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["path"] == "/"
    assert not session["domain"]
    csrf = response.cookies.get("__Host-csrftoken") or client.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True and csrf["path"] == "/" and not csrf["domain"]
    assert client.get(reverse("account_profile"), secure=True).status_code == 200


def test_login_gives_a_new_session_key(client, professional):
    """Session fixation: a key planted before login is worth nothing after it."""
    client.get(reverse("account_login"))
    session = client.session
    session["planted"] = True
    session.save()
    planted_key = session.session_key
    log_in(client, professional)
    assert client.session.session_key != planted_key
    assert not SessionStore(session_key=planted_key).exists(planted_key)
    stale = Client()
    stale.cookies[django_settings.SESSION_COOKIE_NAME] = planted_key
    assert is_signed_in(stale) is False


def test_a_password_change_ends_every_other_session(professional):
    here, elsewhere, third = Client(), Client(), Client()
    for client in (here, elsewhere, third):
        log_in(client, professional)
        assert is_signed_in(client)
    new_password = "une autre phrase de passe"
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert is_signed_in(here)  # the session that changed it stays open
    assert not is_signed_in(elsewhere)
    assert not is_signed_in(third)


def test_a_password_reset_ends_every_session(professional):
    from django.core import mail

    elsewhere, reset = Client(), Client()
    log_in(elsewhere, professional)
    reset.post(reverse("account_reset_password"), {"email": professional.email})
    link = next(word for word in mail.outbox[-1].body.split() if "/password/reset/key/" in word)
    form = reset.get(link, follow=True)
    new_password = "une autre phrase de passe"
    reset.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    professional.refresh_from_db()
    assert professional.check_password(new_password)
    assert not is_signed_in(elsewhere)


def test_deactivation_ends_every_session(professional, trainer):
    clients = [Client(), Client()]
    for client in clients:
        log_in(client, professional)
    professional.is_active = False
    professional.save()
    for client in clients:
        assert not is_signed_in(client)
    # Staff too (force_login: their login form asks for a code).
    staff = Client()
    staff.force_login(trainer)
    assert staff.get("/formateur/").status_code == 200
    trainer.is_active = False
    trainer.save(update_fields=["is_active"])
    assert staff.get("/formateur/").status_code == 302
    assert not is_signed_in(staff)
