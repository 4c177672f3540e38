"""Uploads through Wagtail's admin: documents (allowlist, size, always downloaded),
images (no SVG, size and pixel limits), and media folders that are never served."""

import importlib
import io
from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

import config.settings as base_settings
import config.urls

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png(width=20, height=10):
    output = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(output, format="PNG")
    return output.getvalue()


def upload_document(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Fiche réflexe",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Illustration",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def file_errors(response):
    return response.context["form"].errors.get("file", [])


# --- Documents --------------------------------------------------------------------------


def test_production_limits():
    assert base_settings.WAGTAILDOCS_EXTENSIONS == [
        "pdf",
        "odt",
        "ods",
        "docx",
        "xlsx",
        "csv",
        "txt",
    ]
    assert base_settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert base_settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == []
    assert base_settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert "svg" not in base_settings.WAGTAILIMAGES_EXTENSIONS
    assert base_settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert base_settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000


def test_a_document_in_the_allowlist_is_accepted(admin_client):
    response = upload_document(admin_client, "fiche.pdf", b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 302
    assert Document.objects.get().file.name.startswith("documents/")


@pytest.mark.parametrize("name", ["page.html", "dessin.svg", "outil.exe", "macro.docm", "fiche"])
def test_other_extensions_are_refused(admin_client, name):
    response = upload_document(admin_client, name, b"<script>alert(1)</script>")
    assert response.status_code == 200
    assert file_errors(response)
    assert not Document.objects.exists()


def test_a_document_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(admin_client, "fiche.txt", b"x" * 1025)
    assert response.status_code == 200
    assert file_errors(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("fiche.pdf", b"%PDF-1.4\n%%EOF\n"), ("notes.txt", b"Bonjour"), ("liste.csv", b"a,b\n")],
)
def test_documents_are_always_downloaded_never_shown(client, name, content):
    """PDFs and text too: nothing uploaded is rendered by the browser on our origin."""
    document = Document.objects.create(title="Fiche", file=ContentFile(content, name=name))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == content


# --- Images -----------------------------------------------------------------------------


def test_a_bitmap_image_is_accepted(admin_client):
    response = upload_image(admin_client, "photo.png", png())
    assert response.status_code == 302
    assert Image.objects.get().width == 20


def test_svg_is_refused_as_an_image(admin_client):
    response = upload_image(admin_client, "logo.svg", SVG)
    assert response.status_code == 200
    assert file_errors(response)
    assert not Image.objects.exists()


def test_an_image_over_the_size_limit_is_refused(admin_client, settings):
    content = png()
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = len(content) - 1
    response = upload_image(admin_client, "photo.png", content)
    assert response.status_code == 200
    assert file_errors(response)
    assert not Image.objects.exists()


def test_an_image_over_the_pixel_limit_is_refused(admin_client, settings):
    """A small file can hold a huge bitmap: the pixel count is checked too."""
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100 - 1
    response = upload_image(admin_client, "photo.png", png(100, 100))
    assert response.status_code == 200
    assert file_errors(response)
    assert not Image.objects.exists()


# --- Media folders ----------------------------------------------------------------------


@pytest.fixture
def stored_files(tmp_path):
    document = Document.objects.create(
        title="Fiche", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="fiche.pdf")
    )
    image = Image.objects.create(title="Photo", file=ContentFile(png(), name="photo.png"))
    rendition = image.get_rendition("width-10")
    return document, rendition


@pytest.fixture
def debug_urls(settings):
    """The project's URLs as built with SERVE_MEDIA_IMAGES on (development, `make run`)."""
    settings.SERVE_MEDIA_IMAGES = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.SERVE_MEDIA_IMAGES = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_documents_folder_is_not_served_by_the_app(client, stored_files):
    document, _rendition = stored_files
    assert (Path(project_settings.MEDIA_ROOT) / document.file.name).exists()
    assert client.get(project_settings.MEDIA_URL + document.file.name).status_code == 404
    assert client.get(project_settings.MEDIA_URL + "documents/").status_code == 404


def test_in_development_only_renditions_are_served(client, stored_files, debug_urls):
    document, rendition = stored_files
    assert client.get(rendition.url).status_code == 200
    assert client.get(project_settings.MEDIA_URL + document.file.name).status_code == 404
    original = Image.objects.get().file.name
    assert client.get(project_settings.MEDIA_URL + original).status_code == 404
