"""`verify_badge`: what a badge dropped on /verifier/ gets, each bad input a test."""

import hashlib
import hmac
import json
import time
import uuid
from datetime import date, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from jwcrypto import jwk, jws

from certificates import signing_keys
from certificates.badges import envelope
from certificates.badges.issuing import ensure_badge
from certificates.badges.signing import jwt_payload, sign_credential, sign_jwt
from certificates.badges.verification import verify_badge
from certificates.models import CertificateKind
from certificates.verdicts import BADGE_MAX_BYTES, BadgeVerdict
from tests.sessions.factories import build_session

from .badge_helpers import b64url, compact, parts, verify_with_jwcrypto

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
CLAIMS = {"iss", "jti", "nbf", "sub", "exp"}


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


@pytest.fixture
def certificate(make_certificate):
    return make_certificate(expires_on=date(2030, 1, 19))


@pytest.fixture
def token(certificate):
    return ensure_badge(certificate)


def credential_in(token):
    _, payload = parts(token)
    return {name: value for name, value in payload.items() if name not in CLAIMS}


def signed_by_jwcrypto(payload, key, header):
    signer = jws.JWS(json.dumps(payload, ensure_ascii=False).encode())
    signer.add_signature(key, alg=header.get("alg"), protected=json.dumps(header))
    return signer.serialize(compact=True)


def our_kid_url():
    return f"{BASE}/.well-known/jwks.json#{signing_keys.current_key().kid}"


def assert_refused(text, reason):
    check = verify_badge(text)
    assert check.verdict == BadgeVerdict.INVALID
    assert check.reason == reason
    return check


# --- Genuine badges ----------------------------------------------------------------------


