"""Public session pages: the list and its filters, a session page, its .ics, the module page."""

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Audience
from courses.models.sessions import RegistrationStatus, SessionStatus
from tests.courses.factories import build_module

from .factories import add_participant, build_session
from .registration_helpers import new_professional

pytestmark = pytest.mark.django_db

LIST = "/sessions/"


def sessions_in(response):
    return [session.title for session in response.context["sessions"]]


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_upcoming_planned_sessions_with_their_seats(client):
    build_session(title="Bobigny, bientôt", capacity=3)
    full = build_session(title="Saint-Denis, complète", capacity=1, commune="Saint-Denis")
    add_participant(full, new_professional())
    build_session(title="Annulée", status=SessionStatus.CANCELLED)
    build_session(
        title="Passée",
        start=timezone.localdate() - timedelta(days=5),
        registration_opens_at=timezone.now() - timedelta(days=30),
    )

    response = client.get(LIST)

    assert response.status_code == 200
    assert sessions_in(response) == ["Bobigny, bientôt", "Saint-Denis, complète"]
    html = response.content.decode()
    assert "3 places" in html
    assert "Complet — liste d’attente" in html


def test_filters_by_commune_audience_and_module(client):
    module, _lessons, _quiz = build_module(lessons=1, title="Repérer")
    cpe = Audience.objects.get(code="cpe")
    bobigny = build_session(title="Bobigny", module=module)
    bobigny.audiences.add(cpe)
    build_session(title="Saint-Denis", commune="Saint-Denis")

    assert sessions_in(client.get(LIST, {"commune": "Saint-Denis"})) == ["Saint-Denis"]
    assert sessions_in(client.get(LIST, {"public": "cpe"})) == ["Bobigny"]
    assert sessions_in(client.get(LIST, {"module": module.pk})) == ["Bobigny"]
    assert sessions_in(client.get(LIST, {"commune": "Bobigny", "public": "cpe"})) == ["Bobigny"]


@pytest.mark.parametrize(
    "query",
    [
        {"commune": "Atlantis"},
        {"public": "astronaute"},
        {"module": "abc"},
        {"module": "999999"},
        {"page": "x"},
        {"page": "9999"},
        {"commune": "\x00"},
    ],
)
def test_bad_filters_are_ignored_with_a_message_never_an_error(client, query):
    build_session(title="Bobigny")

    response = client.get(LIST, query)

    assert response.status_code == 200
    assert sessions_in(response) == ["Bobigny"]
    if "page" not in query:
        assert "Filtre ignoré" in response.content.decode()


def test_the_list_is_paginated(client):
    for number in range(12):
        build_session(
            title=f"Session {number:02}", start=timezone.localdate() + timedelta(days=10 + number)
        )

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(sessions_in(first)) == 10
    assert sessions_in(second) == ["Session 10", "Session 11"]


def test_the_list_query_count_does_not_grow_with_sessions(client, django_assert_max_num_queries):
    cpe = Audience.objects.get(code="cpe")
    for number in range(2):
        build_session(title=f"A{number}").audiences.add(cpe)
    client.get(LIST)  # the shell's first-request work (site, settings caches)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    baseline = len(few)
    for number in range(10):
        session = build_session(title=f"B{number}", commune=f"Commune {number}")
        session.audiences.add(cpe)
        add_participant(session, new_professional())
    client.get("/")  # saving rows refreshes the shell's caches: warm them again
    with django_assert_max_num_queries(baseline):
        response = client.get(LIST)
    assert len(sessions_in(response)) == 10


# --- One session ------------------------------------------------------------------------------


