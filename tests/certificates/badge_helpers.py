"""Reading badges in tests without the platform's code: base64url, JSON, jwcrypto."""

import base64
import gzip
import json
from pathlib import Path

from jsonschema import Draft201909Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "certificates" / "badges" / "schemas"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def parts(token: str) -> tuple[dict, dict]:
    """(header, payload) of a compact JWS, unverified."""
    header, payload, _signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload))


def compact(header: dict, payload: dict, signature: bytes = b"") -> str:
    return ".".join(
        [
            b64url(json.dumps(header).encode()),
            b64url(json.dumps(payload, ensure_ascii=False).encode()),
            b64url(signature),
        ]
    )


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def schema_errors(document, name="achievementcredential", definition=None) -> list[str]:
    """Errors of `document` against a vendored schema (or one of its `$defs`), formats
    (`date-time`…) included."""
    root = schema(name)
    if definition:
        root = {"$schema": root["$schema"], "$defs": root["$defs"], "$ref": f"#/$defs/{definition}"}
    Draft201909Validator.check_schema(root)
    return [
        f"{error.json_path}: {error.message}"
        for error in Draft201909Validator(
            root, format_checker=Draft201909Validator.FORMAT_CHECKER
        ).iter_errors(document)
    ]


def verify_with_jwcrypto(token: str, jwks_json: bytes) -> dict:
    """The payload of `token` once jwcrypto has checked it with the key its `kid` names
    in the JWKS document (raises otherwise)."""
    from jwcrypto import jwk, jws

    header, _ = parts(token)
    kid = header["kid"].rsplit("#", 1)[1]
    key = jwk.JWKSet.from_json(jwks_json).get_key(kid)
    assert key is not None, "the kid is not in the JWKS"
    verifier = jws.JWS()
    verifier.deserialize(token)
    verifier.verify(key, alg="RS256")
    return json.loads(verifier.payload)


def decode_status_list(encoded: str) -> bytes:
    """The bitstring of an `encodedList`: multibase « u », base64url, GZIP."""
    assert encoded.startswith("u")
    return gzip.decompress(b64url_decode(encoded[1:]))


def bit(bitstring: bytes, index: int) -> int:
    """Index 0 is the most significant bit of the first byte (Bitstring Status List)."""
    return (bitstring[index // 8] >> (7 - index % 8)) & 1