def test_a_genuine_badge_is_valid_as_a_jws_as_a_file_and_as_bytes(
    token, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the keys, the certificate
        check = verify_badge(token)
    assert check.verdict == BadgeVerdict.VALID and check.reason == ""
    assert check.certificate == certificate
    assert check.credential["id"] == f"urn:uuid:{certificate.uuid}"
    assert not CLAIMS & set(check.credential)
    assert verify_badge(envelope.file_bytes(token).decode()).verdict == BadgeVerdict.VALID
    assert verify_badge(envelope.file_bytes(token)).verdict == BadgeVerdict.VALID
    assert verify_badge(f"\n  {token}\n").verdict == BadgeVerdict.VALID
    with_bom = b"\xef\xbb\xbf" + envelope.file_bytes(token)
    assert verify_badge(with_bom).verdict == BadgeVerdict.VALID


def test_a_session_badge_is_valid(make_certificate):
    session = build_session()
    certificate = make_certificate(kind=CertificateKind.ACHIEVEMENT, session=session)
    check = verify_badge(ensure_badge(certificate))
    assert check.verdict == BadgeVerdict.VALID
    assert check.certificate == certificate


def test_key_rotation_keeps_older_badges_valid(
    settings, tmp_path, make_certificate, certificate, token, client
):
    old_kid = signing_keys.current_key().kid
    new_key = signing_keys.create_demo_key(tmp_path / "new.p12", "another-passphrase")
    settings.SIGNING_KEY_FILE = str(tmp_path / "new.p12")
    settings.SIGNING_KEY_PASSPHRASE = "another-passphrase"
    newer = make_certificate(sequence=2, module=None, title="Autre module")
    new_token = ensure_badge(newer)
    assert parts(new_token)[0]["kid"].endswith(f"#{new_key.kid}")
    assert parts(token)[0]["kid"].endswith(f"#{old_kid}")
    assert verify_badge(token).verdict == BadgeVerdict.VALID
    assert verify_badge(new_token).verdict == BadgeVerdict.VALID
    jwks = client.get("/.well-known/jwks.json").content
    assert {key["kid"] for key in json.loads(jwks)["keys"]} == {old_kid, new_key.kid}
    verify_with_jwcrypto(token, jwks)
    verify_with_jwcrypto(new_token, jwks)


# --- Status -----------------------------------------------------------------------------


def test_an_expired_certificate_is_refused_as_expired(make_certificate):
    certificate = make_certificate(
        issued_at=timezone.make_aware(datetime(2023, 1, 19, 10, 0)), expires_on=date(2025, 1, 19)
    )
    check = assert_refused(ensure_badge(certificate), "expired")
    assert check.certificate == certificate


def test_a_revoked_certificate_is_refused_as_revoked(certificate, token, coordinator):
    from certificates.services import revoke_certificate

    revoke_certificate(certificate, by=coordinator, reason="Erreur")
    check = assert_refused(token, "revoked")
    assert check.certificate == certificate


# --- Tampered, forged, misdirected ---------------------------------------------------------


def test_a_changed_name_breaks_the_signature(token):
    header, payload = parts(token)
    payload["credentialSubject"]["identifier"][-1]["identityHash"] = "Dominique Autre"
    payload["name"] = "Un autre module"
    signature = token.rsplit(".", 1)[1]
    forged = compact(header, payload).rsplit(".", 1)[0] + "." + signature
    assert_refused(forged, "bad_signature")


def test_another_key_claiming_our_kid_is_a_bad_signature(token):
    header, payload = parts(token)
    payload["credentialSubject"]["identifier"][-1]["identityHash"] = "Dominique Autre"
    other = jwk.JWK.generate(kty="RSA", size=2048)
    assert_refused(signed_by_jwcrypto(payload, other, header), "bad_signature")


def test_a_proof_by_another_key_is_an_unknown_key(token):
    _, payload = parts(token)
    other = jwk.JWK.generate(kty="RSA", size=2048, kid="attacker")
    header = {"alg": "RS256", "kid": "https://ailleurs.example/jwks.json#attacker", "typ": "JWT"}
    assert_refused(signed_by_jwcrypto(payload, other, header), "unknown_key")
    header["kid"] = f"{BASE}/.well-known/jwks.json#{other.thumbprint()}"
    assert_refused(signed_by_jwcrypto(payload, other, header), "unknown_key")


def test_a_key_carried_in_the_token_is_never_trusted(token):
    _, payload = parts(token)
    other = jwk.JWK.generate(kty="RSA", size=2048)
    header = {"alg": "RS256", "jwk": json.loads(other.export_public()), "typ": "JWT"}
    assert_refused(signed_by_jwcrypto(payload, other, header), "unknown_key")
    header["kid"] = our_kid_url()  # with our kid as well: still refused
    assert_refused(signed_by_jwcrypto(payload, other, header), "unknown_key")


def test_alg_none_is_refused(token):
    header, payload = parts(token)
    header["alg"] = "none"
    # Unsigned (empty third part): not even a compact JWS.
    assert_refused(compact(header, payload), "malformed")
    # With the original signature left in place: refused on the header alone.
    assert_refused(compact(header, payload, b"x" * 32), "unknown_key")
    assert_refused(
        compact(header, payload).rsplit(".", 1)[0] + "." + token.rsplit(".", 1)[1], "unknown_key"
    )


def test_hs256_with_our_public_key_as_secret_is_refused(token):
    """Algorithm confusion: the public key (anyone has it) used as an HMAC secret."""
    header, payload = parts(token)
    header["alg"] = "HS256"
    public_pem = (
        signing_keys.current_key()
        .certificate.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = compact(header, payload).rsplit(".", 1)[0]
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert_refused(f"{signing_input}.{b64url(mac)}", "unknown_key")


def test_another_sites_credential_signed_by_our_key_is_the_wrong_issuer(token):
    """Our key misused for another issuer: the signature holds, the issuer does not."""
    credential = credential_in(token)
    credential["issuer"] = {**credential["issuer"], "id": "https://ailleurs.example/issuer"}
    assert_refused(sign_credential(credential, signing_keys.current_key()), "wrong_issuer")


def test_claims_that_contradict_the_credential_are_refused(token):
    credential = credential_in(token)
    payload = {**jwt_payload(credential), "iss": "https://ailleurs.example/issuer"}
    assert_refused(sign_jwt(payload, signing_keys.current_key()), "claims_mismatch")
    payload = {**jwt_payload(credential), "sub": "urn:uuid:" + str(uuid.uuid4())}
    assert_refused(sign_jwt(payload, signing_keys.current_key()), "claims_mismatch")


def test_a_credential_our_key_signed_but_we_did_not_issue_is_refused(token, certificate):
    credential = credential_in(token)
    credential["name"] = "Un autre module"
    check = assert_refused(
        sign_credential(credential, signing_keys.current_key()), "content_mismatch"
    )
    assert check.certificate == certificate


def test_a_credential_naming_no_certificate_of_ours_is_refused(token):
    credential = credential_in(token)
    credential["id"] = f"urn:uuid:{uuid.uuid4()}"
    assert_refused(sign_credential(credential, signing_keys.current_key()), "unknown_certificate")


def test_a_signed_payload_that_is_not_a_badge_is_refused(token):
    credential = credential_in(token)
    del credential["credentialSubject"]["achievement"]
    assert_refused(sign_credential(credential, signing_keys.current_key()), "schema")


# --- Not even a badge ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{not json",
        "[1, 2, 3]",
        '{"type": "VerifiableCredential", "id": "urn:uuid:x"}',
        '{"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,a.b"}',
        "aaaa.bbbb.cccc",
        "\x00\x01 binaire",
        "[" * 100_000,
    ],
)
def test_malformed_input_is_refused_as_malformed(text, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_refused(text, "malformed")


def test_ten_megabytes_of_json_are_refused_before_parsing(django_assert_num_queries):
    text = '{"a": "' + "x" * (10 * 1024 * 1024) + '"}'
    started = time.perf_counter()
    with django_assert_num_queries(0):
        assert_refused(text, "too_large")
        assert_refused(text.encode(), "too_large")
    assert time.perf_counter() - started < 0.5


def test_just_above_the_limit_in_bytes_is_too_large():
    text = "é" * (BADGE_MAX_BYTES // 2 + 1)  # fewer characters than the limit, more bytes
    assert len(text) < BADGE_MAX_BYTES
    assert_refused(text, "too_large")


def test_anonymisation_drops_the_stored_badge_and_a_copy_still_verifies(
    django_capture_on_commit_callbacks, django_user_model
):
    from datetime import timedelta

    from accounts import roles
    from certificates.retention import anonymise_certificates, years_before
    from tests.conftest import make_user

    from .test_retention import NOW, certificate_of_deleted_account

    def committed(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    holder = make_user(
        django_user_model, "nadia.roux@example.org", roles.PROFESSIONNEL, last_name="Roux"
    )
    certificate = certificate_of_deleted_account(
        holder, committed, issued_at=years_before(NOW, 3) - timedelta(days=1)
    )
    copy = ensure_badge(certificate)
    committed(anonymise_certificates, now=NOW)
    certificate.refresh_from_db()
    assert certificate.badge_jwt == ""
    assert "Roux" not in str(certificate.__dict__)
    check = verify_badge(copy)  # the holder's own copy: signed by us, still ours
    assert check.verdict == BadgeVerdict.VALID
    assert check.certificate == certificate


def test_a_deeply_nested_header_is_malformed_not_a_crash(django_assert_num_queries):
    header = b64url(b"[" * 150_000)
    with django_assert_num_queries(0):
        assert_refused(f"{header}.e30.c2ln", "malformed")
