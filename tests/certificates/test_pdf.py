"""Certificate PDFs: content, QR link, metadata, one page, hostile snapshots, file name."""

import base64
import io
import logging
import re
from datetime import date

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from certificates.models import Certificate, CertificateKind
from certificates.pdf import (
    DEFAULT_ACCENT,
    QR_MASK,
    certificate_filename,
    certificate_pdf_html,
    format_duration,
    printable_image,
    render_certificate_pdf_bytes,
)
from core.pdf import BundledAssetFetcher
from courses.models import ModulePage

from .helpers import certificate_fields, png_data_url

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre


def reader_of(payload):
    return PdfReader(io.BytesIO(payload))


def pdf_text(payload):
    return "\n".join(page.extract_text() for page in reader_of(payload).pages)


def squeezed(text):
    """Text without any whitespace: lines wrap wherever the layout decides."""
    return re.sub(r"\s+", "", text)


def link_annotations(payload):
    page = reader_of(payload).pages[0]
    return [
        annotation.get_object()
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]


def render_with_fetcher(certificate):
    fetcher = BundledAssetFetcher()
    payload = render_certificate_pdf_bytes(certificate, url_fetcher=fetcher)
    return payload, fetcher


# --- Content ------------------------------------------------------------------------------


def test_pdf_prints_name_title_number_and_code(make_certificate):
    certificate = make_certificate()
    payload, fetcher = render_with_fetcher(certificate)
    assert payload.startswith(b"%PDF-")
    text = pdf_text(payload)
    assert "Attestation de fin de formation" in text
    assert "Camille Martin" in text
    assert "Repérer et protéger : la prostitution des mineur·e·s" in text
    assert "RP-2026-000001" in text
    assert certificate.display_code == "7KQ2-MX9D-0001"
    assert "7KQ2-MX9D-0001" in text
    assert "http://testserver/verifier/7KQ2-MX9D-0001/" in text
    # What is certified: hours, dates, score, publisher, objectives, issuer.
    assert "2 h 30" in text and "2 h 52" in text
    assert "du 5 janvier 2026 au 19 janvier 2026" in text
    assert "85 %" in text
    assert "proposé par Amicale du Nid" in text
    assert "repérer les signaux d'alerte" in text
    assert "Dominique Exemple" in text and "Responsable de la formation" in text
    assert "Délivré le 19 janvier 2026" in text
    assert "déclaration d'activité" in text
    # Only bundled fonts and the row's data: URLs were read.
    assert fetcher.refused == []
    assert all("/fonts/pdf/" in path for path in fetcher.served)


def test_achievement_has_its_own_title(make_certificate):
    certificate = make_certificate(kind=CertificateKind.ACHIEVEMENT, score=None)
    text = pdf_text(render_certificate_pdf_bytes(certificate))
    assert "Certificat de réalisation" in text
    assert "Attestation de fin de formation" not in text
    assert "Score" not in text


def test_achievement_states_hours_attended_out_of_planned_and_elearning(make_certificate):
    certificate = make_certificate(
        kind=CertificateKind.ACHIEVEMENT,
        score=None,
        planned_minutes=6 * 60,
        achieved_minutes=3 * 60 + 30,
        elearning_minutes=95,
        holder_organisation="Collège Jean Moulin",
    )
    text = " ".join(pdf_text(render_certificate_pdf_bytes(certificate)).split())
    assert "action de formation" in text
    assert "3 h 30 sur 6 h" in text
    assert "Formation en ligne" in text and "1 h 35" in text
    assert "Collège Jean Moulin" in text


def test_pdf_is_rendered_from_the_snapshot(make_certificate, professional):
    certificate = make_certificate()
    professional.first_name, professional.last_name = "Autre", "Personne"
    professional.save()
    certificate.refresh_from_db()
    text = pdf_text(render_certificate_pdf_bytes(certificate))
    assert "Camille Martin" in text
    assert "Personne" not in text


