"""register / cancel_registration: seats, waiting list, promotion, window, idempotency."""

from datetime import timedelta

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from courses.models import Registration
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions import registrations
from courses.sessions.errors import SessionError

from .factories import build_session
from .registration_helpers import after_close, new_professional, subjects_to

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


def test_register_takes_a_free_seat(act, professional):
    session = build_session(capacity=2)

    registration = act.register(professional, session)

    assert registration.status == CONFIRMED
    assert registration.user == professional
    assert registration.email == professional.email
    assert registration.confirmed_at is not None
    assert registration.queued_at is None
    assert ModelLogEntry.objects.filter(action="reperes.session_register").count() == 1


def test_register_when_full_joins_the_waiting_list(act):
    session = build_session(capacity=1)
    first, second = new_professional(), new_professional()

    act.register(first, session)
    waiting = act.register(second, session)

    assert waiting.status == WAITING
    assert waiting.queued_at is not None
    assert waiting.confirmed_at is None
    assert subjects_to(second.email) == ["[Repères] Liste d'attente : " + session.title]


def test_register_twice_returns_the_same_row_and_sends_one_email(act, professional):
    session = build_session(capacity=1)

    first = act.register(professional, session)
    again = act.register(professional, session)

    assert again.pk == first.pk
    assert Registration.objects.filter(session=session).count() == 1
    assert len(subjects_to(professional.email)) == 1
    assert ModelLogEntry.objects.filter(action="reperes.session_register").count() == 1


def test_register_twice_on_the_waiting_list_keeps_the_place_in_the_queue(act):
    session = build_session(capacity=1)
    act.register(new_professional(), session)
    person = new_professional()
    first = act.register(person, session)

    again = act.register(person, session, now=first.queued_at + timedelta(hours=1))

    assert again.pk == first.pk
    assert again.status == WAITING
    assert again.queued_at == first.queued_at


def test_register_again_after_cancelling_reuses_the_row(act, professional):
    session = build_session(capacity=1)
    registration = act.register(professional, session)
    act.cancel_registration(professional, registration)

    again = act.register(professional, session)

    assert again.pk == registration.pk
    assert again.status == CONFIRMED
    assert again.cancelled_at is None
    assert Registration.objects.filter(session=session).count() == 1


def test_register_again_after_cancelling_goes_behind_the_people_waiting(act):
    session = build_session(capacity=1)
    holder, waiting, comeback = new_professional(), new_professional(), new_professional()
    act.register(holder, session)
    own = act.register(comeback, session)  # waiting first
    act.cancel_registration(comeback, own)
    act.register(waiting, session)

    again = act.register(comeback, session)

    assert again.status == WAITING
    order = list(
        session.registrations.filter(status=WAITING)
        .order_by("queued_at")
        .values_list("user", flat=True)
    )
    assert order == [waiting.pk, comeback.pk]


def test_register_after_close_is_refused(act, professional):
    session = build_session()

    with pytest.raises(SessionError) as excinfo:
        act.register(professional, session, now=after_close(session))

    assert excinfo.value.code == "registration_closed"
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_register_before_opening_is_refused(act, professional):
    session = build_session()

    with pytest.raises(SessionError) as excinfo:
        act.register(
            professional, session, now=session.registration_opens_at - timedelta(minutes=1)
        )

    assert excinfo.value.code == "registration_not_open"
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("status", "code"),
    [(SessionStatus.CANCELLED, "session_cancelled"), (SessionStatus.FINISHED, "session_finished")],
)
def test_register_to_a_session_not_planned_is_refused(act, professional, status, code):
    session = build_session(status=status)

    with pytest.raises(SessionError) as excinfo:
        act.register(professional, session)

    assert excinfo.value.code == code
    assert excinfo.value.message  # a French sentence for the person
    assert not Registration.objects.exists()


def test_already_registered_person_asking_after_close_keeps_their_seat(act, professional):
    session = build_session()
    registration = act.register(professional, session)

    again = act.register(professional, session, now=after_close(session))

    assert again.pk == registration.pk
    assert again.status == CONFIRMED


def test_audience_does_not_restrict_registration(act, django_user_model):
    from accounts.models import Audience

    session = build_session()
    audience = Audience.objects.first()
    if audience is not None:
        session.audiences.add(audience)
    doctor = new_professional(profession="")

    assert act.register(doctor, session).status == CONFIRMED


