"""The page cache (core/page_cache.py): whole public pages for anonymous readers.

Served from the shared cache without a database query, per language, dropped by every
content change and by the sessions' seats, never for a person, a preview, a form with
a CSRF token, a cookie, a query string, a POST or an error.
"""

import gzip
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from core import page_cache
from tests.courses.factories import build_module
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory
from tests.home.factories import StandardPageFactory, site_settings
from tests.sessions.factories import add_participant, build_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def cached(client, path, django_assert_num_queries, **headers):
    """GET `path` twice: the second answer comes from the cache, without a query."""
    first = client.get(path, **headers)
    assert first.status_code == 200, path
    with django_assert_num_queries(0):
        second = client.get(path, **headers)
    assert second.status_code == 200
    assert second.content == first.content
    return second


def not_cached(client, path, **headers):
    """GET `path` twice: the second answer still comes from the view.

    (Not « reads the database »: a page may cost no query, its parts coming from the
    content cache, e.g. a password-protected page's view restrictions.)
    """
    client.get(path, **headers)
    with mock.patch.object(page_cache, "answer", wraps=page_cache.answer) as answered:
        response = client.get(path, **headers)
    assert not answered.called, f"{path} was answered from the page cache"
    assert "ETag" not in response
    return response


@pytest.fixture
def guide():
    index = GuideIndexPageFactory()
    return GuidePageFactory(parent=index, title="Signaler une situation", slug="signaler")


@pytest.fixture
def session():
    return build_session(capacity=12)


# --- Hits ------------------------------------------------------------------------------------


def test_public_pages_are_served_from_the_cache(client, guide, session, django_assert_num_queries):
    module, _lessons, _quiz = build_module()
    StandardPageFactory(slug="mentions-legales")
    for path in [
        "/",
        "/guides/",
        guide.url,
        "/formations/",
        module.url,
        reverse("sessions:list"),
        reverse("sessions:detail", args=[session.uuid]),
        "/mentions-legales/",
        reverse("results:overview"),
        reverse("search"),
    ]:
        response = cached(client, path, django_assert_num_queries)
        assert "csrfmiddlewaretoken" not in response.content.decode(), path
        assert not response.cookies, path


