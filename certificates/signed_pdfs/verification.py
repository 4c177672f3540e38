"""Verifying a certificate PDF someone holds: is it the file the platform issued?

`verify_pdf(data)` reads the bytes in memory — never stored, never logged (only the
verdict and its reason are) — and answers with a `PdfCheck`:

- **AUTHENTIC** « Document authentique et intact »: exactly one signature; it
  verifies (the signed digest matches and the RSA signature checks with the
  embedded certificate's key); that certificate is one of the platform's keys,
  current or former (`SigningKey` rows: rotation keeps old files valid); it covers
  the whole file; and the file's SHA-256 is a certificate's `pdf_sha256`.
- **MODIFIED** « Document modifié après sa délivrance »: a signature by one of our
  keys, but the file is not what was signed: a byte changed in the signed bytes
  (`signature_invalid`), bytes appended after it — an incremental save, a second
  signature (`not_covering_whole_file`, `several_signatures`) — or no certificate
  has this SHA-256 (`hash_mismatch`). A file re-saved by another program (pikepdf,
  a PDF editor) falls here too: it keeps our signature dictionary but rewrites the
  bytes around it, so the digest no longer matches. « Modifié » is the honest
  answer: this is not the file issued, even if what it shows may look the same.
- **UNKNOWN_SIGNATURE** « Signature inconnue » otherwise: no signature
  (`no_signature`), a signer that is none of our keys (`unknown_key`), not a PDF
  (`not_a_pdf`), a file we cannot read or that breaks the reading limits
  (`unreadable`, `too_complex`: truncated files, zip bombs), over 5 MB
  (`too_large`, refused before anything is read).
  An **unsigned copy** of one of ours (a download from before signing existed: its
  SHA-256 is a certificate's `unsigned_pdf_sha256`, or the `pdf_sha256` of one not
  yet signed) is « Signature inconnue » with reason `unsigned_copy` and the
  certificate: there is no signature to vouch for it, but the page can say which
  certificate it matches and its status, as the code check does.

**Which certificate.** Found by SHA-256 only, never by what the file says about
itself: the whole file's hash, or — when bytes were appended after a valid
signature of ours — the hash of the signed revision (the bytes up to the end of the
signature's /ByteRange, which is exactly the file as issued). A file with a byte
changed inside the signed range names no certificate.

**Cost.** The parsing runs in a forked child with memory and time limits
(certificates/signed_pdfs/analysis.py): measured ~40 ms per verification of a certificate
(~40 KB) once the fork server runs; its first start, once per process, imports
pyHanko (~0.6 s). Two queries: the known keys, the certificate by hash.
"""

from __future__ import annotations

import hashlib
import logging

from django.db.models import Q

from certificates.signed_pdfs.analysis import AnalysisError, analyse_isolated
from certificates.verdicts import PDF_MAX_BYTES, DocumentVerdict, PdfCheck

logger = logging.getLogger("reperes.certificates")

#: Where a PDF header may start (ISO 32000 readers accept some leading bytes).
HEADER_WINDOW = 1024


def _check(verdict, reason, certificate=None) -> PdfCheck:
    logger.info("pdf verified", extra={"pdf_verdict": verdict.value, "pdf_reason": reason})
    return PdfCheck(verdict=verdict, reason=reason, certificate=certificate)


def certificate_by_sha256(digest: str):
    from certificates.models import Certificate

    return Certificate.objects.filter(pdf_sha256=digest).order_by("-id").first()


def unsigned_certificate_by_sha256(digest: str):
    from certificates.models import Certificate

    return (
        Certificate.objects.filter(
            Q(unsigned_pdf_sha256=digest) | Q(pdf_sha256=digest, signing_key__isnull=True)
        )
        .order_by("-id")
        .first()
    )


def _known_fingerprints() -> set[str]:
    from certificates.signing_keys import known_keys

    return {key.fingerprint for key in known_keys()}


def verify_pdf(data: bytes) -> PdfCheck:
    """The verdict on `data` (see the module's docstring for the rules)."""
    unknown = DocumentVerdict.UNKNOWN_SIGNATURE
    if len(data) > PDF_MAX_BYTES:
        return _check(unknown, "too_large")
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return _check(unknown, "not_a_pdf")
    try:
        signatures = analyse_isolated(data)
    except AnalysisError as error:
        return _check(unknown, error.code)
    digest = hashlib.sha256(data).hexdigest()
    if not signatures:
        certificate = unsigned_certificate_by_sha256(digest)
        return _check(unknown, "unsigned_copy" if certificate else "no_signature", certificate)
    known = _known_fingerprints()
    ours = [signature for signature in signatures if signature["fingerprint"] in known]
    if not ours:
        return _check(unknown, "unknown_key")
    return _judge_our_signature(data, digest, ours[0], several=len(signatures) > 1)


def _judge_our_signature(data, digest, signature, *, several) -> PdfCheck:
    modified = DocumentVerdict.MODIFIED
    if not (signature["intact"] and signature["valid"]):
        return _check(modified, "signature_invalid")
    if several or signature["coverage"] != "ENTIRE_FILE":
        # Our signature holds for the bytes it covers: those are the file as issued.
        signed = hashlib.sha256(data[: signature["signed_end"]]).hexdigest()
        reason = "several_signatures" if several else "not_covering_whole_file"
        return _check(modified, reason, certificate_by_sha256(signed))
    certificate = certificate_by_sha256(digest)
    if certificate is None:
        return _check(modified, "hash_mismatch")
    return _check(DocumentVerdict.AUTHENTIC, "", certificate)
