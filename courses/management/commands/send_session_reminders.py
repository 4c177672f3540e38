"""Queue the « rappel » e-mail of sessions starting within two days.

Run it regularly (e.g. every hour from cron or a scheduler). Running it again sends
nothing twice: each registration's reminder is claimed through `reminder_sent_at`.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from courses.sessions.emails import queue_due_reminders


class Command(BaseCommand):
    help = "Envoie le rappel des sessions qui commencent dans les deux jours (une fois par inscription)."

    def handle(self, *args, **options):
        count = queue_due_reminders()
        if options["verbosity"] >= 1:
            self.stdout.write(
                ngettext(
                    "%(count)d rappel mis en file d'attente.",
                    "%(count)d rappels mis en file d'attente.",
                    count,
                )
                % {"count": count}
            )
