"""« Mes données »: everything Repères holds about one person, and nothing about anyone else.

`personal_data(user)` returns plain data (dicts, lists, strings, numbers, dates) that
the view sends as JSON or shows as a printable page. It reads each kind of row once
for all of them (select_related / prefetch): the number of queries does not grow
with the person's history (tests/accounts/test_privacy_export.py).

What is left out on purpose, and said so in the export: secrets (password hash, second
factor keys, recovery codes, the calendar feed's token, the device fingerprint of a
check-in) and the bytes of signature drawings (the export says one is stored). Other
people appear only as the trainer who marked an attendance, by their name.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from certificates.views import HOLDER_LABELS
from courses.models import (
    Attendance,
    AttendanceMark,
    CalendarFeed,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    Registration,
    SessionSlot,
    SlotSignature,
    TrainingSession,
)
from courses.models.learning import AttemptStatus
from courses.modules.services import is_answer_right

FORMAT_VERSION = 1

CERTIFICATE_FIELDS = (
    "uuid",
    "kind",
    "number",
    "code",
    "title",
    "publisher_name",
    "holder_first_name",
    "holder_last_name",
    "holder_profession",
    "holder_organisation",
    "completed_on",
    "issued_at",
    "expires_on",
    "revoked_at",
    "replaced_at",
    "holder_id",
)


def personal_data(user, *, language=""):
    """Everything about `user`, as plain data (see the module docstring)."""
    return {
        "export": {
            "site": "Repères",
            "format_version": FORMAT_VERSION,
            "generated_at": timezone.now(),
            "not_included": _(
                "Mot de passe, clés de double authentification, codes de récupération, "
                "adresse secrète de l'agenda et dessins des signatures : ils existent "
                "mais ne sont jamais exportés."
            ),
        },
        "account": account(user, language),
        "email_addresses": email_addresses(user),
        "two_factor_authentication": two_factor(user),
        "calendar_feed": calendar_feed(user),
        "learning": learning(user),
        "session_registrations": session_registrations(user),
        "trained_sessions": trained_sessions(user),
        "certificates": certificates(user),
    }


# --- Account -----------------------------------------------------------------------------


def account(user, language):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "profession": user.profession,
        "profession_label": str(user.get_profession_display()) if user.profession else "",
        "organisation": user.organisation,
        "commune": user.commune,
        # Not stored on the account: a cookie of the browser that asked.
        "interface_language": language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "inactivity_warning_sent_at": user.inactivity_warned_at,
    }


def email_addresses(user):
    return [
        {"email": row.email, "verified": row.verified, "primary": row.primary}
        for row in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


def two_factor(user):
    methods = [
        {
            "type": row.type,
            "label": str(row.get_type_display()),
            "created_at": row.created_at,
            "last_used_at": row.last_used_at,
        }
        # Never `data`: it holds the secret key and the recovery codes.
        for row in Authenticator.objects.filter(user=user)
        .only("type", "created_at", "last_used_at")
        .order_by("created_at")
    ]
    return {"enabled": bool(methods), "methods": methods}


def calendar_feed(user):
    feed = CalendarFeed.objects.filter(user=user).only("created_at").first()
    return {"exists": feed is not None, "created_at": feed.created_at if feed else None}


# --- Modules -----------------------------------------------------------------------------


def learning(user):
    return {
        "enrolments": [
            {"module": row.module.title, "started_at": row.started_at}
            for row in Enrolment.objects.filter(user=user)
            .select_related("module")
            .order_by("started_at", "pk")
        ],
        "lessons": [
            {
                "module": row.module.title,
                "lesson": row.lesson.title,
                "first_visit_at": row.first_visit_at,
                "last_visit_at": row.last_visit_at,
                "visits": row.visits,
                "time_spent_seconds": row.time_spent_seconds,
                "completed_at": row.completed_at,
            }
            for row in LessonProgress.objects.filter(user=user)
            .select_related("module", "lesson")
            .order_by("module_id", "first_visit_at", "pk")
        ],
        "quiz_attempts": [
            quiz_attempt(row)
            for row in QuizAttempt.objects.filter(user=user)
            .select_related("module")
            .prefetch_related("answers")
            .order_by("started_at", "pk")
        ],
        "completions": [
            {
                "module": row.module.title,
                "completed_at": row.completed_at,
                "score": row.score,
                "time_spent_seconds": row.time_spent_seconds,
            }
            for row in ModuleCompletion.objects.filter(user=user)
            .select_related("module")
            .order_by("completed_at", "pk")
        ],
    }


def quiz_attempt(attempt):
    submitted = attempt.status == AttemptStatus.SUBMITTED
    questions = {question["id"]: question for question in attempt.questions}
    return {
        "module": attempt.module.title,
        "number": attempt.number,
        "status": attempt.status,
        "status_label": str(attempt.get_status_display()),
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        "answers": [
            quiz_answer(questions.get(answer.question_id), answer, submitted)
            for answer in sorted(attempt.answers.all(), key=lambda a: a.pk)
        ],
    }


def quiz_answer(question, answer, submitted):
    """The question and the choices the person ticked, as they read them.

    Whether the answer was right is given once the attempt is submitted, as on the
    result page; the right choices themselves never are.
    """
    question = question or {"prompt": "", "choices": []}
    texts = {choice["id"]: choice["text"] for choice in question["choices"]}
    return {
        "question": question["prompt"],
        "chosen": [texts.get(choice_id, choice_id) for choice_id in answer.choice_ids],
        "answered_at": answer.answered_at,
        "right": is_answer_right(question, answer.choice_ids) if submitted else None,
    }


# --- Sessions ----------------------------------------------------------------------------


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


# --- Certificates ------------------------------------------------------------------------


def certificates(user):
    today = timezone.localdate()
    rows = Certificate.objects.filter(holder=user).only(*CERTIFICATE_FIELDS)
    return [certificate_data(row, today) for row in rows.order_by("issued_at", "pk")]


def certificate_data(certificate, today):
    status = certificate.status(today)
    return {
        "number": certificate.number,
        "kind": certificate.kind,
        "kind_label": str(certificate.get_kind_display()),
        "title": certificate.title,
        "publisher": certificate.publisher_name,
        "holder_name": certificate.holder_name,
        "holder_profession": certificate.holder_profession,
        "holder_organisation": certificate.holder_organisation,
        "completed_on": certificate.completed_on,
        "issued_at": certificate.issued_at,
        "expires_on": certificate.expires_on,
        "status": status.value,
        # As « Mes certificats » says it to the holder (« En vigueur », not « Authentique »).
        "status_label": str(HOLDER_LABELS[status]),
        "verification_url": certificate.get_verification_url(),
    }
