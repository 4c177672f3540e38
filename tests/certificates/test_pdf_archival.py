"""Signed certificates are PDF/A-3a: what veraPDF would check first, read with pikepdf.

veraPDF cannot be installed here; these tests check the requirements of ISO 19005-3
that a wrong setting or a signing step could break: identification (XMP pdfaid
part 3, conformance A), the output intent and its ICC profile, fonts embedded, no
encryption nor script, the associated file (the Open Badge), tagging, and the
agreement of the XMP metadata with the document information after signing.
"""

import io
import json
import re

import pikepdf
import pytest

from certificates.badges import envelope
from certificates.models import CertificateKind

from .signed_pdfs import BADGE_JWT, issue_signed

pytestmark = pytest.mark.django_db

KINDS = [CertificateKind.COMPLETION, CertificateKind.ACHIEVEMENT]
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


@pytest.fixture(params=KINDS)
def signed(request, make_certificate):
    certificate, data = issue_signed(make_certificate, kind=request.param)
    return certificate, pikepdf.open(io.BytesIO(data)), data


def all_objects(pdf):
    return [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)]


def test_xmp_says_pdf_a_3_level_a(signed):
    _certificate, pdf, _data = signed
    metadata = pdf.open_metadata()
    assert metadata[f"{PDFAID}part"] == "3"
    assert metadata[f"{PDFAID}conformance"] == "A"


def test_xmp_and_document_information_agree_after_signing(signed):
    """ISO 19005-3 § 6.6.2.3.1: each Info entry equals its XMP property."""
    _certificate, pdf, _data = signed
    metadata = pdf.open_metadata()
    info = pdf.docinfo
    assert str(info["/Producer"]) == metadata["pdf:Producer"]
    assert str(info["/Title"]) == metadata["dc:title"]
    assert str(info["/Subject"]) == metadata["dc:description"]
    assert [str(info["/Author"])] == metadata["dc:creator"]
    for entry in ("/ModDate", "/CreationDate", "/Keywords", "/Creator"):
        assert entry not in info  # or it would need its XMP twin


def test_the_xmp_packet_and_the_file_identifier(signed):
    """ISO 19005-3 § 6.6.2.1: an XMP packet header without `bytes` nor `encoding`;
    § 6.1.3: the trailer has an /ID (pyHanko's revision keeps the first part)."""
    _certificate, pdf, _data = signed
    xmp = pdf.Root.Metadata.read_bytes()
    header = xmp[: xmp.index(b"?>") + 2]
    assert header.startswith(b"<?xpacket begin=") and b"W5M0MpCehiHzreSzNTczkc9d" in header
    assert b"bytes=" not in header and b"encoding=" not in header
    assert xmp.rstrip().endswith(b'<?xpacket end="r"?>')
    assert pdf.Root.Metadata.Subtype == "/XML"
    assert len(pdf.trailer.ID) == 2


def test_an_srgb_output_intent_with_its_icc_profile(signed):
    _certificate, pdf, _data = signed
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    assert isinstance(profile, pikepdf.Stream)
    assert int(profile.N) == 3  # RGB
    icc = profile.read_bytes()
    assert icc[36:40] == b"acsp"  # the ICC signature (ICC.1 § 7.2.5)
    assert icc[16:20] == b"RGB "


def test_every_font_is_embedded(signed):
    _certificate, pdf, _data = signed
    descriptors = [obj for obj in all_objects(pdf) if obj.get("/Type") == "/FontDescriptor"]
    fonts = [obj for obj in all_objects(pdf) if obj.get("/Type") == "/Font"]
    assert descriptors and fonts
    for descriptor in descriptors:
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    for font in fonts:
        # Type 0 fonts carry their descriptor in their descendant font.
        target = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
        assert "/FontDescriptor" in target, font.get("/BaseFont")


