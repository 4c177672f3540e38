"""Survey e-mails: « à froid » (modules and sessions) and a session's « à chaud ».

A module's « à chaud » is offered on the quiz result page and « Mon espace », never
e-mailed. `send_followup_surveys` (hourly) enqueues one task per due invitation;
the task claims `emailed_at` first, so that two runs, or a retried task, never send
twice (the claim is given back when the message cannot leave). One message per
person, course and kind: the unique invitation. Accounts that are no longer active
get nothing.

Messages are written in French (plain text + HTML) in the shared frame
(`templates/emails/_base`), from `surveys/templates/surveys/emails/`.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tasks import task

from core.links import absolute_url

from .models import SurveyInvitation, SurveyKind
from .tokens import MAX_AGE, make_token

logger = logging.getLogger("reperes.surveys")

TEMPLATE_DIR = "surveys/emails"


def due_emails(now=None):
    """Due, unanswered invitations never e-mailed, of people with an active account."""
    now = now or timezone.now()
    return SurveyInvitation.objects.filter(
        Q(kind=SurveyKind.COLD) | Q(session__isnull=False),
        due_at__lte=now,
        emailed_at__isnull=True,
        answered_at__isnull=True,
        user__isnull=False,
        user__is_active=True,
    ).order_by("due_at", "pk")


def queue_due_emails(now=None):
    """Enqueue one task per due invitation; the number enqueued."""
    ids = list(due_emails(now).values_list("pk", flat=True))
    for invitation_id in ids:
        send_survey_invitation.enqueue(invitation_id)
    return len(ids)


def load(invitation_id):
    return (
        SurveyInvitation.objects.select_related("user", "module", "session", "publisher")
        .filter(pk=invitation_id)
        .first()
    )


def skip_reason(invitation):
    if invitation is None:
        return "invitation_missing"
    if invitation.answered_at is not None:
        return "answered"
    user = invitation.user
    if user is None or not user.is_active or not user.email:
        return "no_active_account"
    return None


def render_message(invitation):
    """(subject, text, html) of the invitation's e-mail, in French."""
    with translation.override("fr"):
        expires_on = timezone.localdate() + MAX_AGE
        context = {
            "first_name": invitation.user.first_name.strip(),
            "title": invitation.course_title,
            "is_session": invitation.session_id is not None,
            "is_cold": invitation.kind == SurveyKind.COLD,
            "publisher": invitation.publisher.name,
            "url": absolute_url(reverse("surveys:token", args=[make_token(invitation)])),
            "expires_on": formats.date_format(expires_on, "j F Y"),
        }
        subject = render_to_string(f"{TEMPLATE_DIR}/invitation_subject.txt", context)
        subject = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATE_DIR}/invitation.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/invitation.html", context)
    return subject, text, html


def send(invitation):
    subject, text, html = render_message(invitation)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [invitation.user.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def skipped(invitation_id, reason):
    logger.info(
        "survey email skipped: %s",
        reason,
        extra={"invitation_id": invitation_id, "reason": reason},
    )
    return False


@task()
def send_survey_invitation(invitation_id):
    """The invitation's e-mail, at most once (claimed by `emailed_at`)."""
    invitation = load(invitation_id)
    reason = skip_reason(invitation)
    if reason:
        return skipped(invitation_id, reason)
    # Claim first: a retried or duplicated task finds it claimed and sends nothing.
    claimed = SurveyInvitation.objects.filter(
        pk=invitation_id, emailed_at__isnull=True, answered_at__isnull=True
    ).update(emailed_at=timezone.now())
    if not claimed:
        return skipped(invitation_id, "already_sent")
    try:
        send(invitation)
    except Exception:
        # Give the claim back so that the next run of the command tries again.
        SurveyInvitation.objects.filter(pk=invitation_id).update(emailed_at=None)
        raise
    logger.info(
        "survey email sent",
        extra={"invitation_id": invitation_id, "kind": invitation.kind},
    )
    return True
