"""The signatory's signature on a certificate template: private storage only.

It used to be a Wagtail image, public at a guessable rendition URL
(`/media/images/signature-exemple.max-600x240.format-png.png`). It is now uploaded
through the template's form, re-encoded into the private storage, read from there by
the PDF, and shown in the admin by a view that checks the permission.
"""

import base64
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image, Rendition
from wagtail_factories import ImageFactory

from certificates.models import CertificateTemplate
from tests.guides.factories import PublisherFactory

from .helpers import certificate_of, complete_module, png_bytes

pytestmark = pytest.mark.django_db

ADD_URL = "wagtailsnippets_certificates_certificatetemplate:add"
EDIT_URL = "wagtailsnippets_certificates_certificatetemplate:edit"
PREVIEW_URL = "wagtailsnippets_certificates_certificatetemplate:signature"


@pytest.fixture
def coordination(client, coordinator):
    client.force_login(coordinator)
    return client


def template_data(publisher, **overrides):
    return {
        "publisher": publisher.pk,
        "issuer_name": "Amicale du Nid 93",
        "signatory_name": "Claire Dupont",
        "signatory_role": "Directrice",
        "accent_colour": "#7a2e5c",
        "footer_text": "",
        **overrides,
    }


def upload(name, content):
    return SimpleUploadedFile(name, content)


def files_under(root):
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


def stored_image(template):
    with template.signature_file.open("rb") as handle:
        content = handle.read()
    return content, PILImage.open(io.BytesIO(content))


def add_template(client, **overrides):
    publisher = PublisherFactory(name="Amicale du Nid")
    data = template_data(publisher, **overrides)
    response = client.post(reverse(ADD_URL), data)
    assert response.status_code == 302, response.context["form"].errors
    return CertificateTemplate.objects.get(publisher=publisher)


