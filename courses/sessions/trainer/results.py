"""The « Résultats » panel of a session in the trainer area: attendance per half-day,
no-shows, satisfaction à chaud and à froid with their response counts.

Only for the session's trainers and Coordination (the view gets the session through
`trainer_access.get_session`: anyone else's is a 404). Aggregates computed in the
database, a fixed number of queries whatever the number of participants. Small cells
(`core.small_cells`): a rate resting on fewer than 5 people shows « — », a count of 1
to 4 « < 5 »;
satisfaction answers are anonymous, and a handful of them would name their authors.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.small_cells import Rate, is_small
from courses.models import Attendance
from courses.models.sessions import ATTENDED, RegistrationStatus

try:  # the surveys app (owner S) brings its models with branch i14-surveys
    from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
except ImportError:  # pragma: no cover - before the merge
    SurveyAnswer = SurveyInvitation = SurveyResponse = None

HOT, COLD = "chaud", "froid"  # surveys.SurveyKind values (CONTRACT.md)


@dataclass(frozen=True)
class SlotAttendance:
    slot: object
    rate: Rate
    past: bool


@dataclass(frozen=True)
class Satisfaction:
    kind: str
    invited: int
    responses: int
    rate: Rate  # satisfied answers out of the satisfaction answers

    @property
    def responses_hidden(self):
        return is_small(self.responses)


@dataclass(frozen=True)
class SessionResults:
    confirmed: int
    slots: list
    no_shows: Rate | None  # None before the first half-day
    satisfaction: list  # empty until the surveys app has its models


def session_results(session, slots, now=None):
    """The panel's figures; `slots` are the session's half-days, already read."""
    now = now or timezone.now()
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED)
    attended_any = Attendance.objects.filter(registration=OuterRef("pk"), status__in=ATTENDED)
    counts = confirmed.aggregate(
        whole=Count("pk"), no_show=Count("pk", filter=~Q(Exists(attended_any)))
    )
    per_slot = dict(
        session.slots.annotate(
            attended=Count(
                "attendances",
                filter=Q(
                    attendances__status__in=ATTENDED,
                    attendances__registration__status=RegistrationStatus.CONFIRMED,
                ),
            )
        ).values_list("pk", "attended")
    )
    whole = counts["whole"]
    started = any(slot.starts_at <= now for slot in slots)
    return SessionResults(
        confirmed=whole,
        slots=[
            SlotAttendance(slot, Rate(per_slot.get(slot.pk, 0), whole), slot.starts_at <= now)
            for slot in slots
        ],
        no_shows=Rate(counts["no_show"], whole) if started else None,
        satisfaction=satisfaction(session, now),
    )


def satisfaction(session, now):
    """À chaud then à froid: invitations offered (due), responses, satisfied answers
    (three queries). An à froid invitation not yet due is not counted."""
    if SurveyAnswer is None:
        return []
    offered = SurveyInvitation.objects.filter(session=session, due_at__lte=now)
    invited = _by_kind(offered, Count("pk"))
    responses = _by_kind(SurveyResponse.objects.filter(session=session), Count("pk"))
    answers = (
        SurveyAnswer.objects.filter(
            response__session=session,
            is_satisfaction=True,
            question_type="scale",
            value__isnull=False,
        )
        .values("response__kind")
        .annotate(whole=Count("pk"), part=Count("pk", filter=Q(value__gte=4)))
        .order_by()
    )
    rates = {row["response__kind"]: Rate(row["part"], row["whole"]) for row in answers}
    return [
        Satisfaction(
            kind, invited.get(kind, 0), responses.get(kind, 0), rates.get(kind, Rate(0, 0))
        )
        for kind in (HOT, COLD)
    ]


def _by_kind(queryset, count):
    return dict(queryset.values("kind").annotate(n=count).order_by().values_list("kind", "n"))
