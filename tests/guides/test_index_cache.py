"""The guide and module indexes for signed-in readers: listings from the content cache.

A signed-in person gets no whole-page cache (core/page_cache.py); the listing part of
the indexes (count, cards, pagination) is the same for everyone and is rendered once
per valid filter and existing page number (`{% content_cache %}`), dropped on publish.
"""

from unittest import mock

import pytest
from django.test import Client

from core import content_cache
from guides.views import GUIDES_PER_PAGE
from tests.courses.factories import ModulePageFactory, module_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, professional):
    client.force_login(professional)
    return client


def stored_keys(client, *urls):
    """The content-cache keys written while GETting `urls`."""
    with mock.patch.object(content_cache.cache, "set", wraps=content_cache.cache.set) as set_:
        for url in urls:
            assert client.get(url).status_code == 200, url
    return {call.args[0] for call in set_.call_args_list}


def stored_fragments(client, *urls):
    return {key for key in stored_keys(client, *urls) if key.startswith("reperes:fragment:")}


# Guides and modules, each filtered on a topic: one audience-free listing and two filters.
INDEXES = {"guides": "/guides/", "modules": "/formations/"}


@pytest.fixture
def listings(make_guide, audience):
    make_guide(title="Guide du signalement", topics=["signalement"], full_body=False)
    make_guide(title="Guide de la loi", topics=["loi"], full_body=False)
    module_index()
    ModulePageFactory(title="Module du signalement", topics=["signalement"])
    ModulePageFactory(title="Module de la loi", topics=["loi"])


