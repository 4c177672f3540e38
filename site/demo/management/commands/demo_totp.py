"""Print the current two-factor code of a demo staff account (demo only).

Staff demo accounts share one authenticator-app secret (demo/accounts.py), so a
person trying the demo can log in without a phone, or add the secret to an app.
"""

import time

from allauth.mfa import app_settings
from django.core.management.base import BaseCommand, CommandError

from accounts.mfa import totp_code
from demo.accounts import DEMO_ACCOUNTS, DEMO_TOTP_SECRET, is_demo_staff


def demo_staff_emails():
    return [spec["email"] for spec in DEMO_ACCOUNTS if is_demo_staff(spec)]


class Command(BaseCommand):
    help = "Affiche le code de double authentification actuel d'un compte de démo de l'équipe."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", help="adresse d'un compte de démo de l'équipe")

    def handle(self, *args, email=None, **options):
        if email and email.lower() not in demo_staff_emails():
            raise CommandError(
                f"{email} n'est pas un compte de démo de l'équipe : "
                + ", ".join(demo_staff_emails())
            )
        period = app_settings.TOTP_PERIOD
        remaining = period - int(time.time()) % period
        self.stdout.write(f"Code actuel : {totp_code(DEMO_TOTP_SECRET)} (encore {remaining} s)")
        self.stdout.write(
            f"Clé pour une application d'authentification (comptes de démo de l'équipe) : "
            f"{DEMO_TOTP_SECRET}"
        )
