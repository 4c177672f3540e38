"""Certificates of deleted accounts: verifiable for a while, then anonymised.

A certificate may have been handed to an employer; deleting the account must not
make it unverifiable at once. So the row stays, holder link emptied, and the public
verification page keeps answering. CERTIFICATE_RETENTION_YEARS after issue
(default 3, settings), `anonymise_certificates` (daily, docs/deployment.md) removes
what names the person: first and last name (« Titulaire anonymisé·e »), profession,
organisation, and the stored PDF, which prints the name. Number, code, title, dates,
issuer and status stay: the verification page still says whether the paper was
genuine, without saying whose it was.

Certificates whose holder still has an account are never touched here: the account
holder decides (deleting the account starts the clock). Idempotent: an anonymised
certificate is not selected again.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Certificate

logger = logging.getLogger("reperes.certificates")

ANONYMOUS_FIRST_NAME = "Titulaire"
ANONYMOUS_LAST_NAME = "anonymisé·e"


def years_before(moment, years):
    """The same date `years` years earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def due_for_anonymisation(now, years=None):
    """Certificates of deleted accounts, issued more than `years` years before `now`."""
    years = settings.CERTIFICATE_RETENTION_YEARS if years is None else years
    return Certificate.objects.filter(
        holder__isnull=True,
        anonymised_at__isnull=True,
        issued_at__lt=years_before(now, years),
    )


def anonymise_certificates(now=None, years=None):
    """Anonymise every certificate due; returns how many were."""
    now = now or timezone.now()
    ids = due_for_anonymisation(now, years).values_list("pk", flat=True).order_by("pk")
    return sum(anonymise_certificate(pk, now, years) for pk in list(ids))


def anonymise_certificate(certificate_id, now, years=None):
    """Anonymise one certificate if it is still due (checked under its row lock)."""
    with transaction.atomic():
        certificate = (
            due_for_anonymisation(now, years).select_for_update().filter(pk=certificate_id).first()
        )
        if certificate is None:
            return False
        pdf_name, storage = certificate.pdf.name, certificate.pdf.storage
        certificate.holder_first_name = ANONYMOUS_FIRST_NAME
        certificate.holder_last_name = ANONYMOUS_LAST_NAME
        certificate.holder_profession = ""
        certificate.holder_organisation = ""
        certificate.pdf = ""
        certificate.badge_jwt = ""  # the badge names the holder too
        certificate.anonymised_at = now
        certificate.save(
            update_fields=[
                "holder_first_name",
                "holder_last_name",
                "holder_profession",
                "holder_organisation",
                "pdf",
                "badge_jwt",
                "anonymised_at",
            ]
        )
        if pdf_name:
            transaction.on_commit(lambda: delete_pdf(storage, pdf_name, certificate.number))
    logger.info("certificate anonymised", extra={"certificate": certificate.number})
    return True


def delete_pdf(storage, name, number):
    """The PDF carries the name: remove it once the anonymisation is committed.

    Never raises: the anonymisation is already committed, and the command must go on
    with the next certificates; the log names the file left for an operator.
    """
    try:
        storage.delete(name)
    except Exception:  # any backend's error: S3's (botocore) are not OSError
        logger.exception("anonymised certificate pdf not removed", extra={"certificate": number})
