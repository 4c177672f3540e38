"""set_slots and schedule_changed: the session's times follow its half-days."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import Attendance, SessionSlot
from courses.models.sessions import AttendanceStatus, MarkMethod, SessionStatus
from courses.sessions import registrations
from courses.sessions.errors import SessionError

from .factories import build_session
from .registration_helpers import new_professional

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() + timedelta(days=20)


def slot(day=DAY, start="09:00", end="12:30", **extra):
    return {
        "date": day,
        "start_time": time.fromisoformat(start),
        "end_time": time.fromisoformat(end),
        **extra,
    }


def test_schedule_changed_recomputes_times_from_the_slots(trainer):
    session = build_session(trainer=trainer, slots=1)
    SessionSlot.objects.create(
        session=session, date=DAY, start_time=time(14, 0), end_time=time(17, 0)
    )

    moved = registrations.schedule_changed(session)

    session.refresh_from_db()
    assert moved is False  # the first slot did not move
    assert session.planned_minutes == 210 + 180
    assert timezone.localtime(session.ends_at).replace(tzinfo=None) == (
        timezone.datetime(DAY.year, DAY.month, DAY.day, 17, 0)
    )


def test_set_slots_replaces_and_edits_all_at_once(trainer):
    session = build_session(trainer=trainer, slots=2)
    first, second = session.slots.all()

    slots = registrations.set_slots(
        session,
        [
            slot(DAY, "09:00", "12:00", id=first.pk),
            slot(DAY, "13:30", "17:00"),
            slot(DAY + timedelta(days=1), "09:00", "12:00"),
        ],
        trainer,
    )

    assert slots[0].pk == first.pk
    assert not SessionSlot.objects.filter(pk=second.pk).exists()
    assert len(slots) == 3
    session.refresh_from_db()
    assert session.planned_minutes == 180 + 210 + 180
    assert timezone.localtime(session.starts_at).date() == DAY
    assert timezone.localtime(session.starts_at).time() == time(9, 0)
    assert timezone.localtime(session.ends_at).date() == DAY + timedelta(days=1)
    assert ModelLogEntry.objects.filter(action="reperes.session_slots").count() == 1


def test_moving_the_session_makes_reminders_due_again(trainer, act):
    session = build_session(trainer=trainer, slots=1)
    registration = act.register(new_professional(), session)
    registration.reminder_sent_at = timezone.now()
    registration.save()

    registrations.set_slots(session, [slot(DAY + timedelta(days=7))], trainer)

    registration.refresh_from_db()
    assert registration.reminder_sent_at is None


@pytest.mark.parametrize(
    ("slots_data", "code"),
    [
        ([], "no_slots"),
        ([slot(start="12:00", end="09:00")], "slot_end_before_start"),
        ([slot(start="09:00", end="09:00")], "slot_end_before_start"),
        ([slot(start="09:00", end="12:30"), slot(start="12:00", end="17:00")], "slots_overlap"),
        ([slot(start="14:00", end="17:00"), slot(start="09:00", end="14:30")], "slots_overlap"),
        ([slot(id=999_999)], "unknown_slot"),
    ],
)
def test_invalid_slots_are_refused_and_nothing_changes(trainer, slots_data, code):
    session = build_session(trainer=trainer, slots=2)
    before = list(session.slots.values_list("pk", "date", "start_time", "end_time"))

    with pytest.raises(SessionError) as excinfo:
        registrations.set_slots(session, slots_data, trainer)

    assert excinfo.value.code == code
    assert list(session.slots.values_list("pk", "date", "start_time", "end_time")) == before


def test_back_to_back_slots_are_accepted(trainer):
    session = build_session(trainer=trainer)

    slots = registrations.set_slots(
        session, [slot(start="09:00", end="12:00"), slot(start="12:00", end="15:00")], trainer
    )

    assert len(slots) == 2


def test_slot_of_another_session_is_refused(trainer):
    session = build_session(trainer=trainer)
    other = build_session(trainer=trainer).slots.first()

    with pytest.raises(SessionError) as excinfo:
        registrations.set_slots(session, [slot(id=other.pk)], trainer)

    assert excinfo.value.code == "unknown_slot"
    assert SessionSlot.objects.get(pk=other.pk).session_id != session.pk


def test_slot_with_attendance_cannot_be_removed(trainer, act):
    session = build_session(trainer=trainer, slots=2)
    first, second = session.slots.all()
    registration = act.register(new_professional(), session)
    Attendance.objects.create(
        slot=second,
        registration=registration,
        status=AttendanceStatus.PRESENT,
        marked_at=timezone.now(),
        method=MarkMethod.TRAINER,
    )

    with pytest.raises(SessionError) as excinfo:
        registrations.set_slots(session, [slot(id=first.pk)], trainer)

    assert excinfo.value.code == "slot_has_attendance"
    assert session.slots.count() == 2


def test_other_trainer_cannot_change_slots(trainer):
    session = build_session()

    with pytest.raises(SessionError) as excinfo:
        registrations.set_slots(session, [slot()], trainer)

    assert excinfo.value.code == "not_allowed"


def test_slots_of_a_finished_session_are_frozen(trainer):
    session = build_session(trainer=trainer, status=SessionStatus.FINISHED)

    with pytest.raises(SessionError) as excinfo:
        registrations.set_slots(session, [slot(date(2030, 1, 7))], trainer)

    assert excinfo.value.code == "session_finished"
