"""VC-JWT, as Open Badges 3.0 § « JSON Web Token Proof Format » fixes it.

- JOSE header: exactly `alg` RS256, `kid` (the URI of the key in our JWKS) and `typ`
  JWT. Never `jwk`: a verifier must fetch the key from the platform, not trust one
  the token brings along.
- Payload: the credential itself, plus the registered claims the specification maps
  onto it (`iss` = issuer.id, `jti` = id, `nbf` = validFrom, `sub` =
  credentialSubject.id, `exp` = validUntil when there is one).

Why VC-JWT rather than a Data Integrity proof (`eddsa-rdfc-2022`): RS256 is the one
algorithm every Open Badges 3.0 verifier must support; it uses the RSA key that
already signs the PDFs (one key to keep, rotate and publish); and it needs no
JSON-LD canonicalisation, which would mean fetching (or vendoring) every context a
credential names. The JWS is also what the PDF embeds and a wallet stores, unchanged.

Signed here with `cryptography` (RSASSA-PKCS1-v1_5 with SHA-256 is RS256, RFC 7518
§ 3.3): a few lines whose output the tests check with an independent JOSE library
(jwcrypto); verification uses PyJWT (certificates/badges/verification.py).
"""

import base64
import datetime
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from . import links

ALGORITHM = "RS256"
#: The claims `jwt_payload` adds; `credential_of` takes them off again.
CLAIMS = ("iss", "jti", "nbf", "sub", "exp")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def numeric_date(timestamp: str) -> int:
    """A `…Z` timestamp of the credential as a JWT NumericDate (seconds since 1970)."""
    return int(datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())


def jose_header(kid: str) -> dict:
    return {"alg": ALGORITHM, "kid": links.key_url(kid), "typ": "JWT"}


def jwt_payload(credential: dict) -> dict:
    issuer = credential["issuer"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": numeric_date(credential["validFrom"]),
        "sub": credential["credentialSubject"]["id"],
    }
    if credential.get("validUntil"):
        claims["exp"] = numeric_date(credential["validUntil"])
    return {**credential, **claims}


def credential_of(payload: dict) -> dict:
    return {name: value for name, value in payload.items() if name not in CLAIMS}


def sign_jwt(payload: dict, key) -> str:
    """A compact JWS of `payload` signed by `key` (`signing_keys.IssuerKey`)."""
    signing_input = f"{b64url(json_bytes(jose_header(key.kid)))}.{b64url(json_bytes(payload))}"
    signature = key.private_key.sign(
        signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
    )
    return f"{signing_input}.{b64url(signature)}"


def sign_credential(credential: dict, key) -> str:
    return sign_jwt(jwt_payload(credential), key)
