"""Attendance per half-day: who may mark, whom, when, and the history kept."""

from datetime import timedelta

import pytest
from wagtail.models import ModelLogEntry

from courses.models import Attendance, AttendanceMark
from courses.models.sessions import (
    AttendanceStatus,
    MarkMethod,
    RegistrationStatus,
    SessionStatus,
)
from courses.sessions.attendance import attendance_history, mark_attendance, slot_roll
from courses.sessions.errors import SessionError
from tests.conftest import make_user

from .factories import add_participant, build_session, new_trainer

pytestmark = pytest.mark.django_db

PRESENT, ABSENT, LATE, EXCUSED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
)


@pytest.fixture
def session():
    return build_session(slots=2)


@pytest.fixture
def slot(session):
    return session.slots.first()


@pytest.fixture
def registration(session, professional):
    return add_participant(session, professional)


@pytest.fixture
def session_trainer(session):
    return session.trainers.get()


def during(slot, minutes=30):
    return slot.starts_at + timedelta(minutes=minutes)


def after(slot, minutes=60):
    return slot.ends_at + timedelta(minutes=minutes)


def test_a_trainer_marks_a_participant_present(slot, registration, session_trainer):
    now = during(slot)
    attendance = mark_attendance(session_trainer, slot, registration, PRESENT, now=now)

    assert attendance.status == PRESENT
    assert attendance.marked_by == session_trainer
    assert attendance.method == MarkMethod.TRAINER
    assert attendance.marked_at == now
    mark = AttendanceMark.objects.get()
    assert (mark.status, mark.previous_status, mark.marked_by, mark.method, mark.reason) == (
        PRESENT,
        "",
        session_trainer,
        MarkMethod.TRAINER,
        "",
    )


def test_every_mark_appends_to_the_history_with_what_it_replaced(
    slot, registration, session_trainer
):
    mark_attendance(session_trainer, slot, registration, ABSENT, now=during(slot, 5))
    mark_attendance(session_trainer, slot, registration, LATE, now=during(slot, 40))
    mark_attendance(session_trainer, slot, registration, LATE, now=during(slot, 41))

    assert Attendance.objects.get().status == LATE
    history = [(mark.previous_status, mark.status) for mark in attendance_history(slot)]
    assert history == [("", ABSENT), (ABSENT, LATE), (LATE, LATE)]


def test_marks_are_logged_on_the_session(slot, registration, session_trainer, session):
    mark_attendance(session_trainer, slot, registration, PRESENT, now=during(slot))

    entry = ModelLogEntry.objects.get(action="reperes.attendance_mark")
    assert entry.object_id == str(session.pk)
    assert entry.data["registration_id"] == registration.pk
    assert entry.data["status"] == "present"


def test_coordination_marks_any_session(slot, registration, coordinator):
    attendance = mark_attendance(coordinator, slot, registration, EXCUSED, now=during(slot))

    assert attendance.status == EXCUSED


@pytest.mark.parametrize("who", ["other_trainer", "professional", "participant", "anonymous"])
def test_others_are_not_allowed_and_nothing_changes(slot, registration, who, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    by = {
        "other_trainer": lambda: build_session().trainers.get(),
        "professional": lambda: make_user(django_user_model, "autre@example.org"),
        "participant": lambda: registration.user,
        "anonymous": AnonymousUser,
    }[who]()

    with pytest.raises(SessionError) as excinfo:
        mark_attendance(by, slot, registration, PRESENT, now=during(slot))

    assert excinfo.value.code == "not_allowed"
    assert not Attendance.objects.exists()
    assert not AttendanceMark.objects.exists()


def test_a_trainer_of_another_session_cannot_mark_even_their_own_participants(slot, registration):
    other = build_session()
    other_trainer = other.trainers.get()
    add_participant(other, registration.user)

    with pytest.raises(SessionError) as excinfo:
        mark_attendance(other_trainer, slot, registration, PRESENT, now=during(slot))

    assert excinfo.value.code == "not_allowed"


@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.WAITING, RegistrationStatus.CANCELLED, RegistrationStatus.INVITED],
)
def test_only_confirmed_participants_are_marked(
    slot, session, session_trainer, status, professional
):
    registration = add_participant(session, professional, status=status)

    with pytest.raises(SessionError) as excinfo:
        mark_attendance(session_trainer, slot, registration, PRESENT, now=during(slot))

    assert excinfo.value.code == "not_registered"
    assert not Attendance.objects.exists()


def test_a_registration_to_another_session_is_refused(slot, session_trainer, professional):
    elsewhere = add_participant(build_session(), professional)

    with pytest.raises(SessionError) as excinfo:
        mark_attendance(session_trainer, slot, elsewhere, PRESENT, now=during(slot))

    assert excinfo.value.code == "not_registered"


@pytest.mark.parametrize("status", ["", "presente", None, "PRESENT"])
def test_unknown_statuses_are_refused(slot, registration, session_trainer, status):
    with pytest.raises(SessionError) as excinfo:
        mark_attendance(session_trainer, slot, registration, status, now=during(slot))

    assert excinfo.value.code == "invalid_status"


def test_self_check_in_is_not_a_trainer_method(slot, registration, session_trainer):
    with pytest.raises(ValueError):
        mark_attendance(
            session_trainer, slot, registration, PRESENT, method=MarkMethod.SELF_CHECK_IN
        )


