"""A view's shorter lifetime (`Cache-Control: max-age`) in the page cache: a page whose
content depends on the clock (« Ouvert maintenant ») is never served past it."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from core import page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_TIMEOUT = 300
    settings.PAGE_CACHE_MAX_AGE = 30


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, 300),
        ("max-age=60", 60),
        ("public, max-age=45", 45),
        ('max-age="20"', 20),
        ("max-age=100000", 300),
        ("max-age=0", 0),
        ("max-age=-5", 0),
        ("max-age=abc", 0),
        ("no-transform", 300),
    ],
)
def test_lifetime(header, seconds):
    response = HttpResponse("x")
    if header is not None:
        response["Cache-Control"] = header
    assert page_cache.lifetime(response) == seconds


class View:
    """A public page whose view says how long it stays right."""

    def __init__(self, header=None):
        self.header = header
        self.calls = 0

    def __call__(self, request):
        self.calls += 1
        response = HttpResponse(f"<p>Ouvert maintenant ({self.calls})</p>")
        if self.header:
            response["Cache-Control"] = self.header
        return response


def get(middleware):
    request = RequestFactory().get("/ressources/")
    request.user = AnonymousUser()
    return middleware(request)


def test_a_shorter_lifetime_expires_the_entry(monkeypatch):
    view = View("max-age=60")
    middleware = page_cache.PublicPageCacheMiddleware(view)
    now = page_cache.time.time()
    monkeypatch.setattr(page_cache.time, "time", lambda: now)
    first = get(middleware)
    # What is left of its life, no stale-while-revalidate: proxies must not keep it longer.
    assert first["Cache-Control"] == "public, max-age=30"
    get(middleware)
    assert view.calls == 1
    monkeypatch.setattr(page_cache.time, "time", lambda: now + 50)
    assert get(middleware)["Cache-Control"] == "public, max-age=10"
    assert view.calls == 1
    monkeypatch.setattr(page_cache.time, "time", lambda: now + 61)
    assert b"(2)" in get(middleware).content
    assert view.calls == 2


def test_without_max_age_the_entry_lives_the_usual_time():
    view = View()
    middleware = page_cache.PublicPageCacheMiddleware(view)
    response = get(middleware)
    assert "stale-while-revalidate" in response["Cache-Control"]
    with mock.patch.object(page_cache.cache, "set", wraps=page_cache.cache.set) as stored:
        page_cache.cache.clear()
        get(middleware)
    assert stored.call_args.args[2] == 300


def test_a_longer_max_age_is_capped():
    middleware = page_cache.PublicPageCacheMiddleware(View("max-age=86400"))
    with mock.patch.object(page_cache.cache, "set", wraps=page_cache.cache.set) as stored:
        response = get(middleware)
    assert stored.call_args.args[2] == 300
    assert "stale-while-revalidate" in response["Cache-Control"]


def test_max_age_zero_is_never_stored_and_stays_private():
    view = View("max-age=0")
    middleware = page_cache.PublicPageCacheMiddleware(view)
    response = get(middleware)
    get(middleware)
    assert view.calls == 2
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
