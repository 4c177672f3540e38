"""Journeys of session participants: the waiting list served by a cancellation, and a
self check-in with the code and a typed-name signature on a phone-sized screen.

axe-core runs on the sessions list, a session page and the check-in pages.
"""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Attendance, SlotSignature
from courses.models.sessions import RegistrationStatus
from courses.sessions import checkin
from tests.browser.axe import assert_accessible
from tests.sessions.factories import add_participant, add_slot, build_session
from tests.sessions.registration_helpers import new_professional

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def page_for(browser, live_server, user, **context_args):
    """A new browser context logged in as `user` (two people, two browsers)."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **context_args)
    client = Client()
    client.force_login(user, backend="accounts.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return context.new_page()


def test_waiting_list_is_served_when_the_first_person_cancels(page, browser, live_server):
    base = live_server.url
    session = build_session(title="Repérer les signaux faibles", capacity=1, commune="Bobigny")
    first = new_professional(first_name="Inès")
    second = new_professional(first_name="Yanis")

    # Anyone sees the list and the session page.
    page.goto(f"{base}/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions en présentiel")
    expect(page.get_by_text("1 place", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Repérer les signaux faibles").click()
    expect(page.get_by_role("link", name="Se connecter pour s’inscrire")).to_be_visible()
    assert_accessible(page)

    one = page_for(browser, live_server, first)
    one.goto(f"{base}{session.get_absolute_url()}")
    one.get_by_role("button", name="S’inscrire").click()
    expect(one.get_by_text("Votre inscription est confirmée")).to_be_visible()
    assert_accessible(one)

    two = page_for(browser, live_server, second)
    two.goto(f"{base}{session.get_absolute_url()}")
    two.get_by_role("button", name="Rejoindre la liste d’attente").click()
    expect(two.locator(".tag", has_text="en liste d'attente")).to_be_visible()

    one.get_by_role("button", name="Annuler mon inscription").click()
    expect(one.get_by_text("Votre inscription est annulée.")).to_be_visible()

    two.reload()
    expect(two.locator(".tag", has_text="confirmée")).to_be_visible()
    assert session.registrations.get(user=second).status == RegistrationStatus.CONFIRMED


def running_session():
    """A session whose only half-day is running now (in local time, within today)."""
    now = timezone.localtime()
    start = max(now - timedelta(minutes=30), now.replace(hour=0, minute=0, second=0))
    end = min(now + timedelta(hours=2), now.replace(hour=23, minute=59, second=0))
    first_slot = timezone.make_aware(datetime.combine(now.date(), start.time()))
    session = build_session(
        slots=0,
        title="Sensibilisation au Blanc-Mesnil",
        registration_opens_at=first_slot - timedelta(days=10),
        registration_closes_at=first_slot - timedelta(days=1),
    )
    slot = add_slot(session, now.date(), start.time().replace(microsecond=0), end.time())
    return session, slot


def test_participant_checks_in_with_the_code_and_signs_on_a_phone(browser, live_server):
    base = live_server.url
    session, slot = running_session()
    participant = new_professional(first_name="Camille", last_name="Martin")
    add_participant(session, participant)
    phone = page_for(
        browser, live_server, participant, viewport={"width": 375, "height": 740}, has_touch=True
    )

    phone.goto(f"{base}/pointage/")
    assert_accessible(phone)
    cookies = {cookie["name"]: cookie for cookie in phone.context.cookies()}
    assert cookies["reperes_device"]["httpOnly"]

    # A wrong code first: a clear message, nothing recorded.
    phone.get_by_label("Code d'émargement").fill("ZZZZZZ")
    phone.get_by_role("button", name="Valider ma présence").click()
    expect(phone.get_by_role("alert")).to_contain_text("n'est pas valide")
    assert not Attendance.objects.exists()

    phone.get_by_label("Code d'émargement").fill(checkin.current_checkin(slot).short_code.lower())
    phone.get_by_role("button", name="Valider ma présence").click()
    expect(phone.get_by_text("Votre présence est enregistrée. Signez")).to_be_visible()
    expect(phone.locator("canvas")).to_be_visible()  # the pad appears with JavaScript
    assert_accessible(phone)
    no_scroll = phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll, "horizontal scroll at 375 px"

    phone.get_by_label("Ou saisissez votre nom et votre prénom").fill("Camille Martin")
    phone.get_by_label("Je certifie avoir été présent·e à cette demi-journée").check()
    phone.get_by_role("button", name="Signer").click()
    expect(phone.get_by_text("vous avez signé")).to_be_visible()

    signature = SlotSignature.objects.get(slot=slot)
    assert signature.typed_name == "Camille Martin" and signature.certified
    assert Attendance.objects.get(slot=slot).status == "present"
