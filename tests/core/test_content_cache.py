"""The content cache: entries dropped when content changes, never leaking uncommitted
data, rebuilt after a deployment; the shell served from it stays correct."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from wagtail.models import PageViewRestriction

from accounts import roles
from core import content_cache
from core.content_cache import CONTENT, Generation
from tests.home.factories import StandardPageFactory, site_settings

pytestmark = pytest.mark.django_db


class Counter:
    """A build function that counts its calls."""

    def __init__(self, value="valeur"):
        self.calls = 0
        self.value = value

    def __call__(self):
        self.calls += 1
        return self.value


def test_an_entry_is_built_once_then_rebuilt_after_a_change():
    build = Counter()
    assert CONTENT.get_or_build("test:entry", build) == "valeur"
    assert CONTENT.get_or_build("test:entry", build) == "valeur"
    assert build.calls == 1
    CONTENT.changed()
    assert CONTENT.get_or_build("test:entry", build) == "valeur"
    assert build.calls == 2


def test_nothing_is_stored_for_none():
    build = Counter(value=None)
    assert CONTENT.get_or_build("test:none", build) is None
    assert CONTENT.get_or_build("test:none", build) is None
    assert build.calls == 2


def test_an_entry_no_longer_fresh_is_rebuilt():
    """`fresh` covers what depends on the clock alone: a stale entry is rebuilt and
    stored, in this process's memory and in the shared cache."""
    build = Counter(value=("jusqu'à 1", "valeur"))
    assert CONTENT.get_or_build("test:fresh", build, fresh=lambda v: True)[1] == "valeur"
    assert CONTENT.get_or_build("test:fresh", build, fresh=lambda v: True)[1] == "valeur"
    assert build.calls == 1
    build.value = ("jusqu'à 2", "nouvelle")
    stale = lambda v: v[0] == "jusqu'à 2"  # noqa: E731
    assert CONTENT.get_or_build("test:fresh", build, fresh=stale)[1] == "nouvelle"
    content_cache._local.entries.clear()  # another process: the shared cache has it
    assert CONTENT.get_or_build("test:fresh", build, fresh=stale)[1] == "nouvelle"
    assert build.calls == 2


def test_each_reader_gets_its_own_copy():
    first = CONTENT.get_or_build("test:list", lambda: ["a"])
    first.append("b")
    assert CONTENT.get_or_build("test:list", lambda: ["autre"]) == ["a"]


def test_a_change_in_a_transaction_stays_private_until_commit():
    """Inside the transaction the change is seen at once; what was built from it is
    discarded with a rollback (here, a savepoint's)."""
    shared = CONTENT._shared_token()
    with transaction.atomic():
        CONTENT.changed()
        private = CONTENT._private_token()
        assert private and private != shared
        assert CONTENT.get_or_build("test:tx", lambda: "non validé") == "non validé"
        transaction.set_rollback(True)
    assert CONTENT._private_token() is None
    assert CONTENT.get_or_build("test:tx", lambda: "validé") == "validé"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_change_starts_a_new_shared_generation():
    cache.clear()
    build = Counter()
    CONTENT.get_or_build("test:commit", build)
    before = cache.get(CONTENT.key)
    with transaction.atomic():
        CONTENT.changed()
        assert cache.get(CONTENT.key) == before  # other processes: not yet
    assert cache.get(CONTENT.key) != before
    CONTENT.get_or_build("test:commit", build)
    assert build.calls == 2


def test_an_entry_from_another_release_is_rebuilt(monkeypatch):
    build = Counter()
    CONTENT.get_or_build("test:release", build)
    monkeypatch.setattr(content_cache, "_local", content_cache._LocalEntries(10))
    monkeypatch.setattr(content_cache, "release", lambda: "déploiement suivant")
    CONTENT.get_or_build("test:release", build)
    assert build.calls == 2


def test_the_release_is_known_under_overridden_settings(settings):
    settings.DEBUG = True  # pytest-django's override: the settings module is not named
    content_cache.release.cache_clear()
    try:
        assert content_cache.release()
    finally:
        content_cache.release.cache_clear()


