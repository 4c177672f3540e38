"""The e-mail telling a holder that their certificate can be downloaded.

Sent by the `send_certificate_ready_email` task once the PDF is stored. It carries a
link to « Mes certificats » (login required), never the PDF nor the verification
code: an e-mail gets forwarded, and the code is what proves the paper genuine.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate
from core.links import absolute_url

logger = logging.getLogger("reperes.certificates")

TEMPLATE_PREFIX = "certificates/emails/certificate_ready"


def skip_reason(certificate):
    """Why no e-mail goes out for this certificate, or None."""
    if certificate is None:
        return "certificate_missing"
    if certificate.revoked_at:
        return "certificate_revoked"
    if certificate.replaced_at:
        return "certificate_replaced"  # its replacement has its own e-mail
    if certificate.holder is None:
        return "holder_deleted"
    if not certificate.holder.email:
        return "holder_without_email"
    return None


def list_url():
    return absolute_url(reverse("certificates:list"))


def send_certificate_ready(certificate_id):
    """Send « Votre attestation est prête » to the holder; True if a message left."""
    certificate = Certificate.objects.select_related("holder").filter(pk=certificate_id).first()
    reason = skip_reason(certificate)
    if reason:
        logger.info(
            "certificate ready email skipped: %s",
            reason,
            extra={"certificate_id": certificate_id, "reason": reason},
        )
        return False
    # The platform writes to its users in French, whatever language the worker runs in.
    with translation.override("fr"):
        context = {
            "kind": certificate.kind,
            "first_name": certificate.holder_first_name,
            "title": certificate.title,
            "list_url": list_url(),
        }
        subject = render_to_string(f"{TEMPLATE_PREFIX}_subject.txt", context)
        # A header must hold on one line.
        subject = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split())
        context["subject"] = subject
        text = render_to_string(f"{TEMPLATE_PREFIX}.txt", context)
        html = render_to_string(f"{TEMPLATE_PREFIX}.html", context)
    # Claim the sending first: a retried or duplicated task finds it claimed.
    claimed = Certificate.objects.filter(
        pk=certificate.pk, ready_email_sent_at__isnull=True
    ).update(ready_email_sent_at=timezone.now())
    if not claimed:
        logger.info(
            "certificate ready email skipped: already_sent",
            extra={"certificate_id": certificate_id, "reason": "already_sent"},
        )
        return False
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [certificate.holder.email]
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # Give the claim back so that a retry of the task can send it.
        Certificate.objects.filter(pk=certificate.pk).update(ready_email_sent_at=None)
        raise
    logger.info("certificate ready email sent", extra={"certificate": certificate.number})
    return True
