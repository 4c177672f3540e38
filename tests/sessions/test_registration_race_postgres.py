"""Seats under concurrency on PostgreSQL: the session row lock serialises decisions."""

import pytest
from django.core import mail

from courses.models import Registration
from courses.models.sessions import RegistrationStatus
from courses.sessions import registrations
from tests import concurrency

from .factories import build_session
from .registration_helpers import new_professional

# Every transactional test of the suite restores the migrations' data the same way
# (serialized rollback): mixing both kinds makes a flush recreate content types.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("role_groups"),
]

CONFIRMED, WAITING, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


def run_in_parallel(calls):
    """Run each zero-argument call in its own thread, all released at once."""
    return concurrency.run_in_parallel(lambda call: call(), calls)


def statuses(session):
    return list(session.registrations.values_list("status", flat=True))


def test_thirty_people_for_the_last_seat_make_one_confirmation():
    session = build_session(capacity=1)
    people = [new_professional() for _ in range(30)]
    mail.outbox.clear()

    results, errors = run_in_parallel(
        [lambda person=person: registrations.register(person, session) for person in people]
    )

    assert errors == []
    assert len(results) == 30
    found = statuses(session)
    assert found.count(CONFIRMED) == 1
    assert found.count(WAITING) == 29
    queued = session.registrations.filter(status=WAITING).exclude(queued_at=None).count()
    assert queued == 29
    # One message each: one confirmation, 29 waiting-list notices.
    assert sorted(len(m.to) for m in mail.outbox) == [1] * 30
    assert sum("Inscription confirmée" in m.subject for m in mail.outbox) == 1


def test_one_person_clicking_ten_times_has_one_registration(professional):
    session = build_session(capacity=5)

    results, errors = run_in_parallel(
        [lambda: registrations.register(professional, session) for _ in range(10)]
    )

    assert errors == []
    assert {registration.pk for registration in results} == {Registration.objects.get().pk}
    assert Registration.objects.get().status == CONFIRMED


def test_parallel_cancellations_promote_one_person_each_in_queue_order():
    session = build_session(capacity=5)
    holders = [new_professional() for _ in range(5)]
    seats = [registrations.register(person, session) for person in holders]
    waiting = [registrations.register(new_professional(), session) for _ in range(10)]
    assert {registration.status for registration in waiting} == {WAITING}

    _results, errors = run_in_parallel(
        [
            lambda person=person, seat=seat: registrations.cancel_registration(person, seat)
            for person, seat in zip(holders, seats, strict=True)
        ]
        # The same cancellations again, racing the first ones: idempotent.
        + [
            lambda person=person, seat=seat: registrations.cancel_registration(person, seat)
            for person, seat in zip(holders, seats, strict=True)
        ]
    )

    assert errors == []
    found = statuses(session)
    assert found.count(CONFIRMED) == 5
    assert found.count(CANCELLED) == 5
    assert found.count(WAITING) == 5
    promoted = set(session.registrations.filter(status=CONFIRMED).values_list("pk", flat=True))
    assert promoted == {registration.pk for registration in waiting[:5]}


def test_cancellations_racing_a_capacity_raise_fill_exactly_the_new_capacity(trainer):
    session = build_session(capacity=3, trainer=trainer)
    holders = [new_professional() for _ in range(3)]
    seats = [registrations.register(person, session) for person in holders]
    for _ in range(10):
        registrations.register(new_professional(), session)

    _results, errors = run_in_parallel(
        [
            lambda person=person, seat=seat: registrations.cancel_registration(person, seat)
            for person, seat in zip(holders, seats, strict=True)
        ]
        + [lambda: registrations.set_capacity(session, 6, trainer)]
    )

    assert errors == []
    assert statuses(session).count(CONFIRMED) == 6
    assert statuses(session).count(WAITING) == 4


def test_trainer_adding_and_people_registering_never_exceed_capacity(trainer):
    session = build_session(capacity=3, trainer=trainer)
    people = [new_professional() for _ in range(10)]
    invited = [f"invite{index}@example.org" for index in range(5)]

    _results, errors = run_in_parallel(
        [lambda person=person: registrations.register(person, session) for person in people]
        + [
            lambda email=email: registrations.add_participant(trainer, session, email)
            for email in invited
        ]
    )

    assert {error.code for error in errors} <= {"session_full"}
    seats = session.registrations.filter(status__in=[CONFIRMED, RegistrationStatus.INVITED])
    assert seats.count() == 3
    assert session.registrations.count() == 10 + 5 - len(errors)
