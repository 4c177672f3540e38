"""The installable app: manifest, service worker, content version, offline page, logout."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from core.content_cache import CONTENT
from offline.views import service_worker_source
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory

pytestmark = pytest.mark.django_db


def test_manifest_is_french_standalone_with_the_site_colours(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Repères"
    assert manifest["short_name"] == "Repères"
    assert manifest["lang"] == "fr"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1c4f82"
    assert manifest["background_color"] == "#ffffff"
    assert "public" in response["Cache-Control"]


def test_manifest_icons_exist_at_their_sizes(client):
    manifest = json.loads(client.get(reverse("offline:manifest")).content)
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix("/static/")
        with Image.open(finders.find(name)) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"], name
            assert image.format == "PNG"
    with Image.open(finders.find("img/icons/apple-touch-icon.png")) as image:
        assert image.size == (180, 180)


def test_every_page_links_the_manifest_the_icons_and_the_script(client):
    html = client.get(reverse("offline:fallback")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'rel="apple-touch-icon"' in html
    assert '<meta name="theme-color" content="#1c4f82">' in html
    assert 'src="/static/js/offline.js" defer' in html
    # No inline script: the page's policy allows none.
    assert "<script>" not in html


def test_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    # Served at the root: its default scope is the whole site, no Service-Worker-Allowed.
    assert not response.has_header("Service-Worker-Allowed")
    assert "Set-Cookie" not in response


def test_service_worker_carries_its_version_and_the_offline_prefixes(client):
    source = client.get("/sw.js").content.decode()
    _source, version = service_worker_source()
    assert f'"version": "{version}"' in source
    assert "/* OFFLINE_CONFIG */" not in source
    config = json.loads(source.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["offlinePrefixes"] == ["/guides/", "/que-faire/", "/ressources/"]
    for personal in ("/espace/", "/comptes/", "/formateur/", "/admin/", "/verifier/"):
        assert personal in config["neverPrefixes"]
    assert config["fallbackUrl"] == "/hors-ligne/"
    assert config["versionUrl"] == "/hors-ligne/version.json"
    assert "/static/css/site.css" in config["precache"]
    # The pages' own static files only: not the admin's.
    assert config["staticFolders"] == [
        "/static/css/",
        "/static/js/",
        "/static/fonts/",
        "/static/img/",
    ]


def test_service_worker_never_keeps_what_is_private():
    """The rules of serviceworker.js that keep personal pages out, as written."""
    source, _version = service_worker_source()
    assert 'credentials: "omit"' in source
    assert 'request.method !== "GET"' in source
    assert '!control.includes("private")' in source
    assert '!control.includes("no-store")' in source


def test_content_version_touches_no_session_and_no_database(
    client, django_assert_num_queries, professional
):
    client.force_login(professional)
    with django_assert_num_queries(0):
        response = client.get("/hors-ligne/version.json")
    assert response.status_code == 200
    assert response.json() == {"version": CONTENT.token()}
    assert response.wsgi_request.session.accessed is False
    assert "Set-Cookie" not in response
    assert "public" in response["Cache-Control"]
    assert "max-age=10" in response["Cache-Control"]
    assert response["ETag"] == f'"{CONTENT.token()}"'


def test_a_publish_changes_the_content_version(client):
    before = client.get("/hors-ligne/version.json").json()["version"]
    index = GuideIndexPageFactory()
    guide = GuidePageFactory(parent=index)
    guide.save_revision().publish()
    after = client.get("/hors-ligne/version.json").json()["version"]
    assert after != before


def test_pages_carry_the_content_version_they_were_built_with(client):
    index = GuideIndexPageFactory()
    guide = GuidePageFactory(parent=index)
    html = client.get(guide.url).content.decode()
    version = client.get("/hors-ligne/version.json").json()["version"]
    assert f'<meta name="reperes-content-version" content="{version}">' in html


def test_guide_page_offers_to_keep_it_offline(client):
    index = GuideIndexPageFactory()
    guide = GuidePageFactory(parent=index)
    html = client.get(guide.url).content.decode()
    assert "data-offline-pin" in html
    assert f'data-pdf-url="{guide.url}pdf/"' in html
    assert 'aria-pressed="false" hidden>Disponible hors ligne' in html


def test_offline_page_is_french_and_explains(client, django_assert_num_queries):
    client.get("/hors-ligne/")
    # Its shell (site, settings, footer) from the content cache once built.
    with django_assert_num_queries(0):
        response = client.get("/hors-ligne/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vous êtes hors ligne</h1>" in html
    assert "data-offline-fallback" in html
    assert 'name="robots" content="noindex"' in html


def test_logout_clears_the_browser_cache(client, professional):
    client.force_login(professional)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert "_auth_user_id" not in client.session


def test_logout_confirmation_page_clears_nothing(client, professional):
    client.force_login(professional)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert not response.has_header("Clear-Site-Data")


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_cached_pages_carry_the_current_version(client, page_cache_on, django_assert_num_queries):
    """The version in a page does not keep it out of the page cache, and a page served
    from there always names the generation it was stored under: the current one."""
    index = GuideIndexPageFactory()
    guide = GuidePageFactory(parent=index)
    first = client.get(guide.url)
    with django_assert_num_queries(0):
        hit = client.get(guide.url)
    assert hit.content == first.content
    assert "stale-while-revalidate" in hit["Cache-Control"]
    version = client.get("/hors-ligne/version.json").json()["version"]
    assert f'content="{version}"' in hit.content.decode()

    guide.save_revision().publish()
    newer = client.get("/hors-ligne/version.json").json()["version"]
    assert newer != version
    assert f'content="{newer}"' in client.get(guide.url).content.decode()


def test_offline_page_is_served_from_the_page_cache(
    client, page_cache_on, django_assert_num_queries
):
    client.get("/hors-ligne/")
    with django_assert_num_queries(0):
        response = client.get("/hors-ligne/")
    assert response.has_header("ETag")
    assert "public" in response["Cache-Control"]
