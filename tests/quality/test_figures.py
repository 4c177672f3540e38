"""The registers' figures, against hand-counted fixtures, in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from quality import figures, services
from quality.models import ActionStatus, Complaint, ImprovementAction
from tests.guides.factories import PublisherFactory

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()


def at(day, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


@pytest.fixture
def history(file, module, coordinator):
    """Five complaints: three in January (one about the module), two in March.

    Answered after 2, 4 and 10 days (median 4); one of them closed.
    """
    spec = [
        (datetime.date(2026, 1, 5), {"subject_type": "module", "module": module}, 2),
        (datetime.date(2026, 1, 20), {}, 4),
        (datetime.date(2026, 1, 31), {}, None),
        (datetime.date(2026, 3, 1), {}, 10),
        (datetime.date(2026, 3, 31), {}, None),
    ]
    made = []
    for index, (day, extra, answer_after) in enumerate(spec):
        complaint = file(message=f"Message {index}.", **extra)
        if answer_after is not None:
            complaint = services.answer_complaint(complaint, "Réponse.", by=coordinator).complaint
        Complaint.objects.filter(pk=complaint.pk).update(
            created_at=at(day),
            answered_at=at(day + datetime.timedelta(days=answer_after)) if answer_after else None,
        )
        made.append(complaint)
    services.change_status(made[1], "close", by=coordinator)
    return made


def test_by_status(history):
    assert figures.complaints_by_status() == {
        "recue": 2,
        "en_cours": 0,
        "traitee": 2,
        "close": 1,
        "total": 5,
    }


def test_by_status_for_a_period_and_a_publisher(history, publisher):
    january = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert figures.complaints_by_status(*january)["total"] == 3
    assert figures.complaints_by_status(*january, publisher=publisher)["total"] == 1
    assert figures.complaints_by_status(publisher=PublisherFactory(name="Autre"))["total"] == 0


def test_period_bounds_are_paris_days(history):
    # 31 March at noon in Paris is in March, the last day included.
    assert (
        figures.complaints_by_status(datetime.date(2026, 3, 31), datetime.date(2026, 3, 31))[
            "total"
        ]
        == 1
    )


def test_by_month(history):
    assert figures.complaints_by_month() == [
        (datetime.date(2026, 1, 1), 3),
        (datetime.date(2026, 3, 1), 2),
    ]


def test_median_days_to_answer(history, coordinator):
    assert figures.median_days_to_answer() == 4.0
    # An even number: the mean of the two middle ones (4 and 10 → 7).
    assert figures.median_days_to_answer(datetime.date(2026, 1, 15), None) == 7.0
    assert figures.median_days_to_answer(datetime.date(2027, 1, 1), None) is None


def test_actions_by_status_and_overdue():
    today = datetime.date(2026, 6, 1)
    past, future = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    for status, due in [
        (ActionStatus.PLANNED, past),
        (ActionStatus.IN_PROGRESS, past),
        (ActionStatus.IN_PROGRESS, future),
        (ActionStatus.DONE, past),
        (ActionStatus.ABANDONED, None),
    ]:
        ImprovementAction.objects.create(
            title="Action", origin="other", status=status, due_date=due
        )

    assert figures.actions_by_status(today=today) == {
        "planned": 1,
        "in_progress": 2,
        "done": 1,
        "abandoned": 1,
        "overdue": 2,
        "total": 5,
    }
    assert figures.overdue_actions(today=today).count() == 2


def test_queries_do_not_grow_with_the_data(history, file, django_assert_num_queries):
    def all_figures():
        figures.complaints_by_status()
        figures.complaints_by_month()
        figures.median_days_to_answer()
        figures.actions_by_status()

    with django_assert_num_queries(5):
        all_figures()
    for index in range(10):
        file(message=f"Encore {index}.")
    with django_assert_num_queries(5):
        all_figures()
