"""E-mail the satisfaction questionnaires that fell due.

« À froid » questionnaires (modules and sessions) and the « à chaud » of sessions,
the evening of their last half-day. Run it every hour (cron or a scheduler), like
`send_session_reminders`. Running it again sends nothing twice: each invitation's
e-mail is claimed through `emailed_at`.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from surveys.emails import queue_due_emails


class Command(BaseCommand):
    help = "Envoie les questionnaires de satisfaction arrivés à échéance (une fois par invitation)."

    def handle(self, *args, **options):
        count = queue_due_emails()
        if options["verbosity"] >= 1:
            self.stdout.write(
                ngettext(
                    "%(count)d questionnaire mis en file d'attente.",
                    "%(count)d questionnaires mis en file d'attente.",
                    count,
                )
                % {"count": count}
            )
