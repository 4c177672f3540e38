"""A cached public page in Chromium: served compressed from the page cache, with its
security headers and no CSP violation; the language switcher (a GET form, no CSRF
token) switches the cached page to English."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_security_headers import Watcher
from tests.guides.factories import FULL_BODY, GuideIndexPageFactory, GuidePageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_cached_guide_in_the_browser(browser, live_server, settings):
    settings.PAGE_CACHE_ENABLED = True
    guide = GuidePageFactory(parent=GuideIndexPageFactory(), **FULL_BODY)
    watcher = Watcher(browser, live_server)
    reader = watcher.page_as()
    watcher.visit(reader, guide.url)  # rendered, stored
    response = watcher.visit(reader, "/guides/")
    response = watcher.visit(reader, guide.url)  # from the cache
    headers = response.all_headers()
    assert headers["etag"] and "public" in headers["cache-control"]
    assert headers["content-encoding"] in ("gzip", "br")
    assert "default-src 'self'" in headers["content-security-policy"]
    reader.get_by_role("button", name="English").click()
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    assert reader.url.endswith(guide.url)
    watcher.assert_clean(reader)
    response = watcher.visit(reader, guide.url)
    assert response.all_headers()["content-language"] == "en"
