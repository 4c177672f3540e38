"""Check that every stored certificate PDF is there and is the file that was issued.

Run it after restoring a backup (docs/deployment.md), after moving storage, or on a
schedule: a certificate is printed by its holder and shown to an employer, so its
file must be the exact bytes recorded at issue (`pdf_sha256`). Read-only; exits
with status 1 when anything is missing or altered, so a restore script or a
monitoring job can stop on it.
"""

import hashlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from certificates.models import Certificate

CHUNK = 64 * 1024


def file_digest(field_file):
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_certificate(certificate):
    """`None` when the PDF is present and intact, otherwise a short problem code."""
    if not certificate.pdf:
        return "pending"
    if not certificate.pdf.storage.exists(certificate.pdf.name):
        return "missing"
    if file_digest(certificate.pdf) != certificate.pdf_sha256:
        return "altered"
    return None


class Command(BaseCommand):
    help = (
        "Vérifie que le PDF de chaque certificat est présent et identique à celui "
        "délivré (empreinte SHA-256)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-pending",
            action="store_true",
            help="Ne pas compter comme erreur un PDF pas encore rendu (tâche en attente).",
        )

    def handle(self, *args, allow_pending=False, **options):
        problems = {"pending": [], "missing": [], "altered": []}
        checked = 0
        fields = ("pk", "number", "pdf", "pdf_sha256")
        # Anonymised certificates lost their PDF on purpose (certificates/retention.py).
        certificates = Certificate.objects.filter(anonymised_at__isnull=True).only(*fields)
        for certificate in certificates.order_by("pk").iterator():
            checked += 1
            problem = check_certificate(certificate)
            if problem:
                problems[problem].append(certificate.number)
        self.stdout.write(
            ngettext("%(count)d certificat vérifié.", "%(count)d certificats vérifiés.", checked)
            % {"count": checked}
        )
        for problem, numbers in problems.items():
            if numbers:
                self.stdout.write(f"{problem} : {len(numbers)} — {', '.join(numbers[:20])}")
        failing = problems["missing"] + problems["altered"]
        if not allow_pending:
            failing += problems["pending"]
        if failing:
            raise CommandError(
                ngettext(
                    "%(count)d certificat en défaut.",
                    "%(count)d certificats en défaut.",
                    len(failing),
                )
                % {"count": len(failing)}
            )
        self.stdout.write(self.style.SUCCESS("Tous les PDF sont présents et intacts."))
