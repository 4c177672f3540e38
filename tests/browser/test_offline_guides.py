"""Journey: a professional reads guides offline (site/offline/, static/js/offline.js).

Visits two guides, waits for the service worker, goes offline and still reads them with
their « Page enregistrée le … » banner; an unvisited guide shows the offline page; back
online after a publish, the newer version is offered; a third guide is kept with
« Disponible hors ligne » and read offline, its PDF too. axe with all rules on the
offline page and on a guide with the banner. Service workers need a secure context:
the live server's http://localhost is one.
"""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from playwright.sync_api import expect

from guides.models import GuidePage
from tests.browser.axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the page can read of the worker's caches (names of serviceworker.js).
KEPT_TEXT = """
async ([cacheName, url]) => {
  const cache = await caches.open(cacheName);
  const found = await cache.match(url, {ignoreVary: true});
  return found ? await found.text() : null;
}
"""
ALL_KEPT_URLS = """
async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}
"""
PDF_OFFLINE = """
async (url) => {
  const response = await fetch(url);
  return [response.status, response.headers.get('Content-Type')];
}
"""


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force", verbosity=0)


def kept(page, url, cache_name="reperes-offline-pages", timeout=20):
    """The HTML the worker keeps for `url`, once it has stored it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = page.evaluate(KEPT_TEXT, [cache_name, url])
        if text:
            return text
        page.wait_for_timeout(200)
    raise AssertionError(f"{url} was not kept in {cache_name}")


def go_offline(context):
    context.set_offline(True)


def test_professional_reads_guides_offline(
    page, context, live_server, demo_site, logged_in, professional
):
    logged_in(professional)
    first, second, third, unvisited = GuidePage.objects.live().order_by("title")[:4]
    base = live_server.url

    # Two guides read online; the worker takes control of the tab after the first.
    page.goto(base + first.url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(base + second.url)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    for guide in (first, second):
        html = kept(page, base + guide.url)
        # The anonymous version: nothing of the person who read it.
        assert escape(guide.title) in html
        assert "Se déconnecter" not in html
        assert professional.email not in html
        assert "Mon espace" not in html

    # The « Que faire ? » path walked online, to an outcome (counted by the server, so
    # `private` for shared caches: the worker keeps its anonymous copy all the same).
    path = ["/que-faire/", "/que-faire/non/", "/que-faire/non/secret/"]
    for url in path:
        page.goto(base + url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    outcome_title = page.get_by_role("heading", level=1).inner_text()
    for url in path:
        assert "Se déconnecter" not in kept(page, base + url)

    # Offline: both still read, each saying when it was saved; the path too.
    go_offline(context)
    for guide in (second, first):
        page.goto(base + guide.url)
        expect(page.get_by_role("heading", level=1)).to_have_text(guide.title)
        status = page.get_by_role("status")
        expect(status).to_contain_text("Page enregistrée le")
        expect(status).to_contain_text("(hors ligne)")
    assert_accessible(page)
    page.goto(base + "/que-faire/non/")
    page.get_by_role("link", name="Je ne sais pas ce que je peux partager").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(outcome_title)
    expect(page.get_by_role("status")).to_contain_text("(hors ligne)")

    # A guide never opened on this device: the offline page, in French.
    page.goto(base + unvisited.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes hors ligne")
    kept_list = page.get_by_role("region", name="Pages enregistrées sur cet appareil")
    expect(kept_list.get_by_role("link", name=first.title)).to_be_visible()
    assert_accessible(page)

    # Meanwhile an editor publishes a new version of the first guide.
    page.goto(base + first.url)
    expect(page.get_by_role("status")).to_contain_text("Page enregistrée le")
    updated = GuidePage.objects.get(pk=first.pk)
    updated.summary = "Résumé mis à jour après relecture juridique."
    updated.save_revision().publish()

    # Back online: the page offers the newer version, which a reload shows. At 320 px,
    # the banner moves nothing on the page and adds no horizontal scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    heading = page.get_by_role("heading", level=1)
    before = heading.bounding_box()
    context.set_offline(False)
    status = page.get_by_role("status")
    expect(status).to_contain_text("Une version plus récente existe.")
    assert heading.bounding_box() == before
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    status.get_by_role("button", name="Recharger").click()
    expect(page.get_by_text("Résumé mis à jour après relecture juridique.")).to_be_visible()

    # A third guide kept on purpose, with its PDF.
    page.goto(base + third.url)
    keep = page.get_by_role("button", name="Disponible hors ligne")
    expect(keep).to_have_attribute("aria-pressed", "false")
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "true")
    expect(keep).to_have_text("Disponible hors ligne ✓")
    expect(page.get_by_role("status")).to_contain_text("disponibles hors ligne")
    assert escape(third.title) in kept(page, base + third.url, "reperes-offline-saved")

    go_offline(context)
    page.goto(base + third.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(third.title)
    expect(page.get_by_role("status")).to_contain_text("Page enregistrée le")
    status, content_type = page.evaluate(PDF_OFFLINE, base + third.url + "pdf/")
    assert (status, content_type) == (200, "application/pdf")

    # The reader removes it again.
    keep = page.get_by_role("button", name="Disponible hors ligne")
    expect(keep).to_have_attribute("aria-pressed", "true")
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(KEPT_TEXT, ["reperes-offline-saved", base + third.url]) is None


def test_logout_keeps_the_offline_set_and_clears_the_rest(
    page, context, live_server, demo_site, logged_in, professional
):
    logged_in(professional)
    guide = GuidePage.objects.live().order_by("title").first()
    base = live_server.url
    page.goto(base + guide.url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    kept(page, base + guide.url)
    # Personal pages are read through the worker but never kept.
    for path in (reverse("courses:dashboard"), reverse("certificates:list")):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(base + guide.url)
    kept_urls = page.evaluate(ALL_KEPT_URLS)
    assert guide.url in kept_urls
    assert not [url for url in kept_urls if url.startswith(("/espace/", "/comptes/"))]

    # A cache the offline set does not know (an older worker's, say).
    page.evaluate(
        "async () => (await caches.open('autre-cache')).put('/espace/', new Response('x'))"
    )

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    page.wait_for_function("async () => !(await caches.has('autre-cache'))")
    # The offline set holds only anonymous public pages: it survives.
    assert escape(guide.title) in kept(page, base + guide.url)
