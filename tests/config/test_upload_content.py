"""Uploaded documents: the content must be what the extension says.

Real files built here (a PDF with pypdf, a workbook with openpyxl, Office and
OpenDocument packages, images with Pillow), and their disguises: an HTML page named
`.pdf`, a workbook named `.docx`, a macro-enabled document renamed, binary as text.
"""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from pypdf import PdfWriter
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

import config.settings as base_settings
from core import uploads
from tests.config.test_uploads import file_errors, upload_document, upload_image

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def xlsx():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Commune", "Participant·e·s"])
    workbook.active.append(["Bobigny", 12])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def zip_package(members, *, stored_first=None):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1])
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def docx(*, with_macros=False):
    """A minimal Word document, as the Office Open XML standard defines one."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    if with_macros:
        main = "application/vnd.ms-word.document.macroEnabled.main+xml"
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Fiche réflexe</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    if with_macros:
        members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1macro"
    return zip_package(members)


def opendocument(mimetype):
    """A minimal OpenDocument package: `mimetype` first and stored, then the parts."""
    return zip_package(
        {
            "META-INF/manifest.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                f'manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                "</manifest:manifest>"
            ),
            "content.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'office:version="1.2"><office:body/></office:document-content>'
            ),
        },
        stored_first=("mimetype", mimetype),
    )


def odt():
    return opendocument("application/vnd.oasis.opendocument.text")


def ods():
    return opendocument("application/vnd.oasis.opendocument.spreadsheet")


def image(image_format):
    output = io.BytesIO()
    PILImage.new("RGB", (20, 10), "white").save(output, format=image_format)
    return output.getvalue()


GENUINE = {
    "fiche.pdf": pdf,
    "tableau.xlsx": xlsx,
    "note.docx": docx,
    "compte-rendu.odt": odt,
    "tableau.ods": ods,
    "liste.csv": lambda: "commune;présent·e·s\nBobigny;12\n".encode("cp1252"),
    "notes.txt": lambda: "Numéros utiles : 119, 3919\n".encode(),
}

DISGUISED = {
    "fiche.pdf": lambda: HTML,
    "page.pdf": lambda: image("PNG"),
    "tableau.xlsx": docx,
    "note.docx": xlsx,
    "macro.docx": lambda: docx(with_macros=True),
    "compte-rendu.odt": ods,
    "tableau.ods": pdf,
    "archive.odt": lambda: zip_package({"content.xml": "<x/>"}),
    "liste.csv": lambda: HTML,
    "notes.txt": lambda: b"\n\n  <svg onload=alert(1)>",
    "binaire.txt": lambda: image("PNG"),
}


@pytest.mark.parametrize("name", GENUINE)
def test_a_genuine_document_is_accepted(admin_client, name):
    response = upload_document(admin_client, name, GENUINE[name]())
    assert response.status_code == 302, file_errors(response)
    assert Document.objects.get().file.name.endswith(name.rsplit(".", 1)[1])


@pytest.mark.parametrize("name", DISGUISED)
def test_a_document_whose_content_is_not_its_extension_is_refused(admin_client, name):
    response = upload_document(admin_client, name, DISGUISED[name]())
    assert response.status_code == 200
    errors = file_errors(response)
    extension = name.rsplit(".", 1)[1]
    assert any(
        f"ne correspond pas à son extension .{extension}" in error
        and str(uploads.KINDS[extension]) in error
        for error in errors
    ), errors
    assert not Document.objects.exists()


def test_the_multiple_uploader_refuses_it_too(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("fiche.pdf", HTML)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is False
    assert "ne correspond pas à son extension .pdf" in payload["error_message"]
    assert not Document.objects.exists()


def test_replacing_the_file_of_a_document_is_checked_too(admin_client):
    assert upload_document(admin_client, "fiche.pdf", pdf()).status_code == 302
    document = Document.objects.get()
    response = admin_client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "file": SimpleUploadedFile("fiche.pdf", HTML),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert any("ne correspond pas" in error for error in file_errors(response))
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_every_allowed_extension_has_a_content_rule():
    """A format joins WAGTAILDOCS_EXTENSIONS only with a rule in core/uploads.py."""
    assert set(base_settings.WAGTAILDOCS_EXTENSIONS) <= set(uploads.RULES)
    assert set(uploads.RULES) <= set(uploads.KINDS)


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), True),
        ("ancien.xls", HTML, False),
        ("photo.png", image("PNG"), True),
        ("photo.jpg", image("JPEG"), True),
        ("photo.gif", image("GIF"), True),
        ("photo.webp", image("WEBP"), True),
        ("photo.png", image("JPEG"), False),
        ("photo.jpeg", HTML, False),
        ("sans-extension", pdf(), False),
    ],
)
def test_the_rules_for_formats_outside_the_allowlist(name, content, accepted):
    """Legacy Office files and images have their rule too, ready for other uploads."""
    file = SimpleUploadedFile(name, content)
    if accepted:
        uploads.check_content_matches_extension(file)
    else:
        with pytest.raises(Exception, match="ne correspond pas") as excinfo:
            uploads.check_content_matches_extension(file)
        assert excinfo.value.code == "content_mismatch"


def test_an_image_whose_content_is_not_its_extension_is_refused(admin_client):
    """Wagtail's image field already compares the format with the extension."""
    response = upload_image(admin_client, "photo.png", HTML)
    assert response.status_code == 200
    assert file_errors(response)
    response = upload_image(admin_client, "photo.png", image("JPEG"))
    assert response.status_code == 200
    assert file_errors(response)
    assert not Image.objects.exists()
