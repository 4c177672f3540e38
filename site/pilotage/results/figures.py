"""The published results (Qualiopi indicators 1–2): a few figures over the last 12 months,
overall or for one publisher, each computed by one aggregate query.

The definitions are the dashboard's (`pilotage.figures`, `pilotage.sections`), read
through a `Filters` of the period and the publisher, so the public page and the
committee's figures cannot disagree:

- people trained: distinct people with a module completion, or an attended half-day
  of a session, in the period;
- completion rate: of the enrolments started in the period, the share completed;
- satisfaction à chaud / à froid: of the answers to the questionnaires' global
  satisfaction questions (scale 1–5) submitted in the period, the share at 4 or 5.

Small cells (`core.small_cells`): a count of 1 to 4 people is shown as « < 5 », a rate
resting on fewer than 5 people (or answers) as « — ».
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from core.small_cells import Rate, is_small
from guides.models import Publisher
from surveys.models import SurveyKind

from .. import figures as pilotage_figures
from .. import sections
from ..filters import Filters

PERIOD_DAYS = 365


@dataclass(frozen=True)
class Results:
    start: object
    end: object
    computed_at: object
    people_trained: int
    completion: Rate
    satisfaction_hot: Rate
    satisfaction_cold: Rate

    @property
    def people_hidden(self):
        return is_small(self.people_trained)


def last_twelve_months(now=None):
    """(first day, last day) of the period, both included: the 365 days up to today."""
    today = timezone.localdate(now)
    return today - timedelta(days=PERIOD_DAYS - 1), today


def period_filters(publisher=None, now=None):
    """The dashboard's filters for the page: the period, one publisher or all of them."""
    start, end = last_twelve_months(now)
    if publisher is None:
        return Filters(start, end, Publisher.objects.all(), all_publishers=True)
    return Filters(start, end, Publisher.objects.filter(pk=publisher.pk))


def results(publisher=None, now=None):
    """Every figure of the page, in four queries whatever the data."""
    now = now or timezone.now()
    filters = period_filters(publisher, now)
    completed, enrolled = pilotage_figures.completion_totals(filters)
    return Results(
        start=filters.start,
        end=filters.end,
        computed_at=now,
        people_trained=pilotage_figures.trained_people(filters).count(),
        completion=Rate(part=completed, whole=enrolled),
        satisfaction_hot=satisfaction_rate(filters, SurveyKind.HOT),
        satisfaction_cold=satisfaction_rate(filters, SurveyKind.COLD),
    )


def satisfaction_rate(filters, kind):
    counts = (
        sections.satisfaction_answers(filters)
        .filter(response__kind=kind, response__publisher__in=filters.publishers)
        .aggregate(whole=Count("pk"), part=Count("pk", filter=Q(value__gte=4)))
    )
    return Rate(part=counts["part"], whole=counts["whole"])
