"""Guide PDFs: content, storage per revision, and the URL fetcher's refusals."""

import io
import logging
import re

import pytest
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from core import pdf as core_pdf
from core.pdf import BundledAssetFetcher, render_pdf
from guides import services
from guides.models import GuideDailyCount, GuidePdf
from guides.pdf import guide_pdf_html, render_guide_pdf_bytes
from tests.storage_down import store_down

PUBLIC = "https://reperes.example.fr"
LEGIFRANCE_URL = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000043409305"


def pdf_text(payload):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(payload)).pages)


def download(client, guide):
    response = client.get(f"{guide.url}pdf/")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


@pytest.fixture
def count_renders(monkeypatch):
    """Counts real renders (WeasyPrint still runs)."""
    calls = []
    real = services.render_guide_pdf_bytes

    def counting(page, **kwargs):
        calls.append(page.pk)
        return real(page, **kwargs)

    monkeypatch.setattr(services, "render_guide_pdf_bytes", counting)
    return calls


def test_pdf_of_a_live_guide(client, make_guide):
    guide = make_guide(published=True, title="Que faire et qui appeler ?")
    response, payload = download(client, guide)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{guide.slug}.pdf"'
    assert payload.startswith(b"%PDF-")
    text = pdf_text(payload)
    assert "Que faire et qui appeler ?" in text
    assert LEGIFRANCE_URL in text.replace("\n", "")
    assert "Page 1 / " in text
    assert "119 — Allô enfance en danger" in text
    # External links are printed in clear.
    assert "https://example.org/" in text


def link_targets(payload):
    """The URI of every link annotation in the PDF."""
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(payload)).pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]


