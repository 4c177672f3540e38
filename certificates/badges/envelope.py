"""The badge as a file: a compact JWS in a VC data model 2.0 « enveloped » credential.

A VC-JWT is a string (header.payload.signature); the file people download, keep in a
wallet and the PDF embeds is JSON that carries it unchanged
(`EnvelopedVerifiableCredential`, VC data model 2.0 § 4.13), so that what travels is
still the signed JWS. `unwrap` accepts either form back, as the verification page does.
"""

import json
import re

from django.utils.text import slugify

ENVELOPE_CONTEXT = "https://www.w3.org/ns/credentials/v2"
DATA_URL_PREFIX = "data:application/vc+jwt,"
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class EnvelopeError(ValueError):
    """`code`: malformed."""

    code = "malformed"


def enveloped(jwt: str) -> dict:
    return {
        "@context": ENVELOPE_CONTEXT,
        "id": DATA_URL_PREFIX + jwt,
        "type": "EnvelopedVerifiableCredential",
    }


def file_bytes(jwt: str) -> bytes:
    return (json.dumps(enveloped(jwt), indent=2) + "\n").encode("utf-8")


def filename(certificate) -> str:
    return filename_for(certificate.number)


def filename_for(number: str) -> str:
    """`open-badge-<number>.json`, ASCII only."""
    return f"open-badge-{slugify(number) or 'certificat'}.json"


def unwrap(text: str) -> str:
    """The compact JWS in `text`: the JWS itself, or an enveloped credential's JSON."""
    text = text.strip()
    if COMPACT_JWS.fullmatch(text):
        return text
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise EnvelopeError("not JSON nor a compact JWS") from error
    if not isinstance(data, dict):
        raise EnvelopeError("not a JSON object")
    types = data.get("type")
    types = [types] if isinstance(types, str) else types
    identifier = data.get("id")
    if (
        not isinstance(types, list)
        or "EnvelopedVerifiableCredential" not in types
        or not isinstance(identifier, str)
        or not identifier.startswith(DATA_URL_PREFIX)
    ):
        raise EnvelopeError("not an enveloped VC-JWT credential")
    jwt = identifier[len(DATA_URL_PREFIX) :]
    if not COMPACT_JWS.fullmatch(jwt):
        raise EnvelopeError("the envelope holds no compact JWS")
    return jwt
