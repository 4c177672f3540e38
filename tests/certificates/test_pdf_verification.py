"""`verify_pdf`: authentic files, every kind of bad input, key rotation, unsigned copies.

Each bad input gets its verdict and reason, does not crash, and changes nothing:
no file in storage, no row changed (the `nothing_stored` fixture).
"""

import hashlib
import io
import resource
import time
import zlib

import pikepdf
import pytest
from django.conf import settings as django_settings

from certificates import signing_keys
from certificates.models import Certificate, CertificateKind, SigningKey
from certificates.pdf import render_certificate_pdf_bytes
from certificates.signed_pdfs.analysis import TIMEOUT
from certificates.signed_pdfs.verification import verify_pdf
from certificates.verdicts import PDF_MAX_BYTES, DocumentVerdict

from .signed_pdfs import add_signature, files_under, fresh_key, issue_signed

pytestmark = pytest.mark.django_db

AUTHENTIC = DocumentVerdict.AUTHENTIC
MODIFIED = DocumentVerdict.MODIFIED
UNKNOWN = DocumentVerdict.UNKNOWN_SIGNATURE


def snapshot():
    rows = list(Certificate.objects.order_by("pk").values())
    keys = list(SigningKey.objects.order_by("pk").values())
    return (
        files_under(django_settings.PRIVATE_MEDIA_ROOT),
        files_under(django_settings.MEDIA_ROOT),
        rows,
        keys,
    )


@pytest.fixture
def issued(make_certificate):
    return issue_signed(make_certificate)


@pytest.fixture
def nothing_stored(issued):
    """Asserts, after the test, that storage and rows are as before it."""
    before = snapshot()
    yield
    assert snapshot() == before


def check(data):
    return verify_pdf(data)


# --- Authentic --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [CertificateKind.COMPLETION, CertificateKind.ACHIEVEMENT])
def test_sign_then_verify_both_kinds(make_certificate, kind):
    certificate, data = issue_signed(make_certificate, kind=kind)
    result = check(data)
    assert result.verdict == AUTHENTIC
    assert result.reason == ""
    assert result.certificate == certificate
    assert result.verdict.label == "Document authentique et intact"


def test_a_revoked_certificate_is_authentic_and_its_status_is_given(issued):
    from django.utils import timezone

    certificate, data = issued
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    result = check(data)
    assert result.verdict == AUTHENTIC
    assert result.certificate.status() == "revoked"


def test_a_timestamped_signature_b_t_is_authentic(make_certificate, settings):
    from .signed_pdfs import TimestampAuthority

    with TimestampAuthority() as authority:
        settings.SIGNING_TSA_URL = authority.url
        certificate, data = issue_signed(make_certificate)
    result = check(data)
    assert (result.verdict, result.certificate) == (AUTHENTIC, certificate)


def test_nothing_of_the_file_is_logged(issued, caplog):
    import logging

    _certificate, data = issued
    tampered = data.replace(b"(Amicale du Nid)", b"(Amicale du Nix)")
    with caplog.at_level(logging.DEBUG):
        check(data)
        check(tampered)
    logged = " ".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    for secret in ("Camille", "Martin", "Amicale", "7KQ2", "RP-2026"):
        assert secret not in logged
    verdicts = [r.pdf_verdict for r in caplog.records if hasattr(r, "pdf_verdict")]
    assert verdicts == ["authentic", "modified"]


def test_key_rotation_keeps_old_files_authentic(make_certificate, settings, tmp_path):
    old_certificate, old_data = issue_signed(make_certificate, sequence=1)
    new_path = tmp_path / "nouvelle.p12"
    signing_keys.create_demo_key(new_path, "nouvelle")
    settings.SIGNING_KEY_FILE = str(new_path)
    settings.SIGNING_KEY_PASSPHRASE = "nouvelle"
    new_certificate, new_data = issue_signed(make_certificate, sequence=2)
    assert new_certificate.signing_key != old_certificate.signing_key
    assert SigningKey.objects.count() == 2
    assert check(old_data).verdict == AUTHENTIC
    assert check(old_data).certificate == old_certificate
    assert check(new_data).certificate == new_certificate


# --- Modified ---------------------------------------------------------------------------


def test_one_byte_changed_is_modified(issued, nothing_stored):
    _certificate, data = issued
    position = data.index(b"(Amicale du Nid)") + 1  # the Info's /Author, in the signed bytes
    tampered = data[:position] + b"B" + data[position + 1 :]
    assert len(tampered) == len(data)
    result = check(tampered)
    assert (result.verdict, result.reason) == (MODIFIED, "signature_invalid")
    assert result.certificate is None  # a changed file names no certificate


def test_one_byte_changed_in_a_content_stream_is_modified(issued, nothing_stored):
    _certificate, data = issued
    position = data.index(b"stream", data.index(b"/FlateDecode")) + 40
    tampered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
    assert check(tampered).verdict == MODIFIED


