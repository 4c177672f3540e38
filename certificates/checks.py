"""`manage.py check --deploy`: a deployment signs with its own key, not the demo one."""

from django.conf import settings
from django.core import checks


def check_signing_key(app_configs=None, **kwargs):
    from certificates import signing_keys

    if not settings.SIGNING_KEY_FILE:
        return [
            checks.Error(
                "SIGNING_KEY_FILE is not set: certificates cannot be signed.",
                hint="Name the issuer's PKCS#12 file and its passphrase (docs/deployment.md).",
                id="certificates.E001",
            )
        ]
    try:
        key = signing_keys.current_key()
    except signing_keys.SigningKeyError as error:
        return [
            checks.Error(
                f"The signing key cannot be used ({error.code}).",
                hint="Check SIGNING_KEY_FILE and SIGNING_KEY_PASSPHRASE.",
                id="certificates.E002",
            )
        ]
    if signing_keys.DEMO_MARK in key.subject:
        return [
            checks.Warning(
                "Certificates are signed with a demo key (« démonstration »).",
                hint="Use the issuer's own key in production (docs/deployment.md).",
                id="certificates.W001",
            )
        ]
    return []
