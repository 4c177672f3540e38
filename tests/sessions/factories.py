"""Factories for in-person sessions.

Stable API (registration and attendance tests import it):

- `build_session(slots=2, capacity=20, trainer=None, start=None, **fields)` → a planned
  TrainingSession organised by a new Publisher, with one trainer of the
  Formateur·rice group (a new one unless `trainer` is given) and `slots` half-days on
  consecutive days from `start` (a date; default: in 10 days), 09:00–12:30.
  Registrations are open (opened yesterday, close the day before the first slot);
  `starts_at`, `ends_at` and `planned_minutes` are computed from the slots.
  Any other keyword sets a session field (`title`, `is_remote`, `meeting_url`…).
- `add_slot(session, day, start="14:00", end="17:30")` adds a half-day and keeps the
  session's denormalised times in step.
- `add_participant(session, user, status="confirmed")` writes a Registration directly
  (no service, no e-mail), for tests that need someone already in the room.
"""

import itertools
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import roles
from courses.models import Registration, SessionSlot, TrainingSession
from courses.models.sessions import RegistrationStatus
from tests.conftest import make_user
from tests.guides.factories import PublisherFactory

_trainer_numbers = itertools.count(1)


def new_trainer():
    number = next(_trainer_numbers)
    return make_user(
        get_user_model(),
        f"formateur{number}-{timezone.now().timestamp():.0f}@example.org",
        roles.FORMATEUR,
        first_name="Dominique",
        last_name=f"Formatrice {number}",
    )


def _time(value):
    return value if isinstance(value, time) else time.fromisoformat(value)


def refresh_times(session):
    """Recompute the session's denormalised start, end and planned minutes."""
    slots = list(session.slots.all())
    session.starts_at = min((slot.starts_at for slot in slots), default=None)
    session.ends_at = max((slot.ends_at for slot in slots), default=None)
    session.planned_minutes = sum(slot.minutes for slot in slots)
    session.save(update_fields=["starts_at", "ends_at", "planned_minutes"])
    return session


def add_slot(session, day, start="14:00", end="17:30"):
    slot = SessionSlot.objects.create(
        session=session, date=day, start_time=_time(start), end_time=_time(end)
    )
    refresh_times(session)
    return slot


def build_session(slots=2, capacity=20, trainer=None, start=None, **fields):
    start = start or timezone.localdate() + timedelta(days=10)
    now = timezone.now()
    first_slot = timezone.make_aware(datetime.combine(start, time(9, 0)))
    fields.setdefault("title", "Repérer et protéger : la prostitution des mineur·e·s")
    fields.setdefault("organiser", PublisherFactory())
    fields.setdefault("venue_name", "Maison des associations")
    fields.setdefault("address", "12 rue de la République")
    fields.setdefault("commune", "Bobigny")
    fields.setdefault("registration_opens_at", now - timedelta(days=1))
    fields.setdefault("registration_closes_at", first_slot - timedelta(days=1))
    session = TrainingSession.objects.create(capacity=capacity, **fields)
    session.trainers.add(trainer or new_trainer())
    for index in range(slots):
        SessionSlot.objects.create(
            session=session,
            date=start + timedelta(days=index),
            start_time=time(9, 0),
            end_time=time(12, 30),
        )
    return refresh_times(session)


def add_participant(session, user, status=RegistrationStatus.CONFIRMED):
    now = timezone.now()
    return Registration.objects.create(
        session=session,
        user=user,
        email=user.email,
        status=status,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        queued_at=now if status == RegistrationStatus.WAITING else None,
    )
