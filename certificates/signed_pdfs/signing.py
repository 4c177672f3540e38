"""Signing a certificate's PDF: PAdES baseline B-B, or B-T with a timestamp authority.

pyHanko appends the signature as an incremental update: the bytes WeasyPrint wrote
(PDF/A-3a) are kept as they are, followed by the signature field, its invisible
widget and the CMS signature (subfilter ETSI.CAdES.detached, SHA-256, the signer's
certificate embedded). So the file stays PDF/A-3: the widget has the Print flag and
no Hidden flag (PDF/A forbids hidden annotations), and a zero-size rectangle outside the page
needs no appearance stream nor a structure element. pyHanko also updates the XMP metadata's dates and producer
along with the document information, keeping them equal as PDF/A requires.

With `settings.SIGNING_TSA_URL` (an RFC 3161 timestamp authority), the signature
carries a signature timestamp (B-T): proof it existed at that time, whatever happens
to the key later.

Cost, measured: ~0.04 s per signature (B-B, RSA 3072) once `IssuerSigner` signs
with the key already loaded — pyHanko's own signer reloads and re-checks the RSA key
from DER at each signature, twice (sizing, then signing): ~0.3 s; a render is
~0.05 s warm. pyHanko documentation: https://docs.pyhanko.eu/en/latest/lib-guide/signing.html
"""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

#: The signature field's name: verification ignores the name, people see it in readers.
FIELD_NAME = "Signature-Repères"
REASON = "Délivrance du certificat"
LOCATION = "France"
#: Seconds a timestamp authority has to answer before signing fails (the task retries).
TSA_TIMEOUT = 10


class IssuerSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, signing with the issuer's key as already loaded.

    SimpleSigner keeps the key as DER and loads it again — with cryptography's full
    RSA consistency check, ~0.13 s for RSA 3072 — for each raw signature, of which a
    PDF signature makes two. The PKCS#1 v1.5 signatures (pyHanko's default for RSA)
    are made here with the key `signing_keys` loaded once; any other mechanism goes
    through pyHanko's own code.
    """

    def __init__(self, *, loaded_key, **kwargs):
        super().__init__(**kwargs)
        self.loaded_key = loaded_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        return self.loaded_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


def pyhanko_signer(key) -> signers.SimpleSigner:
    """pyHanko's signer from the issuer key (cryptography objects → asn1crypto)."""
    der_key = key.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    certificate = asn1_x509.Certificate.load(
        key.certificate.public_bytes(serialization.Encoding.DER)
    )
    chain = [
        asn1_x509.Certificate.load(extra.public_bytes(serialization.Encoding.DER))
        for extra in key.chain
    ]
    return IssuerSigner(
        loaded_key=key.private_key,
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
    )


def signer_name(key) -> str:
    """The certificate's common name (« Repères — clé de démonstration »…)."""
    from cryptography.x509.oid import NameOID

    names = key.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else key.subject


def timestamper():
    """An RFC 3161 client for `settings.SIGNING_TSA_URL`, or None (PAdES B-B)."""
    url = getattr(settings, "SIGNING_TSA_URL", "")
    if not url:
        return None
    return timestamps.HTTPTimeStamper(url, timeout=TSA_TIMEOUT)


def _producer_as_xmp_will_say(writer) -> None:
    """Drop the document information's /Producer before pyHanko writes its own.

    pyHanko sets the XMP `pdf:Producer` to « pyHanko x.y » but appends it to an
    existing /Producer (« WeasyPrint 70.0; pyHanko x.y »): two values PDF/A requires to
    be equal (ISO 19005-3 § 6.6.2.3.1). Without one, it writes the same in both.
    """
    try:
        info = writer.trailer["/Info"]
    except KeyError:
        return
    if "/Producer" in info:
        del info["/Producer"]


def sign_pdf(data: bytes, key) -> bytes:
    """`data` signed by `key` (an `IssuerKey`), as a new incremental revision."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _sign(data, key)
    # This thread runs an event loop (an async caller; Playwright's sync API in the
    # browser tests): pyHanko's `asyncio.run` cannot nest in it, a thread of its own can.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_sign, data, key).result()


def _sign(data: bytes, key) -> bytes:
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=REASON,
        location=LOCATION,
        name=signer_name(key),
    )
    field_spec = fields.SigFieldSpec(
        sig_field_name=FIELD_NAME,
        box=None,  # invisible: the certificate's look does not change
        on_page=0,
        # PDF/A: every annotation printable, none hidden (ISO 19005-3 § 6.3.2). Tagged
        # PDF (PDF/UA) wants an untagged annotation hidden or off the page: a zero-size
        # box outside the crop box satisfies both (pyHanko's `box_out_of_bounds`).
        invis_sig_settings=fields.InvisSigSettings(
            set_print_flag=True, set_hidden_flag=False, box_out_of_bounds=True
        ),
    )
    signer = signers.PdfSigner(
        metadata, signer=pyhanko_signer(key), timestamper=timestamper(), new_field_spec=field_spec
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    _producer_as_xmp_will_say(writer)
    output = io.BytesIO()
    signer.sign_pdf(writer, output=output)
    return output.getvalue()
