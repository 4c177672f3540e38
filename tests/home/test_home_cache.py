"""The home page for signed-in readers: its sections from the content cache.

A signed-in person gets no whole-page cache (core/page_cache.py); the entries and the
presentation are rendered once into a fragment (`{% content_cache %}`), dropped on
publish; messages and the header stay outside it.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .factories import site_home
from .test_home_pages import _home_with_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, professional):
    client.force_login(professional)
    return client


def test_signed_in_home_costs_no_query_once_cached(signed_in):
    _home_with_entries()
    signed_in.get("/")
    with CaptureQueriesContext(connection) as captured:
        html = signed_in.get("/").content.decode()
    assert captured.captured_queries == []
    assert 'href="/tous-les-guides/"' in html and "Se déconnecter" in html


def test_a_published_home_shows_at_once(signed_in):
    _home_with_entries()
    assert "Se former pour repérer" in signed_in.get("/").content.decode()
    home = site_home()
    home.purpose = "<p>Une présentation toute neuve.</p>"
    home.save_revision().publish()
    html = signed_in.get("/").content.decode()
    assert "Une présentation toute neuve." in html and "Se former pour repérer" not in html
    # An entry's target page unpublished: the entry goes at once.
    target = home.get_children().get(slug="tous-les-guides")
    target.unpublish()
    assert 'href="/tous-les-guides/"' not in signed_in.get("/").content.decode()


def test_the_header_stays_personal(client, professional):
    _home_with_entries()
    anonymous = Client().get("/").content.decode()  # fills the fragment
    client.force_login(professional)
    html = client.get("/").content.decode()
    assert "Se déconnecter" in html and "Se déconnecter" not in anonymous
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Guides juridiques" in html and "Guides juridiques" in anonymous
