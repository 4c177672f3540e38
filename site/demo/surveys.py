"""Demo satisfaction questionnaires: the demo modules and sessions use the defaults.

The platform's default questionnaires (« à chaud », « à froid ») serve every demo
module and session (nothing of their own is set). Completions and finished sessions
of the demo invite their learners through the survey service, as the real events do;
`invite` is idempotent, so a second run creates nothing.
"""

from courses.models import ModuleCompletion, Registration
from courses.models.sessions import ATTENDED, RegistrationStatus, SessionStatus
from demo.history import history_learners, history_sessions
from surveys import services
from surveys.errors import SurveyError
from surveys.models import SurveyKind
from surveys.setup import ensure_platform_defaults


def ensure_demo_surveys():
    """The default questionnaires, and an invitation for each demo course followed.

    Returns the number of invitations that exist for the demo's people afterwards.
    """
    ensure_platform_defaults()
    invitations = set()
    # The history (demo.history) writes its own invitations and answers.
    completions = ModuleCompletion.objects.exclude(user__in=history_learners())
    for completion in completions.select_related("user", "module"):
        for kind in SurveyKind.values:
            invitations.add(_invite(completion.user, kind, module=completion.module))
    attendees = (
        Registration.objects.filter(
            session__status=SessionStatus.FINISHED,
            status=RegistrationStatus.CONFIRMED,
            user__isnull=False,
            attendances__status__in=ATTENDED,
        )
        .exclude(session__in=history_sessions())
        .select_related("user", "session")
        .distinct()
    )
    for registration in attendees:
        for kind in SurveyKind.values:
            invitations.add(_invite(registration.user, kind, session=registration.session))
    invitations.discard(None)
    return len(invitations)


def _invite(user, kind, **course):
    try:
        return services.invite(user, kind, **course).pk
    except SurveyError:
        return None