def test_qr_code_links_to_the_verification_url(make_certificate):
    certificate = make_certificate()
    payload = render_certificate_pdf_bytes(certificate)
    links = link_annotations(payload)
    url = certificate.get_verification_url()
    assert url == "http://testserver/verifier/7KQ2-MX9D-0001/"
    assert links
    assert {link["/A"]["/URI"] for link in links} == {url}
    # One of them is the QR code itself: a 34 mm square.
    sizes = [
        (abs(float(x2) - float(x1)) / MM, abs(float(y2) - float(y1)) / MM)
        for x1, y1, x2, y2 in (link["/Rect"] for link in links)
    ]
    assert any(round(width) == round(height) == 34 for width, height in sizes)


def qr_image_of(html):
    """(link href, PIL image) of the QR code in the certificate's HTML."""
    match = re.search(
        r'<a class="qr" href="([^"]+)"><img src="data:image/png;base64,([^"]+)"', html
    )
    assert match
    return match.group(1), Image.open(io.BytesIO(base64.b64decode(match.group(2))))


def test_qr_code_is_the_verification_url_module_for_module(make_certificate):
    certificate = make_certificate()
    url = certificate.get_verification_url()
    href, image = qr_image_of(certificate_pdf_html(certificate))
    assert href == url
    # One pixel per module, black on white, no quiet zone (the layout gives it).
    expected = segno.make(url, error="m", mask=QR_MASK, micro=False)
    assert expected.error == "M"  # never lowered to print a smaller symbol
    assert image.mode == "L"
    assert image.size == expected.symbol_size(border=0)
    modules = [
        [image.getpixel((x, y)) == 0 for x in range(image.width)] for y in range(image.height)
    ]
    assert modules == [[bool(module) for module in row] for row in expected.matrix]
    assert {image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)} == {
        0,
        255,
    }


def test_qr_code_prints_as_sharp_squares(make_certificate):
    """The small image is enlarged without smoothing: `/Interpolate false`."""
    payload = render_certificate_pdf_bytes(make_certificate())
    page = reader_of(payload).pages[0]
    images = [
        xobject.get_object()
        for xobject in page["/Resources"]["/XObject"].values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    qr_codes = [image for image in images if image["/Width"] == image["/Height"] <= 57]
    assert len(qr_codes) == 1
    assert qr_codes[0]["/Interpolate"].value is False
    assert qr_codes[0]["/ColorSpace"] == "/DeviceGray"


def test_pdf_metadata_and_tags(make_certificate):
    payload = render_certificate_pdf_bytes(make_certificate())
    reader = reader_of(payload)
    assert reader.metadata.title == "Attestation de fin de formation — Camille Martin"
    assert reader.metadata.author == "Amicale du Nid"
    assert "Repérer et protéger" in reader.metadata.subject
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    # Archival PDF/A-3, level A: tagged (tests/certificates/test_pdf_archival.py).
    xmp = reader.xmp_metadata.stream.get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp


def test_one_a4_landscape_page(make_certificate):
    page = reader_of(render_certificate_pdf_bytes(make_certificate())).pages[0]
    width, height = float(page.mediabox.width) / MM, float(page.mediabox.height) / MM
    assert (round(width), round(height)) == (297, 210)


def test_longest_values_stay_on_one_page(make_certificate):
    first_name = ("Marie-Christine " * 10)[:150]
    last_name = "W" * 150  # no break opportunity at all
    title = ("Formation longue sur le repérage " * 10)[:255]
    certificate = make_certificate(
        holder_first_name=first_name,
        holder_last_name=last_name,
        holder_profession="P" * 120,
        title=title,
        publisher_name="Observatoire " * 15,
        objectives_summary="Objectif très détaillé. " * 200,
        issuer_name="Association départementale " * 7,
        signatory_name="S" * 150,
        signatory_role="Directrice générale adjointe " * 5,
        footer_text="Mentions légales. " * 60,
        expires_on=date(2031, 1, 19),
    )
    payload = render_certificate_pdf_bytes(certificate)
    reader = reader_of(payload)
    assert len(reader.pages) == 1
    text = squeezed(pdf_text(payload))
    # The holder's whole name and the whole title are printed, not cut.
    assert squeezed(first_name + last_name) in text
    assert squeezed(title) in text
    assert "7KQ2-MX9D-0001" in text


def test_the_attestation_is_in_french_whatever_the_active_language(make_certificate):
    from django.utils import translation

    certificate = make_certificate()
    with translation.override("en"):
        text = pdf_text(render_certificate_pdf_bytes(certificate))
    assert "Attestation de fin de formation" in text
    assert "19 janvier 2026" in text


# --- Hostile snapshots --------------------------------------------------------------------


HOSTILE_NAMES = [
    ('<img src="file:///etc/passwd">', "Martin"),
    ("Camille", "url(http://127.0.0.1:9/)"),
    ("Camille", '"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'),
]


@pytest.mark.parametrize(("first_name", "last_name"), HOSTILE_NAMES)
def test_hostile_name_is_printed_as_text_and_fetches_nothing(
    make_certificate, caplog, first_name, last_name
):
    certificate = make_certificate(holder_first_name=first_name, holder_last_name=last_name)
    with caplog.at_level(logging.WARNING, logger="reperes.pdf"):
        payload, fetcher = render_with_fetcher(certificate)
    assert squeezed(f"{first_name} {last_name}") in squeezed(pdf_text(payload))
    assert fetcher.refused == []  # nothing was even attempted
    assert all("/fonts/pdf/" in path for path in fetcher.served)
    assert not [record for record in caplog.records if record.name == "reperes.pdf"]
    reader = reader_of(payload)
    assert not reader.attachments
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})


