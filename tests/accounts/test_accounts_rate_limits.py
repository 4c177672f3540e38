"""allauth's rate limits, counted in the production cache (Redis), not a test dummy.

The project's settings put every rate limit in the default cache; in production that
is Redis at REDIS_URL (core.cache.ResilientRedisCache), shared by every app server. These tests use the
same backend, on a Redis database of their own (flushed before and after).
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.concurrency import run_in_parallel
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/9"
PRODUCTION_CACHES = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "reperes",
    }
}


@pytest.fixture
def redis_db():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_URL} (the production cache backend)")
    connection.flushdb()
    with override_settings(CACHES=PRODUCTION_CACHES):
        yield connection
    connection.flushdb()


def fail_login(client, email, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": "pas-le-bon-mdp"}, **headers
    )


def test_failed_logins_lock_the_account_for_a_while(client, professional, redis_db):
    """5 failures for one address in 5 minutes: the right password is refused too."""
    for _attempt in range(5):
        assert fail_login(client, professional.email).status_code == 200
    response = client.post(
        reverse("account_login"), {"login": professional.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()
    # The counts are in Redis, where every app server reads them.
    assert any(b"reperes" in key and b"login_failed" in key for key in redis_db.scan_iter())


def test_too_many_login_posts_from_one_address_get_a_429(client, redis_db):
    for number in range(30):
        fail_login(client, f"inconnu{number}@example.org")
    response = fail_login(client, "encore@example.org")
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Trop de tentatives</h1>" in html
    assert 'lang="fr"' in html


def test_a_forged_forwarded_address_changes_nothing_without_a_proxy(client, redis_db):
    """TRUSTED_PROXY_COUNT=0: X-Forwarded-For is ignored, the peer address counts."""
    for number in range(10):
        fail_login(client, f"inconnu{number}@example.org", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = fail_login(client, "autre@example.org", HTTP_X_FORWARDED_FOR="10.0.1.1")
    assert "Trop de tentatives" in response.content.decode()


def test_behind_one_proxy_each_client_is_counted_apart(client, redis_db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(10):
        fail_login(client, f"inconnu{number}@example.org", HTTP_X_FORWARDED_FOR="192.0.2.1")
    blocked = fail_login(client, "autre@example.org", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert "Trop de tentatives" in blocked.content.decode()
    # Someone else behind the same proxy (the proxy appends the address it saw).
    other = fail_login(client, "autre@example.org", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.2")
    assert "Trop de tentatives" not in other.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_failed_login_limit_holds_exactly_under_concurrent_attempts(
    django_user_model, shared_cache
):
    """20 wrong passwords at once from 20 addresses: 5 are checked, 15 refused unread.

    allauth counts under a lock taken with the cache's `add`: on the embedded default
    too it must be atomic (core/cache.py), or several attempts slip through together.
    """
    account = make_user(django_user_model, "cible@example.org")

    def attempt(number):
        response = Client().post(
            reverse("account_login"),
            {"login": account.email, "password": "pas-le-bon-mdp"},
            REMOTE_ADDR=f"198.51.100.{number + 1}",
        )
        return "Trop de tentatives" in response.content.decode()

    refused, errors = run_in_parallel(attempt, range(20))
    assert not errors
    assert refused.count(False) == 5
