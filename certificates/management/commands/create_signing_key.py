"""Create a PKCS#12 signing key (`make run` creates the demo one).

    manage.py create_signing_key var/signing/demo.p12 --passphrase-file var/signing/demo.passphrase --demo

Without `--demo` the subject is the one given (`--name`): for a real deployment,
prefer a key and certificate from the département's certification authority.
An existing file is left alone (idempotent), unless `--force`.
"""

import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import signing_keys


class Command(BaseCommand):
    help = "Crée une clé de signature PKCS#12 (RSA) et son certificat auto-signé."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--passphrase-file",
            type=Path,
            required=True,
            help="Lue si elle existe, sinon créée avec une phrase de passe aléatoire.",
        )
        parser.add_argument("--demo", action="store_true", help="Clé marquée « démonstration ».")
        parser.add_argument("--name", default="", help="Nom commun du certificat (hors --demo).")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, path, passphrase_file, demo, name, force, **options):
        if path.exists() and not force:
            self.stdout.write(f"{path} existe déjà : rien à faire.")
            return
        if not demo and not name:
            raise CommandError("--name est requis pour une clé qui n'est pas de démonstration.")
        if passphrase_file.exists():
            passphrase = passphrase_file.read_text().strip()
        else:
            passphrase = secrets.token_urlsafe(24)
            passphrase_file.parent.mkdir(parents=True, exist_ok=True)
            passphrase_file.touch(mode=0o600)
            passphrase_file.write_text(passphrase + "\n")
        if demo:
            key = signing_keys.create_demo_key(path, passphrase)
        else:
            private_key, certificate = signing_keys.create_key(name)
            signing_keys.write_pkcs12(path, private_key, certificate, passphrase)
            key = signing_keys.read_pkcs12(path.read_bytes(), passphrase, path=str(path))
        self.stdout.write(f"Clé créée : {path} ({key.subject}, kid {key.kid})")