def test_a_lost_generation_starts_a_new_one():
    build = Counter()
    CONTENT.get_or_build("test:lost", build)
    cache.delete(CONTENT.key)
    CONTENT.get_or_build("test:lost", build)
    assert build.calls == 2


def test_generations_are_independent():
    other = Generation("test-other")
    try:
        build = Counter()
        other.get_or_build("test:independent", build)
        CONTENT.changed()
        other.get_or_build("test:independent", build)
        assert build.calls == 1
    finally:
        Generation.instances.remove(other)


# --- The shell built from the cache --------------------------------------------------


def test_footer_follows_the_settings(client):
    client.get("/")
    site_settings(contact_email="ecrire@reperes.example")
    assert "ecrire@reperes.example" in client.get("/").content.decode()
    site_settings(contact_email="autre@reperes.example")
    html = client.get("/").content.decode()
    assert "autre@reperes.example" in html and "ecrire@reperes.example" not in html


def test_footer_drops_a_legal_page_once_unpublished(client):
    page = StandardPageFactory(title="Mentions légales", slug="mentions-legales")
    site_settings(legal_notice_page=page)
    assert 'href="/mentions-legales/"' in client.get("/").content.decode()
    page.unpublish()
    assert 'href="/mentions-legales/"' not in client.get("/").content.decode()


def test_a_published_section_title_shows_at_once(client):
    page = StandardPageFactory(title="Accessibilité", slug="accessibilite")
    assert "<h1>Accessibilité</h1>" in client.get("/accessibilite/").content.decode()
    page.title = "Déclaration d'accessibilité"
    page.save_revision().publish()
    html = client.get("/accessibilite/").content.decode()
    assert "Déclaration d&#x27;accessibilité" in html


def test_an_unpublished_section_is_no_longer_served(client):
    page = StandardPageFactory(slug="a-deplacer")
    assert client.get("/a-deplacer/").status_code == 200
    page.unpublish()
    assert client.get("/a-deplacer/").status_code == 404


def test_english_and_french_fragments_are_kept_apart(client):
    assert '<html lang="fr">' in client.get("/").content.decode()
    client.post("/langue/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="fr" lang="fr">Français</button>' in html


def test_main_navigation_marks_the_current_section(client):
    html = client.get(reverse("search")).content.decode()
    assert f'href="{reverse("search")}" aria-current="page"' in html
    assert 'href="/guides/" aria-current' not in html
    html = client.get("/").content.decode()
    assert "aria-current" not in html.split('class="main-nav"')[1].split("</nav>")[0]


def test_view_restrictions_still_apply_to_cached_pages(client):
    page = StandardPageFactory(slug="reservee")
    assert client.get("/reservee/").status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-42"
    )
    response = client.get("/reservee/")
    assert 'name="password"' in response.content.decode()
    restriction.delete()
    assert 'name="password"' not in client.get("/reservee/").content.decode()


# --- The admin userbar ------------------------------------------------------------------


def test_no_userbar_nor_permission_query_for_a_professional(
    client, professional, django_assert_max_num_queries
):
    client.force_login(professional)
    client.get("/")
    with django_assert_max_num_queries(10) as captured:
        html = client.get("/").content.decode()
    assert "wagtail-userbar" not in html
    assert not [q for q in captured.captured_queries if "auth_permission" in q["sql"]]


def test_userbar_for_editors_and_for_whoever_becomes_one(client, editor, professional):
    client.force_login(editor)
    assert "wagtail-userbar" in client.get("/").content.decode()
    client.force_login(professional)
    assert "wagtail-userbar" not in client.get("/").content.decode()
    professional.groups.add(editor.groups.get(name=roles.REDACTEUR))
    assert "wagtail-userbar" in client.get("/").content.decode()


def test_home_routes_without_reading_pages(client, django_assert_max_num_queries):
    """Site, home page and section come from the cache: a standard page costs its
    view restrictions' check and nothing else of the tree."""
    StandardPageFactory(slug="contact")
    client.get("/contact/")
    with django_assert_max_num_queries(3) as captured:
        assert client.get("/contact/").status_code == 200
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "wagtailcore_site" not in tables and "home_homepage" not in tables
