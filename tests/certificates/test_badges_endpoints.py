"""The public documents of the badges: JWKS, issuer, achievements, status lists."""

import json

import pytest
from django.utils import timezone

from certificates import services
from certificates.badges import status_lists
from certificates.badges.issuing import ensure_badge
from certificates.badges.verification import verify_badge
from certificates.models import Certificate, CertificateKind
from courses.models.sessions import SessionStatus
from tests.courses.factories import build_module
from tests.sessions.factories import build_session

from .badge_helpers import bit, decode_status_list, parts, schema_errors, verify_with_jwcrypto

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
LIST_BYTES = 131072 // 8


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


def status_list(client, number=1):
    """(payload, bitstring) of a served status list, checked by jwcrypto."""
    response = client.get(f"/badges/statuts/{number}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    payload = verify_with_jwcrypto(
        response.content.decode(), client.get("/.well-known/jwks.json").content
    )
    return payload, decode_status_list(payload["credentialSubject"]["encodedList"])


# --- JWKS and issuer --------------------------------------------------------------------


def test_the_jwks_lists_public_keys_only(client, django_assert_num_queries):
    from certificates.signing_keys import signing_key_now

    key, _ = signing_key_now()
    with django_assert_num_queries(1):
        response = client.get("/.well-known/jwks.json")
    assert response["Content-Type"].startswith("application/jwk-set+json")
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    (published,) = response.json()["keys"]
    assert published["kid"] == key.kid
    assert published["kty"] == "RSA" and published["alg"] == "RS256"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(published)