def test_headers_of_a_cached_page(client, guide, django_assert_num_queries):
    response = cached(client, guide.url, django_assert_num_queries)
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {
        "public",
        f"max-age={settings.PAGE_CACHE_MAX_AGE}",
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}",
    }
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"cookie", "accept-encoding"} <= vary
    # French first: the language comes from the switcher's cookie, not from the browser.
    assert "accept-language" not in vary
    assert response["Content-Language"] == "fr"
    assert response["Content-Length"] == str(len(response.content))
    # The security headers, set above the cache, are on every answer.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "nonce-" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_if_none_match_gives_304_without_a_query(client, guide, django_assert_num_queries):
    etag = cached(client, guide.url, django_assert_num_queries)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(guide.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(guide.url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_gzip_and_brotli_variants(client, guide, django_assert_num_queries):
    plain = cached(client, guide.url, django_assert_num_queries)
    with django_assert_num_queries(0):
        zipped = client.get(guide.url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content)
    assert zipped["ETag"] != plain["ETag"]  # strong ETags: one per coding
    assert client.get(guide.url, HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 200
    assert (
        client.get(
            guide.url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]
        ).status_code
        == 304
    )
    refused = client.get(guide.url, HTTP_ACCEPT_ENCODING="gzip;q=0")
    assert "Content-Encoding" not in refused and refused.content == plain.content
    if page_cache.brotli is not None:
        brotli = client.get(guide.url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert brotli["Content-Encoding"] == "br"
        assert page_cache.brotli.decompress(brotli.content) == plain.content


def test_head_gets_the_headers_only(client, guide, django_assert_num_queries):
    body = cached(client, guide.url, django_assert_num_queries).content
    with django_assert_num_queries(0):
        response = client.head(guide.url)
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Length"] == str(len(body))


def test_each_language_has_its_own_page(client, guide, django_assert_num_queries):
    french = cached(client, guide.url, django_assert_num_queries).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = cached(client, guide.url, django_assert_num_queries).content.decode()
    assert '<html lang="fr">' in french and '<html lang="en">' in english
    assert "Se connecter" in french and "Se connecter" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # unknown: French
    assert client.get(guide.url).content.decode() == french


def test_the_language_switcher_needs_no_token(client, guide):
    html = client.get(guide.url).content.decode()
    assert '<form class="lang-switch" method="get" action="/langue/">' in html
    response = client.get("/langue/", {"language": "en", "next": guide.url})
    assert response.status_code == 302 and response["Location"] == guide.url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(guide.url).content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_the_language_switcher_stays_on_the_site(client, target):
    response = client.get("/langue/", {"language": "en", "next": target}, HTTP_REFERER=target)
    assert response["Location"] == "/"


def test_the_language_switcher_ignores_unknown_languages(client):
    response = client.get("/langue/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- What drops the cached pages ----------------------------------------------------------


def test_a_publication_shows_at_once(client, guide, django_assert_num_queries):
    cached(client, guide.url, django_assert_num_queries)
    guide.title = "Signaler : les étapes"
    guide.save_revision().publish()
    assert "Signaler : les étapes" in client.get(guide.url).content.decode()
    assert "Signaler : les étapes" in client.get("/guides/").content.decode()


def test_an_unpublished_page_is_gone_at_once(client, guide, django_assert_num_queries):
    cached(client, guide.url, django_assert_num_queries)
    guide.unpublish()
    assert client.get(guide.url).status_code == 404


def test_a_deleted_page_is_gone_at_once(client, guide, django_assert_num_queries):
    cached(client, guide.url, django_assert_num_queries)
    guide.delete()
    assert client.get("/guides/signaler/").status_code == 404


def test_settings_show_at_once(client, django_assert_num_queries):
    cached(client, "/", django_assert_num_queries)
    site_settings(contact_email="ecrire@reperes.example")
    assert "ecrire@reperes.example" in client.get("/").content.decode()


def test_an_image_change_drops_the_pages(client, guide, django_assert_num_queries):
    from wagtail.images import get_image_model

    cached(client, guide.url, django_assert_num_queries)
    get_image_model().objects.create(title="Affiche", file=get_test_image_file())
    not_cached_once(client, guide.url)


def not_cached_once(client, path):
    """GET `path`: the view answers (its parts may all come from the content cache)."""
    with mock.patch.object(page_cache, "may_store", wraps=page_cache.may_store) as rendered:
        client.get(path)
    assert rendered.called, f"{path} still served from the page cache"


def test_seats_show_at_once(client, session, professional, django_assert_num_queries):
    detail = reverse("sessions:detail", args=[session.uuid])
    listing = reverse("sessions:list")
    assert "12 places sur 12" in cached(client, detail, django_assert_num_queries).content.decode()
    cached(client, listing, django_assert_num_queries)
    registration = add_participant(session, professional)
    assert "11 places sur 12" in client.get(detail).content.decode()
    not_cached_once(client, listing)
    registration.status = "cancelled"
    registration.save()
    assert "12 places sur 12" in client.get(detail).content.decode()


def test_a_session_edit_shows_at_once(client, session, django_assert_num_queries):
    detail = reverse("sessions:detail", args=[session.uuid])
    cached(client, detail, django_assert_num_queries)
    session.venue_name = "Salle des fêtes"
    session.save()
    assert "Salle des fêtes" in client.get(detail).content.decode()


def test_a_new_release_rebuilds_the_pages(client, guide, django_assert_num_queries, monkeypatch):
    cached(client, guide.url, django_assert_num_queries)
    monkeypatch.setattr(page_cache, "release", lambda: "une-autre-version")
    not_cached_once(client, guide.url)


# --- Never cached -----------------------------------------------------------------------


def test_nothing_is_cached_for_a_person(client, guide, professional):
    client.force_login(professional)
    response = not_cached(client, guide.url)
    assert "Se déconnecter" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_page_seen_by_a_person_never_reaches_anonymous_readers(client, guide, professional):
    reader = Client()
    client.force_login(professional)
    client.get(guide.url)
    anonymous = reader.get(guide.url).content.decode()
    assert "Se déconnecter" not in anonymous and "Se connecter" in anonymous


def test_a_person_never_gets_the_anonymous_page(
    client, guide, professional, django_assert_num_queries
):
    cached(client, guide.url, django_assert_num_queries)
    client.force_login(professional)
    html = client.get(guide.url).content.decode()
    assert "Se déconnecter" in html


def test_an_anonymous_session_still_gets_cached_pages(client, guide, django_assert_num_queries):
    """A session without a user (a sign-up started, say) reads the session, not the DB."""
    cached(client, guide.url, django_assert_num_queries)
    session = client.session
    session["allauth_step"] = "signup"
    session.save()
    with django_assert_num_queries(0):
        response = client.get(guide.url)
    assert "ETag" in response


def test_nothing_is_stored_from_a_request_with_a_session(client, guide):
    session = client.session
    session["allauth_step"] = "signup"
    session.save()
    response = not_cached(client, guide.url)
    assert "private" in response["Cache-Control"]


def test_pending_messages_are_not_replaced_by_a_cached_page(client, guide):
    client.get(guide.url)
    client.cookies["messages"] = "une-notification"
    not_cached(client, guide.url)


def test_a_password_protected_page_is_never_cached(client):
    page = StandardPageFactory(slug="reservee")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-42"
    )
    response = not_cached(client, "/reservee/")
    assert 'name="password"' in response.content.decode()


def test_a_page_made_private_is_no_longer_served(client, django_assert_num_queries):
    page = StandardPageFactory(slug="bientot-reservee")
    cached(client, "/bientot-reservee/", django_assert_num_queries)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/bientot-reservee/").status_code == 302


def test_a_preview_shows_the_draft(client, guide, django_assert_num_queries):
    cached(client, guide.url, django_assert_num_queries)
    guide.title = "Brouillon non publié"
    guide.save_revision()
    preview = guide.get_latest_revision_as_object().make_preview_request()
    assert "Brouillon non publié" in preview.content.decode()
    assert "Brouillon non publié" not in client.get(guide.url).content.decode()


def test_search_results_are_not_cached(client, guide):
    not_cached(client, reverse("search") + "?q=signaler")


def test_query_strings_go_to_the_view(client, session):
    not_cached(client, reverse("sessions:list") + "?commune=Bobigny")
    not_cached(client, "/guides/?utm_source=lettre")


def test_post_is_never_answered_from_the_cache(client, guide, django_assert_num_queries):
    cached(client, guide.url, django_assert_num_queries)
    response = client.post(guide.url)
    assert "ETag" not in response


def test_errors_are_not_cached(client):
    response = not_cached(client, "/introuvable/")
    assert response.status_code == 404


def test_other_views_are_not_cached(client):
    not_cached(client, "/healthz")


def test_pages_are_not_cached_when_disabled(client, guide, settings):
    settings.PAGE_CACHE_ENABLED = False
    not_cached(client, guide.url)


# --- What may be stored, case by case -------------------------------------------------------


def anonymous_request(path="/guides/"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def page_response(body="<p>Un guide.</p>"):
    return HttpResponse(body)


def test_a_plain_public_page_may_be_stored():
    assert page_cache.may_store(anonymous_request(), page_response())


def test_a_csrf_token_keeps_a_page_out():
    html = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>'
    assert not page_cache.may_store(anonymous_request(), page_response(html))
    request = anonymous_request()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not page_cache.may_store(request, page_response())


def test_a_cookie_keeps_a_page_out():
    response = page_response()
    response.set_cookie("quelque-chose", "1")
    assert not page_cache.may_store(anonymous_request(), response)


@pytest.mark.parametrize("value", ["private", "no-store", "no-cache", "max-age=0, private"])
def test_a_private_cache_control_keeps_a_page_out(value):
    response = page_response()
    response["Cache-Control"] = value
    assert not page_cache.may_store(anonymous_request(), response)


def test_a_csp_nonce_keeps_a_page_out():
    request = anonymous_request()
    request._csp_nonce = "abc"
    assert not page_cache.may_store(request, page_response())


def test_a_view_policy_keeps_a_page_out():
    response = page_response()
    response._csp_update = {"img-src": ["https://example.org"]}
    assert not page_cache.may_store(anonymous_request(), response)


def test_a_message_keeps_a_page_out():
    request = anonymous_request()
    request._messages = CookieStorage(request)
    request._messages.add(20, "Enregistré.")
    assert not page_cache.may_store(request, page_response())


def test_an_error_keeps_a_page_out():
    assert not page_cache.may_store(anonymous_request(), HttpResponse("Introuvable", status=404))


def test_accepted_codings():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip;q=0.5, br;q=0, identity")
    assert page_cache.accepted_codings(request) == {"gzip", "identity"}
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip;q=abc")
    assert page_cache.accepted_codings(request) == set()


# --- Several app servers --------------------------------------------------------------------


def test_pages_live_in_the_shared_cache_and_follow_other_servers(
    client, shared_cache, django_assert_num_queries
):
    """On the embedded default's files and on Redis: the page is stored in the shared
    cache, and a publication committed on another server (a new shared generation)
    drops it here at once. Nothing is changed inside this test's transaction, so the
    shared generation is the one in force."""
    from django.core.cache import cache

    from core.content_cache import CONTENT, SESSIONS

    cached(client, "/", django_assert_num_queries)
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    assert cache.get(page_cache.cache_key(request)) is not None
    for generation in (CONTENT, SESSIONS):
        cache.set(generation.key, f"publie-sur-un-autre-serveur-{generation.name}", None)
        not_cached_once(client, "/")
        with django_assert_num_queries(0):
            assert client.get("/").status_code == 200


# --- Readings counted on a hit ----------------------------------------------------------------


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def test_guide_readings_answered_by_the_cache_are_counted(client, guide):
    """The view counts the reading that fills the cache; each hit counts the next ones,
    with the same rule: a person's GET, not a robot, a HEAD or the offline copy."""
    from guides.models import GuideDailyCount

    with mock.patch.object(page_cache, "answer", wraps=page_cache.answer) as answered:
        for _ in range(3):
            assert client.get(guide.url, HTTP_USER_AGENT=BROWSER).status_code == 200
        client.get(guide.url, HTTP_USER_AGENT="curl/8")
        client.head(guide.url, HTTP_USER_AGENT=BROWSER)
        client.get(guide.url, HTTP_USER_AGENT=BROWSER, HTTP_X_REPERES_OFFLINE_COPY="1")
    assert answered.call_count == 6  # the first GET filled the cache, the rest are hits
    row = GuideDailyCount.objects.get(page=guide)
    assert (row.views, row.pdf_downloads) == (3, 0)


def test_a_reading_that_cannot_be_counted_is_still_served(client, guide, monkeypatch):
    client.get(guide.url, HTTP_USER_AGENT=BROWSER)

    def broken(request, *args):
        raise RuntimeError("database unreachable")

    monkeypatch.setitem(page_cache.HIT_COUNTERS, "guide", broken)
    response = client.get(guide.url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert "ETag" in response


def test_a_hit_of_an_uncounted_page_writes_nothing(client, django_assert_num_queries):
    StandardPageFactory(slug="mentions-legales")
    cached(client, "/mentions-legales/", django_assert_num_queries, HTTP_USER_AGENT=BROWSER)
