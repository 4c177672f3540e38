"""`manage.py sign_certificates`: old unsigned PDFs become signed PDF/A-3, same text.

An « old » certificate is made the way the platform made them before signing: the
same template rendered as tagged PDF/UA-1 (`core.pdf.PDF_VARIANT`), stored, its
SHA-256 recorded, no signing key.
"""

import hashlib
import io
from pathlib import Path

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from pypdf import PdfReader

from certificates.models import Certificate, CertificateKind
from certificates.pdf import CERTIFICATE_STYLESHEETS, certificate_pdf_html, heading
from certificates.signed_pdfs.archival import ArchivalError, archive_certificate, page_texts
from certificates.signed_pdfs.verification import verify_pdf
from certificates.signing_keys import signing_key_now
from certificates.verdicts import DocumentVerdict
from core.pdf import PDF_VARIANT, render_pdf

from .signed_pdfs import files_under

pytestmark = pytest.mark.django_db


def legacy_pdf(certificate) -> bytes:
    """The PDF as `render_certificate_pdf_bytes` made it before PDF/A and signing."""
    return render_pdf(
        certificate_pdf_html(certificate),
        stylesheets=CERTIFICATE_STYLESHEETS,
        title=f"{heading(certificate)} — {certificate.holder_name}",
        authors=[certificate.issuer_name],
        variant=PDF_VARIANT,
    )


@pytest.fixture
def make_legacy(make_certificate):
    def make(**fields):
        certificate = make_certificate(**fields)
        data = legacy_pdf(certificate)
        certificate.pdf.save(f"{certificate.uuid}.pdf", ContentFile(data), save=False)
        certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
        certificate.save(update_fields=["pdf", "pdf_sha256"])
        return certificate, data

    return make


def stored(certificate) -> bytes:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("sign_certificates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("kind", [CertificateKind.COMPLETION, CertificateKind.ACHIEVEMENT])
def test_signs_and_archives_without_changing_the_visible_text(
    make_legacy, kind, django_capture_on_commit_callbacks
):
    certificate, old = make_legacy(kind=kind)
    old_path = Path(certificate.pdf.path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        out, _err = run()
    assert len(callbacks) == 1  # the old file's deletion, after commit
    assert "1 signés, 0 en erreur." in out
    new = stored(certificate)
    # The same text, page by page (pypdf), and the same page size.
    assert page_texts(new) == page_texts(old)
    assert len(PdfReader(io.BytesIO(new)).pages) == len(PdfReader(io.BytesIO(old)).pages) == 1
    assert (
        PdfReader(io.BytesIO(new)).pages[0].mediabox == PdfReader(io.BytesIO(old)).pages[0].mediabox
    )
    # The record: the old hash kept, the new one stored, the key and the date.
    assert certificate.unsigned_pdf_sha256 == hashlib.sha256(old).hexdigest()
    assert certificate.pdf_sha256 == hashlib.sha256(new).hexdigest()
    assert certificate.signing_key == signing_key_now()[1]
    assert certificate.signed_at is not None
    # PDF/A-3 now, signed, authentic; the old file is gone from storage.
    assert pikepdf.open(io.BytesIO(new)).open_metadata()["pdfaid:part"] == "3"
    assert verify_pdf(new).verdict == DocumentVerdict.AUTHENTIC
    assert not old_path.exists()
    assert Path(certificate.pdf.path).exists()
    # Coordination sees it in the audit log.
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="reperes.certificate_archive")
    assert entry.object_id == str(certificate.pk)
    assert entry.data["unsigned_pdf_sha256"] == certificate.unsigned_pdf_sha256
    # An old download still names its certificate on /verifier/.
    old_check = verify_pdf(old)
    assert (old_check.reason, old_check.certificate) == ("unsigned_copy", certificate)


def test_a_second_run_does_nothing(make_legacy, settings):
    certificate, _old = make_legacy()
    run()
    before = files_under(settings.PRIVATE_MEDIA_ROOT)
    row = Certificate.objects.values().get(pk=certificate.pk)
    out, _err = run()
    assert "0 signés, 0 en erreur." in out
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == before
    assert Certificate.objects.values().get(pk=certificate.pk) == row


def test_dry_run_stores_nothing(make_legacy, settings):
    certificate, _old = make_legacy()
    before = files_under(settings.PRIVATE_MEDIA_ROOT)
    row = Certificate.objects.values().get(pk=certificate.pk)
    out, _err = run("--dry-run")
    assert "Essai : 1 signables, 0 en erreur, rien enregistré." in out
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == before
    assert Certificate.objects.values().get(pk=certificate.pk) == row


def test_batches_progress_and_an_error_does_not_stop_the_run(make_legacy, settings, caplog):
    first, _ = make_legacy(sequence=1)
    broken, _ = make_legacy(sequence=2)
    third, _ = make_legacy(sequence=3)
    Path(broken.pdf.path).unlink()  # its stored file was lost
    out, err = run("--batch-size", "2")
    assert "2 / 3 certificats traités" in out and "3 / 3 certificats traités" in out
    assert "2 signés, 1 en erreur." in out
    assert f"Certificat {broken.pk} non signé : pdf_missing" in err
    assert [r.archival_error for r in caplog.records if hasattr(r, "archival_error")] == [
        "pdf_missing"
    ]
    for certificate in (first, third):
        certificate.refresh_from_db()
        assert certificate.signing_key is not None
    broken.refresh_from_db()
    assert broken.signing_key is None and broken.unsigned_pdf_sha256 == ""


def test_a_certificate_whose_text_would_change_is_left_as_it_is(make_legacy, settings):
    """The snapshot says something else than the stored file (a template changed since
    issue, say): the old file stays, unsigned, and the error says why."""
    certificate, old = make_legacy()
    Certificate.objects.filter(pk=certificate.pk).update(title="Un autre intitulé")
    key, key_row = signing_key_now()
    before = files_under(settings.PRIVATE_MEDIA_ROOT)
    with pytest.raises(ArchivalError) as excinfo:
        archive_certificate(certificate.pk, key, key_row)
    assert excinfo.value.code == "content_differs"
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == before
    assert stored(certificate) == old and certificate.signing_key is None


def test_anonymised_signed_and_pdf_less_certificates_are_left_alone(make_legacy, make_certificate):
    from django.utils import timezone

    anonymised, _ = make_legacy(sequence=1)
    Certificate.objects.filter(pk=anonymised.pk).update(anonymised_at=timezone.now())
    make_certificate(sequence=2)  # no PDF yet: the task's job, not this command's
    out, _err = run()
    assert "0 signés, 0 en erreur." in out
    key, key_row = signing_key_now()
    with pytest.raises(ArchivalError) as excinfo:
        archive_certificate(anonymised.pk, key, key_row)
    assert excinfo.value.code == "anonymised"


def test_without_a_key_the_command_stops_before_anything(make_legacy, settings):
    from django.core.management.base import CommandError

    make_legacy()
    settings.SIGNING_KEY_FILE = ""
    with pytest.raises(CommandError, match="not_configured"):
        run()
