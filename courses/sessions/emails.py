"""E-mails about in-person sessions, sent by tasks after the change is committed.

The services call `queue(kind, registration)`: the task is enqueued once the
transaction commits (a rolled-back registration sends nothing), and a mail server
that fails only fails the task, never the registration. Each task reads the
registration again when it runs and sends nothing if the message no longer
applies (the person cancelled meanwhile, the session was cancelled…).

Messages are written in French (plain text + HTML) from
`courses/templates/courses/sessions/emails/<kind>{_subject.txt,.txt,.html}`.
Confirmations, promotions and reminders carry the session's `.ics`.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tasks import task

from core.links import absolute_url
from courses.models import Registration
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions.calendar import ics_filename, location, session_ics, session_url

logger = logging.getLogger("reperes.courses")

TEMPLATE_DIR = "courses/sessions/emails"
#: Kinds whose message goes to a person holding a seat: the meeting link and .ics go with it.
SEAT_HOLDER_KINDS = {"confirmed", "promoted", "reminder"}


# --- Queueing (called by the services, inside their transaction) -----------------------


def queue(kind, registration, **arguments):
    """Enqueue the `kind` e-mail for `registration` once the transaction commits."""
    send = TASKS[kind]
    registration_id = registration.pk
    # robust: a queue that cannot take the task is logged, never turned into an error
    # for the person whose registration was just saved.
    transaction.on_commit(lambda: send.enqueue(registration_id, **arguments), robust=True)


# --- Rendering --------------------------------------------------------------------------


def slot_label(slot):
    """« lundi 7 décembre 2026, 9 h 00 – 12 h 30 » (call under the French locale)."""
    return "{day}, {start} – {end}".format(
        day=formats.date_format(slot.date, "l j F Y"),
        start=formats.time_format(slot.start_time, r"G \h i"),
        end=formats.time_format(slot.end_time, r"G \h i"),
    )


def recipient(registration):
    user = registration.user
    return user.email if user is not None and user.email else registration.email


def waiting_position(registration):
    return (
        Registration.objects.filter(
            session_id=registration.session_id,
            status=RegistrationStatus.WAITING,
            queued_at__lt=registration.queued_at,
        ).count()
        + 1
    )


def email_context(kind, registration, **extra):
    session = registration.session
    user = registration.user
    context = {
        "kind": kind,
        "first_name": user.first_name.strip() if user is not None else "",
        "session": session,
        "title": session.title,
        "organiser": session.organiser.name,
        "slots": [slot_label(slot) for slot in session.slots.all()],
        "duration": session.planned_duration_display,
        "location": location(session, include_meeting_url=False),
        "is_remote": session.is_remote,
        "meeting_url": session.meeting_url if kind in SEAT_HOLDER_KINDS else "",
        "session_url": session_url(session),
        "espace_url": absolute_url(reverse("courses:dashboard")),
        "closes_at": formats.date_format(
            timezone.localtime(session.registration_closes_at), r"l j F Y à G \h i"
        ),
        "email": recipient(registration),
        **extra,
    }
    if kind == "waiting":
        context["position"] = waiting_position(registration)
    if kind == "invitation":
        context["signup_url"] = absolute_url(reverse("account_signup"))
        added_by = registration.added_by
        context["invited_by"] = added_by.get_full_name() if added_by else ""
    return context


def render_message(kind, registration, **extra):
    """(subject, text, html) of the `kind` message, in French."""
    with translation.override("fr"):
        context = email_context(kind, registration, **extra)
        subject = render_to_string(f"{TEMPLATE_DIR}/{kind}_subject.txt", context)
        # A header holds on one line.
        subject = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATE_DIR}/{kind}.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/{kind}.html", context)
    return subject, text, html


def build_message(kind, registration, **extra):
    subject, text, html = render_message(kind, registration, **extra)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [recipient(registration)]
    )
    message.attach_alternative(html, "text/html")
    if kind in SEAT_HOLDER_KINDS:
        session = registration.session
        message.attach(
            ics_filename(session),
            session_ics(session, include_meeting_url=True),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    return message


# --- Sending ----------------------------------------------------------------------------


def load(registration_id):
    return (
        Registration.objects.select_related("session__organiser", "user", "added_by")
        .filter(pk=registration_id)
        .first()
    )


def skip_reason(kind, registration):
    """Why the `kind` message no longer applies to this registration, or None."""
    if registration is None:
        return "registration_missing"
    status, session_status = registration.status, registration.session.status
    if kind == "cancelled":
        return None if session_status == SessionStatus.CANCELLED else "session_not_cancelled"
    if session_status != SessionStatus.PLANNED:
        return "session_not_planned"
    expected = {
        "confirmed": RegistrationStatus.CONFIRMED,
        "promoted": RegistrationStatus.CONFIRMED,
        "reminder": RegistrationStatus.CONFIRMED,
        "waiting": RegistrationStatus.WAITING,
        "invitation": RegistrationStatus.INVITED,
    }[kind]
    if status != expected:
        return f"registration_{status}"
    if not recipient(registration):
        return "no_address"
    return None


def send(kind, registration_id, **extra):
    """Send the `kind` message now; True if it left."""
    registration = load(registration_id)
    reason = skip_reason(kind, registration)
    if reason:
        logger.info(
            "session email skipped: %s",
            reason,
            extra={"kind": kind, "registration_id": registration_id, "reason": reason},
        )
        return False
    build_message(kind, registration, **extra).send()
    logger.info(
        "session email sent",
        extra={
            "kind": kind,
            "registration_id": registration_id,
            "session": registration.session_id,
        },
    )
    return True


@task()
def send_registration_confirmed(registration_id):
    return send("confirmed", registration_id)


@task()
def send_waiting_list_notice(registration_id):
    return send("waiting", registration_id)


@task()
def send_promotion_notice(registration_id):
    return send("promoted", registration_id)


@task()
def send_invitation(registration_id):
    return send("invitation", registration_id)


@task()
def send_session_cancelled(registration_id, reason=""):
    return send("cancelled", registration_id, reason=reason)


@task()
def send_session_reminder(registration_id):
    """The reminder, at most once per registration (claimed by `reminder_sent_at`)."""
    registration = load(registration_id)
    reason = skip_reason("reminder", registration)
    if reason is None and registration.session.starts_at <= timezone.now():
        reason = "session_started"
    if reason:
        logger.info(
            "session email skipped: %s",
            reason,
            extra={"kind": "reminder", "registration_id": registration_id, "reason": reason},
        )
        return False
    # Claim first: a retried or duplicated task finds it claimed and sends nothing.
    claimed = Registration.objects.filter(pk=registration_id, reminder_sent_at__isnull=True).update(
        reminder_sent_at=timezone.now()
    )
    if not claimed:
        logger.info(
            "session email skipped: already_sent",
            extra={"kind": "reminder", "registration_id": registration_id},
        )
        return False
    try:
        sent = send("reminder", registration_id)
    except Exception:
        # Give the claim back so that the next run of the command tries again.
        Registration.objects.filter(pk=registration_id).update(reminder_sent_at=None)
        raise
    if not sent:
        Registration.objects.filter(pk=registration_id).update(reminder_sent_at=None)
    return sent


TASKS = {
    "confirmed": send_registration_confirmed,
    "waiting": send_waiting_list_notice,
    "promoted": send_promotion_notice,
    "invitation": send_invitation,
    "cancelled": send_session_cancelled,
    "reminder": send_session_reminder,
}


# --- Reminders ------------------------------------------------------------------------

REMINDER_BEFORE = timedelta(days=2)


def due_reminders(now=None):
    """Confirmed registrations of planned sessions starting within two days, not reminded."""
    now = now or timezone.now()
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__status=SessionStatus.PLANNED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_BEFORE,
    ).order_by("pk")


def queue_due_reminders(now=None):
    """Enqueue one reminder task per due registration; the number enqueued."""
    ids = list(due_reminders(now).values_list("pk", flat=True))
    for registration_id in ids:
        send_session_reminder.enqueue(registration_id)
    return len(ids)
