"""iCalendar: the public .ics of a session and the personal feed, parsed back."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from courses.models import CalendarFeed
from courses.models.sessions import SessionStatus
from courses.sessions import calendar

from .factories import build_session
from .registration_helpers import new_professional

pytestmark = pytest.mark.django_db

MEETING = "https://visio.example.org/salle-42"


def parse(content):
    assert isinstance(content, bytes)
    return Calendar.from_ical(content)


def test_session_ics_has_one_event_per_half_day_in_paris_time():
    session = build_session(slots=2, commune="Saint-Denis", venue_name="Bourse du travail")

    parsed = parse(calendar.session_ics(session))

    assert str(parsed["version"]) == "2.0"
    assert str(parsed["prodid"]).startswith("-//Repères//")
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = parsed.events
    assert len(events) == 2
    for event, slot in zip(events, session.slots.all(), strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert str(start.tzinfo) == "Europe/Paris"
        assert start == slot.starts_at
        assert end == slot.ends_at
        assert (start.time(), end.time()) == (time(9, 0), time(12, 30))
        assert str(event["location"]) == "Bourse du travail, 12 rue de la République, Saint-Denis"
        assert str(event["status"]) == "CONFIRMED"
        assert str(session.organiser.name) in str(event["description"])
    assert str(events[0]["summary"]) == f"{session.title} (demi-journée 1 sur 2)"
    assert str(events[1]["summary"]) == f"{session.title} (demi-journée 2 sur 2)"


def test_uids_are_stable_and_distinct_per_slot():
    session = build_session(slots=3)

    first = [str(e["uid"]) for e in parse(calendar.session_ics(session)).events]
    again = [str(e["uid"]) for e in parse(calendar.session_ics(session)).events]

    assert first == again
    assert len(set(first)) == 3
    assert all(str(session.uuid) in uid and uid.endswith("@testserver") for uid in first)


def test_public_ics_never_holds_the_meeting_link():
    session = build_session(is_remote=True, meeting_url=MEETING)

    public = calendar.session_ics(session)
    for_participant = calendar.session_ics(session, include_meeting_url=True)

    assert MEETING.encode() not in public
    event = parse(public).events[0]
    assert str(event["location"]) == "À distance"
    assert MEETING in str(parse(for_participant).events[0]["description"])


def test_single_slot_summary_is_the_title_and_cancelled_shows_as_cancelled():
    session = build_session(slots=1, status=SessionStatus.CANCELLED)

    (event,) = parse(calendar.session_ics(session)).events

    assert str(event["summary"]) == session.title
    assert str(event["status"]) == "CANCELLED"


def test_user_feed_lists_confirmed_sessions_with_meeting_links(act, professional):
    confirmed = build_session(title="Session confirmée", is_remote=True, meeting_url=MEETING)
    full = build_session(title="Session complète", capacity=1)
    left = build_session(title="Session quittée")
    act.register(professional, confirmed)
    act.register(new_professional(), full)
    act.register(professional, full)  # waiting
    registration = act.register(professional, left)
    act.cancel_registration(professional, registration)
    act.register(new_professional(), build_session(title="Session d'une autre personne"))

    parsed = parse(calendar.user_feed_ics(professional))

    summaries = {str(event["summary"]).split(" (")[0] for event in parsed.events}
    assert summaries == {"Session confirmée"}
    assert len(parsed.events) == 2
    assert MEETING in str(parsed.events[0]["description"])
    assert str(parsed["x-wr-calname"]) == "Mes sessions Repères"


def test_user_feed_keeps_recent_sessions_and_drops_old_ones(act, professional):
    act.register(professional, build_session(title="Session"))  # ends in 11 days
    now = timezone.now()

    recent = parse(calendar.user_feed_ics(professional, now=now + timedelta(days=30)))
    old = parse(calendar.user_feed_ics(professional, now=now + timedelta(days=200)))

    assert len(recent.events) == 2
    assert old.events == []


def test_user_feed_queries_do_not_grow_with_sessions(
    act, professional, django_assert_max_num_queries
):
    for index in range(6):
        act.register(professional, build_session(title=f"Session {index}", slots=2))

    with django_assert_max_num_queries(3):
        parsed = parse(calendar.user_feed_ics(professional))

    assert len(parsed.events) == 12


def test_empty_feed_is_a_valid_calendar(professional):
    parsed = parse(calendar.user_feed_ics(professional))

    assert parsed.events == []
    assert str(parsed["version"]) == "2.0"


def test_feed_for_creates_one_secret_token_and_rotate_replaces_it(professional):
    feed = calendar.feed_for(professional)
    again = calendar.feed_for(professional)

    assert again.pk == feed.pk
    assert len(feed.token) >= 32
    rotated = calendar.rotate_feed_token(professional)
    assert rotated.token != feed.token
    assert CalendarFeed.objects.get(user=professional).token == rotated.token
