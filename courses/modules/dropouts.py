"""Dropout follow-up (Qualiopi indicator 12).

A learner who started a module and has not come back for 21 days (`DROPOUT_AFTER`)
has dropped out: they get one reminder e-mail, if they keep `User.learning_reminders`
on. `manage.py send_dropout_reminders` (hourly, like the session reminders) queues one
task per due enrolment; the task claims the enrolment (`dropout_reminded_at`, set
only where it is still empty) before sending, so that two runs, a retried task or two
workers never send twice.

`enrolment_states` gives the dashboard started / completed / dropped, in SQL.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from wagtail.log_actions import log
from wagtail.models import Site

from accounts.reminders import optout_token
from core.links import absolute_url
from courses.models import Enrolment, ModuleCompletion

logger = logging.getLogger("reperes.courses")

#: Enrolled, not completed, no activity for longer than this: dropped.
DROPOUT_AFTER = timedelta(days=21)
TEMPLATE_DIR = "courses/modules/emails"

STARTED = "started"
COMPLETED = "completed"
DROPPED = "dropped"


def _completed():
    return Exists(
        ModuleCompletion.objects.filter(
            user_id=OuterRef("user_id"), module_id=OuterRef("module_id")
        )
    )


def enrolment_states(qs, now=None):
    """Annotate enrolments with `is_completed`, `is_dropped` and `state`.

    `state` is "completed", "dropped" (not completed, last activity strictly older
    than 21 days) or "started" (the others, still going). Every enrolment has
    started: the dashboard counts started = all rows. Count with
    `.aggregate(Count("pk", filter=Q(state="dropped")))` or `state_counts`.
    """
    limit = (now or timezone.now()) - DROPOUT_AFTER
    return qs.annotate(
        is_completed=_completed(),
    ).annotate(
        is_dropped=Case(
            When(is_completed=True, then=Value(False)),
            When(last_activity_at__lt=limit, then=Value(True)),
            default=Value(False),
        ),
        state=Case(
            When(is_completed=True, then=Value(COMPLETED)),
            When(last_activity_at__lt=limit, then=Value(DROPPED)),
            default=Value(STARTED),
            output_field=CharField(),
        ),
    )


def state_counts(qs, now=None):
    """{"started": all enrolments, "completed": …, "dropped": …, "in_progress": …} in one query."""
    counts = enrolment_states(qs, now).aggregate(
        started=Count("pk"),
        completed=Count("pk", filter=Q(state=COMPLETED)),
        dropped=Count("pk", filter=Q(state=DROPPED)),
        in_progress=Count("pk", filter=Q(state=STARTED)),
    )
    return counts


def due_reminders(now=None):
    """Enrolments owed their one reminder: dropped, never reminded, the person active,
    opted in and with an address, the module still live."""
    now = now or timezone.now()
    return (
        Enrolment.objects.filter(
            dropout_reminded_at__isnull=True,
            last_activity_at__lt=now - DROPOUT_AFTER,
            user__is_active=True,
            user__learning_reminders=True,
            module__live=True,
        )
        .exclude(user__email="")
        .exclude(_completed())
        .order_by("pk")
    )


def queue_due_reminders(now=None):
    """Enqueue one reminder task per due enrolment; the number enqueued."""
    ids = list(due_reminders(now).values_list("pk", flat=True))
    for enrolment_id in ids:
        send_dropout_reminder.enqueue(enrolment_id)
    return len(ids)


# --- The e-mail ---------------------------------------------------------------------------


def module_url(module):
    """The module's public address on the platform's own host (not the Site's)."""
    site = Site.objects.filter(is_default_site=True).first()
    return absolute_url(module.relative_url(site) if site else "/")


def render_reminder(enrolment):
    """(subject, text, html) of the reminder, in French."""
    user, module = enrolment.user, enrolment.module
    with translation.override("fr"):
        context = {
            "first_name": user.first_name.strip(),
            "title": module.title,
            "module_url": module_url(module),
            "optout_url": absolute_url(
                reverse("account_learning_reminders_optout", args=[optout_token(user)])
            ),
        }
        subject = render_to_string(f"{TEMPLATE_DIR}/dropout_reminder_subject.txt", context)
        subject = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATE_DIR}/dropout_reminder.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/dropout_reminder.html", context)
    return subject, text, html


def _skip(enrolment_id, reason):
    logger.info(
        "dropout reminder skipped: %s",
        reason,
        extra={"enrolment_id": enrolment_id, "reason": reason},
    )
    return False


@task()
def send_dropout_reminder(enrolment_id):
    """Send the reminder of one enrolment, at most once (claimed first); True if it left."""
    now = timezone.now()
    if not due_reminders(now).filter(pk=enrolment_id).exists():
        return _skip(enrolment_id, "not_due")
    # Claim with a plain UPDATE … WHERE dropout_reminded_at IS NULL on the row itself
    # (no join, so PostgreSQL re-checks it after waiting for a parallel claim): a second
    # run, a retried task or another worker finds it claimed and sends nothing.
    claimed = Enrolment.objects.filter(pk=enrolment_id, dropout_reminded_at__isnull=True).update(
        dropout_reminded_at=now
    )
    if not claimed:
        return _skip(enrolment_id, "already_sent")
    enrolment = Enrolment.objects.select_related("user", "module").get(pk=enrolment_id)
    try:
        subject, text, html = render_reminder(enrolment)
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [enrolment.user.email]
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        # Give the claim back so that the next run of the command tries again.
        Enrolment.objects.filter(pk=enrolment_id).update(dropout_reminded_at=None)
        raise
    log(
        instance=enrolment,
        action="reperes.dropout_reminder",
        user=enrolment.user,
        data={"module_id": enrolment.module_id},
    )
    logger.info(
        "dropout reminder sent",
        extra={"enrolment_id": enrolment_id, "module_id": enrolment.module_id},
    )
    return True
