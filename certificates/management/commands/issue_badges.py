"""Give an Open Badge to every certificate issued before badges existed.

Idempotent (`ensure_badge` signs a certificate once), by batches of primary keys so
that memory stays flat and an interrupted run resumes where it stopped when run
again. Anonymised certificates get none.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from certificates.badges.issuing import ensure_badge
from certificates.models import Certificate
from certificates.signing_keys import SigningKeyError


class Command(BaseCommand):
    help = "Signe le badge Open Badges 3.0 des certificats qui n'en ont pas encore."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, batch_size, **options):
        batch_size = max(1, batch_size)
        missing = Certificate.objects.filter(badge_jwt="", anonymised_at__isnull=True)
        issued, last_pk = 0, 0
        while True:
            batch = list(missing.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
            if not batch:
                break
            for certificate in batch:
                try:
                    ensure_badge(certificate)
                except SigningKeyError as error:  # no key: nothing can be signed
                    raise CommandError(f"{error.code}: {error}") from error
                issued += 1
            last_pk = batch[-1].pk
        self.stdout.write(
            ngettext("%(count)d badge signé.", "%(count)d badges signés.", issued)
            % {"count": issued}
        )
