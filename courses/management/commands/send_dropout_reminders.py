"""Queue the reminder e-mail of modules left unfinished for 21 days.

Run it regularly (e.g. every hour, like `send_session_reminders`). Running it again
sends nothing twice: each enrolment's one reminder is claimed through
`dropout_reminded_at`.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from courses.modules.dropouts import queue_due_reminders


class Command(BaseCommand):
    help = (
        "Envoie un rappel aux personnes qui n'ont pas avancé dans un module commencé "
        "depuis 21 jours (une fois par inscription)."
    )

    def handle(self, *args, **options):
        count = queue_due_reminders()
        if options["verbosity"] >= 1:
            self.stdout.write(
                ngettext(
                    "%(count)d rappel de module mis en file d'attente.",
                    "%(count)d rappels de module mis en file d'attente.",
                    count,
                )
                % {"count": count}
            )
