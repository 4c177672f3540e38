"""A person with a full history, built through the services: the privacy tests' subject.

`full_history(user)` gives the user a completed module (attestation with its PDF), a
quiz attempt, a finished session (present then absent, a drawn signature, a
certificat de réalisation), a seat in an upcoming session of one seat with someone
on its waiting list, a calendar feed, and a second factor. Returns a dict of what
was made, to look it up again afterwards.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.mfa import add_totp_authenticator
from courses.models import CalendarFeed
from courses.models.sessions import AttendanceStatus, RegistrationStatus
from courses.sessions import registrations
from courses.sessions.attendance import mark_attendance
from courses.sessions.certificates import finish_session
from courses.sessions.signatures import sign_slot
from tests.certificates.helpers import complete_module
from tests.conftest import TOTP_SECRET
from tests.sessions.factories import add_participant, build_session
from tests.sessions.registration_helpers import new_professional
from tests.sessions.test_signatures import drawing


def during(slot, minutes=30):
    return slot.starts_at + timedelta(minutes=minutes)


def finished_session(user, days_ago=14):
    """A two half-day session in the past: present (signed, drawn) then absent; closed."""
    start = timezone.localdate() - timedelta(days=days_ago)
    first = timezone.make_aware(datetime.combine(start, time(9, 0)))
    session = build_session(
        slots=2,
        start=start,
        title="Session passée",
        registration_opens_at=first - timedelta(days=30),
        registration_closes_at=first - timedelta(days=1),
    )
    trainer = session.trainers.get()
    registration = add_participant(session, user)
    first_slot, second_slot = session.slots.order_by("date")
    mark_attendance(
        trainer, first_slot, registration, AttendanceStatus.PRESENT, now=during(first_slot)
    )
    sign_slot(user, first_slot, image_bytes=drawing(), certified=True, now=during(first_slot, 40))
    mark_attendance(
        trainer, second_slot, registration, AttendanceStatus.ABSENT, now=during(second_slot)
    )
    finish_session(session, trainer, now=second_slot.ends_at + timedelta(hours=1))
    return session, registration, trainer


def upcoming_full_session(user):
    """An upcoming session of one seat: `user` holds it, someone else waits."""
    session = build_session(slots=1, capacity=1, title="Session à venir")
    seat = registrations.register(user, session)
    waiting_person = new_professional()
    waiting = registrations.register(waiting_person, session)
    assert seat.status == RegistrationStatus.CONFIRMED
    assert waiting.status == RegistrationStatus.WAITING
    return session, seat, waiting


def full_history(user):
    module, completion = complete_module(user)
    past_session, past_registration, trainer = finished_session(user)
    upcoming, seat, waiting = upcoming_full_session(user)
    feed = CalendarFeed.objects.create(user=user)
    add_totp_authenticator(user, TOTP_SECRET)
    return {
        "module": module,
        "completion": completion,
        "past_session": past_session,
        "past_registration": past_registration,
        "trainer": trainer,
        "upcoming": upcoming,
        "seat": seat,
        "waiting": waiting,
        "feed": feed,
    }
