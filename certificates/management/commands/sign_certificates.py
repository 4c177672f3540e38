"""Sign and archive the certificates issued before PDFs were signed.

Each certificate with a stored PDF and no signing key gets a signed PDF/A-3 file
showing the same text (certificates/signed_pdfs/archival.py). Idempotent: run it again and
it does nothing. One certificate at a time, each in its own transaction; an error
on one is logged and the run goes on. `--dry-run` renders and compares without
storing anything.
"""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates.signed_pdfs.archival import (
    ArchivalError,
    archive_certificate,
    unsigned_certificates,
)
from certificates.signing_keys import SigningKeyError, signing_key_now

logger = logging.getLogger("reperes.certificates")


class Command(BaseCommand):
    help = "Signe et archive (PDF/A-3) les certificats délivrés avant la signature des PDF."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie sans rien enregistrer.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=50,
            help="Nombre de certificats lus à la fois (50 par défaut).",
        )

    def handle(self, *args, dry_run=False, batch_size=50, verbosity=1, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size doit être au moins 1."))
        try:
            key, key_row = signing_key_now()
        except SigningKeyError as error:
            message = _("Clé de signature indisponible : %(code)s") % {"code": error.code}
            raise CommandError(message) from error
        pending = list(unsigned_certificates().values_list("pk", flat=True))
        total, signed, failed = len(pending), 0, 0
        for start in range(0, total, batch_size):
            for certificate_id in pending[start : start + batch_size]:
                try:
                    archive_certificate(certificate_id, key, key_row, dry_run=dry_run)
                    signed += 1
                except ArchivalError as error:
                    failed += 1
                    self._log_failure(certificate_id, error.code)
                except Exception:  # one bad file must not stop the run
                    failed += 1
                    logger.exception(
                        "certificate not signed", extra={"certificate_id": certificate_id}
                    )
            if verbosity >= 1:
                done = min(start + batch_size, total)
                self.stdout.write(
                    _("%(done)d / %(total)d certificats traités") % {"done": done, "total": total}
                )
        if dry_run:
            summary = _("Essai : %(signed)d signables, %(failed)d en erreur, rien enregistré.")
        else:
            summary = _("%(signed)d signés, %(failed)d en erreur.")
        self.stdout.write(summary % {"signed": signed, "failed": failed})

    def _log_failure(self, certificate_id, code):
        logger.error(
            "certificate not signed (%s)",
            code,
            extra={"certificate_id": certificate_id, "archival_error": code},
        )
        self.stderr.write(
            _("Certificat %(id)s non signé : %(code)s") % {"id": certificate_id, "code": code}
        )