def test_links_to_the_platform_use_its_public_address(client, make_guide, settings):
    """Not the Wagtail Site's root URL (http://localhost after the demo or a fresh install)."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8765"
    guide = make_guide(published=True)
    site_root = guide.get_site().root_url
    _, payload = download(client, guide)

    targets = link_targets(payload)
    assert f"http://127.0.0.1:8765{guide.url}" in targets
    assert f"http://127.0.0.1:8765{guide.url}" in pdf_text(payload).replace("\n", "")
    assert any(target.startswith("http://127.0.0.1:8765/documents/") for target in targets)
    assert not any(target.startswith(f"{site_root}/") for target in targets)


def test_pdf_is_tagged_and_titled(client, make_guide):
    guide = make_guide(published=True, title="Repérer les signes")
    _, payload = download(client, guide)
    reader = PdfReader(io.BytesIO(payload))
    assert reader.metadata.title == "Repérer les signes"
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_pdf_is_stored_once_and_served_from_storage(client, make_guide, count_renders):
    guide = make_guide(published=True)
    _, first = download(client, guide)
    _, second = download(client, guide)
    assert first == second
    assert count_renders == [guide.pk]
    stored = GuidePdf.objects.get(page=guide)
    assert stored.revision_id == guide.live_revision_id
    assert stored.file.read() == first


# The guide, its stored PDF and the view restrictions Wagtail checks come from the
# content cache: nothing is read from the database (the client sends no User-Agent, so
# the download is not counted either).
PDF_DOWNLOAD_QUERIES = 0


def test_a_stored_pdf_is_served_in_a_fixed_number_of_queries(
    client, make_guide, professional, django_assert_num_queries
):
    guide = make_guide(published=True)
    _, first = download(client, guide)  # rendered: a new stored PDF drops the content cache
    download(client, guide)  # the site, the section and the guide's route read once
    with django_assert_num_queries(PDF_DOWNLOAD_QUERIES):
        response, again = download(client, guide)
    assert again == first
    assert response["ETag"] == f'"{GuidePdf.objects.get(page=guide).sha256}"'
    client.force_login(professional)
    download(client, guide)
    # Signed in, the same: nothing on the way reads the session's user.
    with django_assert_num_queries(PDF_DOWNLOAD_QUERIES):
        download(client, guide)


def test_a_counted_download_costs_its_count_only(client, make_guide, django_assert_num_queries):
    guide = make_guide(published=True)
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Firefox/128.0"}
    download(client, guide)
    client.get(f"{guide.url}pdf/", **browser)
    with django_assert_num_queries(1):  # the day's count, one UPDATE
        assert client.get(f"{guide.url}pdf/", **browser).status_code == 200
    assert GuideDailyCount.objects.get(page=guide).pdf_downloads == 2


def warm(client, guide):
    """Download until the PDF route is cached (rendered, then the route read once)."""
    for _ in range(2):
        _, payload = download(client, guide)
    return payload


def test_a_new_revision_is_served_at_once_with_the_route_cached(client, make_guide):
    guide = make_guide(published=True, title="Ancien titre")
    old = warm(client, guide)
    assert "Ancien titre" in pdf_text(old)
    guide.title = "Nouveau titre"
    guide.save_revision().publish()
    guide.refresh_from_db()
    response, new = download(client, guide)
    assert "Nouveau titre" in pdf_text(new)
    stored = GuidePdf.objects.get(page=guide)
    assert stored.revision_id == guide.live_revision_id
    assert response["ETag"] == f'"{stored.sha256}"'
    _, again = download(client, guide)
    assert again == new


def test_an_unpublished_guide_has_no_pdf_with_the_route_cached(client, make_guide):
    guide = make_guide(published=True)
    warm(client, guide)
    guide.unpublish()
    assert client.get(f"{guide.url}pdf/").status_code == 404
    assert client.get(f"{guide.url}pdf/").status_code == 404


def test_a_guide_made_private_is_no_longer_served_with_the_route_cached(
    client, make_guide, guide_index
):
    guide = make_guide(published=True)
    warm(client, guide)
    PageViewRestriction.objects.create(page=guide_index, restriction_type="login")
    response = client.get(f"{guide.url}pdf/")
    assert response.status_code == 302
    assert "/pdf/" in response.url and response.url != f"{guide.url}pdf/"


def test_unknown_guides_and_sub_routes_are_404s(client, make_guide):
    guide = make_guide(published=True)
    warm(client, guide)
    assert client.get(f"{guide.url}autre/").status_code == 404
    assert client.get(f"{guide.url}pdf/autre/").status_code == 404
    assert client.get(f"{guide.url[:-1]}-inconnu/pdf/").status_code == 404


@pytest.mark.parametrize("cached", [False, True])
def test_a_pdf_whose_file_is_gone_is_rendered_again(client, make_guide, count_renders, cached):
    guide = make_guide(published=True)
    (warm if cached else download)(client, guide)
    stored = GuidePdf.objects.get(page=guide)
    stored.file.storage.delete(stored.file.name)
    _, payload = download(client, guide)
    assert payload.startswith(b"%PDF")
    assert count_renders == [guide.pk, guide.pk]


@pytest.mark.parametrize("cached", [False, True])
def test_with_the_object_store_down_the_pdf_is_not_rendered_again(
    client, make_guide, count_renders, monkeypatch, cached
):
    """A store that does not answer is no missing file: 503 « réessayez », no render."""
    guide = make_guide(published=True)
    (warm if cached else download)(client, guide)
    stored = GuidePdf.objects.get(page=guide)
    store_down(monkeypatch, GuidePdf, "file")
    response = client.get(f"{guide.url}pdf/")
    assert response.status_code == 503 and response["Retry-After"]
    assert "momentanément indisponible" in response.text
    assert count_renders == [guide.pk]
    assert list(GuidePdf.objects.values_list("pk", "file")) == [(stored.pk, stored.file.name)]


def test_new_revision_gets_a_new_pdf(
    client, make_guide, count_renders, django_capture_on_commit_callbacks
):
    guide = make_guide(published=True, title="Ancien titre")
    download(client, guide)
    old_file = GuidePdf.objects.get(page=guide).file
    guide.title = "Nouveau titre"
    guide.save_revision().publish()
    guide.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _, new = download(client, guide)
    assert "Nouveau titre" in pdf_text(new)
    assert len(count_renders) == 2
    stored = GuidePdf.objects.get(page=guide)  # the old revision's PDF is gone
    assert stored.revision_id == guide.live_revision_id
    assert not old_file.storage.exists(old_file.name)


def test_publishing_queues_the_pdf(make_guide, django_capture_on_commit_callbacks):
    guide = make_guide()
    with django_capture_on_commit_callbacks(execute=True):
        guide.save_revision().publish()
    guide.refresh_from_db()
    assert GuidePdf.objects.filter(page=guide, revision_id=guide.live_revision_id).exists()


def test_drafts_have_no_pdf(client, make_guide):
    guide = make_guide(live=False)
    assert client.get(f"{guide.url}pdf/").status_code == 404
    assert not GuidePdf.objects.exists()


HOSTILE_URLS = ["file:///etc/passwd", "http://127.0.0.1:9/"]


def test_hostile_body_renders_without_fetching(client, make_guide, caplog):
    """Rich text stored with embedded resources (an import, a crafted revision or a
    future feature could put them there): the PDF renders, nothing is fetched."""
    hostile = (
        '<p>Voir <a href="file:///etc/passwd">ce fichier</a>'
        '<img src="file:///etc/passwd" alt="">'
        '<img src="http://127.0.0.1:9/pixel.png" alt="">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/style.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></p>'
    )
    guide = make_guide(published=True, body__1__paragraph__value=hostile)
    with caplog.at_level(logging.WARNING, logger="reperes.pdf"):
        _, payload = download(client, guide)
    refused = {record.pdf_url for record in caplog.records if hasattr(record, "pdf_refusal")}
    assert "file:///etc/passwd" in refused
    assert any(url.startswith("http://127.0.0.1:9/") for url in refused)
    assert "root:x:0:0" not in pdf_text(payload)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("http://127.0.0.1:9/", "scheme_not_allowed"),
        ("https://example.org/logo.png", "scheme_not_allowed"),
        ("reperes-asset://evil.example/static/css/site.css", "host_not_allowed"),
        ("reperes-asset:///static/../../etc/passwd", "path_traversal"),
        ("reperes-asset:///static/%2e%2e/%2e%2e/etc/passwd", "path_traversal"),
        ("reperes-asset:///etc/passwd", "outside_asset_root"),
        ("reperes-asset:///static/nothing-here.png", "not_found"),
    ],
)
def test_fetcher_refuses_everything_but_bundled_assets(url, code):
    fetcher = BundledAssetFetcher()
    with pytest.raises(ValueError) as excinfo:
        fetcher.fetch(url)
    assert excinfo.value.code == code
    assert fetcher.refused[-1].url == url


def test_fetcher_serves_bundled_assets_and_data_urls():
    fetcher = BundledAssetFetcher()
    css = fetcher.fetch("reperes-asset:///static/pdf/guide.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    data = fetcher.fetch("data:text/plain;base64,UmVww6hyZXM=")
    assert data.read() == "Repères".encode()
    assert fetcher.refused == []


def test_render_pdf_resolves_static_paths_and_records_refusals():
    fetcher = BundledAssetFetcher()
    html = (
        '<html lang="fr"><head><title>Essai</title>'
        '<link rel="stylesheet" href="/static/fonts/pdf/fonts.css"></head>'
        '<body><h1>Bonjour</h1><img src="http://127.0.0.1:9/x.png" alt=""></body></html>'
    )
    payload = render_pdf(html, stylesheets=("pdf/guide.css",), url_fetcher=fetcher)
    assert "Bonjour" in pdf_text(payload)
    assert [refusal.url for refusal in fetcher.refused] == ["http://127.0.0.1:9/x.png"]
    assert any(path.endswith("fonts/pdf/fonts.css") for path in fetcher.served)


@pytest.mark.parametrize(
    ("url", "content_type", "body"),
    [
        ("data:text/plain;base64,UmVww6hyZXM=", "text/plain", "Repères".encode()),
        ("data:,Rep%C3%A8res", "text/plain", "Repères".encode()),
        ("data:image/svg+xml,%3Csvg%2F%3E", "image/svg+xml", b"<svg/>"),
        ("data:image/png;base64,iVBORw%3D%3D", "image/png", b"\x89PNG"),
    ],
)
def test_fetcher_decodes_data_urls_itself(url, content_type, body):
    fetcher = BundledAssetFetcher()
    response = fetcher.fetch(url)
    assert response.content_type == content_type
    assert response.read() == body
    assert fetcher.refused == []
    assert fetcher.served == []  # nothing read from disk


@pytest.mark.parametrize("url", ["data:image/png;base64", "data:image/png;base64,AAAAA"])
def test_fetcher_refuses_broken_data_urls(url):
    fetcher = BundledAssetFetcher()
    with pytest.raises(ValueError) as excinfo:
        fetcher.fetch(url)
    assert excinfo.value.code == "invalid_data_url"


# --- Shared state of the helper: fonts, threads --------------------------------


def embedded_fonts(payload):
    page = PdfReader(io.BytesIO(payload)).pages[0]
    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for font in page["/Resources"]["/Font"].values()
    }


def test_guides_and_certificates_get_the_same_fonts_in_any_order(monkeypatch):
    """One FontConfiguration per process: what a PDF prints must not depend on which
    document the process rendered first (here: a fresh process, guide first)."""
    from weasyprint.text.fonts import FontConfiguration

    from certificates.pdf import CERTIFICATE_STYLESHEETS
    from guides.pdf import GUIDE_STYLESHEETS

    monkeypatch.setattr(core_pdf, "FONT_CONFIG", FontConfiguration())
    monkeypatch.setattr(core_pdf, "_css_cache", {})
    html = '<html lang="fr"><title>Essai</title><p>Łukasz Wiśniewska, Şahin</p></html>'
    guide_first = embedded_fonts(render_pdf(html, stylesheets=GUIDE_STYLESHEETS))
    certificate = embedded_fonts(render_pdf(html, stylesheets=CERTIFICATE_STYLESHEETS))
    guide_after = embedded_fonts(render_pdf(html, stylesheets=GUIDE_STYLESHEETS))
    assert guide_first == guide_after
    assert "Source-Sans-3-Latin-Ext" in guide_first
    assert "Source-Sans-3-Latin-Ext" in certificate


def test_renders_from_several_threads():
    """gunicorn threads share the helper's font configuration: renders take turns."""
    from concurrent.futures import ThreadPoolExecutor

    from guides.pdf import GUIDE_STYLESHEETS

    def render(number):
        html = f'<html lang="fr"><title>Essai</title><h1>Document {number}</h1><p>Łódź</p></html>'
        return pdf_text(render_pdf(html, stylesheets=GUIDE_STYLESHEETS))

    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(render, range(8)))
    assert [f"Document {number}" in text for number, text in enumerate(texts)] == [True] * 8


def test_the_guide_pdf_prints_the_public_address_not_the_sites_host(settings, make_guide):
    """« Version en ligne http://localhost/guides/… »: the Wagtail Site's host was printed."""
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    guide = make_guide(
        published=True,
        body__9__paragraph__value='<p>Voir <a href="/formations/">les formations</a>.</p>',
    )
    assert guide.get_site().hostname == "localhost"  # Wagtail's default site
    html = guide_pdf_html(guide)
    assert "localhost" not in html
    assert f'href="{PUBLIC}/formations/"' in html
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_guide_pdf_bytes(guide))).pages
    )
    squeezed = re.sub(r"\s+", "", text)  # a long address wraps anywhere
    assert f"Versionenligne{PUBLIC}{guide.url}" in squeezed
    assert "localhost" not in text