def test_resaved_by_another_program_is_modified(issued, nothing_stored):
    """pikepdf rewrites the file (new offsets, new cross-reference): our signature is
    still there but no longer matches the bytes — « modifié », not « inconnue »: the
    signer is ours, the file is not the one issued."""
    _certificate, data = issued
    output = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(output)
    result = check(output.getvalue())
    assert result.verdict == MODIFIED
    assert result.certificate is None


def test_an_incremental_save_after_signing_is_modified(issued, nothing_stored):
    """An editor that saves incrementally (a changed title) keeps the signed bytes."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    certificate, data = issued
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.trailer["/Info"]["/Title"] = generic.TextStringObject("Attestation falsifiée")
    writer.update_container(writer.trailer["/Info"])
    output = io.BytesIO()
    writer.write(output)
    result = check(output.getvalue())
    assert (result.verdict, result.reason) == (MODIFIED, "not_covering_whole_file")
    # The signed revision is the file issued: it names its certificate.
    assert result.certificate == certificate


def test_two_signatures_are_modified(issued, nothing_stored, tmp_path):
    certificate, data = issued
    twice = add_signature(data, fresh_key(tmp_path))
    result = check(twice)
    assert (result.verdict, result.reason) == (MODIFIED, "several_signatures")
    assert result.certificate == certificate


def test_a_second_signature_by_our_own_key_is_modified_too(issued, nothing_stored):
    _certificate, data = issued
    twice = add_signature(data, signing_keys.current_key())
    assert check(twice).verdict == MODIFIED


def test_a_signed_file_whose_hash_is_not_on_record_is_modified(make_certificate):
    certificate, data = issue_signed(make_certificate)
    Certificate.objects.filter(pk=certificate.pk).update(pdf_sha256="0" * 64)
    result = check(data)
    assert (result.verdict, result.reason) == (MODIFIED, "hash_mismatch")


# --- Unknown signature ------------------------------------------------------------------


def test_a_signature_by_an_unknown_key(make_certificate, tmp_path):
    from certificates.signed_pdfs.signing import sign_pdf

    certificate = make_certificate(sequence=7)
    forged = sign_pdf(render_certificate_pdf_bytes(certificate), fresh_key(tmp_path))
    before = snapshot()
    result = check(forged)
    assert snapshot() == before
    assert (result.verdict, result.reason) == (UNKNOWN, "unknown_key")
    assert result.certificate is None


def test_an_unsigned_pdf(make_certificate):
    data = render_certificate_pdf_bytes(make_certificate(sequence=8))
    before = snapshot()
    result = check(data)
    assert snapshot() == before
    assert (result.verdict, result.reason) == (UNKNOWN, "no_signature")


def test_an_unsigned_copy_of_an_old_certificate_names_it(make_certificate):
    """Decided: no signature vouches for it (« Signature inconnue »), but its hash is
    on record, so the page can say which certificate it is and its status."""
    certificate, _data = issue_signed(make_certificate)
    old = render_certificate_pdf_bytes(certificate)
    Certificate.objects.filter(pk=certificate.pk).update(
        unsigned_pdf_sha256=hashlib.sha256(old).hexdigest()
    )
    result = check(old)
    assert (result.verdict, result.reason) == (UNKNOWN, "unsigned_copy")
    assert result.certificate == certificate


@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_a_truncated_file(issued, nothing_stored, keep):
    _certificate, data = issued
    result = check(data[: int(len(data) * keep)])
    assert result.verdict == UNKNOWN
    assert result.reason in {"unreadable", "no_signature"}
    assert result.certificate is None


def test_the_last_bytes_cut_off(issued, nothing_stored):
    """Cut inside the final %%EOF line: the signature no longer covers what it says."""
    _certificate, data = issued
    result = check(data[:-3])
    assert result.verdict in {MODIFIED, UNKNOWN}
    assert result.verdict != AUTHENTIC


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"PK\x03\x04" + b"\x00" * 200,  # a zip (a .docx renamed .pdf)
        b'{"@context": "https://www.w3.org/ns/credentials/v2"}',
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nnot really\n%%EOF\n",
    ],
)
def test_not_a_pdf(payload, nothing_stored):
    result = check(payload)
    assert result.verdict == UNKNOWN
    assert result.reason in {"not_a_pdf", "unreadable"}


def test_six_megabytes_are_refused_before_reading(nothing_stored):
    data = b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024)
    assert len(data) > PDF_MAX_BYTES
    start = time.perf_counter()
    result = check(data)
    assert (result.verdict, result.reason) == (UNKNOWN, "too_large")
    assert time.perf_counter() - start < 0.1  # no parsing, no child process


# --- Zip bombs --------------------------------------------------------------------------


def deflate_bomb(size_mib: int) -> bytes:
    """A zlib stream of `size_mib` MiB of zeros, ~1 KB per MiB, built in milliseconds:
    after a full flush the compressor's output for the same input repeats."""
    chunk = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = first + repeated * (size_mib - 1) + compressor.flush()
    checksum = 1
    for _ in range(size_mib):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + body + checksum.to_bytes(4, "big")


