"""Site shell: language switcher, error pages, no third-party request."""

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from home.views import server_error

from .factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_language_switch_sets_the_cookie_and_english_interface(client):
    response = client.post("/langue/", {"language": "en", "next": "/recherche/"})
    assert response.status_code == 302
    assert response["Location"] == "/recherche/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/recherche/").content.decode()
    assert '<html lang="en">' in html
    # The switcher now offers French back.
    assert 'name="language" value="fr" lang="fr">Français</button>' in html


def test_french_is_the_default_whatever_the_browser_asks(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en").content.decode()
    assert '<html lang="fr">' in html
    assert 'name="language" value="en" lang="en">English</button>' in html


def test_language_switch_refuses_an_offsite_next(client):
    response = client.post("/langue/", {"language": "en", "next": "https://example.com/"})
    assert response["Location"] == "/"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'href="/recherche/"' in html
    assert 'class="skip-link"' in html


def test_server_error_page_is_standalone(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Le service rencontre un problème" in html
    assert '<html lang="fr">' in html
    assert "<link" not in html and "<script" not in html and "src=" not in html


@pytest.mark.urls("tests.home.error_urls")
def test_an_unhandled_error_shows_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/panne/")
    assert response.status_code == 500
    assert "Le service rencontre un problème" in response.content.decode()


class _AbsoluteURLs(HTMLParser):
    """Collects (tag, attribute, value) for every attribute holding an absolute URL."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and re.search(r"https?://", value):
                self.found.append((tag, name, value))


@pytest.mark.parametrize("path", ["/", "/recherche/?q=loi", "/mentions-legales/", "/nulle-part/"])
def test_pages_request_nothing_from_a_third_party_host(client, path):
    StandardPageFactory(title="Mentions légales", slug="mentions-legales")
    html = client.get(path).content.decode()
    parser = _AbsoluteURLs()
    parser.feed(html)
    # Links may point elsewhere; nothing the browser loads by itself may.
    assert [found for found in parser.found if found[0] != "a"] == []
    assert not re.search(r"url\(\s*['\"]?https?:", html)


def test_stylesheet_loads_only_bundled_files():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert urls, "the fonts are declared in site.css"
    assert all(url.startswith("../fonts/") for url in urls)
    for url in urls:
        assert (Path(settings.BASE_DIR) / "static" / "css" / url).resolve().is_file()


def test_robots_txt_keeps_crawlers_out_of_private_areas(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    for path in ("/admin/", "/comptes/", "/apprendre/", "/espace/"):
        assert f"Disallow: {path}" in body


def test_favicon_ico_is_served_with_a_long_cache_and_no_warning(
    client, caplog, django_assert_num_queries
):
    with caplog.at_level(logging.WARNING), django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content.startswith(b"\x00\x00\x01\x00")  # an ICO file
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert "public" in response["Cache-Control"] and max_age >= 7 * 24 * 3600
    assert caplog.records == []


def test_pages_link_to_both_icons(client):
    html = client.get("/recherche/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'type="image/svg+xml"' in html
