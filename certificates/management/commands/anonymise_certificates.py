"""Anonymise the certificates of deleted accounts once their retention period is over.

Scheduled daily (docs/deployment.md); see certificates/retention.py. Idempotent.
`--now` replays a given moment (tests, or a check on a copy of the database).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from certificates.retention import anonymise_certificates
from core.command_args import moment


class Command(BaseCommand):
    help = (
        "Anonymise les certificats des comptes supprimés, CERTIFICATE_RETENTION_YEARS ans "
        "après leur délivrance (nom retiré, PDF supprimé)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", type=moment, help="Date et heure ISO 8601 (tests).")

    def handle(self, *args, now=None, **options):
        count = anonymise_certificates(now=now)
        self.stdout.write(
            ngettext(
                "%(count)d certificat anonymisé (conservation : %(years)d ans).",
                "%(count)d certificats anonymisés (conservation : %(years)d ans).",
                count,
            )
            % {"count": count, "years": settings.CERTIFICATE_RETENTION_YEARS}
        )