def test_session_page_for_anonymous_people_offers_the_login_link(client):
    session = build_session(description="Une journée pour repérer.", capacity=5)

    response = client.get(session.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Une journée pour repérer." in html
    assert session.organiser.name in html
    assert "Dominique Formatrice" in html
    assert "5 places sur 5" in html
    assert f"{reverse('account_login')}?next={session.get_absolute_url()}" in html
    assert "S’inscrire</button>" not in html


def test_unknown_session_is_a_404(client):
    assert client.get("/sessions/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/sessions/pas-un-uuid/").status_code == 404


def test_remote_meeting_link_is_shown_to_confirmed_participants_only(client, professional):
    session = build_session(is_remote=True, meeting_url="https://visio.example.org/salle-42")
    client.force_login(professional)

    assert "salle-42" not in client.get(session.get_absolute_url()).content.decode()
    assert "À distance" in client.get(session.get_absolute_url()).content.decode()

    add_participant(session, professional, status=RegistrationStatus.WAITING)
    assert "salle-42" not in client.get(session.get_absolute_url()).content.decode()

    session.registrations.update(status=RegistrationStatus.CONFIRMED)
    assert "salle-42" in client.get(session.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.FINISHED])
def test_cancelled_and_finished_sessions_show_their_status_without_buttons(
    client, professional, status
):
    session = build_session(status=status)
    add_participant(session, professional)
    client.force_login(professional)

    html = client.get(session.get_absolute_url()).content.decode()

    assert ("Session annulée" if status == SessionStatus.CANCELLED else "Session terminée") in html
    assert "</button>" not in html.split('id="registration-title"')[1]


def test_session_ics_is_a_calendar_without_the_meeting_link(client):
    session = build_session(slots=2, is_remote=True, meeting_url="https://visio.example.org/secret")

    response = client.get(f"/sessions/{session.uuid}/calendrier.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert "secret" not in body


# --- The module page ----------------------------------------------------------------------------


def test_module_page_lists_its_upcoming_sessions(client):
    module, _lessons, _quiz = build_module(lessons=1, title="Repérer")
    build_session(title="Session du module à Bobigny", module=module)
    build_session(title="Autre session")
    build_session(title="Session annulée du module", module=module, status=SessionStatus.CANCELLED)

    html = client.get(module.url).content.decode()

    assert "Session du module à Bobigny" in html
    assert "Autre session" not in html
    assert "Session annulée du module" not in html


def test_the_module_pages_sessions_follow_seats_and_changes(client, professional):
    """The list is rendered once for everyone (SESSIONS generation): a registration,
    a cancellation or a new session shows on the next view."""
    client.force_login(professional)
    module, _lessons, _quiz = build_module(lessons=1, title="Repérer")
    session = build_session(title="Session du module à Bobigny", module=module, capacity=2)
    assert "2 places restantes" in client.get(module.url).content.decode()

    add_participant(session, new_professional())
    html = client.get(module.url).content.decode()
    assert "1 place restante" in html
    assert "2 places restantes" not in html

    build_session(title="Nouvelle session à Pantin", module=module)
    assert "Nouvelle session à Pantin" in client.get(module.url).content.decode()

    session.status = SessionStatus.CANCELLED
    session.save()
    assert "Session du module à Bobigny" not in client.get(module.url).content.decode()


def test_a_session_leaves_the_module_page_when_it_ends(client, professional):
    """Time alone changes the list: the first session to end leaves it, and the next
    one (beyond the five shown) takes its place, without any change to the sessions."""
    client.force_login(professional)
    module, _lessons, _quiz = build_module(lessons=1, title="Repérer")
    today = timezone.localdate()
    for day in range(6):
        build_session(
            title=f"Session numéro {day}", module=module, slots=1, start=today + timedelta(10 + day)
        )
    html = client.get(module.url).content.decode()
    assert [f"Session numéro {day}" in html for day in range(6)] == [True] * 5 + [False]

    # The evening after the first session's half-day (9:00–12:30), whatever the hour
    # the suite runs at: « now + 11 days » was past the second session's end after 12:30.
    later = timezone.make_aware(datetime.combine(today + timedelta(days=10), time(18, 0)))
    with mock.patch("django.utils.timezone.now", return_value=later):
        html = client.get(module.url).content.decode()
    assert [f"Session numéro {day}" in html for day in range(6)] == [False] + [True] * 5


def test_the_main_navigation_links_to_sessions(client):
    html = client.get(LIST).content.decode()
    assert '<a href="/sessions/" aria-current="true">Sessions</a>' in html
    other = client.get("/recherche/").content.decode()
    assert '<a href="/sessions/">Sessions</a>' in other
