"""Encryption of the second-factor secrets allauth stores (TOTP keys, recovery-code seeds).

allauth keeps them in `Authenticator.data` and calls its adapter's `encrypt` /
`decrypt` hooks (accounts.adapters.MFAAdapter) around every read and write. A dump
of the database (a backup, a copy for support) must not be enough to generate a
staff member's codes: values are Fernet tokens (AES-128-CBC + HMAC-SHA256) under a
key derived from `MFA_SECRET_KEY` — a dedicated setting, so that rotating
SECRET_KEY does not lock staff out; it defaults to SECRET_KEY for development.
`MFA_SECRET_KEY_FALLBACKS` still decrypt during a rotation (MultiFernet), and values
written before encryption existed (no prefix) are read as they are and encrypted by
migration accounts 0004.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "fernet:"


class SecretUnreadable(ValueError):
    """A stored secret no configured key decrypts (`code`: stable, for logs and tests)."""

    code = "mfa_secret_unreadable"


def _fernet_key(secret):
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"reperes-mfa-secrets"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet():
    current = settings.MFA_SECRET_KEY or settings.SECRET_KEY
    fallbacks = [key for key in settings.MFA_SECRET_KEY_FALLBACKS if key]
    return MultiFernet([_fernet_key(key) for key in [current, *fallbacks]])


def is_encrypted(value):
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt_secret(text):
    if is_encrypted(text):
        return text
    return PREFIX + _fernet().encrypt(text.encode()).decode("ascii")


def decrypt_secret(value):
    if not is_encrypted(value):
        return value  # written before encryption existed (see migration 0004)
    try:
        return _fernet().decrypt(value.removeprefix(PREFIX).encode("ascii")).decode()
    except InvalidToken:
        raise SecretUnreadable("No configured MFA key decrypts this secret.") from None


def encrypt_authenticator_data(data):
    """`Authenticator.data` with every secret encrypted (idempotent; for migrations)."""
    data = dict(data or {})
    for key in ("secret", "seed"):
        if isinstance(data.get(key), str):
            data[key] = encrypt_secret(data[key])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [encrypt_secret(code) for code in data["migrated_codes"]]
    return data
