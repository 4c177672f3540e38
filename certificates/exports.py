"""Exports of certificates for Coordination: a ZIP of PDFs, the columns of the XLSX list.

Exports copy personal data out of the platform, so each one is recorded: one line in
the application log, and one Wagtail log entry per exported certificate (its history
then says who took a copy, when and how).

Verification codes are never exported: a code is what proves a paper genuine, and a
spreadsheet of codes would let anyone print a convincing copy of someone else's
certificate.
"""

import logging
import tempfile
import uuid
import zipfile
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from certificates.models import Certificate

logger = logging.getLogger("reperes.certificates")

EXPORT_ACTION = "reperes.certificate_export"
#: Past this size the ZIP being built moves from memory to a temporary file.
SPOOL_MAX_BYTES = 16 * 1024 * 1024
LOG_BATCH_SIZE = 500

#: XLSX columns: (attribute, heading). No verification code, on purpose (see above).
XLSX_COLUMNS = [
    ("number", gettext_lazy("Numéro")),
    ("holder_first_name", gettext_lazy("Prénom")),
    ("holder_last_name", gettext_lazy("Nom")),
    ("holder_organisation", gettext_lazy("Structure")),
    ("title", gettext_lazy("Intitulé")),
    ("get_kind_display", gettext_lazy("Type")),
    ("issued_at", gettext_lazy("Émis le")),
    ("status_label", gettext_lazy("Statut")),
    ("expires_on", gettext_lazy("Expire le")),
    ("revoked_at", gettext_lazy("Révoqué le")),
]


def log_export(certificates, *, user, export_format, **details):
    """Record that `certificates` left the platform as `export_format`."""
    certificates = list(certificates)
    logger.info(
        "certificates exported",
        extra={
            "format": export_format,
            "count": len(certificates),
            "user_id": getattr(user, "pk", None),
            **details,
        },
    )
    if not certificates:
        return
    # One entry per certificate, written in batches (`log()` would insert one by one);
    # a shared uuid ties the entries of one export together, as Wagtail does.
    content_type = ContentType.objects.get_for_model(Certificate)
    now = timezone.now()
    batch_uuid = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(certificate.pk),
                label=certificate.number,
                action=EXPORT_ACTION,
                timestamp=now,
                uuid=batch_uuid,
                user=user,
                data={"number": certificate.number, "format": export_format, **details},
            )
            for certificate in certificates
        ],
        batch_size=LOG_BATCH_SIZE,
    )


# --- ZIP ---------------------------------------------------------------------------------------


def zip_queryset(module, issued_from, issued_before, *, include_withdrawn=False):
    """Certificates of `module` issued in [issued_from, issued_before), with a PDF."""
    certificates = Certificate.objects.filter(
        module=module, issued_at__gte=issued_from, issued_at__lt=issued_before
    ).exclude(pdf="")
    if not include_withdrawn:
        certificates = certificates.current()
    return certificates.select_related("module").order_by("issued_at", "id")


def zip_member_names(certificates):
    """{certificate id: file name in the ZIP}. Names shared by several get the number."""
    from certificates.pdf import certificate_filename

    names = {certificate.pk: certificate_filename(certificate) for certificate in certificates}
    counts = Counter(names.values())
    by_id = {certificate.pk: certificate for certificate in certificates}
    for pk, name in names.items():
        if counts[name] > 1:
            stem = name.removesuffix(".pdf")
            names[pk] = f"{stem}-{by_id[pk].number}.pdf"
    return names


def build_zip(certificates):
    """A ZIP of the stored PDFs, as a file positioned at its start.

    PDFs are already compressed: they are stored, not deflated again. A PDF missing
    from storage (a lost file) is skipped and named in `a-lire.txt`, never re-rendered.
    """
    certificates = list(certificates)
    names = zip_member_names(certificates)
    missing = []
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 (returned)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            try:
                with (
                    certificate.pdf.open("rb") as pdf,
                    archive.open(names[certificate.pk], "w") as member,
                ):
                    for chunk in iter(lambda pdf=pdf: pdf.read(64 * 1024), b""):
                        member.write(chunk)
            except FileNotFoundError:
                missing.append(certificate.number)
                logger.warning("certificate pdf missing", extra={"certificate": certificate.number})
        if missing:
            archive.writestr(
                "a-lire.txt",
                _("Fichiers PDF introuvables pour les certificats suivants :")
                + "\n"
                + "\n".join(missing)
                + "\n",
            )
    output.seek(0)
    exported = [c for c in certificates if c.number not in missing]
    return output, exported
