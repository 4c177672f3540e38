"""Checking an Open Badge credential presented to the platform (/verifier/).

In order, each failure a stable reason (`BadgeCheck.reason`):

1. size (`too_large`, before anything is parsed), then the envelope or the compact
   JWS (`malformed`);
2. the JOSE header: exactly `alg` RS256, `kid` naming one of the platform's keys in
   its JWKS, `typ` JWT if present (`unknown_key`). The key always comes from our own
   records, never from the token: a `jwk` header, `alg` none, or HS256 with our
   public key as the secret (algorithm confusion) are refused before any check;
3. the RS256 signature, by PyJWT (`bad_signature`);
4. the payload: the Open Badges 3.0 JSON Schema (`schema`), the JWT claims equal to
   the credential's fields (`claims_mismatch`), the issuer is this platform
   (`wrong_issuer`);
5. the certificate it names, by uuid (`unknown_certificate`), and the credential is
   the one the platform issued for it (`content_mismatch`: our key signed nothing
   else under that id);
6. the status, from the database rather than the published list (the list may be
   cached for a minute): `revoked`, `replaced`, `expired` (by the certificate or by
   `validUntil`), `not_yet_valid`.
"""

import datetime
import uuid

import jwt
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from certificates.signing_keys import known_keys, load_certificate
from certificates.verdicts import BADGE_MAX_BYTES, BadgeCheck, BadgeVerdict

from . import links
from .envelope import EnvelopeError, unwrap
from .schemas import schema_errors
from .signing import ALGORITHM, CLAIMS, credential_of, jwt_payload

ALLOWED_HEADER = {"alg", "kid", "typ"}


class Refused(Exception):
    def __init__(self, reason, certificate=None, credential=None):
        super().__init__(reason)
        self.reason = reason
        self.certificate = certificate
        self.credential = credential or {}


def verify_badge(text: str) -> BadgeCheck:
    """What the platform says of a badge (a compact JWS or its enveloped JSON)."""
    try:
        certificate, credential = _verify(text)
    except Refused as refused:
        return BadgeCheck(
            BadgeVerdict.INVALID,
            refused.reason,
            certificate=refused.certificate,
            credential=refused.credential,
        )
    return BadgeCheck(BadgeVerdict.VALID, certificate=certificate, credential=credential)


def _verify(text):
    token = _token(text)
    payload = _signed_payload(token, _public_key(token))
    credential = credential_of(payload)
    _check_payload(payload, credential)
    certificate = _certificate(credential)
    _check_issued(token, payload, certificate, credential)
    _check_status(certificate, credential)
    return certificate, credential


def _token(text):
    if isinstance(text, bytes):
        if len(text) > BADGE_MAX_BYTES:
            raise Refused("too_large")
        try:
            text = text.decode("utf-8-sig")  # a file saved with a BOM is still JSON
        except UnicodeDecodeError:
            raise Refused("malformed") from None
    # A character is at least one byte: count characters first, encode only if small.
    if len(text) > BADGE_MAX_BYTES or len(text.encode("utf-8", "replace")) > BADGE_MAX_BYTES:
        raise Refused("too_large")
    try:
        return unwrap(text.lstrip("\ufeff"))
    except EnvelopeError:
        raise Refused("malformed") from None


def _public_key(token):
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.DecodeError, RecursionError):  # RecursionError: JSON nested too deep
        raise Refused("malformed") from None
    if (
        set(header) - ALLOWED_HEADER
        or header.get("alg") != ALGORITHM
        or header.get("typ", "JWT") != "JWT"
        or not isinstance(header.get("kid"), str)
    ):
        raise Refused("unknown_key")
    prefix = links.key_url("")
    kid = header["kid"][len(prefix) :] if header["kid"].startswith(prefix) else None
    row = next((row for row in known_keys() if kid and row.kid == kid), None)
    if row is None:
        raise Refused("unknown_key")
    return load_certificate(row.certificate_pem).public_key()


def _signed_payload(token, public_key):
    try:
        return jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            # Dates are the credential's, checked below against the certificate.
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.InvalidSignatureError:
        raise Refused("bad_signature") from None
    except (jwt.InvalidTokenError, RecursionError):
        raise Refused("malformed") from None


def _check_payload(payload, credential):
    if schema_errors("achievementcredential", credential):
        raise Refused("schema", credential=credential)
    try:
        expected = jwt_payload(credential)
    except (KeyError, TypeError, ValueError):
        raise Refused("schema", credential=credential) from None
    if any(payload.get(name) != expected.get(name) for name in CLAIMS):
        raise Refused("claims_mismatch", credential=credential)
    if expected["iss"] != links.issuer_url():
        raise Refused("wrong_issuer", credential=credential)


def _certificate(credential):
    identifier = credential["id"]
    try:
        certificate_uuid = uuid.UUID(identifier.removeprefix("urn:uuid:"))
    except ValueError:
        raise Refused("unknown_certificate", credential=credential) from None
    certificate = Certificate.objects.filter(uuid=certificate_uuid).first()
    if certificate is None or identifier != f"urn:uuid:{certificate_uuid}":
        raise Refused("unknown_certificate", credential=credential)
    return certificate


def _check_issued(token, payload, certificate, credential):
    """The platform signs one badge per certificate: a valid signature over anything
    else under its id (its key misused, or a bug) is not that certificate's badge.
    An anonymised certificate no longer keeps its badge: the signature stands alone."""
    if certificate.anonymised_at:
        return
    if not certificate.badge_jwt:
        raise Refused("content_mismatch", certificate, credential)
    if token == certificate.badge_jwt:
        return
    # Our own stored token: its signature was made here, only its content is compared.
    issued = jwt.decode(certificate.badge_jwt, options={"verify_signature": False})
    if issued != payload:
        raise Refused("content_mismatch", certificate, credential)


def _check_status(certificate, credential):
    status = certificate.status()
    if status == CertificateStatus.REVOKED:
        raise Refused("revoked", certificate, credential)
    if status == CertificateStatus.REPLACED:
        raise Refused("replaced", certificate, credential)
    now = timezone.now()
    valid_until = credential.get("validUntil")
    if status == CertificateStatus.EXPIRED or (valid_until and _moment(valid_until) <= now):
        raise Refused("expired", certificate, credential)
    if _moment(credential["validFrom"]) > now:
        raise Refused("not_yet_valid", certificate, credential)


def _moment(value):
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise Refused("schema") from None
    if moment.tzinfo is None:  # a DateTimeZ has its zone
        raise Refused("schema")
    return moment