@pytest.mark.parametrize("kind", INDEXES)
def test_signed_in_listing_costs_constant_queries(signed_in, make_guide, kind):
    """Once the listing is cached, a signed-in reader's page reads no published content,
    whatever the number of guides or modules."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = INDEXES[kind]
    module_index()

    def make_many(n):
        for _ in range(n):
            make_guide(full_body=False, topics=["loi"])
            ModulePageFactory(topics=["loi"])

    def queries():
        signed_in.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(url).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    make_many(2)
    few = queries()
    make_many(GUIDES_PER_PAGE)
    many = queries()
    assert len(few) == len(many) == 0, many
    # Session and user come from the cache too; in any case nothing about pages,
    # guides, modules or topics.
    for sql in many:
        for table in ("wagtailcore_page", "guides_", "courses_", "taggit_", "restriction"):
            assert table not in sql, sql


@pytest.mark.parametrize("kind", INDEXES)
def test_a_publication_shows_at_once_to_a_signed_in_reader(signed_in, listings, make_guide, kind):
    url = INDEXES[kind]
    title = {"guides": "Guide tout neuf", "modules": "Module tout neuf"}[kind]
    assert title not in signed_in.get(url).content.decode()
    if kind == "guides":
        make_guide(title=title, topics=["loi"], full_body=False)
    else:
        ModulePageFactory(title=title, topics=["loi"])
    html = signed_in.get(url).content.decode()
    assert title in html
    assert title in signed_in.get(url, {"theme": "loi"}).content.decode()


@pytest.mark.parametrize("kind", INDEXES)
def test_two_filters_give_two_listings(signed_in, listings, kind):
    url = INDEXES[kind]
    signalement = signed_in.get(url, {"theme": "signalement"}).content.decode()
    loi = signed_in.get(url, {"theme": "loi"}).content.decode()
    everything = signed_in.get(url).content.decode()
    assert "du signalement" in signalement and "de la loi" not in signalement
    assert "de la loi" in loi and "du signalement" not in loi
    assert "du signalement" in everything and "de la loi" in everything
    # Again, from the cache: the same answers.
    again = signed_in.get(url, {"theme": "loi"}).content.decode()
    assert "de la loi" in again and "du signalement" not in again
    # The filter form (cached per valid values too) shows each reader's own choice.
    assert '<option value="loi" selected>' in again and "Réinitialiser" in again
    assert '<option value="signalement" selected>' in signalement
    everything = signed_in.get(url).content.decode()
    assert " selected>" not in everything.replace('<option value="" selected>', "")
    assert "Réinitialiser" not in everything


@pytest.mark.parametrize("kind", INDEXES)
def test_made_up_query_strings_add_no_cache_entries(signed_in, listings, kind):
    url = INDEXES[kind]
    assert stored_fragments(signed_in, url)  # the listing, the header's fragments…
    bogus = [
        f"{url}?public=inconnu",
        f"{url}?theme=nope",
        f"{url}?theme=nope&public=x&utm_source=lettre",
        f"{url}?page=99",
        f"{url}?page=abc",
        f"{url}?page=-1",
        f"{url}?page=1",
    ]
    assert stored_keys(signed_in, *bogus) == set()


def test_page_numbers_are_clamped_and_pagination_links_keep_only_valid_filters(
    signed_in, make_guide
):
    for number in range(GUIDES_PER_PAGE + 1):
        make_guide(title=f"Guide {number:02}", topics=["loi"], full_body=False)
    last = signed_in.get("/guides/", {"page": 2, "theme": "loi", "utm_source": "x"})
    assert last.context["page_obj"].number == 2
    html = last.content.decode()
    assert "Guide 10" in html and "Guide 00" not in html
    assert 'href="?theme=loi&amp;page=1"' in html
    assert "utm_source=x&amp;page" not in html
    assert (
        stored_keys(signed_in, "/guides/?page=99&theme=loi", "/guides/?page=2&theme=loi") == set()
    )


def test_a_search_is_not_cached(signed_in, listings):
    signed_in.get("/guides/")
    keys = stored_keys(signed_in, "/guides/?q=signalement", "/guides/?q=autre+chose")
    assert not {key for key in keys if key.startswith("reperes:fragment:")}


@pytest.mark.parametrize("kind", INDEXES)
def test_nothing_personal_in_the_shared_listing(client, listings, professional, kind):
    """The listing filled by one reader is served to another: each keeps their header."""
    url = INDEXES[kind]
    client.force_login(professional)
    signed = client.get(url).content.decode()
    anonymous = Client().get(url).content.decode()
    assert "Se déconnecter" in signed and "Se connecter" not in signed
    assert "Se connecter" in anonymous and "Se déconnecter" not in anonymous
    listing_class = {"guides": "guide-cards", "modules": "cards"}[kind]
    assert listing_class in signed and listing_class in anonymous

    with mock.patch.object(content_cache.cache, "set", wraps=content_cache.cache.set) as set_:
        content_cache.CONTENT.changed()  # start over: every fragment is built again
        client.get(url)
    fragments = [
        call.args[1][2]
        for call in set_.call_args_list
        if call.args[0].startswith("reperes:fragment:")
    ]
    assert any(listing_class in html for html in fragments)
    for html in fragments:
        assert "csrfmiddlewaretoken" not in html
        assert professional.email not in html
        assert professional.first_name not in html


# --- A guide's page --------------------------------------------------------------------


def test_a_guide_page_costs_no_query_once_cached(signed_in, make_guide):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    guide = make_guide(title="Le guide", topics=["loi"], published=True)
    for number in range(3):
        make_guide(title=f"Voisin {number}", topics=["loi"], full_body=False)
    signed_in.get(guide.url)
    with CaptureQueriesContext(connection) as captured:
        response = signed_in.get(guide.url)
    assert response.status_code == 200
    # Not the page, its relations, its body or its neighbours; the reading counter
    # (guides/counters.py) counts in the cache.
    assert captured.captured_queries == []
    html = response.content.decode()
    assert "Voisin 0" in html and "Sommaire" in html


def test_a_guide_republished_shows_at_once(signed_in, make_guide):
    guide = make_guide(title="Avant", topics=["loi"], published=True)
    assert "Avant" in signed_in.get(guide.url).content.decode()
    guide.title = "Après la relecture"
    guide.summary = "Un résumé tout neuf."
    guide.save_revision().publish()
    html = signed_in.get(guide.url).content.decode()
    assert "Après la relecture" in html and "Un résumé tout neuf." in html
    # A new guide on the same topic appears among the related guides.
    make_guide(title="Nouveau voisin", topics=["loi"], full_body=False)
    assert "Nouveau voisin" in signed_in.get(guide.url).content.decode()


def test_a_guide_page_keeps_each_readers_header(client, make_guide, professional):
    guide = make_guide(title="Le guide", published=True)
    client.force_login(professional)
    signed = client.get(guide.url).content.decode()
    anonymous = Client().get(guide.url).content.decode()
    assert "Se déconnecter" in signed and "Se déconnecter" not in anonymous
    assert "Le guide" in anonymous