def last_revision(data: bytes) -> tuple[int, int, int]:
    """(offset of its cross-reference, /Size, catalog number) of the last revision."""
    previous = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return previous, int(pdf.trailer.Size), pdf.Root.objgen[0]


def bomb_revision(data: bytes, bomb: bytes) -> bytes:
    """`data` plus an incremental revision whose cross-reference stream is `bomb`
    (declared with a /Size of a few entries): every reader must inflate it."""
    previous, size, root = last_revision(data)
    offset = len(data) + 1
    header = (
        f"{size} 0 obj\n<< /Type /XRef /Size {size + 1} /Index [{size} 1] /W [1 4 2] "
        f"/Root {root} 0 R /Prev {previous} /Filter /FlateDecode /Length {len(bomb)} >>\n"
        "stream\n"
    ).encode()
    return (
        data
        + b"\n"
        + header
        + bomb
        + b"\nendstream\nendobj\n"
        + f"startxref\n{offset}\n%%EOF\n".encode()
    )


def bomb_object_stream(data: bytes, bomb: bytes) -> bytes:
    """`data` with a new revision whose AcroForm lives in an object stream of `bomb`."""
    previous, size, root = last_revision(data)
    objstm = (
        (
            f"{size} 0 obj\n<< /Type /ObjStm /N 1 /First 10 /Filter /FlateDecode "
            f"/Length {len(bomb)} >>\nstream\n"
        ).encode()
        + bomb
        + b"\nendstream\nendobj\n"
    )
    objstm_offset = len(data) + 1
    body = data + b"\n" + objstm
    xref_offset = len(body)
    rows = bytes([2]) + size.to_bytes(4, "big") + (0).to_bytes(2, "big")  # root → objstm
    rows += bytes([1]) + objstm_offset.to_bytes(4, "big") + (0).to_bytes(2, "big")
    rows += bytes([1]) + xref_offset.to_bytes(4, "big") + (0).to_bytes(2, "big")
    xref = (
        (
            f"{size + 1} 0 obj\n<< /Type /XRef /Size {size + 2} /Index [{root} 1 {size} 2] "
            f"/W [1 4 2] /Root {root} 0 R /Prev {previous} /Length {len(rows)} >>\nstream\n"
        ).encode()
        + rows
        + b"\nendstream\nendobj\n"
    )
    return body + xref + f"startxref\n{xref_offset}\n%%EOF\n".encode()


@pytest.mark.parametrize("build", [bomb_revision, bomb_object_stream])
def test_a_zip_bomb_in_a_stream_is_refused_in_bounded_memory_and_time(
    issued, nothing_stored, build
):
    _certificate, data = issued
    bomb = deflate_bomb(3 * 1024)  # 3 GiB once inflated
    hostile = build(data, bomb)
    assert len(hostile) < PDF_MAX_BYTES
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = check(hostile)
    elapsed = time.perf_counter() - start
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Refused by the reading limits; the web process never held the inflated bytes.
    assert (result.verdict, result.reason) == (UNKNOWN, "too_complex")
    assert elapsed < TIMEOUT
    assert (peak_after - peak_before) < 100 * 1024  # KiB: under 100 MiB more


def test_verification_reads_two_queries(issued, django_assert_max_num_queries):
    _certificate, data = issued
    with django_assert_max_num_queries(2):  # the known keys, the certificate by hash
        assert check(data).verdict == AUTHENTIC


def test_verification_time(issued):
    """Measured: ~50 ms per verification once the fork server runs."""
    _certificate, data = issued
    check(data)
    start = time.perf_counter()
    for _ in range(5):
        assert check(data).verdict == AUTHENTIC
    assert (time.perf_counter() - start) / 5 < 1


def test_the_child_process_cannot_allocate_beyond_its_limit():
    """The second fence, whatever pyHanko's limits: the analysis child's address space."""
    import multiprocessing

    from certificates.signed_pdfs.analysis import MEMORY_MARGIN, _limit_child

    def allocate(connection):
        _limit_child()
        try:
            bytearray(2 * MEMORY_MARGIN)
            connection.send("allocated")
        except MemoryError:
            connection.send("refused")

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=allocate, args=(sender,))
    child.start()
    assert receiver.recv() == "refused"
    child.join()


def test_a_child_that_takes_too_long_is_killed(issued):
    from certificates.signed_pdfs.analysis import AnalysisError, analyse_isolated

    _certificate, data = issued
    with pytest.raises(AnalysisError) as excinfo:
        analyse_isolated(data, timeout=0.001)
    assert excinfo.value.code == "too_complex"
