"""Issue what should have been issued, render what should have been rendered.

Safe to run at any time (idempotent), e.g. after restoring a backup or if the task
queue lost jobs: completions without any certificate get one, and certificates
without a PDF get their rendering task queued again.
"""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils.translation import ngettext

from certificates.models import Certificate
from certificates.services import issue_certificate
from certificates.tasks import render_certificate_pdf
from courses.models import ModuleCompletion


class Command(BaseCommand):
    help = "Délivre les attestations manquantes et relance le rendu des PDF en attente."

    def handle(self, *args, **options):
        missing = ModuleCompletion.objects.filter(
            ~Exists(Certificate.objects.filter(completion=OuterRef("pk")))
        )
        issued = 0
        for completion in missing.iterator():
            issue_certificate(completion)
            issued += 1
        # An anonymised certificate has no PDF on purpose (certificates/retention.py).
        pending = list(
            Certificate.objects.filter(pdf="", anonymised_at__isnull=True)
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        for certificate_id in pending:
            render_certificate_pdf.enqueue(certificate_id)
        self.stdout.write(
            ngettext(
                "%(count)d attestation délivrée",
                "%(count)d attestations délivrées",
                issued,
            )
            % {"count": issued}
            + ", "
            + ngettext(
                "%(count)d PDF remis en file d'attente.",
                "%(count)d PDF remis en file d'attente.",
                len(pending),
            )
            % {"count": len(pending)}
        )
