"""A hand-counted history for the dashboard's figures (see `history` in conftest).

Every row is written directly (no service, no e-mail), with the dates the figures
read; the expected figures are counted by hand in the tests' docstrings.
"""

import datetime

from django.utils import timezone

from courses.models import Attendance, Enrolment, ModuleCompletion, QuizAttempt
from courses.models.sessions import MarkMethod
from tests.sessions.factories import add_participant, build_session


def paris(year, month, day, hour=12):
    return timezone.make_aware(
        datetime.datetime(year, month, day, hour), timezone.get_default_timezone()
    )


def enrol(user, module, when):
    enrolment = Enrolment.objects.create(user=user, module=module)
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=when)
    return enrolment


def complete(user, module, when, seconds):
    return ModuleCompletion.objects.create(
        user=user, module=module, completed_at=when, time_spent_seconds=seconds
    )


def attempt(user, module, quiz, number, passed, when):
    return QuizAttempt.objects.create(
        user=user,
        module=module,
        quiz=quiz,
        number=number,
        status="submitted",
        questions=[],
        submitted_at=when,
        score=90 if passed else 40,
        passed=passed,
    )


def session_on(publisher, day, *, slots=2, capacity=10, module=None, title="Session"):
    return build_session(
        slots=slots,
        capacity=capacity,
        start=day,
        organiser=publisher,
        module=module,
        title=title,
        registration_opens_at=paris(day.year - 1, 1, 1),
        registration_closes_at=paris(day.year, day.month, day.day, 0),
    )


def mark(session, registration, statuses):
    """One attendance per slot, in slot order: "present", "late", "absent", or None."""
    for slot, status in zip(session.slots.order_by("date"), statuses, strict=False):
        if status:
            Attendance.objects.create(
                slot=slot,
                registration=registration,
                status=status,
                marked_at=slot.starts_at,
                method=MarkMethod.TRAINER,
            )


def register(session, user, status="confirmed"):
    return add_participant(session, user, status=status)
