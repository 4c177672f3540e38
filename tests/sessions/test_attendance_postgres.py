"""Concurrency on PostgreSQL: marks, check-ins, signatures and closing at the same moment."""

from datetime import timedelta

import pytest

from certificates.models import Certificate
from courses.models import Attendance, AttendanceMark, SlotSignature
from courses.models.sessions import AttendanceStatus, SessionStatus
from courses.sessions.attendance import attendance_history, mark_attendance
from courses.sessions.certificates import finish_session
from courses.sessions.checkin import check_in, current_checkin
from courses.sessions.errors import SessionError
from courses.sessions.signatures import sign_slot, sign_slot_as_trainer
from tests.concurrency import run_in_parallel
from tests.conftest import make_user

from .factories import add_participant, build_session, new_trainer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def during(slot, minutes=30):
    return slot.starts_at + timedelta(minutes=minutes)


def test_two_trainers_marking_one_person_at_once_leave_one_state_and_both_marks(professional):
    session = build_session(slots=1)
    first = session.trainers.get()
    second = new_trainer()
    session.trainers.add(second)
    slot = session.slots.get()
    registration = add_participant(session, professional)
    now = during(slot)
    choices = {first: AttendanceStatus.PRESENT, second: AttendanceStatus.LATE}

    for existing in (None, AttendanceStatus.EXCUSED, None, AttendanceStatus.EXCUSED):
        # Both on a new row (the unique constraint decides) and on an existing one
        # (the row lock does).
        Attendance.objects.all().delete()
        if existing:
            mark_attendance(first, slot, registration, existing, now=now)
        _, errors = run_in_parallel(
            lambda trainer: mark_attendance(trainer, slot, registration, choices[trainer], now=now),
            [first, second],
        )

        assert errors == []
        attendance = Attendance.objects.get()
        history = list(attendance_history(slot))[1 if existing else 0 :]
        assert {mark.marked_by for mark in history} == {first, second}
        # Serialised: the second mark replaced the first, and the row shows the last.
        assert history[0].previous_status == (existing or "")
        assert history[1].previous_status == history[0].status
        assert attendance.status == history[1].status
        assert attendance.marked_by == history[1].marked_by


def test_twenty_parallel_check_ins_of_one_person_make_one_attendance(professional):
    session = build_session(slots=1)
    slot = session.slots.get()
    add_participant(session, professional)
    now = during(slot)
    token = current_checkin(slot, now).token

    results, errors = run_in_parallel(
        lambda index: check_in(professional, token, device_id=f"d{index}", now=now), range(20)
    )

    assert errors == []
    assert Attendance.objects.count() == 1
    assert AttendanceMark.objects.count() == 1
    assert {attendance.pk for attendance in results} == {Attendance.objects.get().pk}
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT


def test_parallel_check_ins_of_many_people_are_all_recorded(django_user_model):
    session = build_session(slots=1, capacity=30)
    slot = session.slots.get()
    people = [make_user(django_user_model, f"p{index}@example.org") for index in range(20)]
    for person in people:
        add_participant(session, person)
    now = during(slot)
    code = current_checkin(slot, now).short_code

    _, errors = run_in_parallel(lambda person: check_in(person, code, now=now), people)

    assert errors == []
    assert Attendance.objects.filter(status=AttendanceStatus.PRESENT).count() == 20


def test_parallel_signatures_of_one_person_make_one(professional):
    session = build_session(slots=1)
    slot = session.slots.get()
    add_participant(session, professional)
    now = during(slot)
    check_in(professional, current_checkin(slot, now).token, now=now)

    results, errors = run_in_parallel(
        lambda _: sign_slot(professional, slot, typed_name="C. Martin", certified=True, now=now),
        range(10),
    )

    assert errors == []
    assert SlotSignature.objects.count() == 1
    assert {signature.pk for signature in results} == {SlotSignature.objects.get().pk}


def test_two_trainers_signing_a_slot_at_once_make_one_trainer_signature():
    session = build_session(slots=1)
    trainers = [session.trainers.get(), new_trainer()]
    session.trainers.add(trainers[1])
    slot = session.slots.get()

    def sign(trainer):
        try:
            return sign_slot_as_trainer(
                trainer, slot, typed_name=trainer.last_name, certified=True, now=during(slot)
            )
        except SessionError as error:
            assert error.code == "already_signed"
            return None

    results, errors = run_in_parallel(sign, trainers * 5)

    assert errors == []
    assert SlotSignature.objects.count() == 1
    signer = SlotSignature.objects.get().trainer
    assert all(result is None or result.trainer == signer for result in results)


def test_parallel_finish_gives_one_certificate_per_participant(django_user_model, coordinator):
    session = build_session(slots=2, capacity=30)
    trainer = session.trainers.get()
    people = [make_user(django_user_model, f"p{index}@example.org") for index in range(8)]
    for person in people:
        registration = add_participant(session, person)
        for slot in session.slots.all():
            mark_attendance(trainer, slot, registration, "present", now=during(slot))
    closers = [trainer, coordinator] * 5

    results, errors = run_in_parallel(
        lambda by: finish_session(session, by, now=session.ends_at), closers
    )

    assert errors == []
    assert Certificate.objects.count() == 8
    assert Certificate.objects.current().filter(session=session).count() == 8
    assert {certificate.holder for certificate in Certificate.objects.all()} == set(people)
    assert all(
        {c.pk for c in result} == set(Certificate.objects.values_list("pk", flat=True))
        for result in results
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.FINISHED
    numbers = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 8))  # no gap
