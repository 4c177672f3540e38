"""What /verifier/ says of real signed files: PDFs and badges of issued certificates."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.badges import envelope
from certificates.models import Certificate
from certificates.services import reissue_certificate, revoke_certificate
from tests.certificates.badge_helpers import b64url, b64url_decode
from tests.certificates.helpers import certificate_of, complete_module

pytestmark = pytest.mark.django_db


def issue(user, title, capture):
    """Complete a module; the task renders, signs and stores the PDF and the badge."""
    with capture(execute=True):
        module, _completion = complete_module(user, title=title)
    return certificate_of(user, module)


@pytest.fixture
def issued(professional, django_capture_on_commit_callbacks):
    return issue(professional, "Repérer les signaux faibles", django_capture_on_commit_callbacks)


def post_badge(client, text=None, upload=None):
    data = {"badge_text": text} if text is not None else {"badge_file": upload}
    return client.post(reverse("certificates:verify_badge"), data)


def renamed(jwt, name="Une formation jamais suivie"):
    header, payload, signature = jwt.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["name"] = name
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"


def test_a_badge_file_of_an_issued_certificate_is_authentic(client, issued):
    upload = SimpleUploadedFile(
        envelope.filename(issued), envelope.file_bytes(issued.badge_jwt), "application/json"
    )
    response = post_badge(client, upload=upload)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Badge authentique" in html
    assert issued.number in html and "Repérer les signaux faibles" in html
    assert "En vigueur" in html or "Authentique" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_pasted_jwt_is_read_as_well(client, issued):
    assert "Badge authentique" in post_badge(client, text=issued.badge_jwt).content.decode()


def test_a_renamed_badge_is_refused_with_the_reason(client, issued):
    html = post_badge(client, text=renamed(issued.badge_jwt)).content.decode()
    assert "Badge refusé" in html
    assert "modifié après sa délivrance" in html


def test_malformed_json_is_refused_with_the_reason(client, issued):
    html = post_badge(client, text='{"type": "EnvelopedVerifiableCredential",').content.decode()
    assert "Badge refusé" in html and "n’est pas un badge lisible" in html


def test_revoked_and_replaced_badges_say_so(
    client, issued, coordinator, professional, django_capture_on_commit_callbacks
):
    revoke_certificate(issued, by=coordinator, reason="Erreur de saisie")
    html = post_badge(client, text=issued.badge_jwt).content.decode()
    assert "Badge refusé" in html and "révoqué" in html
    assert "Révoqué" in html
    assert "Erreur de saisie" not in html  # the reason stays internal

    old = issue(professional, "Accueillir la parole", django_capture_on_commit_callbacks)
    reissue_certificate(old, by=coordinator, reason="Nom corrigé")
    html = post_badge(client, text=old.badge_jwt).content.decode()
    assert "Badge refusé" in html and "remplacé" in html


def test_checking_a_badge_stores_nothing(client, issued, django_assert_max_num_queries):
    before = list(Certificate.objects.values_list("pk", "badge_jwt", "pdf_sha256"))
    post_badge(client, text=issued.badge_jwt)  # the shell's first-request reads
    # The known keys and the certificate: what the check reads, nothing more.
    with django_assert_max_num_queries(2):
        post_badge(client, text=issued.badge_jwt)
    assert list(Certificate.objects.values_list("pk", "badge_jwt", "pdf_sha256")) == before


# --- PDFs ------------------------------------------------------------------------------


def post_pdf(client, data, name="certificat.pdf"):
    upload = SimpleUploadedFile(name, data, "application/pdf")
    return client.post(reverse("certificates:verify_document"), {"document": upload})


def flipped(data: bytes) -> bytes:
    """One byte changed inside the first page's content stream (within the signature)."""
    data = bytearray(data)
    start = data.index(b"stream", data.index(b"/Type /Page")) + len(b"stream\n") + 20
    data[start] ^= 0x01
    return bytes(data)


def test_the_issued_pdf_is_authentic_and_intact(client, issued):
    response = post_pdf(client, issued.pdf.read())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Document authentique et intact" in html
    assert issued.number in html and "Repérer les signaux faibles" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_pdf_with_one_byte_changed_is_modified(client, issued):
    html = post_pdf(client, flipped(issued.pdf.read())).content.decode()
    assert "Document modifié après sa délivrance" in html


def test_a_file_that_is_not_a_pdf_has_no_known_signature(client, issued):
    html = post_pdf(client, b"GIF89a not a pdf at all", name="image.pdf").content.decode()
    assert "Signature inconnue" in html and "n’est pas un PDF lisible" in html
    truncated = issued.pdf.read()[:5000]
    html = post_pdf(client, truncated).content.decode()
    assert "Signature inconnue" in html or "Document modifié" in html


def test_a_revoked_certificate_s_pdf_says_revoked(client, issued, coordinator):
    data = issued.pdf.read()
    revoke_certificate(issued, by=coordinator, reason="Quiz passé par un tiers")
    html = post_pdf(client, data).content.decode()
    assert "Document authentique et intact" in html
    assert "Révoqué" in html and "a été révoqué le" in html
    assert "Quiz passé par un tiers" not in html


def test_checking_a_pdf_stores_and_logs_nothing_of_it(client, issued, caplog, tmp_path):
    from django.conf import settings

    data = issued.pdf.read()
    files_before = sorted(p.name for p in tmp_path.parent.rglob("*"))
    rows_before = list(Certificate.objects.values_list("pk", "pdf", "pdf_sha256", "badge_jwt"))
    private_before = sorted(str(p) for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
    with caplog.at_level("DEBUG"):
        post_pdf(client, data)
        post_pdf(client, flipped(data))
    assert (
        list(Certificate.objects.values_list("pk", "pdf", "pdf_sha256", "badge_jwt")) == rows_before
    )
    assert sorted(str(p) for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")) == private_before
    assert sorted(p.name for p in tmp_path.parent.rglob("*")) == files_before
    logged = " ".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    assert issued.holder_last_name not in logged
    assert "%PDF" not in logged


def test_a_pdf_check_costs_a_few_queries(client, issued, django_assert_max_num_queries):
    data = issued.pdf.read()
    post_pdf(client, data)
    with django_assert_max_num_queries(2):
        post_pdf(client, data)
