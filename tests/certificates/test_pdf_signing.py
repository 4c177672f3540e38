"""PAdES signatures of certificate PDFs: checked by pyHanko's own validator (not by
`verify_pdf`), B-T against a local RFC 3161 authority, and the rendering task."""

import hashlib
import io
import time

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.status import SignatureCoverageLevel

from certificates.models import Certificate, CertificateKind, SigningKey
from certificates.pdf import render_certificate_pdf_bytes
from certificates.signed_pdfs.signing import FIELD_NAME, REASON, sign_pdf
from certificates.signing_keys import SigningKeyError, current_key, signing_key_now
from certificates.tasks import render_certificate_pdf

from .signed_pdfs import TimestampAuthority, files_under, issue_signed, pyhanko_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [CertificateKind.COMPLETION, CertificateKind.ACHIEVEMENT])
def test_the_task_signs_the_pdf_pades_b_b(make_certificate, kind):
    certificate, data = issue_signed(make_certificate, kind=kind)
    status = pyhanko_status(data, current_key().certificate)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert status.timestamp_validity is None  # no TSA configured: B-B
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    dictionary = signature.sig_object
    assert dictionary["/SubFilter"] == "/ETSI.CAdES.detached"
    assert dictionary["/Reason"] == REASON == "Délivrance du certificat"
    assert dictionary["/Location"] == "France"
    assert "démonstration" in dictionary["/Name"]
    assert signature.field_name == FIELD_NAME
    # The signer's certificate travels in the CMS (a verifier needs nothing else).
    assert signature.signer_cert.dump() == current_key().certificate.public_bytes(Encoding.DER)
    # The row records what was stored.
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert certificate.signing_key.kid == current_key().kid
    assert certificate.signed_at is not None
    assert certificate.unsigned_pdf_sha256 == ""


def test_the_visible_content_is_what_it_was_before_signing(make_certificate):
    from .test_pdf import pdf_text

    certificate, data = issue_signed(make_certificate)
    assert pdf_text(data) == pdf_text(render_certificate_pdf_bytes(certificate))
    assert "Camille Martin" in pdf_text(data)


def test_b_t_with_a_local_timestamp_authority(make_certificate, settings):
    with TimestampAuthority() as authority:
        settings.SIGNING_TSA_URL = authority.url
        _certificate, data = issue_signed(make_certificate)
    assert authority.requests >= 1  # pyHanko may ask once more to size the signature
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    # The signature timestamp token sits in the CMS's unsigned attributes (PAdES B-T).
    unsigned_attributes = signature.signer_info["unsigned_attrs"].native or []
    assert [a["type"] for a in unsigned_attributes] == ["signature_time_stamp_token"]
    status = pyhanko_status(data, current_key().certificate)
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity.intact and status.timestamp_validity.valid


def test_b_t_timestamp_validated_with_the_tsa_as_trust_root(make_certificate, settings):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with TimestampAuthority() as authority:
        settings.SIGNING_TSA_URL = authority.url
        _certificate, data = issue_signed(make_certificate)

    def der(certificate):
        return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))

    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(
        signature,
        ValidationContext(trust_roots=[der(current_key().certificate)]),
        ts_validation_context=ValidationContext(trust_roots=[der(authority.certificate)]),
    )
    assert status.bottom_line
    assert status.timestamp_validity.trusted
    assert abs(status.timestamp_validity.timestamp.timestamp() - time.time()) < 120


def test_an_unreachable_timestamp_authority_stores_nothing(make_certificate, settings):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/"  # discard port: nothing listens
    certificate = make_certificate()
    before = files_under(settings.PRIVATE_MEDIA_ROOT)
    result = render_certificate_pdf.enqueue(certificate.pk)
    assert result.status == "FAILED"
    certificate.refresh_from_db()
    # (The badge, signed before the PDF, may name the key: the PDF is what must not be.)
    assert not certificate.pdf and certificate.pdf_sha256 == "" and certificate.signed_at is None
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == before


def test_without_a_signing_key_nothing_is_stored_and_the_task_fails(
    make_certificate, settings, caplog
):
    settings.SIGNING_KEY_FILE = ""
    certificate = make_certificate()
    before = files_under(settings.PRIVATE_MEDIA_ROOT)
    result = render_certificate_pdf.enqueue(certificate.pk)
    assert result.status == "FAILED"
    certificate.refresh_from_db()
    assert not certificate.pdf and certificate.signed_at is None
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == before
    errors = [
        r for r in caplog.records if r.levelname == "ERROR" and r.name == "reperes.certificates"
    ]
    assert errors and errors[0].signing_key_error == "not_configured"
    with pytest.raises(SigningKeyError) as excinfo:
        signing_key_now()
    assert excinfo.value.code == "not_configured"


def test_a_wrong_passphrase_stores_nothing(make_certificate, settings):
    settings.SIGNING_KEY_PASSPHRASE = "pas-la-bonne"
    certificate = make_certificate()
    assert render_certificate_pdf.enqueue(certificate.pk).status == "FAILED"
    certificate.refresh_from_db()
    assert not certificate.pdf


def test_the_task_is_idempotent(make_certificate):
    certificate, _data = issue_signed(make_certificate)
    render_certificate_pdf.enqueue(certificate.pk)
    again = Certificate.objects.get(pk=certificate.pk)
    assert again.pdf.name == certificate.pdf.name
    assert again.pdf_sha256 == certificate.pdf_sha256
    assert again.signed_at == certificate.signed_at
    assert SigningKey.objects.count() == 1


def test_signing_time(make_certificate):
    """Measured: what signing adds to a render (B-B, RSA 3072)."""
    certificate = make_certificate()
    unsigned = render_certificate_pdf_bytes(certificate)
    key, _row = signing_key_now()
    sign_pdf(unsigned, key)
    start = time.perf_counter()
    for _ in range(3):
        sign_pdf(unsigned, key)
    assert (time.perf_counter() - start) / 3 < 2


def test_signing_from_a_thread_that_runs_an_event_loop(make_certificate):
    """pyHanko runs its own loop: called from async code, it signs in another thread."""
    import asyncio

    unsigned = render_certificate_pdf_bytes(make_certificate())
    key, _row = signing_key_now()

    async def sign_inside_a_loop():
        return sign_pdf(unsigned, key)

    signed = asyncio.run(sign_inside_a_loop())
    assert pyhanko_status(signed, key.certificate).bottom_line
