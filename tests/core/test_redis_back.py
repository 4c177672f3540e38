"""Redis back after an outage during which writes were dropped (core.cache).

A new content generation written while Redis was unreachable is lost; if the same
Redis comes back with its old keys, they must not be served as current. The process
that dropped a write deletes the platform's keys (its prefix only) when Redis answers.
"""

import time
import uuid

import pytest
from django.core.cache import caches

from core import cache as core_cache
from tests.conftest import SHARED_CACHE_REDIS_URL, shared_redis


@pytest.fixture
def shared(settings):
    connection = shared_redis()
    prefix = f"test-back-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": SHARED_CACHE_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    core_cache._redis_down_until.clear()
    core_cache._lost_writes.clear()
    neighbour = f"neighbour-{prefix}"
    connection.set(neighbour, b"theirs")
    yield caches["default"], connection, neighbour
    core_cache._redis_down_until.clear()
    core_cache._lost_writes.clear()
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)
    connection.delete(neighbour)


def outage(cache):
    core_cache._redis_down_until[",".join(cache._servers)] = time.monotonic() + 60


def test_a_write_lost_in_the_outage_clears_the_platforms_keys_when_redis_answers(shared):
    cache, connection, neighbour = shared
    cache.set("generation", "before the publish")
    cache.set("page", "old page")
    outage(cache)
    cache.set("generation", "after the publish")  # dropped: Redis « unreachable »
    assert cache.get("generation") is None  # a miss while down
    core_cache._redis_down_until.clear()  # Redis answers again, with its old keys

    # Nothing built before the publish is served as current.
    assert cache.get("generation") is None
    assert cache.get("page") is None
    # Only this platform's keys: the database may be shared.
    assert connection.get(neighbour) == b"theirs"
    # Once: what is written afterwards stays.
    cache.set("generation", "rebuilt")
    assert cache.get("generation") == "rebuilt"


def test_an_outage_with_reads_only_keeps_the_keys(shared):
    cache, _connection, _neighbour = shared
    cache.set("page", "still right")
    outage(cache)
    assert cache.get("page") is None
    core_cache._redis_down_until.clear()
    assert cache.get("page") == "still right"
