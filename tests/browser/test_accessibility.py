"""Journey (c): axe-core reports no serious or critical violation on every page type."""

import pytest
from django.core.management import call_command

from tests.browser.axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC_PAGES = [
    "/",
    "/guides/",
    "/guides/?public=magistrat",
    "/guides/que-faire-qui-appeler/",
    "/recherche/?q=signalement",
    "/recherche/?q=zzzzzz",
    "/accessibilite/",
    "/comptes/login/",
    "/comptes/signup/",
    "/comptes/password/reset/",
    "/page-qui-n-existe-pas/",
]


@pytest.fixture
def demo_site():
    call_command("load_demo", "--force", verbosity=0)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(page, live_server, demo_site, path):
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_profile_page_is_accessible(page, live_server, demo_site, logged_in, professional):
    logged_in(professional)
    page.goto(live_server.url + "/comptes/profil/")
    assert page.get_by_label("Organisation").is_visible()
    assert_accessible(page)


def test_small_screen_has_no_horizontal_scroll(page, live_server, demo_site):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/", "/guides/", "/guides/que-faire-qui-appeler/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"horizontal scroll at 320 px on {path}"
