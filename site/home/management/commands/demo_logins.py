from django.core.management.base import BaseCommand

from home.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration (créés par load_demo)."

    def handle(self, *args, **options):
        self.stdout.write(f"Comptes de démo (mot de passe commun : {DEMO_PASSWORD})")
        for spec in DEMO_ACCOUNTS:
            role = spec["role"] or "Super-utilisateur·rice"
            self.stdout.write(f"  {spec['email']:<36} {role}")
