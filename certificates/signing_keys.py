"""The issuer's signing key: loaded from a PKCS#12 file, recorded at first use.

One RSA key signs both what the platform issues: each certificate's PDF (PAdES,
certificates/signed_pdfs/signing.py) and its Open Badge (VC-JWT with RS256, the algorithm
Open Badges 3.0 requires every verifier to support; certificates/badges/).

- **Where it comes from.** `settings.SIGNING_KEY_FILE` names a PKCS#12 file outside
  the repository, `settings.SIGNING_KEY_PASSPHRASE` its passphrase. `make run`
  creates a demo key whose subject says « démonstration » (`create_demo_key`).
- **Rotation.** Point the settings at a new file. The first time a key signs, its
  public certificate is recorded as a `SigningKey` row; verification trusts every
  recorded key, and the JWKS publishes them all, so what an older key signed keeps
  verifying after the change.
- **Key id.** The RFC 7638 thumbprint of the public key (base64url SHA-256): the
  same key always gets the same id, whatever file it is read from.

Errors carry a stable `code` (`SigningKeyError`).
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, transaction

logger = logging.getLogger("reperes.certificates")

#: RSA size of the keys this module creates (the demo key, test keys).
RSA_BITS = 3072
DEMO_MARK = "démonstration"


class SigningKeyError(Exception):
    """`code`: not_configured, unreadable, unsupported_key."""

    def __init__(self, code, message=""):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class IssuerKey:
    """The key that signs now, with its certificate (and the chain, if the file has one)."""

    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    kid: str
    path: str

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate)

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    def public_jwk(self) -> dict:
        return public_jwk(self.certificate)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64url(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def key_id(public_key) -> str:
    """RFC 7638 JWK thumbprint of an RSA public key (base64url SHA-256)."""
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SigningKeyError("unsupported_key", "only RSA keys are supported")
    numbers = public_key.public_numbers()
    # The required members in lexicographic order, no whitespace (RFC 7638 § 3.2).
    canonical = json.dumps(
        {"e": _int_b64url(numbers.e), "kty": "RSA", "n": _int_b64url(numbers.n)},
        separators=(",", ":"),
        sort_keys=True,
    )
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def public_jwk(certificate: x509.Certificate) -> dict:
    """The public JWK of a certificate's key: never a private member (`d`, `p`…)."""
    public_key = certificate.public_key()
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "kid": key_id(public_key),
        "use": "sig",
        "alg": "RS256",
        "n": _int_b64url(numbers.n),
        "e": _int_b64url(numbers.e),
        "x5c": [base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()],
        "x5t#S256": _b64url(certificate.fingerprint(hashes.SHA256())),
    }


def read_pkcs12(data: bytes, passphrase: str, *, path: str = "") -> IssuerKey:
    try:
        private_key, certificate, extra = pkcs12.load_key_and_certificates(
            data, passphrase.encode() if passphrase else None
        )
    except (ValueError, TypeError) as error:
        # A wrong passphrase and a damaged file look the same to the caller.
        raise SigningKeyError("unreadable", f"cannot read the PKCS#12 file {path}") from error
    if private_key is None or certificate is None:
        raise SigningKeyError("unreadable", f"{path} holds no key and certificate")
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise SigningKeyError("unsupported_key", "the signing key must be an RSA key (RS256)")
    return IssuerKey(
        private_key=private_key,
        certificate=certificate,
        chain=tuple(extra or ()),
        kid=key_id(certificate.public_key()),
        path=path,
    )


@functools.lru_cache(maxsize=4)
def _load(path: str, passphrase: str, mtime: float) -> IssuerKey:
    return read_pkcs12(Path(path).read_bytes(), passphrase, path=path)


def demo_key_files() -> tuple[Path, Path]:
    folder = Path(settings.SIGNING_DEMO_KEY_DIR)
    return folder / "demo.p12", folder / "demo.passphrase"


def ensure_demo_key() -> tuple[str, str]:
    """(path, passphrase) of the demo key, created on first use (development only).

    The same files as `make run`'s `create_signing_key --demo`; a lock file keeps two
    processes starting together from creating two different keys.
    """
    import fcntl
    import secrets

    path, passphrase_file = demo_key_files()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            if not passphrase_file.exists():
                passphrase_file.touch(mode=0o600)
                passphrase_file.write_text(secrets.token_urlsafe(24) + "\n")
            create_demo_key(path, passphrase_file.read_text().strip())
            logger.warning("demo signing key created", extra={"path": str(path)})
    return str(path), passphrase_file.read_text().strip()


def current_key() -> IssuerKey:
    """The key that signs now (read once per process and file version)."""
    path, passphrase = settings.SIGNING_KEY_FILE, settings.SIGNING_KEY_PASSPHRASE
    if not path:
        if not settings.SIGNING_DEMO_KEY:
            raise SigningKeyError("not_configured", "SIGNING_KEY_FILE is not set")
        path, passphrase = ensure_demo_key()
    try:
        mtime = os.stat(path).st_mtime
    except OSError as error:
        raise SigningKeyError("unreadable", f"{path} cannot be read") from error
    return _load(path, passphrase, mtime)


def record(key: IssuerKey):
    """The `SigningKey` row of `key`, created the first time it signs (idempotent)."""
    from certificates.models import SigningKey

    row = SigningKey.objects.filter(kid=key.kid).first()
    if row is not None:
        return row
    pem = key.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    try:
        with transaction.atomic():
            row = SigningKey.objects.create(
                kid=key.kid,
                fingerprint=key.fingerprint,
                subject=key.subject[:500],
                certificate_pem=pem,
                not_after=key.certificate.not_valid_after_utc,
                is_demo=DEMO_MARK in key.subject,
            )
    except IntegrityError:
        # Another worker recorded it at the same moment.
        return SigningKey.objects.get(kid=key.kid)
    logger.info("signing key recorded", extra={"kid": key.kid, "subject": key.subject})
    return row


def signing_key_now():
    """(IssuerKey, SigningKey row): what a signing service needs."""
    key = current_key()
    return key, record(key)


def known_keys():
    """Every recorded key, newest first: what verification trusts and the JWKS lists."""
    from certificates.models import SigningKey

    return list(SigningKey.objects.order_by("-created_at", "-id"))


def load_certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode("ascii"))


def create_key(
    common_name: str,
    *,
    organisation: str = "Repères",
    years: int = 5,
    bits: int = RSA_BITS,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new RSA key and a self-signed certificate fit for document signing."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False
        )
        .sign(private_key, hashes.SHA256())
    )
    return private_key, certificate


def write_pkcs12(path: Path, private_key, certificate, passphrase: str) -> None:
    """Write a PKCS#12 file readable by its owner only."""
    data = pkcs12.serialize_key_and_certificates(
        name=b"reperes",
        key=private_key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as output:
        output.write(data)


def create_demo_key(path: Path, passphrase: str) -> IssuerKey:
    """The demo key of `make run`: its subject says « démonstration » twice over."""
    private_key, certificate = create_key(
        f"Repères — clé de {DEMO_MARK}", organisation=f"Repères ({DEMO_MARK}, sans valeur)"
    )
    write_pkcs12(path, private_key, certificate, passphrase)
    return read_pkcs12(path.read_bytes(), passphrase, path=str(path))
