"""Shared set-up of the survey tests: a completed module, an attended session, answers."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from courses.models import Attendance
from courses.models.sessions import AttendanceStatus, MarkMethod
from surveys.models import Questionnaire, SurveyInvitation, SurveyKind
from surveys.setup import ensure_platform_defaults
from tests.certificates.helpers import complete_module
from tests.sessions.factories import add_participant, build_session


def platform_default(kind):
    return Questionnaire.objects.get(publisher=None, kind=kind, is_default=True)


def completed_module(user, **module_kwargs):
    """A module the user completed: `(module, hot invitation, cold invitation)`."""
    ensure_platform_defaults()
    module, _completion = complete_module(user, **module_kwargs)
    invitations = {
        invitation.kind: invitation
        for invitation in SurveyInvitation.objects.filter(user=user, module=module)
    }
    return module, invitations.get(SurveyKind.HOT), invitations.get(SurveyKind.COLD)


def attended_session(users, start=None, absent=(), **fields):
    """A past session of two half-days the `users` attended (those in `absent` did not)."""
    start = start or timezone.localdate() - timedelta(days=3)
    fields.setdefault("registration_opens_at", paris(start, 9) - timedelta(days=20))
    session = build_session(slots=2, start=start, **fields)
    for user in users:
        registration = add_participant(session, user)
        status = AttendanceStatus.ABSENT if user in absent else AttendanceStatus.PRESENT
        for slot in session.slots.all():
            Attendance.objects.create(
                slot=slot,
                registration=registration,
                status=status,
                marked_at=slot.starts_at,
                method=MarkMethod.TRAINER,
            )
    return session


def paris(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def questions_by_type(questionnaire):
    by_type = {}
    for question in questionnaire.snapshot():
        by_type.setdefault(question["type"], []).append(question)
    return by_type


def valid_answers(questionnaire, text="Très concret, merci."):
    """A complete, valid answer to every question of the questionnaire."""
    data = {}
    for question in questionnaire.snapshot():
        kind = question["type"]
        if kind == "scale":
            data[question["id"]] = ["4"]
        elif kind == "recommend":
            data[question["id"]] = ["9"]
        elif kind == "yes_no":
            data[question["id"]] = ["1"]
        elif kind == "choice":
            data[question["id"]] = question["choices"][:1]
        elif kind == "free_text":
            data[question["id"]] = [text]
    return data


def answers_post(data):
    return {f"q-{question_id}": values for question_id, values in data.items()}
