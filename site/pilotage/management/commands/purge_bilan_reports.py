"""Delete the « bilan » PDFs asked more than 7 days ago, with their files (pilotage/bilan.py).

Scheduled daily (docs/deployment.md). Idempotent. `--now` replays a given moment.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from core.command_args import moment
from pilotage.bilan import purge_reports


class Command(BaseCommand):
    help = "Supprime les bilans PDF du pilotage demandés il y a plus de 7 jours, et leurs fichiers."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=moment, help="Date et heure ISO 8601 (tests).")

    def handle(self, *args, now=None, **options):
        count = purge_reports(now=now)
        self.stdout.write(
            ngettext("%(count)d bilan supprimé.", "%(count)d bilans supprimés.", count)
            % {"count": count}
        )
