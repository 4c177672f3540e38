"""Redis down: the cache reads as empty, pages still serve, rate limits fail open.

core.cache.ResilientRedisCache against a port where nothing listens, as production
configures it (settings.py). The multi-node test (tests/multinode/) proves the same
with a real app server; these run everywhere, without any service.
"""

import pytest
from django.core.cache import cache

from certificates import ratelimit
from core import cache as core_cache
from tests.conftest import PASSWORD
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # port 1: closed


@pytest.fixture(autouse=True)
def redis_down(settings):
    core_cache._redis_down_until.clear()
    core_cache._lost_writes.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "KEY_PREFIX": "reperes",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    yield
    core_cache._redis_down_until.clear()
    core_cache._lost_writes.clear()


def test_every_operation_reads_as_an_empty_cache():
    assert cache.get("key", "default") == "default"
    assert cache.set("key", 1) is None
    assert cache.add("key", 1) is True  # dropped as if done, like `set`
    assert cache.get_many(["key", "other"]) == {}
    assert cache.has_key("key") is False
    assert cache.delete("key") is False
    assert cache.set_many({"key": 1}) == ["key"]
    assert cache.touch("key") is False
    with pytest.raises(ValueError):
        cache.incr("key")


def test_the_outage_is_logged_once_then_redis_is_left_alone_a_while(caplog):
    cache.get("key")
    cache.get("key")
    cache.set("key", 1)

    assert caplog.text.count("cache.redis_unreachable") == 1
    assert DEAD_REDIS in core_cache._redis_down_until


def test_other_redis_errors_still_raise(settings):
    # Only unreachable Redis is absorbed: a wrong use of it is a bug to see.
    cache.get("key")  # opens the circuit
    core_cache._redis_down_until.clear()
    with pytest.raises(TypeError):
        cache.get_many(None)


def test_rate_limits_fail_open(rf):
    request = rf.get("/verifier/", REMOTE_ADDR="203.0.113.9")
    results = [ratelimit.hit(request, "verify", limit=2, window=60) for _ in range(5)]

    assert [allowed for allowed, _retry in results] == [True] * 5


def test_signing_in_is_not_rate_limited_shut(client, professional):
    # allauth takes a lock with `add` before counting; a failed `add` would be a 429.
    for _attempt in range(3):
        response = client.post(
            "/comptes/login/", {"login": professional.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        client.logout()


def test_public_pages_serve_and_stay_fresh(client):
    guide = GuidePageFactory(parent=GuideIndexPageFactory(), title="Avant la relecture")

    assert client.get("/").status_code == 200
    assert "Avant la relecture" in client.get(guide.url).text
    guide.title = "Après la relecture"
    guide.save_revision().publish()
    page = client.get(guide.url)
    assert page.status_code == 200
    assert "Après la relecture" in page.text


def test_signed_in_pages_serve_with_the_session_in_the_database(client, professional):
    from django.contrib.sessions.models import Session

    client.force_login(professional, backend="accounts.backends.ModelBackend")

    assert Session.objects.count() == 1
    for path in ("/espace/", "/comptes/profil/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.wsgi_request.user == professional


def test_healthz_reports_the_cache_down(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "error"}
