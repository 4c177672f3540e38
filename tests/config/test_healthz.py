"""/healthz: 200 when the database and the cache answer, 503 naming the part that fails."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse

URL = "/healthz"

pytestmark = pytest.mark.django_db


def test_url_is_healthz():
    assert reverse("healthz") == URL


def test_ok_when_database_and_cache_answer(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    # Never cached by the proxy, and nothing personal: no session, no cookie.
    assert "no-store" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_leaves_no_key_in_the_cache(client):
    from django.core.cache import cache

    client.get(URL)
    client.get(URL)
    if hasattr(cache, "_cache"):  # LocMemCache in tests: every key is visible
        assert not [key for key in cache._cache if "healthz" in key]


def test_only_get(client):
    assert client.post(URL).status_code == 405


def test_503_naming_the_cache_when_redis_is_down(client, settings, caplog):
    # A Redis that nobody listens to (port 1 is closed).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "cache": "error"},
    }
    assert "no-store" in response["Cache-Control"]
    # The cause is logged, not shown.
    assert "health.cache_unreachable" in caplog.text
    assert "Connection" not in response.content.decode()


@contextmanager
def unreachable_database():
    """Point the default connection at nothing (a missing folder, a closed port)."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-reperes-folder/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_503_naming_the_database_when_it_is_unreachable(client, caplog):
    with unreachable_database():
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "error", "cache": "ok"},
    }
    assert "health.database_unreachable" in caplog.text
    # The connection works again for what follows.
    assert client.get(URL).json()["status"] == "ok"


def test_exempt_from_the_https_redirect(client, settings):
    """A probe inside the network may call an app server directly over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get(URL).status_code == 200
    assert client.get(reverse("robots_txt")).status_code == 301