def test_no_encryption_no_javascript_no_actions(signed):
    _certificate, pdf, data = signed
    assert "/Encrypt" not in pdf.trailer
    assert not pdf.is_encrypted
    names = pdf.Root.get("/Names", pikepdf.Dictionary())
    assert "/JavaScript" not in names
    assert "/OpenAction" not in pdf.Root
    for obj in all_objects(pdf):
        assert "/JS" not in obj and "/AA" not in obj
        assert obj.get("/S") != "/JavaScript"
    assert b"/JavaScript" not in data and b"/JS " not in data


def test_the_badge_is_the_associated_file_alternative_json(signed):
    certificate, pdf, _data = signed
    (filespec,) = pdf.Root.AF  # once (WeasyPrint alone lists it twice: core.pdf)
    assert filespec.Type == "/Filespec"
    assert filespec.AFRelationship == "/Alternative"
    assert str(filespec.UF) == envelope.filename(certificate) == str(filespec.F)
    assert "Open Badge" in str(filespec.Desc)
    embedded = filespec.EF.F
    assert embedded.Subtype == "/application/json"
    assert "/ModDate" in embedded.Params
    assert embedded.read_bytes() == envelope.file_bytes(BADGE_JWT)
    assert envelope.unwrap(embedded.read_bytes().decode()) == BADGE_JWT
    assert json.loads(embedded.read_bytes())["type"] == "EnvelopedVerifiableCredential"
    # Listed in the embedded files too, where readers show attachments.
    (_name, listed) = list(pdf.Root.Names.EmbeddedFiles.Names)
    assert listed.objgen == filespec.objgen


def test_rendered_without_a_badge_there_is_no_attachment(make_certificate):
    # The task always signs the badge first (certificates/badges/issuing.py); the
    # renderer alone, given none, embeds nothing.
    from certificates.pdf import render_certificate_pdf_bytes

    data = render_certificate_pdf_bytes(make_certificate())
    pdf = pikepdf.open(io.BytesIO(data))
    assert "/AF" not in pdf.Root
    assert pdf.open_metadata()[f"{PDFAID}part"] == "3"


def test_still_tagged_in_french(signed):
    _certificate, pdf, _data = signed
    assert "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert str(pdf.Root.Lang) == "fr"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def test_the_signature_widget_is_printable_not_hidden_and_invisible(signed):
    _certificate, pdf, _data = signed
    (field,) = pdf.Root.AcroForm.Fields
    assert field.FT == "/Sig" and field.Subtype == "/Widget"
    flags = int(field.F)
    assert flags & 4  # Print
    assert not flags & 2 and not flags & 1 and not flags & 32  # Hidden, Invisible, NoView
    # Zero-size and off the page: nothing to see, nothing for a screen reader to tag.
    left, bottom, right, top = (float(value) for value in field.Rect)
    assert left == right and bottom == top
    assert left < 0 and bottom < 0
    assert "/NeedAppearances" not in pdf.Root.AcroForm
    for annotation in pdf.pages[0].Annots:  # the links too (WeasyPrint's PDF/A pass)
        assert int(annotation.F) & 4


def test_signing_is_an_incremental_update_of_the_archival_file(make_certificate):
    from certificates.pdf import render_certificate_pdf_bytes

    certificate, data = issue_signed(make_certificate)
    # Two revisions: WeasyPrint's, then pyHanko's signature.
    assert len(re.findall(rb"%%EOF", data)) == 2
    unsigned = render_certificate_pdf_bytes(certificate, badge_jwt=BADGE_JWT)
    first_revision = data[: data.index(b"%%EOF") + len(b"%%EOF")]
    # The same document, bar WeasyPrint's per-render file identifier.
    assert len(first_revision) == len(unsigned.rstrip(b"\n"))


def test_the_version_header_and_binary_comment(signed):
    """ISO 19005-3 § 6.1.2: a header and a comment of four bytes above 127."""
    _certificate, _pdf, data = signed
    assert re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", data)
