"""What the in-person wing holds about a person, for « Mes données » and deletion.

Registered with the accounts app (`accounts.privacy.registry`) by CoursesConfig.ready:
the calendar feed (shown under « Mon compte »), registrations with their attendance
and signatures, and the sessions the person runs as a trainer.

On deletion (policy in `accounts.privacy.erasure`), seats and waiting-list places in
sessions still to come are cancelled first, through the session service, so that the
seat goes to the waiting list and the session's history says so; past registrations
go with the account by cascade, and the signature drawings are removed after commit.
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from accounts.privacy import registry
from courses.models import (
    Attendance,
    AttendanceMark,
    CalendarFeed,
    Registration,
    SessionSlot,
    SlotSignature,
    TrainingSession,
)
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions.registrations import cancel_registration


def register():
    registry.register_section(
        registry.Section(
            name="courses.sessions.calendar",
            order=10,
            export={"calendar_feed": calendar_feed},
            template="courses/sessions/privacy/my_data_calendar.html",
            place=registry.IN_ACCOUNT,
        )
    )
    registry.register_section(
        registry.Section(
            name="courses.sessions",
            order=30,
            export={
                "session_registrations": session_registrations,
                "trained_sessions": trained_sessions,
            },
            template="courses/sessions/privacy/my_data.html",
        )
    )
    registry.register_erasure(
        registry.Erasure(
            name="courses.sessions",
            order=30,
            prepare=cancel_upcoming_registrations,
            files=signature_files_of,
            notice="courses/sessions/privacy/deletion_notice.html",
            preview=deletion_preview,
        )
    )


# --- Deletion ----------------------------------------------------------------------------


def upcoming_registrations(user, now):
    """Seats and waiting-list places in planned sessions that have not started yet."""
    return Registration.objects.filter(
        Q(session__starts_at__gt=now) | Q(session__starts_at__isnull=True),
        user=user,
        session__status=SessionStatus.PLANNED,
        status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING),
    ).select_related("session")


def deletion_preview(user, now):
    return {"upcoming": list(upcoming_registrations(user, now))}


def cancel_upcoming_registrations(user, now):
    """Cancel them through the session service (waiting list served, history logged)."""
    registrations = list(upcoming_registrations(user, now).order_by("pk"))
    for registration in registrations:
        cancel_registration(user, registration, now, closing_account=True)
    return {"cancelled_registrations": len(registrations)}


def signature_files_of(user):
    """The stored drawings of the user's émargement signatures (removed after commit)."""
    return [
        (field.storage, field.name)
        for field in (
            signature.image
            for signature in SlotSignature.objects.filter(registration__user=user).exclude(image="")
        )
    ]


# --- « Mes données » ---------------------------------------------------------------------


def calendar_feed(user):
    feed = CalendarFeed.objects.filter(user=user).only("created_at").first()
    return {"exists": feed is not None, "created_at": feed.created_at if feed else None}


def trainer_name(user):
    """Who marked an attendance: a name, never an address (the person's own record)."""
    if user is None:
        return ""
    return user.get_full_name().strip() or _("formateur·rice")


def session_registrations(user):
    attendances = Attendance.objects.select_related("slot", "marked_by").prefetch_related(
        Prefetch(
            "history",
            queryset=AttendanceMark.objects.select_related("marked_by").order_by("marked_at", "pk"),
        )
    )
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("session__organiser")
        .prefetch_related(
            Prefetch("session__slots", queryset=SessionSlot.objects.order_by("date", "start_time")),
            Prefetch("attendances", queryset=attendances),
            Prefetch("signatures", queryset=SlotSignature.objects.select_related("slot")),
        )
        .order_by("created_at", "pk")
    )
    return [registration_data(registration, user) for registration in registrations]


def slot_data(slot):
    return {"date": slot.date, "start_time": slot.start_time, "end_time": slot.end_time}


def registration_data(registration, user):
    session = registration.session
    return {
        "session": session.title,
        "organiser": session.organiser.name,
        "session_status": session.status,
        "session_status_label": str(session.get_status_display()),
        "venue": _("à distance") if session.is_remote else session.venue_name,
        "commune": session.commune,
        "slots": [slot_data(slot) for slot in session.slots.all()],
        "status": registration.status,
        "status_label": str(registration.get_status_display()),
        "registered_at": registration.created_at,
        "confirmed_at": registration.confirmed_at,
        "queued_at": registration.queued_at,
        "cancelled_at": registration.cancelled_at,
        "attendance": [
            attendance_data(attendance, user)
            for attendance in sorted(
                registration.attendances.all(), key=lambda a: (a.slot.date, a.slot.start_time)
            )
        ],
        "signatures": [
            {
                "slot": slot_data(signature.slot),
                "signed_at": signature.signed_at,
                "typed_name": signature.typed_name,
                "drawing_stored": bool(signature.image),
                "certified": signature.certified,
            }
            for signature in sorted(registration.signatures.all(), key=lambda s: s.signed_at)
        ],
    }


def marker(mark, user):
    """« vous-même » for a self check-in, else the trainer's name."""
    if mark.marked_by_id == user.pk:
        return _("vous-même")
    return trainer_name(mark.marked_by)


def attendance_data(attendance, user):
    return {
        "slot": slot_data(attendance.slot),
        "status": attendance.status,
        "status_label": str(attendance.get_status_display()),
        "marked_at": attendance.marked_at,
        "marked_by": marker(attendance, user),
        "method": attendance.method,
        "method_label": str(attendance.get_method_display()),
        "history": [
            {
                "status": mark.status,
                "status_label": str(mark.get_status_display()),
                "previous_status": mark.previous_status,
                "marked_at": mark.marked_at,
                "marked_by": marker(mark, user),
                "method": mark.method,
                "method_label": str(mark.get_method_display()),
                "reason": mark.reason,
            }
            for mark in attendance.history.all()
        ],
    }


def trained_sessions(user):
    """Sessions the person runs as a trainer: titles and dates, never their participants."""
    return [
        {
            "session": session.title,
            "status": session.status,
            "status_label": str(session.get_status_display()),
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
        }
        for session in TrainingSession.objects.filter(trainers=user)
        .only("title", "status", "starts_at", "ends_at")
        .order_by("starts_at", "pk")
    ]