def test_the_issuer_profile_validates_and_names_its_keys(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/badges/emetteur/")
    profile = response.json()
    assert schema_errors(profile, name="profile") == []
    assert profile["id"] == f"{BASE}/badges/emetteur/"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Repères"
    assert profile["url"] == f"{BASE}/"
    assert profile["jwks_uri"] == f"{BASE}/.well-known/jwks.json"
    assert response["Link"] == f'<{BASE}/.well-known/jwks.json>; rel="jwks"'


def test_the_endpoints_refuse_writes(client):
    assert client.post("/badges/emetteur/").status_code == 405
    assert client.post("/.well-known/jwks.json").status_code == 405


# --- Achievements -------------------------------------------------------------------------


def test_a_published_module_has_its_achievement(client, django_assert_max_num_queries):
    module, _lessons, _quiz = build_module(title="Repérer et protéger")
    with django_assert_max_num_queries(3):
        response = client.get(f"/badges/formations/module-{module.pk}/")
    achievement = response.json()
    assert schema_errors(achievement, definition="Achievement") == []
    assert achievement["id"] == f"{BASE}/badges/formations/module-{module.pk}/"
    assert achievement["name"] == "Repérer et protéger"
    assert achievement["achievementType"] == "CertificateOfCompletion"


def test_a_draft_or_missing_module_has_none(client):
    module, _lessons, _quiz = build_module()
    module.unpublish()
    assert client.get(f"/badges/formations/module-{module.pk}/").status_code == 404
    assert client.get("/badges/formations/module-999999/").status_code == 404


def test_a_session_has_its_achievement_unless_cancelled(client, django_assert_max_num_queries):
    session = build_session(title="Prévenir la prostitution des mineur·e·s")
    with django_assert_max_num_queries(1):
        response = client.get(f"/badges/formations/session-{session.pk}/")
    achievement = response.json()
    assert schema_errors(achievement, definition="Achievement") == []
    assert achievement["achievementType"] == "Certificate"
    assert achievement["creator"]["name"] == session.organiser.name
    # Nothing of who takes part: no trainer, no participant, no address.
    text = json.dumps(achievement, ensure_ascii=False)
    assert session.trainers.get().email not in text
    assert session.address not in text
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    assert client.get(f"/badges/formations/session-{session.pk}/").status_code == 404
    assert client.get("/badges/formations/session-999999/").status_code == 404


def test_the_achievement_served_is_the_one_in_the_badge(client, make_certificate):
    module, _lessons, _quiz = build_module(title="Repérer et protéger")
    certificate = make_certificate(
        module=module,
        title=module.title,
        publisher_name=module.publisher.name,
        objectives_summary=status_lists_objectives(module),
        planned_minutes=module.duration_total_minutes,
    )
    _, payload = parts(ensure_badge(certificate))
    embedded = payload["credentialSubject"]["achievement"]
    served = client.get(embedded["id"].removeprefix(BASE)).json()
    served.pop("@context")
    assert served == embedded


def status_lists_objectives(module):
    from certificates.badges.achievements import objectives_summary

    return objectives_summary(module.objectives)


# --- Status lists -------------------------------------------------------------------------


def test_revoking_sets_the_bit_and_both_views_agree(
    client, make_certificate, coordinator, django_capture_on_commit_callbacks
):
    certificate = make_certificate()
    token = ensure_badge(certificate)
    _, entry = parts(token)
    status = entry["credentialStatus"]
    assert status["statusListCredential"] == f"{BASE}/badges/statuts/1/"
    index = int(status["statusListIndex"])
    assert index == certificate.pk
    payload, bits = status_list(client)  # cached from now on
    assert bit(bits, index) == 0
    assert verify_badge(token).reason == ""
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(certificate, by=coordinator, reason="Erreur de saisie")
    payload, bits = status_list(client)
    assert bit(bits, index) == 1
    assert sum(bin(byte).count("1") for byte in bits) == 1
    assert payload["credentialSubject"]["statusPurpose"] == "revocation"
    assert payload["credentialSubject"]["type"] == "BitstringStatusList"
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert payload["iss"] == f"{BASE}/badges/emetteur/"
    assert verify_badge(token).reason == "revoked"


def test_replacing_sets_the_bit_of_the_old_one(
    client, make_certificate, coordinator, django_capture_on_commit_callbacks
):
    old = make_certificate(sequence=500)  # the re-issue numbers from 1
    token = ensure_badge(old)
    status_list(client)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.reissue_certificate(old, by=coordinator, reason="Changement de nom")
    _, bits = status_list(client)
    assert bit(bits, old.pk) == 1
    assert bit(bits, new.pk) == 0
    assert verify_badge(token).reason == "replaced"
    assert verify_badge(ensure_badge(new)).reason == ""


def test_the_list_costs_the_same_queries_and_size_whatever_the_number_of_certificates(
    client, make_certificate, coordinator, django_assert_num_queries
):
    from certificates.signing_keys import signing_key_now

    signing_key_now()  # recorded once already, as in production
    make_certificate()
    with django_assert_num_queries(3):  # withdrawn pks, last pk, signing key
        client.get("/badges/statuts/1/")
    with django_assert_num_queries(0):  # from the cache
        small = client.get("/badges/statuts/1/").content
    for sequence in range(2, 42):
        make_certificate(sequence=sequence, revoked_at=timezone.now(), revoked_by=coordinator)
    status_lists.invalidate()
    with django_assert_num_queries(3):
        big = client.get("/badges/statuts/1/").content
    small_bits = decode_status_list(parts(small.decode())[1]["credentialSubject"]["encodedList"])
    big_bits = decode_status_list(parts(big.decode())[1]["credentialSubject"]["encodedList"])
    assert len(small_bits) == len(big_bits) == LIST_BYTES
    assert sum(bin(byte).count("1") for byte in big_bits) == 40


def test_only_lists_that_hold_certificates_are_served(client, make_certificate):
    assert client.get("/badges/statuts/1/").status_code == 404  # no certificate yet
    make_certificate()
    assert client.get("/badges/statuts/1/").status_code == 200
    assert client.get("/badges/statuts/2/").status_code == 404
    assert client.get("/badges/statuts/0/").status_code == 404


def test_positions_follow_the_primary_key():
    assert status_lists.position(0) == (1, 0)
    assert status_lists.position(131071) == (1, 131071)
    assert status_lists.position(131072) == (2, 0)


def test_a_session_certificate_badge_is_on_the_list_too(client, make_certificate):
    session = build_session()
    certificate = make_certificate(kind=CertificateKind.ACHIEVEMENT, session=session)
    _, payload = parts(ensure_badge(certificate))
    assert payload["credentialStatus"]["statusListIndex"] == str(certificate.pk)
    assert Certificate.objects.count() == 1
