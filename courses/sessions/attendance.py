"""Attendance per half-day: who was there, marked by whom, how, when and why.

`Attendance` holds the current mark of one participant for one slot; every call
that records something appends an `AttendanceMark` (never updated nor deleted), so
the « feuille d'émargement » can be audited: a trainer's mark, a self check-in and
a later correction all stay visible to Coordination.

Rules:

- Only the session's trainers and Coordination mark attendance. Anyone else gets
  `not_allowed` (views answer 404: a session that is not yours does not exist).
- Only confirmed participants of the slot's session are marked (`not_registered`:
  the trainer adds the person first).
- « Présent·e » or « en retard » cannot be recorded before the slot opens (15 min
  before its start, as self check-in): nobody is present at a half-day in advance.
  « Excusé·e » or « absent·e » can, since people warn ahead.
- Once the slot has ended, any change (a first mark included: the trainer forgot)
  needs a reason and is recorded as a correction. Repeating the current status
  then changes nothing and records nothing.
- Two trainers marking the same person at the same moment serialise on the
  `Attendance` row: one final state, both marks in the history, each with the
  status it replaced.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from courses.models import Attendance, AttendanceMark, Registration
from courses.models.sessions import (
    ATTENDED,
    AttendanceStatus,
    MarkMethod,
    RegistrationStatus,
    SessionStatus,
)
from courses.sessions.errors import SessionError
from courses.sessions.registrations import require_manager

logger = logging.getLogger("reperes.sessions")

#: Self check-in and « présent·e » marks open this long before a slot starts.
OPENS_BEFORE_START = timedelta(minutes=15)
REASON_MAX_LENGTH = 500


def record(action, session, user, **data):
    """Log to the application log and to Wagtail's audit log, on the session.

    Logged on the session (not the attendance row) so that its history reads as one
    list. Free-text reasons go to the audit log only, never to the application log.
    """
    app_data = {key: value for key, value in data.items() if key != "reason"}
    logger.info(
        action,
        extra={"user_id": getattr(user, "pk", None), "session_id": session.pk, **app_data},
    )
    log(instance=session, action=action, user=user, data=data)


# --- Who may do what -------------------------------------------------------------------------


def require_trainer_or_coordination(user, session):
    """The session's trainers and Coordination (`TrainingSession.objects.for_trainer`)."""
    if user is None or not user.is_authenticated:
        raise SessionError("not_allowed")
    require_manager(session, user)


def can_manage(user, session):
    try:
        require_trainer_or_coordination(user, session)
    except SessionError:
        return False
    return True


def require_confirmed(slot, registration):
    """The registration is a confirmed place in the slot's session."""
    if (
        registration is None
        or registration.session_id != slot.session_id
        or registration.status != RegistrationStatus.CONFIRMED
    ):
        raise SessionError("not_registered")


def confirmed_registration(user, session):
    """The user's confirmed place in `session`, or `not_registered`."""
    if user is None or not user.is_authenticated:
        raise SessionError("not_registered")
    registration = Registration.objects.filter(
        session=session, user_id=user.pk, status=RegistrationStatus.CONFIRMED
    ).first()
    if registration is None:
        raise SessionError("not_registered")
    return registration


def require_not_cancelled(session):
    if session.status == SessionStatus.CANCELLED:
        raise SessionError("session_cancelled")


def opens_at(slot):
    return slot.starts_at - OPENS_BEFORE_START


def clean_reason(reason):
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX_LENGTH:
        raise SessionError("reason_too_long", maximum=REASON_MAX_LENGTH)
    return reason


def clean_status(status):
    try:
        return AttendanceStatus(status)
    except ValueError:
        raise SessionError("invalid_status") from None


# --- Marking -----------------------------------------------------------------------------------


