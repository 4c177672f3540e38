"""E-mails to the author of a complaint, sent by tasks after the change is committed.

The services call `queue(kind, complaint)` inside their transaction: the task is
enqueued once it commits (a rolled-back filing sends nothing), and a mail server that
fails only fails the task, never the filing. Messages are written in French (plain
text + HTML, in the shared frame `emails/_base`) from
`quality/templates/quality/emails/<kind>{_subject.txt,.txt,.html}`:

- `receipt`: the reference, what the complaint is about and its message;
- `answer`: Coordination's answer, as stored when it was sent.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from core.links import absolute_url

logger = logging.getLogger("reperes.quality")

TEMPLATE_DIR = "quality/emails"


def queue(kind, complaint):
    """Enqueue the `kind` e-mail for `complaint` once the transaction commits."""
    send_task = TASKS[kind]
    complaint_id = complaint.pk
    # robust: a queue that cannot take the task is logged, never turned into an error
    # for the person whose complaint was just saved.
    transaction.on_commit(lambda: send_task.enqueue(complaint_id), robust=True)


def email_context(complaint):
    return {
        # The frame greets « Bonjour <first_name>, »: the name as the person typed it.
        "first_name": complaint.name,
        "reference": complaint.reference,
        "subject_label": complaint.subject_label,
        "message": complaint.message,
        "answer": complaint.answer_sent,
        "complaint_url": absolute_url(reverse("quality:complaint")),
    }


def render_message(kind, complaint):
    """(subject, text, html) of the `kind` message, in French."""
    with translation.override("fr"):
        context = email_context(complaint)
        subject = render_to_string(f"{TEMPLATE_DIR}/{kind}_subject.txt", context)
        # A header holds on one line.
        subject = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATE_DIR}/{kind}.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/{kind}.html", context)
    return subject, text, html


def send(kind, complaint_id):
    """Send the `kind` message now; True if it left."""
    from quality.models import Complaint

    complaint = (
        Complaint.objects.select_related("module", "session", "guide")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None or "@" not in complaint.email:
        # Deleted, or its address erased with the author's account meanwhile.
        logger.info("complaint email skipped", extra={"kind": kind, "complaint_id": complaint_id})
        return False
    subject, text, html = render_message(kind, complaint)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [complaint.email])
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("complaint email sent", extra={"kind": kind, "complaint": complaint.reference})
    return True


@task()
def send_complaint_receipt(complaint_id):
    return send("receipt", complaint_id)


@task()
def send_complaint_answer(complaint_id):
    return send("answer", complaint_id)


TASKS = {"receipt": send_complaint_receipt, "answer": send_complaint_answer}
