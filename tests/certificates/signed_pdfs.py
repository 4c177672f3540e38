"""Signed certificate PDFs for the tests: issue one, sign with another key, a local TSA.

The timestamp authority is pyHanko's `DummyTimeStamper` — a real RFC 3161 responder
that signs each request with its own key — behind a threading HTTP server on
127.0.0.1: the signing code talks to it over HTTP as it would to a public TSA.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from certificates import signing_keys
from certificates.signed_pdfs.signing import pyhanko_signer
from certificates.tasks import render_certificate_pdf

# A compact JWS for the embedded badge (the badges helper issues real ones).
BADGE_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl"


def issue_signed(make_certificate, **fields_):
    """A certificate through the real task: rendered, signed, stored. `(row, bytes)`."""
    fields_.setdefault("badge_jwt", BADGE_JWT)
    certificate = make_certificate(**fields_)
    render_certificate_pdf.enqueue(certificate.pk)
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return certificate, handle.read()


def fresh_key(directory: Path, name="Inconnu") -> signing_keys.IssuerKey:
    """A key of the same shape as ours, never recorded as a `SigningKey`."""
    private_key, certificate = signing_keys.create_key(name, organisation="Autre", bits=2048)
    path = directory / f"{name}.p12"
    signing_keys.write_pkcs12(path, private_key, certificate, "autre")
    return signing_keys.read_pkcs12(path.read_bytes(), "autre", path=str(path))


def add_signature(data: bytes, key, field_name="Deuxieme") -> bytes:
    """`data` with one more incremental signature (another field), by `key`."""
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(data)),
        metadata,
        signer=pyhanko_signer(key),
        output=output,
    )
    return output.getvalue()


def pyhanko_status(data: bytes, trusted_certificate: x509.Certificate):
    """pyHanko's own validation of the only signature, trusting `trusted_certificate`."""
    reader = PdfFileReader(io.BytesIO(data))
    (signature,) = reader.embedded_signatures
    root = asn1_x509.Certificate.load(trusted_certificate.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    return validate_pdf_signature(signature, context, ts_validation_context=context)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_under(root) -> dict[str, str]:
    """Every file under `root` and its SHA-256: what storage holds."""
    found = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            found[str(path)] = sha256(path.read_bytes())
    return found


# --- A local RFC 3161 timestamp authority ------------------------------------------------


def tsa_credentials():
    """A TSA certificate (extended key usage timeStamping, critical) and its key."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Horodatage de test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(private_key, hashes.SHA256())
    )
    return private_key, certificate


class TimestampAuthority:
    """A running TSA on 127.0.0.1: `url`, `certificate`, `requests` (how many it answered)."""

    def __init__(self):
        private_key, self.certificate = tsa_credentials()
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(
                self.certificate.public_bytes(serialization.Encoding.DER)
            ),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                private_key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )
        self.requests = 0
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = tsp.TimeStampReq.load(body)
                response = authority.stamper.request_tsa_response(request).dump()
                authority.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