def test_an_uploaded_signature_goes_to_private_storage(coordination):
    media_before = files_under(settings.MEDIA_ROOT)
    template = add_template(coordination, signature_file=upload("signature.png", png_bytes()))
    path = Path(template.signature_file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    # Nothing public: no image in the library, no file under MEDIA_ROOT.
    assert not Image.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == media_before
    # A random name that says nothing of whose signature it is.
    assert "claire" not in template.signature_file.name.lower()


def test_the_signature_is_re_encoded_without_metadata_at_printed_size(coordination):
    exif = PILImage.Exif()
    exif[0x010E] = "Scan de la signature de Claire Dupont"  # ImageDescription
    jpeg = png_bytes((2400, 800), image_format="JPEG", exif=exif.tobytes())
    template = add_template(coordination, signature_file=upload("scan.jpg", jpeg))
    content, image = stored_image(template)
    assert image.format == "PNG"
    assert image.width <= 600 and image.height <= 240
    assert b"Claire Dupont" not in content
    assert not image.getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("signature.png", b"<html><script>alert(1)</script></html>"),
        ("signature.png", b"%PDF-1.4\n%%EOF\n"),
        ("signature.gif", None),  # a real image, of a format not accepted
    ],
)
def test_anything_but_a_png_or_jpeg_is_refused_clearly(coordination, name, content):
    if content is None:
        content = png_bytes(image_format="GIF")
    publisher = PublisherFactory(name="Amicale du Nid")
    private_before = files_under(settings.PRIVATE_MEDIA_ROOT)
    response = coordination.post(
        reverse(ADD_URL), template_data(publisher, signature_file=upload(name, content))
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["signature_file"]
    assert any("PNG ou JPEG" in error for error in errors)
    assert not CertificateTemplate.objects.exists()
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == private_before


def test_the_certificate_pdf_reads_the_signature_from_private_storage(professional):
    module, _ = complete_module(professional)
    content = png_bytes()
    template = CertificateTemplate.objects.create(
        publisher=module.publisher,
        issuer_name="Amicale du Nid",
        signatory_name="Claire Exemple",
        signatory_role="Directrice",
        signature_file=ContentFile(content, name="signature.png"),
    )
    other, _ = complete_module(professional, publisher=module.publisher)
    certificate = certificate_of(professional, other)
    stored, _image = stored_image(template)
    assert certificate.signature_data.endswith(base64.b64encode(stored).decode())


def test_the_edit_form_shows_the_signature_through_the_checked_view(coordination):
    template = add_template(coordination, signature_file=upload("signature.png", png_bytes()))
    html = coordination.get(reverse(EDIT_URL, args=[template.pk])).content.decode()
    preview = reverse(PREVIEW_URL, args=[template.pk])
    assert f'src="{preview}"' in html
    assert template.signature_file.name not in html  # no storage path, no /media/ URL
    response = coordination.get(preview)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert b"".join(response.streaming_content) == stored_image(template)[0]


@pytest.mark.parametrize("role_fixture", ["editor", "reviewer", "trainer", "professional"])
def test_only_those_who_edit_templates_see_the_signature(request, coordination, role_fixture):
    template = add_template(coordination, signature_file=upload("signature.png", png_bytes()))
    preview = reverse(PREVIEW_URL, args=[template.pk])
    other = Client()
    other.force_login(request.getfixturevalue(role_fixture))
    response = other.get(preview)
    assert response.status_code in (302, 403)
    assert response.get("Content-Type") != "image/png"
    anonymous = Client().get(preview)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_no_signature_no_preview(coordination):
    template = add_template(coordination)
    assert coordination.get(reverse(PREVIEW_URL, args=[template.pk])).status_code == 404


def test_a_replaced_or_removed_signature_leaves_no_file(
    coordination, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        template = add_template(coordination, signature_file=upload("a.png", png_bytes()))
    first = Path(template.signature_file.path)
    edit = reverse(EDIT_URL, args=[template.pk])
    data = template_data(template.publisher)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordination.post(
            edit, {**data, "signature_file": upload("b.png", png_bytes(colour=(200, 0, 0, 255)))}
        )
    assert response.status_code == 302, response.context["form"].errors
    template.refresh_from_db()
    second = Path(template.signature_file.path)
    assert second.exists() and not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordination.post(edit, {**data, "signature_file-clear": "on"})
    assert response.status_code == 302, response.context["form"].errors
    template.refresh_from_db()
    assert not template.signature_file
    assert not second.exists()


def test_a_deleted_template_leaves_no_file(coordination, django_capture_on_commit_callbacks):
    template = add_template(coordination, signature_file=upload("a.png", png_bytes()))
    path = Path(template.signature_file.path)
    with django_capture_on_commit_callbacks(execute=True):
        template.publisher.delete()
    assert not path.exists()


# --- Migration of existing signatures ---------------------------------------------------------

BEFORE = [("certificates", "0005_certificatetemplate_signature_file")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_signatures_move_to_private_storage_and_leave_the_library():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldTemplate = old_apps.get_model("certificates", "CertificateTemplate")
    try:
        signature = ImageFactory(
            title="Signature", file__from_func=lambda: io.BytesIO(png_bytes((900, 300)))
        )
        rendition = signature.get_rendition("max-600x240|format-png")
        public_files = [Path(rendition.file.path), Path(signature.file.path)]
        assert all(path.exists() for path in public_files)
        shared = ImageFactory(title="Logo et signature")  # also a logo: kept
        first, second, third = (PublisherFactory(name=f"Éditeur {n}") for n in range(3))
        for publisher, image in ((first, signature), (second, signature), (third, shared)):
            OldTemplate.objects.create(
                publisher_id=publisher.pk,
                issuer_name=publisher.name,
                signatory_name="Claire",
                signatory_role="Directrice",
                signature_id=image.pk,
                logo_id=shared.pk if publisher is third else None,
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    templates = CertificateTemplate.objects.order_by("publisher__name")
    assert all(template.signature_file for template in templates)
    for template in templates:
        path = Path(template.signature_file.path)
        assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
        image = PILImage.open(path)
        assert image.format == "PNG" and image.width <= 600 and image.height <= 240
    # The signature left the public library with its renditions and their files.
    assert not Image.objects.filter(pk=signature.pk).exists()
    assert not Rendition.objects.filter(image_id=signature.pk).exists()
    assert not any(path.exists() for path in public_files)
    # The one used as a logo too stays (an editor decides).
    assert Image.objects.filter(pk=shared.pk).exists()
