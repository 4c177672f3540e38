"""Figures of the two registers, for the dashboard and the yearly report (pilotage).

Every figure is computed in the database (GROUP BY, COUNT, one ordered row for the
median): a constant number of queries, whatever the number of complaints. A period is
`(start, end)` dates, both included, in Paris time. The scope is either `publisher`,
the complaints about one publisher's content (None: all), or `publishers`, several
publishers' (the dashboard's), with the platform-wide ones (no publisher) only when
`platform` is true, i.e. for Coordination. Complaints are no people count: the
small-cell rule (« < 5 ») applies to people, and is the dashboard's to apply if it
shows these next to people.

The dashboard (`pilotage.sections`) reads its complaints and actions tables from
here, so the register and the committee's figures cannot count differently.
"""

import datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from quality.models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Complaint,
    ComplaintStatus,
    ImprovementAction,
)


def day_bounds(start, end):
    """Aware datetimes from `start` 00:00 to the end of `end`, in the site's zone."""
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


def in_scope(queryset, publisher=None, publishers=None, platform=True):
    """`queryset` narrowed to one publisher, or to several (and the platform's)."""
    if publisher is not None:
        return queryset.filter(publisher=publisher)
    if publishers is None:
        return queryset
    condition = Q(publisher__in=publishers)
    if platform:
        condition |= Q(publisher__isnull=True)
    return queryset.filter(condition)


def complaints(start=None, end=None, publisher=None, *, publishers=None, platform=True):
    """Complaints received in the period (None: from the first / to the last)."""
    queryset = in_scope(Complaint.objects.all(), publisher, publishers, platform)
    if start is not None:
        queryset = queryset.filter(created_at__gte=day_bounds(start, start)[0])
    if end is not None:
        queryset = queryset.filter(created_at__lt=day_bounds(end, end)[1])
    return queryset


def complaint_counts(start=None, end=None, publisher=None, **scope):
    """{status: {"count", "answered"}} for every status (zeros included): one query."""
    rows = {
        row["status"]: row
        for row in complaints(start, end, publisher, **scope)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    }
    return {
        status: {
            "count": rows.get(status, {}).get("count", 0),
            "answered": rows.get(status, {}).get("answered", 0),
        }
        for status in ComplaintStatus.values
    }


def complaints_by_status(start=None, end=None, publisher=None, **scope):
    """{status: count} for every status (zeros included), plus « total »."""
    counts = complaint_counts(start, end, publisher, **scope)
    figures = {status: values["count"] for status, values in counts.items()}
    figures["total"] = sum(figures.values())
    return figures


def complaints_by_month(start=None, end=None, publisher=None):
    """[(first day of the month, count)], oldest first; months without any are left out."""
    rows = (
        complaints(start, end, publisher)
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_default_timezone()))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    return [(_as_date(row["month"]), row["count"]) for row in rows]


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def median_days_to_answer(start=None, end=None, publisher=None):
    """Median time from receipt to the answer sent, in days (one decimal), or None.

    The database orders the answered complaints by delay and hands back the middle
    one or two: two queries (a count, then at most two rows), whatever their number.
    """
    answered = complaints(start, end, publisher).filter(answered_at__isnull=False)
    count = answered.count()
    if not count:
        return None
    delays = (
        answered.annotate(
            delay=ExpressionWrapper(
                F("answered_at") - F("created_at"), output_field=DurationField()
            )
        )
        .order_by("delay", "pk")
        .values_list("delay", flat=True)
    )
    middle = (count - 1) // 2
    values = list(delays[middle : middle + (2 if count % 2 == 0 else 1)])
    median = sum(values, datetime.timedelta()) / len(values)
    return round(median.total_seconds() / 86400, 1)


def actions(publisher=None, *, start=None, end=None, publishers=None, platform=True):
    """The register's actions; with a period, those open during it or done in it."""
    queryset = in_scope(ImprovementAction.objects.all(), publisher, publishers, platform)
    if end is not None:
        queryset = queryset.filter(created_at__lt=day_bounds(end, end)[1])
    if start is not None:
        queryset = queryset.filter(
            Q(done_at__isnull=True) | Q(done_at__gte=day_bounds(start, start)[0])
        )
    return queryset


def action_counts(publisher=None, today=None, **scope):
    """{status: {"count", "overdue"}} for every status (zeros included): one query, the
    overdue count (open, due date passed) a filtered COUNT beside the GROUP BY's."""
    today = today or timezone.localdate()
    overdue = Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
    rows = {
        row["status"]: row
        for row in actions(publisher, **scope)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=overdue))
    }
    return {
        status: {
            "count": rows.get(status, {}).get("count", 0),
            "overdue": rows.get(status, {}).get("overdue", 0),
        }
        for status in ActionStatus.values
    }


def actions_by_status(publisher=None, today=None, **scope):
    """{status: count} for every status, plus « overdue » and « total »."""
    counts = action_counts(publisher, today, **scope)
    figures = {status: values["count"] for status, values in counts.items()}
    figures["overdue"] = sum(values["overdue"] for values in counts.values())
    figures["total"] = sum(values["count"] for values in counts.values())
    return figures


def overdue_actions(publisher=None, today=None):
    """The open actions past their due date, soonest due first (a queryset)."""
    return actions(publisher).overdue(today).order_by("due_date", "pk")
