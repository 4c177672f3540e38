"""A certificate as an Open Badges 3.0 `OpenBadgeCredential` (VC data model 2.0).

Built from the certificate's snapshot only (what was issued stays as issued), then
signed once (certificates/badges/issuing.py). What it says of the holder:

- `credentialSubject.id` is a pseudonymous `urn:uuid:` derived from the certificate's
  own uuid, not from the person: two badges of the same person share no identifier,
  so a verifier (or several, comparing notes) cannot link them, and the platform's
  account ids never leave it.
- the e-mail address only as a salted SHA-256 (`IdentityObject`, `hashed: true`), with
  a random salt per credential (the same address gives a different hash in each
  badge); the holder proves it is theirs by giving the address. Never in clear.
- the name in clear, as printed on the PDF: a badge is shown to be shown.
"""

import datetime
import hashlib
import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings

from certificates.models import CertificateKind

from . import achievements, links, status_lists

CREDENTIALS_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [CREDENTIALS_CONTEXT, OPEN_BADGES_CONTEXT]
PARIS = ZoneInfo("Europe/Paris")

KIND_NAMES = {
    CertificateKind.COMPLETION: "Attestation de fin de formation",
    CertificateKind.ACHIEVEMENT: "Certificat de réalisation",
}


def utc_timestamp(moment: datetime.datetime) -> str:
    """ISO 8601 in UTC with « Z », to the second (the JWT's NumericDate has no more)."""
    moment = moment.astimezone(datetime.UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def paris_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=PARIS)


def valid_until(expires_on: datetime.date) -> datetime.datetime:
    """A certificate is valid through its last day in Paris (`Certificate.status`): the
    credential ceases at the following midnight."""
    return paris_midnight(expires_on + datetime.timedelta(days=1))


def issuer_name() -> str:
    """How the platform names itself (`WAGTAIL_SITE_NAME`, the admin's and the
    browser title's name), without a query: the JWKS, the profile and every badge
    say the same."""
    return settings.WAGTAIL_SITE_NAME


def issuer_profile() -> dict:
    from core.links import absolute_url

    return {
        "id": links.issuer_url(),
        "type": ["Profile"],
        "name": issuer_name(),
        "url": absolute_url("/"),
    }


def subject_id(certificate) -> str:
    return f"urn:uuid:{uuid.uuid5(achievements.BADGES_NAMESPACE, f'subject:{certificate.uuid}')}"


def email_hash(email: str, salt: str) -> str:
    """Open Badges 3.0 `identityHash`: « sha256$ » and the hex digest of value + salt.
    The address is normalised as the platform compares it (trimmed, lower case)."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def identifiers(certificate, salt: str) -> list[dict]:
    found = []
    email = getattr(certificate.holder, "email", "") if certificate.holder_id else ""
    if email:
        found.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": email_hash(email, salt),
                "salt": salt,
            }
        )
    found.append(
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": certificate.holder_name,
        }
    )
    return found


def credential_subject(certificate, salt: str) -> dict:
    subject = {
        "id": subject_id(certificate),
        "type": ["AchievementSubject"],
        "identifier": identifiers(certificate, salt),
        "achievement": achievements.achievement_json(
            achievements.facts_of_certificate(certificate)
        ),
    }
    if certificate.achieved_minutes:
        subject["creditsEarned"] = achievements.hours(certificate.achieved_minutes)
    if certificate.started_on:
        subject["activityStartDate"] = paris_midnight(certificate.started_on).isoformat()
    subject["activityEndDate"] = paris_midnight(certificate.completed_on).isoformat()
    return subject


def credential_status(certificate) -> dict:
    number, index = status_lists.position(certificate.pk)
    list_url = links.status_list_url(number)
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status_lists.STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def build_credential(certificate, *, salt: str | None = None) -> dict:
    """The unsigned credential of `certificate`. `salt`: the e-mail hash's salt (a new
    random one by default; tests pass theirs)."""
    salt = salt if salt is not None else secrets.token_hex(16)
    credential = {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{certificate.uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.title,
        "description": f"{KIND_NAMES[certificate.kind]} n° {certificate.number}",
        "issuer": issuer_profile(),
        "validFrom": utc_timestamp(certificate.issued_at),
        "credentialSubject": credential_subject(certificate, salt),
        "credentialStatus": credential_status(certificate),
    }
    if certificate.expires_on:
        credential["validUntil"] = utc_timestamp(valid_until(certificate.expires_on))
    return credential
