from django.core.management.base import BaseCommand

from demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PARTICIPANTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
)
from demo.sessions import DEMO_TRAINER


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration (créés par load_demo)."

    def handle(self, *args, **options):
        self.stdout.write(f"Comptes de démo (mot de passe commun : {DEMO_PASSWORD})")
        for spec in DEMO_ACCOUNTS:
            role = spec["role"] or "Super-utilisateur·rice"
            self.stdout.write(f"  {spec['email']:<36} {role}")
        self.stdout.write(
            "Les comptes de l'équipe demandent aussi un code de double authentification : "
            f"ajoutez la clé {DEMO_TOTP_SECRET} à une application d'authentification, "
            "ou affichez le code du moment avec `DEBUG=1 .venv/bin/python manage.py demo_totp`."
        )
        self.stdout.write(
            f"  + {len(DEMO_PARTICIPANTS)} participant·e·s des sessions d'exemple, "
            f"même mot de passe (par exemple {DEMO_PARTICIPANTS[0]['email']})"
        )
        self.stdout.write(
            "Sessions d'exemple : deux à venir (Bobigny, Saint-Denis) sur /sessions/ ; "
            f"une terminée (présences, feuille d'émargement, certificats) dans /formateur/ "
            f"avec {DEMO_TRAINER}."
        )
