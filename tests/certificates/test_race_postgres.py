"""Concurrency on PostgreSQL: one certificate per completion, numbers without gaps."""

import pytest
from django.utils import timezone

from certificates import services
from certificates.errors import CertificateError
from certificates.models import Certificate, CertificateSequence
from courses.models import ModuleCompletion
from tests.concurrency import run_in_parallel
from tests.conftest import make_user

from .helpers import complete_module

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 20


def forget_certificates():
    """Completions stay; their certificates and the year's counter go (set-up only)."""
    Certificate.objects.all().delete()
    CertificateSequence.objects.all().delete()


def test_twenty_parallel_issues_of_one_completion_make_one_certificate(professional):
    _, completion = complete_module(professional)
    forget_certificates()

    results, errors = run_in_parallel(services.issue_certificate, [completion] * THREADS)

    assert errors == []
    assert Certificate.objects.count() == 1
    assert {certificate.pk for certificate in results} == {Certificate.objects.get().pk}
    year = timezone.localdate().year
    assert CertificateSequence.objects.get(year=year).last_number == 1


def test_numbers_have_no_gaps_under_concurrency(django_user_model):
    completions = []
    for index in range(THREADS):
        user = make_user(django_user_model, f"pro{index}@example.org")
        completions.append(complete_module(user)[1])
    forget_certificates()

    results, errors = run_in_parallel(services.issue_certificate, completions)

    assert errors == []
    year = timezone.localdate().year
    sequences = sorted(Certificate.objects.filter(year=year).values_list("sequence", flat=True))
    assert sequences == list(range(1, THREADS + 1))
    assert len({certificate.code for certificate in results}) == THREADS
    assert CertificateSequence.objects.get(year=year).last_number == THREADS
    assert ModuleCompletion.objects.count() == THREADS


def test_parallel_reissues_make_one_replacement(professional, coordinator):
    module, _ = complete_module(professional)
    original = Certificate.objects.get(module=module)

    def reissue(_):
        try:
            return services.reissue_certificate(original, by=coordinator, reason="Nom")
        except CertificateError as error:
            assert error.code == "certificate_replaced"
            return None

    results, errors = run_in_parallel(reissue, range(10))

    assert errors == []
    assert len([result for result in results if result]) == 1
    assert Certificate.objects.current().count() == 1
    assert Certificate.objects.count() == 2
