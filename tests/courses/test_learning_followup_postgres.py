"""Concurrency on PostgreSQL: one set of self-positioning answers, one dropout reminder."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import Enrolment, ModulePage, PositioningAnswer
from courses.modules import dropouts, positioning, services
from tests.concurrency import run_in_parallel

from .factories import build_module

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 10


def test_parallel_submissions_store_one_set_of_answers(professional):
    module, _, _ = build_module()
    module.positioning = [{"type": "statement", "value": "Je sais", "id": "s-1"}]
    module.save_revision().publish()
    module = ModulePage.objects.get(pk=module.pk)

    results, errors = run_in_parallel(
        lambda value: positioning.submit_positioning(
            professional, module, "before", {"s-1": value}
        ),
        [1 + n % 4 for n in range(THREADS)],
    )

    assert errors == []
    assert PositioningAnswer.objects.count() == 1
    assert sum(result.created for result in results) == 1
    assert Enrolment.objects.count() == 1


def test_parallel_tasks_send_one_reminder(professional):
    module, _, _ = build_module()
    enrolment = services.enrol(professional, module)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_activity_at=timezone.now() - timedelta(days=30)
    )

    results, errors = run_in_parallel(
        lambda pk: dropouts.send_dropout_reminder.call(pk), [enrolment.pk] * THREADS
    )

    assert errors == []
    assert results.count(True) == 1
    assert len(mail.outbox) == 1
