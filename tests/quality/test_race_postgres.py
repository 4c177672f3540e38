"""Concurrency on PostgreSQL: complaints filed at once get distinct, consecutive references."""

import pytest
from django.utils import timezone

from quality import services
from quality.models import Complaint, ComplaintSequence
from tests.concurrency import run_in_parallel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 10


def file(index):
    return services.file_complaint(
        name=f"Personne {index}",
        email=f"p{index}@example.org",
        subject_type="platform",
        message=f"Message {index}.",
    )


def test_parallel_complaints_get_distinct_consecutive_references():
    results, errors = run_in_parallel(file, list(range(THREADS)))

    assert errors == []
    year = timezone.localdate().year
    references = sorted(filing.complaint.reference for filing in results)
    assert references == [f"R-{year}-{number:04d}" for number in range(1, THREADS + 1)]
    assert ComplaintSequence.objects.get(year=year).last_number == THREADS


def test_a_double_submit_at_once_files_one_complaint():
    results, errors = run_in_parallel(lambda _: file(0), list(range(THREADS)))

    assert errors == []
    assert Complaint.objects.count() == 1
    assert sum(filing.created for filing in results) == 1
