"""/verifier/: the three ways to check, and what a sent file may not do (size, CSRF,
disk). What each verdict says is tested with real signed files in
test_verify_files_verdicts.py."""

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate
from certificates.verdicts import BADGE_MAX_BYTES, PDF_MAX_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_upload_on_disk(monkeypatch):
    """Were a body read into Django's temporary files, fail loudly: uploads to the
    verifier stay in memory."""
    monkeypatch.setattr(
        TemporaryFileUploadHandler,
        "new_file",
        lambda *a, **k: pytest.fail("the upload reached the disk"),
    )


def test_the_page_offers_the_code_the_file_and_the_badge(client):
    response = client.get(reverse("certificates:verify_form"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/verifier/document/"' in html and 'enctype="multipart/form-data"' in html
    assert 'action="/verifier/badge/"' in html
    assert 'name="document"' in html and 'accept=".pdf,application/pdf"' in html
    assert 'name="badge_file"' in html and 'name="badge_text"' in html
    assert html.count("csrfmiddlewaretoken") == 2


def test_get_on_the_file_endpoints_goes_back_to_the_form(client):
    for name in ("certificates:verify_document", "certificates:verify_badge"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url == reverse("certificates:verify_form")


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("certificates:verify_badge"), {"badge_text": "x.y.z"})
    assert response.status_code == 403


def test_no_file_and_no_text_are_clear_errors(client):
    response = client.post(reverse("certificates:verify_document"), {})
    assert response.status_code == 400
    assert "Choisissez le fichier PDF du certificat" in response.content.decode()
    response = client.post(reverse("certificates:verify_badge"), {})
    assert response.status_code == 400
    assert "Choisissez le fichier du badge ou collez son contenu" in response.content.decode()


def test_a_file_and_a_pasted_badge_at_once_are_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("certificates:verify_badge"),
        {"badge_text": "a.b.c", "badge_file": SimpleUploadedFile("b.json", b"{}")},
    )
    assert response.status_code == 400
    assert "pas les deux" in response.content.decode()


def test_a_6_mb_pdf_is_refused_before_it_is_read(client, no_upload_on_disk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024))
    response = client.post(reverse("certificates:verify_document"), {"document": big})
    assert response.status_code == 413
    assert "dépasse 5 Mo" in response.content.decode()


def test_a_file_just_over_the_limit_is_stopped_in_memory(client, no_upload_on_disk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # Declared length within the allowance, file over 5 MB: the handler stops it.
    over = SimpleUploadedFile("limite.pdf", b"%PDF-1.7\n" + b"0" * (PDF_MAX_BYTES + 10))
    response = client.post(reverse("certificates:verify_document"), {"document": over})
    assert response.status_code == 413


def test_10_mb_of_json_is_refused_with_the_reason(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    huge = b'{"a": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = client.post(
        reverse("certificates:verify_badge"),
        {"badge_file": SimpleUploadedFile("badge.json", huge)},
    )
    assert response.status_code == 413
    assert "trop volumineux" in response.content.decode()
    response = client.post(
        reverse("certificates:verify_badge"), {"badge_text": "x" * (BADGE_MAX_BYTES + 1)}
    )
    assert response.status_code == 400
    assert "trop long" in response.content.decode()


def test_a_badge_file_that_is_not_text_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("certificates:verify_badge"),
        {"badge_file": SimpleUploadedFile("badge.json", b"\xff\xfe\x00binary")},
    )
    assert response.status_code == 400
    assert "ce n’est pas du texte" in response.content.decode()


def test_file_checks_are_rate_limited(client):
    from certificates.verifier.views import FILE_LIMIT

    for _ in range(FILE_LIMIT):
        client.post(reverse("certificates:verify_badge"), {})
    response = client.post(reverse("certificates:verify_badge"), {})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert Certificate.objects.count() == 0
