"""Anonymise the certificates of deleted accounts once their retention period is over.

Scheduled daily (docs/deployment.md); see certificates/retention.py. Idempotent.
`--now` replays a given moment (tests, or a check on a copy of the database).
"""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from certificates.retention import anonymise_certificates


def moment(value):
    """An ISO 8601 date and time; without an offset, in the site's time zone."""
    parsed = parse_datetime(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date and time: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


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
            f"{count} certificat(s) anonymisé(s) "
            f"(conservation : {settings.CERTIFICATE_RETENTION_YEARS} ans)."
        )
