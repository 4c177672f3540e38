"""Encrypt the second-factor secrets stored before encryption existed (accounts/mfa_secrets.py)."""

from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from accounts.mfa_secrets import encrypt_authenticator_data

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = encrypt_authenticator_data(authenticator.data)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def decrypt_existing(apps, schema_editor):
    """Back to clear values, for code that predates encryption."""
    from accounts.mfa_secrets import decrypt_secret

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for key in ("secret", "seed"):
            if isinstance(data.get(key), str):
                data[key] = decrypt_secret(data[key])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [decrypt_secret(code) for code in data["migrated_codes"]]
        authenticator.data = data
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_inactivity_warned_at"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_existing, decrypt_existing)]
