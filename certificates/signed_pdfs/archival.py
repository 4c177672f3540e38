"""Signing and archiving the certificates issued before PDFs were signed.

`archive_certificate` gives one such certificate (a stored PDF, no `signing_key`,
not anonymised) its signed PDF/A-3 file. The new file is rendered again from the
row's snapshot fields — the same fields the first rendering printed — and is kept
only if it shows exactly the same text, page by page, as the stored one (pypdf's
text extraction of both): a template changed since issue, and the certificate is
left as it is, with the error `content_differs`. Images (logo, signature, QR code)
come from the same snapshot fields and the same data URLs.

The old file's SHA-256 is kept in `unsigned_pdf_sha256` (an old download still
names its certificate on /verifier/), the new file replaces it in storage; the old
file is deleted once the transaction has committed. Idempotent: a signed
certificate is skipped. Command: `manage.py sign_certificates`.
"""

from __future__ import annotations

import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("reperes.certificates")


class ArchivalError(Exception):
    """`code`: not_found, already_signed, anonymised, pdf_missing, content_differs."""

    def __init__(self, code, message=""):
        super().__init__(message or code)
        self.code = code


def unsigned_certificates():
    """Certificates with a stored PDF that no key has signed yet."""
    from certificates.models import Certificate

    return (
        Certificate.objects.filter(signing_key__isnull=True, anonymised_at__isnull=True)
        .exclude(pdf="")
        .order_by("pk")
    )


def page_texts(data: bytes) -> list[str]:
    """The text of each page, as a reader would extract it (whitespace kept)."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _read_stored(certificate) -> bytes:
    try:
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    except OSError as error:
        raise ArchivalError(
            "pdf_missing", f"{certificate.number}: stored PDF unreadable"
        ) from error


def signed_archival_copy(certificate, old: bytes, key) -> bytes:
    """The signed PDF/A-3 rendering of `certificate`, if it shows what `old` shows."""
    from certificates.pdf import render_certificate_pdf_bytes
    from certificates.signed_pdfs.signing import sign_pdf

    unsigned = render_certificate_pdf_bytes(certificate, badge_jwt=certificate.badge_jwt or None)
    if page_texts(unsigned) != page_texts(old):
        raise ArchivalError("content_differs", f"{certificate.number}: the text would change")
    return sign_pdf(unsigned, key)


def archive_certificate(certificate_id, key, key_row, *, dry_run=False) -> str:
    """Sign and archive one certificate; returns its number. Raises ArchivalError."""
    from certificates.models import Certificate
    from certificates.services import record

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    _check_candidate(certificate)
    old = _read_stored(certificate)
    content = signed_archival_copy(certificate, old, key)
    if dry_run:
        return certificate.number
    old_name = certificate.pdf.name
    storage = certificate.pdf.storage
    new_name = None
    try:
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate_id)
            _check_candidate(locked)
            if locked.pdf.name != old_name:  # re-rendered meanwhile: start again later
                raise ArchivalError("already_signed", f"{locked.number}: PDF changed meanwhile")
            locked.unsigned_pdf_sha256 = hashlib.sha256(old).hexdigest()
            locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
            locked.signing_key = key_row
            locked.signed_at = timezone.now()
            locked.pdf.save(f"{locked.uuid}.pdf", ContentFile(content), save=False)
            new_name = locked.pdf.name
            locked.save(
                update_fields=[
                    "pdf",
                    "pdf_sha256",
                    "unsigned_pdf_sha256",
                    "signing_key",
                    "signed_at",
                ]
            )
            # Audit log (Wagtail's, seen by Coordination): the file of an issued
            # certificate changed; both fingerprints say which file was which.
            record(
                "reperes.certificate_archive",
                locked,
                kid=key_row.kid,
                unsigned_pdf_sha256=locked.unsigned_pdf_sha256,
                pdf_sha256=locked.pdf_sha256,
            )
            transaction.on_commit(lambda: _delete_old(storage, old_name, locked.number))
    except BaseException:
        if new_name:  # the row still names the old file: the new one is an orphan
            storage.delete(new_name)
        raise
    return locked.number


def _check_candidate(certificate):
    if certificate is None:
        raise ArchivalError("not_found")
    if certificate.anonymised_at:
        raise ArchivalError("anonymised", certificate.number)
    if certificate.signing_key_id:
        raise ArchivalError("already_signed", certificate.number)
    if not certificate.pdf:
        raise ArchivalError("pdf_missing", certificate.number)


def _delete_old(storage, name, number):
    try:
        storage.delete(name)
    except OSError:
        # The row names the new file: a leftover old file is only wasted space.
        logger.exception("unsigned certificate pdf not removed", extra={"certificate": number})
