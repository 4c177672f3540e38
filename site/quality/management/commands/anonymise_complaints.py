"""Anonymise the complaints closed more than COMPLAINT_RETENTION_YEARS ago
(quality/retention.py). Scheduled daily (docs/deployment.md). Idempotent. `--now`
replays a given moment."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from core.command_args import moment
from quality.retention import anonymise_expired_complaints


class Command(BaseCommand):
    help = "Anonymise les réclamations closes depuis plus de COMPLAINT_RETENTION_YEARS ans."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=moment, help="Date et heure ISO 8601 (tests).")

    def handle(self, *args, now=None, **options):
        count = anonymise_expired_complaints(now=now)
        self.stdout.write(
            ngettext(
                "%(count)d réclamation anonymisée.", "%(count)d réclamations anonymisées.", count
            )
            % {"count": count}
        )
