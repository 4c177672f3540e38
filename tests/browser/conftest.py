"""Browser-test helpers: every test here is marked `browser` and gets a live server."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Playwright's assertions wait 5 s by default. On CI the live server shares two cores
# with Chromium and the Nu checker's JVM, and a trainer journey once timed out waiting
# for the page that follows a POST (it passed when run again): a slow answer is not a
# failure of the page. Real failures still fail, 15 s later.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)

    # The sweep of every page type (test_accessibility.py) runs after the journeys: it
    # loads the whole demo with serialized rollbacks on the session's live server, and a
    # journey run after it once failed on a duplicated form submission (the editor's
    # new guide saved twice). The Nu HTML Checker reads the pages the other tests kept:
    # it runs after them all.
    def rank(item):
        if "nu_checker" in item.keywords:
            return 2
        return 1 if item.fspath.basename == "test_accessibility.py" else 0

    items.sort(key=rank)  # stable: each group keeps its order


@pytest.fixture
def logged_in(context, live_server):
    """Log a user into the Playwright context without walking the login form."""

    def login(user):
        client = Client()
        client.force_login(user, backend="accounts.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                }
            ]
        )
        return user

    return login