# --- Cancellation and promotion ------------------------------------------------------------


def test_cancelling_a_seat_promotes_the_first_waiting_person_and_tells_them(act):
    session = build_session(capacity=1)
    holder, first, second = new_professional(), new_professional(), new_professional()
    seat = act.register(holder, session)
    act.register(first, session)
    act.register(second, session)
    mail.outbox.clear()

    cancelled = act.cancel_registration(holder, seat)

    assert cancelled.status == CANCELLED
    assert cancelled.cancelled_at is not None
    statuses = dict(session.registrations.values_list("user", "status"))
    assert statuses == {holder.pk: CANCELLED, first.pk: CONFIRMED, second.pk: WAITING}
    assert subjects_to(first.email) == ["[Repères] Une place s'est libérée : " + session.title]
    assert subjects_to(second.email) == []
    assert subjects_to(holder.email) == []
    promoted = Registration.objects.get(user=first)
    assert promoted.confirmed_at is not None
    assert ModelLogEntry.objects.filter(action="reperes.session_promote").count() == 1


def test_waiting_list_is_served_in_queue_order_not_row_order(act):
    session = build_session(capacity=1)
    holder, early, late = new_professional(), new_professional(), new_professional()
    seat = act.register(holder, session)
    late_row = act.register(late, session)
    early_row = act.register(early, session)
    # `early` joined the list first, whatever the rows' creation order.
    Registration.objects.filter(pk=early_row.pk).update(
        queued_at=late_row.queued_at - timedelta(hours=1)
    )

    act.cancel_registration(holder, seat)

    assert Registration.objects.get(pk=early_row.pk).status == CONFIRMED
    assert Registration.objects.get(pk=late_row.pk).status == WAITING


def test_leaving_the_waiting_list_promotes_nobody(act):
    session = build_session(capacity=1)
    holder, waiting, behind = new_professional(), new_professional(), new_professional()
    act.register(holder, session)
    row = act.register(waiting, session)
    act.register(behind, session)

    act.cancel_registration(waiting, row)

    statuses = dict(session.registrations.values_list("user", "status"))
    assert statuses == {holder.pk: CONFIRMED, waiting.pk: CANCELLED, behind.pk: WAITING}


def test_cancel_twice_changes_nothing_more(act):
    session = build_session(capacity=1)
    holder, first, second = new_professional(), new_professional(), new_professional()
    seat = act.register(holder, session)
    act.register(first, session)
    act.register(second, session)

    act.cancel_registration(holder, seat)
    again = act.cancel_registration(holder, seat)

    assert again.status == CANCELLED
    assert session.registrations.filter(status=CONFIRMED).count() == 1
    assert Registration.objects.get(user=second).status == WAITING
    assert ModelLogEntry.objects.filter(action="reperes.session_unregister").count() == 1


def test_cancel_after_close_is_refused(act, professional):
    session = build_session()
    registration = act.register(professional, session)

    with pytest.raises(SessionError) as excinfo:
        act.cancel_registration(professional, registration, now=after_close(session))

    assert excinfo.value.code == "registration_closed"
    assert Registration.objects.get(pk=registration.pk).status == CONFIRMED


def test_cancel_someone_elses_registration_is_refused_as_not_found(act, professional):
    session = build_session()
    registration = act.register(professional, session)

    with pytest.raises(SessionError) as excinfo:
        act.cancel_registration(new_professional(), registration)

    assert excinfo.value.code == "registration_not_found"
    assert Registration.objects.get(pk=registration.pk).status == CONFIRMED


def test_cancel_in_a_cancelled_session_is_refused(act, professional, trainer):
    session = build_session(trainer=trainer)
    registration = act.register(professional, session)
    act.cancel_session(session, trainer, "Formatrice malade")

    with pytest.raises(SessionError) as excinfo:
        act.cancel_registration(professional, registration)

    assert excinfo.value.code == "session_cancelled"


def test_register_runs_a_bounded_number_of_queries(
    act, professional, django_assert_max_num_queries
):
    session = build_session(capacity=5)
    for _ in range(3):
        act.register(new_professional(), session)

    # The service alone (its e-mail task runs after commit, outside this count).
    with django_assert_max_num_queries(10):
        registrations.register(professional, session)