def test_hostile_accent_colour_never_reaches_the_css(make_certificate):
    # The column holds seven characters: just enough for a CSS function.
    certificate = make_certificate(accent_colour="url(//)")
    html = certificate_pdf_html(certificate)
    assert "url(//)" not in html
    assert f"border-color: {DEFAULT_ACCENT}" in html
    _, fetcher = render_with_fetcher(certificate)
    assert fetcher.refused == []


def test_a_valid_accent_colour_is_used(make_certificate):
    html = certificate_pdf_html(make_certificate(accent_colour="#1A3F8B"))
    assert "border-color: #1A3F8B" in html


@pytest.mark.parametrize(
    "image_data",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/logo.png",
        "data:image/svg+xml;base64,"
        + base64.b64encode(
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
        ).decode(),
        "data:image/png;base64,not-base64!",
    ],
)
def test_images_other_than_raster_data_urls_are_left_out(make_certificate, image_data):
    certificate = make_certificate(logo_data=image_data, signature_data=image_data)
    html = certificate_pdf_html(certificate)
    assert image_data not in html
    payload, fetcher = render_with_fetcher(certificate)
    assert fetcher.refused == []
    assert "Camille Martin" in pdf_text(payload)


def test_images_are_printed_as_jpeg_on_white():
    url = printable_image(png_data_url())
    assert url.startswith("data:image/jpeg;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == pytest.approx((255, 255, 255), abs=3)


# --- Helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "expected"), [(45, "45 min"), (60, "1 h"), (90, "1 h 30"), (605, "10 h 05")]
)
def test_format_duration(minutes, expected):
    assert format_duration(minutes) == expected


def unsaved(**overrides):
    return Certificate(**certificate_fields(**overrides))


def test_filename_uses_the_module_slug_and_the_last_name():
    certificate = unsaved(holder_last_name="Ébène-Dupré")
    certificate.module = ModulePage(title="Le cadre légal", slug="le-cadre-legal")
    assert certificate_filename(certificate) == "attestation-le-cadre-legal-ebene-dupre.pdf"


def test_filename_without_module_uses_the_title():
    certificate = unsaved(title="Repérer et protéger : la prostitution des mineur·e·s")
    assert (
        certificate_filename(certificate)
        == "attestation-reperer-et-proteger-la-prostitution-des-mineures-martin.pdf"
    )


def test_filename_of_a_certificat_de_realisation():
    certificate = unsaved(kind=CertificateKind.ACHIEVEMENT, title="Session du 3 mars")
    assert (
        certificate_filename(certificate) == "certificat-realisation-session-du-3-mars-martin.pdf"
    )


def test_filename_of_hostile_or_empty_names_is_safe():
    hostile = certificate_filename(unsaved(holder_last_name='<img src="file:///etc/passwd">'))
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", hostile)
    assert certificate_filename(unsaved(holder_last_name="")).endswith("-titulaire.pdf")
    long_name = certificate_filename(unsaved(holder_last_name="W" * 150, title="T" * 255))
    assert len(long_name) <= 140