def mark_attendance(
    by, slot, registration, status, *, method=MarkMethod.TRAINER, reason="", now=None
):
    """Record `status` for `registration` at `slot`; returns the `Attendance`.

    `method` is « trainer » in the room; a trainer correcting an earlier mark may
    pass « correction ». After the slot's end the method is always « correction »
    and a reason is required.
    """
    if method not in (MarkMethod.TRAINER, MarkMethod.CORRECTION):
        raise ValueError(
            f"{method!r}: self check-in goes through courses.sessions.checkin.check_in"
        )
    now = now or timezone.now()
    status = clean_status(status)
    reason = clean_reason(reason)
    session = slot.session
    require_trainer_or_coordination(by, session)
    require_not_cancelled(session)
    require_confirmed(slot, registration)
    if status in ATTENDED and now < opens_at(slot):
        raise SessionError("slot_not_started")
    ended = now > slot.ends_at
    with transaction.atomic():
        attendance, previous = _locked_attendance(slot, registration, status, by, method, now)
        if ended:
            if previous == status:
                return attendance  # nothing to correct: no reason asked, nothing recorded
            if not reason:
                raise SessionError("reason_required")  # rolls back a row just created
            method = MarkMethod.CORRECTION
        _apply(attendance, previous, status, by=by, method=method, now=now, reason=reason)
    return attendance


def record_self_check_in(user, slot, registration, *, device="", now):
    """Mark the participant present by self check-in (see `courses.sessions.checkin`).

    Already present or late: nothing changes (a double scan, twenty parallel
    requests). Marked absent or excused by the trainer: the scan, accepted within
    the slot's time window, proves presence, so the mark becomes « présent·e ».
    """
    with transaction.atomic():
        attendance, previous = _locked_attendance(
            slot, registration, AttendanceStatus.PRESENT, user, MarkMethod.SELF_CHECK_IN, now
        )
        if previous in ATTENDED:
            return attendance
        _apply(
            attendance,
            previous,
            AttendanceStatus.PRESENT,
            by=user,
            method=MarkMethod.SELF_CHECK_IN,
            now=now,
            device=device,
        )
    return attendance


def _locked_attendance(slot, registration, status, by, method, now):
    """The attendance row, locked, and the status it had ("" when just created).

    get_or_create first (the unique constraint settles two creations at once), then a
    row lock, so that concurrent marks of one person apply one after the other.
    """
    attendance, created = Attendance.objects.get_or_create(
        slot=slot,
        registration=registration,
        defaults={"status": status, "marked_at": now, "marked_by": by, "method": method},
    )
    if created:
        return attendance, ""
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    attendance.slot, attendance.registration = slot, registration  # already loaded
    return attendance, attendance.status


def _apply(attendance, previous, status, *, by, method, now, reason="", device=""):
    """Update the current mark, append it to the history, log it on the session."""
    attendance.status = status
    attendance.marked_at = now
    attendance.marked_by = by
    attendance.method = method
    attendance.save(update_fields=["status", "marked_at", "marked_by", "method"])
    AttendanceMark.objects.create(
        attendance=attendance,
        status=status,
        previous_status=previous,
        marked_at=now,
        marked_by=by,
        method=method,
        reason=reason,
        device=device,
    )
    data = {
        "slot_id": attendance.slot_id,
        "registration_id": attendance.registration_id,
        "status": str(status),
        "previous_status": str(previous),
        "method": str(method),
    }
    if reason:
        data["reason"] = reason
    record("reperes.attendance_mark", attendance.slot.session, by, **data)


# --- Reading -----------------------------------------------------------------------------------


def slot_roll(slot):
    """Confirmed participants of the slot's session with their attendance (or None).

    Two queries whatever the number of participants: the attendance screen's list.
    """
    registrations = list(
        Registration.objects.filter(session_id=slot.session_id, status=RegistrationStatus.CONFIRMED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "email")
    )
    attendances = {
        attendance.registration_id: attendance
        for attendance in Attendance.objects.filter(slot=slot)
    }
    return [(registration, attendances.get(registration.pk)) for registration in registrations]


def attendance_history(slot):
    """Every mark of the slot, oldest first, with who made it (for Coordination)."""
    return (
        AttendanceMark.objects.filter(attendance__slot=slot)
        .select_related("attendance__registration__user", "marked_by")
        .order_by("marked_at", "pk")
    )


def session_attendance_history(session):
    """Every mark of every slot of the session, newest first: one query, whatever its size."""
    return (
        AttendanceMark.objects.filter(attendance__slot__session=session)
        .select_related("attendance__slot", "attendance__registration__user", "marked_by")
        .order_by("-marked_at", "-pk")
    )