def test_nobody_is_present_before_the_slot_opens_but_can_be_excused(
    slot, registration, session_trainer
):
    early = slot.starts_at - timedelta(hours=2)
    for status in (PRESENT, LATE):
        with pytest.raises(SessionError) as excinfo:
            mark_attendance(session_trainer, slot, registration, status, now=early)
        assert excinfo.value.code == "slot_not_started"

    attendance = mark_attendance(session_trainer, slot, registration, EXCUSED, now=early)
    assert attendance.status == EXCUSED
    # Fifteen minutes before the start, people arriving are present.
    door = slot.starts_at - timedelta(minutes=15)
    assert mark_attendance(session_trainer, slot, registration, PRESENT, now=door).status == PRESENT


def test_a_cancelled_session_takes_no_attendance(session, slot, registration, session_trainer):
    session.status = SessionStatus.CANCELLED
    session.save()

    with pytest.raises(SessionError) as excinfo:
        mark_attendance(session_trainer, slot, registration, PRESENT, now=during(slot))

    assert excinfo.value.code == "session_cancelled"


# --- After the slot ended: corrections with a reason -----------------------------------------


def test_a_change_after_the_slot_needs_a_reason(slot, registration, session_trainer):
    mark_attendance(session_trainer, slot, registration, ABSENT, now=during(slot))

    for reason in ("", "   \n "):
        with pytest.raises(SessionError) as excinfo:
            mark_attendance(
                session_trainer, slot, registration, PRESENT, reason=reason, now=after(slot)
            )
        assert excinfo.value.code == "reason_required"
    assert Attendance.objects.get().status == ABSENT
    assert AttendanceMark.objects.count() == 1


def test_a_change_after_the_slot_is_a_correction_with_its_reason(
    slot, registration, session_trainer
):
    mark_attendance(session_trainer, slot, registration, ABSENT, now=during(slot))

    attendance = mark_attendance(
        session_trainer,
        slot,
        registration,
        LATE,
        reason="  Arrivée à 10 h,\n oubliée sur la liste ",
        now=after(slot),
    )

    assert attendance.method == MarkMethod.CORRECTION
    last = attendance_history(slot).last()
    assert (last.previous_status, last.status, last.method) == (ABSENT, LATE, "correction")
    assert last.reason == "Arrivée à 10 h, oubliée sur la liste"


def test_a_first_mark_after_the_slot_is_a_correction_too(slot, registration, coordinator):
    with pytest.raises(SessionError) as excinfo:
        mark_attendance(coordinator, slot, registration, PRESENT, now=after(slot))
    assert excinfo.value.code == "reason_required"
    assert not Attendance.objects.exists()  # the row created under the lock rolled back

    attendance = mark_attendance(
        coordinator, slot, registration, PRESENT, reason="Feuille papier", now=after(slot)
    )
    assert attendance.method == MarkMethod.CORRECTION


def test_repeating_the_status_after_the_slot_records_nothing(slot, registration, session_trainer):
    mark_attendance(session_trainer, slot, registration, PRESENT, now=during(slot))

    attendance = mark_attendance(session_trainer, slot, registration, PRESENT, now=after(slot))

    assert attendance.method == MarkMethod.TRAINER
    assert AttendanceMark.objects.count() == 1


def test_an_overlong_reason_is_refused(slot, registration, session_trainer):
    with pytest.raises(SessionError) as excinfo:
        mark_attendance(
            session_trainer, slot, registration, PRESENT, reason="x" * 501, now=after(slot)
        )
    assert excinfo.value.code == "reason_too_long"


def test_a_second_trainer_of_the_session_may_mark(session, slot, registration, session_trainer):
    second = new_trainer()
    session.trainers.add(second)

    mark_attendance(session_trainer, slot, registration, ABSENT, now=during(slot, 1))
    mark_attendance(second, slot, registration, PRESENT, now=during(slot, 2))

    assert [mark.marked_by for mark in attendance_history(slot)] == [session_trainer, second]


# --- Reading --------------------------------------------------------------------------------------


def test_the_roll_lists_confirmed_participants_with_their_mark(
    session, slot, session_trainer, django_user_model, django_assert_max_num_queries
):
    people = [
        make_user(django_user_model, f"p{i}@example.org", last_name=f"N{i}") for i in range(6)
    ]
    registrations = [add_participant(session, person) for person in people]
    add_participant(session, make_user(django_user_model, "wait@example.org"), "waiting")
    mark_attendance(session_trainer, slot, registrations[0], PRESENT, now=during(slot))

    with django_assert_max_num_queries(2):
        roll = slot_roll(slot)
        names = [(registration.user.last_name, attendance) for registration, attendance in roll]

    assert [name for name, _ in names] == [f"N{i}" for i in range(6)]
    assert names[0][1].status == PRESENT
    assert all(attendance is None for _, attendance in names[1:])


def test_a_mark_costs_the_same_whatever_the_number_of_participants(
    session, slot, session_trainer, django_user_model, django_assert_max_num_queries
):
    registrations = [
        add_participant(session, make_user(django_user_model, f"n{i}@example.org"))
        for i in range(30)
    ]
    mark_attendance(session_trainer, slot, registrations[0], PRESENT, now=during(slot))

    # Permission (2), savepoint (2), get_or_create (4), update, history, audit log (3).
    with django_assert_max_num_queries(13):
        mark_attendance(session_trainer, slot, registrations[-1], PRESENT, now=during(slot))
    with django_assert_max_num_queries(13):
        mark_attendance(session_trainer, slot, registrations[-1], LATE, now=during(slot))
