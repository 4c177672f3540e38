"""Journey: a worried professional opens « Contacts utiles », filters by need and
commune with the keyboard only, and finds whom to call, when, and the number to dial."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STATUS = re.compile(r"^(Ouvert maintenant|Fermé — ouvre)")


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force", verbosity=0)


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def test_professional_filters_the_directory_with_the_keyboard(browser, live_server, demo_site):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.goto(live_server.url + "/")
    # From the main navigation.
    tab_to(page, '.main-nav a[href="/ressources/"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/ressources/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressources et contacts")
    expect(page.locator("main")).to_contain_text("Contenu d'exemple")
    assert_accessible(page)

    # Emergencies first; 24 h/24 numbers say so; a `tel:` link for each number.
    first = page.locator(".contact-card").first
    expect(first.locator(".contact-card__badge")).to_have_text("Urgence")
    expect(first.locator(".contact-card__status")).to_have_text("Ouvert maintenant, 24 h/24")

    # Need « Écoute » (Space on the checkbox), commune Bondy (typed in the select).
    tab_to(page, "#besoin-ecoute")
    page.keyboard.press("Space")
    tab_to(page, "#commune")
    page.keyboard.type("Bondy")
    expect(page.locator("#commune")).to_have_value("93010")
    page.keyboard.press("Tab")  # the filter button
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"besoin=ecoute.*commune=93010"))
    expect(page.get_by_role("status")).to_contain_text("3 contacts pour Bondy")
    expect(page.locator("#besoin-ecoute")).to_be_checked()
    assert_accessible(page)

    card = page.locator(".contact-card").filter(has_text="Maison des adolescents")
    expect(card.get_by_role("heading", level=2)).to_have_text("Maison des adolescents")
    expect(card.get_by_role("link", name="01 99 00 01 50")).to_have_attribute(
        "href", "tel:0199000150"
    )
    expect(card.locator(".contact-card__hours li").first).to_have_text(
        "Lundi et mardi, 13 h – 18 h"
    )
    expect(card.locator(".contact-card__status")).to_have_text(STATUS)
    # Structures of other communes are not listed; national numbers are.
    expect(page.locator(".contact-card").filter(has_text="Centre de santé sexuelle")).to_have_count(
        0
    )
    expect(
        page.locator(".contact-card").filter(has_text="119 — Allô enfance en danger")
    ).to_have_count(1)

    # A tampered link: the directory still answers, says what it ignored.
    page.goto(live_server.url + "/ressources/?besoin=nope&commune=99999")
    expect(page.locator(".contact-directory__ignored")).to_contain_text("ignoré")
    assert_accessible(page)
    context.close()
