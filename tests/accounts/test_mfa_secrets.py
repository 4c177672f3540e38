"""Second-factor secrets are stored encrypted (accounts/mfa_secrets.py, migration 0004)."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.apps import apps

from accounts.mfa import totp_code
from accounts.mfa_secrets import (
    PREFIX,
    SecretUnreadable,
    decrypt_secret,
    encrypt_secret,
)
from tests.conftest import TOTP_SECRET

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0004_encrypt_mfa_secrets")


def test_a_totp_key_is_stored_encrypted_and_still_checks_codes(trainer):
    stored = Authenticator.objects.get(user=trainer, type=Authenticator.Type.TOTP).data["secret"]

    assert stored.startswith(PREFIX)
    assert TOTP_SECRET not in stored
    assert decrypt_secret(stored) == TOTP_SECRET
    assert validate_totp_code(TOTP_SECRET, totp_code(TOTP_SECRET))


def test_recovery_codes_seed_is_stored_encrypted(professional):
    codes = RecoveryCodes.activate(professional)
    stored = codes.instance.data["seed"]

    assert stored.startswith(PREFIX)
    assert len(codes.get_unused_codes()) == 10
    assert codes.validate_code(codes.get_unused_codes()[0])


def test_encrypting_is_idempotent_and_each_value_is_unique():
    once = encrypt_secret("JBSWY3DPEHPK3PXP")
    assert encrypt_secret(once) == once
    assert encrypt_secret("JBSWY3DPEHPK3PXP") != once  # random IV: nothing to compare


def test_a_key_rotation_keeps_old_secrets_readable(settings):
    settings.MFA_SECRET_KEY = "ancienne-clé-de-chiffrement-des-secrets"
    old = encrypt_secret("JBSWY3DPEHPK3PXP")
    settings.MFA_SECRET_KEY = "nouvelle-clé-de-chiffrement-des-secrets"

    with pytest.raises(SecretUnreadable):
        decrypt_secret(old)
    settings.MFA_SECRET_KEY_FALLBACKS = ["ancienne-clé-de-chiffrement-des-secrets"]
    assert decrypt_secret(old) == "JBSWY3DPEHPK3PXP"


def test_the_migration_encrypts_clear_secrets_and_reverses(professional):
    from django.db import connection

    clear = Authenticator.objects.create(
        user=professional, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )

    migration.encrypt_existing(apps, connection.schema_editor())
    clear.refresh_from_db()
    assert clear.data["secret"].startswith(PREFIX)
    assert decrypt_secret(clear.data["secret"]) == TOTP_SECRET

    migration.decrypt_existing(apps, connection.schema_editor())
    clear.refresh_from_db()
    assert clear.data["secret"] == TOTP_SECRET


def test_secrets_written_before_encryption_are_still_read():
    assert decrypt_secret(TOTP_SECRET) == TOTP_SECRET
