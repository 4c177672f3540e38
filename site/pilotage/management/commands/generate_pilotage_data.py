"""Generated learners for measuring the dashboard (`make bench`): never production data.

`manage.py generate_pilotage_data --learners 10000 --i-know-this-is-not-production`
writes, with `bulk_create` (`pilotage.history`), learners spread over 18 months:
enrolments, completions, first quiz attempts, sessions with their half-days,
registrations and attendance, on the modules and publishers already there (run
`load_demo` first). Every generated person has an address at
`pilotage.generated.invalid` and the first name « Généré·e », every generated session a
title starting with « [généré] », so `--delete` removes exactly them. Without the
flag the command refuses: it must not run where real people's figures are read.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.command_args import add_generated_data_arguments
from courses.models import ModulePage
from pilotage.history import delete_generated, generate, generated_users


class Command(BaseCommand):
    help = "Génère des personnes formées fictives pour mesurer le tableau de bord (jamais en production)."

    def add_arguments(self, parser):
        add_generated_data_arguments(parser, learners=10_000, seed=14)

    def handle(self, *args, learners, seed, delete, confirmed, **options):
        if not confirmed:
            raise CommandError(
                "Refusé : ajoutez --i-know-this-is-not-production (jamais sur la production)."
            )
        if delete:
            self.stdout.write(f"Supprimé : {delete_generated()} personnes générées.")
            return
        existing = generated_users().count()
        if existing >= learners:
            self.stdout.write(f"Déjà là : {existing} personnes générées.")
            return
        modules = list(
            ModulePage.objects.filter(publisher__isnull=False).select_related("publisher")
        )
        if not modules:
            raise CommandError("Aucun module : lancez d'abord `manage.py load_demo`.")
        with transaction.atomic():
            delete_generated()
            generate(learners, modules, random.Random(seed))  # noqa: S311 (not security)
        self.stdout.write(f"Généré : {learners} personnes.")
