"""Background work of certificates: the PDF, then the e-mail to the holder."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("reperes.certificates")


@task()
def render_certificate_pdf(certificate_id):
    """Render, sign and store the PDF of a certificate once; later calls do nothing.

    The PDF is rendered from the certificate's own snapshot fields, so rendering
    later (a retry, a slow queue) prints exactly what was issued. It is PDF/A-3a
    with the Open Badge inside (when the certificate has one), then signed with the
    issuer's key (certificates/signed_pdfs/signing.py); `pdf_sha256` is the signed file's.
    Without a readable key nothing is stored: the error is logged and the task
    fails, to be retried once the key is configured (`certificates_catch_up`).
    """
    from certificates.badges.issuing import ensure_badge
    from certificates.models import Certificate
    from certificates.pdf import render_certificate_pdf_bytes
    from certificates.signed_pdfs.signing import sign_pdf
    from certificates.signing_keys import SigningKeyError, signing_key_now

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    # An anonymised certificate keeps no PDF (certificates/retention.py).
    if certificate is None or certificate.pdf or certificate.anonymised_at:
        return
    try:
        key, key_row = signing_key_now()
    except SigningKeyError as error:
        logger.error(
            "certificate pdf not signed: no signing key (%s)",
            error.code,
            extra={"certificate": certificate.number, "signing_key_error": error.code},
        )
        raise
    # The Open Badge first (signed once, idempotent, certificates/badges/): the PDF
    # embeds it.
    ensure_badge(certificate)
    unsigned = render_certificate_pdf_bytes(certificate, badge_jwt=certificate.badge_jwt or None)
    content = sign_pdf(unsigned, key)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.pdf or certificate.anonymised_at:  # done meanwhile, or anonymised
            return
        certificate.pdf_sha256 = hashlib.sha256(content).hexdigest()
        certificate.signing_key = key_row
        certificate.signed_at = timezone.now()
        certificate.pdf.save(f"{certificate.uuid}.pdf", ContentFile(content), save=False)
        certificate.save(update_fields=["pdf", "pdf_sha256", "signing_key", "signed_at"])
        logger.info(
            "certificate pdf signed and stored",
            extra={"certificate": certificate.number, "kid": key_row.kid},
        )
        transaction.on_commit(lambda: send_certificate_ready_email.enqueue(certificate_id))


@task()
def send_certificate_ready_email(certificate_id):
    from certificates.emails import send_certificate_ready

    send_certificate_ready(certificate_id)
