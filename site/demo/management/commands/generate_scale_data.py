"""A département's years of training at scale, for `make bench-scale`: never production data.

`manage.py generate_scale_data --i-know-this-is-not-production` writes, on the modules
and publishers of the demo (run `load_demo` first), 100,000 professionals by default
(`--learners`) with their lesson visits, quiz attempts, certificates, sessions,
registrations, half-day attendance and satisfaction answers (`demo.scale`). Every
generated person has an address at `@scale.reperes.example` and every generated session
a title starting with « [échelle] », so `--delete` removes exactly them.

Without the flag the command refuses: it must not run where real people's records are
kept. It also refuses SQLite, made for one small instance, unless `--allow-sqlite`
(the tests run it there at a tiny scale). A second run finds the data there and adds
nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.command_args import add_generated_data_arguments
from demo.scale import ScaleDataError, delete_scale_data, generate_scale_data, scale_users


class Command(BaseCommand):
    help = "Génère des données fictives à l'échelle d'un département (jamais en production)."

    def add_arguments(self, parser):
        add_generated_data_arguments(parser, learners=100_000, seed=15)
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Accepter SQLite (tests à petite échelle seulement).",
        )

    def handle(self, *args, learners, seed, delete, confirmed, allow_sqlite, **options):
        if not confirmed:
            raise CommandError(
                "Refusé : ajoutez --i-know-this-is-not-production (jamais sur la production)."
            )
        if connection.vendor != "postgresql" and not allow_sqlite:
            raise CommandError(
                "Refusé : ces volumes sont faits pour PostgreSQL (DATABASE_URL) ; "
                "--allow-sqlite pour un essai à petite échelle."
            )
        if learners < 1:
            raise CommandError("--learners doit être au moins 1.")
        if delete:
            started = time.monotonic()
            count = delete_scale_data()
            self.stdout.write(
                f"Supprimé : {count} personnes générées ({time.monotonic() - started:.1f} s)."
            )
            return
        existing = scale_users().count()
        if existing:
            self.stdout.write(f"Déjà là : {existing} personnes générées (--delete d'abord).")
            return
        started = time.monotonic()
        try:
            counts = generate_scale_data(learners, seed=seed)
        except ScaleDataError as error:
            raise CommandError(error.message) from error
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"Généré : {learners} personnes en {time.monotonic() - started:.1f} s.")
