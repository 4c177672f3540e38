"""Invitations created from the courses' events.

- `module_completed` (courses.modules.signals): the « à chaud » invitation, due at
  once (offered on the quiz result page and « Mon espace »), and the « à froid » one,
  due after the module's delay. Inside the completion's transaction: a survey that
  cannot be set up is refused before anything is written, and the refusal is logged,
  never raised, so it never undoes a completion.
- `session_finished` (courses.sessions.signals): for each person who attended at
  least one half-day, « à chaud » due the evening of the last half-day and « à froid »
  after the session's delay. Sent at every closing (re-runs included), so that
  attendance corrected later gets its invitations too.
"""

import logging

from django.db.models import Exists, OuterRef

from courses.models import Attendance, Registration
from courses.models.sessions import ATTENDED, RegistrationStatus

from . import services
from .errors import SurveyError
from .models import SurveyKind

logger = logging.getLogger("reperes.surveys")


def invite_quietly(user, kind, **course):
    """`services.invite`, a refusal logged rather than raised (the course event stands).

    No savepoint of its own: `invite` refuses before writing anything, and writes
    the row and its log entry in one savepoint.
    """
    try:
        return services.invite(user, kind, **course)
    except SurveyError as error:
        log_refusal(user, kind, error.code, **course)
        return None


def log_refusal(user, kind, code, **course):
    logger.warning(
        "survey invitation not created",
        extra={
            "user_id": user.pk,
            "kind": kind,
            "code": code,
            **{f"{name}_id": value.pk for name, value in course.items()},
        },
    )


def invite_on_completion(sender, completion, **kwargs):
    """Both invitations at once (`services.invite_completed`): the completion, just
    created in this transaction, is the proof the module was followed."""
    _invitations, refused = services.invite_completed(completion)
    for kind, code in refused.items():
        log_refusal(completion.user, kind, code, module=completion.module)


def invite_on_session_finished(sender, session, **kwargs):
    if session.ends_at is None:
        return
    attended = Attendance.objects.filter(registration=OuterRef("pk"), status__in=ATTENDED)
    registrations = (
        Registration.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED, user__isnull=False
        )
        .filter(Exists(attended))
        .select_related("user")
        .order_by("pk")
    )
    for registration in registrations:
        for kind in (SurveyKind.HOT, SurveyKind.COLD):
            invite_quietly(registration.user, kind, session=session)
