"""Open Badges 3.0 credentials: built from the certificate, valid against 1EdTech's
schemas, signed as VC-JWT and verified by jwcrypto with the key the JWKS publishes."""

import hashlib
import json
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.badges.credentials import build_credential
from certificates.badges.issuing import ensure_badge
from certificates.models import Certificate, CertificateKind
from tests.courses.factories import build_module
from tests.sessions.factories import build_session

from .badge_helpers import parts, schema_errors, verify_with_jwcrypto
from .helpers import certificate_of, complete_module

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


@pytest.fixture
def module_certificate(make_certificate):
    module, _lessons, _quiz = build_module(title="Repérer et protéger")
    return make_certificate(module=module, expires_on=date(2029, 1, 19))


@pytest.fixture
def session_certificate(make_certificate):
    session = build_session(title="Prévenir la prostitution des mineur·e·s")
    return make_certificate(
        sequence=2,
        kind=CertificateKind.ACHIEVEMENT,
        session=session,
        title=session.title,
        planned_minutes=420,
        achieved_minutes=390,
        score=None,
    )


@pytest.mark.parametrize("kind", ["module_certificate", "session_certificate"])
def test_both_kinds_validate_against_the_open_badges_schema(kind, request):
    certificate = request.getfixturevalue(kind)
    credential = build_credential(certificate)
    assert schema_errors(credential) == []
    subject = credential["credentialSubject"]
    assert schema_errors(subject["achievement"], definition="Achievement") == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:uuid:{certificate.uuid}"
    assert credential["issuer"]["id"] == f"{BASE}/badges/emetteur/"
    assert credential["validFrom"] == "2026-01-19T09:00:00Z"  # 10:00 in Paris
    assert subject["achievement"]["name"] == certificate.title
    assert subject["achievement"]["creator"]["name"] == "Amicale du Nid"


def test_a_module_completion_names_the_module_its_hours_and_its_expiry(module_certificate):
    credential = build_credential(module_certificate)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{BASE}/badges/formations/module-{module_certificate.module_id}/"
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["creditsAvailable"] == 2.5
    assert "quiz final" in achievement["criteria"]["narrative"]
    assert "Connaître le cadre légal" in achievement["description"]
    # Valid through 19 January 2029 in Paris: until midnight, 23:00 UTC in winter.
    assert credential["validUntil"] == "2029-01-19T23:00:00Z"


def test_a_session_achievement_names_the_session_and_the_hours_attended(session_certificate):
    credential = build_credential(session_certificate)
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert (
        achievement["id"] == f"{BASE}/badges/formations/session-{session_certificate.session_id}/"
    )
    assert achievement["achievementType"] == "Certificate"
    assert achievement["creditsAvailable"] == 7
    assert subject["creditsEarned"] == 6.5
    assert "7 h" in achievement["criteria"]["narrative"]
    assert "validUntil" not in credential


def test_the_holder_is_a_salted_hash_of_their_email_and_their_name(module_certificate):
    first = build_credential(module_certificate)
    second = build_credential(module_certificate)
    email, name = first["credentialSubject"]["identifier"]
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    expected = hashlib.sha256(("pro@example.org" + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    # A new salt each time: two badges of one person do not share the hash.
    assert email["salt"] != second["credentialSubject"]["identifier"][0]["salt"]
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Camille Martin",
    }


def test_a_deleted_account_leaves_the_name_only(make_certificate):
    certificate = make_certificate(holder=None)
    credential = build_credential(certificate)
    assert schema_errors(credential) == []
    (name,) = credential["credentialSubject"]["identifier"]
    assert name["identityType"] == "name" and name["identityHash"] == "Camille Martin"


def test_without_a_key_the_command_stops_with_the_code(settings, make_certificate):
    from django.core.management.base import CommandError

    make_certificate()
    settings.SIGNING_KEY_FILE = ""
    with pytest.raises(CommandError, match="not_configured"):
        call_command("issue_badges")
    assert Certificate.objects.get().badge_jwt == ""


def test_the_subject_id_is_per_credential_not_per_person(make_certificate, module_certificate):
    other = make_certificate(sequence=3, module=None, title="Autre module")
    subject_ids = {
        build_credential(certificate)["credentialSubject"]["id"]
        for certificate in (module_certificate, other)
    }
    assert len(subject_ids) == 2
    assert all(subject.startswith("urn:uuid:") for subject in subject_ids)


@pytest.mark.parametrize("kind", ["module_certificate", "session_certificate"])
def test_the_badge_is_a_vc_jwt_that_jwcrypto_verifies_with_the_published_key(kind, request, client):
    certificate = request.getfixturevalue(kind)
    token = ensure_badge(certificate)
    header, _ = parts(token)
    assert set(header) == {"alg", "kid", "typ"}
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"].startswith(f"{BASE}/.well-known/jwks.json#")
    payload = verify_with_jwcrypto(token, client.get("/.well-known/jwks.json").content)
    credential = {k: v for k, v in payload.items() if k not in {"iss", "jti", "nbf", "sub", "exp"}}
    assert schema_errors(credential) == []
    assert payload["iss"] == credential["issuer"]["id"]
    assert payload["jti"] == credential["id"]
    assert payload["sub"] == credential["credentialSubject"]["id"]
    assert payload["nbf"] == int(datetime.fromisoformat(credential["validFrom"]).timestamp())
    if "validUntil" in credential:
        assert payload["exp"] == int(datetime.fromisoformat(credential["validUntil"]).timestamp())
    else:
        assert "exp" not in payload


def test_the_email_is_never_in_clear_anywhere_in_the_badge(module_certificate):
    token = ensure_badge(module_certificate)
    header, payload = parts(token)
    text = json.dumps([header, payload], ensure_ascii=False).lower()
    assert "pro@example.org" not in text
    assert "example.org" not in text
    assert "pro@example.org" not in token


def test_a_badge_is_signed_once_and_kept(module_certificate, django_assert_max_num_queries):
    token = ensure_badge(module_certificate)
    module_certificate.refresh_from_db()
    assert module_certificate.badge_jwt == token
    assert module_certificate.signing_key is not None
    fresh = Certificate.objects.get(pk=module_certificate.pk)
    with django_assert_max_num_queries(0):
        assert ensure_badge(fresh) == token


def test_an_anonymised_certificate_gets_no_badge(make_certificate):
    certificate = make_certificate(anonymised_at=timezone.now())
    assert ensure_badge(certificate) == ""
    certificate.refresh_from_db()
    assert certificate.badge_jwt == ""


def test_every_new_certificate_gets_its_badge_before_its_pdf(
    professional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        module, _completion = complete_module(professional)
    certificate = certificate_of(professional, module)
    assert certificate.badge_jwt
    assert certificate.pdf
    _, payload = parts(certificate.badge_jwt)
    assert payload["jti"] == f"urn:uuid:{certificate.uuid}"


def test_the_command_signs_the_certificates_issued_before(make_certificate):
    older = [make_certificate(sequence=n, module=None, title=f"Module {n}") for n in (1, 2, 3)]
    anonymised = make_certificate(sequence=4, module=None, anonymised_at=timezone.now())
    call_command("issue_badges", "--batch-size", "2")
    tokens = dict(Certificate.objects.values_list("pk", "badge_jwt"))
    assert all(tokens[certificate.pk] for certificate in older)
    assert tokens[anonymised.pk] == ""
    call_command("issue_badges")  # again: nothing changes
    assert dict(Certificate.objects.values_list("pk", "badge_jwt")) == tokens
