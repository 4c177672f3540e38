"""Concurrency on PostgreSQL: one badge per certificate, however many ask at once."""

import pytest

from certificates.badges.issuing import ensure_badge
from certificates.models import Certificate
from certificates.signing_keys import signing_key_now
from tests.concurrency import run_in_parallel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 10


def test_parallel_calls_sign_one_badge(make_certificate):
    signing_key_now()  # the key's row, recorded before (its own race is signing_keys')
    certificate = make_certificate()
    # Each call gets its own instance, as parallel tasks would read the row.
    copies = [Certificate.objects.get(pk=certificate.pk) for _ in range(THREADS)]

    tokens, errors = run_in_parallel(ensure_badge, copies)

    assert errors == []
    stored = Certificate.objects.get(pk=certificate.pk).badge_jwt
    # Every badge carries a random salt: equal tokens mean one signing only.
    assert set(tokens) == {stored}
