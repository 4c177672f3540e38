"""The published results (Qualiopi indicators 1–2): a few figures over the last 12 months,
overall or for one publisher, each computed by one aggregate query.

- people trained: distinct people with a module completion, or an attended half-day
  of a session, in the period (a UNION of user ids, counted in the database);
- completion rate: of the enrolments started in the period, the share completed;
- satisfaction à chaud / à froid: of the answers to the questionnaires' global
  satisfaction questions (scale 1–5) submitted in the period, the share at 4 or 5
  (counted per answer, CONTRACT.md), with the number of answers.

Small cells (`core.small_cells`): a count of 1 to 4 people is shown as « < 5 », a rate
resting on fewer than 5 people (or answers) as « — ». Written here until `pilotage.figures` (owner D)
offers the same functions; reconcile at merge.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.small_cells import Rate, is_small
from courses.models import Attendance, Enrolment, ModuleCompletion
from courses.models.sessions import ATTENDED

try:  # the surveys app (owner S) brings its models with branch i14-surveys
    from surveys.models import SurveyAnswer
except ImportError:  # pragma: no cover - before the merge
    SurveyAnswer = None

PERIOD_DAYS = 365
HOT, COLD = "chaud", "froid"  # surveys.SurveyKind values (CONTRACT.md)


@dataclass(frozen=True)
class Results:
    start: object
    end: object
    computed_at: object
    people_trained: int
    completion: Rate
    satisfaction_hot: Rate | None
    satisfaction_cold: Rate | None

    @property
    def people_hidden(self):
        return is_small(self.people_trained)


def last_twelve_months(now=None):
    """(first day, last day) of the period, both included: the 365 days up to today."""
    today = timezone.localdate(now)
    return today - timedelta(days=PERIOD_DAYS - 1), today


def results(publisher=None, now=None):
    """Every figure of the page, in four queries whatever the data."""
    now = now or timezone.now()
    start, end = last_twelve_months(now)
    since = now - timedelta(days=PERIOD_DAYS)
    return Results(
        start=start,
        end=end,
        computed_at=now,
        people_trained=people_trained(publisher, since, now),
        completion=completion_rate(publisher, since, now),
        satisfaction_hot=satisfaction_rate(HOT, publisher, since, now),
        satisfaction_cold=satisfaction_rate(COLD, publisher, since, now),
    )


def people_trained(publisher, since, until):
    completed = ModuleCompletion.objects.filter(completed_at__gte=since, completed_at__lt=until)
    attended = Attendance.objects.filter(
        status__in=ATTENDED,
        slot__date__gte=timezone.localdate(since),
        slot__date__lte=timezone.localdate(until),
        registration__user__isnull=False,
    )
    if publisher is not None:
        completed = completed.filter(module__publisher=publisher)
        attended = attended.filter(registration__session__organiser=publisher)
    # UNION (not UNION ALL) keeps each person once, whichever way they were trained.
    people = completed.values("user_id").union(attended.values("registration__user_id"))
    return people.count()


def completion_rate(publisher, since, until):
    completed = ModuleCompletion.objects.filter(user=OuterRef("user"), module=OuterRef("module"))
    started = Enrolment.objects.filter(started_at__gte=since, started_at__lt=until)
    if publisher is not None:
        started = started.filter(module__publisher=publisher)
    counts = started.annotate(done=Exists(completed)).aggregate(
        whole=Count("pk"), part=Count("pk", filter=Q(done=True))
    )
    return Rate(part=counts["part"], whole=counts["whole"])


def satisfaction_rate(kind, publisher, since, until):
    """None until the surveys app has its models (before its branch is merged)."""
    if SurveyAnswer is None:
        return None
    answers = SurveyAnswer.objects.filter(
        is_satisfaction=True,
        question_type="scale",
        value__isnull=False,
        response__kind=kind,
        response__submitted_at__gte=since,
        response__submitted_at__lt=until,
    )
    if publisher is not None:
        answers = answers.filter(response__publisher=publisher)
    counts = answers.aggregate(whole=Count("pk"), part=Count("pk", filter=Q(value__gte=4)))
    return Rate(part=counts["part"], whole=counts["whole"])
