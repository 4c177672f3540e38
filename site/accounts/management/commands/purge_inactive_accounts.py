"""Warn accounts inactive for 23 months, delete those inactive for 24 (accounts/inactivity.py).

Scheduled daily (docs/deployment.md). Idempotent: a second run the same day finds
nobody new to warn and nobody left to delete. `--now` replays a given moment (tests,
or to check what a run would do on a copy of the database).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from accounts.inactivity import purge_inactive_accounts
from core.command_args import moment


class Command(BaseCommand):
    help = (
        "Avertit les comptes sans connexion depuis 23 mois et supprime ceux sans connexion "
        "depuis 24 mois, avertis depuis au moins 28 jours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", type=moment, help="Date et heure ISO 8601 (tests).")

    def handle(self, *args, now=None, **options):
        result = purge_inactive_accounts(now=now)
        self.stdout.write(
            ngettext("%(count)d compte averti", "%(count)d comptes avertis", result.warned)
            % {"count": result.warned}
            + ", "
            + ngettext("%(count)d compte supprimé.", "%(count)d comptes supprimés.", result.deleted)
            % {"count": result.deleted}
        )
