"""Background work of certificates: the PDF, then the e-mail to the holder."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

logger = logging.getLogger("reperes.certificates")


@task()
def render_certificate_pdf(certificate_id):
    """Render and store the PDF of a certificate once; later calls do nothing.

    The PDF is rendered from the certificate's own snapshot fields, so rendering
    later (a retry, a slow queue) prints exactly what was issued.
    """
    from certificates.badges.issuing import ensure_badge
    from certificates.models import Certificate
    from certificates.pdf import render_certificate_pdf_bytes

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    # An anonymised certificate keeps no PDF (certificates/retention.py).
    if certificate is None or certificate.pdf or certificate.anonymised_at:
        return
    # The Open Badge first (signed once, idempotent): the PDF carries it.
    ensure_badge(certificate)
    content = render_certificate_pdf_bytes(certificate)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.pdf or certificate.anonymised_at:  # done meanwhile, or anonymised
            return
        certificate.pdf_sha256 = hashlib.sha256(content).hexdigest()
        certificate.pdf.save(f"{certificate.uuid}.pdf", ContentFile(content), save=False)
        certificate.save(update_fields=["pdf", "pdf_sha256"])
        logger.info("certificate pdf stored", extra={"certificate": certificate.number})
        transaction.on_commit(lambda: send_certificate_ready_email.enqueue(certificate_id))


@task()
def send_certificate_ready_email(certificate_id):
    from certificates.emails import send_certificate_ready

    send_certificate_ready(certificate_id)
